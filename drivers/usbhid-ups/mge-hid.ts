/**
 * NUT 2.8.0's MGE / Eaton subdriver (drivers/mge-hid.c, `MGE HID 1.46`) as data: the USB IDs
 * (MGE/Eaton, Dell, Powerware, HP, AEG, Phoenixtec for AEG only, IBM) and their claim rules,
 * Eaton's usage names, the model-name table that also fixes the model family, the lookups
 * (ABM charger status, model-dependent battery voltage, Pegasus-only settings, nominal output
 * voltage ranges, Unix-time date and time, computed real power …), the hid2nut table in NUT's
 * order and the model formatting from UPS.PowerSummary.iModel.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import {
  BATTVOLTHI_INFO,
  BATTVOLTLO_INFO,
  BEEPER_INFO,
  BOOST_INFO,
  BYPASS_AUTO_INFO,
  BYPASS_MANUAL_INFO,
  CHARGERFAIL_INFO,
  COMMFAULT_INFO,
  FANFAIL_INFO,
  FRANGE_INFO,
  KELVIN_CELSIUS_CONVERSION,
  LOWBATT_INFO,
  NOBATTERY_INFO,
  OFF_INFO,
  ONLINE_INFO,
  ON_OFF_INFO,
  OVERHEAT_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TRIM_INFO,
  VRANGE_INFO,
  YES_NO_INFO,
  cLong,
} from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_ENUM,
  HU_FLAG_QUICK_POLL,
  HU_FLAG_SEMI_STATIC,
  HU_FLAG_STATIC,
  HU_TYPE_CMD,
  type HidConversionContext,
  type HidDeviceIdentity,
  type HidDeviceReader,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  type HidValueTable,
  possiblySupportedMessage,
  hidRow,
} from "./hid-subdriver.ts";
import type { UsageTable } from "./hid-usage-table.ts";
import { formatPrintfG } from "./printf-g.ts";

const MGE_VENDORID = 0x0463;
const DELL_VENDORID = 0x047c;
const POWERWARE_VENDORID = 0x0592;
const HP_VENDORID = 0x03f0;
const AEG_VENDORID = 0x2b2d;
/** Phoenixtec belongs to liebert-hid; MGE takes only its AEG PROTECT NAS units. */
const PHOENIXTEC_VENDORID = 0x06da;
const IBM_VENDORID = 0x04b3;

/** models_type_t: the high byte is the family, the low byte the model in it. */
export const MGE_DEFAULT_OFFLINE = 0;
export const MGE_PEGASUS = 0x100;
export const MGE_3S = 0x110;
/** All offline models are below this one (line-interactive and online models). */
export const MGE_DEFAULT = 0x200;
export const MGE_EVOLUTION = 0x300;
export const MGE_EVOLUTION_650 = 0x301;
export const MGE_EVOLUTION_850 = 0x302;
export const MGE_EVOLUTION_1150 = 0x303;
export const MGE_EVOLUTION_S_1250 = 0x304;
export const MGE_EVOLUTION_1550 = 0x305;
export const MGE_EVOLUTION_S_1750 = 0x306;
export const MGE_EVOLUTION_2000 = 0x307;
export const MGE_EVOLUTION_S_2500 = 0x308;
export const MGE_EVOLUTION_S_3000 = 0x309;
export const MGE_PULSAR_M = 0x400;
export const MGE_PULSAR_M_2200 = 0x401;
export const MGE_PULSAR_M_3000 = 0x402;
export const MGE_PULSAR_M_3000_XL = 0x403;
export const EATON_5P = 0x500;

/** country_code_t (UPS.PowerSummary.Country). */
export const COUNTRY_UNKNOWN = -1;
export const COUNTRY_EUROPE = 0;
export const COUNTRY_US = 1;
/** European models that also support 200 / 208 V. */
export const COUNTRY_EUROPE_208 = 2;

/** Advanced Battery Monitoring, from UPS.BatterySystem.Charger.ABMEnable. */
export const ABM_UNKNOWN = -1;
export const ABM_DISABLED = 0;
export const ABM_ENABLED = 1;

/**
 * mge-hid.c's statics: the model family (set by the model name), the country, ABM and the
 * nominal output voltage first seen. One driver process serves one UPS and NUT keeps these
 * across reconnections, so they live with the module.
 */
export const mgeState = { type: MGE_DEFAULT, country: COUNTRY_UNKNOWN, abm: ABM_UNKNOWN, nominalOutputVoltage: -1 };

/** Back to the state of a freshly started driver (for tests). */
export function resetMgeState(): void {
  mgeState.type = MGE_DEFAULT;
  mgeState.country = COUNTRY_UNKNOWN;
  mgeState.abm = ABM_UNKNOWN;
  mgeState.nominalOutputVoltage = -1;
}

const family = (): number => mgeState.type & 0xff00;
/** Results go through mge_scratch_buf[20]. */
const scratch = (text: string): string => text.slice(0, 19);
/** d_equal(): equal within DBL_EPSILON. */
const dEqual = (a: number, b: number): boolean => Math.abs(a - b) <= Number.EPSILON;
/** C's conversion of a double to int / long (truncation). */
const cInt = (value: number): number => Math.trunc(value);

const fn = (toNut: HidValueFunction["toNut"], fromNut?: (text: string, ctx: HidConversionContext) => number): HidValueFunction =>
  fromNut === undefined ? { kind: "function", toNut } : { kind: "function", toNut, fromNut };
const table = (entries: readonly (readonly [number, string])[]): HidValueTable => ({ kind: "table", entries });

/** ABMEnable: remembered, never published. */
export const EATON_ABM_ENABLED_INFO = fn((value, ctx) => {
  mgeState.abm = cInt(value);
  ctx.debug?.(2, `ABM is ${mgeState.abm === 1 ? "enabled" : "disabled"}`);
  return undefined;
});

/** Charger.Mode → battery.charger.status; withdrawn when ABM was switched off. */
export const EATON_ABM_STATUS_INFO = fn((value, ctx) => {
  if (mgeState.abm === ABM_DISABLED) {
    ctx.delInfo?.("battery.charger.status");
    return undefined;
  }
  ctx.debug?.(2, `ABM numeric status: ${cInt(value)}`);
  const text = ({ 1: "charging", 2: "discharging", 3: "floating", 4: "resting", 6: "off" } as Record<number, string>)[cLong(value)];
  if (text === undefined) return undefined;
  ctx.debug?.(2, `ABM string status: ${text}`);
  return text;
});

/** Charger.Mode → chrg / dischrg status words while ABM is not disabled. */
export const EATON_ABM_CHRG_DISCHRG_INFO = fn((value, ctx) => {
  if (mgeState.abm === ABM_DISABLED) return undefined;
  const v = cLong(value);
  const word = v === 1 || v === 3 ? "chrg" : v === 2 ? "dischrg" : undefined;
  if (word !== undefined) ctx.debug?.(2, `ABM CHRG/DISCHRG legacy string status (ups.status): ${word}`);
  return word;
});

/**
 * PresentStatus.Discharging / Charging: the plain flags only when ABM is disabled; otherwise
 * (ABM on, or not known) they only clear the word, Charger.Mode sets it.
 */
