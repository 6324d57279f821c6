/**
 * The driver ⇄ upsd local-socket protocol (docs/sock-protocol.txt) as a typed model: parsing the
 * words of a received line the way the receiving C code accepts them (server/sstate.c parse_args()
 * for driver messages, drivers/dstate.c sock_arg() for server commands), formatting the exact line
 * NUT writes, and the DUMPALL reply built from a StateTree. Pure: no I/O.
 */

import { ConfTokenizer, encodeConfWord } from "../config/tokenizer.ts";
import type { ConfLine } from "../config/tokenizer.ts";
import { cAtoi, cAtol } from "../config/c-numbers.ts";
import { StateTree, flagWords } from "../state/state-tree.ts";
import type { StateVariable } from "../state/state-tree.ts";

/**
 * Every socket line is built in a char[ST_SOCK_BUF_LEN] (512) buffer by snprintf (dstate.c
 * send_to_one/send_to_all, upsd's netset.c/netinstcmd.c), so at most 511 bytes go out and a longer
 * line loses its tail, LF included.
 */
export const ST_SOCK_BUF_LEN = 512;

/** Messages a driver sends (to upsd and any other socket client). */
export type DriverMessage =
  | { type: "SETINFO"; name: string; value: string }
  | { type: "DELINFO"; name: string }
  | { type: "ADDENUM"; name: string; value: string }
  | { type: "DELENUM"; name: string; value: string }
  | { type: "ADDRANGE"; name: string; min: number; max: number }
  | { type: "DELRANGE"; name: string; min: number; max: number }
  | { type: "SETAUX"; name: string; aux: number }
  /** Flag words as sent; 2.8.0 sends none for an IMMUTABLE-only variable, which upsd does not accept. */
  | { type: "SETFLAGS"; name: string; flags: string[] }
  | { type: "ADDCMD"; name: string }
  | { type: "DELCMD"; name: string }
  | { type: "DUMPDONE" }
  | { type: "PONG" }
  | { type: "DATAOK" }
  | { type: "DATASTALE" }
  /** Result of a tracked SET/INSTCMD; status read with atoi() as upsd does. */
  | { type: "TRACKING"; id: string; status: number }
  /** Reply to GETPID (2.8.3+); opaque text. */
  | { type: "PID"; pid: string }
  /** Reply to LOGOUT (2.8.3+): `OK Goodbye`. */
  | { type: "OK"; text: string };

/** Commands upsd (or another socket client) sends to a driver. */
export type ServerCommand =
  | { type: "DUMPALL" }
  | { type: "PING" }
  | { type: "SET"; name: string; value: string; tracking?: string }
  | { type: "INSTCMD"; name: string; param?: string; tracking?: string }
  /** 2.8.1+: stop unsolicited updates on this connection. */
  | { type: "NOBROADCAST" }
  /** 2.8.1+: `level` is the argument when it parses as an int (str_to_int); a level < 1 disables broadcasts instead. */
  | { type: "BROADCAST"; level?: number }
  /** 2.8.3+: dump one variable. */
  | { type: "DUMPVALUE"; name: string }
  /** 2.8.3+: same as DUMPVALUE ups.status. */
  | { type: "DUMPSTATUS" }
  /** 2.8.3+: ask for the driver's PID. */
  | { type: "GETPID" }
  /** 2.8.3+: ask the driver to close this connection. */
  | { type: "LOGOUT" };

/** Any message of the socket protocol, either direction (the command words do not overlap). */
export type SockMessage = DriverMessage | ServerCommand;

/** The command word of every message. */
export type SockMessageType = SockMessage["type"];

/** Which side sent a line. */
export type SockSender = "driver" | "server";

