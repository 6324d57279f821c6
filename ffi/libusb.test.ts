import { describe, expect, test } from "bun:test";
import { Libusb, LibusbMissingError, parseDeviceDescriptor } from "./libusb.ts";

describe("Libusb", () => {
  test("a missing library gives the one-line install hint", () => {
    let caught: unknown;
    try {
      Libusb.open("libusb-does-not-exist-1.0.so.0");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LibusbMissingError);
    expect((caught as Error).message).toBe("USB needs libusb-1.0: install package libusb-1.0-0");
  });

  test("the real library initialises and names its error codes", () => {
    const usb = Libusb.open();
    try {
      expect(usb.errorName(-7)).toBe("TIMEOUT");
      expect(usb.errorName(-9)).toBe("PIPE");
      expect(usb.errorName(-4)).toBe("NO_DEVICE");
      expect(usb.strerror(-7)).toBe("Operation timed out");
      // Outside the simulator the container has no USB bus; the call itself must still work.
      expect(usb.withDeviceList((devices) => devices.length)).toBeGreaterThanOrEqual(0);
    } finally {
      usb.exit();
    }
  });

  test("device descriptor layout (USB 2.0 §9.6.1, little-endian)", () => {
    const bytes = Uint8Array.from(Buffer.from("12010002000000081d0502000601010203" + "01", "hex"));
    expect(parseDeviceDescriptor(bytes)).toEqual({
      bLength: 18,
      bDescriptorType: 1,
      bcdUSB: 0x0200,
      bDeviceClass: 0,
      bDeviceSubClass: 0,
      bDeviceProtocol: 0,
      bMaxPacketSize0: 8,
      idVendor: 0x051d,
      idProduct: 0x0002,
      bcdDevice: 0x0106,
      iManufacturer: 1,
      iProduct: 2,
      iSerialNumber: 3,
      bNumConfigurations: 1,
    });
  });
});
