/**
 * NUT 2.8.5's EcoFlow subdriver (drivers/ecoflow-hid.c, `EcoFlow HID 0.01`; NUT 2.8.0 has
 * none) as data: EcoFlow's one USB ID (3746:ffff, River 3 Plus / Delta 3 Plus power
 * stations), the hid2nut table in NUT's order and the run-time conversion (these devices report
 * RunTimeToEmpty in minutes). NUT builds the `unmapped.*` rows only with
 * WITH_UNMAPPED_DATA_POINTS, which its default build leaves off; they are left out here too.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import {
  BEEPER_INFO,
  CHARGING_INFO,
  COMMFAULT_INFO,
  DATE_CONVERSION,
  DEPLETED_INFO,
  DISCHARGING_INFO,
  FULLYCHARGED_INFO,
  LOWBATT_INFO,
  NOBATTERY_INFO,
  ONLINE_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TIMELIMITEXPIRED_INFO,
} from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import {
  HU_FLAG_QUICK_POLL,
  HU_FLAG_SEMI_STATIC,
  HU_FLAG_STATIC,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  hidRow,
} from "./hid-subdriver.ts";

const ECOFLOW_VENDORID = 0x3746;
/** HU_INFOSIZE: the buffer the conversion prints into. */
const HU_INFOSIZE = 128;

/** ecoflow_battery_runtime_conversion: minutes to seconds (`%.0f`); a negative value is ignored. */
export const ECOFLOW_RUNTIME_CONVERSION: HidValueFunction = {
  kind: "function",
  toNut: (value) => (value >= 0 ? formatFixed(value * 60.0, 0).slice(0, HU_INFOSIZE - 1) : undefined),
};

const row = hidRow;

const Q = HU_FLAG_QUICK_POLL;

/** ecoflow_hid2nut[], in NUT's order (the beeper and shutdown commands are commented out there). */
export const ECOFLOW_HID2NUT: readonly HidMappingRow[] = [
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", Q, BEEPER_INFO),
  // the rated capacity: close to the Wh rating with early firmwares, the datasheet's later
  row("ups.power.nominal", 0, 0, "UPS.Flow.[4].ConfigActivePower", "%.0f", HU_FLAG_STATIC),
  row("battery.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%.1f", HU_FLAG_SEMI_STATIC),
  row("ups.timer.reboot", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeReboot", "%.0f", Q),
  row("ups.timer.shutdown", 0, 0, "UPS.OutletSystem.Outlet.DelayBeforeShutdown", "%.0f", Q),
  row("battery.capacity.nominal", 0, 0, "UPS.PowerSummary.DesignCapacity", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.capacity", 0, 0, "UPS.PowerSummary.FullChargeCapacity", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("experimental.ups.powersummary.ioeminformation", 0, 0, "UPS.PowerSummary.iOEMInformation", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("ups.mfr.date", 0, 0, "UPS.PowerSummary.ManufacturerDate", "%s", 0, DATE_CONVERSION),
  // status words; BatteryPresent drops when the app's discharge limit is reached
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", Q, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BatteryPresent", "", Q, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", Q, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.CommunicationLost", "", Q, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", Q, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", Q, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyCharged", "", Q, FULLYCHARGED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyDischarged", "", Q, DEPLETED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", Q, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", Q, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", Q, TIMELIMITEXPIRED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", Q, SHUTDOWNIMM_INFO),
  row("experimental.ups.powersummary.presentstatus.shutdownrequested", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownRequested", "%.0f", 0),
  row("experimental.ups.powersummary.presentstatus.voltagenotregulated", 0, 0, "UPS.PowerSummary.PresentStatus.VoltageNotRegulated", "%.0f", 0),
  row("experimental.ups.powersummary.rechargeable", 0, 0, "UPS.PowerSummary.Rechargeable", "%.0f", 0),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", Q),
  // the app's discharge limit, where the load is turned off
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.runtime.low", 0, 0, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  // minutes, for the full capacity (not down to the discharge limit)
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", Q, ECOFLOW_RUNTIME_CONVERSION),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%.1f", Q),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
];

export const ECOFLOW_SUBDRIVER: HidSubdriver = {
  name: "EcoFlow HID 0.01",
  vendorLabel: "EcoFlow",
  usbIds: [{ vendorId: ECOFLOW_VENDORID, productId: 0xffff }],
  usageTable: [],
  mapping: ECOFLOW_HID2NUT,
  formatMfr: (device) => device.vendor ?? "EcoFlow",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
