/**
 * What libusb1.c's nut_libusb_open() logs when no device passed the matchers and the driver's
 * callback (NUT 2.8.0): a debug line, then a warning whose wording depends on the counts of the
 * scan. As 2.8.0 words the test, the "insufficient permissions" variant also stands when no
 * open failed at all (0 open errors == 0 EACCES errors), i.e. whenever the bus had any device.
 */
import type { NutLog } from "../../core/system/nut-log.ts";

/** The counts of one scan of the bus (UsbNoDeviceError carries them). */
export interface UsbScanCounts {
  readonly devicesSeen: number;
  readonly openErrors: number;
  readonly accessErrors: number;
}

export function logNoUsbHidDevice(log: NutLog, scan: UsbScanCounts): void {
  log.debug(2, "libusb1: No appropriate HID device found");
  if (scan.devicesSeen < 1) log.warning("libusb1: Could not open any HID devices: no USB buses found");
  else if (scan.openErrors > 0 || scan.openErrors === scan.accessErrors) log.warning("libusb1: Could not open any HID devices: insufficient permissions on everything");
}

/**
 * The device was opened but its HID descriptors could not be read or the driver's callback
 * refused it: 2.8.0 then tries the next device; with none left (the one-device case) these are
 * its closing lines.
 */
export function logUsbHidDeviceRefused(log: NutLog, byCallback: boolean): void {
  if (byCallback) log.debug(2, "Caller doesn't like this device");
  logNoUsbHidDevice(log, { devicesSeen: 1, openErrors: 0, accessErrors: 0 });
}
