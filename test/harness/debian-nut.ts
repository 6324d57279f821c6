/**
 * A private NUT installation for tests, NUT's tests/NIT/nit.sh done in TypeScript: ups.conf,
 * upsd.conf and upsd.users in a temporary directory (NUT_CONFPATH, NUT_STATEPATH and
 * NUT_ALTPIDPATH all point into it), one driver per UPS, then upsd on a free port of 127.0.0.1,
 * ready once `upsc <ups>@127.0.0.1:<port>` lists the driver's data for every started UPS. Debian's
 * /lib/nut/dummy-ups and /lib/nut/upsd by default; both commands can be swapped for nut-ts's.
 * Every process is stopped by its PID and the directory removed by stop().
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { encodeConfWord } from "../../core/config/tokenizer.ts";

/** Debian's programs used when no command is injected. */
export const DEBIAN_DUMMY_UPS = "/lib/nut/dummy-ups";
/** Debian's upsd. */
export const DEBIAN_UPSD = "/lib/nut/upsd";
/** Debian's upsc, used to tell when the sandbox is ready. */
export const DEBIAN_UPSC = "/usr/bin/upsc";

/** One UPS section of ups.conf. */
export interface SandboxUps {
  name: string;
  /** ups.conf `driver` (default `dummy-ups`). */
  driver?: string;
  /** ups.conf `port` (default `<name>.dev`, a file of the config directory for dummy-ups). */
  port?: string;
  /** ups.conf `desc`. */
  desc?: string;
  /** More `key = "value"` lines of the section. */
  settings?: Readonly<Record<string, string>>;
  /** Start its driver (default true); false leaves upsd with a UPS whose driver is not connected. */
  start?: boolean;
}

/** One upsd.users section. */
export interface SandboxUser {
  name: string;
  password: string;
  /** `actions = …` words (SET, FSD). */
  actions?: readonly string[];
  /** `instcmds = …` words (command names or `all`). */
  instcmds?: readonly string[];
  /** `upsmon primary|secondary`. */
  upsmon?: "primary" | "secondary";
}

/** Paths and port of a sandbox, given to injected commands. */
export interface SandboxPaths {
  /** Temporary root holding everything below. */
  root: string;
  /** NUT_CONFPATH: ups.conf, upsd.conf, upsd.users and the extra files. */
  confPath: string;
  /** NUT_STATEPATH: driver sockets. */
  statePath: string;
  /** NUT_ALTPIDPATH: PID files. */
  pidPath: string;
  /** Where each process's stdout and stderr go (`<label>.log`). */
  logPath: string;
  /** upsd's TCP port on 127.0.0.1. */
  port: number;
  /** Environment for the sandbox's programs (the NUT_* paths set). */
  env: Record<string, string>;
}

/** What to run. */
export interface NutSandboxOptions {
  ups: readonly SandboxUps[];
  users?: readonly SandboxUser[];
  /** Extra files written into the config directory (e.g. dummy-ups `.dev` files); bytes are written as they are. */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** Extra upsd.conf lines (LISTEN is written by the sandbox). */
  upsdConf?: readonly string[];
  /** Driver command line for a UPS (default: Debian's dummy-ups `-a <name> -F -u root`). */
  driverCommand?: (ups: SandboxUps, paths: SandboxPaths) => string[];
  /**
   * argv[0] of a UPS's driver process, for a multicall binary that picks its program by that name
   * (e.g. `ups.driver ?? "dummy-ups"` with NUT_BINARY); default: the command's own path.
   */
  driverArgv0?: (ups: SandboxUps) => string | undefined;
  /** upsd command line (default: Debian's upsd `-F -u root`). */
  upsdCommand?: (paths: SandboxPaths) => string[];
  /** Bound on the whole start-up, in ms (default 10000). */
  readyTimeoutMs?: number;
}

interface Started {
  label: string;
  proc: Subprocess;
}