const abmCheck = (word: string): HidValueFunction =>
  fn((value) => (mgeState.abm === ABM_DISABLED && dEqual(value, 1) ? word : `!${word}`));
export const EATON_DISCHARGING_INFO = abmCheck("dischrg");
export const EATON_CHARGING_INFO = abmCheck("chrg");

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** localtime_r() of a Unix time, undefined where JavaScript's Date cannot hold it. */
function localTime(value: number): Date | undefined {
  const date = new Date(Math.trunc(value) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** glibc strptime's get_number(): blanks, then up to `digits` digits while the value can still grow within `to`. */
function scanNumber(text: string, pos: number, from: number, to: number, digits: number): [number, number] | undefined {
  let p = pos;
  while (p < text.length && /\s/.test(text[p] ?? "")) p++;
  if (!/[0-9]/.test(text[p] ?? "")) return undefined;
  let value = 0;
  let left = digits;
  do {
    value = value * 10 + Number(text[p]);
    p++;
  } while (--left > 0 && value * 10 <= to && /[0-9]/.test(text[p] ?? ""));
  return value < from || value > to ? undefined : [value, p];
}

/** strptime(text, "%Y/%m/%d %H:%M:%S") then mktime(): local Unix time, undefined when it does not parse. */
export function parseLocalDateTime(text: string): number | undefined {
  const fields: number[] = [];
  let pos = 0;
  const spec: readonly (readonly [number, number, number, string])[] = [
    [0, 9999, 4, "/"],
    [1, 12, 2, "/"],
    [1, 31, 2, " "],
    [0, 23, 2, ":"],
    [0, 59, 2, ":"],
    [0, 61, 2, ""],
  ];
  for (const [from, to, digits, sep] of spec) {
    const got = scanNumber(text, pos, from, to, digits);
    if (got === undefined) return undefined;
    fields.push(got[0]);
    pos = got[1];
    if (sep === " ") {
      // a blank in the format matches any run of blanks, none included
      while (pos < text.length && /\s/.test(text[pos] ?? "")) pos++;
    } else if (sep !== "") {
      if (text[pos] !== sep) return undefined;
      pos++;
    }
  }
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = fields;
  const date = new Date(2000, mo - 1, d, h, mi, s);
  date.setFullYear(y);
  return Math.floor(date.getTime() / 1000);
}

/** The date (or time) half of a SET: joined with the other half, as published, into 19 bytes. */
const joinDateTime = (date: string, time: string): string => `${date} ${time}`.slice(0, 19);

/** UPS.PowerSummary.Time (Unix time) → ups.date `%Y/%m/%d`, local time; back with ups.time. */
export const MGE_DATE_CONVERSION = fn(
  (value, ctx) => {
    const date = localTime(value);
    const text = date === undefined ? "" : `${date.getFullYear()}/${pad2(date.getMonth() + 1)}/${pad2(date.getDate())}`;
    if (text.length === 10) return text;
    ctx.debug?.(3, `mge_date_conversion_fun: can't compute date ${formatPrintfG(value)}`);
    return undefined;
  },
  (text, ctx) => {
    const unix = parseLocalDateTime(joinDateTime(text, ctx.getInfo?.("ups.time") ?? "(null)"));
    if (unix !== undefined) return unix;
    ctx.debug?.(3, `mge_date_conversion_nuf: can't compute date ${text}`);
    return 0;
  },
);

/** UPS.PowerSummary.Time → ups.time `%H:%M:%S`, local time; back with ups.date. */
export const MGE_TIME_CONVERSION = fn(
  (value, ctx) => {
    const date = localTime(value);
    if (date !== undefined) return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
    ctx.debug?.(3, `mge_time_conversion_fun: can't compute time ${formatPrintfG(value)}`);
    return undefined;
  },
  (text, ctx) => {
    const unix = parseLocalDateTime(joinDateTime(ctx.getInfo?.("ups.date") ?? "(null)", text));
    if (unix !== undefined) return unix;
    ctx.debug?.(3, `mge_time_conversion_nuf: can't compute time ${text}`);
    return 0;
  },
);

/** UPS.PowerSummary.ConfigVoltage: battery.voltage.nominal for Evolution (650: 12 V), Pulsar M and 5P only. */
export const MGE_BATTERY_VOLTAGE_NOMINAL = fn((value) => {
  let v = value;
  switch (family()) {
    case MGE_EVOLUTION:
      if (mgeState.type === MGE_EVOLUTION_650) v = 12.0;
      break;
    case MGE_PULSAR_M:
    case EATON_5P:
      break;
    default:
      return undefined;
  }
  return scratch(formatFixed(v, 0));
});

/** UPS.PowerSummary.Voltage: battery.voltage for Evolution, Pulsar M and 5P only. */
export const MGE_BATTERY_VOLTAGE = fn((value) => {
  const f = family();
  if (f !== MGE_EVOLUTION && f !== MGE_PULSAR_M && f !== EATON_5P) return undefined;
  return scratch(formatFixed(value, 1));
});

/** Percent → factor. */
export const MGE_POWERFACTOR_CONVERSION = fn((value) => scratch(formatFixed(value / 100, 2)));
/** As → Ah. */
export const MGE_BATTERY_CAPACITY = fn((value) => scratch(formatFixed(value / 3600, 2)));

export const EATON_ENABLE_DISABLE_INFO = table([[0, "disabled"], [1, "enabled"]]);
export const MGE_UPSTYPE_CONVERSION = table([
  [1, "offline / line interactive"],
  [2, "online"],
  [3, "online - unitary/parallel"],
  [4, "online - parallel with hot standy"],
  [5, "online - hot standby redundancy"],
]);
export const MGE_SENSITIVITY_INFO = table([[0, "normal"], [1, "high"], [2, "low"]]);
export const MGE_EMERGENCY_STOP = table([[1, "Emergency stop!"]]);
export const MGE_WIRING_FAULT = table([[1, "Wiring fault!"]]);
export const MGE_CONFIG_FAILURE = table([[1, "Fatal EEPROM fault!"]]);
export const MGE_INVERTER_VOLTHI = table([[1, "Inverter AC voltage too high!"]]);
export const MGE_INVERTER_VOLTLO = table([[1, "Inverter AC voltage too low!"]]);
export const MGE_SHORT_CIRCUIT = table([[1, "Output short circuit!"]]);
/** Input.[3] (battery) in use, or input voltage too low: the UPS is not online. */
export const MGE_ONBATT_INFO = table([[1, "!online"], [0, "online"]]);

/**
 * Protection Station and Ellipse ECO have the ECO settings; so do 3S 700/750, meant outside
 * Europe only, but 3S (0x110) masks to the Pegasus family (0x100), so 2.8.0 never asks.
 */
function pegasusModel(): boolean {
  const f = family();
  if (f === MGE_PEGASUS) return true;
  return f === MGE_3S && mgeState.country !== COUNTRY_EUROPE;
}

/** Master-outlet threshold (10, 25 or 60 VA), Pegasus models only. */
export const PEGASUS_THRESHOLD_INFO: HidValueTable = {
  kind: "table",
  entries: [[10, "10"], [25, "25"], [60, "60"]],
  toNut: (value) => (pegasusModel() ? scratch(formatFixed(value, 0)) : undefined),
};

/** yes / no, Pegasus models only (0 is written for the others). */
export const PEGASUS_YES_NO_INFO: HidValueTable = {
  kind: "table",
  entries: [[0, "no"], [1, "yes"]],
  toNut: (value) => (pegasusModel() ? (dEqual(value, 0) ? "no" : "yes") : undefined),
  fromNut: (text) => (pegasusModel() && text.startsWith("yes") ? 1 : 0),
};

/** UPS.PowerSummary.Country: remembered, never published. */
export const EATON_CHECK_COUNTRY_INFO = fn((value) => {
  mgeState.country = cInt(value);
  return undefined;
});

/** atoi(): leading blanks, sign, digits. */
const atoi = (text: string): number => {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m?.[1] === undefined ? 0 : Number.parseInt(m[1], 10) | 0;
};
/** C's round(): halves away from zero. */
const cRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));
/** The C float 0.80. */
const DEFAULT_POWERFACTOR = Math.fround(0.8);

