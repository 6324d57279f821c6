/**
 * NUT's USB device matchers (drivers/usb-common.c): the regex matcher built from the options
 * vendorid, productid, vendor, product, serial, bus, device, busport, and the exact matcher
 * that pins a reconnect to the device first opened. Pure: no I/O.
 */
import { compileWholeMatchIcase } from "./posix-ere.ts";

/** What NUT knows about a USB device before claiming it (USBDevice_t). Unset strings are undefined. */
export interface UsbDeviceIdentity {
  vendorId: number;
  productId: number;
  bcdDevice: number;
  /** iManufacturer string. */
  vendor: string | undefined;
  /** iProduct string. */
  product: string | undefined;
  /** iSerialNumber string. */
  serial: string | undefined;
  /** Bus number as "%03d". */
  bus: string | undefined;
  /** Device address as "%03d" (left unset by NUT 2.8.0's libusb-1.0 backend). */
  device: string | undefined;
  /** Port on the parent hub as "%03d", unset when libusb cannot tell. */
  busPort: string | undefined;
}

/** The ups.conf options that build the regex matcher, in NUT's evaluation order. */
export const USB_MATCH_OPTIONS = ["vendorid", "productid", "vendor", "product", "serial", "bus", "device", "busport"] as const;
export type UsbMatchOption = (typeof USB_MATCH_OPTIONS)[number];
export type UsbMatchOptions = Partial<Record<UsbMatchOption, string>>;

/** The identity value an option's regex is matched against: IDs as 4-digit lowercase hex. */
export function matchSubject(option: UsbMatchOption, device: UsbDeviceIdentity): string | undefined {
  switch (option) {
    case "vendorid":
      return device.vendorId.toString(16).padStart(4, "0");
    case "productid":
      return device.productId.toString(16).padStart(4, "0");
    case "vendor":
      return device.vendor;
    case "product":
      return device.product;
    case "serial":
      return device.serial;
    case "bus":
      return device.bus;
    case "device":
      return device.device;
    case "busport":
      return device.busPort;
  }
}

/**
 * NUT's match_regex: an unset value matches as "", blanks (space, tab, newline) are trimmed at
 * both ends, and the regex must match the whole remaining value.
 */
export function regexMatchesValue(regex: RegExp, value: string | undefined): boolean {
  const trimmed = (value ?? "").replace(/^[ \t\n]+/, "").replace(/[ \t\n]+$/, "");
  return regex.test(trimmed);
}

/** Regex matcher: every given option must match (POSIX ERE, case-insensitive, whole value). */
export class UsbRegexMatcher {
  readonly #regexes: ReadonlyArray<readonly [UsbMatchOption, RegExp]>;

  private constructor(regexes: ReadonlyArray<readonly [UsbMatchOption, RegExp]>) {
    this.#regexes = regexes;
  }

  /** Compiles the given options; throws PosixRegexError (`invalid regular expression: <re>`) for a bad one. */
  static compile(options: UsbMatchOptions): UsbRegexMatcher {
    const regexes: Array<readonly [UsbMatchOption, RegExp]> = [];
    for (const option of USB_MATCH_OPTIONS) {
      const pattern = options[option];
      if (pattern !== undefined) regexes.push([option, compileWholeMatchIcase(pattern)]);
    }
    return new UsbRegexMatcher(regexes);
  }

  /** The first option (in NUT's order) the device fails, or undefined when it matches all. */
  firstMismatch(device: UsbDeviceIdentity): UsbMatchOption | undefined {
    for (const [option, regex] of this.#regexes) {
      if (!regexMatchesValue(regex, matchSubject(option, device))) return option;
    }
    return undefined;
  }

  matches(device: UsbDeviceIdentity): boolean {
    return this.firstMismatch(device) === undefined;
  }
}

/**
 * NUT's exact matcher (used on reconnect): same VID, PID, vendor, product and serial strings
 * (unset equals only unset). Bus and device are not compared: they change on replug.
 */
export function matchesExactly(device: UsbDeviceIdentity, reference: UsbDeviceIdentity): boolean {
  return (
    device.vendorId === reference.vendorId &&
    device.productId === reference.productId &&
    device.vendor === reference.vendor &&
    device.product === reference.product &&
    device.serial === reference.serial
  );
}
