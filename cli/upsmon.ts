/**
 * The upsmon program (clients/upsmon.c main()): banner, NUT's command line (`-c fsd|stop|reload`,
 * `-P`, `-D`, `-F`, `-B`, `-f`, `-K`, `-p`, `-u`, `-4`, `-6`, `-h`, `-V`), the already-running
 * probe, upsmon.conf (a broken file is fatal before anything starts), the POWERDOWNFLAG
 * checks, then NUT's split: a privileged parent that can only shut the machine down and an
 * unprivileged child that monitors (`-p`: one root process). Bun cannot fork, so the child is
 * this program re-executed; it asks the parent for the shutdown over an IPC channel, and the
 * parent's death is seen as a change of the child's parent PID.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveNutPaths } from "../core/config/nut-paths.ts";
import { type UpsmonConf, parseUpsmonConf } from "../core/config/upsmon-conf.ts";
import { Notifier } from "../core/monitor/notifier.ts";
import { NutUpsLink } from "../core/monitor/ups-link.ts";
import { Upsmon } from "../core/monitor/upsmon.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { isBackgroundChild, runInBackground, signalReady } from "../core/system/background.ts";
import { StreamNutLog } from "../core/system/nut-log.ts";
import { openSyslog } from "../core/system/syslog-writer.ts";
import { becomeUser, findSystemUser } from "../core/system/system-user.ts";
import { alreadyRunningText, parsePid, signalDaemon } from "./daemon-signal.ts";
import { Getopt } from "./getopt.ts";
import type { ProgramIo, ProgramMain } from "./program-io.ts";

/** Debian's compiled-in RUN_AS_USER. */
const RUN_AS_USER = "nut";
/** What upsmon writes into POWERDOWNFLAG (SDMAGIC). */
export const POWERDOWN_MAGIC = "upsmon-shutdown-file";
/** Set in the environment of the unprivileged child. */
const CHILD_ENV = "NUT_TS_UPSMON_CHILD";

function helpText(progname: string): string {
  return (
    "Monitors UPS servers and may initiate shutdown if necessary.\n\n" +
    `usage: ${progname} [OPTIONS]\n\n` +
    "  -c <cmd>\tsend command to running process\n" +
    "\t\tcommands:\n" +
    "\t\t - fsd: shutdown all primary-mode UPSes (use with caution)\n" +
    "\t\t - reload: reread configuration\n" +
    "\t\t - stop: stop monitoring and exit\n" +
    "  -P <pid>\tsend the signal above to specified PID (bypassing PID file)\n" +
    "  -D\t\traise debugging level (and stay foreground by default)\n" +
    "  -F\t\tstay foregrounded even if no debugging is enabled\n" +
    "  -B\t\tstay backgrounded even if debugging is bumped\n" +
    "  -h\t\tdisplay this help\n" +
    "  -K\t\tchecks POWERDOWNFLAG, sets exit code to 0 if set\n" +
    "  -p\t\talways run privileged (disable privileged parent)\n" +
    "  -u <user>\trun child as user <user> (ignored when using -p)\n" +
    "  -4\t\tIPv4 only\n" +
    "  -6\t\tIPv6 only\n"
  );
}

interface UpsmonCommandLine {
  debug: number;
  /** -1 unset, 0 background, 1 foreground. */
  foreground: number;
  signal?: "SIGUSR1" | "SIGTERM" | "SIGHUP";
  pid?: number;
  configFile?: string;
  checkFlag: boolean;
  privileged: boolean;
  user?: string;
  family?: 4 | 6;
}

/** pdflag_status(): 0 absent, 1 ours, -1 something else is there. */
function powerDownFlagStatus(file: string): 0 | 1 | -1 {
  let text: string;
  try {
    text = readFileSync(file, "latin1");
  } catch {
    return 0;
  }
  return text.startsWith(POWERDOWN_MAGIC) ? 1 : -1;
}

/** set_pdflag(): created by the root side at shutdown, mode from the umask as NUT's fopen(). */
function setPowerDownFlag(file: string | undefined, log: StreamNutLog): void {
  if (file === undefined) return;
  try {
    writeFileSync(file, POWERDOWN_MAGIC);
  } catch (err) {
    log.error(`Failed to create power down flag ${file}: ${(err as Error).message}`);
  }
}

