// Usage names and NUT's textual HID paths (libhid.c of NUT 2.8.0: hid_usage_lkp, path_to_string,
// string_to_path, hid_lookup_usage/hid_lookup_path). A subdriver's own table is looked up before
// the generic one, so callers pass it explicitly. Pure data and string work, no I/O.

/** A usage table: `[name, 32-bit usage code]` in NUT's order (first match wins both ways). */
export type UsageTable = readonly (readonly [string, number])[];

/** NUT's generic table (HID Power Device page 0x84 and Battery System page 0x85), libhid.c order. */
export const HID_GENERIC_USAGE_TABLE: UsageTable = [
  ["Undefined", 0x00840000],
  ["iName", 0x00840001],
  ["PresentStatus", 0x00840002],
  ["ChangedStatus", 0x00840003],
  ["UPS", 0x00840004],
  ["PowerSupply", 0x00840005],
  ["BatterySystem", 0x00840010],
  ["BatterySystemID", 0x00840011],
  ["Battery", 0x00840012],
  ["BatteryID", 0x00840013],
  ["Charger", 0x00840014],
  ["ChargerID", 0x00840015],
  ["PowerConverter", 0x00840016],
  ["PowerConverterID", 0x00840017],
  ["OutletSystem", 0x00840018],
  ["OutletSystemID", 0x00840019],
  ["Input", 0x0084001a],
  ["InputID", 0x0084001b],
  ["Output", 0x0084001c],
  ["OutputID", 0x0084001d],
  ["Flow", 0x0084001e],
  ["FlowID", 0x0084001f],
  ["Outlet", 0x00840020],
  ["OutletID", 0x00840021],
  ["Gang", 0x00840022],
  ["GangID", 0x00840023],
  ["PowerSummary", 0x00840024],
  ["PowerSummaryID", 0x00840025],
  ["Voltage", 0x00840030],
  ["Current", 0x00840031],
  ["Frequency", 0x00840032],
  ["ApparentPower", 0x00840033],
  ["ActivePower", 0x00840034],
  ["PercentLoad", 0x00840035],
  ["Temperature", 0x00840036],
  ["Humidity", 0x00840037],
  ["BadCount", 0x00840038],
  ["ConfigVoltage", 0x00840040],
  ["ConfigCurrent", 0x00840041],
  ["ConfigFrequency", 0x00840042],
  ["ConfigApparentPower", 0x00840043],
  ["ConfigActivePower", 0x00840044],
  ["ConfigPercentLoad", 0x00840045],
  ["ConfigTemperature", 0x00840046],
  ["ConfigHumidity", 0x00840047],
  ["SwitchOnControl", 0x00840050],
  ["SwitchOffControl", 0x00840051],
  ["ToggleControl", 0x00840052],
  ["LowVoltageTransfer", 0x00840053],
  ["HighVoltageTransfer", 0x00840054],
  ["DelayBeforeReboot", 0x00840055],
  ["DelayBeforeStartup", 0x00840056],
  ["DelayBeforeShutdown", 0x00840057],
  ["Test", 0x00840058],
  ["ModuleReset", 0x00840059],
  ["AudibleAlarmControl", 0x0084005a],
  ["Present", 0x00840060],
  ["Good", 0x00840061],
  ["InternalFailure", 0x00840062],
  ["VoltageOutOfRange", 0x00840063],
  ["FrequencyOutOfRange", 0x00840064],
  ["Overload", 0x00840065],
  ["OverCharged", 0x00840066],
  ["OverTemperature", 0x00840067],
  ["ShutdownRequested", 0x00840068],
  ["ShutdownImminent", 0x00840069],
  ["SwitchOn/Off", 0x0084006b],
  ["Switchable", 0x0084006c],
  ["Used", 0x0084006d],
  ["Boost", 0x0084006e],
  ["Buck", 0x0084006f],
  ["Initialized", 0x00840070],
  ["Tested", 0x00840071],
  ["AwaitingPower", 0x00840072],
  ["CommunicationLost", 0x00840073],
  ["iManufacturer", 0x008400fd],
  ["iProduct", 0x008400fe],
  ["iSerialNumber", 0x008400ff],
  ["Undefined", 0x00850000],
  ["SMBBatteryMode", 0x00850001],
  ["SMBBatteryStatus", 0x00850002],
  ["SMBAlarmWarning", 0x00850003],
  ["SMBChargerMode", 0x00850004],
  ["SMBChargerStatus", 0x00850005],
  ["SMBChargerSpecInfo", 0x00850006],
  ["SMBSelectorState", 0x00850007],
  ["SMBSelectorPresets", 0x00850008],
  ["SMBSelectorInfo", 0x00850009],
  ["OptionalMfgFunction1", 0x00850010],
  ["OptionalMfgFunction2", 0x00850011],
  ["OptionalMfgFunction3", 0x00850012],
  ["OptionalMfgFunction4", 0x00850013],
  ["OptionalMfgFunction5", 0x00850014],
  ["ConnectionToSMBus", 0x00850015],
  ["OutputConnection", 0x00850016],
  ["ChargerConnection", 0x00850017],
  ["BatteryInsertion", 0x00850018],
  ["Usenext", 0x00850019],
  ["OKToUse", 0x0085001a],
  ["BatterySupported", 0x0085001b],
  ["SelectorRevision", 0x0085001c],
  ["ChargingIndicator", 0x0085001d],
  ["ManufacturerAccess", 0x00850028],
  ["RemainingCapacityLimit", 0x00850029],
  ["RemainingTimeLimit", 0x0085002a],
  ["AtRate", 0x0085002b],
  ["CapacityMode", 0x0085002c],
  ["BroadcastToCharger", 0x0085002d],
  ["PrimaryBattery", 0x0085002e],
  ["ChargeController", 0x0085002f],
  ["TerminateCharge", 0x00850040],
  ["TerminateDischarge", 0x00850041],
  ["BelowRemainingCapacityLimit", 0x00850042],
  ["RemainingTimeLimitExpired", 0x00850043],
  ["Charging", 0x00850044],
  ["Discharging", 0x00850045],
  ["FullyCharged", 0x00850046],
  ["FullyDischarged", 0x00850047],
  ["ConditioningFlag", 0x00850048],
  ["AtRateOK", 0x00850049],
  ["SMBErrorCode", 0x0085004a],
  ["NeedReplacement", 0x0085004b],
  ["AtRateTimeToFull", 0x00850060],
  ["AtRateTimeToEmpty", 0x00850061],
  ["AverageCurrent", 0x00850062],
  ["Maxerror", 0x00850063],
  ["RelativeStateOfCharge", 0x00850064],
  ["AbsoluteStateOfCharge", 0x00850065],
  ["RemainingCapacity", 0x00850066],
  ["FullChargeCapacity", 0x00850067],
  ["RunTimeToEmpty", 0x00850068],
  ["AverageTimeToEmpty", 0x00850069],
  ["AverageTimeToFull", 0x0085006a],
  ["CycleCount", 0x0085006b],
  ["BattPackModelLevel", 0x00850080],
  ["InternalChargeController", 0x00850081],
  ["PrimaryBatterySupport", 0x00850082],
  ["DesignCapacity", 0x00850083],
  ["SpecificationInfo", 0x00850084],
  ["ManufacturerDate", 0x00850085],
  ["SerialNumber", 0x00850086],
  ["iManufacturerName", 0x00850087],
  ["iDevicename", 0x00850088],
  ["iDeviceChemistry", 0x00850089],
  ["ManufacturerData", 0x0085008a],
  ["Rechargeable", 0x0085008b],
  ["WarningCapacityLimit", 0x0085008c],
  ["CapacityGranularity1", 0x0085008d],
  ["CapacityGranularity2", 0x0085008e],
  ["iOEMInformation", 0x0085008f],
  ["InhibitCharge", 0x008500c0],
  ["EnablePolling", 0x008500c1],
  ["ResetToZero", 0x008500c2],
  ["ACPresent", 0x008500d0],
  ["BatteryPresent", 0x008500d1],
  ["PowerFail", 0x008500d2],
  ["AlarmInhibited", 0x008500d3],
  ["ThermistorUnderRange", 0x008500d4],
  ["ThermistorHot", 0x008500d5],
  ["ThermistorCold", 0x008500d6],
  ["ThermistorOverRange", 0x008500d7],
  ["VoltageOutOfRange", 0x008500d8],
  ["CurrentOutOfRange", 0x008500d9],
  ["CurrentNotRegulated", 0x008500da],
  ["VoltageNotRegulated", 0x008500db],
  ["MasterMode", 0x008500dc],
  ["ChargerSelectorSupport", 0x008500f0],
  ["ChargerSpec", 0x008500f1],
  ["Level2", 0x008500f2],
  ["Level3", 0x008500f3],
];

