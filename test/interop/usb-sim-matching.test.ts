/**
 * Device matching, ours against Debian's usbhid-ups (NUT 2.8.0), on the same two simulated
 * USB UPSes (APC on port 1, Eaton on port 2): for each set of matching options both must pick
 * the same device or both find none. Also proves the multi-device simulator is faithful to NUT.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimProfile, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const PROBE = join(import.meta.dir, "..", "sim", "usb-transport-probe.ts");
const dir = tempDir("nut-usb-match-");
afterAll(() => dir[Symbol.dispose]());

const CASES: Array<{ options: Record<string, string>; profiles: UsbSimProfile[] }> = [
  { options: { vendorid: "0463" }, profiles: ["apc", "eaton"] },
  { options: { vendorid: "051D" }, profiles: ["eaton", "apc"] },
  { options: { serial: "4b1234p56789" }, profiles: ["eaton", "apc"] },
  { options: { vendor: "eat.n" }, profiles: ["apc", "eaton"] },
  { options: { product: "Back-UPS.*" }, profiles: ["eaton", "apc"] },
  { options: { product: "Back-UPS" }, profiles: ["apc"] },
  { options: { bus: "001", productid: "ffff" }, profiles: ["apc", "eaton"] },
  { options: { device: "002" }, profiles: ["apc"] }, // 2.8.0 never fills "device": no match
  { options: { device: "" }, profiles: ["eaton"] },
];

/** Which device Debian's driver chose: its device.mfr, or "none". */
async function debianChoice(options: Record<string, string>, profiles: UsbSimProfile[], n: number): Promise<string> {
  const args = Object.entries(options).flatMap(([k, v]) => ["-x", `${k}=${v}`]);
  const run = await runUnderUsbSim([DEBIAN_USBHID_UPS, "-s", `m${n}`, "-x", "port=auto", ...args, "-u", "root", "-d", "1"], {
    profiles,
    env: { NUT_STATEPATH: dir.path },
  });
  const out = run.stdout + run.stderr;
  if (out.includes("No matching HID UPS found")) return "none";
  const mfr = /^device\.mfr: (.*)$/m.exec(out)?.[1];
  if (mfr === undefined) throw new Error(`unexpected usbhid-ups output (exit ${run.exitCode}):\n${out}`);
  return mfr;
}

async function ourChoice(options: Record<string, string>, profiles: UsbSimProfile[]): Promise<string> {
  const run = await runUnderUsbSim([process.execPath, PROBE, JSON.stringify({ scenario: "open", match: options, leaveDeviceUnset: true })], { profiles });
  const result = JSON.parse(run.stdout) as { identity?: { vendor: string }; openError?: string };
  if (result.openError === "UsbNoDeviceError") return "none";
  if (result.identity === undefined) throw new Error(`probe failed: ${run.stdout}${run.stderr}`);
  return result.identity.vendor;
}

describe("USB matching options: ours vs Debian's usbhid-ups on the simulator", () => {
  test("the same device is chosen for every option set", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const rows = await Promise.all(
      CASES.map(async ({ options, profiles }, n) => {
        const [debian, ours] = await Promise.all([debianChoice(options, profiles, n), ourChoice(options, profiles)]);
        return { options: JSON.stringify(options), debian, ours };
      }),
    );
    for (const row of rows) expect(row.ours).toBe(row.debian);
    // The oracle really discriminates: both devices and "none" occur.
    expect(new Set(rows.map((r) => r.debian))).toEqual(new Set(["EATON", "American Power Conversion", "none"]));
  }, 90_000);
});
