/**
 * Typed binding of libusb-1.0 through bun:ffi: the only place the USB code touches native memory.
 *
 * Every call is synchronous (transfers block for at most their timeout); libusb callbacks are
 * never used, because libusb would run them on its own threads, where Bun cannot call back into
 * JS. Structs are read from the buffers libusb fills, with the LP64 layouts of libusb 1.0.26.
 */
import { CString, dlopen, FFIType, type Pointer, ptr, read, toArrayBuffer } from "bun:ffi";

/** The library's soname on Debian (package libusb-1.0-0). */
export const LIBUSB_LIBRARY = "libusb-1.0.so.0";

/** Thrown when libusb-1.0 cannot be loaded; the message is the one line the programs print. */
export class LibusbMissingError extends Error {
  constructor(cause: unknown) {
    super("USB needs libusb-1.0: install package libusb-1.0-0", { cause });
    this.name = "LibusbMissingError";
  }
}

/** libusb_error codes (libusb.h) by their names without the LIBUSB_ERROR_ prefix. */
export const LIBUSB_ERROR_NAMES: Readonly<Record<number, string>> = {
  [-1]: "IO",
  [-2]: "INVALID_PARAM",
  [-3]: "ACCESS",
  [-4]: "NO_DEVICE",
  [-5]: "NOT_FOUND",
  [-6]: "BUSY",
  [-7]: "TIMEOUT",
  [-8]: "OVERFLOW",
  [-9]: "PIPE",
  [-10]: "INTERRUPTED",
  [-11]: "NO_MEM",
  [-12]: "NOT_SUPPORTED",
  [-99]: "OTHER",
};

/** A negative libusb return code: `code` the number, `errorName` e.g. "TIMEOUT", `message` libusb_strerror's text. */
export class LibusbError extends Error {
  readonly code: number;
  readonly errorName: string;
  /** What was being done, e.g. "libusb_claim_interface". */
  readonly operation: string;
  constructor(code: number, operation: string, message: string) {
    super(message);
    this.name = "LibusbError";
    this.code = code;
    this.errorName = LIBUSB_ERROR_NAMES[code] ?? "OTHER";
    this.operation = operation;
  }
}

/** struct libusb_device_descriptor, field for field. */
export interface LibusbDeviceDescriptor {
  bLength: number;
  bDescriptorType: number;
  bcdUSB: number;
  bDeviceClass: number;
  bDeviceSubClass: number;
  bDeviceProtocol: number;
  bMaxPacketSize0: number;
  idVendor: number;
  idProduct: number;
  bcdDevice: number;
  iManufacturer: number;
  iProduct: number;
  iSerialNumber: number;
  bNumConfigurations: number;
}

export interface LibusbEndpointDescriptor {
  bEndpointAddress: number;
  bmAttributes: number;
  wMaxPacketSize: number;
  bInterval: number;
  /** Class-specific bytes that follow the endpoint descriptor. */
  extra: Uint8Array;
}

export interface LibusbInterfaceDescriptor {
  bInterfaceNumber: number;
  bAlternateSetting: number;
  bInterfaceClass: number;
  bInterfaceSubClass: number;
  bInterfaceProtocol: number;
  iInterface: number;
  endpoints: LibusbEndpointDescriptor[];
  /** Class-specific bytes after the interface descriptor: for HID, the HID descriptor (type 0x21). */
  extra: Uint8Array;
}

/** struct libusb_config_descriptor, copied out of libusb's memory; `interfaces[i]` lists the alternate settings. */
export interface LibusbConfigDescriptor {
  wTotalLength: number;
  bConfigurationValue: number;
  iConfiguration: number;
  bmAttributes: number;
  maxPower: number;
  interfaces: LibusbInterfaceDescriptor[][];
  extra: Uint8Array;
}

/** An opaque libusb_device* (valid while its device list is held). */
export type LibusbDevice = Pointer;
/** An opaque libusb_device_handle*. */
export type LibusbDeviceHandle = Pointer;

const { ptr: P, i32, u8, u16, u32, i64, void: VOID, cstring } = FFIType;

