import { expect, test } from "bun:test";
import { LIEBERT_HID2NUT, LIEBERT_SUBDRIVER } from "./liebert-hid.ts";
import type { HidDeviceIdentity, HidDeviceReader } from "./hid-subdriver.ts";
import { usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";

const dev = (vendor?: string): HidDeviceIdentity => ({ vendorId: 0x06da, productId: 0xffff, vendor, product: "Offline UPS", serial: "000000000" });
/** The model is the product string: these format functions read nothing from the device. */
const NO_READER: HidDeviceReader = { itemValue: () => undefined, itemString: () => "" };

test("Phoenixtec's 06da:ffff is claimed, other 06da products only with productid", () => {
  expect(usbIdSupport(LIEBERT_SUBDRIVER.usbIds, 0x06da, 0xffff).support).toBe("supported");
  expect(usbIdSupport(LIEBERT_SUBDRIVER.usbIds, 0x06da, 0x0002).support).toBe("possibly");
  expect(usbIdSupport(LIEBERT_SUBDRIVER.usbIds, 0x10af, 0x0001).support).toBe("no");
  expect(LIEBERT_SUBDRIVER.claimPossibly).toBeUndefined();
});

test("identity: the USB strings, Liebert when there is no manufacturer string", () => {
  expect(LIEBERT_SUBDRIVER.formatMfr(dev())).toBe("Liebert");
  expect(LIEBERT_SUBDRIVER.formatMfr(dev("PPC"))).toBe("PPC");
  expect(LIEBERT_SUBDRIVER.formatModel(dev(), NO_READER)).toBe("Offline UPS");
  expect(LIEBERT_SUBDRIVER.formatSerial(dev())).toBe("000000000");
});

test("the vendor transfer limits are addressed by number", () => {
  const low = LIEBERT_HID2NUT.find((r) => r.name === "input.transfer.low");
  expect(stringToPath(low?.path ?? "", LIEBERT_SUBDRIVER.usageTable).path).toEqual([0x00840004, 0x00840016, 0x0084001c, 0xffff0057]);
  const freqHigh = LIEBERT_HID2NUT.find((r) => r.name === "input.frequency.transfer.high");
  expect(stringToPath(freqHigh?.path ?? "", LIEBERT_SUBDRIVER.usageTable).path.at(-1)).toBe(0xffff00f8);
  expect(LIEBERT_HID2NUT.map((r) => r.name).filter((n) => n === "BOOL").length).toBe(6);
});
