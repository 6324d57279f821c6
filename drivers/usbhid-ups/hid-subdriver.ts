/**
 * What a usbhid-ups subdriver is (NUT's subdriver_t and hid_info_t, drivers/usbhid-ups.h): its
 * identity, the USB IDs it claims, its usage-name extension, the report-descriptor fix-up and
 * the hid2nut mapping as data rows. Pure types and flag constants; no I/O.
 */
import type { HidData, ParsedReportDescriptor } from "./hid-report-descriptor.ts";
import type { UsageTable } from "./hid-usage-table.ts";
import type { UsbHidClaimChoice } from "../transport/usb-hid-interface.ts";

/** HU_FLAG_* / HU_TYPE_CMD of usbhid-ups.h. */
export const HU_FLAG_STATIC = 0x02;
export const HU_FLAG_SEMI_STATIC = 0x04;
export const HU_FLAG_ABSENT = 0x08;
export const HU_TYPE_CMD = 0x10;
export const HU_FLAG_QUICK_POLL = 0x20;
export const HU_FLAG_ENUM = 0x40;

/** What a conversion function may ask of the device (string descriptors for stringid). */
export interface HidConversionContext {
  stringDescriptor(index: number): string | undefined;
  /** dstate_getinfo(): a variable already published (CyberPower reads the nominal voltage). */
  getInfo?(name: string): string | undefined;
  /** upsdebugx() / upslogx(LOG_INFO) for conversions that report what they decide. */
  debug?(level: number, message: string): void;
  logInfo?(message: string): void;
  /** upslogx(LOG_NOTICE) (Liebert's and Belkin's exponent fixes). */
  logNotice?(message: string): void;
  /** dstate_delinfo(): a conversion that withdraws a variable (MGE's ABM charger status). */
  delInfo?(name: string): void;
  /** ups_status_get(): whether an internal status word (`off` …) is set now (MGE's converter online). */
  statusHas?(word: string): boolean;
  /** reportbuf->data[id]: the buffered bytes of one report, ID byte first (Ever decodes raw reports). */
  reportBuffer?(reportId: number): Uint8Array;
}

/** A value → text table (exact integer match, `(long)value == hidValue`). */
export interface HidValueTable {
  readonly kind: "table";
  readonly entries: readonly (readonly [hidValue: number, nutValue: string])[];
  /**
   * A table whose first entry carries a fun / nuf (MGE's pegasus and nominal-voltage tables):
   * the function converts, the entries serve SET by text and the ENUM list (each entry whose
   * value the function accepts).
   */
  readonly toNut?: (value: number, ctx: HidConversionContext) => string | undefined;
  readonly fromNut?: (text: string, ctx: HidConversionContext) => number;
}

/** A conversion function pair (info_lkp_t with fun / nuf). */
export interface HidValueFunction {
  readonly kind: "function";
  /** HID value → text; undefined ignores the value (NULL in NUT). */
  toNut(value: number, ctx: HidConversionContext): string | undefined;
  /** Text → HID value (for SET); absent: no reverse. */
  fromNut?(text: string, ctx: HidConversionContext): number;
}

export type HidLookup = HidValueTable | HidValueFunction;

/** One hid2nut row. `name` is a NUT variable, a command, or `BOOL` (a status word). */
export interface HidMappingRow {
  readonly name: string;
  /** dstate flags (ST_FLAG_RW, ST_FLAG_STRING). */
  readonly stateFlags: number;
  /** Max length for ST_FLAG_STRING variables (dstate aux). */
  readonly length: number;
  readonly path: string;
  /** printf format (`%.0f` …), the ABSENT default, or the command's value. */
  readonly format: string;
  /** HU_* flags. */
  readonly flags: number;
  readonly lookup?: HidLookup;
}

/** USB identity strings and numbers the format functions see (HIDDevice_t). */
export interface HidDeviceIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly vendor: string | undefined;
  readonly product: string | undefined;
  readonly serial: string | undefined;
}

/**
 * What a format function may read from the device once its descriptor is parsed (MGE builds
 * the model from UPS.PowerSummary.iModel): HIDGetItemValue / HIDGetItemString of libhid.c.
 */
export interface HidDeviceReader {
  /** The value at a HID path (report cache, 2 s old at most); undefined when absent or unreadable. */
  itemValue(path: string): number | undefined;
  /** The string descriptor the value at a path indexes; "" when there is none. */
  itemString(path: string): string;
  /** upsdebugx() for format functions that report what they compare. */
  debug?(level: number, message: string): void;
}

/** A descriptor object whose limits a fix-up may change (HIDData_t is mutable in NUT). */
export type MutableHidData = { -readonly [K in keyof HidData]: HidData[K] };

/** One USB ID a subdriver claims and the hook run when it matches (usb_device_id_t). */
export interface HidUsbId {
  readonly vendorId: number;
  readonly productId: number;
  /** Per-ID tweak (APC: maxreport for some Back-UPS, interrupt pipe off for 5G models). */
  readonly onMatch?: (device: HidDeviceIdentity, tweaks: HidDeviceTweaks) => void;
}