const SYMBOLS = {
  libusb_init: { args: [P], returns: i32 },
  libusb_exit: { args: [P], returns: VOID },
  libusb_get_device_list: { args: [P, P], returns: i64 },
  libusb_free_device_list: { args: [P, i32], returns: VOID },
  libusb_get_device_descriptor: { args: [P, P], returns: i32 },
  libusb_get_config_descriptor: { args: [P, u8, P], returns: i32 },
  libusb_free_config_descriptor: { args: [P], returns: VOID },
  libusb_get_bus_number: { args: [P], returns: u8 },
  libusb_get_port_number: { args: [P], returns: u8 },
  libusb_get_port_numbers: { args: [P, P, i32], returns: i32 },
  libusb_get_device_address: { args: [P], returns: u8 },
  libusb_open: { args: [P, P], returns: i32 },
  libusb_close: { args: [P], returns: VOID },
  libusb_get_string_descriptor_ascii: { args: [P, u8, P, i32], returns: i32 },
  libusb_kernel_driver_active: { args: [P, i32], returns: i32 },
  libusb_detach_kernel_driver: { args: [P, i32], returns: i32 },
  libusb_set_auto_detach_kernel_driver: { args: [P, i32], returns: i32 },
  libusb_set_configuration: { args: [P, i32], returns: i32 },
  libusb_claim_interface: { args: [P, i32], returns: i32 },
  libusb_release_interface: { args: [P, i32], returns: i32 },
  libusb_set_interface_alt_setting: { args: [P, i32, i32], returns: i32 },
  libusb_clear_halt: { args: [P, u8], returns: i32 },
  libusb_reset_device: { args: [P], returns: i32 },
  libusb_control_transfer: { args: [P, u8, u8, u16, u16, P, u16, u32], returns: i32 },
  libusb_interrupt_transfer: { args: [P, u8, P, i32, P, u32], returns: i32 },
  libusb_error_name: { args: [i32], returns: cstring },
  libusb_strerror: { args: [i32], returns: cstring },
  libusb_get_version: { args: [], returns: P },
} as const;

/**
 * The libusb API level this binding is written against (LIBUSB_API_VERSION of libusb 1.0.25 and
 * 1.0.26's libusb.h). NUT prints the one of the header it was compiled with beside the runtime
 * library's version; a binding's API level is the same kind of fact.
 */
export const LIBUSB_BINDING_API_VERSION = 0x01000109;

type LibusbSymbols = ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"];

/** Bytes at `address` copied into JS memory (libusb frees its own copy later). */
function copyBytes(address: Pointer | null, length: number): Uint8Array {
  if (address === null || length <= 0) return new Uint8Array(0);
  return new Uint8Array(toArrayBuffer(address, 0, length)).slice();
}

function readEndpoint(base: Pointer, offset: number): LibusbEndpointDescriptor {
  // struct libusb_endpoint_descriptor (32 bytes): address@2 attributes@3 maxPacket@4 interval@6 extra@16 extra_length@24
  return {
    bEndpointAddress: read.u8(base, offset + 2),
    bmAttributes: read.u8(base, offset + 3),
    wMaxPacketSize: read.u16(base, offset + 4),
    bInterval: read.u8(base, offset + 6),
    extra: copyBytes(read.ptr(base, offset + 16) as Pointer | null, read.i32(base, offset + 24)),
  };
}

function readInterface(base: Pointer, offset: number): LibusbInterfaceDescriptor {
  // struct libusb_interface_descriptor (40 bytes): number@2 alt@3 numEndpoints@4 class@5 subclass@6
  // protocol@7 iInterface@8 endpoint@16 extra@24 extra_length@32
  const count = read.u8(base, offset + 4);
  const endpointsBase = read.ptr(base, offset + 16) as Pointer | null;
  const endpoints: LibusbEndpointDescriptor[] = [];
  for (let i = 0; i < count && endpointsBase !== null; i++) endpoints.push(readEndpoint(endpointsBase, i * 32));
  return {
    bInterfaceNumber: read.u8(base, offset + 2),
    bAlternateSetting: read.u8(base, offset + 3),
    bInterfaceClass: read.u8(base, offset + 5),
    bInterfaceSubClass: read.u8(base, offset + 6),
    bInterfaceProtocol: read.u8(base, offset + 7),
    iInterface: read.u8(base, offset + 8),
    endpoints,
    extra: copyBytes(read.ptr(base, offset + 24) as Pointer | null, read.i32(base, offset + 32)),
  };
}

