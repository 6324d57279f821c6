/**
 * NUT 2.8.0's Phoenixtec/Liebert subdriver (drivers/liebert-hid.c, `Phoenixtec/Liebert HID
 * 0.41`) as data. It was named before its vendor ID 0x06da turned out to be Phoenixtec's; the
 * Liebert units with Belkin-like firmware are belkin-hid's. MGE takes 06da devices whose
 * strings say AEG, so its place after mge in the claim order matters.
 */
import { CHARGING_INFO, DISCHARGING_INFO, LOWBATT_INFO, ONLINE_INFO, OVERLOAD_INFO, SHUTDOWNIMM_INFO, STRINGID_CONVERSION } from "./hid-lookups.ts";
import { HU_FLAG_QUICK_POLL, HU_FLAG_SEMI_STATIC, HU_FLAG_STATIC, type HidLookup, type HidMappingRow, type HidSubdriver } from "./hid-subdriver.ts";

/** Phoenixtec Power Co., Ltd. */
const LIEBERT_VENDORID = 0x06da;

const row = (name: string, path: string, format: string, flags: number, lookup?: HidLookup): HidMappingRow =>
  lookup === undefined ? { name, stateFlags: 0, length: 0, path, format, flags } : { name, stateFlags: 0, length: 0, path, format, flags, lookup };

/** liebert_hid2nut[], in NUT's order (the `#if 0` unmapped rows are not built). */
export const LIEBERT_HID2NUT: readonly HidMappingRow[] = [
  row("battery.voltage", "UPS.PowerSummary.Voltage", "%.2f", 0),
  row("battery.voltage.nominal", "UPS.PowerSummary.ConfigVoltage", "%.2f", HU_FLAG_STATIC),
  row("battery.charge", "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.runtime", "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.type", "UPS.PowerSummary.iDeviceChemistry", "%s", 0, STRINGID_CONVERSION),
  row("ups.load", "UPS.PowerSummary.PercentLoad", "%.0f", 0),
  row("output.voltage", "UPS.PowerConverter.Output.Voltage", "%.1f", 0),
  row("output.frequency", "UPS.PowerConverter.Output.Frequency", "%.2f", 0),
  row("output.transfer.high", "UPS.PowerConverter.Output.HighVoltageTransfer", "%.1f", HU_FLAG_SEMI_STATIC),
  row("output.transfer.low", "UPS.PowerConverter.Output.LowVoltageTransfer", "%.1f", HU_FLAG_SEMI_STATIC),
  row("input.voltage", "UPS.PowerConverter.Input.[1].Voltage", "%.1f", 0),
  row("input.frequency", "UPS.PowerConverter.Input.[1].Frequency", "%.2f", 0),
  // Phoenixtec's vendor usages, by number: NUT's tables have no names for them
  row("input.transfer.low", "UPS.PowerConverter.Output.ffff0057", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.high", "UPS.PowerConverter.Output.ffff0058", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.frequency.transfer.low", "UPS.PowerConverter.Output.ffff00f9", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.frequency.transfer.high", "UPS.PowerConverter.Output.ffff00f8", "%.0f", HU_FLAG_SEMI_STATIC),
  // status words
  row("BOOL", "UPS.PowerSummary.PresentStatus.ACPresent", "%.0f", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "%.0f", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Charging", "%.0f", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Discharging", "%.0f", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Overload", "%.0f", 0, OVERLOAD_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.ShutdownImminent", "%.0f", 0, SHUTDOWNIMM_INFO),
];

export const LIEBERT_SUBDRIVER: HidSubdriver = {
  name: "Phoenixtec/Liebert HID 0.41",
  vendorLabel: "Liebert",
  // various models, all with product ID 0xffff
  usbIds: [{ vendorId: LIEBERT_VENDORID, productId: 0xffff }],
  usageTable: [],
  mapping: LIEBERT_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Liebert",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