/** The root side's job at the end: POWERDOWNFLAG, then SHUTDOWNCMD through the shell. */
async function runShutdownCommand(conf: UpsmonConf, log: StreamNutLog, prefix: string): Promise<void> {
  setPowerDownFlag(conf.powerDownFlag, log);
  if (conf.shutdownCmd === undefined) return;
  const proc = Bun.spawn(["/bin/sh", "-c", conf.shutdownCmd], { stdin: "ignore", stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) log.error(`${prefix}Unable to call shutdown command: ${conf.shutdownCmd}`);
}

/** Reads upsmon.conf; fatal diagnostics end the program before anything starts. */
function loadConf(file: string, log: StreamNutLog, io: ProgramIo): UpsmonConf | undefined {
  let text: Uint8Array;
  try {
    text = readFileSync(file);
  } catch (err) {
    io.stderr(`Can't open ${file}: ${(err as { code?: string }).code === "EACCES" ? "Permission denied" : "No such file or directory"}\n`);
    return undefined;
  }
  const { config, diagnostics } = parseUpsmonConf(text, file);
  let fatal = false;
  for (const d of diagnostics) {
    if (d.severity === "fatal") {
      io.stderr(`${file}:${d.line}: ${d.message}\n`);
      fatal = true;
    } else if (d.severity === "error") log.error(`${file}:${d.line}: ${d.message}`);
    else log.warning(`${file}:${d.line}: ${d.message}`);
  }
  return fatal ? undefined : config;
}

export const main: ProgramMain = async (args, io) => {
  const progname = "upsmon";
  const isChild = io.env[CHILD_ENV] === "1";
  const isDaemon = isBackgroundChild(io.env, progname);
  if (!isChild && !isDaemon) io.stdout(`Network UPS Tools ${progname} ${UPS_VERSION}\n`);
  // in the background, log lines go to syslog (the child at once, the parent once it is ready)
  let logSink = (text: string): void => io.stderr(text);
  const toSyslog = (): void => {
    const sink = openSyslog(progname, io.env);
    if (sink) logSink = sink;
  };
  if (isChild && isDaemon) toSyslog();
  const log = new StreamNutLog((text) => logSink(text));
  const cmd: UpsmonCommandLine = { debug: 0, foreground: -1, checkFlag: false, privileged: false };
  const parser = new Getopt(args, "+DFBhic:P:f:pu:VK46", progname);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    const arg = r.arg ?? "";
    switch (r.opt) {
      case "c": {
        // any prefix of the word, as strncmp(optarg, "...", strlen(optarg))
        if (arg !== "" && "fsd".startsWith(arg)) cmd.signal = "SIGUSR1";
        else if (arg !== "" && "stop".startsWith(arg)) cmd.signal = "SIGTERM";
        else if (arg !== "" && "reload".startsWith(arg)) cmd.signal = "SIGHUP";
        else {
          io.stdout(helpText(progname));
          return 0;
        }
        break;
      }
      case "P":
        cmd.pid = parsePid(arg);
        break;
      case "D":
        cmd.debug++;
        break;
      case "F":
        cmd.foreground = 1;
        break;
      case "B":
        cmd.foreground = 0;
        break;
      case "f":
        cmd.configFile = arg;
        break;
      case "K":
        cmd.checkFlag = true;
        break;
      case "p":
        cmd.privileged = true;
        break;
      case "u":
        cmd.user = arg;
        break;
      case "V":
        return 0;
      case "4":
        cmd.family = 4;
        break;
      case "6":
        cmd.family = 6;
        break;
      case "i":
        break;
      default:
        io.stdout(helpText(progname));
        return 0;
    }
  }
  if (cmd.foreground < 0) cmd.foreground = cmd.debug > 0 ? 1 : 0;
  log.debugLevel = cmd.debug;
  const paths = resolveNutPaths(io.env);
  const pidFile = join(paths.pidPath, `${progname}.pid`);
  const confFile = cmd.configFile ?? join(paths.confPath, "upsmon.conf");

  if (isChild) return runChild(confFile, pidFile, cmd, log, io);

  if (cmd.signal !== undefined) {
    const ret = signalDaemon(pidFile, cmd.pid, cmd.signal, log, io);
    if (ret !== 0) {
      log.notice("Failed to signal the currently running daemon (if any)");
      if (cmd.pid === undefined) log.notice("Try to add '-P $PID' argument");
    }
    return ret === 0 ? 0 : 1;
  }
  if (!isDaemon) {
    const probe = signalDaemon(pidFile, cmd.pid, 0, log, io);
    if (probe === 0) {
      if (cmd.checkFlag) {
        io.stdout("Note: A previous upsmon instance is already running!\n");
        io.stdout("Usually it should not be running during OS shutdown,\n");
        io.stdout("which is when checking POWERDOWNFLAG makes most sense.\n");
      } else {
        io.stdout(alreadyRunningText("upsmon"));
        return 1;
      }
    } else if (probe === -3 || probe === -2) {
      log.warning(
        `Could not ${probe === -3 ? "find" : "parse"} PID file to see if previous upsmon instance is already running or not!${cmd.checkFlag ? " This is okay during OS shutdown, which is when checking POWERDOWNFLAG makes most sense." : ""}`,
      );
    }
  }

  const conf = loadConf(confFile, log, io);
  if (!conf) return 1;
  if (conf.debugMin !== undefined && conf.debugMin > log.debugLevel) log.debugLevel = conf.debugMin;

  if (cmd.checkFlag) {
    if (conf.powerDownFlag === undefined) {
      log.error("Power down flag is not set");
      return 1;
    }
    const status = powerDownFlagStatus(conf.powerDownFlag);
    if (status === -1) {
      log.error(`POWERDOWNFLAG (${conf.powerDownFlag}) does not contain the upsmon magic string`);
      return 1;
    }
    if (status === 0) {
      log.error("Power down flag is not set");
      return 1;
    }
    log.info("Power down flag is set");
    return 0;
  }

  if (!isDaemon) {
    if (conf.shutdownCmd === undefined) io.stdout(`Warning: no shutdown command defined${conf.minSupplies < 1 ? ", but that is OK for a monitoring-only client." : "!"}\n`);
    if (conf.notifyCmd === undefined) io.stdout("Warning: no custom notification command defined, just so you know\n");
    if (conf.totalPowerValue < conf.minSupplies) {
      io.stdout("\nFatal error: insufficient power configured!\n\n");
      io.stdout(`Sum of power values........: ${conf.totalPowerValue}\n`);
      io.stdout(`Minimum value (MINSUPPLIES): ${conf.minSupplies}\n`);
      io.stdout("\nEdit your upsmon.conf and change the values.\n");
      return 1;
    }
  }
  // a leftover flag from the last shutdown goes, unless it is not ours
  if (conf.powerDownFlag !== undefined) {
    const status = powerDownFlagStatus(conf.powerDownFlag);
    if (status === -1) {
      log.error(`POWERDOWNFLAG (${conf.powerDownFlag}) does not contain the upsmon magic string (not a NUT file) - disabling!`);
      delete conf.powerDownFlag;
    } else if (status === 1) {
      try {
        unlinkSync(conf.powerDownFlag);
      } catch {
        // gone meanwhile
      }
    }
  }
  const runUser = conf.runAsUser ?? cmd.user ?? RUN_AS_USER;
  if (!cmd.privileged && findSystemUser(runUser) === undefined) {
    io.stderr(`user ${runUser} not found\n`);
    return 1;
  }
  if (cmd.foreground === 0 && !isDaemon) return runInBackground(progname, args, io);

  if (cmd.privileged) {
    log.info("Warning: running as one big root process by request (upsmon -p)");
    writePid(pidFile, process.pid);
    const status = await monitor(
      conf,
      confFile,
      cmd,
      log,
      io,
      async () => {
        if (process.getuid?.() !== 0) log.warning("Not root, shutdown may fail");
        await runShutdownCommand(conf, log, "");
      },
      undefined,
      () => {
        if (!isDaemon) return;
        signalReady((t) => io.stdout(t));
        toSyslog();
      },
    );
    removePid(pidFile);
    return status;
  }
  return runParent(conf, args, log, io, toSyslog);
};

