/**
 * upsd.conf, as server/conf.c parse_upsd_conf_args() reads it: NUT 2.8.0's directives plus
 * those 2.8.1-2.8.5 added (ALLOW_NOT_ALL_LISTENERS, CERTREQUEST by name). Directive names are
 * case-sensitive except DEBUG_MIN. The TLS directives are accepted whatever TLS library NUT was
 * built with (Debian's NSS build rejects CERTFILE and CERTREQUEST as invalid directives).
 *
 * Pure: no I/O.
 */
import { cAtoi, cAtol, isCDigit, parseCLong, nutStrToInt } from "./c-numbers.ts";
import { readConfLines } from "./conf-lines.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";

/** One LISTEN line. */
export interface UpsdListen {
  /** As written: IPv4, IPv6, host name or `*`. */
  address: string;
  /** As written, or the default port when the line has none. */
  port: string;
  line: number;
}

/** CERTIDENT: NSS certificate nickname and key password. */
export interface UpsdCertIdent {
  name: string;
  password: string;
}

/** A parsed upsd.conf with NUT's defaults applied. */
export interface UpsdConf {
  /** Seconds of driver silence before a UPS is stale (MAXAGE). */
  maxAge: number;
  /** Seconds a TRACKING result is kept (TRACKINGDELAY). */
  trackingDelay: number;
  allowNoDevice: boolean;
  /** 2.8.2+: keep running when some LISTEN addresses could not be bound. */
  allowNotAllListeners: boolean;
  /** MAXCONN; absent = the open-file limit. */
  maxConn?: number;
  statePath?: string;
  dataPath?: string;
  /** LISTEN lines in file order (NUT 2.8.0 binds them in reverse order). */
  listen: UpsdListen[];
  /** OpenSSL: certificate, chain and key in one PEM file. */
  certFile?: string;
  /** NSS: certificate database directory. */
  certPath?: string;
  certIdent?: UpsdCertIdent;
  /** 0 no client certificate, 1 request one, 2 require one. */
  certRequest: number;
  disableWeakSsl: boolean;
  debugMin?: number;
}

/** NUT's TCP port, used by a LISTEN line without a port. */
export const UPSD_DEFAULT_PORT = "3493";

