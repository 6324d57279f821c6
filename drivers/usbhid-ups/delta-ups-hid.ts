/**
 * NUT 2.8.0's Delta UPS subdriver (drivers/delta_ups-hid.c, `Delta UPS HID 0.6`) as data: the
 * Amplon R / RT series ID, Delta's vendor usage names (page 0xffff, as Tripp Lite's and
 * MGE's), the hid2nut table in NUT's order, the UPS type and output source lookups, and the
 * model name read from the DeltaModelName string (the USB product string is the fallback).
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
  NOBATTERY_INFO,
  OFF_INFO,
  ONLINE_INFO,
  OVERHEAT_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TRIM_INFO,
  VRANGE_INFO,
  YES_NO_INFO,
} from "./hid-lookups.ts";
import {
  HU_FLAG_QUICK_POLL,
  HU_FLAG_SEMI_STATIC,
  HU_FLAG_STATIC,
  HU_TYPE_CMD,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  type HidValueTable,
  hidRow,
} from "./hid-subdriver.ts";

const DELTA_UPS_VENDORID = 0x05dd;
const MODEL_NAME_PATH = "UPS.DeltaCustom.[1].DeltaModelName";

export const DELTA_UPS_SENSITIVITY_INFO: HidValueTable = { kind: "table", entries: [[0, "normal"], [1, "reduced"], [2, "low"]] };

const UPS_TYPES = ["online", "offline", "line-interactive", "3-phase", "split-phase"] as const;

/** delta_ups_type_fun: the low nibble of DeltaUPSType; Delta's codes 3-6 fold onto NUT's names. */
export const DELTA_UPS_TYPE_INFO: HidValueFunction = {
  kind: "function",
  toNut(value) {
    // (int)value & 0xf
    let type = Math.trunc(value) & 0x0f;
    if (type === 6) type = 4;
    else if (type > 2 && type <= 5) type -= 2;
    return UPS_TYPES[type];
  },
};

export const DELTA_UPS_OUTPUT_SOURCE_INFO: HidValueTable = {
  kind: "table",
  entries: [
    [0, "normal"],
    [1, "battery"],
    [2, "bypass/reserve"],
    [3, "reducing"],
    [4, "boosting"],
    [5, "manual bypass"],
    [6, "other"],
    [7, "no output"],
    [8, "on eco"],
  ],
};

const row = hidRow;

const Q = HU_FLAG_QUICK_POLL;

