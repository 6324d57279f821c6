/**
 * NUT 2.8.0's Salicru subdriver (drivers/salicru-hid.c, `Salicru HID 0.3`) as data: the
 * TWIN PRO2/PRO3 and SPS HOME USB IDs and the hid2nut table in NUT's order, with the
 * Twin Pro 2 paths appended after the generic ones (first row that resolves wins).
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import {
  BEEPER_INFO,
  BOOST_INFO,
  CHARGING_INFO,
  COMMFAULT_INFO,
  DISCHARGING_INFO,
  FULLYCHARGED_INFO,
  LOWBATT_INFO,
  ONLINE_INFO,
  OVERHEAT_INFO,
  OVERLOAD_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TIMELIMITEXPIRED_INFO,
} from "./hid-lookups.ts";
import { HU_FLAG_QUICK_POLL, HU_FLAG_SEMI_STATIC, HU_FLAG_STATIC, HU_TYPE_CMD, type HidMappingRow, type HidSubdriver, hidRow } from "./hid-subdriver.ts";

const SALICRU_VENDORID = 0x2e66;

const row = hidRow;

/**
 * salicru_hid2nut[], in NUT's order (the DEBUG-only experimental rows are not built; the
 * commented-out transfer limits and untested commands of the C file are left out as there).
 */
export const SALICRU_HID2NUT: readonly HidMappingRow[] = [
  // battery page
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", 0, STRINGID_CONVERSION),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0),
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%.0f", 0),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%.2f", 0),
  // UPS page
  row("ups.load", 0, 0, "UPS.Output.PercentLoad", "%.0f", 0),
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", 0, BEEPER_INFO),
  row("ups.test.result", 0, 0, "UPS.Output.Test", "%s", 0, TEST_READ_INFO),
  row("ups.realpower.nominal", 0, 0, "UPS.Output.ConfigActivePower", "%.0f", 0),
  // status words
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyCharged", "", 0, FULLYCHARGED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", 0, TIMELIMITEXPIRED_INFO),
  row("BOOL", 0, 0, "UPS.Output.CommunicationLost", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.Output.Boost", "", 0, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.Output.Overload", "", 0, OVERLOAD_INFO),
  // input page (the transfer limits are read-only on the model this was written for)
  row("input.frequency", 0, 0, "UPS.Input.Frequency", "%.1f", 0),
  row("input.voltage.nominal", 0, 0, "UPS.Input.ConfigVoltage", "%.0f", 0),
  row("input.voltage", 0, 0, "UPS.Input.Voltage", "%.1f", 0),
  row("input.transfer.high", 0, 0, "UPS.PowerConverter.Output.HighVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.low", 0, 0, "UPS.PowerConverter.Output.LowVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  // output page
  row("output.frequency", 0, 0, "UPS.Output.Frequency", "%.1f", 0),
  row("output.voltage", 0, 0, "UPS.Output.Voltage", "%.1f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.Output.ConfigVoltage", "%.0f", 0),
  // Twin Pro 2 sensors
  row("ups.load", 0, 0, "UPS.PowerSummary.PercentLoad", "%.0f", 0),
  row("ups.test.result", 0, 0, "UPS.BatterySystem.Battery.Test", "%s", 0, TEST_READ_INFO),
  row("ups.realpower.nominal", 0, 0, "UPS.Flow.[4].ConfigActivePower", "%.0f", 0),
  row("ups.realpower", 0, 0, "UPS.PowerConverter.Output.ActivePower", "%.0f", 0),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.OverTemperature", "", 0, OVERHEAT_INFO),
  row("input.frequency", 0, 0, "UPS.PowerConverter.Input.[1].Frequency", "%.1f", 0),
  row("input.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Voltage", "%.1f", 0),
  row("output.frequency", 0, 0, "UPS.PowerConverter.Output.Frequency", "%.1f", 0),
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%.1f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%.0f", 0),
  row("ups.test.result", 0, 0, "UPS.BatterySystem.Battery.Test", "%s", 0, TEST_READ_INFO),
  // Twin Pro 2 instant commands
  row("test.battery.start.quick", 0, 0, "UPS.BatterySystem.Battery.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.BatterySystem.Battery.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.BatterySystem.Battery.Test", "3", HU_TYPE_CMD),
];

export const SALICRU_SUBDRIVER: HidSubdriver = {
  name: "Salicru HID 0.3",
  vendorLabel: "Salicru",
  usbIds: [
    // TWINPRO3/TWINRT3 (SLC-1500-TWIN PRO3, NUT issue 1142), SLC TWIN PRO2 up to 3 kVA (issue 450)
    { vendorId: SALICRU_VENDORID, productId: 0x0201 },
    { vendorId: SALICRU_VENDORID, productId: 0x0202 },
    { vendorId: SALICRU_VENDORID, productId: 0x0203 },
    // SPS 850 HOME (NUT pull request 1199)
    { vendorId: SALICRU_VENDORID, productId: 0x0300 },
  ],
  usageTable: [],
  mapping: SALICRU_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Salicru",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