/** Driver-wide switches a subdriver's claim hooks may flip. */
export interface HidDeviceTweaks {
  maxReportSize: boolean;
  useInterruptPipe: boolean;
  log: (message: string) => void;
  /** upsdebugx() from a claim hook (openUPS reports the scales it picked). */
  debug?: (level: number, message: string) => void;
  /** PowerCOM 0d9f:0001: interrupt_only / interrupt_size set by the claim (options still override). */
  interruptOnly?: boolean;
  interruptSize?: number;
  /**
   * USB numbers the claim chooses for the device it accepts (usb->hid_rep_index, hid_ep_in,
   * hid_ep_out: Powervar's interface 1, Arduino's interface 2 with endpoints 4 and 5); cleared
   * for every device tried, and later NUT's usb_hid_* options win over them.
   */
  usb?: UsbHidClaimChoice;
}

export interface HidSubdriver {
  /** Name and version, published as driver.version.data (`APC HID 0.98`). */
  readonly name: string;
  readonly usbIds: readonly HidUsbId[];
  /** Vendor usage names, looked up before the generic table. */
  readonly usageTable: UsageTable;
  readonly mapping: readonly HidMappingRow[];
  /** Text of the "possibly supported" message (`APC`, `CyberPower` …). */
  readonly vendorLabel: string;
  formatMfr(device: HidDeviceIdentity): string | undefined;
  formatModel(device: HidDeviceIdentity, reader: HidDeviceReader): string | undefined;
  /** formatModel's result replaces the device's Product string (mge_format_model), which "Detected a UPS" then shows. */
  readonly modelReplacesProduct?: boolean;
  /** `reader` absent: the device is not readable (Belkin then has no fallback to UPS.PowerSummary.iSerialNumber). */
  formatSerial(device: HidDeviceIdentity, reader?: HidDeviceReader): string | undefined;
  /** Extra variables derived from the identity (APC: ups.firmware, ups.firmware.aux). */
  identityExtras?(device: HidDeviceIdentity): readonly (readonly [string, string])[];
  /**
   * Claim decision for a device whose vendor this subdriver knows but whose product it does not
   * list; absent: claimed only when the `productid` option is given (most subdrivers). `tweaks`
   * (always given by the driver) lets a claim taken through productid set what the listed IDs'
   * onMatch hooks set (Arduino's and Powervar's interface).
   */
  claimPossibly?(device: HidDeviceIdentity, productidGiven: boolean, debug: (level: number, message: string) => void, tweaks?: HidDeviceTweaks): boolean;
  /**
   * Claim decision for a device this subdriver lists (after the ID's onMatch hook); absent:
   * always claimed. MGE leaves Phoenixtec 06da:ffff to Liebert unless it says AEG.
   */
  claimSupported?(device: HidDeviceIdentity): boolean;
  /** Report-descriptor fix-up; true when something was changed. */
  fixReportDescriptor?(device: HidDeviceIdentity, items: MutableHidData[], debug: (level: number, message: string) => void): boolean;
}

/** possibly_supported() of usbhid-ups.c (printed at debug level 0, i.e. always). */
export function possiblySupportedMessage(label: string, device: HidDeviceIdentity): string {
  const hex = (n: number): string => n.toString(16).padStart(4, "0");
  return (
    `This ${label} device (${hex(device.vendorId)}:${hex(device.productId)}) is not (or perhaps not yet) supported\n` +
    "by usbhid-ups. Please make sure you have an up-to-date version of NUT. If\n" +
    "this does not fix the problem, try running the driver with the\n" +
    `'-x productid=${hex(device.productId)}' option. Please report your results to the NUT user's\n` +
    "mailing list <nut-upsuser@lists.alioth.debian.org>.\n"
  );
}

/** is_usb_device_supported(): "supported", "possibly" (vendor known) or "no". */
export function usbIdSupport(ids: readonly HidUsbId[], vendorId: number, productId: number): { support: "supported" | "possibly" | "no"; id?: HidUsbId } {
  let vendorKnown = false;
  for (const id of ids) {
    if (id.vendorId !== vendorId) continue;
    vendorKnown = true;
    if (id.productId === productId) return { support: "supported", id };
  }
  return { support: vendorKnown ? "possibly" : "no" };
}

/** The parsed descriptor with mutable objects, so that a fix-up can patch limits. */
export function mutableItems(desc: ParsedReportDescriptor): MutableHidData[] {
  return desc.items.map((item) => ({ ...item }));
}

/** One hid2nut row in NUT's column order (name, flags, length, path, format/default, HU flags, lookup). */
export function hidRow(name: string, stateFlags: number, length: number, path: string, format: string, flags: number, lookup?: HidLookup): HidMappingRow {
  return lookup === undefined ? { name, stateFlags, length, path, format, flags } : { name, stateFlags, length, path, format, flags, lookup };
}