function writePid(file: string, pid: number): void {
  try {
    writeFileSync(file, `${pid}\n`);
  } catch {
    // NUT goes on without its PID file too
  }
}

function removePid(file: string): void {
  try {
    if (existsSync(file)) unlinkSync(file);
  } catch {
    // not ours to remove any more (privileges dropped)
  }
}

/**
 * The privileged parent: starts the monitoring child and waits. A shutdown request from the
 * child writes POWERDOWNFLAG and runs SHUTDOWNCMD as root; the child ending without one is
 * fatal, as in NUT (nothing is shut down then). Reloads cannot change what the parent runs.
 */
async function runParent(conf: UpsmonConf, args: string[], log: StreamNutLog, io: ProgramIo, toSyslog: () => void): Promise<number> {
  for (const signal of ["SIGHUP", "SIGUSR1", "SIGUSR2"] as const) process.on(signal, () => undefined);
  let shutdownAsked = false;
  let done: (() => void) | undefined;
  const shutdownDone = new Promise<void>((resolve) => (done = resolve));
  const fromSource = Bun.main.endsWith(".ts");
  // process.execPath is this binary; /proc/self/exe in case it is not an absolute path
  const self = process.execPath.startsWith("/") ? process.execPath : "/proc/self/exe";
  const child = Bun.spawn(fromSource ? [self, Bun.main, "upsmon", ...args] : [self, ...args], {
    ...(fromSource ? {} : { argv0: "upsmon" }),
    env: { ...io.env, [CHILD_ENV]: "1" } as Record<string, string>,
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
    ipc(message) {
      if ((message as { shutdown?: unknown }).shutdown !== 1 || shutdownAsked) return;
      shutdownAsked = true;
      void runShutdownCommand(conf, log, "parent: ").then(() => {
        child.send({ shutdownDone: 1 });
        done?.();
      });
    },
  });
  if (isBackgroundChild(io.env, "upsmon")) {
    signalReady((t) => io.stdout(t));
    toSyslog();
  }
  // SIGTERM to the parent ends the child with it
  const stop = (): void => child.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  await child.exited;
  if (shutdownAsked) {
    await shutdownDone;
    return 0;
  }
  log.error("upsmon parent: read");
  return 1;
}

