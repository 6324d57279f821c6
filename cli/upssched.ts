/**
 * `upssched`: upsmon's timer helper (clients/upssched.c), run as NOTIFYCMD with UPSNAME and
 * NOTIFYTYPE in its environment (and, 2.8.5, the notification text as its argument). Reads
 * upssched.conf and carries out every AT that matches the event, in file order: START-TIMER,
 * START-TIMER-SHARED and CANCEL-TIMER through the timer daemon (started on demand), EXECUTE at
 * once. Options and texts are NUT 2.8.5's (`-D`, `-V`, `-h`, `-l`).
 *
 * The same program is the timer daemon when re-run with the daemon's marker in its environment
 * (core/monitor/upssched-daemon-launch.ts).
 *
 * Logging: NUT logs to syslog (and stderr). Without a syslog here, log lines go to stderr only
 * with -D (or NUT_DEBUG_LEVEL / DEBUG_MIN); otherwise the program is quiet except for its fatal
 * errors, which always reach stderr before exit status 1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic } from "../core/config/config-diagnostic.ts";
import { nutStrToInt } from "../core/config/c-numbers.ts";
import { resolveNutPaths } from "../core/config/nut-paths.ts";
import { parseUpsschedConf } from "../core/config/upssched-conf.ts";
import { atMatches } from "../core/monitor/upssched-at-match.ts";
import { UpsschedClientFatal, type UpsschedClientOptions, listUpsschedTimers, sendUpsschedRequest } from "../core/monitor/upssched-client.ts";
import { runCmdScript } from "../core/monitor/upssched-cmdscript.ts";
import { UPSSCHED_DAEMON_ENV, type UpsschedDaemonSettings, readDaemonSettings, spawnUpsschedDaemon } from "../core/monitor/upssched-daemon-launch.ts";
import type { TimerOrigin } from "../core/monitor/upssched-timer-table.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { StreamNutLog } from "../core/system/nut-log.ts";
import { Getopt } from "./getopt.ts";
import { IDLE_GC_TIMER_ENV } from "./idle-gc-timer.ts";
import type { ProgramIo, ProgramMain } from "./program-io.ts";

/** 2.8.5's getopt string. */
const OPTSTRING = "+DVhl";

/** 2.8.5's help() (Linux: man section 8, NUT built with its docs). */
function helpText(prog: string): string {
  return (
    "upssched: upsmon's scheduling helper for offset timers\n" +
    "Practical behavior is managed by UPSNAME and NOTIFYTYPE envvars\n" +
    `\nUsage: ${prog} [OPTIONS] [NOTIFYMSG]\n\n` +
    "  -D\t\traise debugging level (NOTE: keeps reporting when daemonized)\n" +
    "  -V\t\tdisplay the version of this software\n" +
    "  -h\t\tdisplay this help\n" +
    "  -l\t\tdisplay currently pending timers (if any)\n" +
    `\nFor more information please Read The Fine Manual ('man 8 ${prog.toLowerCase()}') and/or see\n` +
    `\thttps://www.networkupstools.org/docs/man/${prog.toLowerCase()}.html\n` +
    "Also check documentation and samples of upsmon.conf\n"
  );
}

