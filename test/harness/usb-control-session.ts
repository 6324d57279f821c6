/**
 * The client side of the usbhid-ups control comparisons (test/interop/usbhid-ups-sim-control*.ts):
 * Debian's upsc, upscmd and upsrw run against a USB sandbox, every command of `upscmd -l` and a
 * new value for every variable of `upsrw` recorded with the SET_REPORTs the simulator saw; and
 * `-k` runs of a driver on the simulator.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "./nut-binary.ts";
import { DEBIAN_USBHID_UPS, type Implementation, simSetReports, type UsbSandbox } from "./usb-sandbox.ts";
import { runUnderUsbSim, type UsbSimProfile } from "./usb-sim.ts";

const UPSC = "/usr/bin/upsc";
const UPSCMD = "/usr/bin/upscmd";
const UPSRW = "/usr/bin/upsrw";

/** Runs at most `limit` of the queued jobs at a time (two CPUs; every simulator start costs one). */
export function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
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

export interface WritableVariable {
  name: string;
  type: string;
  value: string;
  options: string[];
}

/** Debian's `upsrw ups@host:port` listing, parsed. */
export function parseUpsrw(text: string): WritableVariable[] {
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

/** A value different from the current one, the same for every sandbox (numbers move by `step`). */
export function newValue(v: WritableVariable, step: number): string {
  if (v.type.startsWith("ENUM")) return v.options.find((o) => o !== v.value) ?? v.value;
  const n = Number(v.value);
  return Number.isFinite(n) ? String(Math.trunc(n) + step) : `${v.value}x`;
}

export interface ControlSession {
  upscBefore: string;
  commandList: string;
  rwListing: string;
  /** Per command / variable: the client's answer and the SET_REPORTs it caused. */
  steps: { step: string; answer: string; setReports: string[] }[];
  upscAfter: string;
}

export interface ControlPlan {
  commands: string[];
  variables: WritableVariable[];
}

/** A client run (asynchronous: the sessions of all sandboxes run side by side). */
export async function client(sb: UsbSandbox, argv: string[]): Promise<string> {
  const proc = Bun.spawn(argv, { env: sb.nut.paths.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 20_000, killSignal: "SIGKILL" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return `exit ${code}\n${out}${err}`;
}

/** upsc output without driver.version* (ours carries its own; Debian's has driver.version.usb). */
export async function upsc(sb: UsbSandbox): Promise<string> {
  return (await client(sb, [UPSC, sb.upsId]))
    .split("\n")
    .filter((l) => !l.startsWith("driver.version"))
    .join("\n");
}

/** What to do, read from the reference sandbox: its commands and writable variables. */
export async function controlPlan(reference: UsbSandbox): Promise<ControlPlan> {
  const commands = (await client(reference, [UPSCMD, "-l", reference.upsId]))
    .split("\n")
    .map((l) => /^([a-z][a-z0-9._]*) - /.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
  return { commands, variables: parseUpsrw(await client(reference, [UPSRW, reference.upsId])) };
}

/** The same client session on one sandbox (upscAfter is filled in by the caller). */
export async function controlSession(sb: UsbSandbox, plan: ControlPlan, numericStep: number): Promise<ControlSession> {
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
    const assignment = `${v.name}=${newValue(v, numericStep)}`;
    record(`upsrw ${assignment}`, await client(sb, [UPSRW, "-u", "admin", "-p", "pw", "-w", "-s", assignment, sb.upsId]));
  }
  return { upscBefore, commandList, rwListing, steps, upscAfter: "" };
}

export interface KillRun {
  exitCode: number;
  setReports: string[];
  /** The last line on stderr (the simulator's own lines left out). */
  lastLine: string;
}

/** `usbhid-ups -k` of one implementation on a fresh simulated device in `state`. */
export async function killPower(dir: string, profile: UsbSimProfile, impl: Implementation, state: Record<string, unknown> = {}, tag = "online"): Promise<KillRun> {
  const conf = join(dir, `k-${profile}-${impl}-${tag}`);
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
