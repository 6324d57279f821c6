/**
 * NUT 2.8.0's PowerCOM subdriver (drivers/powercom-hid.c, `PowerCOM HID 0.6`) as data: its USB
 * IDs and claim rules, PowerCOM's usage names (a whole vendor application collection on page
 * 2), the hid2nut table in NUT's order, the byte-swapped minute/second delay encodings and the
 * bit-field status conversions of the older vendor collection.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY } from "./hid-delays.ts";
import {
  BOOST_INFO,
  CHARGING_INFO,
  COMMFAULT_INFO,
  DATE_CONVERSION,
  DISCHARGING_INFO,
  LOWBATT_INFO,
  NOBATTERY_INFO,
  ONLINE_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TIMELIMITEXPIRED_INFO,
  TRIM_INFO,
  cLong,
} from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_FLAG_STATIC,
  HU_TYPE_CMD,
  type HidConversionContext,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  type HidValueTable,
  possiblySupportedMessage,
  hidRow,
} from "./hid-subdriver.ts";

const POWERCOM_VENDORID = 0x0d9f;
/** Serial-over-USB PowerCOM units: the `powercom` driver's, not ours. */
const POWERCOM_SERIAL_PRODUCTID = 0x0002;
/** Vanguard and BNT-xxxAP: only the interrupt pipe works, in 8-byte reports. */
const POWERCOM_INTERRUPT_ONLY_PRODUCTID = 0x0001;
const UINT16_MAX = 0xffff;

/** C's `uint16_t i = value` (through a 64-bit integer on x86-64, then cut to 16 bits). */
const toUint16 = (value: number): number => (Number.isFinite(value) && Math.abs(value) < 2 ** 63 ? Number(BigInt.asUintN(16, BigInt(Math.trunc(value)))) : 0);

/** C's atoi(): leading blanks, sign and digits, as a 32-bit int; 0 when there are none. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m?.[1] === undefined ? 0 : Number(BigInt.asIntN(32, BigInt(m[1])));
}

/**
 * The text a delay nuf works on: the command's value, or (NULL in NUT, an empty default here)
 * the published delay. printf prints NULL as "(null)" in the debug line.
 */
function delayText(value: string, variable: string, ctx: HidConversionContext): { text: string; shown: string } {
  if (value !== "") return { text: value, shown: value };
  return { text: ctx.getInfo?.(variable) ?? "", shown: "(null)" };
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, "0");

/** powercom_startup: minutes, low byte first, both ways. */
export const POWERCOM_STARTUP: HidValueFunction = {
  kind: "function",
  toNut(value, ctx) {
    const i = toUint16(value);
    const text = String(60 * (((i & 0x00ff) << 8) + (i >> 8)));
    ctx.debug?.(3, `powercom_startup_fun: value = ${formatFixed(value, 0)}, buf = ${text}`);
    return text;
  },
  fromNut(value, ctx) {
    const { text, shown } = delayText(value, "ups.delay.start", ctx);
    const iv = Math.trunc(atoi(text) / 60);
    if (iv < 0 || iv > UINT16_MAX) {
      ctx.debug?.(0, `powercom_startup_nuf: value = ${iv} is not in uint16_t range`);
      return 0;
    }
    const command = (((iv << 8) & 0xffff) + (iv >> 8)) & 0xffff;
    ctx.debug?.(3, `powercom_startup_nuf: value = ${shown}, command = ${hex4(command)}`);
    return command;
  },
};

/** Seconds to the (seconds, minutes) word of DelayBeforeShutdown with the AC-restart bits. */
function shutdownCommand(fn: string, restartBits: number, value: string, ctx: HidConversionContext): number {
  const { text, shown } = delayText(value, "ups.delay.shutdown", ctx);
  const iv = atoi(text);
  if (iv < 0 || iv > UINT16_MAX) {
    ctx.debug?.(0, `${fn}: value = ${iv} is not in uint16_t range`);
    return 0;
  }
  // 0 would set the longest delay
  const val = iv === 0 ? 1 : iv;
  const command = ((((val % 60) << 8) & 0xffff) + Math.trunc(val / 60)) & 0xffff | restartBits;
  ctx.debug?.(3, `${fn}: value = ${shown}, command = ${hex4(command)}`);
  return command;
}

