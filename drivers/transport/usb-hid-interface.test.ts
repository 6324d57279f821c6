import { expect, test } from "bun:test";
import { interruptInAddress, parseHexUshort, resolveUsbHidInterface, USB_HID_DEFAULT_INTERFACE } from "./usb-hid-interface.ts";

const options = (values: Record<string, string>) => (name: string): string | undefined => values[name];

test("option values are read as libusb1.c's str_to_ushort(…, 16) reads them", () => {
  expect(parseHexUshort("2")).toBe(2);
  expect(parseHexUshort("10")).toBe(16);
  expect(parseHexUshort("0x84")).toBe(0x84);
  expect(parseHexUshort("  a \n")).toBe(10);
  expect(parseHexUshort("ffff")).toBe(0xffff);
  for (const bad of ["", " ", "-1", "+1", "0x", "g", "1 2", "10000"]) expect(parseHexUshort(bad)).toBeUndefined();
});

test("defaults, then the claim's choice, then the options (later NUT's precedence)", () => {
  expect(resolveUsbHidInterface(options({}), {})).toEqual({ ...USB_HID_DEFAULT_INTERFACE, descIndex: undefined });
  const arduino = { interfaceNumber: 2, endpointIn: 4, endpointOut: 5 };
  expect(resolveUsbHidInterface(options({}), arduino)).toEqual({ configIndex: 0, interfaceNumber: 2, descIndex: undefined, endpointIn: 4, endpointOut: 5 });
  expect(resolveUsbHidInterface(options({ usb_hid_rep_index: "3", usb_hid_ep_in: "0x6", usb_config_index: "1", usb_hid_desc_index: "0" }), arduino)).toEqual({
    configIndex: 1,
    interfaceNumber: 3,
    descIndex: 0,
    endpointIn: 6,
    endpointOut: 5,
  });
});

test("an unparsable or out-of-range value is libusb1.c's fatal text", () => {
  expect(() => resolveUsbHidInterface(options({ usb_config_index: "100" }), {})).toThrow("nut_libusb_open: could not parse usb_config_index");
  expect(() => resolveUsbHidInterface(options({ usb_hid_rep_index: "x" }), {})).toThrow("nut_libusb_open: could not parse usb_hid_rep_index");
  expect(resolveUsbHidInterface(options({ usb_hid_rep_index: "ffff" }), {}).interfaceNumber).toBe(0xffff);
  expect(() => resolveUsbHidInterface(options({ usb_hid_ep_out: "-1" }), {})).toThrow("nut_libusb_open: could not parse usb_hid_ep_out");
});

test("the interrupt-IN address is 0x80 + the endpoint number, as an unsigned char", () => {
  expect(interruptInAddress(USB_HID_DEFAULT_INTERFACE)).toBe(0x81);
  expect(interruptInAddress({ ...USB_HID_DEFAULT_INTERFACE, endpointIn: 4 })).toBe(0x84);
  expect(interruptInAddress({ ...USB_HID_DEFAULT_INTERFACE, endpointIn: 0x84 })).toBe(0x04);
});
