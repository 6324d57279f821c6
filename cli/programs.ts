import type { ProgramMain } from "./program-io.ts";

/** One program of the multicall binary. */
export interface ProgramEntry {
  readonly name: string;
  readonly summary: string;
  readonly kind: "server" | "client" | "driver" | "tool";
  /** Imports the program's front only when it runs, so `upsc` never evaluates a driver. */
  readonly load: () => Promise<{ main: ProgramMain }>;
}

/** The loader of every program whose issue has not landed yet. */
export const notImplemented = (): Promise<{ main: ProgramMain }> => import("./not-implemented.ts");
/** Every driver shares one front, parameterized by the driver's name. */
const driver = (name: string) => async (): Promise<{ main: ProgramMain }> => ({ main: (await import("./driver.ts")).driverMain(name) });

/** Every NUT program this binary answers to, in `nut --help` order. */
export const PROGRAMS: readonly ProgramEntry[] = Object.freeze([
  { name: "upsd", kind: "server", summary: "UPS information server (TCP 3493)", load: () => import("./upsd.ts") },
  { name: "upsmon", kind: "server", summary: "UPS monitor and shutdown controller", load: () => import("./upsmon.ts") },
  { name: "upssched", kind: "server", summary: "timer helper for upsmon events", load: () => import("./upssched.ts") },
  { name: "upsdrvctl", kind: "server", summary: "UPS driver controller", load: () => import("./upsdrvctl.ts") },
  { name: "upsc", kind: "client", summary: "show UPS variables", load: () => import("./upsc.ts") },
  { name: "upscmd", kind: "client", summary: "send instant commands to a UPS", load: () => import("./upscmd.ts") },
  { name: "upsrw", kind: "client", summary: "view and change writable UPS variables", load: () => import("./upsrw.ts") },
  { name: "upslog", kind: "client", summary: "log UPS status to a file", load: () => import("./upslog.ts") },
  { name: "nut-scanner", kind: "tool", summary: "find UPS devices (USB, SNMP, NUT …)", load: () => import("./nut-scanner.ts") },
  { name: "dummy-ups", kind: "driver", summary: "driver for simulated UPSes and repeaters", load: driver("dummy-ups") },
  { name: "clone", kind: "driver", summary: "second view of another driver's UPS", load: driver("clone") },
  { name: "usbhid-ups", kind: "driver", summary: "driver for USB HID Power Device UPSes", load: driver("usbhid-ups") },
  { name: "nutdrv_qx", kind: "driver", summary: "driver for Q* protocol UPSes (Megatec and others)", load: notImplemented },
  { name: "blazer_ser", kind: "driver", summary: "driver for Megatec/Q1 serial UPSes", load: notImplemented },
  { name: "blazer_usb", kind: "driver", summary: "driver for Megatec/Q1 USB UPSes", load: notImplemented },
  { name: "apcsmart", kind: "driver", summary: "driver for APC Smart protocol UPSes", load: notImplemented },
  { name: "genericups", kind: "driver", summary: "driver for contact-closure UPSes", load: notImplemented },
  { name: "snmp-ups", kind: "driver", summary: "driver for SNMP UPSes and PDUs", load: notImplemented },
  { name: "netxml-ups", kind: "driver", summary: "driver for Eaton/MGE network XML UPSes", load: notImplemented },
] satisfies ProgramEntry[]);

/** Finds a program by its exact name. */
export function findProgram(name: string): ProgramEntry | undefined {
  return PROGRAMS.find((p) => p.name === name);
}