/** strerror() of what reading the config file can fail with. */
function strerror(err: unknown): string {
  switch ((err as { code?: unknown } | null)?.code) {
    case "ENOENT":
      return "No such file or directory";
    case "EACCES":
      return "Permission denied";
    case "EISDIR":
      return "Is a directory";
    case "ENOTDIR":
      return "Not a directory";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** Where log lines go: stderr while debugging, nowhere otherwise (see the header). */
class UpsschedLog extends StreamNutLog {
  readonly #io: ProgramIo;
  constructor(io: ProgramIo, debugLevel: number) {
    const self: { log?: StreamNutLog } = {};
    super((text) => {
      if ((self.log?.debugLevel ?? 0) > 0) io.stderr(text);
    }, debugLevel);
    self.log = this;
    this.#io = io;
  }

  /** fatalx(): always on stderr. */
  fatal(message: string): number {
    if (this.debugLevel > 0) this.error(message);
    else this.#io.stderr(`${message}\n`);
    return 1;
  }
}

/** The timer daemon (re-run of this program). */
async function daemonMain(settings: UpsschedDaemonSettings, io: ProgramIo): Promise<number> {
  const { UpsschedDaemon, UpsschedDaemonError } = await import("../core/monitor/upssched-daemon.ts");
  const log = new UpsschedLog(io, settings.debugLevel);
  // open_sock() leaves umask 0007 in place, so CMDSCRIPT inherits it as in NUT
  process.umask(0o007);
  const env: Record<string, string | undefined> = { ...io.env };
  delete env[UPSSCHED_DAEMON_ENV];
  const daemon = new UpsschedDaemon({ pipeFn: settings.pipeFn, lockFn: settings.lockFn, cmdScript: settings.cmdScript, env, log });
  try {
    await daemon.listen();
  } catch (err) {
    if (err instanceof UpsschedDaemonError) return log.fatal(err.message);
    throw err;
  }
  await daemon.stopped;
  log.debug(1, "Timer queue empty, closing pipe and exiting upssched daemon");
  return 0;
}

/** upssched's main(). */
export const main: ProgramMain = async (args, io) => {
  const daemonSettings = readDaemonSettings(io.env);
  if (daemonSettings) return daemonMain(daemonSettings, io);

  const prog = io.name;
  let debugArgs = 0;
  let listTimers = false;
  const log = new UpsschedLog(io, 0);
  const parser = new Getopt(args, OPTSTRING, prog);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    switch (r.opt) {
      case "D":
        debugArgs++;
        log.debugLevel = debugArgs;
        break;
      case "h":
        log.debug(1, `Network UPS Tools version ${UPS_VERSION}`);
        io.stdout(helpText(prog));
        return 0;
      case "l":
        listTimers = true;
        break;
      case "V":
        // 2.8.5 shows only the build details, and those only when debugging
        log.debug(1, `Network UPS Tools version ${UPS_VERSION}`);
        return 0;
      default:
        // NUT prints the getopt() return value, which is "?" for any unknown option
        return log.fatal(`Error: unknown option -${r.opt}. Try -h for help.`);
    }
  }
  let debugLevel = debugArgs;
  const envLevel = nutStrToInt(io.env.NUT_DEBUG_LEVEL ?? "");
  if (envLevel !== undefined && envLevel > 0 && debugArgs < 1) {
    debugLevel = envLevel;
    log.debugLevel = debugLevel;
    log.info(`Defaulting debug verbosity to NUT_DEBUG_LEVEL=${envLevel} since none was requested by command-line options`);
  }
  log.debugLevel = debugLevel;

  const upsName = io.env.UPSNAME;
  const notifyType = io.env.NOTIFYTYPE;
  const message = parser.operands()[0];
  const notifyMsg = message !== undefined && message !== "" ? message : undefined;
  if (!listTimers && (upsName === undefined || notifyType === undefined)) {
    io.stdout("Error: environment variables UPSNAME and NOTIFYTYPE must be set.\nThis program should only be run from upsmon(8).\n");
    return 1;
  }
  log.debug(1, `Handling NOTIFYTYPE='${notifyType ?? "(null)"}' for UPSNAME='${upsName ?? "(null)"}'`);
  log.debug(1, notifyMsg !== undefined ? `Got a NOTIFYMSG from command line: ${notifyMsg}` : "Did not get any NOTIFYMSG from command line");

  const file = join(resolveNutPaths(io.env).confPath, "upssched.conf");
  let text: Uint8Array;
  try {
    text = readFileSync(file);
  } catch (err) {
    return log.fatal(`Can't open ${file}: ${strerror(err)}`);
  }
  const { config, diagnostics } = parseUpsschedConf(text, file);
  if (config.debugMin !== undefined && config.debugMin.value > log.debugLevel) {
    log.debugLevel = config.debugMin.value;
    log.debug(1, `Applying debug_min=${log.debugLevel} from upssched.conf`);
  }
  for (const d of diagnostics) {
    if (d.severity !== "fatal") log.debug(d.severity === "error" ? 1 : 2, formatDiagnostic(d));
  }

  const origin: TimerOrigin = { notifyType: notifyType ?? "", upsName: upsName ?? "", notifyMsg: notifyMsg ?? "" };
  try {
    if (listTimers) {
      const pipeFn = config.pipeFn?.value;
      if (pipeFn === undefined || pipeFn === "") return log.fatal("upssched.conf: invalid configuration for timer listing: lacks PIPEFN");
      io.stdout(await listUpsschedTimers({ pipeFn, lockFn: config.lockFn?.value ?? "", log }, origin));
      return 0;
    }
    const fatal = diagnostics.find((d) => d.severity === "fatal");
    if (fatal !== undefined) {
      // parse_at() complains "both ways in case we don't have a tty"
      io.stdout(`${fatal.message}\n`);
      return log.fatal(fatal.message);
    }
    const cmdScript = config.cmdScript?.value ?? "";
    const pipeFn = config.pipeFn?.value ?? "";
    const lockFn = config.lockFn?.value ?? "";
    const client: UpsschedClientOptions = {
      pipeFn,
      lockFn,
      log,
      // the daemon starts without Bun's idle-GC timer, whether or not this upssched re-executed for it
      spawnDaemon: () => spawnUpsschedDaemon({ pipeFn, lockFn, cmdScript, debugLevel: log.debugLevel }, { ...io.env, [IDLE_GC_TIMER_ENV]: "1" }),
    };
    for (const at of config.at) {
      if (!atMatches(at, { upsName: origin.upsName, notifyType: origin.notifyType })) continue;
      const [arg1 = "", arg2] = at.args;
      log.debug(1, `parse_at: processing ${at.command}\t[${arg1}]\t[${arg2 ?? "(null)"}]\t[${origin.notifyType}]\t[${origin.upsName}]\t[${notifyMsg ?? "(null)"}]`);
      switch (at.command) {
        case "START-TIMER":
          await sendUpsschedRequest(client, "START", arg1, arg2, origin);
          break;
        case "START-TIMER-SHARED":
          await sendUpsschedRequest(client, "START-SHARED", arg1, arg2, origin);
          break;
        case "CANCEL-TIMER":
          await sendUpsschedRequest(client, "CANCEL", arg1, arg2, origin);
          break;
        case "EXECUTE": {
          log.info(`Executing command: ${arg1}`);
          const env: Record<string, string> = {};
          for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
          // the man page's promise (2.8.5 itself passes NOTIFYMSG only to timers)
          if (notifyMsg !== undefined) env.NOTIFYMSG = notifyMsg;
          await runCmdScript(cmdScript, arg1, env, log);
          break;
        }
      }
    }
  } catch (err) {
    if (err instanceof UpsschedClientFatal) return log.fatal(err.message);
    throw err;
  }
  log.debug(1, "Exiting upssched (CLI process)");
  return 0;
};
