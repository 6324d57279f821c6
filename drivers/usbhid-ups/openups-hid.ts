/**
 * NUT 2.8.0's Minibox openUPS subdriver (drivers/openups-hid.c, `openUPS HID 0.5`) as data:
 * its two USB IDs, whose hook picks the raw-to-volt/ampere scales of that model, the cell
 * usage names, the hid2nut table in NUT's order, the scaled voltage/current conversions, the
 * thermistor table lookup for the temperature and openUPS's own status-word functions.
 */
import { COMMFAULT_INFO, LOWBATT_INFO, OVERHEAT_INFO, OVERLOAD_INFO, REPLACEBATT_INFO, SHUTDOWNIMM_INFO, STRINGID_CONVERSION, TIMELIMITEXPIRED_INFO } from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import { HU_FLAG_QUICK_POLL, HU_FLAG_STATIC, type HidDeviceTweaks, type HidLookup, type HidMappingRow, type HidSubdriver, type HidValueFunction } from "./hid-subdriver.ts";
import { formatPrintfG } from "./printf-g.ts";

/** Minibox (Microchip's vendor ID). */
const OPENUPS_VENDORID = 0x04d8;

/**
 * The scales get_voltage_multiplier chooses from the matched product (openups-hid.c's statics:
 * one driver process serves one UPS). Unmatched or unknown products keep 1.
 */
export const openupsScales = { vin: 1, vout: 1, ccharge: 1, cdischarge: 1 };

/** Back to the state of a freshly started driver (for tests). */
export function resetOpenupsScales(): void {
  Object.assign(openupsScales, { vin: 1, vout: 1, ccharge: 1, cdischarge: 1 });
}

/**
 * get_voltage_multiplier: d004 reports ADC counts, d005 tenths (its current scales unverified in
 * NUT); the choice is logged at debug level 1 with the format's own newline (an empty line follows).
 */
function getVoltageMultiplier(device: { productId: number }, tweaks?: HidDeviceTweaks): void {
  if (device.productId === 0xd004) {
    Object.assign(openupsScales, { vin: 0.03545 * 100, vout: 0.02571 * 100, ccharge: 0.8274 / 10, cdischarge: 16.113 / 10 });
  } else if (device.productId === 0xd005) {
    Object.assign(openupsScales, { vin: 0.1, vout: 0.1, ccharge: 0.1, cdischarge: 0.1 });
  }
  tweaks?.debug?.(1, `vin_scale = ${formatPrintfG(openupsScales.vin)}; vout_scale = ${formatPrintfG(openupsScales.vout)}\n`);
}

/** Thermistor readings (x100) at -40 °C, -35 °C … 125 °C, from Minibox's Windows monitor. */
const THERMISTOR_TABLE = [
  0x31, 0x40, 0x53, 0x68, 0x82, 0xa0, 0xc3, 0xe9, 0x113, 0x13f, 0x16e, 0x19f, 0x1cf, 0x200, 0x22f, 0x25c, 0x286, 0x2ae, 0x2d3, 0x2f4, 0x312, 0x32d, 0x345,
  0x35a, 0x36d, 0x37e, 0x38c, 0x399, 0x3a5, 0x3af, 0x3b7, 0x3bf, 0x3c6, 0x3cc,
] as const;

/** C's conversion of a double to unsigned int on x86-64 (through a 64-bit integer, then cut to 32 bits). */
const toUint32 = (value: number): number => (Number.isFinite(value) && Math.abs(value) < 2 ** 63 ? Number(BigInt.asUintN(32, BigInt(Math.trunc(value)))) : 0);

/** openups_temperature_fun: degrees Celsius interpolated in the thermistor table, clamped to -40..125. */
export const OPENUPS_TEMPERATURE: HidValueFunction = {
  kind: "function",
  toNut(value) {
    const thermistor = toUint32(value * 100);
    const first = THERMISTOR_TABLE[0];
    const last = THERMISTOR_TABLE[THERMISTOR_TABLE.length - 1] ?? 0;
    if (thermistor <= first) return "-40";
    if (thermistor >= last) return "125";
    let pos = 0;
    for (let i = THERMISTOR_TABLE.length - 1; i >= 0; i--) {
      if (thermistor >= (THERMISTOR_TABLE[i] ?? 0)) {
        pos = i;
        break;
      }
    }
    const d1 = THERMISTOR_TABLE[pos] ?? 0;
    if (thermistor === d1) return String(pos * 5 - 40);
    const d2 = THERMISTOR_TABLE[pos + 1] ?? 0;
    const t1 = pos * 5 - 40;
    const t2 = (pos + 1) * 5 - 40;
    return formatFixed(((thermistor - d1) * (t2 - t1)) / (d2 - d1) + t1, 2).slice(0, 19);
  },
};

/** A `%.Nf` of the value times one of the model's scales, into NUT's 20-byte buffer. */
const scaled = (scale: () => number, digits: number): HidValueFunction => ({ kind: "function", toNut: (value) => formatFixed(value * scale(), digits).slice(0, 19) });
export const OPENUPS_VIN = scaled(() => openupsScales.vin, 2);
export const OPENUPS_VOUT = scaled(() => openupsScales.vout, 2);
export const OPENUPS_CCHARGE = scaled(() => openupsScales.ccharge, 3);
export const OPENUPS_CDISCHARGE = scaled(() => openupsScales.cdischarge, 3);

