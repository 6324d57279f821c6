/**
 * NUT 2.8.0's Legrand subdriver (drivers/legrand-hid.c, `Legrand HID 0.2`) as data: the Keor
 * PDU and Keor SP USB IDs (both turn the interrupt pipe off), the hid2nut table in NUT's order
 * and the power-of-ten scalings for the PowerConverter values, whose exponents the firmware
 * reports wrongly.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import { CHARGING_INFO, DISCHARGING_INFO, DIVIDE_BY_10_CONVERSION, LOWBATT_INFO, ONLINE_INFO, OVERLOAD_INFO } from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_FLAG_STATIC,
  HU_TYPE_CMD,
  type HidDeviceTweaks,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  hidRow,
} from "./hid-subdriver.ts";

const LEGRAND_VENDORID = 0x1cb0;
/** Keor PDU (800 VA). */
const LEGRAND_PID_PDU = 0x0038;
/** Keor SP (600 to 2000 VA). */
const LEGRAND_PID_SP = 0x0032;

/** `%0.1f` of the value times a power of ten, into NUT's 20-byte buffer. */
const times = (factor: number): HidValueFunction => ({ kind: "function", toNut: (value) => formatFixed(value * factor, 1).slice(0, 19) });
export const LEGRAND_TIMES10 = times(10);
export const LEGRAND_TIMES100K = times(100000);
export const LEGRAND_TIMES1M = times(1000000);
export const LEGRAND_TIMES10M = times(10000000);

/** disable_interrupt_pipe: both Keor models answer interrupt reads badly; logged once. */
function disableInterruptPipe(_device: unknown, tweaks: HidDeviceTweaks): void {
  if (!tweaks.useInterruptPipe) return;
  tweaks.useInterruptPipe = false;
  tweaks.log("interrupt pipe disabled (add 'pollonly' flag to 'ups.conf' to get rid of this message)");
}

const row = hidRow;

/** legrand_hid2nut[], in NUT's order. */
export const LEGRAND_HID2NUT: readonly HidMappingRow[] = [
  // input data
  row("input.voltage", 0, 0, "UPS.Input.Voltage", "%.0f", 0),
  row("input.voltage", 0, 0, "UPS.PowerConverter.Input.Voltage", "%.0f", 0, LEGRAND_TIMES1M),
  row("input.transfer.high", 0, 0, "UPS.Input.HighVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.high", 0, 0, "UPS.PowerConverter.Output.HighVoltageTransfer", "%.0f", HU_FLAG_STATIC, LEGRAND_TIMES10),
  row("input.transfer.low", 0, 0, "UPS.Input.LowVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.low", 0, 0, "UPS.PowerConverter.Output.LowVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  row("input.voltage.nominal", 0, 0, "UPS.Input.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("input.voltage.nominal", 0, 0, "UPS.Flow.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  // battery data
  row("battery.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%.0f", HU_FLAG_STATIC, DIVIDE_BY_10_CONVERSION),
  row("battery.voltage.nominal", 0, 0, "UPS.BatterySystem.Battery.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%.0f", 0, DIVIDE_BY_10_CONVERSION),
  row("battery.voltage", 0, 0, "UPS.BatterySystem.Battery.Voltage", "%.0f", 0, LEGRAND_TIMES100K),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  // usage names are looked up case-insensitively: this is RunTimeToEmpty
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RuntimeToEmpty", "%.0f", 0),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", HU_FLAG_STATIC),
  row("battery.charge.low", 0, 0, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_STATIC),
  // output data
  row("output.voltage", 0, 0, "UPS.Output.Voltage", "%.0f", 0),
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%.0f", 0, LEGRAND_TIMES10M),
  row("output.frequency", 0, 0, "UPS.Output.Frequency", "%.0f", 0),
  row("ups.load", 0, 0, "UPS.Output.PercentLoad", "%.0f", 0),
  row("ups.load", 0, 0, "UPS.OutletSystem.Outlet.PercentLoad", "%.0f", 0),
  row("ups.realpower.nominal", 0, 0, "UPS.Output.ConfigActivePower", "%.0f", HU_FLAG_STATIC),
  row("ups.realpower.nominal", 0, 0, "UPS.Flow.ConfigApparentPower", "%.0f", HU_FLAG_STATIC),
  // status words
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.Output.Overload", "", HU_FLAG_QUICK_POLL, OVERLOAD_INFO),
  // delays
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.OutletSystem.Outlet.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("load.off.delay", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.Output.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.Output.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  // battery testing
  row("test.battery.start.quick", 0, 0, "UPS.BatterySystem.Battery.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.BatterySystem.Battery.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.BatterySystem.Battery.Test", "3", HU_TYPE_CMD),
  row("test.battery.start.quick", 0, 0, "UPS.Output.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.Output.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.Output.Test", "3", HU_TYPE_CMD),
  // buzzer
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
];

export const LEGRAND_SUBDRIVER: HidSubdriver = {
  name: "Legrand HID 0.2",
  vendorLabel: "Legrand",
  usbIds: [
    { vendorId: LEGRAND_VENDORID, productId: LEGRAND_PID_PDU, onMatch: disableInterruptPipe },
    { vendorId: LEGRAND_VENDORID, productId: LEGRAND_PID_SP, onMatch: disableInterruptPipe },
  ],
  usageTable: [],
  mapping: LEGRAND_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Legrand",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