/** NUT release that introduced each message (2.8.0 peers treat newer ones as unknown commands). */
export const SOCK_MESSAGE_SINCE: Readonly<Record<SockMessageType, "2.8.0" | "2.8.1" | "2.8.3">> = Object.freeze({
  SETINFO: "2.8.0",
  DELINFO: "2.8.0",
  ADDENUM: "2.8.0",
  DELENUM: "2.8.0",
  ADDRANGE: "2.8.0",
  DELRANGE: "2.8.0",
  SETAUX: "2.8.0",
  SETFLAGS: "2.8.0",
  ADDCMD: "2.8.0",
  DELCMD: "2.8.0",
  DUMPDONE: "2.8.0",
  PONG: "2.8.0",
  DATAOK: "2.8.0",
  DATASTALE: "2.8.0",
  TRACKING: "2.8.0",
  PID: "2.8.3",
  OK: "2.8.3",
  DUMPALL: "2.8.0",
  PING: "2.8.0",
  SET: "2.8.0",
  INSTCMD: "2.8.0",
  NOBROADCAST: "2.8.1",
  BROADCAST: "2.8.1",
  DUMPVALUE: "2.8.3",
  DUMPSTATUS: "2.8.3",
  GETPID: "2.8.3",
  LOGOUT: "2.8.3",
});

/** Why a line was not accepted; NUT ignores such lines (a driver logs `Unknown command on socket:`). */
export type SockParseError =
  | { error: "empty-line" }
  | { error: "unknown-command"; command: string }
  /** Known word, but fewer words than the receiver needs (e.g. `SETFLAGS var` with no flag). */
  | { error: "too-few-arguments"; command: string; needed: number; got: number }
  /** dstate.c: `Malformed INSTCMD request`. */
  | { error: "malformed-instcmd" }
  /** dstate.c: `Got SET <var> with unsupported parameters (<a>/<b>)`. */
  | { error: "unsupported-set-parameters"; params: [string, string] };

/** Result of parseSockLine(). */
export type SockParseResult = { ok: true; message: SockMessage } | { ok: false; error: SockParseError };

const DRIVER_TYPES = new Set<string>([
  "SETINFO", "DELINFO", "ADDENUM", "DELENUM", "ADDRANGE", "DELRANGE", "SETAUX", "SETFLAGS",
  "ADDCMD", "DELCMD", "DUMPDONE", "PONG", "DATAOK", "DATASTALE", "TRACKING", "PID", "OK",
]);

/**
 * Minimum word count (command word included) the receiver requires: sstate.c parse_args() checks
 * 2/3/4 words before each group; dstate.c sock_arg() 2 for INSTCMD and DUMPVALUE, 3 for SET.
 */
const MIN_WORDS: Readonly<Record<SockMessageType, number>> = Object.freeze({
  DUMPDONE: 1, PONG: 1, DATAOK: 1, DATASTALE: 1, OK: 1,
  ADDCMD: 2, DELCMD: 2, DELINFO: 2, PID: 2,
  SETFLAGS: 3, SETINFO: 3, ADDENUM: 3, DELENUM: 3, SETAUX: 3, TRACKING: 3,
  ADDRANGE: 4, DELRANGE: 4,
  DUMPALL: 1, PING: 1, NOBROADCAST: 1, BROADCAST: 1, DUMPSTATUS: 1, GETPID: 1, LOGOUT: 1,
  INSTCMD: 2, DUMPVALUE: 2, SET: 3,
});

function isType(word: string): word is SockMessageType {
  return Object.hasOwn(MIN_WORDS, word);
}

