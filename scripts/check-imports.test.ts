import { expect, test } from "bun:test";
import { violation } from "./check-imports.ts";

test("violation() enforces the layer table", () => {
  expect(violation("core/config/ups-conf.ts", "node:fs", true, false)).toBe('pure layer core/config may not import "node:fs"');
  expect(violation("core/config/ups-conf.ts", "core/config/tokenizer.ts", false, false)).toBeUndefined();
  expect(violation("core/protocol/x.ts", "core/client/nut-client.ts", false, false)).toBe("pure layer may not import core/client/nut-client.ts");
  expect(violation("drivers/transport/usb.ts", "bun:ffi", true, false)).toBe("only ffi/ may import bun:ffi");
  expect(violation("ffi/libusb.ts", "bun:ffi", true, false)).toBeUndefined();
  expect(violation("core/server/upsd.ts", "drivers/dummy-ups/dev-file.ts", false, false)).toBe("upsd (core/server) talks to drivers only through the socket protocol");
  expect(violation("core/monitor/upsmon.ts", "core/server/session.ts", false, false)).toBe("upsmon (core/monitor) reaches upsd only through core/client");
  expect(violation("drivers/clone/clone.ts", "drivers/dummy-ups/dev-file.ts", false, false)).toBe("drivers/dummy-ups is private to that driver");
  expect(violation("core/scanner/scan-usb.ts", "drivers/usbhid-ups/usb-ids.ts", false, false)).toBeUndefined();
  expect(violation("core/server/upsd.ts", "cli/main.ts", false, false)).toBe("nothing outside cli/ imports cli/");
  expect(violation("core/server/upsd.ts", "test/harness/x.ts", false, false)).toBe("only tests import test/");
  expect(violation("core/state/state-tree.test.ts", "node:fs", true, true)).toBeUndefined();
});
