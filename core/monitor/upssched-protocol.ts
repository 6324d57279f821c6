/**
 * upssched's private PIPEFN protocol between the short-lived upssched and its timer daemon
 * (clients/upssched.c sendcmd() and sock_arg()): one request line of parseconf words, answered
 * `OK` or `ERR UNKNOWN`. The daemon accepts 2.8.0's requests (`START <name> <secs>`,
 * `CANCEL <name> [<cmd>]`) and 2.8.5's (`START`/`START-SHARED <name> <secs> <NOTIFYTYPE>
 * <UPSNAME> <NOTIFYMSG>`, `CANCEL`/`CANCEL-MATCHED <name> <cmd> <NOTIFYTYPE> <UPSNAME>
 * <NOTIFYMSG>`, `LIST-TIMERS`); the client sends 2.8.5's six-word form, which a 2.8.0 daemon
 * also understands for START and CANCEL. Pure: no I/O.
 */
import { encodeConfWord } from "../config/tokenizer.ts";
import type { TimerOrigin, UpsschedTimer } from "./upssched-timer-table.ts";

/** The daemon's answer to a request it carried out. */
export const UPSSCHED_OK = "OK\n";
/** The daemon's answer to anything else. */
export const UPSSCHED_ERR_UNKNOWN = "ERR UNKNOWN\n";

/** sizeof(sockaddr_un.sun_path) on Linux: PIPEFN must be shorter. */
export const SUN_PATH_SIZE = 108;

/** check_unix_socket_filename()'s fatal text for a PIPEFN too long, or undefined when it fits. */
export function socketPathProblem(path: string): string | undefined {
  const length = new TextEncoder().encode(path).length;
  if (length < SUN_PATH_SIZE) return undefined;
  return `Can't create a unix domain socket: pathname '${path}' is too long (${length}) for 'struct sockaddr_un->sun_path' on this system (${SUN_PATH_SIZE})`;
}

/** Request names the client sends. */
export type UpsschedRequestName = "START" | "START-SHARED" | "CANCEL" | "LIST-TIMERS";

/** A request the daemon understands. */
export type UpsschedRequest =
  | { kind: "start"; shared: boolean; name: string; interval: string; origin?: TimerOrigin }
  | { kind: "cancel"; matched: boolean; name: string; command?: string; origin?: TimerOrigin }
  | { kind: "list" };

/** The event fields a 2.8.5 request carries after its own arguments (missing words are empty). */
function originOf(words: readonly string[], from: number): TimerOrigin | undefined {
  if (words.length <= from) return undefined;
  return { notifyType: words[from] ?? "", upsName: words[from + 1] ?? "", notifyMsg: words[from + 2] ?? "" };
}

/** Reads one request line (its parseconf words); undefined for what the daemon answers ERR UNKNOWN. */
export function parseUpsschedRequest(words: readonly string[]): UpsschedRequest | undefined {
  const [verb, name] = words;
  if (verb === "LIST-TIMERS") return { kind: "list" };
  if (name === undefined) return undefined;
  if (verb === "CANCEL" || verb === "CANCEL-MATCHED") {
    const request: UpsschedRequest = { kind: "cancel", matched: verb === "CANCEL-MATCHED", name };
    if (words[2] !== undefined) request.command = words[2];
    const origin = originOf(words, 3);
    if (origin) request.origin = origin;
    return request;
  }
  if ((verb === "START" || verb === "START-SHARED") && words[2] !== undefined) {
    const request: UpsschedRequest = { kind: "start", shared: verb === "START-SHARED", name, interval: words[2] };
    const origin = originOf(words, 3);
    if (origin) request.origin = origin;
    return request;
  }
  return undefined;
}

/**
 * The request line the client sends (2.8.5 sendcmd()): every argument quoted and escaped, an
 * absent one as `""`, then the event's NOTIFYTYPE, UPSNAME and NOTIFYMSG.
 */
export function formatUpsschedRequest(
  verb: UpsschedRequestName,
  arg1: string | undefined,
  arg2: string | undefined,
  origin: TimerOrigin,
): string {
  const words = [arg1 ?? "", arg2 ?? "", origin.notifyType, origin.upsName, origin.notifyMsg];
  return `${verb} ${words.map((w) => `"${encodeConfWord(w)}"`).join(" ")}\n`;
}

/** printf("%g") of a whole number: plain up to 6 digits, else 6 significant digits and an exponent. */
export function formatCDoubleG(value: number): string {
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent >= -4 && exponent < 6) {
    return String(Number(value.toPrecision(6)));
  }
  const [mantissa = "", exp = "0"] = value.toExponential(5).split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  const expNumber = Number(exp);
  const expText = String(Math.abs(expNumber)).padStart(2, "0");
  return `${trimmed}e${expNumber < 0 ? "-" : "+"}${expText}`;
}

/**
 * The daemon's LIST-TIMERS answer (2.8.5): `BEGIN LIST TIMERS`, one line per timer of NAME,
 * expiry (time_t), seconds left (%g), NOTIFYTYPEs, UPSNAMEs and NOTIFYMSGs (`""` when none),
 * TAB-separated, then `END LIST TIMERS` and `OK`.
 */
export function formatTimerListing(timers: readonly UpsschedTimer[], wallMs: number): string {
  const now = Math.floor(wallMs / 1000);
  const orEmpty = (text: string): string => (text !== "" ? text : '""');
  let out = "BEGIN LIST TIMERS\n";
  for (const t of timers) {
    out +=
      `${t.name}\t${t.expirySeconds}\t${formatCDoubleG(t.expirySeconds - now)}\t` +
      `${orEmpty(t.notifyTypes.join(","))}\t${orEmpty(t.upsNames.join(","))}\t${orEmpty(t.notifyMsgs.join(".\t"))}\n`;
  }
  return `${out}END LIST TIMERS\n${UPSSCHED_OK}`;
}

/**
 * What `upssched -l` prints from the daemon's answer received so far: the lines between
 * `BEGIN LIST TIMERS` and `END LIST TIMERS`, once the closing `OK` has arrived; undefined while
 * the answer is incomplete.
 */
export function readTimerListing(answer: string): string | undefined {
  const end = answer.indexOf("END LIST TIMERS\n");
  if (end < 0 || !answer.slice(end).includes("OK\n")) return undefined;
  const begin = "BEGIN LIST TIMERS\n";
  const start = answer.startsWith(begin) ? begin.length : 0;
  return answer.slice(start, end);
}
