/**
 * `upslog`: NUT 2.8.0's clients/upslog.c — `upslog -s <ups> -l <file|-> [-i <sec>] [-f <format>]
 * [-u <user>] [-p <pidbase>] [-F|-B]` and the old positional form `upslog <ups> <file>
 * <interval> [<format words>…]` — plus NUT 2.8.1+'s `-m <ups>,<file>` tuples (several UPSes in
 * one process, `*` for every UPS of a server, a file shared by tuples opened once; the single-UPS
 * options join the list as in 2.8.3+). Banner, help, messages, exit codes and the order of
 * start-up are 2.8.0's: split the UPS name, connect trying STARTTLS (a failure only warns), open
 * the log file, look the user up, go to the background unless logging to stdout (or -F), write
 * the PID file (`<NUT_PIDPATH or /run/nut>/<pidbase>.pid`, or `-p /absolute/path`), drop
 * privileges, log until SIGINT/SIGQUIT/SIGTERM. `%TIME%` without a format, which crashes 2.8.0,
 * prints INVALID.
 */
import { writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import type { NutClient } from "../core/client/nut-client.ts";
import { NSS_INIT_LOG, tlsFailureLog, tlsSessionLog } from "../core/client/upscli-tls-log.ts";
import { compileUpslogFormat, DEFAULT_UPSLOG_FORMAT, positionalUpslogFormat } from "../core/client/upslog-format.ts";
import { fileErrorText, UpslogFileError, UpslogLogFile } from "../core/client/upslog-log-file.ts";
import { type UpslogSystem, UpslogMonitor } from "../core/client/upslog-monitor.ts";
import { cAtoi } from "../core/config/c-numbers.ts";
import { resolveNutPaths } from "../core/config/nut-paths.ts";
import { parseUpsSystemName } from "../core/config/ups-system-name.ts";
import { UpscliError } from "../core/protocol/net-error.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { isBackgroundChild, runInBackground, signalReady } from "../core/system/background.ts";
import { LocalTimeZone } from "../core/system/local-time.ts";
import { becomeUser, findSystemUser } from "../core/system/system-user.ts";
import { Getopt } from "./getopt.ts";
import type { ProgramIo, ProgramMain } from "./program-io.ts";

/** The network client's module, loaded once the command line is read (`-h` never needs it). */
type NutClientClass = typeof NutClient;

/** 2.8.0's getopt string, with 2.8.1's `m:`. */
const OPTSTRING = "+hs:l:i:f:u:Vp:FBm:";
/** Debian's compiled-in RUN_AS_USER. */
const RUN_AS_USER = "nut";
const INVALID_UPS = "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n";
const TUPLE_ERROR = "Argument '-m upsspec,logfile' requires exactly 2 components in the tuple";

function helpText(prog: string): string {
  return (
    "UPS status logger.\n" +
    `\nusage: ${prog} [OPTIONS]\n` +
    "\n" +
    "  -f <format>\t- Log format.  See below for details.\n" +
    '\t\t- Use -f "<format>" so your shell doesn\'t break it up.\n' +
    "  -i <interval>\t- Time between updates, in seconds\n" +
    "  -l <logfile>\t- Log file name, or - for stdout (foreground by default)\n" +
    "  -F\t\t- stay foregrounded even if logging into a file\n" +
    "  -B\t\t- stay backgrounded even if logging to stdout\n" +
    `  -p <pidbase>  - Base name for PID file (defaults to "${prog}")\n` +
    "  -s <ups>\t- Monitor UPS <ups> - <upsname>@<host>[:<port>]\n" +
    "        \t- Example: -s myups@server\n" +
    "  -u <user>\t- Switch to <user> if started as root\n" +
    "\n" +
    "Some valid format string escapes:\n" +
    "\t%% insert a single %\n" +
    "\t%TIME format% insert the time with strftime formatting\n" +
    "\t%HOST% insert the local hostname\n" +
    "\t%UPSHOST% insert the host of the ups being monitored\n" +
    "\t%PID% insert the pid of upslog\n" +
    "\t%VAR varname% insert the value of ups variable varname\n\n" +
    "format string defaults to:\n" +
    `${DEFAULT_UPSLOG_FORMAT}\n` +
    "\n" +
    "See the upslog(8) man page for more information.\n"
  );
}

/** A fatalx(): the message for stderr, exit status 1. */
class UpslogFatal extends Error {}

/** One `ups,logfile` pair, from `-m` or from `-s`/`-l`. */
interface LogSpec {
  ups: string;
  logfile: string;
}

/** The command line once read. */
interface UpslogCommandLine {
  specs: LogSpec[];
  interval: number;
  format: string;
  user: string;
  pidBase: string;
  /** -1 unset, 0 background (-B), 1 foreground (-F). */
  foreground: number;
}

/** Reads the command line; undefined when help was printed (exit 0) or -V given. */
function readCommandLine(args: string[], prog: string, io: ProgramIo, say: (text: string) => void, warn: (text: string) => void): UpslogCommandLine | undefined {
  let monhost: string | undefined;
  let logfn: string | undefined;
  const cmd: UpslogCommandLine = { specs: [], interval: 30, format: DEFAULT_UPSLOG_FORMAT, user: RUN_AS_USER, pidBase: prog, foreground: -1 };
  const parser = new Getopt(args, OPTSTRING, io.name);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) warn(r.error);
    const arg = r.arg ?? "";
    switch (r.opt) {
      case "h":
        say(helpText(prog));
        return undefined;
      case "m": {
        // strsep(&arg, ","): exactly one comma
        const parts = arg.split(",");
        if (parts.length !== 2) throw new UpslogFatal(TUPLE_ERROR);
        cmd.specs.push({ ups: parts[0]!, logfile: parts[1]! });
        break;
      }
      case "s":
        monhost = arg;
        break;
      case "l":
        logfn = arg;
        break;
      case "i":
        cmd.interval = cAtoi(arg);
        break;
      case "f":
        cmd.format = arg;
        break;
      case "u":
        cmd.user = arg;
        break;
      case "V":
        return undefined;
      case "p":
        cmd.pidBase = arg;
        break;
      case "F":
        cmd.foreground = 1;
        break;
      case "B":
        cmd.foreground = 0;
        break;
      default:
        // unknown options and missing arguments are ignored (after getopt's message)
        break;
    }
  }
  const operands = parser.operands();
  if (operands.length === 1 || operands.length === 2) {
    say(helpText(prog));
    return undefined;
  }
  if (operands.length >= 3) {
    monhost = operands[0]!;
    logfn = operands[1]!;
    cmd.interval = cAtoi(operands[2]!);
  }
  if (operands.length >= 4) cmd.format = positionalUpslogFormat(operands.slice(3));
  if (monhost !== undefined || logfn !== undefined || cmd.specs.length === 0) {
    if (monhost === undefined) throw new UpslogFatal("No UPS defined for monitoring - use -s <system>");
    if (logfn === undefined) throw new UpslogFatal("No filename defined for logging - use -l <file>");
    cmd.specs.push({ ups: monhost, logfile: logfn });
  }
  return cmd;
}