/** A free TCP port of 127.0.0.1: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function upsConf(ups: readonly SandboxUps[]): string {
  const q = (v: string): string => `"${encodeConfWord(v)}"`;
  return ups
    .map((u) => {
      const lines = [`[${u.name}]`, `\tdriver = ${q(u.driver ?? "dummy-ups")}`, `\tport = ${q(u.port ?? `${u.name}.dev`)}`];
      if (u.desc !== undefined) lines.push(`\tdesc = ${q(u.desc)}`);
      for (const [k, v] of Object.entries(u.settings ?? {})) lines.push(`\t${k} = ${q(v)}`);
      return `${lines.join("\n")}\n`;
    })
    .join("\n");
}

function upsdUsers(users: readonly SandboxUser[]): string {
  const q = (v: string): string => `"${encodeConfWord(v)}"`;
  return users
    .map((u) => {
      const lines = [`[${u.name}]`, `\tpassword = ${q(u.password)}`];
      for (const a of u.actions ?? []) lines.push(`\tactions = ${a}`);
      for (const c of u.instcmds ?? []) lines.push(`\tinstcmds = ${c}`);
      if (u.upsmon !== undefined) lines.push(`\tupsmon ${u.upsmon}`);
      return `${lines.join("\n")}\n`;
    })
    .join("\n");
}

/** A running sandbox; stop() (or `await using`) ends every process by PID and removes the files. */
export class NutSandbox {
  readonly paths: SandboxPaths;
  readonly #started: Started[] = [];
  #stopped = false;

  /** Use startNutSandbox(). */
  constructor(paths: SandboxPaths) {
    this.paths = paths;
  }

  /** upsd's port on 127.0.0.1. */
  get port(): number {
    return this.paths.port;
  }

  /** `<ups>@127.0.0.1:<port>`, the identifier clients take. */
  upsId(ups: string): string {
    return `${ups}@127.0.0.1:${this.paths.port}`;
  }

