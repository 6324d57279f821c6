/**
 * NUT 2.8.0's Tripp Lite subdriver (drivers/tripplite-hid.c, `TrippLite HID 0.84`) as data:
 * its USB IDs (Tripp Lite, HP, Delta/Minuteman) with the per-model scale factors they select,
 * Tripp Lite's usage names, the hid2nut table in NUT's order, the scaled voltage / frequency /
 * current conversions and the battery-chemistry workaround for AVR550U and OMNI1000LCD.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import {
  AWAITINGPOWER_INFO,
  BEEPER_INFO,
  BOOST_INFO,
  CHARGING_INFO,
  COMMFAULT_INFO,
  DEPLETED_INFO,
  DISCHARGING_INFO,
  FULLYCHARGED_INFO,
  KELVIN_CELSIUS_CONVERSION,
  LOWBATT_INFO,
  ONLINE_INFO,
  OVERHEAT_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TRIM_INFO,
  VRANGE_INFO,
} from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_FLAG_SEMI_STATIC,
  HU_FLAG_STATIC,
  HU_TYPE_CMD,
  type HidMappingRow,
  type HidSubdriver,
  type HidUsbId,
  possiblySupportedMessage,
  type HidValueFunction,
  hidRow,
} from "./hid-subdriver.ts";

const TRIPPLITE_VENDORID = 0x09ae;
const HP_VENDORID = 0x03f0;
const DELTA_VENDORID = 0x05dd;

/**
 * Scale factors chosen by the matched USB ID (tripplite-hid.c's statics: one driver process
 * serves one UPS). Some report descriptors are off by a factor of 10 or worse.
 */
export const trippliteScales = { battery: 1.0, ioVoltage: 1.0, ioFrequency: 1.0, ioCurrent: 1.0 };

/** Back to the state of a freshly started driver (for tests). */
export function resetTrippliteScales(): void {
  Object.assign(trippliteScales, { battery: 1.0, ioVoltage: 1.0, ioFrequency: 1.0, ioCurrent: 1.0 });
}

/** The three hooks of the ID table; like NUT's, the 1.0 and 0.1 ones leave the I/O scales alone. */
const batteryScale1dot0 = (): void => {
  trippliteScales.battery = 1.0;
};
const batteryScale0dot1 = (): void => {
  trippliteScales.battery = 0.1;
};
const smart1500lcdtScale = (): void => {
  Object.assign(trippliteScales, { battery: 100000.0, ioVoltage: 100000.0, ioFrequency: 0.01, ioCurrent: 0.01 });
};

/** `%.1f` of a scaled value into NUT's 8-byte buffer. */
const scaled = (scale: () => number): HidValueFunction => ({ kind: "function", toNut: (value) => formatFixed(scale() * value, 1).slice(0, 7) });
export const TRIPPLITE_BATTVOLT = scaled(() => trippliteScales.battery);
export const TRIPPLITE_IOVOLT = scaled(() => trippliteScales.ioVoltage);
export const TRIPPLITE_IOFREQ = scaled(() => trippliteScales.ioFrequency);
export const TRIPPLITE_IOAMP = scaled(() => trippliteScales.ioCurrent);

/** tripplite_chemistry: `unknown` on AVR550U (1003) and OMNI1000LCD (2005) whose firmware lies. */
export const TRIPPLITE_CHEMISTRY: HidValueFunction = {
  kind: "function",
  toNut(value, ctx) {
    const model = ctx.getInfo?.("ups.productid");
    if (model === "1003" || model === "2005") return "unknown";
    return STRINGID_CONVERSION.toNut(value, ctx);
  },
};

const row = hidRow;

