import { describe, expect, test } from "bun:test";
import type { NutscanDevice } from "./nutscan-device.ts";
import { ParsableDisplay, UpsConfDisplay } from "./nutscan-display.ts";

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
