import { expect, test } from "bun:test";
import { ARDUINO_HID2NUT, ARDUINO_SUBDRIVER } from "./arduino-hid.ts";
import { HID_SUBDRIVERS } from "./hid-subdriver-list.ts";
import { type HidDeviceIdentity, type HidDeviceReader, type HidDeviceTweaks, HU_FLAG_ABSENT, HU_TYPE_CMD, usbIdSupport } from "./hid-subdriver.ts";

const dev = (vendor?: string, product?: string, serial?: string): HidDeviceIdentity => ({ vendorId: 0x2341, productId: 0x8036, vendor, product, serial });
const noReader: HidDeviceReader = { itemValue: () => undefined, itemString: () => "" };

test("claims the Leonardo / Pro Micro IDs of both Arduino vendor IDs, other Arduino products only 'possibly'", () => {
  for (const [vid, pid] of [[0x2341, 0x0036], [0x2341, 0x8036], [0x2a03, 0x0036], [0x2a03, 0x8036], [0x2a03, 0x0040], [0x2a03, 0x8040]] as const) {
    expect(usbIdSupport(ARDUINO_SUBDRIVER.usbIds, vid, pid).support).toBe("supported");
  }
  // an Uno (2341:0043): known vendor, so claimed only with the productid option
  expect(usbIdSupport(ARDUINO_SUBDRIVER.usbIds, 0x2341, 0x0043).support).toBe("possibly");
  expect(usbIdSupport(ARDUINO_SUBDRIVER.usbIds, 0x0764, 0x8036).support).toBe("no");
});

test("the claim moves the driver to the sketch's HID interface 2 and endpoints 4 / 5", () => {
  const tweaks: HidDeviceTweaks = { maxReportSize: false, useInterruptPipe: true, log: () => {}, usb: {} };
  usbIdSupport(ARDUINO_SUBDRIVER.usbIds, 0x2a03, 0x8040).id?.onMatch?.(dev(), tweaks);
  expect(tweaks.usb).toEqual({ interfaceNumber: 2, endpointIn: 4, endpointOut: 5 });
});

test("tried after APC and before Belkin (2.8.0's alphabetical list)", () => {
  const names = HID_SUBDRIVERS.map((s) => s.name);
  expect(names.indexOf("Arduino HID 0.2")).toBe(names.indexOf("APC HID 0.98") + 1);
  expect(names.indexOf("Belkin/Liebert HID 0.18")).toBe(names.indexOf("Arduino HID 0.2") + 1);
});

test("identity: the USB strings, 'Arduino' when there is no manufacturer string", () => {
  expect(ARDUINO_SUBDRIVER.formatMfr(dev())).toBe("Arduino");
  expect(ARDUINO_SUBDRIVER.formatMfr(dev("Arduino LLC"))).toBe("Arduino LLC");
  expect(ARDUINO_SUBDRIVER.formatModel(dev(undefined, "Arduino Leonardo"), noReader)).toBe("Arduino Leonardo");
  expect(ARDUINO_SUBDRIVER.formatModel(dev(), noReader)).toBeUndefined();
  expect(ARDUINO_SUBDRIVER.formatSerial(dev(undefined, undefined, "UPS10"))).toBe("UPS10");
});

test("maps only the PowerSummary delays and the commands on them", () => {
  expect(ARDUINO_HID2NUT.map((r) => r.name)).toEqual([
    "ups.delay.start",
    "ups.delay.shutdown",
    "ups.timer.start",
    "ups.timer.shutdown",
    "ups.timer.reboot",
    "load.off.delay",
    "load.on.delay",
    "shutdown.stop",
    "shutdown.reboot",
  ]);
  expect(ARDUINO_HID2NUT.every((r) => r.path.startsWith("UPS.PowerSummary.Delay"))).toBe(true);
  expect(ARDUINO_HID2NUT.filter((r) => r.flags & HU_FLAG_ABSENT).map((r) => r.format)).toEqual(["30", "20"]);
  expect(ARDUINO_HID2NUT.filter((r) => r.flags & HU_TYPE_CMD).map((r) => r.format)).toEqual(["20", "30", "-1", "10"]);
});