/** openUPS's status words: any non-zero value (NaN included, as in C) sets the word. */
const word = (set: string, clear: string): HidValueFunction => ({ kind: "function", toNut: (value) => (value !== 0 ? set : clear) });
export const OPENUPS_CHARGING = word("chrg", "!chrg");
export const OPENUPS_DISCHARGING = word("dischrg", "!dischrg");
export const OPENUPS_ONLINE = word("online", "!online");
export const OPENUPS_NOBATTERY = word("nobattery", "!nobattery");
/** PresentStatus.Good: a good UPS is not off. */
export const OPENUPS_OFF = word("!off", "off");

const row = (name: string, path: string, format: string, flags: number, lookup?: HidLookup): HidMappingRow =>
  lookup === undefined ? { name, stateFlags: 0, length: 0, path, format, flags } : { name, stateFlags: 0, length: 0, path, format, flags, lookup };

/** openups_hid2nut[], in NUT's order (NUT's commented-out cell voltage rows left out). */
export const OPENUPS_HID2NUT: readonly HidMappingRow[] = [
  row("ups.serial", "UPS.PowerSummary.iSerialNumber", "%s", 0, STRINGID_CONVERSION),
  // battery
  row("battery.type", "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("battery.mfr.date", "UPS.PowerSummary.iOEMInformation", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("battery.voltage", "UPS.PowerSummary.Voltage", "%.2f", HU_FLAG_QUICK_POLL),
  row("battery.current", "UPS.PowerSummary.Current", "%.3f", HU_FLAG_QUICK_POLL),
  row("battery.capacity", "UPS.PowerSummary.DesignCapacity", "%.0f", HU_FLAG_STATIC),
  row("battery.charge", "UPS.PowerSummary.RemainingCapacity", "%.0f", HU_FLAG_QUICK_POLL),
  row("battery.charge.low", "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_QUICK_POLL),
  row("battery.charge.warning", "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0),
  row("battery.runtime", "UPS.PowerSummary.RunTimeToEmpty", "%.0f", HU_FLAG_QUICK_POLL),
  row("battery.temperature", "UPS.PowerSummary.Temperature", "", HU_FLAG_QUICK_POLL, OPENUPS_TEMPERATURE),
  // output
  row("output.voltage", "UPS.PowerSummary.Output.Voltage", "", HU_FLAG_QUICK_POLL, OPENUPS_VOUT),
  row("output.current", "UPS.PowerSummary.Output.Current", "", HU_FLAG_QUICK_POLL, OPENUPS_CDISCHARGE),
  // input
  row("input.voltage", "UPS.PowerSummary.Input.Voltage", "", HU_FLAG_QUICK_POLL, OPENUPS_VIN),
  row("input.current", "UPS.PowerSummary.Input.Current", "", HU_FLAG_QUICK_POLL, OPENUPS_CCHARGE),
  // status words
  row("BOOL", "UPS.PowerSummary.PresentStatus.Good", "", HU_FLAG_QUICK_POLL, OPENUPS_OFF),
  row("BOOL", "UPS.PowerSummary.PresentStatus.InternalFailure", "", HU_FLAG_QUICK_POLL, COMMFAULT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Overload", "", HU_FLAG_QUICK_POLL, OVERLOAD_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.OverTemperature", "", HU_FLAG_QUICK_POLL, OVERHEAT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", HU_FLAG_QUICK_POLL, SHUTDOWNIMM_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", HU_FLAG_QUICK_POLL, TIMELIMITEXPIRED_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, OPENUPS_CHARGING),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, OPENUPS_DISCHARGING),
  row("BOOL", "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, OPENUPS_ONLINE),
  row("BOOL", "UPS.PowerSummary.PresentStatus.BatteryPresent", "", HU_FLAG_QUICK_POLL, OPENUPS_NOBATTERY),
];

export const OPENUPS_SUBDRIVER: HidSubdriver = {
  name: "openUPS HID 0.5",
  vendorLabel: "openUPS",
  // openUPS Intelligent UPS (firmware 1.4 or later)
  usbIds: [
    { vendorId: OPENUPS_VENDORID, productId: 0xd004, onMatch: getVoltageMultiplier },
    { vendorId: OPENUPS_VENDORID, productId: 0xd005, onMatch: getVoltageMultiplier },
  ],
  // battery cells 1 to 5 on J6 pins 1 to 5, cell 6 on J4 pin 1
  usageTable: [
    ["Cell1", 0x00000001],
    ["Cell2", 0x00000002],
    ["Cell3", 0x00000003],
    ["Cell4", 0x00000004],
    ["Cell5", 0x00000005],
    ["Cell6", 0x00000006],
  ],
  mapping: OPENUPS_HID2NUT,
  formatMfr: (device) => device.vendor ?? "openUPS",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