/** str_to_int() (common/str.c, 2.8.1+): the whole word, spaces trimmed, must be a decimal int. */
function strToInt(word: string): number | undefined {
  const t = word.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "");
  if (!/^[+-]?[0-9]+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

function isTracking(word: string | undefined): boolean {
  return word !== undefined && word.toUpperCase() === "TRACKING";
}

/**
 * Parses the words of one received line into a message, accepting exactly what NUT's receiver
 * accepts: command words in any case, extra words ignored, numbers read with atoi()/strtol().
 * `from` restricts to one direction; without it both vocabularies are tried.
 */
export function parseSockLine(words: readonly string[], from?: SockSender): SockParseResult {
  const first = words[0];
  if (first === undefined) return { ok: false, error: { error: "empty-line" } };
  const type = first.toUpperCase();
  if (!isType(type) || (from !== undefined && (from === "driver") !== DRIVER_TYPES.has(type))) {
    return { ok: false, error: { error: "unknown-command", command: first } };
  }
  const needed = MIN_WORDS[type];
  if (words.length < needed) {
    return { ok: false, error: { error: "too-few-arguments", command: first, needed, got: words.length } };
  }
  const w1 = words[1] ?? "";
  const w2 = words[2] ?? "";
  const w3 = words[3] ?? "";
  const ok = (message: SockMessage): SockParseResult => ({ ok: true, message });
  switch (type) {
    case "SETINFO":
    case "ADDENUM":
    case "DELENUM":
      return ok({ type, name: w1, value: w2 });
    case "DELINFO":
    case "ADDCMD":
    case "DELCMD":
    case "DUMPVALUE":
      return ok({ type, name: w1 });
    case "ADDRANGE":
    case "DELRANGE":
      return ok({ type, name: w1, min: cAtoi(w2), max: cAtoi(w3) });
    case "SETAUX":
      return ok({ type, name: w1, aux: cAtol(w2) });
    case "SETFLAGS":
      return ok({ type, name: w1, flags: words.slice(2) });
    case "TRACKING":
      return ok({ type, id: w1, status: cAtoi(w2) });
    case "PID":
      return ok({ type, pid: w1 });
    case "OK":
      return ok({ type, text: words.slice(1).join(" ") });
    case "BROADCAST": {
      const level = words.length > 1 ? strToInt(w1) : undefined;
      return ok(level === undefined ? { type } : { type, level });
    }
    case "INSTCMD": {
      // dstate.c: 2 words plain; 3 = param; 4 with TRACKING 3rd; 5 with TRACKING 4th; else malformed
      if (words.length === 2) return ok({ type, name: w1 });
      if (words.length === 3) return ok({ type, name: w1, param: w2 });
      if (words.length === 4 && isTracking(w2)) return ok({ type, name: w1, tracking: w3 });
      if (words.length === 5 && isTracking(w3)) return ok({ type, name: w1, param: w2, tracking: words[4]! });
      return { ok: false, error: { error: "malformed-instcmd" } };
    }
    case "SET": {
      // dstate.c: only exactly 5 words carry TRACKING; 4 or 6+ words: extras ignored
      if (words.length === 5) {
        if (!isTracking(w3)) return { ok: false, error: { error: "unsupported-set-parameters", params: [w3, words[4]!] } };
        return ok({ type, name: w1, value: w2, tracking: words[4]! });
      }
      return ok({ type, name: w1, value: w2 });
    }
    default:
      return ok({ type });
  }
}

/** Caps a line to what NUT's 512-byte snprintf buffer lets out (the LF is lost when it does not fit). */
function capLine(line: string): string {
  return line.length > ST_SOCK_BUF_LEN - 1 ? line.slice(0, ST_SOCK_BUF_LEN - 1) : line;
}

/** Formats a C `%i` / `%ld` argument. */
function int(n: number): string {
  return String(Math.trunc(n));
}

/**
 * The exact line NUT writes for a message, LF included. Values of SETINFO/ADDENUM/DELENUM/SET go
 * inside quotes, pconf_encode()d (NUT's live driver broadcasts skip the encoding: a C bug not
 * copied here); an INSTCMD parameter is encoded but not quoted, as upsd's netinstcmd.c sends it
 * (so a parameter with a space arrives as two words). Lines over 511 bytes are cut as in C.
 */
export function formatSockMessage(msg: SockMessage): string {
  let line: string;
  switch (msg.type) {
    case "SETINFO":
    case "ADDENUM":
    case "DELENUM":
      line = `${msg.type} ${msg.name} "${encodeConfWord(msg.value)}"`;
      break;
    case "DELINFO":
    case "ADDCMD":
    case "DELCMD":
    case "DUMPVALUE":
      line = `${msg.type} ${msg.name}`;
      break;
    case "ADDRANGE":
    case "DELRANGE":
      line = `${msg.type} ${msg.name} ${int(msg.min)} ${int(msg.max)}`;
      break;
    case "SETAUX":
      line = `SETAUX ${msg.name} ${int(msg.aux)}`;
      break;
    case "SETFLAGS":
      line = ["SETFLAGS", msg.name, ...msg.flags].join(" ");
      break;
    case "TRACKING":
      line = `TRACKING ${msg.id} ${int(msg.status)}`;
      break;
    case "PID":
      line = `PID ${msg.pid}`;
      break;
    case "OK":
      line = `OK ${msg.text}`;
      break;
    case "BROADCAST":
      line = msg.level === undefined ? "BROADCAST" : `BROADCAST ${int(msg.level)}`;
      break;
    case "SET":
      line = `SET ${msg.name} "${encodeConfWord(msg.value)}"`;
      if (msg.tracking !== undefined && msg.tracking !== "") line += ` TRACKING ${msg.tracking}`;
      break;
    case "INSTCMD":
      line = `INSTCMD ${msg.name}`;
      if (msg.param !== undefined) line += ` ${encodeConfWord(msg.param)}`;
      if (msg.tracking !== undefined && msg.tracking !== "") line += ` TRACKING ${msg.tracking}`;
      break;
    default:
      line = msg.type;
  }
  return capLine(`${line}\n`);
}

/**
 * The lines dstate.c's st_tree_dump_conn() writes for one variable: SETINFO with the stored escaped
 * value, each ADDENUM (stored escaped form), each ADDRANGE, SETAUX when aux ≠ 0, then SETFLAGS when
 * any flag bit is set (a bare `SETFLAGS var` for an IMMUTABLE-only variable).
 */
export function variableDumpLines(v: StateVariable): string[] {
  const lines = [`SETINFO ${v.name} "${v.escapedValue}"\n`];
  for (const e of v.enums) lines.push(`ADDENUM ${v.name} "${e}"\n`);
  for (const r of v.ranges) lines.push(`ADDRANGE ${v.name} ${int(r.min)} ${int(r.max)}\n`);
  if (v.aux !== 0) lines.push(`SETAUX ${v.name} ${int(v.aux)}\n`);
  if (v.flags !== 0) lines.push(`${["SETFLAGS", v.name, ...flagWords(v.flags)].join(" ")}\n`);
  return lines.map(capLine);
}

/** Driver-wide state that a dump reports besides the tree. */
export interface DumpOptions {
  /** The driver's stale flag (a driver starts stale until its first dataok). Default false. */
  stale?: boolean;
}

/**
 * The full reply of a driver to DUMPALL (dstate.c sock_arg()): DATASTALE if stale, every variable
 * in tree order (variableDumpLines), every ADDCMD, DATAOK if not stale, DUMPDONE.
 */
export function dumpAll(tree: StateTree, options: DumpOptions = {}): string[] {
  const stale = options.stale ?? false;
  const lines: string[] = [];
  if (stale) lines.push("DATASTALE\n");
  for (const v of tree.variables()) lines.push(...variableDumpLines(v));
  for (const c of tree.commands()) lines.push(capLine(`ADDCMD ${c}\n`));
  if (!stale) lines.push("DATAOK\n");
  lines.push("DUMPDONE\n");
  return lines;
}

/** The reply to DUMPVALUE/DUMPSTATUS (2.8.3+): one variable's lines (none if unknown) between the DATA* line and DUMPDONE. */
export function dumpValue(tree: StateTree, name: string, options: DumpOptions = {}): string[] {
  const stale = options.stale ?? false;
  const lines: string[] = [];
  if (stale) lines.push("DATASTALE\n");
  const v = tree.get(name);
  if (v) lines.push(...variableDumpLines(v));
  if (!stale) lines.push("DATAOK\n");
  lines.push("DUMPDONE\n");
  return lines;
}

/**
 * Splits a socket byte stream into parseconf lines, however the chunks are cut. Like dstate.c
 * sock_read() and sstate.c sstate_readline(), a parse error (`#` inside quotes) yields that error
 * line and drops the rest of the chunk it arrived in; the next chunk starts a fresh line.
 */
export class SockLineReader {
  // bounded: a long-lived socket must not collect every byte the filter drops
  readonly #tokenizer = new ConfTokenizer({ recordDiscarded: false });

  /** Feeds one received chunk; returns the completed lines (a line with `error` set ends the chunk). */
  push(chunk: Uint8Array): ConfLine[] {
    return this.#tokenizer.feedChunk(chunk);
  }
}
