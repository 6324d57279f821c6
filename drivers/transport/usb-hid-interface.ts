/**
 * Which configuration, interface, HID descriptor and interrupt endpoints a USB HID driver talks
 * to, and later NUT's options that set them (nut_usb_addvars: usb_config_index,
 * usb_hid_rep_index, usb_hid_desc_index, usb_hid_ep_in, usb_hid_ep_out; none exists in NUT
 * 2.8.0). Option values are hexadecimal, as libusb1.c reads them (str_to_ushort base 16: blanks
 * around, an optional 0x, no sign); an option given wins over what a subdriver's claim chose.
 * Pure: no I/O.
 */

/**
 * The numbers a USB HID driver talks to (libusb1.c's usb_subdriver: usb_config_index,
 * hid_rep_index, hid_desc_index, hid_ep_in, hid_ep_out). NUT 2.8.0 used hid_rep_index also as
 * the configuration descriptor index, so a device whose HID interface is not interface 0 was
 * skipped ("Couldn't retrieve descriptors"); later NUT separated them, as the transport does.
 */
export interface UsbHidInterface {
  /** Configuration descriptor index whose interface list is read (0: the first). */
  readonly configIndex: number;
  /** Interface claimed and addressed by HID class requests (wIndex). */
  readonly interfaceNumber: number;
  /** HID / report descriptor index; undefined: 1 for Eaton 0463 with bcdDevice 0202, else 0. */
  readonly descIndex?: number | undefined;
  /** Interrupt-IN endpoint number, added to 0x80 as libusb1.c does (default 1: 0x81). */
  readonly endpointIn: number;
  /** Interrupt-OUT endpoint number (default 1; usbhid-ups writes none). */
  readonly endpointOut: number;
}

/** libusb1.c's defaults: first configuration, interface 0, HID descriptor 0, endpoints 1. */
export const USB_HID_DEFAULT_INTERFACE: UsbHidInterface = { configIndex: 0, interfaceNumber: 0, endpointIn: 1, endpointOut: 1 };

/** 0x80 + hid_ep_in as an unsigned char (LIBUSB_ENDPOINT_IN + usb_subdriver.hid_ep_in). */
export const interruptInAddress = (hid: UsbHidInterface): number => (0x80 + hid.endpointIn) & 0xff;

/** The driver variables with later NUT's -h text (all five share it). */
export const USB_HID_NUMBER_OPTIONS = ["usb_config_index", "usb_hid_rep_index", "usb_hid_desc_index", "usb_hid_ep_in", "usb_hid_ep_out"] as const;
export const USB_HID_NUMBER_OPTION_TEXT = "Deeper tuning of USB communications for complex devices";

/** The numbers a subdriver's claim may choose (usb->hid_rep_index, hid_ep_in, hid_ep_out). */
export interface UsbHidClaimChoice {
  interfaceNumber?: number;
  endpointIn?: number;
  endpointOut?: number;
}

/** Upper bounds of libusb1.c (USB_CTRL_CFGINDEX_MAX, _REPINDEX_MAX, _DESCINDEX_MAX, _ENDPOINT_MAX). */
const LIMITS: Record<(typeof USB_HID_NUMBER_OPTIONS)[number], number> = {
  usb_config_index: 0xff,
  usb_hid_rep_index: 0xffff,
  usb_hid_desc_index: 0xff,
  usb_hid_ep_in: 0xff,
  usb_hid_ep_out: 0xff,
};

/** str_to_ushort(s, &n, 16): the number, or undefined when libusb1.c would not parse it. */
export function parseHexUshort(text: string): number | undefined {
  const trimmed = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
  if (!/^(0[xX](?=[0-9a-fA-F]))?[0-9a-fA-F]+$/.test(trimmed)) return undefined;
  const n = Number.parseInt(trimmed.replace(/^0[xX]/, ""), 16);
  return n <= 0xffff ? n : undefined;
}

/**
 * The HID numbers for one device: each option given, else the claim's choice, else libusb1.c's
 * default. Throws `nut_libusb_open: could not parse <option>` (libusb1.c's fatal text).
 */
export function resolveUsbHidInterface(getVal: (name: string) => string | undefined, claim: UsbHidClaimChoice): UsbHidInterface {
  const option = (name: (typeof USB_HID_NUMBER_OPTIONS)[number]): number | undefined => {
    const text = getVal(name);
    if (text === undefined) return undefined;
    const n = parseHexUshort(text);
    if (n === undefined || n > LIMITS[name]) throw new Error(`nut_libusb_open: could not parse ${name}`);
    return n;
  };
  const d = USB_HID_DEFAULT_INTERFACE;
  return {
    configIndex: option("usb_config_index") ?? d.configIndex,
    interfaceNumber: option("usb_hid_rep_index") ?? claim.interfaceNumber ?? d.interfaceNumber,
    descIndex: option("usb_hid_desc_index"),
    endpointIn: option("usb_hid_ep_in") ?? claim.endpointIn ?? d.endpointIn,
    endpointOut: option("usb_hid_ep_out") ?? claim.endpointOut ?? d.endpointOut,
  };
}
