/**
 * USB transport for the USB drivers: finds a device the way NUT's libusb-1.0 backend does
 * (drivers/libusb1.c: enumerate, read the identity strings, apply the matchers, detach the
 * kernel driver, claim the interface), then offers synchronous control and interrupt transfers
 * that return the bytes or a UsbError, and `reconnect()` for recovery after an unplug.
 * Everything goes through libusb: under umockdev only libusb sees the simulated /sys and /dev.
 */
import {
  type LibusbConfigDescriptor,
  type LibusbDevice,
  type LibusbDeviceDescriptor,
  type LibusbDeviceHandle,
  Libusb,
  LibusbError,
  LibusbMissingError,
  LIBUSB_BINDING_API_VERSION,
  LIBUSB_LIBRARY,
} from "../../ffi/libusb.ts";
import { upsdebugHexLines } from "../../core/system/upsdebug-hex.ts";
import { USB_HID_DEFAULT_INTERFACE, type UsbHidInterface } from "./usb-hid-interface.ts";
import { exactMismatchText, regexMismatchText, type UsbDeviceIdentity, type UsbMatchOptions, UsbRegexMatcher } from "./usb-matcher.ts";

/** NUT's USB_TIMEOUT for control transfers, in milliseconds. */
export const USB_CONTROL_TIMEOUT_MS = 5000;
/** Attempts per string descriptor and per claim (NUT's MAX_RETRY). */
const MAX_RETRY = 3;
/** Largest report descriptor NUT accepts (MAX_REPORT_SIZE). */
const MAX_REPORT_DESCRIPTOR = 0x1800;

/** A failed USB operation: `code` is libusb's error name without prefix ("TIMEOUT", "PIPE", "NO_DEVICE" …). */
export class UsbError extends Error {
  readonly code: string;
  /** The negative libusb_error number. */
  readonly libusbCode: number;
  constructor(code: string, libusbCode: number, message: string) {
    super(message);
    this.name = "UsbError";
    this.code = code;
    this.libusbCode = libusbCode;
  }
}

/** libusb-1.0 is not installed; message: `USB needs libusb-1.0: install package libusb-1.0-0`. */
export class UsbLibraryMissingError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "UsbLibraryMissingError";
  }
}

/** No device passed every matcher. Counts let a driver explain permission problems. */
export class UsbNoDeviceError extends Error {
  constructor(
    readonly devicesSeen: number,
    readonly openErrors: number,
    readonly accessErrors: number,
  ) {
    super("No matching USB device found");
    this.name = "UsbNoDeviceError";
  }
}

/** The matched device could not be claimed; message in NUT 2.8.0's words. */
export class UsbClaimError extends Error {
  constructor(device: UsbDeviceIdentity, iface: number, descIndex: number, cause: UsbError) {
    const hex = (n: number) => n.toString(16).padStart(4, "0");
    super(`Can't claim USB device [${hex(device.vendorId)}:${hex(device.productId)}]@${iface}/${descIndex}: ${cause.message}`);
    this.name = "UsbClaimError";
  }
}

