/**
 * The upsd program (server/upsd.c main()): banner, NUT 2.8.0's command line (`-c reload|stop`,
 * `-P`, `-D`, `-F`/`-FF`, `-B`, `-u`, `-4`/`-6`, `-h`, `-V`; `-p`/`-i` refused), the
 * already-running probe through the PID file, then start-up in NUT's order (upsd.conf,
 * listeners, privilege drop, STATEPATH, ups.conf, cmdvartab, upsd.users, background and PID
 * file) and the loop until SIGTERM/SIGINT/SIGQUIT, SIGHUP reloading. Background mode re-executes
 * this program detached (Bun cannot fork) and returns once the child reports it is ready.
 */
import { readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveNutPaths } from "../core/config/nut-paths.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { DriverLink } from "../core/server/driver-link.ts";
import { becomeUser, findSystemUser } from "../core/system/system-user.ts";
import { isBackgroundChild as inBackground, runInBackground, signalReady } from "../core/system/background.ts";
import { StreamNutLog } from "../core/system/nut-log.ts";
import { openSyslog } from "../core/system/syslog-writer.ts";
import { Upsd, UpsdFatalError, type UpsSourceFactory } from "../core/server/upsd.ts";
import { alreadyRunningText, parsePid, signalDaemon } from "./daemon-signal.ts";
import { Getopt } from "./getopt.ts";
import type { ProgramIo, ProgramMain } from "./program-io.ts";

/** Debian's compiled-in RUN_AS_USER. */
const RUN_AS_USER = "nut";
/** Set in the environment of the re-executed background process. */

function helpText(progname: string): string {
  return (
    "Network server for UPS data.\n\n" +
    `usage: ${progname} [OPTIONS]\n\n` +
    "  -c <command>\tsend <command> via signal to background process\n" +
    "\t\tcommands:\n" +
    "\t\t - reload: reread configuration files\n" +
    "\t\t - stop: stop process and exit\n" +
    "  -P <pid>\tsend the signal above to specified PID (bypassing PID file)\n" +
    "  -D\t\traise debugging level (and stay foreground by default)\n" +
    "  -F\t\tstay foregrounded even if no debugging is enabled\n" +
    "  -FF\t\tstay foregrounded and still save the PID file\n" +
    "  -B\t\tstay backgrounded even if debugging is bumped\n" +
    "  -h\t\tdisplay this help\n" +
    "  -r <dir>\tchroots to <dir>\n" +
    "  -q\t\traise log level threshold\n" +
    "  -u <user>\tswitch to <user> (if started as root)\n" +
    "  -V\t\tdisplay the version of this software\n" +
    "  -4\t\tIPv4 only\n" +
    "  -6\t\tIPv6 only\n"
  );
}

/** The upsd command line once read. */
interface UpsdCommandLine {
  debug: number;
  /** -1 unset, 0 background, 1 foreground, 2 foreground with PID file. */
  foreground: number;
  user: string;
  chroot?: string;
  signal?: "SIGHUP" | "SIGTERM";
  pid?: number;
  family?: 4 | 6;
}

/** The default UpsSource: a DriverLink on `<STATEPATH>/<driver>-<ups>`. */
const driverLinks: UpsSourceFactory = (spec) =>
  new DriverLink({
    name: spec.name,
    socketPath: join(spec.statePath, spec.socketName),
    socketName: spec.socketName,
    maxAge: spec.settings.maxAge,
    log: (level, message) => spec.log[level](message),
  });

