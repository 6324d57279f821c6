/**
 * Runs an upsmon — Debian's 2.8.0 (`debian`) or nut-ts's (`ours`) — against a NutSandbox, with
 * the same observable outputs for both: an upsmon.conf written by the harness whose SHUTDOWNCMD
 * appends `shutdown <date +%s.%N>` to a marker file and whose NOTIFYCMD appends
 * `$NOTIFYTYPE|$UPSNAME|$1` to a notify log, POWERDOWNFLAG in the same directory.
 *
 * Each instance has its own directory `<sandbox root>/<label>/` used as NUT_CONFPATH (upsmon
 * reads nothing else from there), so several upsmons can watch one sandbox. Debian's upsmon
 * always writes /run/nut/upsmon.pid (PIDPATH, no environment override in 2.8.0) and refuses to
 * start while it names a live process, so it runs in a private mount namespace with a tmpfs on
 * /run/nut (`unshare -m sh -c 'mount … && exec env … upsmon'`: the spawned PID is upsmon's own);
 * ours takes NUT_PIDPATH pointing into the instance directory. Both run `-D -F -p -u root`: in
 * the foreground, as one root process.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { NOTIFY_TYPES, NOTIFY_TYPE_SINCE, type NotifyType } from "../../core/config/upsmon-conf.ts";
import type { NutSandbox } from "./debian-nut.ts";
import { NUT_BINARY, type RunResult, runCommand } from "./nut-binary.ts";

/** Which upsmon runs. */
export type UpsmonImpl = "debian" | "ours";

/** Debian's upsmon 2.8.0. */
export const DEBIAN_UPSMON = "/lib/nut/upsmon";

/** What upsmon writes into POWERDOWNFLAG (SDMAGIC of clients/upsmon.h). */
export const POWERDOWN_MAGIC = "upsmon-shutdown-file";

/** The notify types upsmon 2.8.0 accepts in NOTIFYFLAG (later names only get a warning from it). */
export const NOTIFY_TYPES_2_8_0: readonly NotifyType[] = NOTIFY_TYPES.filter((t) => NOTIFY_TYPE_SINCE[t] === "2.8.0");

/**
 * Environment variable choosing the implementations the scenario suite runs, comma-separated
 * (default `debian,ours`).
 */
export const UPSMON_IMPLS_ENV = "NUT_TS_UPSMON_IMPLS";

/** The implementations to run, from UPSMON_IMPLS_ENV (default both); unknown names throw. */
export function upsmonImplementations(env: Readonly<Record<string, string | undefined>> = process.env): UpsmonImpl[] {
  const raw = env[UPSMON_IMPLS_ENV]?.trim();
  const names = raw === undefined || raw === "" ? ["debian", "ours"] : raw.split(",").map((s) => s.trim());
  for (const n of names) if (n !== "debian" && n !== "ours") throw new Error(`${UPSMON_IMPLS_ENV}: unknown upsmon implementation "${n}" (debian, ours)`);
  return [...new Set(names)] as UpsmonImpl[];
}

/**
 * Why nut-ts's upsmon cannot be used, or undefined when it can: `<nut> upsmon -h` must exit 0
 * without saying "not implemented".
 */
export function ourUpsmonProblem(nutBinary = NUT_BINARY): string | undefined {
  if (!existsSync(nutBinary)) return `${nutBinary} is missing: run "npm run build"`;
  const r = runCommand([nutBinary, "upsmon", "-h"], { timeoutMs: 10_000 });
  const text = r.stdout + r.stderr;
  if (r.exitCode !== 0 || /not implemented/i.test(text)) {
    return `nut-ts's upsmon is not available yet: "${nutBinary} upsmon -h" exited ${r.exitCode}: ${text.trim().split("\n").slice(0, 3).join(" / ")}`;
  }
  return undefined;
}

/** Why Debian's upsmon cannot be run here, or undefined when it can. */
export function debianUpsmonProblem(): string | undefined {
  if (!existsSync(DEBIAN_UPSMON)) return `${DEBIAN_UPSMON} is missing: run scripts/setup-system.sh (apt-get install nut-client)`;
  if (runCommand(["unshare", "-m", "true"], { timeoutMs: 5000 }).exitCode !== 0) return "unshare -m fails: Debian's upsmon needs a private /run/nut (run as root)";
  return undefined;
}

/** One MONITOR line. */
export interface UpsmonMonitor {
  ups: string;
  /** Power value (default 1). */
  powerValue?: number;
  user: string;
  password: string;
  role: "primary" | "secondary";
  /** The system string (default `<ups>@127.0.0.1:<sandbox port>`). */
  system?: string;
}

