import { expect, test } from "bun:test";
import type { HidDeviceIdentity, HidDeviceTweaks } from "./hid-subdriver.ts";
import { usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";
import { POWERVAR_HID2NUT, POWERVAR_SUBDRIVER } from "./powervar-hid.ts";

const dev: HidDeviceIdentity = { vendorId: 0x4234, productId: 0x0002, vendor: undefined, product: "UPM", serial: "P1" };

test("4234:0002 is claimed and moves NUT to HID interface 1", () => {
  const { support, id } = usbIdSupport(POWERVAR_SUBDRIVER.usbIds, 0x4234, 0x0002);
  expect(support).toBe("supported");
  const tweaks: HidDeviceTweaks = { maxReportSize: false, useInterruptPipe: true, log: () => {} };
  id?.onMatch?.(dev, tweaks);
  expect(tweaks.usb).toEqual({ interfaceNumber: 1 });
  expect(usbIdSupport(POWERVAR_SUBDRIVER.usbIds, 0x4234, 0x0003).support).toBe("possibly");
});

test("identity and table: Powervar fallback, yes/no rows, case-insensitive RuntimeToEmpty", () => {
  expect(POWERVAR_SUBDRIVER.formatMfr(dev)).toBe("Powervar");
  expect(POWERVAR_SUBDRIVER.formatSerial(dev)).toBe("P1");
  const yesNo = POWERVAR_HID2NUT.filter((r) => r.lookup?.kind === "table" && r.lookup.entries.some(([, text]) => text === "yes"));
  expect(yesNo.map((r) => r.path.split(".").at(-1))).toEqual(["InternalFailure", "Good"]);
  expect(stringToPath("UPS.PowerSummary.RuntimeToEmpty", POWERVAR_SUBDRIVER.usageTable).path.at(-1)).toBe(0x00850068);
  expect(stringToPath("UPS.POWERVAR1", POWERVAR_SUBDRIVER.usageTable).path).toEqual([0x00840004, 0xff000001]);
});