/** delta_ups_hid2nut[], in NUT's order (ups.mfr/model/serial come from the format functions). */
export const DELTA_UPS_HID2NUT: readonly HidMappingRow[] = [
  row("input.sensitivity", ST_FLAG_RW, 0, "UPS.DeltaCustom.[1].DeltaConfigSensitivity", "%s", 0, DELTA_UPS_SENSITIVITY_INFO),
  row("input.voltage.nominal", 0, 0, "UPS.PowerSummary.Input.ConfigVoltage", "%.1f", HU_FLAG_SEMI_STATIC),
  row("input.voltage", 0, 0, "UPS.PowerSummary.Input.Voltage", "%.1f", Q),
  row("input.voltage", 0, 0, "UPS.PowerConverter.Input.Voltage", "%.1f", Q),
  row("input.transfer.low", ST_FLAG_RW, 0, "UPS.PowerConverter.Output.LowVoltageTransfer", "%.1f", 0),
  row("input.transfer.high", ST_FLAG_RW, 0, "UPS.PowerConverter.Output.HighVoltageTransfer", "%.1f", 0),
  row("input.transfer.low.min", 0, 0, "UPS.PowerConverter.Output.DeltaConfigTransferLowMin", "%.1f", HU_FLAG_STATIC),
  row("input.transfer.low.max", 0, 0, "UPS.PowerConverter.Output.DeltaConfigTransferLowMax", "%.1f", HU_FLAG_STATIC),
  row("input.transfer.high.min", 0, 0, "UPS.PowerConverter.Output.DeltaConfigTransferHighMin", "%.1f", HU_FLAG_STATIC),
  row("input.transfer.high.max", 0, 0, "UPS.PowerConverter.Output.DeltaConfigTransferHighMax", "%.1f", HU_FLAG_STATIC),
  // NUT's FIXME: possibly an output value rather than an input one
  row("input.source", 0, 0, "UPS.OutletSystem.Outlet.DeltaOutputSource", "%s", 0, DELTA_UPS_OUTPUT_SOURCE_INFO),
  row("input.frequency", 0, 0, "UPS.PowerConverter.Input.Frequency", "%.1f", Q),

  row("battery.voltage.nominal", 0, 0, "UPS.BatterySystem.Battery.ConfigVoltage", "%.1f", HU_FLAG_STATIC),
  row("battery.voltage", 0, 0, "UPS.BatterySystem.Battery.Voltage", "%.1f", Q),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", Q),
  row("battery.charge", 0, 0, "UPS.BatterySystem.Battery.RemainingCapacity", "%.0f", 0),
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.temperature", 0, 0, "UPS.BatterySystem.Temperature", "%s", Q, KELVIN_CELSIUS_CONVERSION),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", Q),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("battery.capacity", 0, 0, "UPS.PowerSummary.DesignCapacity", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.capacity", 0, 0, "UPS.PowerSummary.FullChargeCapacity", "%.0f", HU_FLAG_SEMI_STATIC),

  row("output.voltage.nominal", 0, 0, "UPS.Flow.ConfigVoltage", "%.1f", HU_FLAG_SEMI_STATIC),
  row("output.frequency.nominal", 0, 0, "UPS.Flow.ConfigFrequency", "%.1f", HU_FLAG_SEMI_STATIC),
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%.1f", Q),
  row("output.frequency", 0, 0, "UPS.PowerConverter.Output.Frequency", "%.1f", Q),
  row("output.current", 0, 0, "UPS.PowerConverter.Output.Current", "%.1f", Q),

  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", Q, BEEPER_INFO),
  row("ups.test.result", 0, 0, "UPS.BatterySystem.Test", "%s", 0, TEST_READ_INFO),
  row("ups.type", 0, 0, "UPS.DeltaCustom.[1].DeltaUPSType", "%s", HU_FLAG_STATIC, DELTA_UPS_TYPE_INFO),
  row("ups.start.auto", ST_FLAG_RW, 0, "UPS.DeltaCustom.[1].DeltaConfigStartPowerRestore", "%s", 0, YES_NO_INFO),
  row("ups.power.nominal", 0, 0, "UPS.Flow.ConfigApparentPower", "%.0f", HU_FLAG_STATIC),
  row("ups.realpower", 0, 0, "UPS.OutletSystem.Outlet.ActivePower", "%.1f", Q),
  row("ups.realpower", 0, 0, "UPS.PowerConverter.Output.ActivePower", "%.1f", Q),
  row("ups.load", 0, 0, "UPS.OutletSystem.Outlet.PercentLoad", "%.1f", Q),
  // a device setting, not NUT's ABSENT ondelay: there is no ups.delay.shutdown
  row("ups.delay.start", ST_FLAG_RW, 0, "UPS.OutletSystem.Outlet.DeltaConfigStartPowerRestoreDelay", "%.0f", 0),
  row("ups.timer.start", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeStartup", "%.0f", Q),
  row("ups.timer.shutdown", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", "%.0f", Q),
  row("ups.timer.reboot", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeReboot", "%.0f", Q),

  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Good", "", Q, OFF_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.InternalFailure", "", Q, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", Q, SHUTDOWNIMM_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", Q, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", Q, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyCharged", "", Q, FULLYCHARGED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", Q, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", Q, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyDischarged", "", Q, DEPLETED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", Q, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.VoltageOutOfRange", "", Q, VRANGE_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Buck", "", Q, TRIM_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Boost", "", Q, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Overload", "", Q, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.Used", "", Q, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.OverTemperature", "", Q, OVERHEAT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.InternalFailure", "", Q, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.PresentStatus.AwaitingPower", "", Q, AWAITINGPOWER_INFO),

  row("beeper.on", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.off", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.mute", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
  // 10 seconds battery test
  row("test.battery.start.quick", 0, 0, "UPS.BatterySystem.Test", "1", HU_TYPE_CMD),
  // test until battery low
  row("test.battery.start.deep", 0, 0, "UPS.BatterySystem.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.BatterySystem.Test", "3", HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeReboot", "10", HU_TYPE_CMD),
];

export const DELTA_UPS_SUBDRIVER: HidSubdriver = {
  name: "Delta UPS HID 0.6",
  vendorLabel: "Delta",
  usbIds: [
    // RT Series and Amplon R Series, single phase, 1/2/3 kVA
    { vendorId: DELTA_UPS_VENDORID, productId: 0x041b },
  ],
  // NUT's names; DELTAn are usages nobody has identified yet
  usageTable: [
    ["DELTA1", 0x00000000],
    ["DELTA2", 0xff000055],
    ["DeltaCustom", 0xffff0010],
    ["DELTA4", 0xffff0056],
    ["DeltaConfigTransferLowMax", 0xffff0057],
    ["DeltaConfigTransferLowMin", 0xffff0058],
    ["DeltaConfigTransferHighMax", 0xffff0059],
    ["DeltaConfigTransferHighMin", 0xffff005a],
    ["DELTA9", 0xffff0060],
    ["DeltaConfigExternalBatteryPack", 0xffff0061],
    ["DELTA11", 0xffff0062],
    ["DELTA12", 0xffff0063],
    ["DELTA13", 0xffff0064],
    ["DELTA14", 0xffff0065],
    ["DELTA15", 0xffff0066],
    ["DELTA16", 0xffff0067],
    ["DELTA17", 0xffff0068],
    ["DeltaModelName", 0xffff0075],
    ["DELTA19", 0xffff0076],
    ["DeltaUPSType", 0xffff007c],
    ["DELTA21", 0xffff007d],
    ["DeltaConfigStartPowerRestoreDelay", 0xffff0081],
    ["DeltaOutputSource", 0xffff0091],
    ["DELTA24", 0xffff0092],
    ["DELTA25", 0xffff0093],
    ["DELTA26", 0xffff0094],
    ["DELTA27", 0xffff0095],
    ["DELTA28", 0xffff0096],
    ["DELTA29", 0xffff0097],
    ["DELTA30", 0xffff0098],
    ["DELTA31", 0xffff0099],
    ["DELTA32", 0xffff009a],
    ["DeltaConfigSensitivity", 0xffff009b],
    ["DeltaConfigStartPowerRestore", 0xffff009c],
  ],
  mapping: DELTA_UPS_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Delta",
  formatModel(device, reader) {
    const model = reader.itemString(MODEL_NAME_PATH);
    return model === "" ? device.product : model;
  },
  formatSerial: (device) => device.serial,
};