/** Index node for the MGE/Eaton collection numbering trick (`[n]` in paths). */
export const HID_INDEX_NODE_BASE = 0x00ff0000;

interface TableIndex {
  readonly byCode: ReadonlyMap<number, string>;
  readonly byName: ReadonlyMap<string, number>;
}

const indexCache = new WeakMap<UsageTable, TableIndex>();

function indexOf(table: UsageTable): TableIndex {
  const cached = indexCache.get(table);
  if (cached !== undefined) return cached;
  const byCode = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const [name, code] of table) {
    if (!byCode.has(code >>> 0)) byCode.set(code >>> 0, name);
    const key = name.toLowerCase();
    if (!byName.has(key)) byName.set(key, code >>> 0);
  }
  const index = { byCode, byName };
  indexCache.set(table, index);
  return index;
}

/** hid_lookup_path(): the name of a node, subdriver table first, or undefined. */
export function usageName(node: number, extra: UsageTable | undefined): string | undefined {
  const n = node >>> 0;
  if (extra !== undefined) {
    const name = indexOf(extra).byCode.get(n);
    if (name !== undefined) return name;
  }
  return indexOf(HID_GENERIC_USAGE_TABLE).byCode.get(n);
}

/** hid_lookup_usage(): the code of a name (case-insensitive, strcasecmp), or undefined. */
export function usageCode(name: string, extra: UsageTable | undefined): number | undefined {
  const key = name.toLowerCase();
  if (extra !== undefined) {
    const code = indexOf(extra).byName.get(key);
    if (code !== undefined) return code;
  }
  return indexOf(HID_GENERIC_USAGE_TABLE).byName.get(key);
}

