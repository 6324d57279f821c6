/**
 * The USB transport under the REAL libusb, on devices simulated by test/sim/hidups_sim.py
 * (umockdev + a usbdevfs ioctl handler): test/sim/usb-transport-probe.ts runs inside the
 * simulator and prints JSON that is checked here. Nothing of ffi/ or the transport is mocked.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimOptions, usbSimUnavailable } from "../../test/harness/usb-sim.ts";

const PROBE = join(import.meta.dir, "..", "..", "test", "sim", "usb-transport-probe.ts");

async function probe(request: object, sim: UsbSimOptions): Promise<Record<string, any>> {
  const result = await runUnderUsbSim([process.execPath, PROBE, JSON.stringify(request)], sim, 30_000);
  if (result.exitCode !== 0) throw new Error(`probe exited ${result.exitCode}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, any>;
}

const dir = tempDir("nut-usb-transport-");
const results: Record<string, Record<string, any>> = {};

beforeAll(async () => {
  const why = usbSimUnavailable();
  // Not a skip: the suite's setup script installs umockdev, so its absence is a failure.
  if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
  const state = (name: string) => {
    const file = join(dir.path, `${name}.json`);
    writeFileSync(file, "{}");
    return file;
  };
  const basicState = state("basic");
  const reconnectState = state("reconnect");
  const runs: Array<[string, Promise<Record<string, any>>]> = [
    ["basic", probe({ scenario: "basic", match: { vendorid: "051D", productid: "0002" }, stateFile: basicState }, { stateFile: basicState, logFile: join(dir.path, "basic.jsonl") })],
    ["reconnect", probe({ scenario: "reconnect", stateFile: reconnectState }, { stateFile: reconnectState })],
    ["enumerate", probe({ scenario: "enumerate" }, { profiles: ["apc", "eaton"] })],
    ["byVendorRegex", probe({ scenario: "open", match: { vendor: "eat.n" } }, { profiles: ["apc", "eaton"] })],
    ["byProductRegex", probe({ scenario: "open", match: { product: "back-ups ES [0-9]+G .*" } }, { profiles: ["eaton", "apc"] })],
    ["byBusport", probe({ scenario: "open", match: { busport: "002" } }, { profiles: ["apc", "eaton"] })],
    ["bySerialAndBus", probe({ scenario: "open", match: { serial: "4b1234p56789", bus: "001" } }, { profiles: ["eaton", "apc"] })],
    ["noMatch", probe({ scenario: "open", match: { vendorid: "0764" } }, { profiles: ["apc", "eaton"] })],
    ["badRegex", probe({ scenario: "open", match: { product: "Back-UPS (" } }, {})],
  ];
  await Promise.all(runs.map(async ([name, run]) => void (results[name] = await run)));
}, 60_000);

afterAll(() => dir[Symbol.dispose]());

describe("UsbTransport on the simulated APC Back-UPS", () => {
  test("matches by vendorid/productid and reads the identity strings", () => {
    expect(results.basic?.identity).toEqual({
      vendorId: 0x051d,
      productId: 0x0002,
      bcdDevice: 0x0106,
      vendor: "American Power Conversion",
      product: "Back-UPS ES 700G FW:871.O4 .I USB FW:O4",
      serial: "4B1234P56789",
      bus: "001",
      device: "002",
      busPort: "001",
    });
    expect(results.basic?.serialString).toBe("4B1234P56789");
  });

  test("reads the config descriptor and the 421-byte report descriptor both ways", () => {
    expect(results.basic?.hidInterface).toBe(3);
    expect(results.basic?.endpoint).toBe(0x81);
    expect(results.basic?.reportDescriptor).toEqual({ length: 421, head: "05840904a1010924", method1: 421, method2: 421 });
  });

  test("GET_REPORT, SET_REPORT and a STALL on an unknown report", () => {
    expect(results.basic?.feature0c).toEqual({ data: "0c646009" }); // 100 %, 2400 s
    expect(results.basic?.setReport15).toEqual({ data: "151400" });
    expect(results.basic?.feature15).toEqual({ data: "151400" }); // DelayBeforeShutdown = 20 stuck
    expect(results.basic?.unknownReport).toEqual({ error: "PIPE", message: "Pipe error" });
    const log = readFileSync(join(dir.path, "basic.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(log.some((r) => r.setup === "2109150300000300" && r.out === "151400")).toBe(true);
  });

  test("interrupt-IN: a timeout while idle, then the reports a state change raises", () => {
    expect(results.basic?.interruptIdle).toEqual({ error: "TIMEOUT", message: "Operation timed out" });
    expect(results.basic?.interruptIdleMs).toBeGreaterThanOrEqual(250);
    expect(results.basic?.interruptIdleMs).toBeLessThan(2000);
    // 0x0c: 87 %, 1500 s; 0x16: Discharging + BatteryPresent
    expect(results.basic?.interruptReports).toEqual([{ data: "0c57dc05" }, { data: "160a00" }]);
  });

  test("unplug gives NO_DEVICE and a failing reconnect; replug reconnects to fresh data", () => {
    const r = results.reconnect;
    expect(r?.before).toEqual({ data: "0c646009" });
    expect(r?.unpluggedFeature.error).toBe("NO_DEVICE");
    expect(r?.unpluggedInterrupt.error).toBe("NO_DEVICE");
    expect(r?.reconnectWhileUnplugged).toBe(false);
    expect(r?.unpluggedAfterFailedReconnect.error).toBe("NO_DEVICE");
    expect(r?.reconnectAfterReplug).toBe(true);
    expect(r?.after).toEqual({ data: "0c376009" }); // 55 % after the replug
  });
});

describe("UsbTransport matching among several simulated devices", () => {
  test("enumerates every device with its identity", () => {
    const devices = results.enumerate?.devices as Array<Record<string, unknown>>;
    expect(devices.map((d) => `${d.bus}/${d.device} port ${d.busPort} ${d.vendor}`).sort()).toEqual([
      "001/002 port 001 American Power Conversion",
      "001/003 port 002 EATON",
    ]);
  });

  test("vendor and product regexes, case-insensitive, pick the right device whatever the order", () => {
    expect(results.byVendorRegex?.identity.vendor).toBe("EATON");
    expect(results.byProductRegex?.identity.vendorId).toBe(0x051d);
  });

  test("busport and serial+bus", () => {
    expect(results.byBusport?.identity.vendor).toBe("EATON");
    expect(results.bySerialAndBus?.identity.serial).toBe("4B1234P56789");
  });

  test("no device matching, and a bad regex, are errors", () => {
    expect(results.noMatch?.openError).toBe("UsbNoDeviceError");
    expect(results.noMatch?.debug).toContain("2 Device does not match - skipping");
    expect(results.badRegex?.openError).toBe("PosixRegexError");
    expect(results.badRegex?.message).toBe("invalid regular expression: Back-UPS (");
  });
});