export interface UsbOpenOptions {
  /** Regex matcher options from ups.conf (vendorid, productid, vendor, product, serial, bus, device, busport). */
  match?: UsbMatchOptions;
  /** Further acceptance (a subdriver's claim), asked first for every device that opens, before the regex and exact matchers. */
  accept?: (device: UsbDeviceIdentity) => boolean;
  /**
   * The HID numbers for an accepted device (asked right after `accept`, whose claim may have
   * chosen them); absent: `interfaceNumber` / `configIndex` below and libusb1.c's defaults.
   */
  hidInterface?: (device: UsbDeviceIdentity) => UsbHidInterface;
  /** Interface to claim (NUT's usb_hid_rep_index), default 0. */
  interfaceNumber?: number;
  /** Configuration descriptor index (usb_config_index), default 0. */
  configIndex?: number;
  /**
   * Skip a device whose configuration descriptor cannot be read (usbhid-ups: it needs the
   * interface's HID descriptor), as libusb1.c does when it has a callback.
   */
  requireConfigDescriptor?: boolean;
  /**
   * The usb_set_altinterface option when given (`value` its text, undefined without one):
   * libusb_set_interface_alt_setting() after claiming, as 2.8.0's nut_usb_set_altinterface.
   */
  altInterface?: { readonly value: string | undefined };
  /** NUT's upslogx lines (warning / notice) of the open sequence. */
  log?: (level: "warning" | "notice", message: string) => void;
  /** Skip devices another process holds (claim fails with BUSY) instead of failing. */
  allowDuplicates?: boolean;
  /** NUT 2.8.0 leaves the "device" string unset; later versions fill in the address. Default: fill in. */
  leaveDeviceUnset?: boolean;
  /** libusb's file name (tests inject a bogus one). */
  library?: string;
  /** NUT's upsdebugx lines: level and text. */
  debug?: (level: number, message: string) => void;
  /** A reconnect found no matching device: the scan's counts, for libusb1.c's closing lines. */
  onReconnectNoDevice?: (scan: UsbNoDeviceError) => void;
}

/** The class-specific HID descriptor bytes and report descriptor NUT reads after claiming. */
export interface HidReportDescriptor {
  descriptor: Uint8Array;
  /** Length from GET_DESCRIPTOR(HID), -1 when that failed. */
  lengthMethod1: number;
  /** Length from the interface's extra bytes, -1 when absent. */
  lengthMethod2: number;
  /** HID descriptor index used (1 for Eaton v2.02 devices, else 0). */
  descIndex: number;
}

function usbError(error: LibusbError): UsbError {
  return new UsbError(error.errorName, error.code, error.message);
}

const pad3 = (n: number) => String(n).padStart(3, "0");
const hex4 = (n: number) => n.toString(16).padStart(4, "0");

interface OpenedDevice {
  handle: LibusbDeviceHandle;
  identity: UsbDeviceIdentity;
  config: LibusbConfigDescriptor | undefined;
  hid: UsbHidInterface;
}

/** The numbers to use for an accepted device: the driver's choice, else the plain options. */
function hidInterfaceFor(options: UsbOpenOptions, identity: UsbDeviceIdentity): UsbHidInterface {
  if (options.hidInterface !== undefined) return options.hidInterface(identity);
  return { ...USB_HID_DEFAULT_INTERFACE, interfaceNumber: options.interfaceNumber ?? 0, configIndex: options.configIndex ?? 0 };
}

/** hid_desc_index: as given, else 1 for Eaton 0463 v2.02 devices (libusb1.c), else 0. */
function descIndexFor(hid: UsbHidInterface, identity: UsbDeviceIdentity): number {
  if (hid.descIndex !== undefined) return hid.descIndex;
  return identity.vendorId === 0x0463 && identity.bcdDevice === 0x0202 ? 1 : 0;
}

export class UsbTransport {
  readonly #usb: Libusb;
  readonly #options: UsbOpenOptions;
  readonly #matcher: UsbRegexMatcher;
  #handle: LibusbDeviceHandle | undefined;
  #identity: UsbDeviceIdentity;
  #config: LibusbConfigDescriptor | undefined;
  #hid: UsbHidInterface;

  private constructor(usb: Libusb, options: UsbOpenOptions, matcher: UsbRegexMatcher, opened: OpenedDevice) {
    this.#usb = usb;
    this.#options = options;
    this.#matcher = matcher;
    this.#handle = opened.handle;
    this.#identity = opened.identity;
    this.#config = opened.config;
    this.#hid = opened.hid;
  }