/** tripplite_hid2nut[], in NUT's order (the USBHID_UPS_TRIPPLITE_DEBUG rows are not built in 2.8.0). */
export const TRIPPLITE_HID2NUT: readonly HidMappingRow[] = [
  // device page
  row("device.part", 0, 0, "UPS.TLCustom.[1].iUPSPartNumber", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  // battery page
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.charge", 0, 0, "UPS.BatterySystem.Battery.RemainingCapacity", "%.0f", 0),
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.voltage.nominal", 0, 0, "UPS.BatterySystem.Battery.ConfigVoltage", "%.1f", HU_FLAG_STATIC),
  row("battery.voltage", 0, 0, "UPS.BatterySystem.Battery.Voltage", "%s", 0, TRIPPLITE_BATTVOLT),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, TRIPPLITE_CHEMISTRY),
  row("battery.temperature", 0, 0, "UPS.BatterySystem.Temperature", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  // UPS page
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.OutletSystem.Outlet.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.start", 0, 0, "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.test.result", 0, 0, "UPS.BatterySystem.Test", "%s", 0, TEST_READ_INFO),
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", 0, BEEPER_INFO),
  row("ups.power.nominal", 0, 0, "UPS.Flow.ConfigApparentPower", "%.0f", HU_FLAG_STATIC),
  row("ups.power", 0, 0, "UPS.OutletSystem.Outlet.ActivePower", "%.1f", 0),
  row("ups.power", 0, 0, "UPS.PowerConverter.Output.ActivePower", "%.1f", 0),
  row("ups.load", 0, 0, "UPS.OutletSystem.Outlet.PercentLoad", "%.0f", 0),
  row("ups.firmware", 0, 0, "UPS.TLCustom.[1].UPSFirmwareVersion", "%.0f", HU_FLAG_STATIC),
  // seconds left before the watchdog reboots the UPS (0 = disabled)
  row("ups.watchdog.status", 0, 0, "UPS.OutletSystem.Outlet.TLWatchdog", "%.0f", 0),
  // status words
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.InternalFailure", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyCharged", "", HU_FLAG_QUICK_POLL, FULLYCHARGED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyDischarged", "", HU_FLAG_QUICK_POLL, DEPLETED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  // the same words under the faulty usage codes of some OMNI1000LCD
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.TLACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  // 0x00840045 is TLDischarging on Tripp Lite units and ConfigPercentLoad on HP ones
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.TLDischarging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("ups.load.nominal", 0, 0, "UPS.Flow.ConfigPercentLoad", "%.0f", 0),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.TLCharging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.TLNeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.VoltageOutOfRange", "", 0, VRANGE_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Buck", "", 0, TRIM_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Boost", "", 0, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.OverTemperature", "", 0, OVERHEAT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.InternalFailure", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.AwaitingPower", "", 0, AWAITINGPOWER_INFO),
  // input page
  row("input.voltage.nominal", 0, 0, "UPS.PowerSummary.Input.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("input.voltage", 0, 0, "UPS.PowerSummary.Input.Voltage", "%s", 0, TRIPPLITE_IOVOLT),
  row("input.voltage", 0, 0, "UPS.PowerConverter.Input.Voltage", "%s", 0, TRIPPLITE_IOVOLT),
  row("input.frequency", 0, 0, "UPS.PowerConverter.Input.Frequency", "%s", 0, TRIPPLITE_IOFREQ),
  row("input.transfer.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.LowVoltageTransfer", "%.1f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.low.max", 0, 0, "UPS.PowerConverter.Output.TLLowVoltageTransferMax", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.low.min", 0, 0, "UPS.PowerConverter.Output.TLLowVoltageTransferMin", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.high", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.HighVoltageTransfer", "%.1f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.high.max", 0, 0, "UPS.PowerConverter.Output.TLHighVoltageTransferMax", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.high.min", 0, 0, "UPS.PowerConverter.Output.TLHighVoltageTransferMin", "%.0f", HU_FLAG_STATIC),
  // output page
  row("output.voltage.nominal", 0, 0, "UPS.Flow.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%s", 0, TRIPPLITE_IOVOLT),
  row("output.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%s", 0, TRIPPLITE_IOVOLT),
  row("output.current", 0, 0, "UPS.PowerConverter.Output.Current", "%s", 0, TRIPPLITE_IOAMP),
  row("output.frequency.nominal", 0, 0, "UPS.Flow.ConfigFrequency", "%.0f", HU_FLAG_STATIC),
  row("output.frequency", 0, 0, "UPS.PowerConverter.Output.Frequency", "%s", 0, TRIPPLITE_IOFREQ),
  // instant commands
  row("test.battery.start.quick", 0, 0, "UPS.BatterySystem.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.BatterySystem.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.BatterySystem.Test", "3", HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeReboot", "10", HU_TYPE_CMD),
  // the ECO550UPS has no DelayBeforeStartup: its watchdog triggers the reboot
  row("shutdown.reboot", 0, 0, "UPS.OutletSystem.Outlet.TLWatchdog", "10", HU_TYPE_CMD),
  // the UPS reboots when this timer expires
  row("reset.watchdog", 0, 0, "UPS.OutletSystem.Outlet.TLWatchdog", "60", HU_TYPE_CMD),
  row("beeper.on", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.off", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.mute", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
];

const id = (vendorId: number, productId: number, hook: () => void): HidUsbId => ({ vendorId, productId, onMatch: hook });

export const TRIPPLITE_SUBDRIVER: HidSubdriver = {
  name: "TrippLite HID 0.84",
  vendorLabel: "TrippLite",
  usbIds: [
    ...[0x1003, 0x1007, 0x1008, 0x1009, 0x1010].map((p) => id(TRIPPLITE_VENDORID, p, batteryScale0dot1)),
    id(TRIPPLITE_VENDORID, 0x1330, batteryScale1dot0),
    ...[0x2005, 0x2007, 0x2008, 0x2009, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014].map((p) => id(TRIPPLITE_VENDORID, p, batteryScale0dot1)),
    ...[0x3008, 0x3009, 0x3010, 0x3011, 0x3012, 0x3013, 0x3014, 0x3015].map((p) => id(TRIPPLITE_VENDORID, p, batteryScale1dot0)),
    // Smart1500LCD and AVR750U, newer units
    id(TRIPPLITE_VENDORID, 0x3016, smart1500lcdtScale),
    id(TRIPPLITE_VENDORID, 0x3024, smart1500lcdtScale),
    ...[0x4001, 0x4002, 0x4003, 0x4004, 0x4005, 0x4006, 0x4007, 0x4008].map((p) => id(TRIPPLITE_VENDORID, p, batteryScale1dot0)),
    ...[0x0001, 0x1fe0, 0x1fe1, 0x1fe2, 0x1fe3, 0x1f06, 0x1f08, 0x1f09, 0x1f0a].map((p) => id(HP_VENDORID, p, batteryScale1dot0)),
    // Delta/Minuteman Enterprise Plus E1500RM2U
    id(DELTA_VENDORID, 0xa011, batteryScale1dot0),
  ],
  usageTable: [
    ["TLCustom", 0xffff0010],
    ["TLDelayBeforeStartup", 0xffff0056],
    ["TLLowVoltageTransferMax", 0xffff0057],
    ["TLLowVoltageTransferMin", 0xffff0058],
    ["TLHighVoltageTransferMax", 0xffff0059],
    ["TLHighVoltageTransferMin", 0xffff005a],
    ["OutletState", 0xffff007a],
    ["OutletCount", 0xffff007b],
    ["UPSFirmwareVersion", 0xffff007c],
    ["CommunicationProtocolVersion", 0xffff007d],
    ["CommunicationVersion", 0xffff007e],
    ["iUPSPartNumber", 0xffff007f],
    ["AutoOnDelay", 0xffff0080],
    ["TLWatchdog", 0xffff0092],
    ["TLOutletsAvailableMask", 0xffff0095],
    ["TLOutletsStatusMask", 0xffff0096],
    // Tripp Lite mixed up pages 0x84 and 0x85 for these on some OMNI1000LCD (they clash with the HID spec)
    ["TLCharging", 0x00840044],
    ["TLDischarging", 0x00840045],
    ["TLNeedReplacement", 0x0084004b],
    ["TLACPresent", 0x008400d0],
  ],
  mapping: TRIPPLITE_HID2NUT,
  formatMfr: (device) => device.vendor,
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
  claimPossibly(device, productidGiven, debug) {
    // HP makes many USB devices that are not UPSes: no "possibly supported" for them
    if (device.vendorId === HP_VENDORID) return productidGiven;
    if (device.vendorId === TRIPPLITE_VENDORID && device.productId === 0x0001) {
      // serial-over-USB models (SMART550USB, SMART3000RM2U)
      const hex = (n: number): string => n.toString(16).padStart(4, "0");
      debug(0, `This Tripp Lite device (${hex(device.vendorId)}/${hex(device.productId)}) is not supported by usbhid-ups.\nPlease use the tripplite_usb driver instead.\n`);
      return false;
    }
    if (device.vendorId === TRIPPLITE_VENDORID) {
      if (productidGiven) return true;
      debug(0, possiblySupportedMessage("TrippLite", device));
      return false;
    }
    // 2.8.0's catch-all: another Delta product is not taken, not even with productid
    return false;
  },
};
