/**
 * One pass over the USB bus the way nut-scanner's libusb-1.0 code walks it (tools/nut-scanner/
 * scan_usb.c): list every device, and only for the devices the caller wants (by VID:PID) open
 * them and read iSerialNumber, iProduct, iManufacturer once each, without claiming anything.
 * Lives in drivers/transport because only this layer may use ffi/ (the scanner sits in core/).
 */
import { currentErrno, strerror } from "../../ffi/libc-errno.ts";
import { type LibusbDeviceHandle, Libusb, LibusbError, LibusbMissingError, LIBUSB_LIBRARY } from "../../ffi/libusb.ts";
import { UsbLibraryMissingError } from "./usb.ts";

/** What the scan learnt about one wanted device; strings are libusb's ASCII, untrimmed. */
export interface UsbBusDevice {
  vendorId: number;
  productId: number;
  bcdDevice: number;
  busNumber: number;
  address: number;
  /** Port on the parent hub, 0 when libusb cannot tell. */
  portNumber: number;
  /** Absent when the index is 0 or libusb returned no characters. */
  serial?: string;
  product?: string;
  manufacturer?: string;
}

export type UsbBusScan =
  | { kind: "devices"; devices: UsbBusDevice[] }
  /** libusb listed no device at all (or failed to list); `errnoText` is strerror(errno) after libusb_exit. */
  | { kind: "empty"; errnoText: string }
  /** libusb_init failed; `errnoText` as above. */
  | { kind: "init-failed"; errnoText: string };

export interface UsbBusScanOptions {
  /** Whether a VID:PID is worth opening (nut-scanner: it is in the USB ID table). */
  wanted: (vendorId: number, productId: number) => boolean;
  /** A wanted device that libusb could not open: its bus ("%03d") and libusb_strerror's text. */
  onOpenError?: (bus: string, message: string) => void;
  /** libusb's file name (tests inject a bogus one). */
  library?: string;
}

/** Scans the bus; throws UsbLibraryMissingError when libusb cannot be loaded. */
export function scanUsbBus(options: UsbBusScanOptions): UsbBusScan {
  let usb: Libusb;
  try {
    usb = Libusb.open(options.library ?? LIBUSB_LIBRARY);
  } catch (error) {
    if (error instanceof LibusbMissingError) throw new UsbLibraryMissingError(error);
    if (error instanceof LibusbError) return { kind: "init-failed", errnoText: strerror(currentErrno()) };
    throw error;
  }
  let devices: UsbBusDevice[] | undefined;
  try {
    devices = usb.withDeviceList((list) => (list.length === 0 ? undefined : list.flatMap((device) => {
      const descriptor = usb.deviceDescriptor(device);
      if (!options.wanted(descriptor.idVendor, descriptor.idProduct)) return [];
      const busNumber = usb.busNumber(device);
      let handle: LibusbDeviceHandle;
      try {
        handle = usb.open(device);
      } catch (error) {
        if (!(error instanceof LibusbError)) throw error;
        options.onOpenError?.(String(busNumber).padStart(3, "0"), error.message);
        return [];
      }
      try {
        const found: UsbBusDevice = {
          vendorId: descriptor.idVendor,
          productId: descriptor.idProduct,
          bcdDevice: descriptor.bcdDevice,
          busNumber,
          address: usb.deviceAddress(device),
          portNumber: usb.portNumber(device),
        };
        // NUT's order of reading: serial number, product, manufacturer
        const serial = readOnce(usb, handle, descriptor.iSerialNumber);
        const product = readOnce(usb, handle, descriptor.iProduct);
        const manufacturer = readOnce(usb, handle, descriptor.iManufacturer);
        if (serial !== undefined) found.serial = serial;
        if (product !== undefined) found.product = product;
        if (manufacturer !== undefined) found.manufacturer = manufacturer;
        return [found];
      } finally {
        usb.close(handle);
      }
    })));
  } catch (error) {
    if (!(error instanceof LibusbError)) {
      usb.exit();
      throw error;
    }
    devices = undefined;
  }
  usb.exit();
  // errno as libusb left it: NUT reports it right after libusb_exit
  if (devices === undefined) return { kind: "empty", errnoText: strerror(currentErrno()) };
  return { kind: "devices", devices };
}

function readOnce(usb: Libusb, handle: LibusbDeviceHandle, index: number): string | undefined {
  if (index === 0) return undefined;
  const value = usb.stringDescriptorAscii(handle, index);
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
