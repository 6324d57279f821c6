/**
 * upsdrvctl as NUT 2.8.0 behaves (drivers/upsdrvctl.c, common/upsconf.c, common/common.c):
 * reads ups.conf its own way, then starts, stops or shuts down the drivers one after another,
 * with 2.8.0's messages, their order, and its exit status. The program front
 * (cli/upsdrvctl.ts) parses the command line; everything here goes through an
 * {@link UpsdrvctlHost}, so that spawning, signals, files and time can be replaced in tests.
 *
 * Faithful to details a script or a log reader can see:
 * - the log lines and `[D<n>]` debug lines of common.c (with the `%4.0f.%06ld<TAB>` elapsed-time
 *   prefix once debugging is on) on stderr, and the stdout of a C program (fully buffered when
 *   not a terminal, so drivers' own output comes before upsdrvctl's banner in a pipe);
 * - the ups.conf reading of upsdrvctl.c do_upsconf_args(): the first line of a section only
 *   creates it (a `sdorder` or `maxstartdelay` there is lost), the table is in order of first
 *   entry, sdorder passes run 0…max (-1 never);
 * - errno as the C program carries it from call to call (`Stopping … failed: Success` or
 *   `Invalid argument` after glibc's perror()), see {@link Errno}.
 */
import { readFileSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { cAtoi, parseCLong } from "../../core/config/c-numbers.ts";
import { tokenizeConfig } from "../../core/config/tokenizer.ts";
import type { CStdoutBuffer } from "../../core/system/c-stdio.ts";

// ---------------------------------------------------------------------------------------------
// C runtime pieces: strerror(), stdio buffering, common.c's logging

/** glibc's strerror() texts for the errno names Node reports (the ones these calls can meet). */
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  E2BIG: "Argument list too long",
  ENOEXEC: "Exec format error",
  EBADF: "Bad file descriptor",
  ECHILD: "No child processes",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "Too many open files",
  ETXTBSY: "Text file busy",
  EFBIG: "File too large",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  EMLINK: "Too many links",
  ERANGE: "Numerical result out of range",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  EOVERFLOW: "Value too large for defined data type",
  ELIBBAD: "Accessing a corrupted shared library",
};

/** An errno value by its symbolic name; "0" is no error. */
type Errno = string;

