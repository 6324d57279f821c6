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
 * The eaton profile runs once our mge-hid subdriver claims it (driver.version.data MGE HID).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { DEBIAN_USBHID_UPS, type Implementation, simSetReports, startUsbSandbox, type UsbSandbox } from "../harness/usb-sandbox.ts";
import { runUnderUsbSim, type UsbSimProfile, usbSimUnavailable } from "../harness/usb-sim.ts";

const UPSC = "/usr/bin/upsc";
const UPSCMD = "/usr/bin/upscmd";
const UPSRW = "/usr/bin/upsrw";
const dir = tempDir("nut-usbhid-control-");
afterAll(() => dir[Symbol.dispose]());

/** Whether our driver drives the eaton profile with mge-hid (written by another helper). */
async function eatonClaimedByMge(): Promise<boolean> {
  if (usbSimUnavailable() !== undefined) return false;
  const conf = join(dir.path, "eaton-probe");
  mkdirSync(conf, { recursive: true });
  writeFileSync(join(conf, "ups.conf"), "[probe]\n\tdriver = usbhid-ups\n\tport = auto\n");
  const run = await runUnderUsbSim([NUT_BINARY, "usbhid-ups", "-a", "probe", "-u", "root", "-d", "1"], { profiles: ["eaton"], env: { NUT_CONFPATH: conf, NUT_STATEPATH: conf } }, 30_000);
  return /^driver\.version\.data: MGE HID/m.test(run.stdout);
}

const EATON_READY = await eatonClaimedByMge();
const PROFILES: readonly UsbSimProfile[] = ["apc", "cyberpower", "tripplite", ...(EATON_READY ? ["eaton"] : [])];

function requireSim(): void {
  const why = usbSimUnavailable();
  if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
}

// ---------------------------------------------------------------------------------------------
// -k
// ---------------------------------------------------------------------------------------------

interface KillRun {
  exitCode: number;
  setReports: string[];
  lastLine: string;
}

async function killPower(profile: UsbSimProfile, impl: Implementation, state: Record<string, unknown>, tag: string): Promise<KillRun> {
  const conf = join(dir.path, `k-${profile}-${impl}-${tag}`);
  mkdirSync(conf, { recursive: true });
  writeFileSync(join(conf, "ups.conf"), "[ups]\n\tdriver = usbhid-ups\n\tport = auto\n");
  const stateFile = join(conf, "state.json");
  writeFileSync(stateFile, JSON.stringify(state));
  const logFile = join(conf, "sim.jsonl");
  const driver = impl === "ours" ? [NUT_BINARY, "usbhid-ups"] : [DEBIAN_USBHID_UPS];
  const run = await runUnderUsbSim([...driver, "-a", "ups", "-u", "root", "-k"], { profiles: [profile], stateFile, logFile, env: { NUT_CONFPATH: conf, NUT_STATEPATH: conf } }, 40_000);
  const lines = run.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("[sim]"));
  return { exitCode: run.exitCode, setReports: simSetReports(logFile), lastLine: lines.at(-1) ?? "" };
}

// ---------------------------------------------------------------------------------------------
// upscmd / upsrw / upsc through upsd
// ---------------------------------------------------------------------------------------------

interface WritableVariable {
  name: string;
  type: string;
  value: string;
  options: string[];
}

/** Debian's `upsrw ups@host:port` listing, parsed. */
function parseUpsrw(text: string): WritableVariable[] {
  const vars: WritableVariable[] = [];
  for (const block of text.split(/\n(?=\[)/)) {
    const name = /^\[([^\]]+)\]/.exec(block)?.[1];
    if (name === undefined) continue;
    const type = /^Type: (.*)$/m.exec(block)?.[1] ?? "";
    const value = /^Value: (.*)$/m.exec(block)?.[1] ?? "";
    const options = [...block.matchAll(/^Option: "([^"]*)"/gm)].map((m) => m[1] ?? "");
    vars.push({ name, type, value, options });
  }
  return vars;
}

/** A value different from the current one, the same for every sandbox. */
function newValue(v: WritableVariable): string {
  if (v.type.startsWith("ENUM")) return v.options.find((o) => o !== v.value) ?? v.value;
  const n = Number(v.value);
  return Number.isFinite(n) ? String(Math.trunc(n) + 1) : `${v.value}x`;
}

interface ControlSession {
  upscBefore: string;
  commandList: string;
  rwListing: string;
  /** Per command / variable: the client's answer and the SET_REPORTs it caused. */
  steps: { step: string; answer: string; setReports: string[] }[];
  upscAfter: string;
}

/** A client run (asynchronous: the sessions of all sandboxes run side by side). */
async function client(sb: UsbSandbox, argv: string[]): Promise<string> {
  const proc = Bun.spawn(argv, { env: sb.nut.paths.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 20_000, killSignal: "SIGKILL" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return `exit ${code}\n${out}${err}`;
}

/** upsc output without driver.version* (ours carries its own; Debian's has driver.version.usb). */
async function upsc(sb: UsbSandbox): Promise<string> {
  return (await client(sb, [UPSC, sb.upsId]))
    .split("\n")
    .filter((l) => !l.startsWith("driver.version"))
    .join("\n");
}

/** The same client session on one sandbox; `plan` is taken from the reference sandbox. */
async function session(sb: UsbSandbox, plan: { commands: string[]; variables: WritableVariable[] }): Promise<ControlSession> {
  const steps: ControlSession["steps"] = [];
  const upscBefore = await upsc(sb);
  const commandList = await client(sb, [UPSCMD, "-l", sb.upsId]);
  const rwListing = await client(sb, [UPSRW, sb.upsId]);
  let seen = simSetReports(sb.logFile).length;
  const record = (step: string, answer: string): void => {
    const all = simSetReports(sb.logFile);
    steps.push({ step, answer, setReports: all.slice(seen) });
    seen = all.length;
  };
  for (const cmd of plan.commands) record(`upscmd ${cmd}`, await client(sb, [UPSCMD, "-u", "admin", "-p", "pw", "-w", sb.upsId, cmd]));
  for (const v of plan.variables) {
    const assignment = `${v.name}=${newValue(v)}`;
    record(`upsrw ${assignment}`, await client(sb, [UPSRW, "-u", "admin", "-p", "pw", "-w", "-s", assignment, sb.upsId]));
  }
  return { upscBefore, commandList, rwListing, steps, upscAfter: "" };
}

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
    const commands = (await client(reference, [UPSCMD, "-l", reference.upsId]))
      .split("\n")
      .map((l) => /^([a-z][a-z0-9._]*) - /.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
    const variables = parseUpsrw(await client(reference, [UPSRW, reference.upsId]));
    const plan = { commands, variables };
    const sessions = await Promise.all(sandboxes.map((sb) => session(sb, plan)));
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

/** Runs at most `limit` of the queued jobs at a time (two CPUs; every simulator start costs one). */
function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

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
        const k = queued(() => killPower(profile, impl, state, tag));
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
        requireSim();
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
      requireSim();
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
  // visible in the run, never silent: the eaton cases join once mge-hid drives that profile
  if (!EATON_READY) test.todo("eaton: -k and upsd cases (our driver does not report driver.version.data MGE HID on the eaton profile yet)");
});
