import { expect, test } from "bun:test";
import { DELTA_UPS_HID2NUT, DELTA_UPS_OUTPUT_SOURCE_INFO, DELTA_UPS_SENSITIVITY_INFO, DELTA_UPS_SUBDRIVER, DELTA_UPS_TYPE_INFO } from "./delta-ups-hid.ts";
import { lookupFromNut, lookupToNut } from "./hid-lookups.ts";
import { HID_SUBDRIVERS } from "./hid-subdriver-list.ts";
import { type HidConversionContext, type HidDeviceIdentity, type HidDeviceReader, usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";

const ctx: HidConversionContext = { stringDescriptor: () => undefined };
const dev = (product?: string): HidDeviceIdentity => ({ vendorId: 0x05dd, productId: 0x041b, vendor: undefined, product, serial: "S1" });
const readerWith = (strings: Record<string, string>, asked: string[] = []): HidDeviceReader => ({
  itemValue: () => undefined,
  itemString: (path) => {
    asked.push(path);
    return strings[path] ?? "";
  },
});

test("UPS type: Delta's codes 3-6 fold onto NUT's names, anything above 6 is ignored", () => {
  const names = [0, 1, 2, 3, 4, 5, 6, 7, 15].map((v) => DELTA_UPS_TYPE_INFO.toNut(v, ctx));
  expect(names).toEqual(["online", "offline", "line-interactive", "offline", "line-interactive", "3-phase", "split-phase", undefined, undefined]);
  // only the low nibble counts
  expect(DELTA_UPS_TYPE_INFO.toNut(0x15, ctx)).toBe("3-phase");
});

test("output source and sensitivity tables, both ways", () => {
  expect([0, 1, 2, 5, 8].map((v) => lookupToNut(DELTA_UPS_OUTPUT_SOURCE_INFO, v, ctx))).toEqual(["normal", "battery", "bypass/reserve", "manual bypass", "on eco"]);
  expect(lookupToNut(DELTA_UPS_OUTPUT_SOURCE_INFO, 9, ctx)).toBeUndefined();
  expect(lookupFromNut(DELTA_UPS_SENSITIVITY_INFO, "reduced")).toBe(1);
  expect(lookupFromNut(DELTA_UPS_SENSITIVITY_INFO, "high")).toBe(-1);
});

test("model: the DeltaModelName string, the USB product string when it is empty", () => {
  const asked: string[] = [];
  expect(DELTA_UPS_SUBDRIVER.formatModel(dev("DELTA UPS"), readerWith({ "UPS.DeltaCustom.[1].DeltaModelName": "UPS302R2000B0BA " }, asked))).toBe("UPS302R2000B0BA ");
  expect(asked).toEqual(["UPS.DeltaCustom.[1].DeltaModelName"]);
  expect(DELTA_UPS_SUBDRIVER.formatModel(dev("DELTA UPS"), readerWith({}))).toBe("DELTA UPS");
  expect(DELTA_UPS_SUBDRIVER.formatModel(dev(), readerWith({}))).toBeUndefined();
  expect(DELTA_UPS_SUBDRIVER.formatMfr(dev())).toBe("Delta");
  expect(DELTA_UPS_SUBDRIVER.formatSerial(dev())).toBe("S1");
});

test("Delta's vendor names resolve on page 0xffff, DeltaCustom as an indexed collection", () => {
  const { path } = stringToPath("UPS.DeltaCustom.[1].DeltaConfigStartPowerRestore", DELTA_UPS_SUBDRIVER.usageTable);
  expect(path).toEqual([0x00840004, 0xffff0010, 0x00ff0001, 0xffff009c]);
});

test("claim: 05dd:041b; Delta's other products (Tripp Lite's 05dd:a011) only with productid, since Delta comes first", () => {
  expect(usbIdSupport(DELTA_UPS_SUBDRIVER.usbIds, 0x05dd, 0x041b).support).toBe("supported");
  expect(usbIdSupport(DELTA_UPS_SUBDRIVER.usbIds, 0x05dd, 0xa011).support).toBe("possibly");
  expect(DELTA_UPS_SUBDRIVER.claimPossibly).toBeUndefined();
  const names = HID_SUBDRIVERS.map((s) => s.name);
  expect(names.indexOf("Delta UPS HID 0.6")).toBeLessThan(names.indexOf("TrippLite HID 0.84"));
  expect(names.indexOf("Delta UPS HID 0.6")).toBe(names.indexOf("CyberPower HID 0.6") + 1);
});

test("no ABSENT delays: ups.delay.start is the device's own restart delay, writable", () => {
  const start = DELTA_UPS_HID2NUT.filter((r) => r.name === "ups.delay.start");
  expect(start.map((r) => [r.path, r.flags, r.format])).toEqual([["UPS.OutletSystem.Outlet.DeltaConfigStartPowerRestoreDelay", 0, "%.0f"]]);
  expect(DELTA_UPS_HID2NUT.some((r) => r.name === "ups.delay.shutdown")).toBe(false);
});