/** What upsmon.conf says and how the instance behaves. */
export interface UpsmonSettings {
  impl: UpsmonImpl;
  /** Directory and log name within the sandbox (default `upsmon`); unique per sandbox. */
  label?: string;
  monitors: readonly UpsmonMonitor[];
  /** Default 1. */
  minSupplies?: number;
  /** Default 1. */
  pollFreq?: number;
  /** Default 1. */
  pollFreqAlert?: number;
  /** Default 15 (NUT's default). */
  deadTime?: number;
  /** Default 15 (NUT's default). */
  hostSync?: number;
  /** 0 or 1 here (default 0). */
  finalDelay?: number;
  /** Default 300 (NUT's default). */
  noCommWarnTime?: number;
  /** Lines appended to upsmon.conf as they are (e.g. deliberately broken ones). */
  extraLines?: readonly string[];
  /** The NOTIFYCMD logs its line, then blocks in `sleep 60` (its PID is recorded and killed by stop()). */
  hangingNotifier?: boolean;
  /** nut-ts binary for `ours` (default dist/nut). */
  nutBinary?: string;
}

/** One NOTIFYCMD call. */
export interface UpsmonNotice {
  type: string;
  /** UPSNAME: the MONITOR system string, or empty. */
  ups: string;
  message: string;
}

const sq = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** An upsmon with its files; start() runs it, stop() (or `await using`) ends it by PID. */
export class UpsmonInstance {
  readonly impl: UpsmonImpl;
  readonly label: string;
  readonly dir: string;
  readonly confFile: string;
  readonly notifyLog: string;
  readonly shutdownLog: string;
  readonly powerDownFlag: string;
  readonly #sandbox: NutSandbox;
  readonly #nutBinary: string;
  readonly #hangPids: string;
  #proc: Subprocess | undefined;

  constructor(sandbox: NutSandbox, settings: UpsmonSettings) {
    this.#sandbox = sandbox;
    this.impl = settings.impl;
    this.label = settings.label ?? "upsmon";
    this.#nutBinary = settings.nutBinary ?? NUT_BINARY;
    this.dir = join(sandbox.paths.root, this.label);
    mkdirSync(join(this.dir, "run"), { recursive: true, mode: 0o755 });
    this.confFile = join(this.dir, "upsmon.conf");
    this.notifyLog = join(this.dir, "notify.log");
    this.shutdownLog = join(this.dir, "shutdown.log");
    this.powerDownFlag = join(this.dir, "killpower");
    this.#hangPids = join(this.dir, "notifier.pids");

    const notifyCmd = join(this.dir, "notify.sh");
    const hang = settings.hangingNotifier ? `echo $$ >> ${sq(this.#hangPids)}\nexec sleep 60\n` : "";
    writeFileSync(notifyCmd, `#!/bin/sh\nprintf '%s|%s|%s\\n' "$NOTIFYTYPE" "$UPSNAME" "$1" >> ${sq(this.notifyLog)}\n${hang}`);
    const shutdownCmd = join(this.dir, "shutdown.sh");
    writeFileSync(shutdownCmd, `#!/bin/sh\necho "shutdown $(date +%s.%N)" >> ${sq(this.shutdownLog)}\n`);
    chmodSync(notifyCmd, 0o755);
    chmodSync(shutdownCmd, 0o755);

    // 2.8.0 warns about type names it does not know; ours knows the 2.8.5 ones and would `wall` them by default
    const types = this.impl === "debian" ? NOTIFY_TYPES_2_8_0 : NOTIFY_TYPES;
    const lines = [
      ...settings.monitors.map(
        (m) => `MONITOR ${m.system ?? `${m.ups}@127.0.0.1:${sandbox.port}`} ${m.powerValue ?? 1} ${m.user} ${m.password} ${m.role}`,
      ),
      `MINSUPPLIES ${settings.minSupplies ?? 1}`,
      `POLLFREQ ${settings.pollFreq ?? 1}`,
      `POLLFREQALERT ${settings.pollFreqAlert ?? 1}`,
      `DEADTIME ${settings.deadTime ?? 15}`,
      `HOSTSYNC ${settings.hostSync ?? 15}`,
      `FINALDELAY ${settings.finalDelay ?? 0}`,
      `NOCOMMWARNTIME ${settings.noCommWarnTime ?? 300}`,
      `SHUTDOWNCMD "${shutdownCmd}"`,
      `NOTIFYCMD "${notifyCmd}"`,
      ...types.map((t) => `NOTIFYFLAG ${t} SYSLOG+EXEC`),
      `POWERDOWNFLAG "${this.powerDownFlag}"`,
      "RUN_AS_USER root",
      ...(settings.extraLines ?? []),
    ];
    writeFileSync(this.confFile, `${lines.join("\n")}\n`, { mode: 0o640 });
  }

  /** The environment our upsmon (and its -c/-K) runs with. */
  get #env(): Record<string, string> {
    return { ...this.#sandbox.paths.env, NUT_CONFPATH: this.dir, NUT_PIDPATH: join(this.dir, "run") };
  }

