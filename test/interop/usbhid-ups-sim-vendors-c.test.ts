/**
 * usbhid-ups on the simulator profiles of the Legrand, Phoenixtec/Liebert, openUPS, PowerCOM,
 * Powervar and Salicru subdrivers (test/sim/hid_profiles/): Debian's NUT 2.8.0 `-d 1` dump of
 * each profile and state is claimed by the expected subdriver and equals the saved fixture
 * test/fixtures/usb-hid/debian-d1-<profile>-<state>.txt (`NUT_REGEN_FIXTURES=1` rewrites
 * them); our dump equals the fixture apart from driver.version* (ours carries its own version,
 * Debian's adds driver.version.usb).
 * Powervar's HID function is interface 1: NUT 2.8.0 takes 1 also as the configuration
 * descriptor index, so it works only when the device offers 2 or more configurations (the
 * fixture runs); on a real one-configuration device it finds no UPS, while ours reads
 * configuration 0 as later NUT does and gives the same dump as on the 2-configuration device.
 * 'powercom-interrupt' is PowerCOM 0d9f:0001, which powercom-hid's claim puts into
 * interrupt-only mode (8-byte interrupt reads, never GET_REPORT): values come only from the
 * Input report the UPS sends.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimResult, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");
const REGENERATE = process.env.NUT_REGEN_FIXTURES === "1";
/** Simulator runs at a time: each mostly waits on USB timeouts, but the machine has 2 CPUs. */
const PARALLEL = 6;
const dir = tempDir("nut-usbhid-vendors-c-");
afterAll(() => dir[Symbol.dispose]());

/** Each profile and the subdriver that must claim it. */
const SUBDRIVER: Record<string, string> = {
  legrand: "Legrand HID 0.2",
  liebert: "Phoenixtec/Liebert HID 0.41",
  openups: "openUPS HID 0.5",
  powercom: "PowerCOM HID 0.6",
  "powercom-vendor": "PowerCOM HID 0.6",
  "powercom-interrupt": "PowerCOM HID 0.6",
  powervar: "Powervar HID 0.20",
  salicru: "Salicru HID 0.3",
};
/** Identical configurations the simulator offers per profile for the fixture runs (default 1). */
const CONFIGURATIONS: Record<string, number> = { powervar: 2 };
const STATES = ["online", "onbatt-low"] as const;
const CASES = Object.keys(SUBDRIVER).flatMap((profile) => STATES.map((state) => ({ profile, state, key: `${profile}-${state}` })));

type Which = "debian" | "ours";

/** `usbhid-ups -a <ups> -u root -d 1` on one simulated device in one state. */
async function runDriver(which: Which, profile: string, state: string, extraArgs: readonly string[] = [], configurations = CONFIGURATIONS[profile] ?? 1): Promise<UsbSimResult> {
  const name = `${which}-${profile}-${state}-${configurations}`.replace(/[^a-z0-9]/g, "");
  const confDir = join(dir.path, name);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[${name}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify({ _preset: state, _configurations: configurations }));
  const argv = which === "debian" ? [DEBIAN_USBHID_UPS] : [NUT_BINARY, "usbhid-ups"];
  return runUnderUsbSim([...argv, "-a", name, "-u", "root", "-d", "1", ...extraArgs], {
    profiles: [profile],
    stateFile,
    env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir },
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

/** The `name: value` lines of a dump, without driver.version*. */
function dumpVariables(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z][a-z0-9_.-]*): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !m[1].startsWith("driver.version")) vars[m[1]] = m[2];
  }
  return vars;
}