function readConfig(base: Pointer): LibusbConfigDescriptor {
  // struct libusb_config_descriptor: wTotalLength@2 bNumInterfaces@4 value@5 iConfiguration@6
  // bmAttributes@7 MaxPower@8 interface@16 extra@24 extra_length@32;
  // struct libusb_interface (16 bytes): altsetting@0 num_altsetting@8
  const count = read.u8(base, 4);
  const interfacesBase = read.ptr(base, 16) as Pointer | null;
  const interfaces: LibusbInterfaceDescriptor[][] = [];
  for (let i = 0; i < count && interfacesBase !== null; i++) {
    const altBase = read.ptr(interfacesBase, i * 16) as Pointer | null;
    const altCount = read.i32(interfacesBase, i * 16 + 8);
    const alts: LibusbInterfaceDescriptor[] = [];
    for (let a = 0; a < altCount && altBase !== null; a++) alts.push(readInterface(altBase, a * 40));
    interfaces.push(alts);
  }
  return {
    wTotalLength: read.u16(base, 2),
    bConfigurationValue: read.u8(base, 5),
    iConfiguration: read.u8(base, 6),
    bmAttributes: read.u8(base, 7),
    maxPower: read.u8(base, 8),
    interfaces,
    extra: copyBytes(read.ptr(base, 24) as Pointer | null, read.i32(base, 32)),
  };
}

/** Parses the 18-byte struct libusb_device_descriptor (packed, little-endian like USB). */
export function parseDeviceDescriptor(bytes: Uint8Array): LibusbDeviceDescriptor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    bLength: view.getUint8(0),
    bDescriptorType: view.getUint8(1),
    bcdUSB: view.getUint16(2, true),
    bDeviceClass: view.getUint8(4),
    bDeviceSubClass: view.getUint8(5),
    bDeviceProtocol: view.getUint8(6),
    bMaxPacketSize0: view.getUint8(7),
    idVendor: view.getUint16(8, true),
    idProduct: view.getUint16(10, true),
    bcdDevice: view.getUint16(12, true),
    iManufacturer: view.getUint8(14),
    iProduct: view.getUint8(15),
    iSerialNumber: view.getUint8(16),
    bNumConfigurations: view.getUint8(17),
  };
}

/**
 * One libusb context. Setup calls throw LibusbError; transfers return the bytes or a LibusbError
 * (timeouts and stalls are routine for a UPS driver, not exceptions).
 */
export class Libusb {
  readonly #lib: LibusbSymbols;
  readonly #close: () => void;
  #context: Pointer | null;

  private constructor(lib: LibusbSymbols, close: () => void, context: Pointer | null) {
    this.#lib = lib;
    this.#close = close;
    this.#context = context;
  }

  /** Loads the library (`library` injectable for tests) and runs libusb_init on a new context. */
  static open(library: string = LIBUSB_LIBRARY): Libusb {
    let handle: ReturnType<typeof dlopen<typeof SYMBOLS>>;
    try {
      handle = dlopen(library, SYMBOLS);
    } catch (error) {
      throw new LibusbMissingError(error);
    }
    const slot = new BigUint64Array(1);
    const rc = handle.symbols.libusb_init(ptr(slot));
    if (rc < 0) {
      const message = String(handle.symbols.libusb_strerror(rc));
      handle.close();
      throw new LibusbError(rc, "libusb_init", message);
    }
    return new Libusb(handle.symbols, () => handle.close(), Number(slot[0]) as Pointer);
  }

