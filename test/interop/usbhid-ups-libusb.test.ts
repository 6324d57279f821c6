/**
 * usbhid-ups and the libusb it loads: without libusb-1.0 the driver says which package to
 * install, in one line, and exits 1; with it, driver.version.usb names the library as Debian's
 * driver does (libusb-<runtime version> (API: <binding level>)).
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { requireUsbSim, runUnderUsbSim } from "../harness/usb-sim.ts";

const dir = tempDir("nut-usbhid-libusb-");
afterAll(() => dir[Symbol.dispose]());

function confDir(name: string): string {
  const conf = join(dir.path, name);
  mkdirSync(conf, { recursive: true });
  writeFileSync(join(conf, "ups.conf"), "[ups]\n\tdriver = usbhid-ups\n\tport = auto\n");
  return conf;
}

test("libusb-1.0 missing: one line naming the package, exit 1, no stack trace", () => {
  const conf = confDir("missing");
  const env = { ...process.env, NUT_CONFPATH: conf, NUT_STATEPATH: conf, NUT_TS_LIBUSB: "libusb-does-not-exist-1.0.so.0" };
  const run = runCommand([NUT_BINARY, "usbhid-ups", "-a", "ups", "-u", "root", "-d", "1"], { env, timeoutMs: 20_000 });
  expect(run.exitCode).toBe(1);
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  expect(lines).toEqual(["USB needs libusb-1.0: install package libusb-1.0-0"]);
});

test("driver.version.usb equals Debian's on the same simulated device", async () => {
  requireUsbSim();
  const versions: string[] = [];
  for (const [name, driver] of [["debian", ["/lib/nut/usbhid-ups"]], ["ours", [NUT_BINARY, "usbhid-ups"]]] as const) {
    const conf = confDir(name);
    const run = await runUnderUsbSim([...driver, "-a", "ups", "-u", "root", "-d", "1"], { profiles: ["apc"], env: { NUT_CONFPATH: conf, NUT_STATEPATH: conf } }, 40_000);
    versions.push(/^driver\.version\.usb: (.*)$/m.exec(run.stdout)?.[1] ?? `none (exit ${run.exitCode})`);
  }
  expect(versions[0]).toMatch(/^libusb-1\.0\.\d+ \(API: 0x[0-9a-f]+\)$/);
  expect(versions[1]).toBe(versions[0]!);
}, 90_000);