describe("vendor subdrivers C (legrand, liebert, openups, powercom, powervar, salicru) on the simulator", () => {
  const runs = new Map<string, UsbSimResult>();

  test("Debian's and our usbhid-ups -d 1 run on every profile and state", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const jobs = CASES.flatMap(({ profile, state, key }) =>
      (["debian", "ours"] as const).map((which) => async () => [`${which}:${key}`, await runDriver(which, profile, state)] as const),
    );
    // the real one-configuration Powervar; debug level 2 shows which interface the claim chose
    jobs.push(async () => [`debian:powervar-1`, await runDriver("debian", "powervar", "online", ["-DD"], 1)] as const);
    for (const state of STATES) jobs.push(async () => [`ours:powervar-${state}-1`, await runDriver("ours", "powervar", state, [], 1)] as const);
    for (const [key, run] of await inBatches(jobs)) runs.set(key, run);
    expect(runs.size).toBe(CASES.length * 2 + 1 + STATES.length);
  }, 100_000);

  for (const { profile, state, key } of CASES) {
    test(`${key}: Debian's driver uses ${SUBDRIVER[profile]} and matches the saved fixture`, () => {
      const run = runs.get(`debian:${key}`);
      if (run === undefined) throw new Error("no run (see the first test)");
      if (run.exitCode !== 0 || !run.stdout.includes("ups.status:")) throw new Error(`Debian's usbhid-ups failed (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
      const vars = dumpVariables(run.stdout);
      expect(vars["driver.name"]).toBe("usbhid-ups");
      expect(run.stdout).toContain(`driver.version.data: ${SUBDRIVER[profile]}\n`);
      expect(Object.keys(vars).length).toBeGreaterThan(15);
      const file = join(FIXTURES, `debian-d1-${key}.txt`);
      if (REGENERATE) writeFileSync(file, run.stdout);
      if (!existsSync(file)) throw new Error(`missing fixture ${file}: run with NUT_REGEN_FIXTURES=1`);
      expect(run.stdout).toBe(readFileSync(file, "utf8"));
    });

    test(`${key}: our dump equals Debian's fixture apart from driver.version*`, () => {
      const run = runs.get(`ours:${key}`);
      if (run === undefined) throw new Error("no run (see the first test)");
      if (run.exitCode !== 0 || !run.stdout.includes("ups.status:")) throw new Error(`our usbhid-ups failed (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
      expect(run.stderr).toContain(`Using subdriver: ${SUBDRIVER[profile]}\n`);
      const debian = dumpVariables(readFileSync(join(FIXTURES, `debian-d1-${key}.txt`), "utf8"));
      expect(dumpVariables(run.stdout)).toEqual(debian);
    });
  }

  test("powervar, one configuration: NUT 2.8.0's claim moves to interface 1, then it skips the device", () => {
    const run = runs.get("debian:powervar-1");
    if (run === undefined) throw new Error("no run (see the first test)");
    expect(run.stderr).toContain("Claimed interface 1 successfully");
    expect(run.stderr).toContain("Couldn't retrieve descriptors");
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain("ups.status:");
    expect(run.stderr).toContain("No matching HID UPS found");
  });

  for (const state of STATES) {
    test(`powervar ${state}, one configuration: ours (later NUT's configuration 0) gives the 2-configuration dump`, () => {
      const run = runs.get(`ours:powervar-${state}-1`);
      if (run === undefined) throw new Error("no run (see the first test)");
      expect(run.exitCode).toBe(0);
      expect(dumpVariables(run.stdout)).toEqual(dumpVariables(readFileSync(join(FIXTURES, `debian-d1-powervar-${state}.txt`), "utf8")));
    });
  }

  test("powercom-interrupt: only the interrupt report's values, none of the Feature-only items", () => {
    for (const state of STATES) {
      const run = runs.get(`debian:powercom-interrupt-${state}`);
      if (run === undefined) throw new Error("no run (see the first test)");
      const vars = dumpVariables(run.stdout);
      expect(vars["battery.charge"]).toBe(state === "online" ? "87" : "7");
      expect(vars["ups.status"]).toBe(state === "online" ? "OL CHRG" : "OB DISCHRG LB");
      // RemainingCapacityLimit, iDeviceChemistry and Input.ConfigVoltage are Feature items
      for (const name of ["battery.charge.low", "battery.type", "input.voltage.nominal"]) expect(vars[name]).toBeUndefined();
    }
  });
});