/** upsd's defaults (server/upsd.c). */
export const UPSD_CONF_DEFAULTS: Readonly<UpsdConf> = Object.freeze({
  maxAge: 15,
  trackingDelay: 3600,
  allowNoDevice: false,
  allowNotAllListeners: false,
  listen: [],
  certRequest: 0,
  disableWeakSsl: false,
});

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE = /^[A-Za-z0-9_.-]+$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function isIpv6(text: string): boolean {
  let address = text;
  const percent = address.indexOf("%");
  if (percent >= 0) {
    if (!ZONE.test(address.slice(percent + 1))) return false;
    address = address.slice(0, percent);
  }
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const all = [...head, ...tail];
  let count = all.length;
  // an embedded IPv4 address may end the address and counts as two groups
  const last = all[all.length - 1];
  if (last !== undefined && last.includes(".")) {
    if (!IPV4.test(last)) return false;
    all.pop();
    count++;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

function isHostName(text: string): boolean {
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  if (!labels.every((l) => LABEL.test(l))) return false;
  // RFC 1123: the top-level label is not all-numeric, which keeps "300.1.1.1" out
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/**
 * True for a LISTEN address upsd can hand to getaddrinfo(): an IPv4 dotted quad, an IPv6
 * literal (optionally with a %zone), `*` (any address) or a syntactically valid host name.
 */
export function isValidListenAddress(addr: string): boolean {
  return addr === "*" || IPV4.test(addr) || isIpv6(addr) || isHostName(addr);
}

/** True for a TCP port written as decimal digits in 1-65535. */
export function isValidListenPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/** server/conf.c parse_boolean(). */
function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (lower === "true" || lower === "on" || lower === "yes" || lower === "1") return true;
  if (lower === "false" || lower === "off" || lower === "no" || lower === "0") return false;
  return undefined;
}

type Emit = (line: number, severity: ConfigDiagnostic["severity"], message: string) => void;

/** Parses upsd.conf text or bytes; `file` names it in the diagnostics. */
export function parseUpsdConf(input: Uint8Array | string, file: string): { config: UpsdConf; diagnostics: ConfigDiagnostic[] } {
  const read = readConfLines(input, file);
  const diagnostics: ConfigDiagnostic[] = [...read.diagnostics];
  const emit: Emit = (line, severity, message) => diagnostics.push({ file, line, severity, message });
  const config: UpsdConf = { ...UPSD_CONF_DEFAULTS, listen: [] };
  const seen = new Map<string, { line: number; args: string }>();

  for (const { words, line } of read.lines) {
    const handled = parseDirective(config, words, line, emit);
    if (handled === "invalid") {
      emit(line, "error", `invalid directive ${words.join(" ")}`);
      continue;
    }
    if (handled === "rejected") continue;
    const name = words[0]!;
    const args = words.slice(1);
    // server/conf.c reads at most arg[2]; more words are silently dropped
    if (args.length > handled) emit(line, "warning", `${name}: NUT ignores "${args.slice(handled).join(" ")}"`);
    const key = name.toUpperCase();
    if (key !== "LISTEN" && key !== "ACCEPT" && key !== "REJECT" && key !== "ACL") {
      const previous = seen.get(key);
      const now = args.slice(0, handled).join(" ");
      if (previous && previous.args !== now) emit(line, "warning", `${name} is set again (first on line ${previous.line}): the last value wins`);
      seen.set(key, { line, args: now });
    }
  }
  checkListen(config.listen, emit);

  diagnostics.sort((a, b) => a.line - b.line);
  return { config, diagnostics };
}

/**
 * One line of upsd.conf. Returns how many arguments the directive uses, "rejected" when NUT
 * logs its own message about the value and ignores it, or "invalid" for NUT's
 * `upsd.conf: invalid directive …`.
 */
function parseDirective(config: UpsdConf, words: readonly string[], line: number, emit: Emit): number | "rejected" | "invalid" {
  if (words.length < 2) return "invalid";
  const name = words[0]!;
  const arg = words[1]!;

  if (name.toUpperCase() === "DEBUG_MIN") {
    const level = nutStrToInt(arg);
    // logged (NUT then counts the line as handled: no "invalid directive")
    if (level === undefined || level < 0) {
      emit(line, "error", "DEBUG_MIN has non numeric or negative value in upsd.conf");
      return "rejected";
    }
    config.debugMin = level;
    return 1;
  }

  switch (name) {
    case "MAXAGE":
    case "TRACKINGDELAY": {
      if (!isCDigit(arg[0])) {
        emit(line, "error", `${name} has non numeric value (${arg})!`);
        return "rejected";
      }
      const value = readAtoi(name, arg, line, emit);
      if (name === "MAXAGE") config.maxAge = value;
      else config.trackingDelay = value;
      return 1;
    }
    case "ALLOW_NO_DEVICE":
    case "ALLOW_NOT_ALL_LISTENERS": {
      // a leading digit means a number (non-zero = true), else a boolean word
      let value: boolean | undefined;
      if (isCDigit(arg[0])) value = cAtoi(arg) !== 0;
      else value = parseBoolean(arg);
      if (value === undefined) {
        emit(line, "error", `${name} has non numeric and non boolean value (${arg})!`);
        return "rejected";
      }
      if (name === "ALLOW_NO_DEVICE") config.allowNoDevice = value;
      else config.allowNotAllListeners = value;
      return 1;
    }
    case "MAXCONN":
      if (!isCDigit(arg[0])) {
        emit(line, "error", `MAXCONN has non numeric value (${arg})!`);
        return "rejected";
      }
      if (!parseCLong(arg).exact) emit(line, "warning", `MAXCONN value "${arg}" is not a plain integer: NUT reads it as ${cAtol(arg)}`);
      config.maxConn = cAtol(arg);
      return 1;
    case "STATEPATH":
      config.statePath = arg;
      return 1;
    case "DATAPATH":
      config.dataPath = arg;
      return 1;
    case "CERTFILE":
      config.certFile = arg;
      return 1;
    case "CERTPATH":
      config.certPath = arg;
      return 1;
    case "CERTREQUEST":
      return parseCertRequest(config, arg, line, emit);
    case "DISABLE_WEAK_SSL": {
      const value = parseBoolean(arg);
      if (value === undefined) {
        emit(line, "error", `DISABLE_WEAK_SSL has non boolean value (${arg})!`);
        return "rejected";
      }
      config.disableWeakSsl = value;
      return 1;
    }
    case "ACCEPT":
    case "REJECT":
      emit(line, "warning", `${name} in upsd.conf is no longer supported - switch to LISTEN`);
      return words.length - 1;
    case "LISTEN":
      config.listen.push({ address: arg, port: words[2] ?? UPSD_DEFAULT_PORT, line });
      return 2;
    default:
      break;
  }

  // everything below needs arg[2]
  if (words.length < 3) return "invalid";
  if (name === "ACL") {
    emit(line, "warning", "ACL in upsd.conf is no longer supported - switch to LISTEN");
    return words.length - 1;
  }
  if (name === "CERTIDENT") {
    config.certIdent = { name: arg, password: words[2]! };
    return 2;
  }
  return "invalid";
}

/** CERTREQUEST: digits read with atoi(), or NO/REQUEST/REQUIRE (2.8.5, case-sensitive). */
function parseCertRequest(config: UpsdConf, arg: string, line: number, emit: Emit): number | "rejected" {
  const named: Record<string, number> = { NO: 0, REQUEST: 1, REQUIRE: 2 };
  let value: number;
  if (isCDigit(arg[0])) {
    value = readAtoi("CERTREQUEST", arg, line, emit);
  } else if (Object.hasOwn(named, arg)) {
    value = named[arg]!;
  } else {
    emit(line, "error", `CERTREQUEST has non numeric value (${arg})!`);
    return "rejected";
  }
  // server/netssl.c ssl_init() refuses anything outside 0-2 and leaves TLS off
  if (value > 2) emit(line, "error", `CERTREQUEST ${value}: upsd logs "Invalid certificate requirement" and disables TLS`);
  config.certRequest = value;
  return 1;
}

/** A number that passed NUT's isdigit() gate, read with atoi() as NUT does. */
function readAtoi(name: string, arg: string, line: number, emit: Emit): number {
  const value = cAtoi(arg);
  const parsed = parseCLong(arg);
  if (!parsed.exact || BigInt(value) !== parsed.value) {
    emit(line, "warning", `${name} value "${arg}" is not a plain integer: NUT reads it as ${value}`);
  }
  return value;
}

/** Addresses and ports upsd will fail on at startup (server/upsd.c setuptcp()). */
function checkListen(listen: readonly UpsdListen[], emit: Emit): void {
  const seen = new Map<string, number>();
  for (const l of listen) {
    if (!isValidListenAddress(l.address)) {
      emit(l.line, "fatal", `LISTEN address "${l.address}" is not an IP address or host name: upsd exits (getaddrinfo: Name or service not known)`);
    }
    if (!isValidListenPort(l.port)) {
      emit(l.line, "error", `invalid LISTEN port "${l.port}" (must be a number in 1-65535)`);
    }
    const key = `${l.address} ${l.port}`;
    const first = seen.get(key);
    if (first !== undefined) {
      emit(l.line, "error", `LISTEN ${l.address} ${l.port} repeats line ${first}: upsd cannot bind the same address twice ("not listening on ${l.address} port ${l.port}")`);
    } else {
      seen.set(key, l.line);
    }
  }
}
