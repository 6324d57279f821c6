/**
 * upslog's log-line language (clients/upslog.c compile_format() and the do_* functions of NUT
 * 2.8.0): plain characters are copied, `%%` is one `%`, and `%NAME[ arg]%` is an escape whose
 * NAME is matched case-insensitively *by prefix* against HOST, UPSHOST, PID, TIME, VAR and ETIME
 * in that order (`%HOSTNAME%` is `%HOST%`); anything else, and a `%` without a closing one, is
 * `INVALID` (after an unclosed `%` the rest is copied as plain text). `%TIME fmt%` is strftime()
 * with `@` standing for `%`; `%VAR name%` is NA when upsd does not answer it, INVALID for a name
 * without a dot. A line holds at most 4095 bytes (upslog's LARGEBUF). Pure: no I/O; the caller
 * supplies the clock, the host name and the variable lookup.
 */
import type { BrokenDownTime } from "../system/local-time.ts";
import { strftime } from "./strftime.ts";

/** One step of a compiled format, in order. */
export type UpslogFormatItem =
  | { kind: "literal"; text: string }
  | { kind: "host" }
  | { kind: "upshost" }
  | { kind: "pid" }
  | { kind: "time"; arg?: string }
  | { kind: "var"; arg?: string }
  | { kind: "etime" };

/** upslog.h's logcmds table, in its order (the first prefix match wins). */
const ESCAPES = [
  ["HOST", "host"],
  ["UPSHOST", "upshost"],
  ["PID", "pid"],
  ["TIME", "time"],
  ["VAR", "var"],
  ["ETIME", "etime"],
] as const;

/** upslog's default format (DEFAULT_LOGFORMAT). */
export const DEFAULT_UPSLOG_FORMAT =
  "%TIME @Y@m@d @H@M@S% %VAR battery.charge% %VAR input.voltage% %VAR ups.load% [%VAR ups.status%] %VAR ups.temperature% %VAR input.frequency%";

/** LARGEBUF: the line buffer, NUL included. */
const LINE_BUFFER = 4096;
/** SMALLBUF: the strftime() buffer of %TIME, NUL included. */
const TIME_BUFFER = 512;

/** compile_format(): the format as a list of steps (adjacent plain text merged). */
export function compileUpslogFormat(format: string): UpslogFormatItem[] {
  const items: UpslogFormatItem[] = [];
  const literal = (text: string): void => {
    const last = items[items.length - 1];
    if (last?.kind === "literal") last.text += text;
    else items.push({ kind: "literal", text });
  };
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") {
      literal(format[i]!);
      continue;
    }
    if (format[i + 1] === "%") {
      literal("%");
      i++;
      continue;
    }
    const close = format.indexOf("%", i + 1);
    if (close < 0) {
      // no closing `%`: INVALID, and what follows is read as plain text
      literal("INVALID");
      continue;
    }
    const body = format.slice(i + 1, close);
    const space = body.indexOf(" ");
    // strncasecmp() in the C locale folds ASCII letters only
    const name = (space < 0 ? body : body.slice(0, space)).replace(/[a-z]/g, (c) => c.toUpperCase());
    const arg = space < 0 ? undefined : body.slice(space + 1);
    const escape = ESCAPES.find(([prefix]) => name.startsWith(prefix));
    if (escape === undefined) literal("INVALID");
    else if (escape[1] === "time" || escape[1] === "var") items.push(arg === undefined ? { kind: escape[1] } : { kind: escape[1], arg });
    else items.push({ kind: escape[1] });
    i = close;
  }
  return items;
}

/** What a line is made from. */
export interface UpslogLineSource {
  /** gethostname(). */
  hostname(): string;
  /** The UPS as given on the command line (`ups@host:port`). */
  readonly upsHost: string;
  readonly pid: number;
  /** time(): seconds since the Epoch. */
  now(): number;
  /** localtime_r() of an instant. */
  localtime(epochSeconds: number): BrokenDownTime;
  /** `GET VAR <ups> <name>`: the value, or undefined when upsd does not give one (NA). */
  getVar(name: string): Promise<string | undefined>;
}

/** do_time(): `@` → `%`, strftime() into 512 bytes (empty when it does not fit). */
export function upslogTime(arg: string, tm: BrokenDownTime): string {
  return strftime(arg.replaceAll("@", "%"), tm, TIME_BUFFER) ?? "";
}

/**
 * run_flist(): evaluates the steps in order (so each `%TIME%` and `%VAR%` is read when its turn
 * comes, as NUT does) and returns the line without its LF.
 */
export async function expandUpslogFormat(items: readonly UpslogFormatItem[], source: UpslogLineSource): Promise<string> {
  let line = "";
  for (const item of items) {
    switch (item.kind) {
      case "literal":
        line += item.text;
        break;
      case "host":
        line += source.hostname();
        break;
      case "upshost":
        line += source.upsHost;
        break;
      case "pid":
        line += String(source.pid);
        break;
      case "etime":
        line += String(source.now());
        break;
      case "time":
        // NUT 2.8.0 crashes on `%TIME%` without a format (strdup of NULL); INVALID as for `%VAR%`
        line += item.arg === undefined ? "INVALID" : upslogTime(item.arg, source.localtime(source.now()));
        break;
      case "var":
        if (item.arg === undefined || item.arg === "" || !item.arg.includes(".")) line += "INVALID";
        else line += (await source.getVar(item.arg)) ?? "NA";
        break;
    }
  }
  return line;
}

/** The bytes upslog writes for a line: at most 4095 of them (snprintfcat() truncation), then LF. */
export function upslogLineBytes(line: string): Uint8Array {
  const bytes = new TextEncoder().encode(line);
  const kept = bytes.subarray(0, Math.min(bytes.length, LINE_BUFFER - 1));
  const out = new Uint8Array(kept.length + 1);
  out.set(kept);
  out[kept.length] = 0x0a;
  return out;
}

/** The format of the old positional form (`upslog ups file interval word…`): each word and a space, within 4095 bytes. */
export function positionalUpslogFormat(words: readonly string[]): string {
  let format = "";
  for (const word of words) format += `${word} `;
  const bytes = new TextEncoder().encode(format);
  return bytes.length <= LINE_BUFFER - 1 ? format : new TextDecoder().decode(bytes.subarray(0, LINE_BUFFER - 1));
}
