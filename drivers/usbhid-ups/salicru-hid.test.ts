import { expect, test } from "bun:test";
import type { HidDeviceIdentity, HidDeviceReader } from "./hid-subdriver.ts";
import { HU_TYPE_CMD, usbIdSupport } from "./hid-subdriver.ts";
import { SALICRU_HID2NUT, SALICRU_SUBDRIVER } from "./salicru-hid.ts";

const dev = (productId: number, vendor?: string): HidDeviceIdentity => ({ vendorId: 0x2e66, productId, vendor, product: " 850", serial: undefined });
/** The model is the product string: these format functions read nothing from the device. */
const NO_READER: HidDeviceReader = { itemValue: () => undefined, itemString: () => "" };

test("2.8.0's Salicru IDs: TWIN PRO2/PRO3 and SPS HOME; newer ones only with productid", () => {
  for (const pid of [0x0201, 0x0202, 0x0203, 0x0300]) expect(usbIdSupport(SALICRU_SUBDRIVER.usbIds, 0x2e66, pid).support).toBe("supported");
  // 0101 and 0302 came after 2.8.0
  expect(usbIdSupport(SALICRU_SUBDRIVER.usbIds, 0x2e66, 0x0302).support).toBe("possibly");
  expect(usbIdSupport(SALICRU_SUBDRIVER.usbIds, 0x2e66, 0x0101).support).toBe("possibly");
  expect(SALICRU_SUBDRIVER.claimPossibly).toBeUndefined();
});

test("identity: the USB strings, Salicru when there is no manufacturer string", () => {
  expect(SALICRU_SUBDRIVER.formatMfr(dev(0x0300))).toBe("Salicru");
  expect(SALICRU_SUBDRIVER.formatMfr(dev(0x0300, "1 "))).toBe("1 ");
  expect(SALICRU_SUBDRIVER.formatModel(dev(0x0300), NO_READER)).toBe(" 850");
});

test("the Twin Pro 2 paths come after the generic ones, so the generic ones win", () => {
  const paths = (name: string) => SALICRU_HID2NUT.filter((r) => r.name === name).map((r) => r.path);
  expect(paths("ups.load")).toEqual(["UPS.Output.PercentLoad", "UPS.PowerSummary.PercentLoad"]);
  expect(paths("output.voltage.nominal")).toEqual(["UPS.Output.ConfigVoltage", "UPS.PowerSummary.ConfigVoltage"]);
  // NUT lists UPS.BatterySystem.Battery.Test for ups.test.result twice
  expect(paths("ups.test.result")).toEqual(["UPS.Output.Test", "UPS.BatterySystem.Battery.Test", "UPS.BatterySystem.Battery.Test"]);
  expect(SALICRU_HID2NUT.filter((r) => r.flags & HU_TYPE_CMD).map((r) => [r.name, r.format])).toEqual([
    ["test.battery.start.quick", "1"],
    ["test.battery.start.deep", "2"],
    ["test.battery.stop", "3"],
  ]);
});
