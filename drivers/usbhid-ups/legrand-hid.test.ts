import { expect, test } from "bun:test";
import type { HidConversionContext, HidDeviceIdentity, HidDeviceReader, HidDeviceTweaks } from "./hid-subdriver.ts";
import { usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";
import { LEGRAND_HID2NUT, LEGRAND_SUBDRIVER, LEGRAND_TIMES100K, LEGRAND_TIMES10, LEGRAND_TIMES10M, LEGRAND_TIMES1M } from "./legrand-hid.ts";

const ctx: HidConversionContext = { stringDescriptor: () => undefined };
const dev = (productId: number, vendor?: string): HidDeviceIdentity => ({ vendorId: 0x1cb0, productId, vendor, product: "KEOR SP", serial: undefined });
/** The model is the product string: these format functions read nothing from the device. */
const NO_READER: HidDeviceReader = { itemValue: () => undefined, itemString: () => "" };

test("the PowerConverter values are scaled back by powers of ten, %0.1f", () => {
  expect(LEGRAND_TIMES10.toNut(27, ctx)).toBe("270.0");
  expect(LEGRAND_TIMES1M.toNut(236e-6, ctx)).toBe("236.0");
  expect(LEGRAND_TIMES100K.toNut(138e-6, ctx)).toBe("13.8");
  expect(LEGRAND_TIMES10M.toNut(2356e-8, ctx)).toBe("235.6");
  // NUT prints into a 20-byte buffer
  expect(LEGRAND_TIMES10M.toNut(1e12, ctx)).toBe("1000000000000000000");
});

test("both Keor models turn the interrupt pipe off, logging it once", () => {
  const logged: string[] = [];
  const tweaks: HidDeviceTweaks = { maxReportSize: false, useInterruptPipe: true, log: (m) => logged.push(m) };
  for (const productId of [0x0038, 0x0032]) {
    const { support, id } = usbIdSupport(LEGRAND_SUBDRIVER.usbIds, 0x1cb0, productId);
    expect(support).toBe("supported");
    id?.onMatch?.(dev(productId), tweaks);
  }
  expect(tweaks.useInterruptPipe).toBe(false);
  expect(logged).toEqual(["interrupt pipe disabled (add 'pollonly' flag to 'ups.conf' to get rid of this message)"]);
});

test("other Legrand products are only possibly supported; other vendors not at all", () => {
  expect(usbIdSupport(LEGRAND_SUBDRIVER.usbIds, 0x1cb0, 0x0040).support).toBe("possibly");
  expect(usbIdSupport(LEGRAND_SUBDRIVER.usbIds, 0x06da, 0x0038).support).toBe("no");
  // no own rule: the productid option decides, as in legrand_claim
  expect(LEGRAND_SUBDRIVER.claimPossibly).toBeUndefined();
});

test("identity: the USB strings, Legrand when there is no manufacturer string", () => {
  expect(LEGRAND_SUBDRIVER.formatMfr(dev(0x0032))).toBe("Legrand");
  expect(LEGRAND_SUBDRIVER.formatMfr(dev(0x0032, "Legrand "))).toBe("Legrand ");
  expect(LEGRAND_SUBDRIVER.formatModel(dev(0x0032), NO_READER)).toBe("KEOR SP");
  expect(LEGRAND_SUBDRIVER.formatSerial(dev(0x0032))).toBeUndefined();
});

test("battery.runtime's RuntimeToEmpty resolves, usage names being case-insensitive", () => {
  const runtime = LEGRAND_HID2NUT.find((r) => r.name === "battery.runtime");
  expect(stringToPath(runtime?.path ?? "", LEGRAND_SUBDRIVER.usageTable)).toEqual({ path: [0x00840004, 0x00840024, 0x00850068], skipped: [] });
  expect(LEGRAND_HID2NUT.length).toBe(44);
});