/**
 * ups.realpower where the UPS has no ActivePower: load × nominal power × power factor (0.80,
 * or output.powerfactor read with atoi, which makes "0.53" a 0 as in 2.8.0).
 */
export const EATON_COMPUTE_REALPOWER_INFO = fn((_value, ctx) => {
  const load = ctx.getInfo?.("ups.load");
  const nominal = ctx.getInfo?.("ups.power.nominal");
  const pf = ctx.getInfo?.("output.powerfactor");
  if (nominal === undefined || load === undefined) return undefined;
  const powerfactor = pf === undefined ? DEFAULT_POWERFACTOR : atoi(pf);
  const text = scratch(formatFixed(cRound(atoi(load) * 0.01 * atoi(nominal) * powerfactor), 0));
  ctx.debug?.(1, `eaton_compute_realpower_fun(${text})`);
  return text;
});

const LOW_VOLTAGES = [100, 110, 120, 127];

/**
 * output.voltage.nominal and its settable values: the first value read fixes the range (LV
 * 100–127, HV 200/208 or 220–240); line-interactive and online models also take the other HV
 * pair.
 */
function nominalOutputVoltage(value: number, ctx: HidConversionContext): string | undefined {
  if (mgeState.nominalOutputVoltage < 0) mgeState.nominalOutputVoltage = cLong(value);
  const nominal = mgeState.nominalOutputVoltage;
  const v = cLong(value);
  const online = family() >= MGE_DEFAULT;
  if (LOW_VOLTAGES.includes(nominal)) {
    if (!LOW_VOLTAGES.includes(v)) return undefined;
  } else if (nominal === 200 || nominal === 208) {
    if (v === 200 || v === 208) {
      // accepted
    } else if (v === 220 || v === 230 || v === 240) {
      if (!online) return undefined;
    } else return undefined;
  } else if (nominal === 220 || nominal === 230 || nominal === 240) {
    if (v === 200 || v === 208) {
      // offline models have one HV pair only (Europe-208 or not, online ones take both)
      if (!online) return undefined;
    } else if (v !== 220 && v !== 230 && v !== 240) return undefined;
  } else {
    ctx.debug?.(3, `nominal_output_voltage_fun: can't autodetect settable voltages from ${formatPrintfG(value)}`);
  }
  return scratch(formatFixed(value, 0));
}

export const NOMINAL_OUTPUT_VOLTAGE_INFO: HidValueTable = {
  kind: "table",
  entries: [200, 208, 220, 230, 240, 100, 110, 120, 127].map((v) => [v, String(v)] as const),
  toNut: nominalOutputVoltage,
};

/** Input.[1] in use means online, unless the UPS is off. */
export const EATON_CONVERTER_ONLINE_INFO = fn((value, ctx) => {
  if (ctx.statusHas?.("off")) return undefined;
  return dEqual(value, 0) ? "!online" : "online";
});

