/**
 * upsd's side of one driver socket, as NUT 2.8.0's server/sstate.c (connect, read, parse_args,
 * sstate_dead, send) plus the per-UPS bits of server/upsd.c check_every_ups() (reconnect, stale
 * transitions and their log lines) and server/conf.c ups_create() (a new UPS starts stale).
 *
 * Times: every `now` is milliseconds since the epoch (Date.now()); like C's time() they are cut to
 * whole seconds before any comparison, so staleness and PING follow 2.8.0 to the second.
 */
import { createConnection } from "node:net";
import type { Socket } from "node:net";
import { basename, join } from "node:path";
import type { UpsSection } from "../config/ups-conf.ts";
import { SockLineReader, formatSockMessage, parseSockLine } from "../protocol/sock-protocol.ts";
import type { DriverMessage } from "../protocol/sock-protocol.ts";
import { StateTree } from "../state/state-tree.ts";
import type { TrackingListener, UpsSource } from "./ups-source.ts";

/** Syslog priority of a DriverLink message (upslogx()'s LOG_ERR … LOG_INFO). */
export type DriverLinkLogLevel = "error" | "warning" | "notice" | "info";

/** How to build a DriverLink. */
export interface DriverLinkOptions {
  /** The ups.conf section name. */
  name: string;
  /** Absolute path of the driver's socket (`<STATEPATH>/<driver>-<ups>`). */
  socketPath: string;
  /**
   * The socket name upsd prints (its ups->fn, relative to STATEPATH since upsd chdir()s there);
   * default: the basename of `socketPath`.
   */
  socketName?: string;
  /** upsd.conf MAXAGE in seconds (default 15). */
  maxAge?: number;
  /** Where log lines go (upsd's upslogx()). */
  log: (level: DriverLinkLogLevel, message: string) => void;
  /** Clock for events the link sees by itself (connect, data); default Date.now. */
  now?: () => number;
}

/** sstate.h SS_CONNFAIL_INT: complain about a dead driver every 5 minutes at most. */
const SS_CONNFAIL_INT = 300;
/** common.h SMALLBUF: sstate_readline() read()s at most this much, and a parse error drops the rest of it. */
const SMALLBUF = 512;
/** Default MAXAGE (upsd.c). */
const DEFAULT_MAXAGE = 15;

/** glibc strerror() texts for what connecting to or talking over a unix socket can fail with. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  ECONNREFUSED: "Connection refused",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOTDIR: "Not a directory",
  ENOTSOCK: "Socket operation on non-socket",
  ENAMETOOLONG: "File name too long",
  EPROTOTYPE: "Protocol wrong type for socket",
  EAGAIN: "Resource temporarily unavailable",
  ECONNRESET: "Connection reset by peer",
  EPIPE: "Broken pipe",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  ENOBUFS: "No buffer space available",
  ENOMEM: "Cannot allocate memory",
  EBADF: "Bad file descriptor",
  EINVAL: "Invalid argument",
};

function strerror(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && STRERROR[code] !== undefined) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

/** C's time(): whole seconds. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** One UPS fed by a driver process over its unix socket (NUT's server/sstate.c). */
export class DriverLink implements UpsSource {
  readonly name: string;
  readonly socketPath: string;
  readonly tree = new StateTree();
  readonly #socketName: string;
  readonly #maxAge: number;
  readonly #log: (level: DriverLinkLogLevel, message: string) => void;
  readonly #clock: () => number;
  readonly #listeners: TrackingListener[] = [];

  /** The socket being connected or connected (ups->sock_fd). */
  #socket: Socket | undefined;
  #connected = false;
  #reader = new SockLineReader();
  /** conf.c ups_create(): a new UPS is stale until its first connect. */
  #stale = true;
  #dumpDone = false;
  /** Starts false and survives reconnects, as ups->data_ok does (xcalloc, never reset). */
  #dataOk = false;
  /** Whole seconds. */
  #lastHeard = 0;
  /** Whole seconds; undefined stands for C's 0 (the epoch): "long ago". */
  #lastPing: number | undefined;
  #lastConnFail: number | undefined;
  /** What the last write was, to name a failure as sstate.c does. */
  #lastWrite: "DUMPALL" | "PING" | "other" = "other";
  #closed = false;

  constructor(options: DriverLinkOptions) {
    this.name = options.name;
    this.socketPath = options.socketPath;
    this.#socketName = options.socketName ?? basename(options.socketPath);
    this.#maxAge = Math.trunc(options.maxAge ?? DEFAULT_MAXAGE);
    this.#log = options.log;
    this.#clock = options.now ?? Date.now;
  }

  /** True while the socket is connected (a connect in progress does not count). */
  get connected(): boolean {
    return this.#connected;
  }