/** NUT renders a path into a 128-byte buffer (HIDGetDataItem), so at most 127 characters show. */
const PATH_TEXT_MAX = 127;

/** path_to_string(): `UPS.PowerSummary.RemainingCapacity`, `[n]` for index nodes, else `%08x`. */
export function pathToString(path: readonly number[], extra: UsageTable | undefined): string {
  const parts: string[] = [];
  for (const raw of path) {
    const node = raw >>> 0;
    const name = usageName(node, extra);
    if (name !== undefined) parts.push(name);
    else if ((node & 0xffff0000) >>> 0 === HID_INDEX_NODE_BASE) parts.push(`[${node & 0xffff}]`);
    else parts.push(node.toString(16).padStart(8, "0"));
  }
  return parts.join(".").slice(0, PATH_TEXT_MAX);
}

/** Thrown where NUT's string_to_path() calls fatalx (more than 255 path components). */
export class HidPathLengthError extends Error {
  constructor() {
    super("Error: string_to_path(): length exceeded");
    this.name = "HidPathLengthError";
  }
}

/** NUT copies the path text into a SMALLBUF (512) buffer before splitting it. */
const PATH_PARSE_BUF = 511;
const LONG_MAX = 0x7fffffffffffffffn;
const HEX_TOKEN = /^[0-9a-fA-F]+$/;
const INDEX_TOKEN = /^[0-9[\]]+$/;

/** strtol(s, NULL, base) on a digits-only token: saturates at LONG_MAX. */
function strtolSaturated(digits: string, base: 10 | 16): bigint {
  let v = 0n;
  const b = BigInt(base);
  for (const ch of digits) {
    v = v * b + BigInt(Number.parseInt(ch, base));
    if (v > LONG_MAX) return LONG_MAX;
  }
  return v;
}

export interface ParsedPath {
  readonly path: number[];
  /** Tokens NUT could not translate and silently dropped (it logs `couldn't parse` at level 1). */
  readonly skipped: string[];
}

/**
 * string_to_path(): split on '.', empty tokens ignored; each token is a usage name (subdriver
 * table first, case-insensitive), else hex digits (`ff860024`), else `[n]` (an index node); an
 * untranslatable token is skipped, which shortens the path.
 */
export function stringToPath(text: string, extra: UsageTable | undefined): ParsedPath {
  const path: number[] = [];
  const skipped: string[] = [];
  for (const token of text.slice(0, PATH_PARSE_BUF).split(".")) {
    if (token === "") continue;
    const code = usageCode(token, extra);
    if (code !== undefined) {
      path.push(code);
      continue;
    }
    if (HEX_TOKEN.test(token)) {
      const l = strtolSaturated(token, 16);
      if (l <= 0xffffffffn) path.push(Number(l));
      else skipped.push(token);
      continue;
    }
    if (INDEX_TOKEN.test(token)) {
      // atoi(token + 1): leading digits after the first character, as a C int
      const digits = /^[0-9]*/.exec(token.slice(1))?.[0] ?? "";
      const l = Number(BigInt.asIntN(32, strtolSaturated(digits, 10)));
      if (l < 0) skipped.push(token);
      else path.push((HID_INDEX_NODE_BASE + l) >>> 0);
      continue;
    }
    skipped.push(token);
  }
  if (path.length > 255) throw new HidPathLengthError();
  return { path, skipped };
}

