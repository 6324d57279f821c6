/**
 * nut-scanner -U of NUT 2.8.0 (tools/nut-scanner/scan_usb.c): every device libusb lists whose
 * VID:PID is in the USB ID table becomes a section for that table's driver, port "auto", with
 * vendorid, productid (%04X), product, serial, vendor (string descriptors, trailing spaces cut,
 * each only when read) and bus (%03d), in that order. USB is reached through libusb only.
 */
import { scanUsbBus, type UsbBusScan } from "../../drivers/transport/usb-bus-scan.ts";
import type { NutscanDevice, NutscanOption } from "./nutscan-device.ts";
import { NUTSCAN_USB_TABLE } from "./nutscan-usb-table.ts";
import { NUTSCAN_USB_TABLE_LATER } from "./nutscan-usb-table-later.ts";

/**
 * The driver the table names for a VID:PID (first entry wins, as in 2.8.0), then the later
 * NUT IDs this build supports (EcoFlow), or undefined.
 */
export function usbDriverFor(vendorId: number, productId: number): string | undefined {
  const known = ([vid, pid]: readonly [number, number, string]): boolean => vid === vendorId && pid === productId;
  return (NUTSCAN_USB_TABLE.find(known) ?? NUTSCAN_USB_TABLE_LATER.find(known))?.[2];
}

/** The scan's outcome: the devices, or the fatal message 2.8.0 exits 1 with. */
export type UsbScanResult = { devices: NutscanDevice[] } | { fatal: string };

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
/** common.c str_rtrim(s, ' '): only spaces are cut. */
const rtrimSpaces = (s: string) => s.replace(/ +$/, "");

/** Turns one bus pass into nut-scanner devices (pure; the pass comes from scanUsbBus). */
export function usbScanResult(scan: UsbBusScan): UsbScanResult {
  if (scan.kind === "init-failed") return { fatal: `Failed to init libusb 1.0: ${scan.errnoText}` };
  if (scan.kind === "empty") return { fatal: `No USB device found: ${scan.errnoText}` };
  const devices: NutscanDevice[] = [];
  for (const found of scan.devices) {
    const driver = usbDriverFor(found.vendorId, found.productId);
    if (driver === undefined) continue;
    const options: NutscanOption[] = [
      { name: "vendorid", value: hex4(found.vendorId) },
      { name: "productid", value: hex4(found.productId) },
    ];
    if (found.product !== undefined) options.push({ name: "product", value: rtrimSpaces(found.product) });
    if (found.serial !== undefined) options.push({ name: "serial", value: rtrimSpaces(found.serial) });
    if (found.manufacturer !== undefined) options.push({ name: "vendor", value: rtrimSpaces(found.manufacturer) });
    options.push({ name: "bus", value: String(found.busNumber).padStart(3, "0") });
    devices.push({ type: "USB", driver, port: "auto", options });
  }
  return { devices };
}

/**
 * Scans the USB bus. `onOpenError` gets the line 2.8.0 prints for a listed device that cannot
 * be opened. Throws UsbLibraryMissingError when libusb cannot be loaded.
 */
export function scanUsb(onOpenError: (line: string) => void, library?: string): UsbScanResult {
  const scan = scanUsbBus({
    wanted: (vid, pid) => usbDriverFor(vid, pid) !== undefined,
    onOpenError: (bus, message) => onOpenError(`Failed to open device bus '${bus}', skipping: ${message}\n`),
    ...(library === undefined ? {} : { library }),
  });
  return usbScanResult(scan);
}