/** mge_usage_lkp[]: Eaton / MGE vendor page 0xffff, looked up before the generic names. */
export const MGE_USAGE_TABLE: UsageTable = [
  ["Undefined", 0xffff0000],
  ["STS", 0xffff0001],
  ["Environment", 0xffff0002],
  ["Statistic", 0xffff0003],
  ["StatisticSystem", 0xffff0004],
  ["Phase", 0xffff0010],
  ["PhaseID", 0xffff0011],
  ["Chopper", 0xffff0012],
  ["ChopperID", 0xffff0013],
  ["Inverter", 0xffff0014],
  ["InverterID", 0xffff0015],
  ["Rectifier", 0xffff0016],
  ["RectifierID", 0xffff0017],
  ["LCMSystem", 0xffff0018],
  ["LCMSystemID", 0xffff0019],
  ["LCMAlarm", 0xffff001a],
  ["LCMAlarmID", 0xffff001b],
  ["HistorySystem", 0xffff001c],
  ["HistorySystemID", 0xffff001d],
  ["Event", 0xffff001e],
  ["EventID", 0xffff001f],
  ["CircuitBreaker", 0xffff0020],
  ["TransferForbidden", 0xffff0021],
  ["OverallAlarm", 0xffff0022],
  ["Dephasing", 0xffff0023],
  ["BypassBreaker", 0xffff0024],
  ["PowerModule", 0xffff0025],
  ["PowerRate", 0xffff0026],
  ["PowerSource", 0xffff0027],
  ["CurrentPowerSource", 0xffff0028],
  ["RedundancyLevel", 0xffff0029],
  ["RedundancyLost", 0xffff002a],
  ["NotificationStatus", 0xffff002b],
  ["ProtectionLost", 0xffff002c],
  ["ConfigurationFailure", 0xffff002d],
  ["CompatibilityFailure", 0xffff002e],
  ["SwitchType", 0xffff0040],
  ["ConverterType", 0xffff0041],
  ["FrequencyConverterMode", 0xffff0042],
  ["AutomaticRestart", 0xffff0043],
  ["ForcedReboot", 0xffff0044],
  ["TestPeriod", 0xffff0045],
  ["EnergySaving", 0xffff0046],
  ["StartOnBattery", 0xffff0047],
  ["Schedule", 0xffff0048],
  ["DeepDischargeProtection", 0xffff0049],
  ["ShortCircuit", 0xffff004a],
  ["ExtendedVoltageMode", 0xffff004b],
  ["SensitivityMode", 0xffff004c],
  ["RemainingCapacityLimitSetting", 0xffff004d],
  ["ExtendedFrequencyMode", 0xffff004e],
  ["FrequencyConverterModeSetting", 0xffff004f],
  ["LowVoltageBoostTransfer", 0xffff0050],
  ["HighVoltageBoostTransfer", 0xffff0051],
  ["LowVoltageBuckTransfer", 0xffff0052],
  ["HighVoltageBuckTransfer", 0xffff0053],
  ["OverloadTransferEnable", 0xffff0054],
  ["OutOfToleranceTransferEnable", 0xffff0055],
  ["ForcedTransferEnable", 0xffff0056],
  ["LowVoltageBypassTransfer", 0xffff0057],
  ["HighVoltageBypassTransfer", 0xffff0058],
  ["FrequencyRangeBypassTransfer", 0xffff0059],
  ["LowVoltageEcoTransfer", 0xffff005a],
  ["HighVoltageEcoTransfer", 0xffff005b],
  ["FrequencyRangeEcoTransfer", 0xffff005c],
  ["ShutdownTimer", 0xffff005d],
  ["StartupTimer", 0xffff005e],
  ["RestartLevel", 0xffff005f],
  ["PhaseOutOfRange", 0xffff0060],
  ["CurrentLimitation", 0xffff0061],
  ["ThermalOverload", 0xffff0062],
  ["SynchroSource", 0xffff0063],
  ["FuseFault", 0xffff0064],
  ["ExternalProtectedTransfert", 0xffff0065],
  ["ExternalForcedTransfert", 0xffff0066],
  ["Compensation", 0xffff0067],
  ["EmergencyStop", 0xffff0068],
  ["PowerFactor", 0xffff0069],
  ["PeakFactor", 0xffff006a],
  ["ChargerType", 0xffff006b],
  ["HighPositiveDCBusVoltage", 0xffff006c],
  ["LowPositiveDCBusVoltage", 0xffff006d],
  ["HighNegativeDCBusVoltage", 0xffff006e],
  ["LowNegativeDCBusVoltage", 0xffff006f],
  ["FrequencyRangeTransfer", 0xffff0070],
  ["WiringFaultDetection", 0xffff0071],
  ["ControlStandby", 0xffff0072],
  ["ShortCircuitTolerance", 0xffff0073],
  ["VoltageTooHigh", 0xffff0074],
  ["VoltageTooLow", 0xffff0075],
  ["DCBusUnbalanced", 0xffff0076],
  ["FanFailure", 0xffff0077],
  ["WiringFault", 0xffff0078],
  ["Floating", 0xffff0079],
  ["OverCurrent", 0xffff007a],
  ["RemainingActivePower", 0xffff007b],
  ["Energy", 0xffff007c],
  ["Threshold", 0xffff007d],
  ["OverThreshold", 0xffff007e],
  ["Sensor", 0xffff0080],
  ["LowHumidity", 0xffff0081],
  ["HighHumidity", 0xffff0082],
  ["LowTemperature", 0xffff0083],
  ["HighTemperature", 0xffff0084],
  ["ECOControl", 0xffff0085],
  ["Efficiency", 0xffff0086],
  ["ABMEnable", 0xffff0087],
  ["NegativeCurrent", 0xffff0088],
  ["AutomaticStart", 0xffff0089],
  ["Count", 0xffff0090],
  ["Timer", 0xffff0091],
  ["Interval", 0xffff0092],
  ["TimerExpired", 0xffff0093],
  ["Mode", 0xffff0094],
  ["Country", 0xffff0095],
  ["State", 0xffff0096],
  ["Time", 0xffff0097],
  ["Code", 0xffff0098],
  ["DataValid", 0xffff0099],
  ["ToggleTimer", 0xffff009a],
  ["BypassTransferDelay", 0xffff009b],
  ["HysteresysVoltageTransfer", 0xffff009c],
  ["SlewRate", 0xffff009d],
  ["PDU", 0xffff00a0],
  ["Breaker", 0xffff00a1],
  ["BreakerID", 0xffff00a2],
  ["OverVoltage", 0xffff00a3],
  ["Tripped", 0xffff00a4],
  ["OverEnergy", 0xffff00a5],
  ["OverHumidity", 0xffff00a6],
  ["ConfigurationReset", 0xffff00a7],
  ["Level", 0xffff00a8],
  ["PDUType", 0xffff00a9],
  ["ReactivePower", 0xffff00aa],
  ["Pole", 0xffff00ab],
  ["PoleID", 0xffff00ac],
  ["Reset", 0xffff00ad],
  ["WatchdogReset", 0xffff00ae],
  ["COPIBridge", 0xffff00e0],
  ["iModel", 0xffff00f0],
  ["iVersion", 0xffff00f1],
  ["iTechnicalLevel", 0xffff00f2],
  ["iPartNumber", 0xffff00f3],
  ["iReferenceNumber", 0xffff00f4],
  ["iGang", 0xffff00f5],
];

