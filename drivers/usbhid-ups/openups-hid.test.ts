import { afterEach, expect, test } from "bun:test";
import type { HidConversionContext, HidDeviceIdentity } from "./hid-subdriver.ts";
import { usbIdSupport } from "./hid-subdriver.ts";
import {
  OPENUPS_CCHARGE,
  OPENUPS_CDISCHARGE,
  OPENUPS_CHARGING,
  OPENUPS_NOBATTERY,
  OPENUPS_OFF,
  OPENUPS_ONLINE,
  OPENUPS_SUBDRIVER,
  OPENUPS_TEMPERATURE,
  OPENUPS_VIN,
  OPENUPS_VOUT,
  resetOpenupsScales,
} from "./openups-hid.ts";

const ctx: HidConversionContext = { stringDescriptor: () => undefined };
const dev = (productId: number): HidDeviceIdentity => ({ vendorId: 0x04d8, productId, vendor: undefined, product: "OPEN-UPS", serial: undefined });
const match = (productId: number): void => {
  const { support, id } = usbIdSupport(OPENUPS_SUBDRIVER.usbIds, 0x04d8, productId);
  expect(support).toBe("supported");
  id?.onMatch?.(dev(productId), { maxReportSize: false, useInterruptPipe: true, log: () => {} });
};

afterEach(resetOpenupsScales);

test("unscaled before a match; d004 scales ADC counts, d005 tenths", () => {
  expect(OPENUPS_VIN.toNut(13.79, ctx)).toBe("13.79");
  match(0xd004);
  expect(OPENUPS_VIN.toNut(3.89, ctx)).toBe("13.79");
  expect(OPENUPS_VOUT.toNut(4.65, ctx)).toBe("11.96");
  expect(OPENUPS_CCHARGE.toNut(7.05, ctx)).toBe("0.583");
  expect(OPENUPS_CDISCHARGE.toNut(0.07, ctx)).toBe("0.113");
  resetOpenupsScales();
  match(0xd005);
  expect(OPENUPS_VIN.toNut(1379, ctx)).toBe("137.90");
  expect(OPENUPS_CDISCHARGE.toNut(12, ctx)).toBe("1.200");
});

test("temperature: thermistor table points, interpolation between them, clamped ends", () => {
  expect(OPENUPS_TEMPERATURE.toNut(0.49, ctx)).toBe("-40");
  expect(OPENUPS_TEMPERATURE.toNut(0.2, ctx)).toBe("-40");
  expect(OPENUPS_TEMPERATURE.toNut(9.72, ctx)).toBe("125");
  // 0x200 = 512 is 25 °C exactly; 533 lies 21/47 of the way to 30 °C
  expect(OPENUPS_TEMPERATURE.toNut(5.12, ctx)).toBe("25");
  expect(OPENUPS_TEMPERATURE.toNut(5.33, ctx)).toBe("27.23");
  // the reading is truncated to an integer after the x100
  expect(OPENUPS_TEMPERATURE.toNut(5.339, ctx)).toBe("27.23");
  // below zero C's unsigned conversion wraps: far above the table
  expect(OPENUPS_TEMPERATURE.toNut(-1, ctx)).toBe("125");
});

test("status words: any non-zero value sets them, NaN included; Good means not off", () => {
  expect(OPENUPS_CHARGING.toNut(1, ctx)).toBe("chrg");
  expect(OPENUPS_CHARGING.toNut(0, ctx)).toBe("!chrg");
  expect(OPENUPS_ONLINE.toNut(Number.NaN, ctx)).toBe("online");
  // BatteryPresent = 1 gives "nobattery", as openups_nobattery_fun does
  expect(OPENUPS_NOBATTERY.toNut(1, ctx)).toBe("nobattery");
  expect(OPENUPS_OFF.toNut(1, ctx)).toBe("!off");
  expect(OPENUPS_OFF.toNut(0, ctx)).toBe("off");
});

test("claim and identity: d004/d005; other Microchip products only with productid", () => {
  expect(usbIdSupport(OPENUPS_SUBDRIVER.usbIds, 0x04d8, 0xd006).support).toBe("possibly");
  expect(OPENUPS_SUBDRIVER.claimPossibly).toBeUndefined();
  expect(OPENUPS_SUBDRIVER.formatMfr(dev(0xd004))).toBe("openUPS");
  expect(OPENUPS_SUBDRIVER.usageTable.map(([name]) => name)).toEqual(["Cell1", "Cell2", "Cell3", "Cell4", "Cell5", "Cell6"]);
});
