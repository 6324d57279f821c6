/**
 * The scanning half of nut-scanner's main() in NUT 2.8.0, once the command line is read: decide
 * the buses (none asked = all but Eaton serial), announce each scan in 2.8.0's words and order,
 * run them, print the results per bus type (USB, SNMP, XML, NUT, AVAHI, IPMI, serial) and exit 0,
 * or 1 when the USB scan hits one of 2.8.0's fatal errors. Only the USB scan exists in this
 * build: every other bus that would be scanned gets NUT's own "library not found … search
 * disabled" line instead and contributes no device.
 */
import type { NutLog } from "../system/nut-log.ts";
import { cidrToRange } from "./cidr-range.ts";
import type { NutscanDevice, NutscanDeviceType } from "./nutscan-device.ts";
import type { NutscanDisplay } from "./nutscan-display.ts";
import type { ScannerLibraries } from "./scanner-libraries.ts";
import type { UsbScanResult } from "./usb-scan.ts";

/** What the command line asked for. */
export interface ScannerRequest {
  allowAll: boolean;
  allowUsb: boolean;
  allowSnmp: boolean;
  allowXml: boolean;
  allowOldnut: boolean;
  allowAvahi: boolean;
  allowIpmi: boolean;
  allowEatonSerial: boolean;
  startIp: string | undefined;
  endIp: string | undefined;
  cidr: string | undefined;
  /** -q: progress lines only with -D. */
  quiet: boolean;
}

export interface ScannerRunIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** upsdebugx/upslogx lines on stderr (timestamps with -D). */
  log: NutLog;
  /** The USB scan (injected so the flow is testable without libusb). */
  scanUsb(onOpenError: (line: string) => void): UsbScanResult;
}

/** What 2.8.0 prints when a bus library fails to load, per bus (scan_*.c). */
export const BUS_UNAVAILABLE: Readonly<Record<Exclude<NutscanDeviceType, "USB">, string>> = {
  SNMP: "SNMP library not found. SNMP search disabled",
  XML: "Neon library not found. XML search disabled.",
  NUT: "NUT client library not found. NUT search disabled.",
  AVAHI: "AVAHI client library not found. AVAHI search disabled.",
  IPMI: "IPMI library not found. IPMI search disabled.",
  // 2.8.0 has no such line (the serial scan needs no library); worded like the others
  EATON_SERIAL: "Eaton serial scan not available in this build. Serial search disabled.",
};

const DISPLAY_STEPS: readonly [NutscanDeviceType, string][] = [
  ["USB", "USB"],
  ["SNMP", "SNMP"],
  ["XML", "XML/HTTP"],
  ["NUT", "NUT bus (old)"],
  ["AVAHI", "NUT bus (avahi)"],
  ["IPMI", "IPMI"],
  ["EATON_SERIAL", "SERIAL"],
];

/** Runs the scans and prints the results; returns the exit status. */
export function runScanner(request: ScannerRequest, libraries: ScannerLibraries, display: NutscanDisplay, io: ScannerRunIo): number {
  const log = io.log;
  const progressLevel = request.quiet ? 1 : 0;
  const progress = (message: string) => log.debug(progressLevel, message);
  let startIp = request.startIp;

  if (request.cidr !== undefined) {
    log.debug(1, `Processing CIDR net/mask: ${request.cidr}`);
    const range = cidrToRange(request.cidr);
    if (range.kind === "fatal") {
      log.error(range.message);
      return 1;
    }
    if (range.kind === "none" && range.warning !== undefined) log.debug(0, range.warning);
    startIp = range.kind === "range" ? range.start : undefined;
    const endIp = range.kind === "range" ? range.stop : undefined;
    log.debug(1, `Extracted IP address range from CIDR net/mask: ${startIp ?? "(null)"} => ${endIp ?? "(null)"}`);
  }

  const anyAsked = request.allowUsb || request.allowSnmp || request.allowXml || request.allowOldnut || request.allowAvahi || request.allowIpmi || request.allowEatonSerial;
  const all = request.allowAll || !anyAsked;
  const allow = {
    usb: all || request.allowUsb,
    snmp: all || request.allowSnmp,
    xml: all || request.allowXml,
    oldnut: all || request.allowOldnut,
    avahi: all || request.allowAvahi,
    ipmi: all || request.allowIpmi,
  };
  const results = new Map<NutscanDeviceType, NutscanDevice[]>();
  const unavailable = (type: Exclude<NutscanDeviceType, "USB">) => io.stderr(`${BUS_UNAVAILABLE[type]}\n`);

  const usbRuns = allow.usb && libraries.usb !== undefined;
  if (usbRuns) progress("Scanning USB bus.");
  else log.debug(1, "USB SCAN: not requested, SKIPPED");

  if (allow.snmp && libraries.snmp !== undefined) {
    if (startIp === undefined) progress("No start IP, skipping SNMP");
    else {
      progress("Scanning SNMP bus.");
      unavailable("SNMP");
    }
  } else log.debug(1, "SNMP SCAN: not requested, SKIPPED");

  if (allow.xml && libraries.xmlHttp !== undefined) {
    progress("Scanning XML/HTTP bus.");
    unavailable("XML");
  } else log.debug(1, "XML/HTTP SCAN: not requested, SKIPPED");

  if (allow.oldnut && libraries.upsclient !== undefined) {
    if (startIp === undefined) progress("No start IP, skipping NUT bus (old connect method)");
    else {
      progress("Scanning NUT bus (old connect method).");
      unavailable("NUT");
    }
  } else log.debug(1, "NUT bus (old) SCAN: not requested, SKIPPED");

  if (allow.avahi && libraries.avahi !== undefined) {
    progress("Scanning NUT bus (avahi method).");
    unavailable("AVAHI");
  } else log.debug(1, "NUT bus (avahi) SCAN: not requested, SKIPPED");

  if (allow.ipmi && libraries.ipmi !== undefined) {
    progress("Scanning IPMI bus.");
    unavailable("IPMI");
  } else log.debug(1, "IPMI SCAN: not requested, SKIPPED");

  if (request.allowEatonSerial) {
    progress("Scanning serial bus for Eaton devices.");
    unavailable("EATON_SERIAL");
  } else log.debug(1, "SERIAL SCAN: not requested, SKIPPED");

  // 2.8.0 runs the USB scan in a thread and joins it here: its messages come after the above
  if (usbRuns) {
    log.debug(1, "USB SCAN: join back the pthread");
    const usb = io.scanUsb((line) => io.stderr(line));
    if ("fatal" in usb) {
      log.error(usb.fatal);
      return 1;
    }
    results.set("USB", usb.devices);
  }

  log.debug(1, "SCANS DONE: display results");
  for (const [type, label] of DISPLAY_STEPS) {
    log.debug(1, `SCANS DONE: display results: ${label}`);
    io.stdout(display.format(results.get(type) ?? []));
    log.debug(1, `SCANS DONE: free resources: ${label}`);
  }
  log.debug(1, "SCANS DONE: free common scanner resources");
  log.debug(1, "SCANS DONE: EXIT_SUCCESS");
  return 0;
}