/** mge_model_names[]: iProduct, iModel, family, published name (undefined: "<iProduct> <iModel>"). */
export const MGE_MODEL_NAMES: readonly (readonly [iProduct: string, iModel: string, type: number, name: string | undefined])[] = [
  ["ELLIPSE", "300", MGE_DEFAULT_OFFLINE, "ellipse 300"],
  ["ELLIPSE", "500", MGE_DEFAULT_OFFLINE, "ellipse 500"],
  ["ELLIPSE", "650", MGE_DEFAULT_OFFLINE, "ellipse 650"],
  ["ELLIPSE", "800", MGE_DEFAULT_OFFLINE, "ellipse 800"],
  ["ELLIPSE", "1200", MGE_DEFAULT_OFFLINE, "ellipse 1200"],
  ["ellipse", "PR500", MGE_DEFAULT_OFFLINE, "ellipse premium 500"],
  ["ellipse", "PR650", MGE_DEFAULT_OFFLINE, "ellipse premium 650"],
  ["ellipse", "PR800", MGE_DEFAULT_OFFLINE, "ellipse premium 800"],
  ["ellipse", "PR1200", MGE_DEFAULT_OFFLINE, "ellipse premium 1200"],
  ["ELLIPSE", "600", MGE_DEFAULT_OFFLINE, "Ellipse 600"],
  ["ELLIPSE", "750", MGE_DEFAULT_OFFLINE, "Ellipse 750"],
  ["ELLIPSE", "1000", MGE_DEFAULT_OFFLINE, "Ellipse 1000"],
  ["ELLIPSE", "1500", MGE_DEFAULT_OFFLINE, "Ellipse 1500"],
  ["Ellipse MAX", "600", MGE_DEFAULT_OFFLINE, undefined],
  ["Ellipse MAX", "850", MGE_DEFAULT_OFFLINE, undefined],
  ["Ellipse MAX", "1100", MGE_DEFAULT_OFFLINE, undefined],
  ["Ellipse MAX", "1500", MGE_DEFAULT_OFFLINE, undefined],
  ["PROTECTIONCENTER", "420", MGE_DEFAULT_OFFLINE, "Protection Center 420"],
  ["PROTECTIONCENTER", "500", MGE_DEFAULT_OFFLINE, "Protection Center 500"],
  ["PROTECTIONCENTER", "675", MGE_DEFAULT_OFFLINE, "Protection Center 675"],
  ["Protection Station", "500", MGE_PEGASUS, undefined],
  ["Protection Station", "650", MGE_PEGASUS, undefined],
  ["Protection Station", "800", MGE_PEGASUS, undefined],
  ["Ellipse ECO", "650", MGE_PEGASUS, undefined],
  ["Ellipse ECO", "800", MGE_PEGASUS, undefined],
  ["Ellipse ECO", "1200", MGE_PEGASUS, undefined],
  ["Ellipse ECO", "1600", MGE_PEGASUS, undefined],
  ["3S", "450", MGE_DEFAULT_OFFLINE, undefined],
  ["3S", "550", MGE_DEFAULT_OFFLINE, undefined],
  ["3S", "700", MGE_3S, undefined],
  ["3S", "750", MGE_3S, undefined],
  ["Evolution", "500", MGE_DEFAULT, "Pulsar Evolution 500"],
  ["Evolution", "800", MGE_DEFAULT, "Pulsar Evolution 800"],
  ["Evolution", "1100", MGE_DEFAULT, "Pulsar Evolution 1100"],
  ["Evolution", "1500", MGE_DEFAULT, "Pulsar Evolution 1500"],
  ["Evolution", "2200", MGE_DEFAULT, "Pulsar Evolution 2200"],
  ["Evolution", "3000", MGE_DEFAULT, "Pulsar Evolution 3000"],
  ["Evolution", "3000XL", MGE_DEFAULT, "Pulsar Evolution 3000 XL"],
  ["Evolution", "650", MGE_EVOLUTION_650, undefined],
  ["Evolution", "850", MGE_EVOLUTION_850, undefined],
  ["Evolution", "1150", MGE_EVOLUTION_1150, undefined],
  ["Evolution", "S 1250", MGE_EVOLUTION_S_1250, undefined],
  ["Evolution", "1550", MGE_EVOLUTION_1550, undefined],
  ["Evolution", "S 1750", MGE_EVOLUTION_S_1750, undefined],
  ["Evolution", "2000", MGE_EVOLUTION_2000, undefined],
  ["Evolution", "S 2500", MGE_EVOLUTION_S_2500, undefined],
  ["Evolution", "S 3000", MGE_EVOLUTION_S_3000, undefined],
  ["Eaton 5P", "650", EATON_5P, "5P 650"],
  ["Eaton 5P", "850", EATON_5P, "5P 850"],
  ["Eaton 5P", "1150", EATON_5P, "5P 1150"],
  ["Eaton 5P", "1550", EATON_5P, "5P 1550"],
  ["PULSAR M", "2200", MGE_PULSAR_M_2200, undefined],
  ["PULSAR M", "3000", MGE_PULSAR_M_3000, undefined],
  ["PULSAR M", "3000 XL", MGE_PULSAR_M_3000_XL, undefined],
  ["EX", "2200", MGE_PULSAR_M_2200, undefined],
  ["EX", "3000", MGE_PULSAR_M_3000, undefined],
  ["EX", "3000 XL", MGE_PULSAR_M_3000, undefined],
  ["PULSAR", "MX4000", MGE_DEFAULT, "Pulsar MX 4000 RT"],
  ["PULSAR", "MX5000", MGE_DEFAULT, "Pulsar MX 5000 RT"],
  ["NOVA AVR", "500", MGE_DEFAULT, "Nova 500 AVR"],
  ["NOVA AVR", "600", MGE_DEFAULT, "Nova 600 AVR"],
  ["NOVA AVR", "625", MGE_DEFAULT, "Nova 625 AVR"],
  ["NOVA AVR", "1100", MGE_DEFAULT, "Nova 1100 AVR"],
  ["NOVA AVR", "1250", MGE_DEFAULT, "Nova 1250 AVR"],
  ["EXtreme", "700C", MGE_DEFAULT, "Pulsar EXtreme 700C"],
  ["EXtreme", "1000C", MGE_DEFAULT, "Pulsar EXtreme 1000C"],
  ["EXtreme", "1500C", MGE_DEFAULT, "Pulsar EXtreme 1500C"],
  ["EXtreme", "1500CCLA", MGE_DEFAULT, "Pulsar EXtreme 1500C CLA"],
  ["EXtreme", "2200C", MGE_DEFAULT, "Pulsar EXtreme 2200C"],
  ["EXtreme", "3200C", MGE_DEFAULT, "Pulsar EXtreme 3200C"],
  ["EX", "700RT", MGE_DEFAULT, "Pulsar EX 700 RT"],
  ["EX", "1000RT", MGE_DEFAULT, "Pulsar EX 1000 RT"],
  ["EX", "1500RT", MGE_DEFAULT, "Pulsar EX 1500 RT"],
  ["EX", "2200RT", MGE_DEFAULT, "Pulsar EX 2200 RT"],
  ["EX", "3200RT", MGE_DEFAULT, "Pulsar EX 3200 RT"],
  ["EX", "5RT31", MGE_DEFAULT, "EX 5 RT 3:1"],
  ["EX", "7RT31", MGE_DEFAULT, "EX 7 RT 3:1"],
  ["EX", "11RT31", MGE_DEFAULT, "EX 11 RT 3:1"],
  ["EX", "5RT", MGE_DEFAULT, "EX 5 RT"],
  ["EX", "7RT", MGE_DEFAULT, "EX 7 RT"],
  ["EX", "11RT", MGE_DEFAULT, "EX 11 RT"],
  ["GALAXY", "3000_10", MGE_DEFAULT, "Galaxy 3000 10 kVA"],
  ["GALAXY", "3000_15", MGE_DEFAULT, "Galaxy 3000 15 kVA"],
  ["GALAXY", "3000_20", MGE_DEFAULT, "Galaxy 3000 20 kVA"],
  ["GALAXY", "3000_30", MGE_DEFAULT, "Galaxy 3000 30 kVA"],
];

const row = hidRow;

