import { describe, expect, test } from "bun:test";
import type { NutscanDevice } from "./nutscan-device.ts";
import { ParsableDisplay, SanityCheckDisplay, serialSanityWarnings, UpsConfDisplay } from "./nutscan-display.ts";

const APC: NutscanDevice = {
  type: "USB",
  driver: "usbhid-ups",
  port: "auto",
  options: [
    { name: "vendorid", value: "051D" },
    { name: "product", value: 'Back-UPS "ES"' },
    { name: "explore" },
  ],
};
const OLDNUT: NutscanDevice = { type: "NUT", driver: "dummy-ups", port: "ups@10.0.0.1", options: [] };

describe("ups.conf display (-N)", () => {
  test("sections numbered across calls, values raw, bare options", () => {
    const display = new UpsConfDisplay();
    expect(display.format([APC])).toBe('[nutdev1]\n\tdriver = "usbhid-ups"\n\tport = "auto"\n\tvendorid = "051D"\n\tproduct = "Back-UPS "ES""\n\texplore\n');
    expect(display.format([])).toBe("");
    expect(display.format([OLDNUT])).toBe('[nutdev2]\n\tdriver = "dummy-ups"\n\tport = "ups@10.0.0.1"\n');
  });
});

describe("parsable display (-P)", () => {
  test("one line per device, type prefix, no spaces added", () => {
    const display = new ParsableDisplay();
    expect(display.format([APC, OLDNUT])).toBe('USB:driver="usbhid-ups",port="auto",vendorid="051D",product="Back-UPS "ES"",explore\nNUT:driver="dummy-ups",port="ups@10.0.0.1"\n');
  });
});

const usb = (serial: string | null | undefined, product = "UPS"): NutscanDevice => ({
  type: "USB",
  driver: "usbhid-ups",
  port: "auto",
  options: [
    { name: "vendorid", value: "051D" },
    { name: "product", value: product },
    ...(serial === undefined ? [] : serial === null ? [{ name: "serial" }] : [{ name: "serial", value: serial }]),
  ],
});

describe("sanity-check display (-Q, NUT 2.8.1+)", () => {
  test("unique serials: the -N sections and nothing more", () => {
    const display = new SanityCheckDisplay();
    const plain = new UpsConfDisplay();
    const devices = [usb("AAA1"), usb("BBB2"), usb(undefined)];
    expect(display.format(devices)).toBe(plain.format(devices));
    expect(display.format([])).toBe("");
  });

  test("the same serial on two sections: one warning naming both", () => {
    const text = new SanityCheckDisplay().format([usb("4B1234"), usb("XYZ"), usb("4B1234")]);
    expect(text).toEndWith(
      '\tserial = "4B1234"\n' +
        '\n# WARNING: same "serial" value "4B1234" reported in several device configurations ' +
        "(maybe okay if multiple drivers for same device, likely a vendor bug if reported by same driver for many devices): nutdev1,nutdev3\n",
    );
  });

  test("numbers carry on across scan types; the warnings use them", () => {
    const display = new SanityCheckDisplay();
    display.format([usb("S1"), usb("S2")]);
    const text = display.format([
      { type: "NUT", driver: "dummy-ups", port: "a@h", options: [{ name: "serial", value: "" }] },
      { type: "NUT", driver: "dummy-ups", port: "b@h", options: [{ name: "serial", value: "" }] },
    ]);
    expect(text).toStartWith("[nutdev3]\n");
    expect(text).toEndWith('\n# WARNING: <empty> "serial" reported in some devices: nutdev3,nutdev4\n');
  });

  test("missing value, all-same characters (with the duplicate warning after it), trailing blank without newline", () => {
    expect(serialSanityWarnings([usb(null)], 1)).toBe('\n# WARNING: <null> "serial" reported in some devices: nutdev1\n');
    expect(serialSanityWarnings([usb("0000"), usb("0000")], 5)).toBe(
      "\n# WARNING: all-same character \"serial\" with 4 copies of '0' (0x30) reported in some devices: nutdev5,nutdev6\n" +
        '\n# WARNING: same "serial" value "0000" reported in several device configurations ' +
        "(maybe okay if multiple drivers for same device, likely a vendor bug if reported by same driver for many devices): nutdev5,nutdev6\n",
    );
    expect(serialSanityWarnings([usb("AB\t")], 1)).toBe('\n# WARNING: trailing blank space in "serial" value "AB\t" reported in device configuration(s): nutdev1');
    expect(serialSanityWarnings([usb(" ")], 1)).toBe(
      '\n# WARNING: trailing blank space in "serial" value " " reported in device configuration(s): nutdev1' +
        "\n# WARNING: all-same character \"serial\" with 1 copies of ' ' (0x20) reported in some devices: nutdev1\n",
    );
  });

  test("debug lines name the functions and the type as later NUT's upsdebugx does", () => {
    const lines: string[] = [];
    const display = new SanityCheckDisplay((level, message) => lines.push(`${level} ${message}`));
    display.format([usb("S"), usb("S")]);
    display.format([]);
    expect(lines).toEqual([
      "2 nutscan_display_ups_conf_with_sanity_check: USB",
      "2 nutscan_display_ups_conf: USB",
      "2 nutscan_display_sanity_check: USB",
      "2 nutscan_display_sanity_check_serial: USB",
      "3 nutscan_display_sanity_check_serial: checking serial numbers for 2 device configuration(s)",
      "3 nutscan_display_sanity_check_serial: new entry for serial 'S' of nutdev1",
      "3 nutscan_display_sanity_check_serial: duplicate entry for serial 'S' of 'nutdev2': nutdev1",
      "2 nutscan_display_ups_conf_with_sanity_check: <NULL>",
      "2 nutscan_display_ups_conf: <NULL>",
      "2 nutscan_display_sanity_check: <NULL>",
      "2 nutscan_display_sanity_check_serial: <NULL>",
    ]);
  });
});
