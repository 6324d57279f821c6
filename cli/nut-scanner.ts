/**
 * `nut-scanner`: NUT 2.8.0's tools/nut-scanner/nut-scanner.c command line — every option of
 * 2.8.0 with its long form, the usage text and errors byte for byte, bus availability decided
 * as 2.8.0 decides it (see core/scanner/scanner-libraries.ts) — plus later NUT's -Q (its
 * usage line is the one difference in the usage text). The scans themselves live in
 * core/scanner/; only the USB scan is implemented.
 */
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { runScanner, type ScannerRequest } from "../core/scanner/nut-scanner-run.ts";
import { type NutscanDisplay, ParsableDisplay, SanityCheckDisplay, UpsConfDisplay } from "../core/scanner/nutscan-display.ts";
import { initialMaxThreads, openFilesLimit, RESERVE_FD_COUNT } from "../core/scanner/open-files-limit.ts";
import { detectScannerLibraries } from "../core/scanner/scanner-libraries.ts";
import { scannerUsage } from "../core/scanner/scanner-usage.ts";
import { StreamNutLog } from "../core/system/nut-log.ts";
import { GetoptLong, type LongOption } from "./getopt-long.ts";
import type { ProgramIo } from "./program-io.ts";

/** nut-scanner.c's optstring of 2.8.0 plus later NUT's -Q (no -n, -J yet). */
const OPTSTRING = "?ht:T:s:e:E:c:l:u:W:X:w:x:p:b:B:d:L:CUSMOAm:QNPqIVaD";

const req = (name: string, val: string): LongOption => ({ name, hasArg: "required", val });
const flag = (name: string, val: string): LongOption => ({ name, hasArg: "none", val });
/**
 * longopts[] of 2.8.0, in its order (glibc lists ambiguous candidates in this order), with
 * disp_nut_conf_with_sanity_check (2.8.1+) where later NUT has it, before disp_nut_conf.
 */
const LONGOPTS: readonly LongOption[] = [
  req("timeout", "t"), req("thread", "T"), req("start_ip", "s"), req("end_ip", "e"),
  req("eaton_serial", "E"), req("mask_cidr", "m"), req("community", "c"), req("secLevel", "l"),
  req("secName", "u"), req("authPassword", "W"), req("privPassword", "X"), req("authProtocol", "w"),
  req("privProtocol", "x"), req("username", "b"), req("password", "B"), req("authType", "d"),
  req("cipher_suite_id", "L"), req("port", "p"), flag("complete_scan", "C"), flag("usb_scan", "U"),
  flag("snmp_scan", "S"), flag("xml_scan", "M"), flag("oldnut_scan", "O"), flag("avahi_scan", "A"),
  flag("ipmi_scan", "I"), flag("disp_nut_conf_with_sanity_check", "Q"), flag("disp_nut_conf", "N"), flag("disp_parsable", "P"), flag("quiet", "q"),
  flag("help", "h"), flag("version", "V"), flag("available", "a"), flag("nut_debug_level", "D"),
];

const DEFAULT_NETWORK_TIMEOUT = 5;
const IPMI_AUTH_TYPES = ["NONE", "STRAIGHT_PASSWORD_KEY", "MD2", "MD5"];

/** C strtol(s, &end, 10): the value (clamped to long) and whether the whole string was used. */
function strtol(text: string): { value: bigint; complete: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  if (m === null) return { value: 0n, complete: text === "" };
  let value = BigInt(m[2]!) * (m[1] === "-" ? -1n : 1n);
  const max = 0x7fffffffffffffffn;
  if (value > max) value = max;
  if (value < -max - 1n) value = -max - 1n;
  return { value, complete: m[0].length === text.length };
}

/** `(useconds_t)atol(s) * 1000 * 1000` is 0 (NUT's test `timeout <= 0` on an unsigned). */
function timeoutIsZero(text: string): boolean {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  const seconds = m === null ? 0n : BigInt.asIntN(64, BigInt(m[1]!));
  return BigInt.asUintN(32, BigInt.asUintN(32, seconds) * 1_000_000n) === 0n;
}

