import { describe, expect, test } from "bun:test";
import { NUTSCAN_USB_TABLE } from "./nutscan-usb-table.ts";
import { usbDriverFor, usbScanResult } from "./usb-scan.ts";

describe("USB ID table (NUT 2.8.0 nutscan-usb.h)", () => {
  test("120 entries, one driver per VID:PID, known rows", () => {
    expect(NUTSCAN_USB_TABLE.length).toBe(120);
    expect(new Set(NUTSCAN_USB_TABLE.map(([v, p]) => `${v}:${p}`)).size).toBe(120);
    expect(usbDriverFor(0x051d, 0x0002)).toBe("usbhid-ups");
    expect(usbDriverFor(0x0665, 0x5161)).toBe("nutdrv_qx");
    expect(usbDriverFor(0x0592, 0x0002)).toBe("bcmxcp_usb");
    expect(usbDriverFor(0x09ae, 0x0001)).toBe("tripplite_usb");
    expect(usbDriverFor(0x0925, 0x1234)).toBe("richcomm_usb");
    expect(usbDriverFor(0x04b4, 0x5500)).toBe("riello_usb");
    expect(usbDriverFor(0x1d6b, 0x0002)).toBeUndefined();
  });
});

describe("USB scan results", () => {
  test("table devices become sections in bus order; trailing spaces cut; missing strings omitted", () => {
    const result = usbScanResult({
      kind: "devices",
      devices: [
        { vendorId: 0x051d, productId: 0x0002, bcdDevice: 0x106, busNumber: 1, address: 2, portNumber: 1, serial: "4B12  ", product: "Back-UPS ", manufacturer: "APC\t" },
        { vendorId: 0x1d6b, productId: 0x0002, bcdDevice: 0, busNumber: 1, address: 1, portNumber: 0 },
        { vendorId: 0x0665, productId: 0x5161, bcdDevice: 0, busNumber: 12, address: 3, portNumber: 2 },
      ],
    });
    expect(result).toEqual({
      devices: [
        {
          type: "USB",
          driver: "usbhid-ups",
          port: "auto",
          options: [
            { name: "vendorid", value: "051D" },
            { name: "productid", value: "0002" },
            { name: "product", value: "Back-UPS" },
            { name: "serial", value: "4B12" },
            { name: "vendor", value: "APC\t" },
            { name: "bus", value: "001" },
          ],
        },
        {
          type: "USB",
          driver: "nutdrv_qx",
          port: "auto",
          options: [
            { name: "vendorid", value: "0665" },
            { name: "productid", value: "5161" },
            { name: "bus", value: "012" },
          ],
        },
      ],
    });
  });
  test("no device at all and a failed libusb_init are 2.8.0's fatal errors", () => {
    expect(usbScanResult({ kind: "empty", errnoText: "Resource temporarily unavailable" })).toEqual({ fatal: "No USB device found: Resource temporarily unavailable" });
    expect(usbScanResult({ kind: "init-failed", errnoText: "No such file or directory" })).toEqual({ fatal: "Failed to init libusb 1.0: No such file or directory" });
  });
});

describe("later NUT's USB IDs (nutscan-usb-table-later.ts)", () => {
  test("EcoFlow 3746:ffff (NUT 2.8.5's ecoflow-hid) goes to usbhid-ups; 2.8.0's table has no 3746 at all", () => {
    expect(NUTSCAN_USB_TABLE.some(([v]) => v === 0x3746)).toBe(false);
    expect(usbDriverFor(0x3746, 0xffff)).toBe("usbhid-ups");
    expect(usbDriverFor(0x3746, 0x0001)).toBeUndefined();
  });
});