  /** True when clients must get ERR DATA-STALE (ups->stale). */
  get stale(): boolean {
    return this.#stale;
  }

  /** True once the driver's DUMPDONE of the current connection arrived. */
  get dumpDone(): boolean {
    return this.#dumpDone;
  }

  /**
   * One pass of check_every_ups() for this UPS: connect when not connected (and nothing else this
   * pass, as upsd `continue`s), otherwise sstate_dead() and the stale/ok transition. `now` is in
   * milliseconds (Date.now()).
   */
  refresh(now: number): void {
    if (this.#closed) return;
    if (!this.#connected) {
      if (this.#socket === undefined) this.#connect();
      return;
    }
    if (this.#dead(seconds(now))) {
      if (!this.#stale) {
        this.#stale = true;
        this.#log("notice", `Data for UPS [${this.name}] is stale - check driver`);
      }
    } else if (this.#stale) {
      this.#stale = false;
      this.#log("notice", `UPS [${this.name}] data is no longer stale`);
    }
  }

  /** netset.c: `SET <var> "<encoded value>"[ TRACKING <id>]`; false when it cannot be sent. */
  setVar(name: string, value: string, tracking?: string): boolean {
    return this.#send(formatSockMessage(tracking !== undefined ? { type: "SET", name, value, tracking } : { type: "SET", name, value }), "other");
  }

  /** netinstcmd.c: `INSTCMD <cmd>[ <encoded param>][ TRACKING <id>]`; false when it cannot be sent. */
  instCmd(name: string, param?: string, tracking?: string): boolean {
    return this.#send(
      formatSockMessage({
        type: "INSTCMD",
        name,
        ...(param !== undefined ? { param } : {}),
        ...(tracking !== undefined ? { tracking } : {}),
      }),
      "other",
    );
  }

  /** Registers a receiver of the driver's TRACKING replies. */
  onTracking(listener: TrackingListener): void {
    this.#listeners.push(listener);
  }

  /** Disconnects for good: the socket is destroyed, the tree emptied, refresh() does nothing more. */
  close(): void {
    this.#closed = true;
    this.#listeners.length = 0;
    const socket = this.#socket;
    if (socket !== undefined) this.#disconnect(socket);
  }

  /** sstate_connect(); node's connect is asynchronous, so the success half runs on "connect". */
  #connect(): void {
    const socket = createConnection({ path: this.socketPath });
    this.#socket = socket;
    socket.on("connect", () => {
      if (this.#socket !== socket) return;
      this.#connected = true;
      this.#reader = new SockLineReader();
      // get a dump started so we have a fresh set of data
      this.#lastWrite = "DUMPALL";
      socket.write("DUMPALL\n");
      this.tree.clear();
      this.#dumpDone = false;
      this.#stale = false;
      this.#lastHeard = seconds(this.#clock());
      // ups.status is WAIT until the driver's dump arrives
      this.tree.setInfo("ups.status", "WAIT");
      this.#log("info", `Connected to UPS [${this.name}]: ${this.#socketName}`);
    });
    socket.on("data", (chunk: Buffer) => {
      if (this.#socket === socket && this.#connected) this.#receive(socket, chunk);
    });
    // upsd sees POLLHUP on EOF and disconnects without a word (sstate_disconnect)
    socket.on("end", () => this.#disconnect(socket));
    socket.on("close", () => this.#disconnect(socket));
    socket.on("error", (err: Error) => {
      if (this.#socket !== socket) return;
      if (!this.#connected) {
        this.#connectFailed(err);
        this.#disconnect(socket);
        return;
      }
      const syscall = (err as { syscall?: unknown }).syscall;
      if (syscall === "read") this.#log("warning", `Read from UPS [${this.name}] failed: ${strerror(err)}`);
      else if (this.#lastWrite === "DUMPALL") this.#log("error", `Initial write to UPS [${this.name}] failed: ${strerror(err)}`);
      else if (this.#lastWrite === "PING") this.#log("notice", `Send ping to UPS [${this.name}] failed: ${strerror(err)}`);
      else this.#log("notice", `Send to UPS [${this.name}] failed: ${strerror(err)}`);
      this.#disconnect(socket);
    });
  }

  /** sstate_connect()'s failure branch: log at most once per SS_CONNFAIL_INT. */
  #connectFailed(err: unknown): void {
    const now = seconds(this.#clock());
    if (this.#lastConnFail !== undefined && now - this.#lastConnFail < SS_CONNFAIL_INT) return;
    this.#lastConnFail = now;
    this.#log("error", `Can't connect to UPS [${this.name}] (${this.#socketName}): ${strerror(err)}`);
  }

  /** sstate_disconnect(): forget the driver's data and the socket; the next refresh() reconnects. */
  #disconnect(socket: Socket): void {
    socket.destroy();
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    if (this.#connected) {
      this.#connected = false;
      this.tree.clear();
    }
  }

  /**
   * sstate_readline() for one received chunk, in read()s of SMALLBUF bytes: every line goes to
   * parse_args(); a parse error drops the rest of that read. upsd's main loop then runs
   * check_every_ups() again right away, so the dead check follows each chunk.
   */
  #receive(socket: Socket, chunk: Uint8Array): void {
    for (let start = 0; start < chunk.length; start += SMALLBUF) {
      for (const line of this.#reader.push(chunk.subarray(start, start + SMALLBUF))) {
        if (line.error !== undefined) {
          this.#log("notice", `Parse error on sock: ${line.error}`);
          continue; // the reader already dropped the rest of this read
        }
        if (this.#apply(line.words)) this.#lastHeard = seconds(this.#clock());
        if (this.#socket !== socket) return; // a tracking listener closed the link
      }
    }
    this.refresh(this.#clock());
  }

  /** parse_args(): applies one driver line; true when 2.8.0 upsd recognises it (refreshing last_heard). */
  #apply(words: readonly string[]): boolean {
    const parsed = parseSockLine(words, "driver");
    if (!parsed.ok) return false;
    const m = parsed.message as DriverMessage;
    switch (m.type) {
      case "PONG":
        return true;
      case "DUMPDONE":
        this.#dumpDone = true;
        return true;
      case "DATASTALE":
        this.#dataOk = false;
        return true;
      case "DATAOK":
        this.#dataOk = true;
        return true;
      case "ADDCMD":
        this.tree.addCmd(m.name);
        return true;
      case "DELCMD":
        this.tree.delCmd(m.name);
        return true;
      case "DELINFO":
        this.tree.delInfo(m.name);
        return true;
      case "SETFLAGS":
        this.tree.setFlags(m.name, m.flags);
        return true;
      case "SETINFO":
        this.tree.setInfo(m.name, m.value);
        return true;
      case "ADDENUM":
        this.tree.addEnum(m.name, m.value);
        return true;
      case "DELENUM":
        this.tree.delEnum(m.name, m.value);
        return true;
      case "SETAUX":
        this.tree.setAux(m.name, m.aux);
        return true;
      case "TRACKING":
        for (const listener of [...this.#listeners]) {
          try {
            listener(m.id, m.status);
          } catch (err) {
            this.#log("error", `UPS [${this.name}]: tracking listener failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        return true;
      case "ADDRANGE":
        this.tree.addRange(m.name, m.min, m.max);
        return true;
      case "DELRANGE":
        this.tree.delRange(m.name, m.min, m.max);
        return true;
      default:
        // PID and OK (2.8.3+) are unknown to a 2.8.0 upsd
        return false;
    }
  }

  /** sstate_dead() for a connected UPS, 2.8.0 order; `now` in whole seconds. */
  #dead(now: number): boolean {
    // ignore DATAOK/DATASTALE unless the dump is done
    if (this.#dumpDone && !this.#dataOk) return true;
    const elapsed = now - this.#lastHeard;
    const third = Math.trunc(this.#maxAge / 3);
    // somewhere beyond a third of the maximum time - prod it to make it talk
    if (elapsed > third && (this.#lastPing === undefined || now - this.#lastPing > third)) {
      if (this.#send("PING\n", "PING")) this.#lastPing = now;
    }
    return elapsed > this.#maxAge;
  }

  /** sstate_sendline(): false (and disconnected) when the line cannot be written. */
  #send(line: string, kind: "PING" | "other"): boolean {
    const socket = this.#socket;
    if (socket === undefined || !this.#connected) return false;
    if (socket.destroyed || !socket.writable) {
      const what = kind === "PING" ? "Send ping to UPS" : "Send to UPS";
      this.#log("notice", `${what} [${this.name}] failed: ${STRERROR.EPIPE}`);
      this.#disconnect(socket);
      return false;
    }
    this.#lastWrite = kind;
    socket.write(line);
    return true;
  }
}

/**
 * One DriverLink per UPS upsd serves (pass upsdSections()), each on `<statePath>/<driver>-<ups>`
 * as server/conf.c names it.
 */
export function createDriverLinks(
  sections: readonly UpsSection[],
  statePath: string,
  options: Omit<DriverLinkOptions, "name" | "socketPath" | "socketName">,
): DriverLink[] {
  return sections
    .filter((s) => s.driver !== undefined)
    .map((s) => {
      const socketName = `${s.driver}-${s.name}`;
      return new DriverLink({ ...options, name: s.name, socketPath: join(statePath, socketName), socketName });
    });
}
