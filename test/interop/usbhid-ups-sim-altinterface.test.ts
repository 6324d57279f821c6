/**
 * usbhid-ups' usb_set_altinterface option against Debian's driver (NUT 2.8.0 libusb1.c,
 * nut_usb_set_altinterface) on the simulated APC UPS: without the option the call is skipped
 * (a debug-3 line); with it, libusb_set_interface_alt_setting() runs on the claimed interface
 * after the claim, with the warnings for a text that is not a number or a value out of range,
 * libusb's refusal and the closing notice. The simulated interface has alternate setting 0
 * only, as most UPSes: selecting another one fails as the kernel refuses it (EINVAL, libusb's
 * "Entity not found"). The -DDD lines about it must be equal, and the driver must go on to
 * its dump either way (a failed call is not fatal).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { requireUsbSim, runUnderUsbSim, type UsbSimResult } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
/** Simulator runs at a time (the machine has 2 CPUs; each run mostly waits on USB timeouts). */
const PARALLEL = 4;
const dir = tempDir("nut-usb-altif-");
afterAll(() => dir[Symbol.dispose]());

/** The option's value per case; undefined leaves it out. */
const CASES: ReadonlyArray<{ label: string; value: string | undefined }> = [
  { label: "absent", value: undefined },
  { label: "1", value: "1" },
  { label: "0", value: "0" },
  { label: "not a number", value: "abc" },
  { label: "number with trailing text", value: "2x" },
  { label: "out of range", value: "300" },
];

type Which = "debian" | "ours";

async function runDriver(which: Which, value: string | undefined, n: number): Promise<UsbSimResult> {
  const argv = which === "debian" ? [DEBIAN_USBHID_UPS] : [NUT_BINARY, "usbhid-ups"];
  const option = value === undefined ? [] : ["-x", `usb_set_altinterface=${value}`];
  return runUnderUsbSim([...argv, "-s", `alt${which}${n}`, "-x", "port=auto", ...option, "-u", "root", "-d", "1", "-DDD"], {
    profiles: ["apc"],
    env: { NUT_STATEPATH: dir.path, NUT_CONFPATH: dir.path },
  }, 45_000);
}

/** Runs `jobs` with at most PARALLEL of them at once. */
async function inBatches<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await (jobs[i] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, jobs.length) }, worker));
  return results;
}

/** The log lines about the alternate setting, without their timestamps. */
function altLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => /altinterface|alt_setting/.test(line))
    .map((line) => line.replace(/^\s*\d+\.\d+\t/, ""));
}

describe("usb_set_altinterface: ours vs Debian's usbhid-ups on the simulator", () => {
  const runs = new Map<string, UsbSimResult>();

  test("both drivers run with every variant of the option", async () => {
    requireUsbSim();
    const jobs = CASES.flatMap(({ value }, n) => (["debian", "ours"] as const).map((which) => async () => [`${which}:${n}`, await runDriver(which, value, n)] as const));
    for (const [key, run] of await inBatches(jobs)) runs.set(key, run);
    expect(runs.size).toBe(CASES.length * 2);
  }, 100_000);

  CASES.forEach(({ label, value }, n) => {
    test(`${label}: the same altinterface lines, and the dump follows`, () => {
      const debian = runs.get(`debian:${n}`);
      const ours = runs.get(`ours:${n}`);
      if (debian === undefined || ours === undefined) throw new Error("no run (see the first test)");
      for (const run of [debian, ours]) {
        if (run.exitCode !== 0 || !run.stdout.includes("ups.status:")) throw new Error(`usbhid-ups failed (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
      }
      const lines = altLines(debian.stderr);
      expect(altLines(ours.stderr)).toEqual(lines);
      if (value === undefined) {
        expect(lines).toEqual(["[D3] nut_usb_set_altinterface: skipped libusb_set_interface_alt_setting(udev, 0, 0)"]);
      } else {
        expect(lines.some((l) => l.startsWith("[D2] nut_usb_set_altinterface: calling libusb_set_interface_alt_setting(udev, 0, "))).toBe(true);
        expect(lines.at(-1)).toBe(
          "nut_usb_set_altinterface: libusb_set_interface_alt_setting() should not be necessary - please email the nut-upsdev list with information about your UPS.",
        );
      }
      // the call comes right after the claim, before the descriptors are read
      const claimed = ours.stderr.indexOf("Claimed interface 0 successfully");
      const first = ours.stderr.indexOf(lines[0] ?? "\u0000");
      expect(claimed).toBeGreaterThan(0);
      expect(first).toBeGreaterThan(claimed);
    });
  });

  test("the warnings Debian gives for bad values are there (not a number, out of range, libusb's refusal)", () => {
    const lines = (label: string): string[] => altLines(runs.get(`debian:${CASES.findIndex((c) => c.label === label)}`)?.stderr ?? "");
    // alternate setting 1 does not exist on the device: libusb passes the kernel's refusal on
    expect(lines("1")).toContain("nut_usb_set_altinterface: libusb_set_interface_alt_setting(udev, 0, 1) returned -5 (Entity not found)");
    expect(lines("0").some((l) => l.includes("returned"))).toBe(false);
    expect(lines("not a number")).toContain("nut_usb_set_altinterface: 'abc' is not a valid number");
    expect(lines("number with trailing text")).toContain("nut_usb_set_altinterface: '2x' is not a valid number");
    expect(lines("number with trailing text")).toContain("[D2] nut_usb_set_altinterface: calling libusb_set_interface_alt_setting(udev, 0, 2)");
    const range = lines("out of range");
    expect(range).toContain("nut_usb_set_altinterface: setting bAlternateInterface to 300 will probably not work");
    expect(range.some((l) => l.startsWith("nut_usb_set_altinterface: libusb_set_interface_alt_setting(udev, 0, 300) returned -"))).toBe(true);
  });
});