/** The monitoring child: PID file, privilege drop, the loop; shutdown goes to the parent. */
async function runChild(confFile: string, pidFile: string, cmd: UpsmonCommandLine, log: StreamNutLog, io: ProgramIo): Promise<number> {
  const conf = loadConf(confFile, log, io);
  if (!conf) return 1;
  if (conf.debugMin !== undefined && conf.debugMin > log.debugLevel) log.debugLevel = conf.debugMin;
  writePid(pidFile, process.pid);
  const user = findSystemUser(conf.runAsUser ?? cmd.user ?? RUN_AS_USER);
  if (user && process.getuid?.() === 0) {
    const err = becomeUser(user);
    if (err !== undefined) {
      io.stderr(`${err}\n`);
      return 1;
    }
  }
  const parent = process.ppid;
  const status = await monitor(conf, confFile, cmd, log, io, () => {
    return new Promise<void>((resolve) => {
      process.on("message", (m) => {
        if ((m as { shutdownDone?: unknown }).shutdownDone === 1) resolve();
      });
      process.send?.({ shutdown: 1 });
      // the parent may be gone: do not wait for ever
      setTimeout(resolve, 60_000).unref();
    });
  }, () => process.ppid === parent);
  removePid(pidFile);
  // the IPC channel would keep this process alive
  process.disconnect?.();
  return status;
}

/** Runs the monitor with signal handling until it stops or has shut down. */
async function monitor(
  conf: UpsmonConf,
  confFile: string,
  cmd: UpsmonCommandLine,
  log: StreamNutLog,
  io: ProgramIo,
  shutdown: () => Promise<void>,
  parentAlive?: () => boolean,
  onStarted?: () => void,
): Promise<number> {
  const notifier = new Notifier(conf, log, io.env);
  let current = conf;
  const upsmon = new Upsmon(conf, {
    log,
    notifier,
    linkFor: (m) => new NutUpsLink(m, current, log, cmd.family),
    now: () => Math.floor(Date.now() / 1000),
    shutdown,
    ...(parentAlive ? { parentAlive } : {}),
  });
  const onStop = (): void => upsmon.requestStop();
  const onFsd = (): void => upsmon.requestFsd();
  const onReload = (): void => {
    const fresh = loadConf(confFile, log, io);
    if (!fresh) {
      log.error("Reload failed: keeping the running configuration");
      return;
    }
    // SHUTDOWNCMD and POWERDOWNFLAG stay as at start-up (the parent holds them)
    current = { ...fresh, ...(conf.shutdownCmd !== undefined ? { shutdownCmd: conf.shutdownCmd } : {}) };
    upsmon.requestReload(current);
  };
  process.on("SIGTERM", onStop);
  process.on("SIGINT", onStop);
  process.on("SIGQUIT", onStop);
  process.on("SIGUSR1", onFsd);
  process.on("SIGHUP", onReload);
  process.on("SIGPIPE", () => log.debug(1, "Signal 13: SIGPIPE"));
  onStarted?.();
  try {
    return await upsmon.run();
  } finally {
    for (const [s, f] of [
      ["SIGTERM", onStop],
      ["SIGINT", onStop],
      ["SIGQUIT", onStop],
      ["SIGUSR1", onFsd],
      ["SIGHUP", onReload],
    ] as const) process.off(s, f);
  }
}