/** powercom_shutdown: reads (minutes, seconds); writes restart "normal enable" (0x4000). */
export const POWERCOM_SHUTDOWN: HidValueFunction = {
  kind: "function",
  toNut(value, ctx) {
    const i = toUint16(value);
    const text = String(60 * (i & 0x00ff) + (i >> 8));
    ctx.debug?.(3, `powercom_shutdown_fun: value = ${formatFixed(value, 0)}, buf = ${text}`);
    return text;
  },
  fromNut: (value, ctx) => shutdownCommand("powercom_shutdown_nuf", 0x4000, value, ctx),
};

/** powercom_stayoff: write only, restart "normal disable" (0x8000); nothing to read. */
export const POWERCOM_STAYOFF: HidValueFunction = {
  kind: "function",
  toNut: () => undefined,
  fromNut: (value, ctx) => shutdownCommand("powercom_stayoff_nuf", 0x8000, value, ctx),
};

/** PowerCOM's beeper values (2 may mean muted). */
export const POWERCOM_BEEPER: HidValueTable = { kind: "table", entries: [[1, "enabled"], [2, "disabled"]] };

/** powercom_voltage_conversion: the old vendor collection counts in 4 V steps. */
export const POWERCOM_VOLTAGE: HidValueFunction = { kind: "function", toNut: (value) => formatFixed(value * 4, 0).slice(0, 19) };

/** A status word from a bit of a vendor flag byte. */
const bit = (mask: number, set: string): HidValueFunction => ({ kind: "function", toNut: (value) => (cLong(value) & mask ? set : `!${set}`) });
export const POWERCOM_UPSFAIL = bit(0x0001, "fanfail");
export const POWERCOM_REPLACEBATT = bit(0x0002, "replacebatt");
export const POWERCOM_TEST = bit(0x0004, "cal");
export const POWERCOM_SHUTDOWNIMM = bit(0x0010, "shutdownimm");
/** Bit 0 is "line fail". */
export const POWERCOM_ONLINE: HidValueFunction = { kind: "function", toNut: (value) => (cLong(value) & 0x0001 ? "!online" : "online") };
export const POWERCOM_LOWBATT = bit(0x0002, "lowbatt");
/** Bit 3 is AVR active, bit 4 boost (set) or buck (clear). */
export const POWERCOM_TRIM: HidValueFunction = { kind: "function", toNut: (value) => ((cLong(value) & 0x0018) === 0x0008 ? "trim" : "!trim") };
export const POWERCOM_BOOST: HidValueFunction = { kind: "function", toNut: (value) => ((cLong(value) & 0x0018) === 0x0018 ? "boost" : "!boost") };
export const POWERCOM_OVERLOAD = bit(0x0020, "overload");

const row = hidRow;

/** The hidpath of the old models' vendor collection. */
const PC = "PowercomUPS.PowercomPowerConverter";

/**
 * powercom_hid2nut[], in NUT's order (commented-out rows of the C file left out). A NULL
 * default value is "" here: the delay commands then use the published ups.delay.*.
 */