  /** Starts the monitor (foreground, debug, one root process). */
  start(): this {
    if (this.#proc !== undefined) throw new Error(`${this.label} already started`);
    const argv =
      this.impl === "debian"
        ? ["unshare", "-m", "sh", "-c", `mount -t tmpfs none /run/nut && exec env NUT_CONFPATH=${sq(this.dir)} ${DEBIAN_UPSMON} -D -F -p -u root`]
        : ["env", `NUT_CONFPATH=${this.dir}`, `NUT_PIDPATH=${join(this.dir, "run")}`, this.#nutBinary, "upsmon", "-D", "-F", "-p", "-u", "root"];
    this.#proc = this.#sandbox.spawn(this.label, argv);
    return this;
  }

  /** PID of the upsmon process (undefined before start()). */
  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  /** Whether the process was started and has not exited. */
  get running(): boolean {
    return this.#proc !== undefined && this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /** Exit status once exited (null while running or when killed by a signal). */
  get exitCode(): number | null {
    return this.#proc?.exitCode ?? null;
  }

  /** Waits up to `ms` for the process to exit; true if it has. */
  async exited(ms: number): Promise<boolean> {
    const proc = this.#proc;
    if (proc === undefined) return false;
    if (proc.exitCode !== null || proc.signalCode !== null) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([proc.exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Everything upsmon printed (stdout and stderr). */
  output(): string {
    const file = join(this.#sandbox.paths.logPath, `${this.label}.log`);
    return existsSync(file) ? readFileSync(file, "utf8") : "";
  }

  /** Every NOTIFYCMD call so far, in order. */
  notices(): UpsmonNotice[] {
    if (!existsSync(this.notifyLog)) return [];
    return readFileSync(this.notifyLog, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const [type = "", ups = "", ...rest] = l.split("|");
        return { type, ups, message: rest.join("|") };
      });
  }

  /** The notify types seen so far, for UPSNAME `ups` if given. */
  noticeTypes(ups?: string): string[] {
    return this.notices()
      .filter((n) => ups === undefined || n.ups === ups)
      .map((n) => n.type);
  }

  /** When SHUTDOWNCMD ran, in ms since the epoch, one entry per run. */
  shutdowns(): number[] {
    if (!existsSync(this.shutdownLog)) return [];
    return readFileSync(this.shutdownLog, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("shutdown "))
      .map((l) => Number(l.slice("shutdown ".length)) * 1000);
  }

  /** POWERDOWNFLAG's content, or undefined if the file does not exist. */
  powerDownFlagContent(): string | undefined {
    return existsSync(this.powerDownFlag) ? readFileSync(this.powerDownFlag, "latin1") : undefined;
  }

  /**
   * `upsmon -c <cmd>` (fsd, stop, reload) through the PID file, as an administrator would: for
   * Debian's inside the instance's mount namespace (nsenter), where its /run/nut is.
   */
  command(cmd: string): RunResult {
    const pid = this.pid;
    if (pid === undefined) throw new Error(`${this.label} not started`);
    if (this.impl === "debian") {
      return runCommand(["nsenter", "-t", String(pid), "-m", "--", "env", `NUT_CONFPATH=${this.dir}`, DEBIAN_UPSMON, "-c", cmd], {
        env: this.#sandbox.paths.env,
        timeoutMs: 10_000,
      });
    }
    return runCommand([this.#nutBinary, "upsmon", "-c", cmd], { env: this.#env, timeoutMs: 10_000 });
  }

  /**
   * `upsmon -K` with this instance's upsmon.conf. Debian's runs in a fresh namespace: 2.8.0
   * refuses -K while its PID file names a live process.
   */
  checkPowerDownFlag(): RunResult {
    if (this.impl === "debian") {
      return runCommand(["unshare", "-m", "sh", "-c", `mount -t tmpfs none /run/nut && exec env NUT_CONFPATH=${sq(this.dir)} ${DEBIAN_UPSMON} -K`], {
        env: this.#sandbox.paths.env,
        timeoutMs: 10_000,
      });
    }
    return runCommand([this.#nutBinary, "upsmon", "-K"], { env: this.#env, timeoutMs: 10_000 });
  }

  /** Sends a signal to the upsmon process by PID. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#proc!.kill(signal);
  }

  /**
   * Ends the process by PID (resumed first, in case a test stopped it): SIGTERM, SIGKILL after
   * `graceMs`; then the hung notifiers it left (only PIDs that still run `sleep`).
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.running) {
      this.#proc!.kill("SIGCONT");
      this.#proc!.kill("SIGTERM");
      if (!(await this.exited(graceMs))) {
        this.#proc!.kill("SIGKILL");
        await this.exited(2000);
      }
    }
    if (existsSync(this.#hangPids)) {
      for (const line of readFileSync(this.#hangPids, "utf8").split("\n")) {
        const pid = Number(line);
        if (!Number.isInteger(pid) || pid <= 1) continue;
        try {
          if (readFileSync(`/proc/${pid}/cmdline`, "latin1").startsWith("sleep\0")) process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Writes an instance's files without starting it (e.g. to run `-K` first). */
export function prepareUpsmon(sandbox: NutSandbox, settings: UpsmonSettings): UpsmonInstance {
  return new UpsmonInstance(sandbox, settings);
}

/** Writes an instance's files and starts it. */
export function startUpsmon(sandbox: NutSandbox, settings: UpsmonSettings): UpsmonInstance {
  return new UpsmonInstance(sandbox, settings).start();
}
