// A daemon that goes to the background (no -F, -D or -d) reports a failure before it is ready
// with its exit status, as NUT's do: upsdrvctl and init scripts depend on it. usbhid-ups is the
// case that once slipped through: the child's banner, "Generic HID driver", holds the "G" that
// NUT's readiness pipe uses, and the parent took it for ready and exited 0.
import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";

test("usbhid-ups in the background: a fatal configuration error exits 1 with NUT's message", () => {
  using dir = tempDir();
  const state = join(dir.path, "state");
  mkdirSync(state);
  // explore without vendorid is refused in upsdrv_initups, before any USB access
  writeFileSync(join(dir.path, "ups.conf"), "[x]\n\tdriver = usbhid-ups\n\tport = auto\n\texplore\n");
  const env = { ...process.env, NUT_CONFPATH: dir.path, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const ours = runCommand([NUT_BINARY, "usbhid-ups", "-a", "x", "-u", "root"], { env, timeoutMs: 20_000 });
  expect(ours.stderr).toContain('must specify "vendorid" when using "explore"');
  expect(ours.exitCode).toBe(1);
  // Debian's 2.8.0 driver, same configuration: the same status and message
  const debian = runCommand(["/lib/nut/usbhid-ups", "-a", "x", "-u", "root"], { env, timeoutMs: 20_000 });
  expect(debian.exitCode).toBe(1);
  expect(debian.stderr).toContain('must specify "vendorid" when using "explore"');
});

test("dummy-ups in the background: ready, the parent exits 0 and the driver serves", async () => {
  using dir = tempDir();
  const state = join(dir.path, "state");
  mkdirSync(state);
  writeFileSync(join(dir.path, "t.dev"), "ups.status: OL\n");
  writeFileSync(join(dir.path, "ups.conf"), "[t]\n\tdriver = dummy-ups\n\tport = t.dev\n");
  const env = { ...process.env, NUT_CONFPATH: dir.path, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const start = runCommand([NUT_BINARY, "dummy-ups", "-a", "t", "-u", "root"], { env, timeoutMs: 20_000 });
  expect(start.exitCode).toBe(0);
  const stop = runCommand([NUT_BINARY, "dummy-ups", "-a", "t", "-c", "exit"], { env, timeoutMs: 20_000 });
  expect(stop.exitCode).toBe(0);
});