/** upscli_connect() with TRYSSL, logging on stderr what Debian's libupsclient logs. */
class InitialConnector {
  #nssInitialized = false;
  readonly #client: NutClientClass;
  readonly #warn: (text: string) => void;

  constructor(client: NutClientClass, warn: (text: string) => void) {
    this.#client = client;
    this.#warn = warn;
  }

  async connect(host: string, port: number): Promise<NutClient> {
    let reachedTls = false;
    try {
      const client = await this.#client.connect({
        host,
        port,
        tls: { mode: "try" },
        onConnected: () => {
          reachedTls = true;
          if (!this.#nssInitialized) this.#warn(NSS_INIT_LOG);
          this.#nssInitialized = true;
        },
      });
      if (client.ssl) this.#warn(tlsSessionLog(host));
      return client;
    } catch (err) {
      if (reachedTls) this.#warn(tlsFailureLog(err, host));
      throw err;
    }
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A `*` UPS name: every UPS the server lists (NUT 2.8.3+), as `<ups>@<host>:<port>`. */
async function expandWildcard(host: string, port: number, connector: InitialConnector, warn: (text: string) => void): Promise<string[]> {
  warn(`Querying ${host}:${port} for currently served devices\n`);
  let client: NutClient;
  try {
    client = await connector.connect(host, port);
  } catch (err) {
    throw new UpslogFatal(`Error: ${messageOf(err)}`);
  }
  try {
    const upses = await client.listUps();
    if (upses.length === 0) warn(`Data server at ${host}:${port} does not currently serve any devices\n`);
    return upses.map((u) => `${u.name}@${host}:${port}`);
  } catch (err) {
    if (err instanceof UpscliError && err.code === "UNKCOMMAND") throw new UpslogFatal("Error: upsd is too old to support this query");
    throw new UpslogFatal(`Error: ${messageOf(err)}`);
  } finally {
    await client.close();
  }
}

/** upslog's main(). */
export const main: ProgramMain = async (args, io) => {
  const prog = basename(io.name);
  const child = isBackgroundChild(io.env, prog);
  // the background child repeats the start-up silently: its parent has printed all of it
  const say = child ? () => undefined : (text: string) => io.stdout(text);
  const warn = child ? () => undefined : (text: string) => io.stderr(text);
  say(`Network UPS Tools ${prog} ${UPS_VERSION}\n`);

  const systems: UpslogSystem[] = [];
  const files = new Map<string, UpslogLogFile>();
  const handlers: [NodeJS.Signals, () => void][] = [];
  let monitor: UpslogMonitor | undefined;
  const closeAll = async (): Promise<void> => {
    for (const file of files.values()) file.close();
    await Promise.all(systems.map((s) => s.client?.close()));
  };
  try {
    const cmd = readCommandLine(args, prog, io, say, warn);
    if (cmd === undefined) return 0;

    const { NutClient: client } = await import("../core/client/nut-client.ts");
    const connector = new InitialConnector(client, warn);
    const writeStdout = (bytes: Uint8Array): void => io.stdout(new TextDecoder().decode(bytes));
    const queue = [...cmd.specs];
    for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
      const name = parseUpsSystemName(spec.ups);
      if (name.ok && name.upsname === "*") {
        const found = await expandWildcard(name.host, name.port, connector, warn);
        queue.unshift(...found.map((ups) => ({ ups, logfile: spec.logfile })));
        continue;
      }
      say(`logging status of ${spec.ups} to ${spec.logfile} (${cmd.interval}s intervals)\n`);
      if (!name.ok) {
        warn(`${name.error}\n`);
        throw new UpslogFatal(INVALID_UPS);
      }
      const system: UpslogSystem = {
        spec: spec.ups,
        upsname: name.upsname,
        host: name.host,
        port: name.port,
        logFile: files.get(spec.logfile) ?? new UpslogLogFile(spec.logfile, writeStdout),
      };
      systems.push(system);
      try {
        system.client = await connector.connect(name.host, name.port);
      } catch (err) {
        warn(`Warning: initial connect failed: ${messageOf(err)}\n`);
      }
      files.set(spec.logfile, system.logFile);
      system.logFile.open();
    }
    if (systems.length === 0) throw new UpslogFatal("Queries failed to find anything");

    const account = findSystemUser(cmd.user);
    if (account === undefined) throw new UpslogFatal(`user ${cmd.user} not found`);

    const foreground = cmd.foreground >= 0 ? cmd.foreground === 1 : [...files.values()].some((f) => f.isStdout);
    if (!foreground && !child) {
      await closeAll();
      return await runInBackground(prog, args, io);
    }

    const timeZone = LocalTimeZone.fromEnvironment(io.env);
    monitor = new UpslogMonitor({
      systems,
      format: compileUpslogFormat(cmd.format),
      interval: cmd.interval,
      pid: process.pid,
      timeZone,
      hostname,
      log: (message) => warn(`${message}\n`),
      // 2.8.0 reconnects without STARTTLS
      connect: (system) => client.connect({ host: system.host, port: system.port }),
    });
    const running = monitor;
    for (const [sig, num] of [["SIGINT", 2], ["SIGQUIT", 3], ["SIGTERM", 15]] as const) handlers.push([sig, () => running.requestExit(num)]);
    handlers.push(["SIGHUP", () => running.requestReopen(1)], ["SIGUSR1", () => running.wake()], ["SIGPIPE", () => undefined]);
    for (const [sig, handler] of handlers) process.on(sig, handler);

    const pidFile = cmd.pidBase.startsWith("/") ? cmd.pidBase : join(resolveNutPaths(io.env).pidPath, `${cmd.pidBase}.pid`);
    try {
      writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o644 });
    } catch (err) {
      warn(`writepid: fopen ${pidFile}: ${fileErrorText(err)}\n`);
    }
    const becomeError = becomeUser(account);
    if (becomeError !== undefined) throw new UpslogFatal(becomeError);
    if (child) signalReady((text) => io.stdout(text));

    await running.run();
    return 0;
  } catch (err) {
    if (err instanceof UpslogFatal || err instanceof UpslogFileError) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    for (const [sig, handler] of handlers) process.off(sig, handler);
    if (monitor) await monitor.close();
    else await closeAll();
  }
};
