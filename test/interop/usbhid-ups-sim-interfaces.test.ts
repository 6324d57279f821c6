/**
 * usbhid-ups on devices whose HID function is not interface 0, beyond the fixture comparisons
 * of usbhid-ups-sim-vendors-b/-c.test.ts:
 * - Powervar's claim moves NUT to interface 1 also for an unlisted Powervar product taken
 *   through the productid option: Debian's 2.8.0 (on a 2-configuration device, the only kind it
 *   can read) and ours (on the real one-configuration kind) give the same dump; without the
 *   option both print the "possibly supported" notice and find no UPS.
 * - later NUT's usb_hid_* / usb_config_index options (ours only; 2.8.0 has none): they override
 *   the claim's numbers, an unreadable value is libusb1.c's fatal text, a configuration or
 *   interface the device lacks makes the device unusable, and the interrupt endpoint matters.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimResult, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const PARALLEL = 5;
const dir = tempDir("nut-usbhid-interfaces-");
afterAll(() => dir[Symbol.dispose]());

interface Run {
  program: "debian" | "ours";
  profile: string;
  args: string[];
  configurations?: number;
  state?: Record<string, unknown>;
}

const RUNS = {
  debianUnlisted: { program: "debian", profile: "powervar-unlisted", args: ["-d", "1", "-x", "productid=0005"], configurations: 2 },
  oursUnlisted: { program: "ours", profile: "powervar-unlisted", args: ["-d", "1", "-x", "productid=0005"] },
  debianUnlistedRefused: { program: "debian", profile: "powervar-unlisted", args: ["-d", "1"], configurations: 2 },
  oursUnlistedRefused: { program: "ours", profile: "powervar-unlisted", args: ["-d", "1"] },
  repIndexZero: { program: "ours", profile: "arduino", args: ["-d", "1", "-x", "usb_hid_rep_index=0"] },
  configIndexOne: { program: "ours", profile: "arduino", args: ["-d", "1", "-DD", "-x", "usb_config_index=1"] },
  configIndexOneOfTwo: { program: "ours", profile: "powervar", args: ["-d", "1", "-x", "usb_config_index=0x1"], configurations: 2 },
  badEndpoint: { program: "ours", profile: "arduino", args: ["-d", "1", "-x", "usb_hid_ep_in=zz"] },
  missingInterface: { program: "ours", profile: "apc", args: ["-d", "1", "-x", "usb_hid_rep_index=3"], state: {} },
  sketchEndpoint: { program: "ours", profile: "arduino", args: ["-d", "2"] },
  wrongEndpoint: { program: "ours", profile: "arduino", args: ["-d", "2", "-x", "usb_hid_ep_in=1"] },
} satisfies Record<string, Run>;
type RunName = keyof typeof RUNS;

async function runDriver(name: string, run: Run): Promise<UsbSimResult> {
  const ups = name.toLowerCase();
  const confDir = join(dir.path, ups);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[${ups}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify(run.state ?? { _preset: "online", _configurations: run.configurations ?? 1 }));
  const argv = run.program === "debian" ? [DEBIAN_USBHID_UPS] : [NUT_BINARY, "usbhid-ups"];
  return runUnderUsbSim([...argv, "-a", ups, "-u", "root", ...run.args], { profiles: [run.profile], stateFile, env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir } }, 45_000);
}

/** The `name: value` lines of a dump, without driver.version*. */
function dumpVariables(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z][a-z0-9_.-]*): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !m[1].startsWith("driver.version")) vars[m[1]] = m[2];
  }
  return vars;
}

const results = new Map<RunName, UsbSimResult>();
function result(name: RunName): UsbSimResult {
  const r = results.get(name);
  if (r === undefined) throw new Error(`no run ${name} (see beforeAll)`);
  return r;
}

beforeAll(async () => {
  const why = usbSimUnavailable();
  if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
  const names = Object.keys(RUNS) as RunName[];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < names.length; i = next++) results.set(names[i]!, await runDriver(names[i]!, RUNS[names[i]!]));
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 100_000);

describe("Powervar: an unlisted product claimed through productid", () => {
  test("Debian's 2.8.0 (2 configurations) and ours (1 configuration) give the same dump", () => {
    const debian = result("debianUnlisted");
    if (debian.exitCode !== 0) throw new Error(`Debian's usbhid-ups failed (exit ${debian.exitCode}):\n${debian.stdout}${debian.stderr}`);
    const theirs = dumpVariables(debian.stdout);
    expect(theirs).toMatchObject({ "ups.productid": "0005", "device.model": "UPM Industrial Series", "ups.status": "OL", "battery.charge": "100" });
    const ours = result("oursUnlisted");
    expect(ours.exitCode).toBe(0);
    expect(ours.stderr).toContain("Using subdriver: Powervar HID 0.20\n");
    expect(dumpVariables(ours.stdout)).toEqual(theirs);
  });

  test("without productid both print the notice and find no UPS", () => {
    const notice = "This Powervar device (4234:0005) is not (or perhaps not yet) supported\nby usbhid-ups.";
    for (const run of [result("debianUnlistedRefused"), result("oursUnlistedRefused")]) {
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(notice);
      expect(run.stderr).toContain("No matching HID UPS found");
      expect(run.stdout).not.toContain("ups.status:");
    }
  });
});

describe("later NUT's usb_config_index / usb_hid_* options (ours)", () => {
  test("usb_hid_rep_index=0 overrides Arduino's claim: interface 0 has no HID descriptor, so no UPS", () => {
    const run = result("repIndexZero");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("No matching HID UPS found");
  });

  test("usb_config_index beyond the device's configurations: the device is skipped as 2.8.0 skips it", () => {
    const run = result("configIndexOne");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Claimed interface 2 successfully");
    expect(run.stderr).toContain("Couldn't retrieve descriptors");
    expect(run.stderr).toContain("No matching HID UPS found");
  });

  test("usb_config_index=0x1 (hexadecimal, as libusb1.c reads it) on a 2-configuration device works", () => {
    const run = result("configIndexOneOfTwo");
    expect(run.exitCode).toBe(0);
    expect(dumpVariables(run.stdout)["ups.status"]).toBe("OL");
  });

  test("an unreadable value is libusb1.c's fatal error", () => {
    const run = result("badEndpoint");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("nut_libusb_open: could not parse usb_hid_ep_in\n");
    expect(run.stderr).not.toContain("Using subdriver");
  });

  test("an interface the configuration lacks cannot be claimed (2.8.0's message)", () => {
    const run = result("missingInterface");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Can't claim USB device [051d:0002]@3/0: Entity not found");
  });

  test("interrupts are read from the claimed interface's endpoint (0x84 for the sketch), not 0x81", () => {
    const good = result("sketchEndpoint");
    expect(good.exitCode).toBe(0);
    expect(good.stderr).not.toContain("nut_libusb_get_interrupt");
    const wrong = result("wrongEndpoint");
    expect(wrong.stderr).toContain("nut_libusb_get_interrupt: ");
  });
});