  /**
   * Loads libusb and opens the first device passing every matcher. Throws
   * UsbLibraryMissingError, PosixRegexError (bad option regex), UsbNoDeviceError, UsbClaimError.
   */
  static open(options: UsbOpenOptions = {}): UsbTransport {
    const matcher = UsbRegexMatcher.compile(options.match ?? {});
    let usb: Libusb;
    try {
      usb = Libusb.open(options.library ?? LIBUSB_LIBRARY);
    } catch (error) {
      if (error instanceof LibusbMissingError) throw new UsbLibraryMissingError(error);
      throw error;
    }
    try {
      const opened = findAndClaim(usb, options, matcher, undefined);
      return new UsbTransport(usb, options, matcher, opened);
    } catch (error) {
      usb.exit();
      throw error;
    }
  }

  /** The device currently (or last) opened. */
  get identity(): UsbDeviceIdentity {
    return this.#identity;
  }

  /** The configuration, interface, descriptor index and endpoints in use for the device. */
  get hidInterface(): UsbHidInterface {
    return this.#hid;
  }

  /** Its configuration descriptor, when libusb could read it. */
  get config(): LibusbConfigDescriptor | undefined {
    return this.#config;
  }

  get isOpen(): boolean {
    return this.#handle !== undefined;
  }

