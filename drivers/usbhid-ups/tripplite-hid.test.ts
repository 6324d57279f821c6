import { afterEach, expect, test } from "bun:test";
import type { HidConversionContext, HidDeviceIdentity } from "./hid-subdriver.ts";
import { TRIPPLITE_BATTVOLT, TRIPPLITE_CHEMISTRY, TRIPPLITE_IOFREQ, TRIPPLITE_IOVOLT, TRIPPLITE_SUBDRIVER, resetTrippliteScales } from "./tripplite-hid.ts";

const ctx = (productid: string): HidConversionContext => ({ stringDescriptor: (i) => (i === 5 ? "PbAcid" : undefined), getInfo: (n) => (n === "ups.productid" ? productid : undefined) });
const dev = (vendorId: number, productId: number): HidDeviceIdentity => ({ vendorId, productId, vendor: undefined, product: undefined, serial: undefined });
const match = (vendorId: number, productId: number): void =>
  TRIPPLITE_SUBDRIVER.usbIds.find((id) => id.vendorId === vendorId && id.productId === productId)?.onMatch?.(dev(vendorId, productId), { maxReportSize: false, useInterruptPipe: true, log: () => {} });

afterEach(resetTrippliteScales);

test("the matched product id chooses the scale factors", () => {
  match(0x09ae, 0x1003);
  expect(TRIPPLITE_BATTVOLT.toNut(136, ctx("1003"))).toBe("13.6");
  expect(TRIPPLITE_IOVOLT.toNut(120.5, ctx("1003"))).toBe("120.5");
  resetTrippliteScales();
  match(0x09ae, 0x3016);
  expect(TRIPPLITE_IOFREQ.toNut(6000, ctx("3016"))).toBe("60.0");
  // NUT prints into 8 bytes: longer results are cut
  expect(TRIPPLITE_IOVOLT.toNut(0.00121, ctx("3016"))).toBe("121.0");
  expect(TRIPPLITE_BATTVOLT.toNut(1, ctx("3016"))).toBe("100000.");
});

test("battery chemistry: unknown on AVR550U and OMNI1000LCD, the string elsewhere", () => {
  expect(TRIPPLITE_CHEMISTRY.toNut(5, ctx("1003"))).toBe("unknown");
  expect(TRIPPLITE_CHEMISTRY.toNut(5, ctx("2005"))).toBe("unknown");
  expect(TRIPPLITE_CHEMISTRY.toNut(5, ctx("3015"))).toBe("PbAcid");
});

test("unlisted products: 09ae:0001 is refused, HP only with productid", () => {
  const logged: string[] = [];
  const claim = TRIPPLITE_SUBDRIVER.claimPossibly!;
  expect(claim(dev(0x09ae, 0x0001), true, (_l, m) => logged.push(m))).toBe(false);
  expect(logged[0]).toStartWith("This Tripp Lite device (09ae/0001) is not supported by usbhid-ups.");
  expect(claim(dev(0x09ae, 0x7777), false, () => {})).toBe(false);
  expect(claim(dev(0x09ae, 0x7777), true, () => {})).toBe(true);
  expect(claim(dev(0x03f0, 0x7777), true, () => {})).toBe(true);
});