  /** PIDs of the processes still owned by the sandbox, by label (`upsd`, `driver-<ups>`). */
  get pids(): Record<string, number> {
    return Object.fromEntries(this.#started.map((s) => [s.label, s.proc.pid]));
  }

  /** Everything the sandbox's processes printed so far, per log file. */
  logs(): string {
    if (!existsSync(this.paths.logPath)) return "";
    return readdirSync(this.paths.logPath)
      .map((f) => `--- ${f}\n${readFileSync(join(this.paths.logPath, f), "utf8")}`)
      .join("\n");
  }

  /** Starts `argv` with the sandbox's environment, output to `<label>.log`; `argv0` renames the process. */
  spawn(label: string, argv: string[], argv0?: string): Subprocess {
    const fd = openSync(join(this.paths.logPath, `${label}.log`), "a");
    try {
      const proc = Bun.spawn(argv, { env: this.paths.env, stdin: "ignore", stdout: fd, stderr: fd, ...(argv0 !== undefined ? { argv0 } : {}) });
      this.#started.push({ label, proc });
      return proc;
    } finally {
      closeSync(fd);
    }
  }

  /** Stops one started process by PID: SIGTERM, then SIGKILL after `graceMs`. */
  async kill(label: string, graceMs = 5000): Promise<void> {
    const index = this.#started.findIndex((s) => s.label === label);
    if (index < 0) return;
    const [entry] = this.#started.splice(index, 1);
    await stopProcess(entry!.proc, graceMs);
  }

  /** Stops every process (upsd first) by PID and removes the temporary directory. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const all = this.#started.splice(0);
    const upsd = all.filter((s) => s.label === "upsd");
    const others = all.filter((s) => s.label !== "upsd");
    await Promise.all(upsd.map((s) => stopProcess(s.proc, 5000)));
    await Promise.all(others.map((s) => stopProcess(s.proc, 5000)));
    rmSync(this.paths.root, { recursive: true, force: true });
  }

  /** `await using sandbox = await startNutSandbox(…)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

async function stopProcess(proc: Subprocess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill("SIGTERM");
  if (!(await exitedWithin(proc, graceMs))) {
    proc.kill("SIGKILL");
    await exitedWithin(proc, 2000);
  }
}

/** Waits for `proc` to exit, at most `ms`; the timer is cleared so it never holds the event loop. */
async function exitedWithin(proc: Subprocess, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([proc.exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `upsc <id>` lists the UPS's data within `timeoutMs`: exit 0 and something besides the
 * `ups.status: WAIT` upsd shows between connecting to the driver and receiving its dump.
 */
async function upscAnswers(id: string, env: Record<string, string>, timeoutMs: number): Promise<boolean> {
  const proc = Bun.spawn([DEBIAN_UPSC, id], { env, stdin: "ignore", stdout: "pipe", stderr: "ignore", timeout: timeoutMs, killSignal: "SIGKILL" });
  const [code, out] = await Promise.all([proc.exited, new Response(proc.stdout).text()]);
  return code === 0 && out.split("\n").some((l) => l !== "" && l !== "ups.status: WAIT");
}

/**
 * Writes the configuration, starts the drivers and upsd and waits (bounded) until every started
 * UPS answers `upsc`. On failure everything started is stopped and the error carries the logs.
 */
export async function startNutSandbox(options: NutSandboxOptions): Promise<NutSandbox> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  const root = mkdtempSync(join(tmpdir(), "nut-sandbox-"));
  const confPath = join(root, "etc");
  const statePath = join(root, "state");
  const pidPath = join(root, "run");
  const logPath = join(root, "log");
  for (const d of [confPath, statePath, pidPath, logPath]) mkdirSync(d, { mode: 0o755 });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NUT_CONFPATH: confPath,
    NUT_STATEPATH: statePath,
    NUT_ALTPIDPATH: pidPath,
  };
  const paths: SandboxPaths = { root, confPath, statePath, pidPath, logPath, port: 0, env };
  const sandbox = new NutSandbox(paths);
  try {
    writeFileSync(join(confPath, "ups.conf"), upsConf(options.ups));
    writeFileSync(join(confPath, "upsd.users"), upsdUsers(options.users ?? []), { mode: 0o640 });
    for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(confPath, name), text);

    const driverCommand =
      options.driverCommand ?? ((ups: SandboxUps): string[] => [DEBIAN_DUMMY_UPS, "-a", ups.name, "-F", "-u", "root"]);
    const upsdCommand = options.upsdCommand ?? ((): string[] => [DEBIAN_UPSD, "-F", "-u", "root"]);
    const started = options.ups.filter((u) => u.start !== false);
    const drivers = started.map((u) => ({ ups: u, proc: sandbox.spawn(`driver-${u.name}`, driverCommand(u, paths), options.driverArgv0?.(u)) }));

    // upsd finds a driver socket at start-up; a later one costs it a retry loop (~2 s)
    for (const { ups, proc } of drivers) {
      const socket = join(statePath, `${ups.driver ?? "dummy-ups"}-${ups.name}`);
      while (!existsSync(socket) && Date.now() < deadline && proc.exitCode === null) await sleep(25);
      if (proc.exitCode !== null) throw new Error(`driver for ${ups.name} exited with ${proc.exitCode}`);
    }

    // the free port may be taken before upsd binds it: retry with another one
    for (let attempt = 1; ; attempt++) {
      paths.port = await freePort();
      const conf = [`LISTEN 127.0.0.1 ${paths.port}`, ...(options.upsdConf ?? [])];
      writeFileSync(join(confPath, "upsd.conf"), `${conf.join("\n")}\n`, { mode: 0o640 });
      const upsd = sandbox.spawn("upsd", upsdCommand(paths));
      let pendingUps = started.map((u) => u.name);
      if (pendingUps.length === 0) pendingUps = options.ups.slice(0, 1).map((u) => u.name);
      while (pendingUps.length > 0 && Date.now() < deadline && upsd.exitCode === null) {
        const still: string[] = [];
        for (const name of pendingUps) {
          const ok = started.some((u) => u.name === name)
            ? await upscAnswers(sandbox.upsId(name), env, Math.max(500, Math.min(3000, deadline - Date.now())))
            : (await Bun.spawn([DEBIAN_UPSC, "-l", `127.0.0.1:${paths.port}`], { env, stdout: "ignore", stderr: "ignore", timeout: 3000 }).exited) === 0;
          if (!ok) still.push(name);
        }
        pendingUps = still;
        if (pendingUps.length > 0) await sleep(100);
      }
      if (pendingUps.length === 0) return sandbox;
      if (upsd.exitCode !== null && attempt < 3 && Date.now() < deadline) {
        await sandbox.kill("upsd");
        continue;
      }
      throw new Error(`upsd sandbox not ready (waiting for ${pendingUps.join(", ")})`);
    }
  } catch (err) {
    const logs = sandbox.logs();
    await sandbox.stop();
    throw new Error(`${(err as Error).message}\n${logs}`, { cause: err });
  }
}