function strerror(errno: Errno): string {
  if (errno === "0") return "Success";
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

/** The errno name of a thrown Node/Bun system error. */
function errnoOf(e: unknown): Errno {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "EIO";
}

/** C's snprintf() into `char buf[size]`: at most size-1 characters survive. */
function cBuf(text: string, size: number): string {
  return text.length < size ? text : text.slice(0, size - 1);
}

/** SMALLBUF and LARGEBUF of NUT's common.h. */
const SMALLBUF = 512;
const LARGEBUF = 4096;

/**
 * common.c's logging to stderr: upslogx(), upslog_with_errno(), upsdebugx(), fatalx() and the
 * elapsed-time prefix printed before every line once the debug level is above 0. Also tracks
 * whether stderr has been written through stdio yet, which decides what perror() does to errno.
 */
export class NutLog {
  /** nut_debug_level. */
  level = 0;
  /** Set once stdio has written to stderr (its orientation is fixed from then on). */
  stderrUsed = false;
  readonly #write: (text: string) => void;
  readonly #micros: () => number;
  #start: number | undefined;

  constructor(write: (text: string) => void, micros: () => number) {
    this.#write = write;
    this.#micros = micros;
  }

  /** upslogx(). */
  logx(message: string): void {
    let prefix = "";
    if (this.level > 0) {
      const now = Math.floor(this.#micros());
      this.#start ??= now;
      const elapsed = now - this.#start;
      const seconds = Math.floor(elapsed / 1e6);
      prefix = `${String(seconds).padStart(4)}.${String(elapsed - seconds * 1e6).padStart(6, "0")}\t`;
    }
    this.stderrUsed = true;
    this.#write(`${prefix}${cBuf(message, LARGEBUF)}\n`);
  }

  /** upslog_with_errno(): the message, then `: <strerror(errno)>`. */
  logErrno(message: string, errno: Errno): void {
    this.logx(cBuf(`${cBuf(message, LARGEBUF)}: ${strerror(errno)}`, LARGEBUF));
  }

  /** upsdebugx(): only at this debug level or above, tagged `[D<level>] `. */
  debugx(level: number, message: string): void {
    if (this.level < level) return;
    this.logx(level > 0 ? `[D${level}] ${message}` : message);
  }

  /** perror(): `<s>: <strerror>` straight to stderr, never with the time prefix. */
  perror(s: string, errno: Errno): void {
    this.stderrUsed = true;
    this.#write(`${s}: ${strerror(errno)}\n`);
  }
}

/** fatalx() / fatal_with_errno(): unwinds to the top, where the exit status is returned. */
class FatalExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

// ---------------------------------------------------------------------------------------------
// ups.conf as upsdrvctl reads it

/** One UPS as upsdrvctl 2.8.0 keeps it (its ups_t). */
export interface UpsdrvctlUps {
  name: string;
  /** Absent when the section never set it (C prints "(null)" then). */
  driver?: string;
  port?: string;
  sdorder: number;
  /** -1: use the global value. */
  maxstartdelay: number;
}

/** What upsdrvctl 2.8.0 takes from ups.conf. */
export interface UpsdrvctlConfig {
  /** In order of each section's first entry line. */
  ups: UpsdrvctlUps[];
  maxsdorder: number;
  maxstartdelay: number;
  maxretry: number;
  retrydelay: number;
  /** False when the global `nowait` flag is present. */
  waitForDrivers: boolean;
  driverpath?: string;
}

/** The outcome of reading ups.conf: the table, and the lines 2.8.0 logs while reading. */
export interface UpsdrvctlConfigRead {
  config: UpsdrvctlConfig;
  /** `Parse error: <file>:<line>: <why>` lines, in file order. */
  parseErrors: string[];
  /**
   * A line on which 2.8.0 dereferences a NULL value and crashes (e.g. a bare `driver` or
   * `maxretry` line); nothing after it is read.
   */
  crash?: { line: number; key: string };
}

/** Keys whose value 2.8.0 uses without checking for NULL, at global level and in a section. */
const GLOBAL_VALUE_KEYS = new Set(["maxstartdelay", "driverpath", "maxretry", "retrydelay"]);

/**
 * Reads ups.conf text as upsdrvctl 2.8.0 does (common/upsconf.c conf_args() calling
 * upsdrvctl.c do_upsconf_args()); `file` names it in parse errors.
 */
export function readUpsdrvctlConfig(input: Uint8Array | string, file: string): UpsdrvctlConfigRead {
  const config: UpsdrvctlConfig = { ups: [], maxsdorder: 0, maxstartdelay: 45, maxretry: 1, retrydelay: 5, waitForDrivers: true };
  const parseErrors: string[] = [];
  let section: string | undefined;
  for (const line of tokenizeConfig(input).lines) {
    if (line.error !== undefined) {
      parseErrors.push(`Parse error: ${file}:${line.nutLine}: ${line.error}`);
      continue;
    }
    const words = line.words;
    const first = words[0];
    if (first === undefined) continue;
    // a header is a first word with "[" first and "]" last (so "[" alone is not one)
    if (first.length >= 2 && first.startsWith("[") && first.endsWith("]")) {
      section = first.slice(1, -1);
      continue;
    }
    let value: string | undefined;
    if (words.length === 1) value = undefined;
    else if (words.length >= 3 && words[1] === "=") value = words[2];
    else continue;
    const crashed = applyEntry(config, section, first, value);
    if (crashed) return { config, parseErrors, crash: { line: line.line, key: first } };
  }
  return { config, parseErrors };
}

/** do_upsconf_args(); returns true where 2.8.0 would crash on a NULL value. */
function applyEntry(config: UpsdrvctlConfig, section: string | undefined, key: string, value: string | undefined): boolean {
  if (section === undefined) {
    if (GLOBAL_VALUE_KEYS.has(key) && value === undefined) return true;
    if (key === "maxstartdelay") config.maxstartdelay = cAtoi(value!);
    if (key === "driverpath") config.driverpath = value!;
    if (key === "maxretry") config.maxretry = cAtoi(value!);
    if (key === "retrydelay") config.retrydelay = cAtoi(value!);
    if (key === "nowait") config.waitForDrivers = false;
    return false;
  }
  const existing = config.ups.find((u) => u.name === section);
  if (existing === undefined) {
    // the first entry of a section creates it and is looked at for driver and port only
    const ups: UpsdrvctlUps = { name: section, sdorder: 0, maxstartdelay: -1 };
    if ((key === "driver" || key === "port") && value === undefined) return true;
    if (key === "driver") ups.driver = value!;
    if (key === "port") ups.port = value!;
    config.ups.push(ups);
    return false;
  }
  if ((key === "driver" || key === "port" || key === "maxstartdelay" || key === "sdorder") && value === undefined) return true;
  if (key === "driver") existing.driver = value!;
  if (key === "port") existing.port = value!;
  if (key === "maxstartdelay") existing.maxstartdelay = cAtoi(value!);
  if (key === "sdorder") {
    existing.sdorder = cAtoi(value!);
    if (existing.sdorder > config.maxsdorder) config.maxsdorder = existing.sdorder;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The host: everything upsdrvctl does to the system

/** How to run one driver program. */
export interface DriverCommand {
  /** The file executed. */
  file: string;
  /** argv[0] the program sees, when not `file`. */
  argv0?: string;
  /** Words between argv[0] and the driver arguments (`<script> <driver>` for `bun cli/main.ts`). */
  leading: string[];
  /** How the command is shown in the `exec:` debug line (a runnable equivalent). */
  shown: string;
}

/** A started driver process. */
export interface RunningDriver {
  /** Resolves when the process ends: its exit status, or the signal that killed it. */
  readonly exited: Promise<{ status: number | null; signal: string | null }>;
  /** Lets upsdrvctl end without waiting for this process (it was left running, as in C). */
  unref(): void;
}

/** The system as upsdrvctl uses it. */
export interface UpsdrvctlHost {
  /** upsdrvctl's own stdout, with C stdio buffering. */
  readonly stdout: CStdoutBuffer;
  /** Unbuffered stderr. */
  stderr(text: string): void;
  /** A clock in microseconds (for the debug time prefix). */
  micros(): number;
  /** CONFPATH (ups.conf is read there) and ALTPIDPATH (the drivers' PID files). */
  readonly confPath: string;
  readonly altPidPath: string;
  /** Reads a whole file; throws a Node system error (with `code`) on failure. */
  readFile(path: string): Uint8Array;
  /** stat(); throws a Node system error on failure. */
  stat(path: string): void;
  /** fork() + execv(); throws a Node system error when the program cannot be executed. */
  spawn(command: DriverCommand, args: readonly string[]): RunningDriver;
  /** kill(); throws a Node system error (ESRCH, EPERM) on failure. */
  kill(pid: number, signal: number): void;
  /** sleep() in seconds. */
  sleep(seconds: number): Promise<void>;
  /** Whether fd 2 is open read-write (a terminal): then glibc's first perror() keeps errno. */
  readonly stderrReadWrite: boolean;
  /**
   * The program for `driver` when ups.conf has no `driverpath`: this multicall binary, or,
   * when it has no driver of that name, the path to name in the "Can't start" message.
   */
  ownDriver(driver: string): DriverCommand | { missing: string };
}

// ---------------------------------------------------------------------------------------------
// The program

/** The command line, as the front parsed it (upsdrvctl.c main()). */
export interface UpsdrvctlRequest {
  /** argv[optind]: start, stop or shutdown (anything else is reported here). */
  command: string;
  /** argv[optind + 1], when given; further words are ignored, as 2.8.0 does. */
  upsName?: string;
  /** -t */
  testMode: boolean;
  /** Number of -D. */
  debugLevel: number;
  /** -d */
  debugPassthrough: boolean;
  /** -r */
  chroot?: string;
  /** -u */
  user?: string;
  /** 2.8.5's -B (0), -F (1), -FF (2), passed to started drivers; absent: none given. */
  foreground?: 0 | 1 | 2;
}

const DEBUG_NOTICE =
  "\n" +
  "If you're not a NUT core developer, chances are that you're told to enable debugging\n" +
  "to see why a driver isn't working for you. We're sorry for the confusion, but this is\n" +
  "the 'upsdrvctl' wrapper, not the driver you're interested in.\n\n" +
  "Below you'll find one or more lines starting with 'exec:' followed by an absolute\n" +
  "path to the driver binary and some command line option. This is what the driver\n" +
  "starts and you need to copy and paste that line and append the debug flags to that\n" +
  "line (less the 'exec:' prefix).\n\n" +
  "Alternately, provide an additional '-d' (lower-case) parameter to 'upsdrvctl' to\n" +
  "pass its current debug level to the launched driver.\n";

const SIGTERM = 15;
const INT_MAX = 2147483647n;

type Command = "start" | "stop" | "shutdown";

/** One run of upsdrvctl after its options: the state upsdrvctl.c keeps in globals. */
class Controller {
  readonly log: NutLog;
  /** exec_error: failures counted so far. */
  execError = 0;
  /** errno, as it survives from one C library call to the next. */
  errno: Errno = "0";
  /** With -F/-FF and one driver, 2.8.5 execs it: its status becomes upsdrvctl's. */
  foregroundStatus: number | undefined;
  config!: UpsdrvctlConfig;

  constructor(
    readonly host: UpsdrvctlHost,
    readonly request: UpsdrvctlRequest,
  ) {
    this.log = new NutLog((text) => host.stderr(text), () => host.micros());
    this.log.level = request.debugLevel;
  }

  fatal(message: string): never {
    this.log.logx(message);
    throw new FatalExit(1);
  }

  fatalErrno(message: string, errno: Errno): never {
    // fatal_with_errno(): ": strerror" only when errno > 0
    if (errno === "0") this.log.logx(message);
    else this.log.logErrno(message, errno);
    throw new FatalExit(1);
  }

  /** read_upsconf(). */
  readConfig(): void {
    const file = cBuf(`${this.host.confPath}/ups.conf`, SMALLBUF);
    let bytes: Uint8Array;
    try {
      bytes = this.host.readFile(file);
    } catch (e) {
      const errno = errnoOf(e);
      // fopen() opens a directory for reading; the reads then fail and the file looks empty
      if (errno !== "EISDIR") this.fatal(`Can't open ${file}: ${cBuf(`Can't open ${file}: ${strerror(errno)}`, 256)}`);
      bytes = new Uint8Array();
    }
    const read = readUpsdrvctlConfig(bytes, file);
    for (const line of read.parseErrors) this.log.logx(line);
    if (read.crash !== undefined) {
      // 2.8.0 dereferences NULL here and dies of SIGSEGV; we say why instead
      this.fatal(`Fatal error: ${file}:${read.crash.line}: "${read.crash.key}" needs a value (NUT 2.8.0's upsdrvctl crashes on this line)`);
    }
    this.config = read.config;
  }

  /** The program for a UPS's driver, and the path stat()ed before starting it. */
  driverProgram(ups: UpsdrvctlUps): { command: DriverCommand; statPath: string; missing?: Errno } {
    const driver = ups.driver ?? "(null)";
    const { driverpath } = this.config;
    if (driverpath !== undefined) {
      const file = cBuf(`${driverpath}/${driver}`, SMALLBUF);
      return { command: { file, leading: [], shown: file }, statPath: file };
    }
    const own = this.host.ownDriver(driver);
    if (!("missing" in own)) return { command: own, statPath: own.file };
    // not a driver of this binary: reported as a missing driver file, as NUT would
    const file = cBuf(own.missing, SMALLBUF);
    return { command: { file, leading: [], shown: file }, statPath: file, missing: "ENOENT" };
  }

  /** debugcmdline(). */
  debugCommand(level: number, command: DriverCommand, args: readonly string[]): void {
    let line = "exec: ";
    for (const word of [command.shown, ...args]) line = cBuf(`${line} ${word}`, LARGEBUF);
    this.log.debugx(level, line);
  }

  /** forkexec(): runs the driver and, unless told not to, waits for it to return. */
  async forkexec(ups: UpsdrvctlUps, command: DriverCommand, args: readonly string[], startsOne: boolean): Promise<void> {
    let child: RunningDriver;
    try {
      child = this.host.spawn(command, args);
    } catch (e) {
      // execv() failed in the forked child: it logs, exits 1 and so flushes its copy of the
      // parent's stdout buffer (Debian's upsdrvctl then prints its banner twice)
      const errno = errnoOf(e);
      this.log.logErrno("execv", errno);
      this.host.stdout.writeThrough(this.host.stdout.pending());
      child = { exited: Promise.resolve({ status: 1, signal: null }), unref: () => {} };
    }

    if (!this.config.waitForDrivers) {
      this.log.debugx(2, "'nowait' set, continuing...");
      child.unref();
      return;
    }
    const foreground = this.request.foreground;
    if (foreground !== undefined && foreground > 0) {
      if (!startsOne) {
        // upsdrvctl.c 2.8.5: a foregrounded driver never detaches, so it is not waited for
        this.log.debugx(1, "Starting driver with explicitly requested foregrounding mode: will not wait for it to fork and detach, continuing...");
        child.unref();
        return;
      }
      // 2.8.5 execs the only driver in place of itself: we wait for it, and take its status
      const end = await child.exited;
      this.foregroundStatus = end.status ?? 128 + signalNumber(end.signal);
      return;
    }

    // alarm(): a section's own maxstartdelay wins; 0 or a negative value means no timer
    const delay = ups.maxstartdelay !== -1 ? ups.maxstartdelay : this.config.maxstartdelay;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      if (delay > 0) timer = setTimeout(() => resolve("timeout"), timerMs(delay));
    });
    const end = await Promise.race([child.exited, timeout]);
    if (timer !== undefined) clearTimeout(timer);
    if (end === "timeout") {
      this.log.logx("Startup timer elapsed, continuing...");
      child.unref();
      this.execError++;
      return;
    }
    if (end.status === null) {
      this.log.logx("Driver exited abnormally");
      this.execError++;
      return;
    }
    if (end.status !== 0) {
      this.log.logx(`Driver failed to start (exit status=${end.status})`);
      this.execError++;
    }
  }

  /** start_driver(). */
  async startDriver(ups: UpsdrvctlUps, startsOne: boolean): Promise<void> {
    this.log.debugx(1, `Starting UPS: ${ups.name}`);
    const program = this.driverProgram(ups);
    try {
      if (program.missing !== undefined) throw Object.assign(new Error(program.missing), { code: program.missing });
      this.host.stat(program.statPath);
    } catch (e) {
      this.fatalErrno(`Can't start ${program.statPath}`, errnoOf(e));
    }

    const args: string[] = [];
    const { debugPassthrough, chroot, user, foreground } = this.request;
    // nut_debug_level, which -t has raised to 2 at least
    const debugLevel = this.log.level;
    if (debugPassthrough && debugLevel > 0) {
      // dbg[SMALLBUF]: "-" and at most 510 D's
      let count = debugLevel;
      if (debugLevel + 1 >= SMALLBUF - 1) {
        count = SMALLBUF - 2;
        this.log.debugx(1, `Requested debugging level ${debugLevel} is too high for pass-through args, truncated to ${count}`);
      }
      args.push(`-${"D".repeat(count)}`);
    }
    if (foreground !== undefined) args.push(["-B", "-F", "-FF"][foreground]!);
    args.push("-a", ups.name);
    if (chroot !== undefined) args.push("-r", chroot);
    if (user !== undefined) args.push("-u", user);

    const initialExecError = this.execError;
    let attempts = this.config.maxretry;
    while (attempts > 0) {
      const before = this.execError;
      this.log.debugx(2, `${attempts} remaining attempts`);
      this.debugCommand(2, program.command, args);
      attempts--;
      if (!this.request.testMode) await this.forkexec(ups, program.command, args, startsOne);
      if (before === this.execError) {
        // a success forgets the failed attempts before it
        attempts = 0;
        this.execError = initialExecError;
      } else if (attempts > 0 && this.config.retrydelay >= 0) {
        await this.host.sleep(this.config.retrydelay);
      }
    }
  }

  /** shutdown_driver(): `<driver> -a <ups> -k [-r dir] [-u user]`, no retries, never -D. */
  async shutdownDriver(ups: UpsdrvctlUps): Promise<void> {
    this.log.debugx(1, `Shutdown UPS: ${ups.name}`);
    const program = this.driverProgram(ups);
    const args = ["-a", ups.name, "-k"];
    if (this.request.chroot !== undefined) args.push("-r", this.request.chroot);
    if (this.request.user !== undefined) args.push("-u", this.request.user);
    this.debugCommand(2, program.command, args);
    if (!this.request.testMode) await this.forkexec(ups, program.command, args, false);
  }

  /** stop_driver(): SIGTERM to the PID in `<altpidpath>/<driver>-<ups>.pid` (or `-<port basename>`). */
  stopDriver(ups: UpsdrvctlUps): void {
    this.log.debugx(1, `Stopping UPS: ${ups.name}`);
    const driver = ups.driver ?? "(null)";
    let pidFile = cBuf(`${this.host.altPidPath}/${driver}-${ups.name}.pid`, SMALLBUF);
    let found = this.statPid(pidFile);
    if (!found && ups.port !== undefined) {
      this.log.logErrno(`Can't open ${pidFile}`, this.errno);
      pidFile = cBuf(`${this.host.altPidPath}/${driver}-${xbasename(ups.port)}.pid`, SMALLBUF);
      found = this.statPid(pidFile);
    }
    if (!found) {
      this.log.logErrno(`Can't open ${pidFile} either`, this.errno);
      this.execError++;
      return;
    }
    this.log.debugx(2, `Sending signal to ${pidFile}`);
    if (this.request.testMode) return;
    if (this.sendSignalFile(pidFile, SIGTERM) < 0) {
      this.log.logErrno(`Stopping ${pidFile} failed`, this.errno);
      this.execError++;
    }
  }

  statPid(path: string): boolean {
    try {
      this.host.stat(path);
      return true;
    } catch (e) {
      this.errno = errnoOf(e);
      return false;
    }
  }

  /** common.c sendsignalfn(): read the first line, parsepid(), sendsignalpid(). */
  sendSignalFile(pidFile: string, signal: number): number {
    let bytes: Uint8Array;
    try {
      bytes = this.host.readFile(pidFile);
    } catch (e) {
      const errno = errnoOf(e);
      if (errno !== "EISDIR") {
        this.errno = errno;
        this.log.logErrno(`fopen ${pidFile}`, errno);
        return -3;
      }
      // fopen() succeeds on a directory; fgets() fails with EISDIR
      this.errno = errno;
      this.log.logx(`Failed to read pid from ${pidFile}`);
      return -2;
    }
    if (bytes.length === 0) {
      this.log.logx(`Failed to read pid from ${pidFile}`);
      return -2;
    }
    // fgets(buf, SMALLBUF): the first line, at most 511 bytes
    let text = Buffer.from(bytes).toString("latin1");
    const newline = text.indexOf("\n");
    if (newline >= 0) text = text.slice(0, newline + 1);
    text = text.slice(0, SMALLBUF - 1);

    // parsepid(): strtol() into intmax_t, compared with INT_MAX, cast to pid_t
    const parsed = parseCLong(text);
    if (strtolOverflows(text)) this.errno = "ERANGE";
    if (parsed.value > INT_MAX) {
      this.log.logx(`Received a pid number too big for a pid_t: ${parsed.value}`);
      return -1;
    }
    const pid = Number(BigInt.asIntN(32, parsed.value));
    if (pid < 0) return -1;

    // sendsignalpid()
    if (pid < 2) {
      this.log.logx(`Ignoring invalid pid number ${pid}`);
      return -1;
    }
    for (const sig of signal !== 0 ? [0, signal] : [0]) {
      try {
        this.host.kill(pid, sig);
      } catch (e) {
        this.perror("kill", errnoOf(e));
        return -1;
      }
    }
    return 0;
  }

  /**
   * glibc perror(): on an stderr stdio has not written to yet it fdopen()s a dup of fd 2 in
   * "w+" mode, which fails with EINVAL unless fd 2 is open read-write, and leaves errno so.
   */
  perror(s: string, errno: Errno): void {
    this.errno = errno;
    if (!this.log.stderrUsed && !this.host.stderrReadWrite) this.errno = "EINVAL";
    this.log.perror(s, errno);
  }

  /** send_one_driver() / send_all_drivers(). */
  async dispatch(command: Command): Promise<void> {
    const { ups: table, maxsdorder } = this.config;
    const run = async (ups: UpsdrvctlUps, startsOne: boolean): Promise<void> => {
      if (command === "start") await this.startDriver(ups, startsOne);
      else if (command === "stop") this.stopDriver(ups);
      else await this.shutdownDriver(ups);
    };
    const name = this.request.upsName;
    if (name !== undefined) {
      if (table.length === 0) this.fatal("Error: no UPS definitions found in ups.conf!\n");
      const ups = table.find((u) => u.name === name);
      if (ups === undefined) this.fatal(`UPS ${name} not found in ups.conf`);
      await run(ups, true);
      return;
    }
    if (table.length === 0) this.fatal("Error: no UPS definitions found in ups.conf");
    if (command !== "shutdown") {
      for (const ups of table) await run(ups, table.length === 1);
      return;
    }
    // shutdown: a pass per sdorder value 0…max, each in file order; -1 (or less) never runs
    for (let order = 0; order <= maxsdorder; order++) {
      for (const ups of table) if (ups.sdorder === order) await run(ups, false);
    }
  }
}

/** C's xbasename(): the text after the last "/". */
function xbasename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Whether strtol() would set ERANGE on this text (its digits overflow a long). */
function strtolOverflows(text: string): boolean {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d+)/.exec(text);
  if (m === null) return false;
  const value = BigInt(`${m[1]}${m[2]}`);
  return value > (1n << 63n) - 1n || value < -(1n << 63n);
}

/** Seconds as a setTimeout() delay, capped where setTimeout would overflow and fire at once. */
function timerMs(seconds: number): number {
  return Math.min(seconds * 1000, 2 ** 31 - 1);
}

const SIGNALS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

function signalNumber(name: string | null): number {
  return (name !== null ? SIGNALS[name] : undefined) ?? 0;
}

/**
 * upsdrvctl.c main() after the option loop: the test-mode line, the debug notice, the command,
 * ups.conf, the drivers. Returns the exit status (1 if any driver failed, or on a fatal error).
 */
export async function runUpsdrvctl(request: UpsdrvctlRequest, host: UpsdrvctlHost): Promise<number> {
  const ctl = new Controller(host, request);
  try {
    if (request.testMode) {
      host.stdout.write("*** Testing mode: not calling exec/kill\n");
      if (ctl.log.level < 2) ctl.log.level = 2;
    }
    if (!request.debugPassthrough) ctl.log.debugx(2, DEBUG_NOTICE);
    const { command } = request;
    if (command !== "start" && command !== "stop" && command !== "shutdown") {
      ctl.fatal(`Error: unrecognized command [${command}]`);
    }
    ctl.readConfig();
    await ctl.dispatch(command as Command);
    if (ctl.foregroundStatus !== undefined) return ctl.foregroundStatus;
    return ctl.execError !== 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof FatalExit) return e.status;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// The real system

/** Where this process's own program is, to run its drivers when ups.conf has no driverpath. */
export interface OwnBinary {
  /** process.execPath: the compiled multicall binary, or bun itself when run from source. */
  execPath: string;
  /** The entry script when run from source (`bun cli/main.ts`), else absent. */
  script?: string;
  /** Whether the binary has a driver of this name. */
  hasDriver(name: string): boolean;
}

/**
 * The host on the real system. Drivers inherit fds 0-2 and the environment (as after fork()),
 * so their own output lands where upsdrvctl's does.
 *
 * Without a global `driverpath` the drivers are this very binary: the compiled multicall
 * executable is started with argv[0] set to the driver name (its dispatcher picks the program
 * from basename(argv[0]), and `ps` shows `dummy-ups -a ups1` as with NUT); run from source
 * (`bun cli/main.ts`) it is `bun cli/main.ts <driver> …`. The `exec:` debug line shows the
 * `nut <driver> …` form, which runs the same thing when pasted.
 */
export function systemHost(options: {
  stdout: CStdoutBuffer;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  confPath: string;
  altPidPath: string;
  own: OwnBinary;
}): UpsdrvctlHost {
  const { own } = options;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  return {
    stdout: options.stdout,
    stderr: options.stderr,
    micros: () => Number(process.hrtime.bigint() / 1000n),
    confPath: options.confPath,
    altPidPath: options.altPidPath,
    readFile: (path) => readFileSync(path),
    stat: (path) => void statSync(path),
    spawn(command, args) {
      const proc = Bun.spawn({
        cmd: [command.file, ...command.leading, ...args],
        ...(command.argv0 !== undefined ? { argv0: command.argv0 } : {}),
        env,
        stdio: ["inherit", "inherit", "inherit"],
      });
      return {
        exited: proc.exited.then(() => ({ status: proc.signalCode !== null ? null : proc.exitCode, signal: proc.signalCode === null ? null : String(proc.signalCode) })),
        unref: () => proc.unref(),
      };
    },
    kill: (pid, signal) => void process.kill(pid, signal),
    sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, timerMs(seconds))),
    stderrReadWrite: fdIsReadWrite(2),
    ownDriver(driver) {
      if (!own.hasDriver(driver)) return { missing: `${dirname(own.execPath)}/${driver}` };
      if (own.script !== undefined) {
        return { file: own.execPath, leading: [own.script, driver], shown: `${own.execPath} ${own.script} ${driver}` };
      }
      return { file: own.execPath, argv0: driver, leading: [], shown: `${own.execPath} ${driver}` };
    },
  };
}

/** Whether a file descriptor is open O_RDWR (Linux /proc/self/fdinfo; false when unknown). */
function fdIsReadWrite(fd: number): boolean {
  try {
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, "latin1");
    const flags = /^flags:\s*([0-7]+)/m.exec(info);
    return flags !== null && (Number.parseInt(flags[1]!, 8) & 3) === 2;
  } catch {
    return false;
  }
}

/** Whether this process runs from source under bun (`bun cli/main.ts`) rather than compiled. */
export function runsFromSource(execPath: string): boolean {
  const name = basename(execPath);
  return name === "bun" || name === "bun.exe";
}