export const POWERCOM_HID2NUT: readonly HidMappingRow[] = [
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", 0, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BatteryPresent", "", 0, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", 0, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", 0, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.CommunicationLost", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", 0, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", 0, TIMELIMITEXPIRED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.ACPresent", "", 0, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.BatteryPresent", "", 0, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.BelowRemainingCapacityLimit", "", 0, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.Boost", "", 0, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.Buck", "", 0, TRIM_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.Charging", "", 0, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.CommunicationLost", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.Discharging", "", 0, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.RemainingTimeLimitExpired", "", 0, TIMELIMITEXPIRED_INFO),
  row("BOOL", 0, 0, "UPS.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  // PowerSummary.Voltage / ConfigVoltage duplicate the output voltage on PowerCOM: not battery values
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.charge", 0, 0, "UPS.Battery.RemainingCapacity", "%.0f", 0),
  row("battery.charge.low", 0, 0, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", 0),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.date", 0, 0, "UPS.Battery.ManufacturerDate", "%s", HU_FLAG_STATIC, DATE_CONVERSION),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", 0, POWERCOM_BEEPER),
  row("ups.beeper.status", 0, 0, "UPS.AudibleAlarmControl", "%s", 0, POWERCOM_BEEPER),
  row("ups.load", 0, 0, "UPS.Output.PercentLoad", "%.0f", 0),
  row("ups.date", 0, 0, "UPS.PowerSummary.ManufacturerDate", "%s", HU_FLAG_STATIC, DATE_CONVERSION),
  row("ups.test.result", 0, 0, "UPS.Battery.Test", "%s", 0, TEST_READ_INFO),
  // DelayBeforeStartup reads minutes byte-swapped; writes are command 4 with the minutes
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 8, "UPS.PowerSummary.DelayBeforeStartup", "60", HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "%.0f", 0, POWERCOM_STARTUP),
  // DelayBeforeShutdown reads (minutes, seconds); bits 6 and 7 of the seconds byte choose
  // shutdown.return (restart on AC) or shutdown.stayoff on writes
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 8, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL, POWERCOM_SHUTDOWN),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 8, "UPS.PowerSummary.PCMDelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.PCMDelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL, POWERCOM_SHUTDOWN),
  row("input.voltage", 0, 0, "UPS.Input.Voltage", "%.1f", 0),
  row("input.voltage.nominal", 0, 0, "UPS.Input.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("input.frequency", 0, 0, "UPS.Input.Frequency", "%.1f", 0),
  row("output.voltage", 0, 0, "UPS.Output.Voltage", "%.1f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.Output.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("output.frequency", 0, 0, "UPS.Output.Frequency", "%.1f", 0),
  // instant commands
  row("beeper.toggle", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "0", HU_TYPE_CMD),
  row("test.battery.start.quick", 0, 0, "UPS.Battery.Test", "1", HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "", HU_TYPE_CMD, POWERCOM_STARTUP),
  row("shutdown.return", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "", HU_TYPE_CMD, POWERCOM_SHUTDOWN),
  row("shutdown.stayoff", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "", HU_TYPE_CMD, POWERCOM_STAYOFF),
  row("load.on", 0, 0, "UPS.PowerSummary.PCMDelayBeforeStartup", "0", HU_TYPE_CMD, POWERCOM_STARTUP),
  row("load.off", 0, 0, "UPS.PowerSummary.PCMDelayBeforeShutdown", "0", HU_TYPE_CMD, POWERCOM_STAYOFF),
  row("shutdown.return", 0, 0, "UPS.PowerSummary.PCMDelayBeforeShutdown", "", HU_TYPE_CMD, POWERCOM_SHUTDOWN),
  row("shutdown.stayoff", 0, 0, "UPS.PowerSummary.PCMDelayBeforeShutdown", "", HU_TYPE_CMD, POWERCOM_STAYOFF),
  // the older models' vendor collection
  row("ups.serial", 0, 0, "PowercomUPS.PowercomSerialNumber", "%s", 0, STRINGID_CONVERSION),
  row("ups.mfr", 0, 0, "PowercomUPS.PowercomManufacturerName", "%s", 0, STRINGID_CONVERSION),
  row("ups.mfr.date", 0, 0, "PowercomUPS.PowercomManufacturerDate", "%s", 0, DATE_CONVERSION),
  row("battery.temperature", 0, 0, "PowercomUPS.PowercomBatterySystem.PowercomTemperature", "%.0f", 0),
  row("battery.temperature", 0, 0, "UPS.Battery.Temperature", "%.1f", 0),
  row("battery.charge", 0, 0, "PowercomUPS.PowercomBatterySystem.PowercomVoltage", "%.0f", 0),
  row("input.frequency", 0, 0, `${PC}.PowercomInput.PowercomFrequency`, "%.0f", 0),
  row("input.voltage", 0, 0, `${PC}.PowercomInput.PowercomVoltage`, "%.0f", 0, POWERCOM_VOLTAGE),
  row("output.voltage", 0, 0, `${PC}.PowercomOutput.PowercomVoltage`, "%.0f", 0, POWERCOM_VOLTAGE),
  row("ups.load", 0, 0, `${PC}.PowercomOutput.PowercomPercentLoad`, "%.0f", 0),
  // InternalChargeController flags: bit 0 UPS fault, 1 battery bad, 2 test mode, 4 pre-shutdown count
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomInternalChargeController`, "", HU_FLAG_QUICK_POLL, POWERCOM_UPSFAIL),
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomInternalChargeController`, "", HU_FLAG_QUICK_POLL, POWERCOM_REPLACEBATT),
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomInternalChargeController`, "", HU_FLAG_QUICK_POLL, POWERCOM_TEST),
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomInternalChargeController`, "", HU_FLAG_QUICK_POLL, POWERCOM_SHUTDOWNIMM),
  // PrimaryBatterySupport flags: bit 0 line fail, 1 low battery, 3 AVR, 4 boost, 5 overload
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomPrimaryBatterySupport`, "", HU_FLAG_QUICK_POLL, POWERCOM_ONLINE),
  // low battery may not work
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomPrimaryBatterySupport`, "", HU_FLAG_QUICK_POLL, POWERCOM_LOWBATT),
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomPrimaryBatterySupport`, "", HU_FLAG_QUICK_POLL, POWERCOM_TRIM),
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomPrimaryBatterySupport`, "", HU_FLAG_QUICK_POLL, POWERCOM_BOOST),
  row("BOOL", 0, 0, `${PC}.PowercomOutput.PowercomPrimaryBatterySupport`, "", HU_FLAG_QUICK_POLL, POWERCOM_OVERLOAD),
  row("output.frequency", 0, 0, `${PC}.PowercomOutput.PowercomFrequency`, "%.0f", 0),
  row("ups.test.result", 0, 0, `${PC}.PowercomTest`, "%s", 0, TEST_READ_INFO),
  row("ups.delay.shutdown", 0, 0, `${PC}.PowercomDelayBeforeShutdown`, "%.0f", 0),
  row("ups.delay.start", 0, 0, `${PC}.PowercomDelayBeforeStartup`, "%.0f", 0),
  row("load.off", 0, 0, `${PC}.PowercomDelayBeforeShutdown`, "0", HU_TYPE_CMD),
];