  /** libusb_exit, then the library is unloaded; the object is unusable afterwards. */
  exit(): void {
    if (this.#context === null) return;
    this.#lib.libusb_exit(this.#context);
    this.#context = null;
    this.#close();
  }

  /** libusb_get_version(): the loaded library's major, minor and micro numbers. */
  version(): { major: number; minor: number; micro: number } {
    const v = this.#lib.libusb_get_version() as Pointer;
    return { major: read.u16(v, 0), minor: read.u16(v, 2), micro: read.u16(v, 4) };
  }

  /** libusb_error_name without its prefix: -7 → "TIMEOUT". */
  errorName(code: number): string {
    return String(this.#lib.libusb_error_name(code)).replace(/^LIBUSB_(ERROR_)?/, "");
  }

  /** libusb_strerror: -7 → "Operation timed out" (the text NUT's logs show). */
  strerror(code: number): string {
    return String(this.#lib.libusb_strerror(code));
  }

  #error(code: number, operation: string): LibusbError {
    return new LibusbError(code, operation, this.strerror(code));
  }

  #check(code: number, operation: string): number {
    if (code < 0) throw this.#error(code, operation);
    return code;
  }

  /**
   * Runs `use` with the current device list and frees the list (unreferencing devices) after;
   * device pointers are only valid inside `use`, except for handles opened from them.
   */
  withDeviceList<T>(use: (devices: LibusbDevice[]) => T): T {
    const slot = new BigUint64Array(1);
    const count = Number(this.#lib.libusb_get_device_list(this.#context, ptr(slot)));
    this.#check(count, "libusb_get_device_list");
    const list = Number(slot[0]) as Pointer;
    try {
      const devices: LibusbDevice[] = [];
      for (let i = 0; i < count; i++) devices.push(read.ptr(list, i * 8) as LibusbDevice);
      return use(devices);
    } finally {
      this.#lib.libusb_free_device_list(list, 1);
    }
  }

  deviceDescriptor(device: LibusbDevice): LibusbDeviceDescriptor {
    const bytes = new Uint8Array(18);
    this.#check(this.#lib.libusb_get_device_descriptor(device, ptr(bytes)), "libusb_get_device_descriptor");
    return parseDeviceDescriptor(bytes);
  }

  /** The configuration descriptor at `index` (not the bConfigurationValue), copied out. */
  configDescriptor(device: LibusbDevice, index: number): LibusbConfigDescriptor {
    const slot = new BigUint64Array(1);
    this.#check(this.#lib.libusb_get_config_descriptor(device, index, ptr(slot)), "libusb_get_config_descriptor");
    const config = Number(slot[0]) as Pointer;
    try {
      return readConfig(config);
    } finally {
      this.#lib.libusb_free_config_descriptor(config);
    }
  }

  busNumber(device: LibusbDevice): number {
    return this.#lib.libusb_get_bus_number(device);
  }

  /** Port on the parent hub (0 = not available). */
  portNumber(device: LibusbDevice): number {
    return this.#lib.libusb_get_port_number(device);
  }

  /** Port numbers from the root hub down to the device (libusb allows at most 7). */
  portNumbers(device: LibusbDevice): number[] {
    const ports = new Uint8Array(7);
    const count = this.#check(this.#lib.libusb_get_port_numbers(device, ptr(ports), ports.length), "libusb_get_port_numbers");
    return [...ports.subarray(0, count)];
  }

  /** Address on its bus (0 = not available). */
  deviceAddress(device: LibusbDevice): number {
    return this.#lib.libusb_get_device_address(device);
  }

  open(device: LibusbDevice): LibusbDeviceHandle {
    const slot = new BigUint64Array(1);
    this.#check(this.#lib.libusb_open(device, ptr(slot)), "libusb_open");
    return Number(slot[0]) as LibusbDeviceHandle;
  }

  close(handle: LibusbDeviceHandle): void {
    this.#lib.libusb_close(handle);
  }

  /** String descriptor `index` in the device's first language, converted to ASCII by libusb ('?' for others). */
  stringDescriptorAscii(handle: LibusbDeviceHandle, index: number): string | LibusbError {
    const buffer = new Uint8Array(256);
    const rc = this.#lib.libusb_get_string_descriptor_ascii(handle, index, ptr(buffer), buffer.length);
    if (rc < 0) return this.#error(rc, "libusb_get_string_descriptor_ascii");
    return new TextDecoder("latin1").decode(buffer.subarray(0, rc));
  }

  /** 1 when a kernel driver is bound to the interface, 0 when not; NOT_SUPPORTED and the rest as LibusbError. */
  kernelDriverActive(handle: LibusbDeviceHandle, iface: number): number | LibusbError {
    const rc = this.#lib.libusb_kernel_driver_active(handle, iface);
    return rc < 0 ? this.#error(rc, "libusb_kernel_driver_active") : rc;
  }

  detachKernelDriver(handle: LibusbDeviceHandle, iface: number): LibusbError | undefined {
    const rc = this.#lib.libusb_detach_kernel_driver(handle, iface);
    return rc < 0 ? this.#error(rc, "libusb_detach_kernel_driver") : undefined;
  }

  setAutoDetachKernelDriver(handle: LibusbDeviceHandle, enable: boolean): LibusbError | undefined {
    const rc = this.#lib.libusb_set_auto_detach_kernel_driver(handle, enable ? 1 : 0);
    return rc < 0 ? this.#error(rc, "libusb_set_auto_detach_kernel_driver") : undefined;
  }

  setConfiguration(handle: LibusbDeviceHandle, configurationValue: number): LibusbError | undefined {
    const rc = this.#lib.libusb_set_configuration(handle, configurationValue);
    return rc < 0 ? this.#error(rc, "libusb_set_configuration") : undefined;
  }

  claimInterface(handle: LibusbDeviceHandle, iface: number): LibusbError | undefined {
    const rc = this.#lib.libusb_claim_interface(handle, iface);
    return rc < 0 ? this.#error(rc, "libusb_claim_interface") : undefined;
  }

  releaseInterface(handle: LibusbDeviceHandle, iface: number): LibusbError | undefined {
    const rc = this.#lib.libusb_release_interface(handle, iface);
    return rc < 0 ? this.#error(rc, "libusb_release_interface") : undefined;
  }

  setInterfaceAltSetting(handle: LibusbDeviceHandle, iface: number, altSetting: number): LibusbError | undefined {
    const rc = this.#lib.libusb_set_interface_alt_setting(handle, iface, altSetting);
    return rc < 0 ? this.#error(rc, "libusb_set_interface_alt_setting") : undefined;
  }

  clearHalt(handle: LibusbDeviceHandle, endpoint: number): LibusbError | undefined {
    const rc = this.#lib.libusb_clear_halt(handle, endpoint);
    return rc < 0 ? this.#error(rc, "libusb_clear_halt") : undefined;
  }

  resetDevice(handle: LibusbDeviceHandle): LibusbError | undefined {
    const rc = this.#lib.libusb_reset_device(handle);
    return rc < 0 ? this.#error(rc, "libusb_reset_device") : undefined;
  }

  /**
   * A control transfer. Direction comes from bmRequestType bit 7: IN reads up to `dataOrLength`
   * bytes and returns what arrived; OUT sends the bytes and returns them cut to what was sent.
   */
  controlTransfer(
    handle: LibusbDeviceHandle,
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    dataOrLength: Uint8Array | number,
    timeoutMs: number,
  ): Uint8Array | LibusbError {
    const buffer = typeof dataOrLength === "number" ? new Uint8Array(dataOrLength) : dataOrLength.slice();
    // bun:ffi cannot take a pointer to an empty buffer; a zero-length stage needs no memory.
    const data = buffer.length === 0 ? null : ptr(buffer);
    const rc = this.#lib.libusb_control_transfer(handle, bmRequestType, bRequest, wValue, wIndex, data, buffer.length, timeoutMs);
    if (rc < 0) return this.#error(rc, "libusb_control_transfer");
    return buffer.subarray(0, rc);
  }

  /**
   * An interrupt transfer on `endpoint` (bit 7 set = IN). IN returns the bytes received; a
   * timeout after a partial transfer still reports TIMEOUT, as libusb does.
   */
  interruptTransfer(
    handle: LibusbDeviceHandle,
    endpoint: number,
    dataOrLength: Uint8Array | number,
    timeoutMs: number,
  ): Uint8Array | LibusbError {
    const buffer = typeof dataOrLength === "number" ? new Uint8Array(dataOrLength) : dataOrLength.slice();
    const transferred = new Int32Array(1);
    const data = buffer.length === 0 ? null : ptr(buffer);
    const rc = this.#lib.libusb_interrupt_transfer(handle, endpoint, data, buffer.length, ptr(transferred), timeoutMs);
    if (rc < 0) return this.#error(rc, "libusb_interrupt_transfer");
    return buffer.subarray(0, transferred[0] ?? 0);
  }
}
