import { describe, expect, test } from "bun:test";
import { MemoryNutLog } from "../../core/system/nut-log.ts";
import { logNoUsbHidDevice, logUsbHidDeviceRefused } from "./usb-open-failure.ts";

const logged = (f: (log: MemoryNutLog) => void): string[] => {
  const log = new MemoryNutLog();
  log.debugLevel = 2;
  f(log);
  return log.lines;
};

describe("libusb1.c's closing lines when no HID device is usable", () => {
  test("no device on any bus", () => {
    expect(logged((log) => logNoUsbHidDevice(log, { devicesSeen: 0, openErrors: 0, accessErrors: 0 }))).toEqual([
      "[D2] libusb1: No appropriate HID device found",
      "libusb1: Could not open any HID devices: no USB buses found",
    ]);
  });

  test("devices that did not match, or failed to open: 2.8.0's test says insufficient permissions either way", () => {
    const want = ["[D2] libusb1: No appropriate HID device found", "libusb1: Could not open any HID devices: insufficient permissions on everything"];
    expect(logged((log) => logNoUsbHidDevice(log, { devicesSeen: 3, openErrors: 0, accessErrors: 0 }))).toEqual(want);
    expect(logged((log) => logNoUsbHidDevice(log, { devicesSeen: 3, openErrors: 2, accessErrors: 1 }))).toEqual(want);
  });

  test("a device the callback refused", () => {
    expect(logged((log) => logUsbHidDeviceRefused(log, true))).toEqual([
      "[D2] Caller doesn't like this device",
      "[D2] libusb1: No appropriate HID device found",
      "libusb1: Could not open any HID devices: insufficient permissions on everything",
    ]);
    expect(logged((log) => logUsbHidDeviceRefused(log, false))[0]).toBe("[D2] libusb1: No appropriate HID device found");
  });
});
