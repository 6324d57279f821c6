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
  return exactMismatchText(device, reference) === undefined;
}

/** usb-common.c's names of the fields in its "failed match" debug lines. */
const NUT_FIELD_NAMES: Readonly<Record<UsbMatchOption, string>> = {
  vendorid: "VendorID",
  productid: "ProductID",
  vendor: "Vendor",
  product: "Product",
  serial: "Serial",
  bus: "Bus",
  device: "Device",
  busport: "BusPort",
};

/** printf's `%4x` and glibc's `%s` of a NULL pointer. */
const cHex4 = (n: number): string => n.toString(16).padStart(4, " ");
const cString = (s: string | undefined): string => s ?? "(null)";

/** match_function_regex's debug line for the first option a device fails (2.8.0 prints no regex). */
export function regexMismatchText(option: UsbMatchOption, device: UsbDeviceIdentity): string {
  const value = option === "vendorid" ? cHex4(device.vendorId) : option === "productid" ? cHex4(device.productId) : cString(matchSubject(option, device));
  return `match_function_regex: failed match of ${NUT_FIELD_NAMES[option]}: ${value}`;
}

/** match_function_exact's debug line for the first field that differs, or undefined when none does. */
export function exactMismatchText(device: UsbDeviceIdentity, reference: UsbDeviceIdentity): string | undefined {
  const line = (field: string, mine: string, theirs: string): string => `match_function_exact: failed match of ${field}: ${mine} != ${theirs}`;
  if (device.vendorId !== reference.vendorId) return line("VendorID", cHex4(device.vendorId), cHex4(reference.vendorId));
  if (device.productId !== reference.productId) return line("ProductID", cHex4(device.productId), cHex4(reference.productId));
  for (const field of ["vendor", "product", "serial"] as const) {
    if (device[field] !== reference[field]) return line(NUT_FIELD_NAMES[field], cString(device[field]), cString(reference[field]));
  }
  return undefined;
}
