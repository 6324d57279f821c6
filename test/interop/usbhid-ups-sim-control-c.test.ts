/**
 * usbhid-ups driving the simulated devices of the Legrand, Phoenixtec/Liebert, openUPS,
 * PowerCOM and Salicru subdrivers, ours against Debian's NUT 2.8.0 (both under Debian's upsd):
 * every command of `upscmd -l` and a new value for every variable of `upsrw` give the same
 * answers and the same SET_REPORTs, upsc shows the same before and after; `-k` writes the same
 * SET_REPORTs with the same exit status. PowerCOM's byte-swapped delay encodings, and its
 * shutdown commands that take the published ups.delay.* when given no value, are exercised here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { DEBIAN_USBHID_UPS, type Implementation, simSetReports, startUsbSandbox, type UsbSandbox } from "../harness/usb-sandbox.ts";
import { runUnderUsbSim, usbSimUnavailable } from "../harness/usb-sim.ts";

const UPSC = "/usr/bin/upsc";
const UPSCMD = "/usr/bin/upscmd";
const UPSRW = "/usr/bin/upsrw";
const PROFILES = ["legrand", "liebert", "openups", "powercom", "powercom-vendor", "salicru"] as const;
/** Profiles whose two sandboxes run at a time (two CPUs, and other tests may run beside). */
const PARALLEL_PROFILES = 3;
const dir = tempDir("nut-usbhid-control-c-");
afterAll(() => dir[Symbol.dispose]());

function requireSim(): void {
  const why = usbSimUnavailable();
  if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
}

/** Runs at most `limit` of the queued jobs at a time. */
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

// ---------------------------------------------------------------------------------------------
// -k
// ---------------------------------------------------------------------------------------------

interface KillRun {
  exitCode: number;
  setReports: string[];
}

async function killPower(profile: string, impl: Implementation): Promise<KillRun> {
  const conf = join(dir.path, `k-${profile}-${impl}`);
  mkdirSync(conf, { recursive: true });
  writeFileSync(join(conf, "ups.conf"), "[ups]\n\tdriver = usbhid-ups\n\tport = auto\n");
  const logFile = join(conf, "sim.jsonl");
  const driver = impl === "ours" ? [NUT_BINARY, "usbhid-ups"] : [DEBIAN_USBHID_UPS];
  const run = await runUnderUsbSim([...driver, "-a", "ups", "-u", "root", "-k"], { profiles: [profile], logFile, env: { NUT_CONFPATH: conf, NUT_STATEPATH: conf } }, 40_000);
  return { exitCode: run.exitCode, setReports: simSetReports(logFile) };
}

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

/** A value different from the current one, the same for both sandboxes. */
function newValue(v: WritableVariable): string {
  if (v.type.startsWith("ENUM")) return v.options.find((o) => o !== v.value) ?? v.value;
  const n = Number(v.value);
  return Number.isFinite(n) ? String(Math.trunc(n) + 60) : `${v.value}x`;
}

interface ControlSession {
  upscBefore: string;
  commandList: string;
  rwListing: string;
  /** Per command / variable: the client's answer and the SET_REPORTs it caused. */
  steps: { step: string; answer: string; setReports: string[] }[];
  upscAfter: string;
}

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
    const commands = (await client(reference, [UPSCMD, "-l", reference.upsId]))
      .split("\n")
      .map((l) => /^([a-z][a-z0-9._]*) - /.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
    const variables = parseUpsrw(await client(reference, [UPSRW, reference.upsId]));
    const plan = { commands, variables };
    const [debian, ours] = await Promise.all([session(reference, plan), session(mine, plan)]);
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
      const k = kills(() => killPower(profile, impl));
      k.catch(() => undefined);
      killResults.set(`${profile}/${impl}`, k);
    }
  }
});

describe("usbhid-ups -k on the vendor C profiles: ours vs Debian's", () => {
  for (const profile of PROFILES) {
    test(`${profile}: same SET_REPORTs in the same order, same exit status`, async () => {
      requireSim();
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
      requireSim();
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
    requireSim();
    const { debian } = await controlResults.get("powercom")!;
    const step = (name: string) => debian.steps.find((s) => s.step === `upscmd ${name}`);
    // ups.delay.start is 60 s: one minute, low byte first, in report 6
    expect(step("load.on.delay")?.setReports).toEqual(["06 060001"]);
    // ups.delay.shutdown is 20 s: (20 s, 0 min) with AC restart enabled (0x40) or disabled (0x80)
    expect(step("shutdown.return")?.setReports).toEqual(["07 070054"]);
    expect(step("shutdown.stayoff")?.setReports).toEqual(["07 070094"]);
  }, 115_000);
});