/** upsd's main(). */
export const main: ProgramMain = async (args, io) => {
  const progname = "upsd";
  const isBackgroundChild = inBackground(io.env, progname);
  if (!isBackgroundChild) io.stdout(`Network UPS Tools ${progname} ${UPS_VERSION}\n`);
  const cmd: UpsdCommandLine = { debug: 0, foreground: -1, user: RUN_AS_USER };
  // once the background child is ready its log lines go to syslog, as NUT's background() does
  let logSink = (text: string): void => io.stderr(text);
  const log = new StreamNutLog((text) => logSink(text));
  const parser = new Getopt(args, "+h46p:qr:i:fu:Vc:P:DFB", progname);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    const arg = r.arg ?? "";
    switch (r.opt) {
      case "p":
      case "i":
        io.stderr(
          "Specifying a listening addresses with '-i <address>' and '-p <port>'\n" +
            "is deprecated. Use 'LISTEN <address> [<port>]' in 'upsd.conf' instead.\n" +
            "See 'man 8 upsd.conf' for more information.\n",
        );
        return 1;
      case "q":
        break;
      case "r":
        cmd.chroot = arg;
        break;
      case "u":
        cmd.user = arg;
        break;
      case "V":
        return 0;
      case "c": {
        // strncmp(optarg, "reload", strlen(optarg)): a prefix, the empty one matching both
        let signal: UpsdCommandLine["signal"];
        if ("reload".startsWith(arg)) signal = "SIGHUP";
        if ("stop".startsWith(arg)) signal = "SIGTERM";
        if (signal === undefined) {
          io.stdout(helpText(progname));
          return 0;
        }
        cmd.signal = signal;
        break;
      }
      case "P": {
        const pid = parsePid(arg);
        if (pid < 0) {
          io.stdout(helpText(progname));
          return 0;
        }
        cmd.pid = pid;
        break;
      }
      case "D":
        cmd.debug++;
        break;
      case "F":
        cmd.foreground = cmd.foreground > 0 ? 2 : 1;
        break;
      case "B":
        cmd.foreground = 0;
        break;
      case "4":
        cmd.family = 4;
        break;
      case "6":
        cmd.family = 6;
        break;
      default:
        io.stdout(helpText(progname));
        return 0;
    }
  }
  if (cmd.foreground < 0) cmd.foreground = cmd.debug > 0 ? 1 : 0;
  log.debugLevel = cmd.debug;

  const paths = resolveNutPaths(io.env);
  const pidFile = join(paths.altPidPath, `${progname}.pid`);
  if (cmd.signal !== undefined) {
    const ret = signalDaemon(pidFile, cmd.pid, cmd.signal, log, io);
    return ret === 0 ? 0 : 1;
  }
  if (!isBackgroundChild) {
    const probe = signalDaemon(pidFile, cmd.pid, 0, log, io);
    if (probe === 0) {
      io.stdout(alreadyRunningText("upsd"));
      return 1;
    }
    if (probe === -3 || probe === -2) {
      log.warning(`Could not ${probe === -3 ? "find" : "parse"} PID file '${pidFile}' to see if previous upsd instance is already running!\n`);
    }
  }
  if (parser.operands().length !== 0) {
    io.stdout(helpText(progname));
    return 0;
  }
  if (cmd.foreground === 0 && !isBackgroundChild) return runInBackground(progname, args, io);

  let server: Upsd | undefined;
  let wrotePid = false;
  const handlers: [NodeJS.Signals, () => void][] = [];
  let stopWith: ((signal: number) => void) | undefined;
  const stopped = new Promise<number>((resolve) => {
    stopWith = resolve;
  });
  try {
    const account = findSystemUser(cmd.user);
    if (!account) throw new UpsdFatalError(`user ${cmd.user} not found`);
    if (cmd.chroot !== undefined) throw new UpsdFatalError(`chroot ${cmd.chroot}: not supported by this build`);

    server = new Upsd({ paths, env: io.env, log, sourceFactory: driverLinks, ...(cmd.family !== undefined ? { family: cmd.family } : {}) });
    server.loadUpsdConf();
    await server.listen();
    const becomeError = becomeUser(account);
    if (becomeError !== undefined) throw new UpsdFatalError(becomeError);
    try {
      process.chdir(server.statePath);
    } catch (err) {
      throw new UpsdFatalError(`Can't chdir to ${server.statePath}: ${(err as { code?: string }).code === "ENOENT" ? "No such file or directory" : (err as Error).message}`);
    }
    try {
      if (statSync(server.statePath).mode & 0o005) log.warning(`${server.statePath} is world readable`);
    } catch (err) {
      throw new UpsdFatalError(`stat ${server.statePath}: ${(err as Error).message}`);
    }
    server.loadUpsConf();
    server.loadDescriptions();
    server.loadUsers();

    if (isBackgroundChild || cmd.foreground === 2) {
      if (cmd.foreground === 2) log.warning("Running as foreground process, but saving a PID file anyway");
      try {
        writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o644 });
        wrotePid = true;
      } catch (err) {
        log.notice(`writepid: fopen ${pidFile}: ${(err as Error).message}`);
      }
    } else {
      log.warning("Running as foreground process, not saving a PID file");
    }

    const running = server;
    const onExit = (num: number) => () => stopWith?.(num);
    for (const [sig, num] of [["SIGTERM", 15], ["SIGINT", 2], ["SIGQUIT", 3]] as const) handlers.push([sig, onExit(num)]);
    handlers.push(["SIGHUP", () => running.reload()], ["SIGPIPE", () => undefined]);
    for (const [sig, handler] of handlers) process.on(sig, handler);
    running.loadTls();
    running.start();
    if (isBackgroundChild) {
      signalReady((t) => io.stdout(t));
      logSink = openSyslog(progname, io.env) ?? logSink;
    }

    const signal = await stopped;
    log.info(`Signal ${signal}: exiting`);
    return 0;
  } catch (err) {
    if (err instanceof UpsdFatalError) {
      log.error(err.message);
      return 1;
    }
    log.error(`Fatal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    for (const [sig, handler] of handlers) process.off(sig, handler);
    await server?.stop();
    if (wrotePid) {
      try {
        unlinkSync(pidFile);
      } catch {
        // already gone
      }
    }
  }
};