export async function main(args: string[], io: ProgramIo): Promise<number> {
  // first pass, silent: only the debug level (it applies to the library search below)
  let debugLevel = 0;
  const silent = new GetoptLong(args, OPTSTRING, LONGOPTS, io.name);
  for (let r = silent.next(); r !== undefined; r = silent.next()) if (r.opt === "D") debugLevel++;
  const log = new StreamNutLog((text) => io.stderr(text), debugLevel);

  const libraries = detectScannerLibraries({ level: debugLevel, print: (level, message) => log.debug(level, message) });
  const buses = {
    usb: libraries.usb !== undefined,
    snmp: libraries.snmp !== undefined,
    xmlHttp: libraries.xmlHttp !== undefined,
    avahi: libraries.avahi !== undefined,
    ipmi: libraries.ipmi !== undefined,
  };
  const limit = openFilesLimit();
  let maxThreads = initialMaxThreads(limit);
  let display: NutscanDisplay = new UpsConfDisplay();
  const request: ScannerRequest = {
    allowAll: false, allowUsb: false, allowSnmp: false, allowXml: false, allowOldnut: false,
    allowAvahi: false, allowIpmi: false, allowEatonSerial: false,
    startIp: undefined, endIp: undefined, cidr: undefined, quiet: false,
  };

  const help = (opt: string, exitCode: number): number => {
    io.stdout(scannerUsage(buses, Number(maxThreads), DEFAULT_NETWORK_TIMEOUT));
    if (opt !== "h" || exitCode !== 0) {
      io.stderr("\n\nWARNING: Some error has occurred while processing 'nut-scanner' command-line\narguments, see more details above the usage help text.\n\n");
    }
    return exitCode;
  };

  const parser = new GetoptLong(args, OPTSTRING, LONGOPTS, io.name);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    const arg = r.arg ?? "";
    switch (r.opt) {
      case "t":
        if (timeoutIsZero(arg)) io.stderr(`Illegal timeout value, using default ${DEFAULT_NETWORK_TIMEOUT}s\n`);
        break;
      case "s":
        request.startIp = arg;
        request.endIp ??= arg;
        break;
      case "e":
        request.endIp = arg;
        request.startIp ??= arg;
        break;
      case "E":
        request.allowEatonSerial = true;
        break;
      case "m":
        request.cidr = arg;
        log.debug(5, `Got CIDR net/mask: ${arg}`);
        break;
      case "D":
      case "p":
        break;
      case "c": case "l": case "u": case "W": case "X": case "w": case "x":
        if (!buses.snmp) return help(r.opt, 0);
        break;
      case "S":
        if (!buses.snmp) return help(r.opt, 0);
        request.allowSnmp = true;
        break;
      case "b": case "B": case "L":
        if (!buses.ipmi) return help(r.opt, 0);
        break;
      case "d":
        if (!buses.ipmi) return help(r.opt, 0);
        if (!IPMI_AUTH_TYPES.includes(arg)) io.stderr(`Unknown authentication type (${arg}). Defaulting to MD5\n`);
        break;
      case "T": {
        const { value, complete } = strtol(arg);
        if (complete && value > 0n) {
          if (limit !== undefined && limit.soft > RESERVE_FD_COUNT && value > limit.soft - RESERVE_FD_COUNT) {
            log.debug(1, `Detected soft limit for file descriptor count is ${limit.soft}`);
            log.debug(1, `Detected hard limit for file descriptor count is ${limit.hard}`);
            maxThreads = limit.soft > RESERVE_FD_COUNT + 1n ? limit.soft - RESERVE_FD_COUNT : limit.soft;
            io.stderr(`WARNING: Requested max scanning thread count ${arg} (${value}) exceeds the current file descriptor count limit (minus reservation), constraining to ${maxThreads}\n`);
          } else maxThreads = value;
        } else {
          io.stderr(`WARNING: Requested max scanning thread count ${arg} (${value}) is out of range, using default ${maxThreads}\n`);
        }
        break;
      }
      case "C":
        request.allowAll = true;
        break;
      case "U":
        if (!buses.usb) return help(r.opt, 0);
        request.allowUsb = true;
        break;
      case "M":
        if (!buses.xmlHttp) return help(r.opt, 0);
        request.allowXml = true;
        break;
      case "O":
        request.allowOldnut = true;
        break;
      case "A":
        if (!buses.avahi) return help(r.opt, 0);
        request.allowAvahi = true;
        break;
      case "I":
        if (!buses.ipmi) return help(r.opt, 0);
        request.allowIpmi = true;
        break;
      case "Q":
        // 2.8.1+ makes this the default; the default stays 2.8.0's -N here
        display = new SanityCheckDisplay((level, message) => log.debug(level, message));
        break;
      case "N":
        display = new UpsConfDisplay();
        break;
      case "P":
        display = new ParsableDisplay();
        break;
      case "q":
        request.quiet = true;
        break;
      case "V":
        io.stdout(`Network UPS Tools - ${UPS_VERSION}\n`);
        return 0;
      case "a":
        io.stdout(
          "OLDNUT\n" +
            (buses.usb ? "USB\n" : "") +
            (buses.snmp ? "SNMP\n" : "") +
            (buses.xmlHttp ? "XML\n" : "") +
            (buses.avahi ? "AVAHI\n" : "") +
            (buses.ipmi ? "IPMI\n" : "") +
            "EATON_SERIAL\n",
        );
        return 0;
      case "?":
        // ERR_BAD_OPTION (-1) as an exit status
        return help(r.opt, 255);
      default:
        return help(r.opt, 0);
    }
  }

  const { scanUsb } = await import("../core/scanner/usb-scan.ts");
  const { UsbLibraryMissingError } = await import("../drivers/transport/usb.ts");
  return runScanner(request, libraries, display, {
    stdout: (text) => io.stdout(text),
    stderr: (text) => io.stderr(text),
    log,
    scanUsb: (onOpenError) => {
      try {
        return scanUsb(onOpenError);
      } catch (error) {
        if (!(error instanceof UsbLibraryMissingError)) throw error;
        // 2.8.0's words when the library it found cannot be loaded; the scan then finds nothing
        io.stderr(`Cannot load USB library (${libraries.usb ?? "libusb-1.0.so"}) : ${error.message}. USB search disabled.\n`);
        return { devices: [] };
      }
    },
  });
}
