/**
 * usbhid-ups driving the simulated device, ours against Debian's NUT 2.8.0 on the same profile:
 * - `-k`: the same SET_REPORTs (report ID and bytes, in order), exit status and last log line,
 *   also when the device STALLs every SET_REPORT ("Shutdown failed!", exit 1) or is unplugged
 *   ("Can't claim USB device …", exit 1);
 * - instant commands and SET through upsd (Debian's upscmd/upsrw with -w): every command of
 *   `upscmd -l` and a new value for every variable of `upsrw` give the same SET_REPORTs as
 *   with Debian's driver, under Debian's upsd and under ours;
 * - `upsc ups@127.0.0.1:port`: the same output with our driver as with Debian's under Debian's
 *   upsd (apart from driver.version*), through Debian's upsd and through ours, before and
 *   after the changes.
 * Three sandboxes per profile (Debian's driver and upsd as the reference, our driver under
 * Debian's upsd and under ours) run at once, all profiles concurrently.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "../harness/eventually.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { type ControlSession, controlPlan, controlSession, type KillRun, killPower, limiter, upsc, type WritableVariable } from "../harness/usb-control-session.ts";
import { startUsbSandbox } from "../harness/usb-sandbox.ts";
import { type UsbSimProfile, requireUsbSim, usbSimUnavailable } from "../harness/usb-sim.ts";

const dir = tempDir("nut-usbhid-control-");
afterAll(() => dir[Symbol.dispose]());

const PROFILES: readonly UsbSimProfile[] = ["apc", "cyberpower", "tripplite", "eaton"];

// ---------------------------------------------------------------------------------------------
// -k
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// upscmd / upsrw / upsc through upsd
// ---------------------------------------------------------------------------------------------

interface ProfileResult {
  sessions: Record<string, ControlSession>;
  commands: string[];
  variables: WritableVariable[];
}

/** The reference first; our upsd is a drop-in for Debian's, so its upsc output must equal the reference's too. */
const COMBOS = [
  { key: "debian driver, debian upsd", driver: "debian", upsd: "debian" },
  { key: "our driver, debian upsd", driver: "ours", upsd: "debian" },
  { key: "our driver, our upsd", driver: "ours", upsd: "ours" },
] as const;

async function controlProfile(profile: UsbSimProfile): Promise<ProfileResult> {
  const starts = await Promise.allSettled(COMBOS.map((c) => startUsbSandbox({ profile, driver: c.driver, upsd: c.upsd, settings: { pollinterval: "1" }, readyTimeoutMs: 60_000 })));
  const sandboxes = starts.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  try {
    const failed = starts.find((s) => s.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason as Error;
    const reference = sandboxes[0]!;
    const plan = await controlPlan(reference);
    const { commands, variables } = plan;
    const sessions = await Promise.all(sandboxes.map((sb) => controlSession(sb, plan, 1)));
    // after the changes the drivers publish the new values at their next full walk (pollinterval 1)
    await Bun.sleep(2500);
    for (const [i, sb] of sandboxes.entries()) {
      await eventually(async () => (await upsc(sb)) === (await upsc(reference)), 5000);
      sessions[i]!.upscAfter = await upsc(sb);
    }
    return { sessions: Object.fromEntries(COMBOS.map((c, i) => [c.key, sessions[i]!])), commands, variables };
  } catch (error) {
    throw new Error(`${profile}: ${(error as Error).message}\n${sandboxes.map((s) => s.nut.logs()).join("\n")}`);
  } finally {
    await Promise.all(sandboxes.map((s) => s.stop()));
  }
}

// ---------------------------------------------------------------------------------------------

const controlResults = new Map<UsbSimProfile, Promise<ProfileResult>>();
const killResults = new Map<string, Promise<KillRun>>();
const KILL_STATES: Record<string, Record<string, unknown>> = { online: {}, "set-report-stalls": { _stall: ["SET_REPORT", "*"] }, unplugged: { _disconnected: true } };

beforeAll(() => {
  if (usbSimUnavailable() !== undefined) return;
  // the long upsd sessions start at once, the short -k runs two at a time beside them;
  // each test awaits its own part
  for (const profile of PROFILES) {
    const p = controlProfile(profile);
    p.catch(() => undefined);
    controlResults.set(profile, p);
  }
  const queued = limiter(2);
  for (const profile of PROFILES) {
    for (const [tag, state] of Object.entries(KILL_STATES)) {
      for (const impl of ["debian", "ours"] as const) {
        const k = queued(() => killPower(dir.path, profile, impl, state, tag));
        k.catch(() => undefined);
        killResults.set(`${profile}/${tag}/${impl}`, k);
      }
    }
  }
});

describe("usbhid-ups -k on the simulator: ours vs Debian's", () => {
  for (const profile of PROFILES) {
    for (const tag of Object.keys(KILL_STATES)) {
      test(`${profile}, ${tag}: same SET_REPORTs in the same order, same exit status`, async () => {
        requireUsbSim();
        const [debian, ours] = await Promise.all([killResults.get(`${profile}/${tag}/debian`)!, killResults.get(`${profile}/${tag}/ours`)!]);
        expect(ours).toEqual(debian);
        if (tag === "online") expect({ exit: debian.exitCode, sent: debian.setReports.length > 0 }).toEqual({ exit: 0, sent: true });
        else if (tag === "unplugged") expect({ exit: debian.exitCode, sent: debian.setReports, last: debian.lastLine }).toEqual({ exit: 1, sent: [], last: expect.stringMatching(/^Can't claim USB device \[[0-9a-f]{4}:[0-9a-f]{4}\]@0\/0: No such device/) });
        else expect({ exit: debian.exitCode, sent: debian.setReports.length > 0, last: debian.lastLine }).toEqual({ exit: 1, sent: true, last: "Shutdown failed!" });
      }, 110_000);
    }
  }
});

describe("usbhid-ups under upsd on the simulator: commands, SET and upsc, ours vs Debian's", () => {
  for (const profile of PROFILES) {
    test(`${profile}: upscmd/upsrw give the same SET_REPORTs, upsc the same output`, async () => {
      requireUsbSim();
      const { sessions, commands, variables } = await controlResults.get(profile)!;
      const reference = sessions["debian driver, debian upsd"]!;
      // the plan is not empty and Debian's driver really wrote to the device
      expect(commands.length).toBeGreaterThan(3);
      expect(variables.length).toBeGreaterThan(0);
      expect(reference.steps.some((s) => s.setReports.length > 0)).toBe(true);
      expect(reference.upscBefore).toMatch(/^exit 0\n/);
      for (const combo of COMBOS.slice(1)) {
        const mine = sessions[combo.key]!;
        const twin = reference;
        // device side: the same SET_REPORTs for every command and variable, whichever upsd
        expect({ combo: combo.key, steps: mine.steps }).toEqual({ combo: combo.key, steps: reference.steps });
        expect({ combo: combo.key, list: mine.commandList, rw: mine.rwListing }).toEqual({ combo: combo.key, list: twin.commandList, rw: twin.rwListing });
        // client side: upsc through the same upsd, our driver vs Debian's
        expect({ combo: combo.key, before: mine.upscBefore, after: mine.upscAfter }).toEqual({ combo: combo.key, before: twin.upscBefore, after: twin.upscAfter });
      }
    }, 115_000);
  }
});
