/**
 * usbhid-ups driving the simulated devices of the Legrand, Phoenixtec/Liebert, openUPS,
 * PowerCOM and Salicru subdrivers, ours against Debian's NUT 2.8.0 (both under Debian's upsd):
 * every command of `upscmd -l` and a new value for every variable of `upsrw` give the same
 * answers and the same SET_REPORTs, upsc shows the same before and after; `-k` writes the same
 * SET_REPORTs with the same exit status. PowerCOM's byte-swapped delay encodings, and its
 * shutdown commands that take the published ups.delay.* when given no value, are exercised here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "../harness/eventually.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { type ControlSession, controlPlan, controlSession, type KillRun, killPower, limiter, upsc, type WritableVariable } from "../harness/usb-control-session.ts";
import { startUsbSandbox, type UsbSandbox } from "../harness/usb-sandbox.ts";
import { requireUsbSim, usbSimUnavailable } from "../harness/usb-sim.ts";

const PROFILES = ["legrand", "liebert", "openups", "powercom", "powercom-vendor", "salicru"] as const;
/** Profiles whose two sandboxes run at a time (two CPUs, and other tests may run beside). */
const PARALLEL_PROFILES = 3;
const dir = tempDir("nut-usbhid-control-c-");
afterAll(() => dir[Symbol.dispose]());

// ---------------------------------------------------------------------------------------------
// -k
// ---------------------------------------------------------------------------------------------

/**
 * What -k writes (shutdown.return): PowerCOM maps it itself (ups.delay.shutdown 20 s, AC
 * restart on); Legrand composes it from load.on.delay (30 s) and load.off.delay (20 s); the
 * other profiles have neither, and 2.8.0 exits with "Shutdown failed!".
 */
const KILL_SET_REPORTS: Partial<Record<string, string[]>> = {
  legrand: ["11 111e00", "10 101400"],
  powercom: ["07 070054"],
};

// ---------------------------------------------------------------------------------------------
// upscmd / upsrw / upsc through Debian's upsd
// ---------------------------------------------------------------------------------------------

interface ProfileResult {
  debian: ControlSession;
  ours: ControlSession;
  commands: string[];
  variables: WritableVariable[];
}

async function controlProfile(profile: string): Promise<ProfileResult> {
  const starts = await Promise.allSettled(
    (["debian", "ours"] as const).map((driver) => startUsbSandbox({ profile, driver, upsd: "debian", settings: { pollinterval: "1" }, readyTimeoutMs: 60_000 })),
  );
  const sandboxes = starts.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  try {
    const failed = starts.find((s) => s.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason as Error;
    const [reference, mine] = sandboxes as [UsbSandbox, UsbSandbox];
    const plan = await controlPlan(reference);
    const { commands, variables } = plan;
    // a minute up: PowerCOM counts its delays in whole minutes
    const [debian, ours] = await Promise.all([controlSession(reference, plan, 60), controlSession(mine, plan, 60)]);
    // the drivers publish what changed at their next full walk (pollinterval 1)
    await Bun.sleep(2500);
    debian.upscAfter = await upsc(reference);
    await eventually(async () => (await upsc(mine)) === debian.upscAfter, 5000).catch(() => undefined);
    ours.upscAfter = await upsc(mine);
    return { debian, ours, commands, variables };
  } catch (error) {
    throw new Error(`${profile}: ${(error as Error).message}\n${sandboxes.map((s) => s.nut.logs()).join("\n")}`);
  } finally {
    await Promise.all(sandboxes.map((s) => s.stop()));
  }
}

// ---------------------------------------------------------------------------------------------

const controlResults = new Map<string, Promise<ProfileResult>>();
const killResults = new Map<string, Promise<KillRun>>();

beforeAll(() => {
  if (usbSimUnavailable() !== undefined) return;
  const sessions = limiter(PARALLEL_PROFILES);
  for (const profile of PROFILES) {
    const p = sessions(() => controlProfile(profile));
    p.catch(() => undefined);
    controlResults.set(profile, p);
  }
  const kills = limiter(2);
  for (const profile of PROFILES) {
    for (const impl of ["debian", "ours"] as const) {
      const k = kills(() => killPower(dir.path, profile, impl));
      k.catch(() => undefined);
      killResults.set(`${profile}/${impl}`, k);
    }
  }
});

describe("usbhid-ups -k on the vendor C profiles: ours vs Debian's", () => {
  for (const profile of PROFILES) {
    test(`${profile}: same SET_REPORTs in the same order, same exit status`, async () => {
      requireUsbSim();
      const [debian, ours] = await Promise.all([killResults.get(`${profile}/debian`)!, killResults.get(`${profile}/ours`)!]);
      expect(ours).toEqual(debian);
      expect(debian.exitCode).toBe(KILL_SET_REPORTS[profile] === undefined ? 1 : 0);
      if (KILL_SET_REPORTS[profile] !== undefined) expect(debian.setReports).toEqual(KILL_SET_REPORTS[profile]);
    }, 110_000);
  }
});

describe("usbhid-ups under upsd on the vendor C profiles: commands, SET and upsc, ours vs Debian's", () => {
  for (const profile of PROFILES) {
    test(`${profile}: upscmd/upsrw give the same answers and SET_REPORTs, upsc the same output`, async () => {
      requireUsbSim();
      const { debian, ours, commands } = await controlResults.get(profile)!;
      expect(debian.upscBefore).toMatch(/^exit 0\n/);
      // liebert-hid and openups-hid map no command and no writable variable
      expect(commands.length > 0).toBe(profile !== "liebert" && profile !== "openups");
      expect({ list: ours.commandList, rw: ours.rwListing }).toEqual({ list: debian.commandList, rw: debian.rwListing });
      expect(ours.steps).toEqual(debian.steps);
      expect({ before: ours.upscBefore, after: ours.upscAfter }).toEqual({ before: debian.upscBefore, after: debian.upscAfter });
    }, 115_000);
  }

  test("powercom: the delay commands were written, byte-swapped as PowerCOM wants", async () => {
    requireUsbSim();
    const { debian } = await controlResults.get("powercom")!;
    const step = (name: string) => debian.steps.find((s) => s.step === `upscmd ${name}`);
    // ups.delay.start is 60 s: one minute, low byte first, in report 6
    expect(step("load.on.delay")?.setReports).toEqual(["06 060001"]);
    // ups.delay.shutdown is 20 s: (20 s, 0 min) with AC restart enabled (0x40) or disabled (0x80)
    expect(step("shutdown.return")?.setReports).toEqual(["07 070054"]);
    expect(step("shutdown.stayoff")?.setReports).toEqual(["07 070094"]);
  }, 115_000);
});
