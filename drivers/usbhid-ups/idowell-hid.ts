/**
 * NUT 2.8.0's iDowell subdriver (drivers/idowell-hid.c, `iDowell HID 0.2`) as data: the iBox
 * USB ID and the hid2nut table in NUT's order (the DEBUG-only `unmapped.*` rows are not built
 * in 2.8.0). Standard HID PDC paths only; the nominal values live under UPS.Flow.[4].
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import {
  CHARGING_INFO,
  COMMFAULT_INFO,
  DISCHARGING_INFO,
  LOWBATT_INFO,
  OFF_INFO,
  ONLINE_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
} from "./hid-lookups.ts";
import { HU_FLAG_ABSENT, HU_FLAG_QUICK_POLL, HU_FLAG_STATIC, HU_TYPE_CMD, type HidMappingRow, type HidSubdriver, hidRow } from "./hid-subdriver.ts";

const IDOWELL_VENDORID = 0x075d;

const row = hidRow;

/** idowell_hid2nut[], in NUT's order. */
export const IDOWELL_HID2NUT: readonly HidMappingRow[] = [
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.CommunicationLost", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Good", "", 0, OFF_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.InternalFailure", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  // battery page
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  // read only
  row("battery.charge.low", 0, 0, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_STATIC),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  // UPS page
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.load", 0, 0, "UPS.PowerSummary.PercentLoad", "%.0f", 0),
  row("ups.power.nominal", 0, 0, "UPS.Flow.[4].ConfigApparentPower", "%.0f", HU_FLAG_STATIC),
  // input page
  row("input.transfer.high", 0, 0, "UPS.PowerConverter.Output.HighVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.low", 0, 0, "UPS.PowerConverter.Output.LowVoltageTransfer", "%.0f", HU_FLAG_STATIC),
  // output page
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%.1f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.Flow.[4].ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("output.frequency.nominal", 0, 0, "UPS.Flow.[4].ConfigFrequency", "%.0f", HU_FLAG_STATIC),
  // instant commands
  row("load.off.delay", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
];

export const IDOWELL_SUBDRIVER: HidSubdriver = {
  name: "iDowell HID 0.2",
  vendorLabel: "iDowell",
  usbIds: [{ vendorId: IDOWELL_VENDORID, productId: 0x0300 }],
  usageTable: [],
  mapping: IDOWELL_HID2NUT,
  formatMfr: (device) => device.vendor ?? "iDowell",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