  #requireHandle(): LibusbDeviceHandle | UsbError {
    return this.#handle ?? new UsbError("NO_DEVICE", -4, "No such device (it may have been disconnected)");
  }

  /** A control transfer (5 s by default); IN returns the bytes received, OUT the bytes sent. */
  controlTransfer(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    dataOrLength: Uint8Array | number,
    timeoutMs: number = USB_CONTROL_TIMEOUT_MS,
  ): Uint8Array | UsbError {
    const handle = this.#requireHandle();
    if (handle instanceof UsbError) return handle;
    const result = this.#usb.controlTransfer(handle, bmRequestType, bRequest, wValue, wIndex, dataOrLength, timeoutMs);
    return result instanceof LibusbError ? usbError(result) : result;
  }

  /** Reads one interrupt-IN report of at most `length` bytes from `endpoint` (e.g. 0x81). */
  interruptRead(endpoint: number, length: number, timeoutMs: number): Uint8Array | UsbError {
    const handle = this.#requireHandle();
    if (handle instanceof UsbError) return handle;
    const result = this.#usb.interruptTransfer(handle, endpoint | 0x80, length, timeoutMs);
    return result instanceof LibusbError ? usbError(result) : result;
  }

  /** Writes `data` to interrupt-OUT `endpoint`; returns the bytes actually sent. */
  interruptWrite(endpoint: number, data: Uint8Array, timeoutMs: number): Uint8Array | UsbError {
    const handle = this.#requireHandle();
    if (handle instanceof UsbError) return handle;
    const result = this.#usb.interruptTransfer(handle, endpoint & 0x7f, data, timeoutMs);
    return result instanceof LibusbError ? usbError(result) : result;
  }

  /** String descriptor `index` as ASCII (libusb's conversion). */
  stringDescriptor(index: number): string | UsbError {
    const handle = this.#requireHandle();
    if (handle instanceof UsbError) return handle;
    const result = this.#usb.stringDescriptorAscii(handle, index);
    return result instanceof LibusbError ? usbError(result) : result;
  }

  clearHalt(endpoint: number): UsbError | undefined {
    const handle = this.#requireHandle();
    if (handle instanceof UsbError) return handle;
    const result = this.#usb.clearHalt(handle, endpoint);
    return result === undefined ? undefined : usbError(result);
  }

  /**
   * The HID report descriptor as NUT fetches it: length from GET_DESCRIPTOR(HID) (method 1) and
   * from the interface's extra bytes (method 2, preferred; Eaton 0463 v2.02 uses method 1 and HID
   * descriptor index 1), then GET_DESCRIPTOR(Report) of that length; a short answer is used as is.
   */
  hidReportDescriptor(): HidReportDescriptor | UsbError {
    const debug = this.#options.debug ?? (() => undefined);
    const iface = this.#hid.interfaceNumber;
    const eaton202 = this.#identity.vendorId === 0x0463 && this.#identity.bcdDevice === 0x0202;
    const descIndex = descIndexFor(this.#hid, this.#identity);
    let lengthMethod1 = -1;
    const hid = this.controlTransfer(0x81, 0x06, (0x21 << 8) + descIndex, iface, 9);
    if (hid instanceof UsbError) debug(2, `Unable to get HID descriptor (${hid.message})`);
    else if (hid.length < 9) debug(2, `HID descriptor too short (expected 8, got ${hid.length})`);
    else {
      for (const line of upsdebugHexLines("HID descriptor, method 1", hid.subarray(0, 9))) debug(3, line);
      lengthMethod1 = (hid[7] ?? 0) | ((hid[8] ?? 0) << 8);
    }
    debug(3, `HID descriptor length (method 1) ${lengthMethod1}`);

    let lengthMethod2 = -1;
    const extra = this.#config?.interfaces[iface]?.[0]?.extra ?? new Uint8Array(0);
    const hex2 = (n: number | undefined): string => (n ?? 0).toString(16).padStart(2, "0");
    for (let i = 0; i < extra.length && (extra[i] ?? 0) > 0; i += extra[i] ?? 1) {
      debug(4, `i=${i}, extra[i]=${hex2(extra[i])}, extra[i+1]=${hex2(extra[i + 1])}`);
      if (i + 9 <= extra.length && (extra[i] ?? 0) >= 9 && extra[i + 1] === 0x21) {
        for (const line of upsdebugHexLines("HID descriptor, method 2", extra.subarray(i, i + 9))) debug(3, line);
        lengthMethod2 = (extra[i + 7] ?? 0) | ((extra[i + 8] ?? 0) << 8);
        break;
      }
    }
    debug(3, `HID descriptor length (method 2) ${lengthMethod2}`);

    let length: number;
    if (eaton202) {
      debug(1, "Eaton device v2.02. Using full report descriptor");
      length = lengthMethod1;
    } else {
      length = lengthMethod2 >= 0 ? lengthMethod2 : lengthMethod1;
    }
    if (length < 0) return new UsbError("NOT_FOUND", -5, "Unable to retrieve any HID descriptor");
    if (lengthMethod1 >= 0 && lengthMethod2 >= 0 && lengthMethod1 !== lengthMethod2) {
      debug(2, `Warning: two different HID descriptors retrieved (Reportlen = ${lengthMethod1} vs. ${lengthMethod2})`);
    }
    debug(2, `HID descriptor length ${length}`);
    if (length > MAX_REPORT_DESCRIPTOR) {
      return new UsbError("OVERFLOW", -8, `HID descriptor too long ${length} (max ${MAX_REPORT_DESCRIPTOR})`);
    }
    const descriptor = this.controlTransfer(0x81, 0x06, (0x22 << 8) + descIndex, iface, length);
    if (descriptor instanceof UsbError) return descriptor;
    if (descriptor.length < length) {
      debug(2, `Warning: report descriptor too short (expected ${length}, got ${descriptor.length})`);
    }
    return { descriptor, lengthMethod1, lengthMethod2, descIndex };
  }

  /** Releases the interface and closes the device; libusb stays loaded for `reconnect()`. */
  closeDevice(): void {
    if (this.#handle === undefined) return;
    // A vanished device fails the release; closing the handle is all that matters then.
    this.#usb.releaseInterface(this.#handle, this.#hid.interfaceNumber);
    this.#usb.close(this.#handle);
    this.#handle = undefined;
  }

  /**
   * Closes the device and looks for it again: same VID, PID and strings as first opened (NUT's
   * exact matcher) plus the option matchers and `accept`. True when it is open again.
   */
  reconnect(): boolean {
    this.closeDevice();
    try {
      const opened = findAndClaim(this.#usb, this.#options, this.#matcher, this.#identity);
      this.#handle = opened.handle;
      this.#identity = opened.identity;
      this.#config = opened.config;
      this.#hid = opened.hid;
      return true;
    } catch (error) {
      if (error instanceof UsbNoDeviceError && this.#options.onReconnectNoDevice !== undefined) {
        this.#options.onReconnectNoDevice(error);
        return false;
      }
      if (error instanceof UsbNoDeviceError || error instanceof UsbClaimError) {
        this.#options.debug?.(1, error.message);
        return false;
      }
      throw error;
    }
  }

  /** Closes the device and unloads libusb. */
  close(): void {
    this.closeDevice();
    this.#usb.exit();
  }
}

/**
 * nut_usb_addvars()'s driver.version.usb: "libusb-1.0.26 (API: 0x1000109)", the loaded library's
 * version and the binding's API level. Throws UsbLibraryMissingError.
 */
export function libusbVersionText(library: string = LIBUSB_LIBRARY): string {
  let usb: Libusb;
  try {
    usb = Libusb.open(library);
  } catch (error) {
    if (error instanceof LibusbMissingError) throw new UsbLibraryMissingError(error);
    throw error;
  }
  try {
    const v = usb.version();
    return `libusb-${v.major}.${v.minor}.${v.micro} (API: 0x${LIBUSB_BINDING_API_VERSION.toString(16)})`;
  } finally {
    usb.exit();
  }
}

/**
 * Every device libusb lists that can be opened, with its identity strings (for nut-scanner -U
 * and diagnostics); nothing is claimed. Throws UsbLibraryMissingError.
 */
export function enumerateUsbDevices(options: Pick<UsbOpenOptions, "library" | "leaveDeviceUnset" | "debug"> = {}): UsbDeviceIdentity[] {
  let usb: Libusb;
  try {
    usb = Libusb.open(options.library ?? LIBUSB_LIBRARY);
  } catch (error) {
    if (error instanceof LibusbMissingError) throw new UsbLibraryMissingError(error);
    throw error;
  }
  try {
    return usb.withDeviceList((devices) => {
      const found: UsbDeviceIdentity[] = [];
      for (const device of devices) {
        const descriptor = usb.deviceDescriptor(device);
        let handle: LibusbDeviceHandle;
        try {
          handle = usb.open(device);
        } catch (error) {
          if (!(error instanceof LibusbError)) throw error;
          options.debug?.(1, `Failed to open device (${hex4(descriptor.idVendor)}/${hex4(descriptor.idProduct)}): ${error.message}`);
          continue;
        }
        try {
          found.push(identify(usb, device, descriptor, handle, options));
        } finally {
          usb.close(handle);
        }
      }
      return found;
    });
  } finally {
    usb.exit();
  }
}

function readString(usb: Libusb, handle: LibusbDeviceHandle, index: number, what: string, debug: (level: number, message: string) => void): string | undefined {
  if (index === 0) return undefined;
  for (let attempt = 0; attempt < MAX_RETRY; attempt++) {
    const value = usb.stringDescriptorAscii(handle, index);
    // NUT keeps a string only when libusb returned more than 0 characters.
    if (typeof value === "string" && value.length > 0) return value;
    debug(1, `nut_libusb_open get ${what} failed, retrying...`);
  }
  return undefined;
}

function identify(
  usb: Libusb,
  device: LibusbDevice,
  descriptor: LibusbDeviceDescriptor,
  handle: LibusbDeviceHandle,
  options: Pick<UsbOpenOptions, "leaveDeviceUnset" | "debug">,
): UsbDeviceIdentity {
  const debug = options.debug ?? (() => undefined);
  const address = usb.deviceAddress(device);
  const port = usb.portNumber(device);
  return {
    vendorId: descriptor.idVendor,
    productId: descriptor.idProduct,
    bcdDevice: descriptor.bcdDevice,
    vendor: readString(usb, handle, descriptor.iManufacturer, "iManufacturer", debug),
    product: readString(usb, handle, descriptor.iProduct, "iProduct", debug),
    serial: readString(usb, handle, descriptor.iSerialNumber, "iSerialNumber", debug),
    bus: pad3(usb.busNumber(device)),
    device: options.leaveDeviceUnset === true || address === 0 ? undefined : pad3(address),
    busPort: port > 0 ? pad3(port) : undefined,
  };
}

/** NUT's nut_libusb_open loop: the first device that opens, matches and can be claimed. */
function findAndClaim(usb: Libusb, options: UsbOpenOptions, matcher: UsbRegexMatcher, exact: UsbDeviceIdentity | undefined): OpenedDevice {
  const debug = options.debug ?? (() => undefined);
  return usb.withDeviceList((devices) => {
    let openErrors = 0;
    let accessErrors = 0;
    for (const [n, device] of devices.entries()) {
      const descriptor = usb.deviceDescriptor(device);
      const ids = `${hex4(descriptor.idVendor).toUpperCase()}/${hex4(descriptor.idProduct).toUpperCase()}`;
      debug(2, `Checking device ${n + 1} of ${devices.length} (${ids})`);
      let handle: LibusbDeviceHandle;
      try {
        handle = usb.open(device);
      } catch (error) {
        if (!(error instanceof LibusbError)) throw error;
        debug(1, `Failed to open device (${ids}), skipping: ${error.message}`);
        openErrors++;
        if (error.errorName === "ACCESS") accessErrors++;
        continue;
      }
      const identity = identify(usb, device, descriptor, handle, options);
      debug(2, `- VendorID: ${hex4(identity.vendorId)}`);
      debug(2, `- ProductID: ${hex4(identity.productId)}`);
      debug(2, `- Manufacturer: ${identity.vendor ?? "unknown"}`);
      debug(2, `- Product: ${identity.product ?? "unknown"}`);
      debug(2, `- Serial Number: ${identity.serial ?? "unknown"}`);
      debug(2, `- Bus: ${identity.bus ?? "unknown"}`);
      debug(2, `- Device: ${identity.device ?? "unknown"}`);
      debug(2, `- Device release number: ${hex4(identity.bcdDevice)}`);
      debug(2, "Trying to match device");
      // usbhid-ups' matcher chain: the subdriver claim (accept), the regex matcher, then, once a
      // device was opened, the exact matcher; a claim may log even when a later matcher refuses
      const regexMatches = (): boolean => {
        debug(3, "match_function_regex: matching a device...");
        const failed = matcher.firstMismatch(identity);
        if (failed !== undefined) debug(2, regexMismatchText(failed, identity));
        return failed === undefined;
      };
      const exactMatches = (reference: UsbDeviceIdentity): boolean => {
        debug(3, "match_function_exact: matching a device...");
        const failed = exactMismatchText(identity, reference);
        if (failed !== undefined) debug(2, failed);
        return failed === undefined;
      };
      const matched = (options.accept?.(identity) ?? true) && regexMatches() && (exact === undefined || exactMatches(exact));
      if (!matched) {
        debug(2, "Device does not match - skipping");
        usb.close(handle);
        continue;
      }
      debug(2, "Device matches");
      const hid = hidInterfaceFor(options, identity);
      debug(2, "Reading first configuration descriptor");
      let config: LibusbConfigDescriptor | undefined;
      try {
        config = usb.configDescriptor(device, hid.configIndex);
      } catch (error) {
        if (!(error instanceof LibusbError)) throw error;
        debug(2, `result: ${error.code} (${error.message})`);
      }
      const claimed = claim(usb, handle, options, hid.interfaceNumber);
      if (claimed === "busy-skip") {
        usb.close(handle);
        continue;
      }
      if (claimed !== undefined) {
        usb.close(handle);
        throw new UsbClaimError(identity, hid.interfaceNumber, descIndexFor(hid, identity), claimed);
      }
      if (config === undefined && options.requireConfigDescriptor === true) {
        // libusb1.c's "?? this should never happen": the next device is tried
        debug(2, "  Couldn't retrieve descriptors");
        usb.close(handle);
        continue;
      }
      return { handle, identity, config, hid };
    }
    throw new UsbNoDeviceError(devices.length, openErrors, accessErrors);
  });
}

/** Detach + claim as NUT does; undefined on success, "busy-skip" for allow_duplicates, else the error. */
function claim(usb: Libusb, handle: LibusbDeviceHandle, options: UsbOpenOptions, iface: number): UsbError | "busy-skip" | undefined {
  const debug = options.debug ?? (() => undefined);
  const active = usb.kernelDriverActive(handle, iface);
  if (active === 1) {
    debug(3, "libusb_kernel_driver_active() returned 1 (driver active)");
    const failed = usb.setAutoDetachKernelDriver(handle, true);
    if (failed) debug(1, `failed to set kernel driver auto-detach driver flag for USB device: ${failed.message}`);
    else debug(2, "successfully set kernel driver auto-detach flag");
  } else {
    debug(3, `libusb_kernel_driver_active() returned ${active instanceof LibusbError ? active.code : active}`);
  }
  for (let retries = MAX_RETRY; ; retries--) {
    const failed = usb.claimInterface(handle, iface);
    if (failed === undefined) break;
    debug(2, `failed to claim USB device: ${failed.message}`);
    if (failed.errorName === "BUSY" && options.allowDuplicates === true) {
      debug(2, "Configured to allow_duplicates so looking for another similar device");
      return "busy-skip";
    }
    const detach = usb.detachKernelDriver(handle, iface);
    if (detach === undefined) debug(2, "detached kernel driver from USB device...");
    else if (detach.errorName === "NOT_FOUND") debug(2, "Kernel driver already detached");
    else debug(1, `failed to detach kernel driver from USB device: ${detach.message}`);
    if (retries <= 0) return usbError(failed);
  }
  debug(2, `Claimed interface ${iface} successfully`);
  setAltInterface(usb, handle, options, iface);
  return undefined;
}

/** strtol(text, &end, 10) cast to int: the number and whether text ended after it. */
function strtolInt(text: string): { value: number; wholeText: boolean } {
  const m = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text);
  if (m?.[1] === undefined) return { value: 0, wholeText: text === "" };
  // strtol saturates at the 64-bit long limits, then (int) keeps the low 32 bits
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  let big = BigInt(m[1]);
  big = big > max ? max : big < min ? min : big;
  return { value: Number(BigInt.asIntN(32, big)), wholeText: m[0].length === text.length };
}

/**
 * nut_usb_set_altinterface of 2.8.0's libusb1.c: only when the option is given, select its
 * alternate setting (default 0) on the claimed interface; failure is a warning, not fatal.
 */
function setAltInterface(usb: Libusb, handle: LibusbDeviceHandle, options: UsbOpenOptions, iface: number): void {
  const debug = options.debug ?? (() => undefined);
  const log = options.log ?? (() => undefined);
  const fn = "nut_usb_set_altinterface";
  if (options.altInterface === undefined) {
    debug(3, `${fn}: skipped libusb_set_interface_alt_setting(udev, ${iface}, 0)`);
    return;
  }
  let alt = 0;
  const text = options.altInterface.value;
  if (text !== undefined) {
    const parsed = strtolInt(text);
    alt = parsed.value;
    if (!parsed.wholeText) log("warning", `${fn}: '${text}' is not a valid number`);
    if (alt < 0 || alt > 255) log("warning", `${fn}: setting bAlternateInterface to ${alt} will probably not work`);
  }
  debug(2, `${fn}: calling libusb_set_interface_alt_setting(udev, ${iface}, ${alt})`);
  const failed = usb.setInterfaceAltSetting(handle, iface, alt);
  if (failed) log("warning", `${fn}: libusb_set_interface_alt_setting(udev, ${iface}, ${alt}) returned ${failed.code} (${failed.message})`);
  log("notice", `${fn}: libusb_set_interface_alt_setting() should not be necessary - please email the nut-upsdev list with information about your UPS.`);
}
