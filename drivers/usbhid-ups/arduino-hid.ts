/**
 * NUT 2.8.0's Arduino subdriver (drivers/arduino-hid.c, `Arduino HID 0.2`) as data: the
 * Leonardo / Pro Micro USB IDs, the PowerSummary delays and shutdown commands of the
 * HIDPowerDevice sketch, and the USB interface its claim selects. The sketch's HID function
 * is interface 2 of a composite (CDC + HID) device, so the claim moves NUT to interface 2 and
 * endpoints 4 (in) and 5 (out).
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import { HU_FLAG_ABSENT, HU_FLAG_QUICK_POLL, HU_TYPE_CMD, type HidMappingRow, type HidSubdriver } from "./hid-subdriver.ts";

const ARDUINO_VENDORID = 0x2341;
const ARDUINO_VENDORID2 = 0x2a03;

const row = (name: string, stateFlags: number, length: number, path: string, format: string, flags: number): HidMappingRow => ({
  name,
  stateFlags,
  length,
  path,
  format,
  flags,
});

/** arduino_hid2nut[], in NUT's order: only the USB HID PDC delays and the commands on them. */
export const ARDUINO_HID2NUT: readonly HidMappingRow[] = [
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("load.off.delay", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "10", HU_TYPE_CMD),
];

export const ARDUINO_SUBDRIVER: HidSubdriver = {
  name: "Arduino HID 0.2",
  vendorLabel: "Arduino",
  usbIds: [
    // Leonardo, Leonardo ETH and Pro Micro (bootloader and sketch IDs)
    { vendorId: ARDUINO_VENDORID, productId: 0x0036 },
    { vendorId: ARDUINO_VENDORID, productId: 0x8036 },
    { vendorId: ARDUINO_VENDORID2, productId: 0x0036 },
    { vendorId: ARDUINO_VENDORID2, productId: 0x8036 },
    { vendorId: ARDUINO_VENDORID2, productId: 0x0040 },
    { vendorId: ARDUINO_VENDORID2, productId: 0x8040 },
  ],
  // whenever the claim accepts (listed ID, or another product with the productid option)
  usbInterface: { index: 2, endpointIn: 4, endpointOut: 5 },
  usageTable: [],
  mapping: ARDUINO_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Arduino",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