const hex = (n: number): string => n.toString(16).padStart(4, "0");

export const POWERCOM_SUBDRIVER: HidSubdriver = {
  name: "PowerCOM HID 0.6",
  vendorLabel: "PowerCOM",
  usbIds: [
    // IMP - IMPERIAL series
    { vendorId: POWERCOM_VENDORID, productId: 0x00a2 },
    // SKP - Smart KING Pro (all Smart series)
    { vendorId: POWERCOM_VENDORID, productId: 0x00a3 },
    // WOW
    { vendorId: POWERCOM_VENDORID, productId: 0x00a4 },
    // VGD - Vanguard
    { vendorId: POWERCOM_VENDORID, productId: 0x00a5 },
    // BNT - Black Knight Pro
    { vendorId: POWERCOM_VENDORID, productId: 0x00a6 },
    // Vanguard and BNT-xxxAP
    { vendorId: POWERCOM_VENDORID, productId: 0x0004 },
    {
      vendorId: POWERCOM_VENDORID,
      productId: POWERCOM_INTERRUPT_ONLY_PRODUCTID,
      onMatch(_device, tweaks) {
        tweaks.interruptOnly = true;
        tweaks.interruptSize = 8;
      },
    },
  ],
  usageTable: [
    ["PowercomUPS", 0x00020004],
    ["PowercomBatterySystem", 0x00020010],
    ["PowercomPowerConverter", 0x00020016],
    ["PowercomInput", 0x0002001a],
    ["PowercomOutput", 0x0002001c],
    ["PowercomVoltage", 0x00020030],
    ["PowercomFrequency", 0x00020032],
    ["PowercomPercentLoad", 0x00020035],
    ["PowercomTemperature", 0x00020036],
    ["PowercomDelayBeforeStartup", 0x00020056],
    ["PowercomDelayBeforeShutdown", 0x00020057],
    ["PowercomTest", 0x00020058],
    ["PowercomShutdownRequested", 0x00020068],
    ["PowercomInternalChargeController", 0x00020081],
    ["PowercomPrimaryBatterySupport", 0x00020082],
    ["PowercomDesignCapacity", 0x00020083],
    ["PowercomSpecificationInfo", 0x00020084],
    ["PowercomManufacturerDate", 0x00020085],
    ["PowercomSerialNumber", 0x00020086],
    ["PowercomManufacturerName", 0x00020087],
    ["POWERCOM1", 0x0084002f],
    ["POWERCOM2", 0xff860060],
    ["POWERCOM3", 0xff860080],
    ["PCMDelayBeforeStartup", 0x00ff0056],
    ["PCMDelayBeforeShutdown", 0x00ff0057],
  ],
  mapping: POWERCOM_HID2NUT,
  formatMfr: (device) => device.vendor ?? "PowerCOM",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
  claimPossibly(device, productidGiven, debug) {
    if (device.productId === POWERCOM_SERIAL_PRODUCTID) {
      debug(0, `This Powercom device (${hex(device.vendorId)}/${hex(device.productId)}) is not supported by usbhid-ups.\nPlease use the 'powercom' driver instead.\n`);
      return false;
    }
    if (productidGiven) return true;
    debug(0, possiblySupportedMessage("PowerCOM", device));
    return false;
  },
};
