import { expect, test } from "bun:test";
import { HID_SUBDRIVERS } from "./hid-subdriver-list.ts";
import { HU_FLAG_STATIC, type HidDeviceIdentity, type HidDeviceReader, usbIdSupport } from "./hid-subdriver.ts";
import { IDOWELL_HID2NUT, IDOWELL_SUBDRIVER } from "./idowell-hid.ts";

const dev = (vendor?: string): HidDeviceIdentity => ({ vendorId: 0x075d, productId: 0x0300, vendor, product: "iBox", serial: "00000001" });
const noReader: HidDeviceReader = { itemValue: () => undefined, itemString: () => "" };

test("claim: 075d:0300 only in 2.8.0 (Phoenixtec 06da:ffff came later); other iDowell products with productid", () => {
  expect(usbIdSupport(IDOWELL_SUBDRIVER.usbIds, 0x075d, 0x0300).support).toBe("supported");
  expect(usbIdSupport(IDOWELL_SUBDRIVER.usbIds, 0x075d, 0x0301).support).toBe("possibly");
  expect(usbIdSupport(IDOWELL_SUBDRIVER.usbIds, 0x06da, 0xffff).support).toBe("no");
  const names = HID_SUBDRIVERS.map((s) => s.name);
  expect(names.indexOf("iDowell HID 0.2")).toBe(names.indexOf("Ever HID 0.1") + 1);
});

test("identity: USB strings, 'iDowell' without a manufacturer string", () => {
  expect(IDOWELL_SUBDRIVER.formatMfr(dev())).toBe("iDowell");
  expect(IDOWELL_SUBDRIVER.formatMfr(dev("IDOWELL"))).toBe("IDOWELL");
  expect(IDOWELL_SUBDRIVER.formatModel(dev(), noReader)).toBe("iBox");
  expect(IDOWELL_SUBDRIVER.formatSerial(dev())).toBe("00000001");
});

test("table: status words first, read-only static charge limit, nominal values under UPS.Flow.[4]", () => {
  expect(IDOWELL_HID2NUT.slice(0, 10).every((r) => r.name === "BOOL")).toBe(true);
  const low = IDOWELL_HID2NUT.find((r) => r.name === "battery.charge.low");
  expect([low?.stateFlags, low?.flags]).toEqual([0, HU_FLAG_STATIC]);
  expect(IDOWELL_HID2NUT.filter((r) => r.path.startsWith("UPS.Flow.[4].")).map((r) => r.name)).toEqual(["ups.power.nominal", "output.voltage.nominal", "output.frequency.nominal"]);
  // no shutdown.reboot: the iBox has no DelayBeforeReboot
  expect(IDOWELL_HID2NUT.filter((r) => r.path.includes("Delay") && r.name.includes(".")).map((r) => r.name)).toEqual([
    "ups.delay.start",
    "ups.delay.shutdown",
    "ups.timer.start",
    "ups.timer.shutdown",
    "load.off.delay",
    "load.on.delay",
    "shutdown.stop",
  ]);
});
