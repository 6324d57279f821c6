/**
 * `upsname[@hostname[:port]]`, the UPS identifier of MONITOR lines, hosts.conf and every client's
 * command line, split the way NUT 2.8.0's upscli_splitname() / upscli_splitaddr()
 * (clients/upsclient.c) do it, including their strtok() quirks. Inputs that 2.8.0 accepts but
 * 2.8.5 rejects come back as accepted, with a warning. Pure: no I/O.
 */
import { parseCLong } from "./c-numbers.ts";

/** upsd's TCP port when none is given (NUT's PORT). */
export const NUT_DEFAULT_PORT = 3493;

/** A UPS identifier split into its parts. */
export interface UpsSystemName {
  upsname: string;
  host: string;
  port: number;
}

/**
 * The outcome of splitting a UPS identifier: the parts, or NUT's stderr text for the failure
 * (with the best-effort UPS name, the text before the first `@`).
 */
export type UpsSystemNameResult =
  | (UpsSystemName & { ok: true; warning?: string })
  | { ok: false; error: string; upsname: string };

/** upscli_splitname() copies its input into a SMALLBUF (512 bytes) first. */
const SMALLBUF = 512;

const NO_PORT = "upscli_splitaddr: no port specified after ':' separator";

/** strtok(s, delim)'s first token: leading delimiters skipped, up to the next one (or ""). */
function firstToken(s: string, delim: string): { token: string; end: number } {
  let start = 0;
  while (start < s.length && s[start] === delim) start++;
  const next = s.indexOf(delim, start);
  const end = next < 0 ? s.length : next;
  return { token: s.slice(start, end), end };
}

/** The port after a `:` (upscli_splitaddr: strtol, 1-65535, trailing junk ignored). */
function parsePort(text: string): number | undefined {
  if (text === "") return undefined;
  const port = parseCLong(text).value;
  return port < 1n || port > 65535n ? undefined : Number(port);
}

/**
 * Splits `ups[@host[:port]]` like NUT 2.8.0: default host `localhost`, default port 3493, IPv6
 * literals in brackets (`ups@[::1]:3494`). Where 2.8.0 would crash (empty name or host) this
 * returns an error instead.
 */
export function parseUpsSystemName(s: string): UpsSystemNameResult {
  const tmp = s.slice(0, SMALLBUF - 1);
  if (tmp === "") return { ok: false, error: "upscli_splitname: can't parse empty string", upsname: "" };
  const at = tmp.indexOf("@");
  // strtok(tmp, "@") skips leading '@'s, so 2.8.0 reads "@host" as UPS "host" at "host"
  const upsname = firstToken(tmp, "@").token;
  if (upsname === "") return { ok: false, error: "upscli_splitname: got empty upsname string", upsname };
  if (at < 0) {
    const result: UpsSystemNameResult = { ok: true, upsname, host: "localhost", port: NUT_DEFAULT_PORT };
    // 2.8.0 takes "ups:3494" as a UPS named "ups:3494" on localhost; 2.8.5 refuses it
    if (tmp.includes(":")) result.warning = "upscli_splitname: port specified, but not a hostname";
    return result;
  }
  const address = splitAddress(tmp.slice(at + 1));
  if (!address.ok) return { ok: false, error: address.error, upsname };
  const result: UpsSystemNameResult = { ok: true, upsname, host: address.host, port: address.port };
  if (at === 0) result.warning = "upscli_splitname: got empty upsname string";
  return result;
}

/** upscli_splitaddr(): `host[:port]` or `[literal][:port]`. */
function splitAddress(
  rest: string,
): { ok: true; host: string; port: number } | { ok: false; error: string } {
  if (rest === "") return { ok: false, error: "upscli_splitaddr: can't parse empty string" };
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith("[")) {
    if (!rest.includes("]")) {
      return { ok: false, error: "upscli_splitaddr: missing closing bracket in [domain literal]" };
    }
    const literal = firstToken(rest.slice(1), "]");
    host = literal.token;
    // what strtok leaves after the literal's closing bracket: a port only if it starts with ':'
    const after = rest.slice(1 + literal.end + 1);
    if (after.startsWith(":")) portText = after.slice(1);
  } else {
    host = firstToken(rest, ":").token;
    const colon = rest.indexOf(":");
    if (colon >= 0) portText = rest.slice(colon + 1);
  }
  if (host === "") return { ok: false, error: "upscli_splitaddr: empty hostname" };
  if (portText === undefined) return { ok: true, host, port: NUT_DEFAULT_PORT };
  const port = parsePort(portText);
  return port === undefined ? { ok: false, error: NO_PORT } : { ok: true, host, port };
}
