/**
 * Exercises drivers/transport/usb.ts against the real libusb inside the USB simulator and prints
 * one JSON object with what it saw (drivers/transport/usb.test.ts checks it).
 * Usage (under test/sim/hidups_sim.py): bun usb-transport-probe.ts '<json ProbeRequest>'
 */
import { writeFileSync } from "node:fs";
import { enumerateUsbDevices, UsbError, UsbTransport, type UsbOpenOptions } from "../../drivers/transport/usb.ts";
import type { UsbMatchOptions } from "../../drivers/transport/usb-matcher.ts";

interface ProbeRequest {
  match?: UsbMatchOptions;
  /** The simulator's --state file, written to raise interrupt reports and to unplug. */
  stateFile?: string;
  scenario: "open" | "basic" | "reconnect" | "enumerate";
  library?: string;
  /** NUT 2.8.0's behaviour: the "device" string stays unset. */
  leaveDeviceUnset?: boolean;
}

const request = JSON.parse(process.argv[2] ?? "{}") as ProbeRequest;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const show = (result: Uint8Array | UsbError) => (result instanceof UsbError ? { error: result.code, message: result.message } : { data: hex(result) });
const debugLines: string[] = [];
const options: UsbOpenOptions = {
  debug: (level, message) => debugLines.push(`${level} ${message}`),
  ...(request.match !== undefined ? { match: request.match } : {}),
  ...(request.library !== undefined ? { library: request.library } : {}),
  ...(request.leaveDeviceUnset !== undefined ? { leaveDeviceUnset: request.leaveDeviceUnset } : {}),
};

function getFeature(usb: UsbTransport, id: number, length: number): Uint8Array | UsbError {
  return usb.controlTransfer(0xa1, 0x01, 0x0300 + id, 0, length);
}

/** Interrupt reads until `count` reports arrived (bounded: 20 reads of ≤ 250 ms). */
function readReports(usb: UsbTransport, count: number): Array<ReturnType<typeof show>> {
  const got: Array<ReturnType<typeof show>> = [];
  for (let i = 0; i < 20 && got.length < count; i++) {
    const result = usb.interruptRead(0x81, 64, 250);
    if (result instanceof UsbError && result.code === "TIMEOUT") continue;
    got.push(show(result));
  }
  return got;
}

function main(): unknown {
  if (request.scenario === "enumerate") return { devices: enumerateUsbDevices(options) };
  let usb: UsbTransport;
  try {
    usb = UsbTransport.open(options);
  } catch (error) {
    return { openError: (error as Error).name, message: (error as Error).message, debug: debugLines };
  }
  try {
    const out: Record<string, unknown> = { identity: usb.identity };
    if (request.scenario === "basic") {
      const rdesc = usb.hidReportDescriptor();
      out.reportDescriptor =
        rdesc instanceof UsbError
          ? { error: rdesc.code }
          : { length: rdesc.descriptor.length, head: hex(rdesc.descriptor.subarray(0, 8)), method1: rdesc.lengthMethod1, method2: rdesc.lengthMethod2 };
      out.hidInterface = usb.config?.interfaces[0]?.[0]?.bInterfaceClass;
      out.endpoint = usb.config?.interfaces[0]?.[0]?.endpoints[0]?.bEndpointAddress;
      out.serialString = usb.stringDescriptor(3);
      out.feature0c = show(getFeature(usb, 0x0c, 4));
      out.setReport15 = show(usb.controlTransfer(0x21, 0x09, 0x0315, 0, Uint8Array.of(0x15, 20, 0)));
      out.feature15 = show(getFeature(usb, 0x15, 3));
      out.unknownReport = show(getFeature(usb, 0x99, 8));
      const started = performance.now();
      out.interruptIdle = show(usb.interruptRead(0x81, 64, 300));
      out.interruptIdleMs = Math.round(performance.now() - started);
      if (request.stateFile !== undefined) {
        writeFileSync(request.stateFile, JSON.stringify({ ACPresent: 0, Discharging: 1, Charging: 0, RemainingCapacity: 87, RunTimeToEmpty: 1500 }));
        out.interruptReports = readReports(usb, 2);
      }
    } else if (request.scenario === "reconnect" && request.stateFile !== undefined) {
      out.before = show(getFeature(usb, 0x0c, 4));
      writeFileSync(request.stateFile, JSON.stringify({ _disconnected: true }));
      out.unpluggedFeature = show(getFeature(usb, 0x0c, 4));
      out.unpluggedInterrupt = show(usb.interruptRead(0x81, 64, 300));
      out.reconnectWhileUnplugged = usb.reconnect();
      out.unpluggedAfterFailedReconnect = show(getFeature(usb, 0x0c, 4));
      writeFileSync(request.stateFile, JSON.stringify({ _disconnected: false, RemainingCapacity: 55 }));
      out.reconnectAfterReplug = usb.reconnect();
      out.after = show(getFeature(usb, 0x0c, 4));
    }
    return out;
  } finally {
    usb.close();
  }
}

process.stdout.write(`${JSON.stringify(main())}\n`);