/** mge_hid2nut[], in NUT's order (built with strptime: ups.date and ups.time are settable). */
export const MGE_HID2NUT: readonly HidMappingRow[] = [
  row("device.country", ST_FLAG_STRING, 20, "UPS.PowerSummary.Country", "Europe", HU_FLAG_STATIC, EATON_CHECK_COUNTRY_INFO),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerSummary.RemainingCapacityLimitSetting", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.charge.low", 0, 0, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_STATIC),
  row("battery.charge.restart", ST_FLAG_RW | ST_FLAG_STRING, 3, "UPS.PowerSummary.RestartLevel", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.capacity", 0, 0, "UPS.BatterySystem.Battery.DesignCapacity", "%s", HU_FLAG_STATIC, MGE_BATTERY_CAPACITY),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", 0),
  row("battery.runtime.elapsed", 0, 0, "UPS.StatisticSystem.Input.[1].Statistic.[1].Time", "%.0f", HU_FLAG_QUICK_POLL),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", 0),
  row("battery.temperature", 0, 0, "UPS.BatterySystem.Battery.Temperature", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("battery.voltage", 0, 0, "UPS.BatterySystem.Voltage", "%.1f", 0),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%s", 0, MGE_BATTERY_VOLTAGE),
  row("battery.voltage.nominal", 0, 0, "UPS.BatterySystem.ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("battery.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%s", HU_FLAG_STATIC, MGE_BATTERY_VOLTAGE_NOMINAL),
  row("battery.protection", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.BatterySystem.Battery.DeepDischargeProtection", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("battery.energysave", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[3].EnergySaving", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("battery.energysave.load", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[3].ConfigPercentLoad", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.energysave.delay", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[3].EnergySaving.ShutdownTimer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.energysave.delay", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[3].ShutdownTimer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.energysave.realpower", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[3].ConfigActivePower", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.charger.status", 0, 0, "UPS.BatterySystem.Charger.ABMEnable", "%.0f", HU_FLAG_QUICK_POLL, EATON_ABM_ENABLED_INFO),
  row("battery.charger.status", 0, 0, "UPS.BatterySystem.Charger.Mode", "%.0f", HU_FLAG_QUICK_POLL, EATON_ABM_STATUS_INFO),
  row("ups.efficiency", 0, 0, "UPS.PowerConverter.Output.Efficiency", "%.0f", 0),
  row("ups.firmware", 0, 0, "UPS.PowerSummary.iVersion", "%s", HU_FLAG_STATIC, STRINGID_CONVERSION),
  row("ups.load", 0, 0, "UPS.PowerSummary.PercentLoad", "%.0f", 0),
  row("ups.load.high", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.Flow.[4].ConfigPercentLoad", "%.0f", HU_FLAG_SEMI_STATIC),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.test.result", 0, 0, "UPS.BatterySystem.Battery.Test", "%s", 0, TEST_READ_INFO),
  row("ups.test.interval", ST_FLAG_RW | ST_FLAG_STRING, 8, "UPS.BatterySystem.Battery.TestPeriod", "%.0f", HU_FLAG_SEMI_STATIC),
  row("ups.beeper.status", 0, 0, "UPS.BatterySystem.Battery.AudibleAlarmControl", "%s", HU_FLAG_SEMI_STATIC, BEEPER_INFO),
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", HU_FLAG_SEMI_STATIC, BEEPER_INFO),
  row("ups.temperature", 0, 0, "UPS.PowerSummary.Temperature", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  row("ups.power", 0, 0, "UPS.PowerConverter.Output.ApparentPower", "%.0f", 0),
  row("ups.L1.power", 0, 0, "UPS.PowerConverter.Output.Phase.[1].ApparentPower", "%.0f", 0),
  row("ups.L2.power", 0, 0, "UPS.PowerConverter.Output.Phase.[2].ApparentPower", "%.0f", 0),
  row("ups.L3.power", 0, 0, "UPS.PowerConverter.Output.Phase.[3].ApparentPower", "%.0f", 0),
  row("ups.power.nominal", 0, 0, "UPS.Flow.[4].ConfigApparentPower", "%.0f", HU_FLAG_STATIC),
  row("ups.realpower", 0, 0, "UPS.PowerConverter.Output.ActivePower", "%.0f", 0),
  row("ups.realpower", 0, 0, "UPS.Flow.[4].ConfigApparentPower", "-1", 0, EATON_COMPUTE_REALPOWER_INFO),
  row("ups.L1.realpower", 0, 0, "UPS.PowerConverter.Output.Phase.[1].ActivePower", "%.0f", 0),
  row("ups.L2.realpower", 0, 0, "UPS.PowerConverter.Output.Phase.[2].ActivePower", "%.0f", 0),
  row("ups.L3.realpower", 0, 0, "UPS.PowerConverter.Output.Phase.[3].ActivePower", "%.0f", 0),
  row("ups.realpower.nominal", 0, 0, "UPS.Flow.[4].ConfigActivePower", "%.0f", HU_FLAG_STATIC),
  row("ups.start.auto", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[1].AutomaticRestart", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("ups.start.battery", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Input.[3].StartOnBattery", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("ups.start.reboot", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.ForcedReboot", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("ups.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.PresentStatus.Switchable", "%s", HU_FLAG_SEMI_STATIC | HU_FLAG_ENUM, EATON_ENABLE_DISABLE_INFO),
  row("ups.date", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.Time", "%s", 0, MGE_DATE_CONVERSION),
  row("ups.time", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.Time", "%s", 0, MGE_TIME_CONVERSION),
  row("ups.type", 0, 0, "UPS.PowerConverter.ConverterType", "%s", HU_FLAG_STATIC, MGE_UPSTYPE_CONVERSION),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[3].PresentStatus.Used", "", 0, MGE_ONBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, EATON_DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, EATON_CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.BatterySystem.Charger.Mode", "%.0f", HU_FLAG_QUICK_POLL, EATON_ABM_CHRG_DISCHRG_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Output.Overload.[1].PresentStatus.OverThreshold", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Output.Overload.[2].PresentStatus.OverThreshold", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.LCMSystem.LCMAlarm.[2].PresentStatus.TimerExpired", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.Buck", "", 0, TRIM_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.Boost", "", 0, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.VoltageOutOfRange", "", 0, VRANGE_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.FrequencyOutOfRange", "", 0, FRANGE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Good", "", 0, OFF_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.Used", "", 0, EATON_CONVERTER_ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[2].PresentStatus.Used", "", 0, BYPASS_AUTO_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[4].PresentStatus.Used", "", 0, BYPASS_MANUAL_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FanFailure", "", 0, FANFAIL_INFO),
  row("BOOL", 0, 0, "UPS.BatterySystem.Battery.PresentStatus.Present", "", 0, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.BatterySystem.Charger.PresentStatus.InternalFailure", "", 0, CHARGERFAIL_INFO),
  row("BOOL", 0, 0, "UPS.BatterySystem.Charger.PresentStatus.VoltageTooHigh", "", 0, BATTVOLTHI_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.VoltageTooHigh", "", 0, BATTVOLTHI_INFO),
  row("BOOL", 0, 0, "UPS.BatterySystem.Battery.PresentStatus.VoltageTooHigh", "", 0, BATTVOLTHI_INFO),
  row("BOOL", 0, 0, "UPS.BatterySystem.Charger.PresentStatus.VoltageTooLow", "", 0, BATTVOLTLO_INFO),
  row("BOOL", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.VoltageTooLow", "", 0, MGE_ONBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.InternalFailure", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.OverTemperature", "", 0, OVERHEAT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("ups.alarm", 0, 0, "UPS.PowerSummary.PresentStatus.EmergencyStop", "", 0, MGE_EMERGENCY_STOP),
  row("ups.alarm", 0, 0, "UPS.PowerConverter.Input.[1].PresentStatus.WiringFault", "", 0, MGE_WIRING_FAULT),
  row("ups.alarm", 0, 0, "UPS.PowerSummary.PresentStatus.ConfigurationFailure", "", 0, MGE_CONFIG_FAILURE),
  row("ups.alarm", 0, 0, "UPS.PowerConverter.Inverter.PresentStatus.VoltageTooHigh", "", 0, MGE_INVERTER_VOLTHI),
  row("ups.alarm", 0, 0, "UPS.PowerConverter.Inverter.PresentStatus.VoltageTooLow", "", 0, MGE_INVERTER_VOLTLO),
  row("ups.alarm", 0, 0, "UPS.PowerConverter.Output.PresentStatus.ShortCircuit", "", 0, MGE_SHORT_CIRCUIT),
  row("input.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Voltage", "%.1f", 0),
  row("input.L1-N.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[1].Voltage", "%.1f", 0),
  row("input.L2-N.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[2].Voltage", "%.1f", 0),
  row("input.L3-N.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[3].Voltage", "%.1f", 0),
  row("input.L1-L2.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[12].Voltage", "%.1f", 0),
  row("input.L2-L3.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[23].Voltage", "%.1f", 0),
  row("input.L3-L1.voltage", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[31].Voltage", "%.1f", 0),
  row("input.voltage.nominal", 0, 0, "UPS.Flow.[1].ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("input.current", 0, 0, "UPS.PowerConverter.Input.[1].Current", "%.2f", 0),
  row("input.L1.current", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[1].Current", "%.1f", 0),
  row("input.L2.current", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[2].Current", "%.1f", 0),
  row("input.L3.current", 0, 0, "UPS.PowerConverter.Input.[1].Phase.[3].Current", "%.1f", 0),
  row("input.current.nominal", 0, 0, "UPS.Flow.[1].ConfigCurrent", "%.2f", HU_FLAG_STATIC),
  row("input.frequency", 0, 0, "UPS.PowerConverter.Input.[1].Frequency", "%.1f", 0),
  row("input.frequency.nominal", 0, 0, "UPS.Flow.[1].ConfigFrequency", "%.0f", HU_FLAG_STATIC),
  row("input.transfer.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.LowVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.boost.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.LowVoltageBoostTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.boost.high", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.HighVoltageBoostTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.trim.low", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.LowVoltageBuckTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.high", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.HighVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.trim.high", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.HighVoltageBuckTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.sensitivity", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerConverter.Output.SensitivityMode", "%s", HU_FLAG_SEMI_STATIC, MGE_SENSITIVITY_INFO),
  row("input.voltage.extended", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.ExtendedVoltageMode", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("input.frequency.extended", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.PowerConverter.Output.ExtendedFrequencyMode", "%s", HU_FLAG_SEMI_STATIC, YES_NO_INFO),
  row("input.bypass.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Voltage", "%.1f", 0),
  row("input.bypass.L1-N.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[1].Voltage", "%.1f", 0),
  row("input.bypass.L2-N.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[2].Voltage", "%.1f", 0),
  row("input.bypass.L3-N.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[3].Voltage", "%.1f", 0),
  row("input.bypass.L1-L2.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[12].Voltage", "%.1f", 0),
  row("input.bypass.L2-L3.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[23].Voltage", "%.1f", 0),
  row("input.bypass.L3-L1.voltage", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[31].Voltage", "%.1f", 0),
  row("input.bypass.voltage.nominal", 0, 0, "UPS.Flow.[2].ConfigVoltage", "%.0f", HU_FLAG_STATIC),
  row("input.bypass.current", 0, 0, "UPS.PowerConverter.Input.[2].Current", "%.2f", 0),
  row("input.bypass.L1.current", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[1].Current", "%.1f", 0),
  row("input.bypass.L2.current", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[2].Current", "%.1f", 0),
  row("input.bypass.L3.current", 0, 0, "UPS.PowerConverter.Input.[2].Phase.[3].Current", "%.1f", 0),
  row("input.bypass.current.nominal", 0, 0, "UPS.Flow.[2].ConfigCurrent", "%.2f", HU_FLAG_STATIC),
  row("input.bypass.frequency", 0, 0, "UPS.PowerConverter.Input.[2].Frequency", "%.1f", 0),
  row("input.bypass.frequency.nominal", 0, 0, "UPS.Flow.[2].ConfigFrequency", "%.0f", HU_FLAG_STATIC),
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%.1f", 0),
  row("output.L1-N.voltage", 0, 0, "UPS.PowerConverter.Output.Phase.[1].Voltage", "%.1f", 0),
  row("output.L2-N.voltage", 0, 0, "UPS.PowerConverter.Output.Phase.[2].Voltage", "%.1f", 0),
  row("output.L3-N.voltage", 0, 0, "UPS.PowerConverter.Output.Phase.[3].Voltage", "%.1f", 0),
  row("output.L1-L2.voltage", 0, 0, "UPS.PowerConverter.Output.Phase.[12].Voltage", "%.1f", 0),
  row("output.L2-L3.voltage", 0, 0, "UPS.PowerConverter.Output.Phase.[23].Voltage", "%.1f", 0),
  row("output.L3-L1.voltage", 0, 0, "UPS.PowerConverter.Output.Phase.[31].Voltage", "%.1f", 0),
  row("output.voltage.nominal", ST_FLAG_RW | ST_FLAG_STRING, 3, "UPS.Flow.[4].ConfigVoltage", "%.0f", HU_FLAG_SEMI_STATIC | HU_FLAG_ENUM, NOMINAL_OUTPUT_VOLTAGE_INFO),
  row("output.current", 0, 0, "UPS.PowerConverter.Output.Current", "%.2f", 0),
  row("output.L1.current", 0, 0, "UPS.PowerConverter.Output.Phase.[1].Current", "%.1f", 0),
  row("output.L2.current", 0, 0, "UPS.PowerConverter.Output.Phase.[2].Current", "%.1f", 0),
  row("output.L3.current", 0, 0, "UPS.PowerConverter.Output.Phase.[3].Current", "%.1f", 0),
  row("output.current.nominal", 0, 0, "UPS.Flow.[4].ConfigCurrent", "%.2f", 0),
  row("output.frequency", 0, 0, "UPS.PowerConverter.Output.Frequency", "%.1f", 0),
  row("output.frequency.nominal", 0, 0, "UPS.Flow.[4].ConfigFrequency", "%.0f", HU_FLAG_STATIC),
  row("output.powerfactor", 0, 0, "UPS.PowerConverter.Output.PowerFactor", "%s", 0, MGE_POWERFACTOR_CONVERSION),
  row("outlet.id", 0, 0, "UPS.OutletSystem.Outlet.[1].OutletID", "%.0f", HU_FLAG_STATIC),
  row("outlet.desc", ST_FLAG_RW | ST_FLAG_STRING, 20, "UPS.OutletSystem.Outlet.[1].OutletID", "Main Outlet", HU_FLAG_ABSENT),
  row("outlet.switchable", 0, 0, "UPS.OutletSystem.Outlet.[1].PresentStatus.Switchable", "%s", HU_FLAG_STATIC, YES_NO_INFO),
  row("outlet.power", ST_FLAG_RW | ST_FLAG_STRING, 6, "UPS.OutletSystem.Outlet.[1].ConfigApparentPower", "%s", HU_FLAG_SEMI_STATIC | HU_FLAG_ENUM, PEGASUS_THRESHOLD_INFO),
  row("outlet.power", 0, 0, "UPS.OutletSystem.Outlet.[1].ApparentPower", "%.0f", 0),
  row("outlet.realpower", 0, 0, "UPS.OutletSystem.Outlet.[1].ActivePower", "%.0f", 0),
  row("outlet.current", 0, 0, "UPS.OutletSystem.Outlet.[1].Current", "%.2f", 0),
  row("outlet.powerfactor", 0, 0, "UPS.OutletSystem.Outlet.[1].PowerFactor", "%.2f", 0),
  row("outlet.1.id", 0, 0, "UPS.OutletSystem.Outlet.[2].OutletID", "%.0f", HU_FLAG_STATIC),
  row("outlet.1.desc", ST_FLAG_RW | ST_FLAG_STRING, 20, "UPS.OutletSystem.Outlet.[2].OutletID", "PowerShare Outlet 1", HU_FLAG_ABSENT),
  row("outlet.1.switchable", 0, 0, "UPS.OutletSystem.Outlet.[2].PresentStatus.Switchable", "%s", HU_FLAG_STATIC, YES_NO_INFO),
  row("outlet.1.status", 0, 0, "UPS.OutletSystem.Outlet.[2].PresentStatus.SwitchOn/Off", "%s", 0, ON_OFF_INFO),
  row("outlet.1.status", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "%s", 0, ON_OFF_INFO),
  row("outlet.1.autoswitch.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 3, "UPS.OutletSystem.Outlet.[2].RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("outlet.1.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.OutletSystem.Outlet.[2].ShutdownTimer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("outlet.1.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.OutletSystem.Outlet.[2].StartupTimer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("outlet.1.power", 0, 0, "UPS.OutletSystem.Outlet.[2].ApparentPower", "%.0f", 0),
  row("outlet.1.realpower", 0, 0, "UPS.OutletSystem.Outlet.[2].ActivePower", "%.0f", 0),
  row("outlet.1.current", 0, 0, "UPS.OutletSystem.Outlet.[2].Current", "%.2f", 0),
  row("outlet.1.powerfactor", 0, 0, "UPS.OutletSystem.Outlet.[2].PowerFactor", "%.2f", 0),
  row("outlet.2.id", 0, 0, "UPS.OutletSystem.Outlet.[3].OutletID", "%.0f", HU_FLAG_STATIC),
  row("outlet.2.desc", ST_FLAG_RW | ST_FLAG_STRING, 20, "UPS.OutletSystem.Outlet.[3].OutletID", "PowerShare Outlet 2", HU_FLAG_ABSENT),
  row("outlet.2.switchable", ST_FLAG_RW | ST_FLAG_STRING, 3, "UPS.OutletSystem.Outlet.[3].PresentStatus.Switchable", "%s", HU_FLAG_SEMI_STATIC, PEGASUS_YES_NO_INFO),
  row("outlet.2.switchable", 0, 0, "UPS.OutletSystem.Outlet.[3].PresentStatus.Switchable", "%s", 0, YES_NO_INFO),
  row("outlet.2.status", 0, 0, "UPS.OutletSystem.Outlet.[3].PresentStatus.SwitchOn/Off", "%s", 0, ON_OFF_INFO),
  row("outlet.2.autoswitch.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 3, "UPS.OutletSystem.Outlet.[3].RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("outlet.2.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.OutletSystem.Outlet.[3].ShutdownTimer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("outlet.2.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 5, "UPS.OutletSystem.Outlet.[3].StartupTimer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("outlet.2.power", 0, 0, "UPS.OutletSystem.Outlet.[3].ApparentPower", "%.0f", 0),
  row("outlet.2.realpower", 0, 0, "UPS.OutletSystem.Outlet.[3].ActivePower", "%.0f", 0),
  row("outlet.2.current", 0, 0, "UPS.OutletSystem.Outlet.[3].Current", "%.2f", 0),
  row("outlet.2.powerfactor", 0, 0, "UPS.OutletSystem.Outlet.[3].PowerFactor", "%.2f", 0),
  row("test.battery.start.quick", 0, 0, "UPS.BatterySystem.Battery.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.BatterySystem.Battery.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.BatterySystem.Battery.Test", "3", HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "10", HU_TYPE_CMD),
  row("beeper.off", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.on", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.mute", 0, 0, "UPS.BatterySystem.Battery.AudibleAlarmControl", "3", HU_TYPE_CMD),
  row("beeper.mute", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.BatterySystem.Battery.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.BatterySystem.Battery.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("outlet.1.load.off", 0, 0, "UPS.OutletSystem.Outlet.[2].DelayBeforeShutdown", "0", HU_TYPE_CMD),
  row("outlet.1.load.on", 0, 0, "UPS.OutletSystem.Outlet.[2].DelayBeforeStartup", "0", HU_TYPE_CMD),
  row("outlet.2.load.off", 0, 0, "UPS.OutletSystem.Outlet.[3].DelayBeforeShutdown", "0", HU_TYPE_CMD),
  row("outlet.2.load.on", 0, 0, "UPS.OutletSystem.Outlet.[3].DelayBeforeStartup", "0", HU_TYPE_CMD),
];

/**
 * get_model_name(): the table's name for iProduct + iModel (which also sets the model family),
 * else "<iProduct> <iModel>" (into a 512-byte buffer).
 */
export function mgeModelName(iProduct: string, iModel: string, debug: (level: number, message: string) => void = () => undefined): string {
  debug(2, `get_model_name(${iProduct}, ${iModel})\n`);
  for (const [product, model, type, name] of MGE_MODEL_NAMES) {
    debug(2, name !== undefined ? `comparing with: ${name}` : `comparing with: ${product} ${model}`);
    if (product !== iProduct || model !== iModel) continue;
    mgeState.type = type;
    if (name !== undefined) return name;
    break;
  }
  return `${iProduct} ${iModel}`.slice(0, 511);
}

/**
 * mge_format_model(): Dell's iProduct is already the model; otherwise iProduct with the model
 * from UPS.PowerSummary.iModel, or the nominal apparent power when that string is empty.
 */
export function mgeFormatModel(device: HidDeviceIdentity, reader?: HidDeviceReader): string | undefined {
  if (device.vendorId === DELL_VENDORID) return device.product;
  const product = (device.product ?? "unknown").slice(0, 511);
  let model = (reader?.itemString("UPS.PowerSummary.iModel") ?? "").slice(0, 511);
  if (model.length < 1) {
    const power = reader?.itemValue("UPS.Flow.[4].ConfigApparentPower");
    // "%i" of (int)value
    if (power !== undefined) model = String(cInt(power) | 0);
  }
  return model.length > 0 ? mgeModelName(product, model, reader?.debug) : device.product;
}

/** AEG PROTECT NAS units under Phoenixtec's vendor ID. */
const isAeg = (device: HidDeviceIdentity): boolean => (device.vendor?.includes("AEG") ?? false) || (device.product?.includes("AEG") ?? false);

export const MGE_SUBDRIVER: HidSubdriver = {
  name: "MGE HID 1.46",
  vendorLabel: "Eaton / MGE",
  usbIds: [
    // various models
    { vendorId: MGE_VENDORID, productId: 0x0001 },
    { vendorId: MGE_VENDORID, productId: 0xffff },
    // various models
    { vendorId: DELL_VENDORID, productId: 0xffff },
    // PW 9140
    { vendorId: POWERWARE_VENDORID, productId: 0x0004 },
    // R/T3000
    { vendorId: HP_VENDORID, productId: 0x1fe5 },
    { vendorId: HP_VENDORID, productId: 0x1fe6 },
    // various models
    { vendorId: HP_VENDORID, productId: 0x1fe7 },
    { vendorId: HP_VENDORID, productId: 0x1fe8 },
    // PROTECT B / NAS
    { vendorId: AEG_VENDORID, productId: 0xffff },
    { vendorId: PHOENIXTEC_VENDORID, productId: 0xffff },
    // 6000 VA LCD 4U Rack UPS; 5396-1Kx
    { vendorId: IBM_VENDORID, productId: 0x0001 },
  ],
  usageTable: MGE_USAGE_TABLE,
  mapping: MGE_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Eaton",
  formatModel: mgeFormatModel,
  modelReplacesProduct: true,
  formatSerial: (device) => device.serial,
  claimSupported: (device) => device.vendorId !== PHOENIXTEC_VENDORID || isAeg(device),
  claimPossibly(device, productidGiven, debug) {
    switch (device.vendorId) {
      case HP_VENDORID:
      case DELL_VENDORID:
        // these make lots of USB devices that are not UPSes: no "possibly supported" notice
        return productidGiven;
      case PHOENIXTEC_VENDORID:
        return isAeg(device);
      default:
        if (productidGiven) return true;
        debug(0, possiblySupportedMessage("Eaton / MGE", device));
        return false;
    }
  },
};
