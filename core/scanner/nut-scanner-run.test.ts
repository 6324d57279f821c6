import { describe, expect, test } from "bun:test";
import { MemoryNutLog } from "../system/nut-log.ts";
import { runScanner, type ScannerRequest } from "./nut-scanner-run.ts";
import { ParsableDisplay } from "./nutscan-display.ts";
import type { ScannerLibraries } from "./scanner-libraries.ts";
import type { UsbScanResult } from "./usb-scan.ts";

const NONE: ScannerRequest = {
  allowAll: false, allowUsb: false, allowSnmp: false, allowXml: false, allowOldnut: false, allowAvahi: false,
  allowIpmi: false, allowEatonSerial: false, startIp: undefined, endIp: undefined, cidr: undefined, quiet: false,
};
const ALL_LIBS: ScannerLibraries = { usb: "/l/usb", snmp: "/l/snmp", xmlHttp: "/l/neon", avahi: "/l/avahi", ipmi: "/l/ipmi", upsclient: "/l/upsclient" };
const USB_DEVICE: UsbScanResult = { devices: [{ type: "USB", driver: "usbhid-ups", port: "auto", options: [{ name: "bus", value: "001" }] }] };

// MemoryNutLog tags upsdebugx(0, …) lines "[D0]"; StreamNutLog prints them bare
function run(request: ScannerRequest, libraries: ScannerLibraries, usb: UsbScanResult = USB_DEVICE) {
  const out: string[] = [];
  const log = new MemoryNutLog();
  const status = runScanner(request, libraries, new ParsableDisplay(), {
    stdout: (t) => out.push(t),
    stderr: (t) => log.lines.push(`stderr:${t.trimEnd()}`),
    log,
    scanUsb: () => usb,
  });
  return { status, stdout: out.join(""), log: log.lines };
}

describe("nut-scanner's scan flow (2.8.0 main())", () => {
  test("no bus asked = every available bus but serial; announcements in 2.8.0's order; USB joined last", () => {
    const r = run({ ...NONE, startIp: "10.0.0.1" }, ALL_LIBS);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('USB:driver="usbhid-ups",port="auto",bus="001"\n');
    expect(r.log).toEqual([
      "[D0] Scanning USB bus.",
      "[D0] Scanning SNMP bus.",
      "stderr:SNMP library not found. SNMP search disabled",
      "[D0] Scanning XML/HTTP bus.",
      "stderr:Neon library not found. XML search disabled.",
      "[D0] Scanning NUT bus (old connect method).",
      "stderr:NUT client library not found. NUT search disabled.",
      "[D0] Scanning NUT bus (avahi method).",
      "stderr:AVAHI client library not found. AVAHI search disabled.",
      "[D0] Scanning IPMI bus.",
      "stderr:IPMI library not found. IPMI search disabled.",
    ]);
  });
  test("buses without their library are skipped silently; no start IP skips SNMP and NUT", () => {
    const r = run({ ...NONE, allowAll: true }, { ...ALL_LIBS, xmlHttp: undefined, avahi: undefined, ipmi: undefined });
    expect(r.log).toEqual(["[D0] Scanning USB bus.", "[D0] No start IP, skipping SNMP", "[D0] No start IP, skipping NUT bus (old connect method)"]);
  });
  test("-q keeps progress lines for -D; a fatal USB error exits 1 before any output", () => {
    const r = run({ ...NONE, allowUsb: true, quiet: true }, ALL_LIBS, { fatal: "No USB device found: Resource temporarily unavailable" });
    expect(r).toEqual({ status: 1, stdout: "", log: ["No USB device found: Resource temporarily unavailable"] });
  });
  test("a CIDR with mask 0 is fatal", () => {
    expect(run({ ...NONE, allowUsb: true, cidr: "10.0.0.0/0" }, ALL_LIBS)).toEqual({ status: 1, stdout: "", log: ["Bad netmask: 0"] });
  });
});
