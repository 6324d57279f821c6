// NUT 2.8.0's mge-hid.c as data: model names and families, the conversions (ABM charger status,
// family-dependent battery voltage, Pegasus-only values, nominal output voltage ranges, Unix
// time, computed real power, timers), the claim rules, and the table run by HidUpsMapper over
// the simulator's Eaton 5P descriptor (test/fixtures/usb-hid/sim-eaton.rdesc.hex).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { MemoryNutLog } from "../../core/system/nut-log.ts";
import { readDescriptor } from "../../test/harness/hid-explore-fixture.ts";
import { DriverState } from "../framework/driver-state.ts";
import { STAT_HANDLED } from "../framework/driver.ts";
import { hidDeviceReader } from "./hid-device-reader.ts";
import { lookupFromNut, lookupToNut } from "./hid-lookups.ts";
import { formatHidValue } from "./hid-printf.ts";
import { parseReportDescriptor } from "./hid-report-descriptor.ts";
import { HidReportCache, type HidReportIo } from "./hid-report-cache.ts";
import { HU_TYPE_CMD, type HidConversionContext, type HidDeviceIdentity, type HidDeviceReader, type HidLookup } from "./hid-subdriver.ts";
import { HidUpsMapper } from "./hid-ups-mapper.ts";
import { stringToPath } from "./hid-usage-table.ts";
import {
  ABM_DISABLED,
  ABM_ENABLED,
  COUNTRY_EUROPE,
  COUNTRY_US,
  EATON_5P,
  EATON_ABM_CHRG_DISCHRG_INFO,
  EATON_ABM_ENABLED_INFO,
  EATON_ABM_STATUS_INFO,
  EATON_CHARGING_INFO,
  EATON_CHECK_COUNTRY_INFO,
  EATON_COMPUTE_REALPOWER_INFO,
  EATON_CONVERTER_ONLINE_INFO,
  EATON_DISCHARGING_INFO,
  MGE_3S,
  MGE_BATTERY_CAPACITY,
  MGE_BATTERY_VOLTAGE,
  MGE_BATTERY_VOLTAGE_NOMINAL,
  MGE_DATE_CONVERSION,
  MGE_DEFAULT,
  MGE_DEFAULT_OFFLINE,
  MGE_EVOLUTION_650,
  MGE_EVOLUTION_850,
  MGE_HID2NUT,
  MGE_PEGASUS,
  MGE_POWERFACTOR_CONVERSION,
  MGE_PULSAR_M_3000,
  MGE_SUBDRIVER,
  MGE_TIME_CONVERSION,
  MGE_UPSTYPE_CONVERSION,
  MGE_USAGE_TABLE,
  NOMINAL_OUTPUT_VOLTAGE_INFO,
  PEGASUS_THRESHOLD_INFO,
  PEGASUS_YES_NO_INFO,
  mgeFormatModel,
  mgeModelName,
  mgeState,
  parseLocalDateTime,
  resetMgeState,
} from "./mge-hid.ts";

interface Ctx extends HidConversionContext {
  deleted: string[];
  debugged: string[];
}

function ctx(info: Record<string, string> = {}, status: readonly string[] = []): Ctx {
  const deleted: string[] = [];
  const debugged: string[] = [];
  return {
    deleted,
    debugged,
    stringDescriptor: () => undefined,
    getInfo: (name) => info[name],
    delInfo: (name) => void deleted.push(name),
    statusHas: (word) => status.includes(word),
    debug: (level, message) => void debugged.push(`[D${level}] ${message}`),
  };
}

const toNut = (lookup: HidLookup, value: number, c: HidConversionContext = ctx()): string | undefined => lookupToNut(lookup, value, c);
const device = (vendorId: number, productId: number, vendor?: string, product?: string): HidDeviceIdentity => ({ vendorId, productId, vendor, product, serial: "S1" });

let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = "UTC";
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});
beforeEach(resetMgeState);

describe("model names (get_model_name / mge_format_model)", () => {
  test("the table's name and family, else iProduct + iModel", () => {
    expect(mgeModelName("Eaton 5P", "650")).toBe("5P 650");
    expect(mgeState.type).toBe(EATON_5P);
    expect(mgeModelName("Ellipse MAX", "850")).toBe("Ellipse MAX 850");
    expect(mgeState.type).toBe(MGE_DEFAULT_OFFLINE);
    expect(mgeModelName("Evolution", "650")).toBe("Evolution 650");
    expect(mgeState.type).toBe(MGE_EVOLUTION_650);
    expect(mgeModelName("Evolution", "3000XL")).toBe("Pulsar Evolution 3000 XL");
    expect(mgeState.type).toBe(MGE_DEFAULT);
    // the Eaton'ified "EX 3000 XL" is filed under Pulsar M 3000 in 2.8.0's table
    expect(mgeModelName("EX", "3000 XL")).toBe("EX 3000 XL");
    expect(mgeState.type).toBe(MGE_PULSAR_M_3000);
    // matching is case-sensitive
    expect(mgeModelName("Protection Station", "650")).toBe("Protection Station 650");
    expect(mgeState.type).toBe(MGE_PEGASUS);
    resetMgeState();
    expect(mgeModelName("ellipse", "650")).toBe("ellipse 650");
    expect(mgeState.type).toBe(MGE_DEFAULT);
  });

  test("debug lines name every entry compared", () => {
    const lines: string[] = [];
    mgeModelName("ELLIPSE", "500", (level, m) => lines.push(`${level} ${m}`));
    expect(lines).toEqual(["2 get_model_name(ELLIPSE, 500)\n", "2 comparing with: ellipse 300", "2 comparing with: ellipse 500"]);
  });

  const reader = (strings: Record<string, string>, values: Record<string, number> = {}): HidDeviceReader => ({
    itemString: (path) => strings[path] ?? "",
    itemValue: (path) => values[path],
  });

  test("iModel, the ConfigApparentPower fallback, Dell and a missing iProduct", () => {
    const eaton = device(0x0463, 0xffff, "EATON", "Eaton 5P");
    expect(mgeFormatModel(eaton, reader({ "UPS.PowerSummary.iModel": "650" }))).toBe("5P 650");
    const evolution = device(0x0463, 0xffff, "MGE UPS SYSTEMS", "Evolution");
    expect(mgeFormatModel(evolution, reader({}, { "UPS.Flow.[4].ConfigApparentPower": 1500.7 }))).toBe("Pulsar Evolution 1500");
    expect(mgeFormatModel(evolution, reader({}))).toBe("Evolution");
    expect(mgeFormatModel(evolution)).toBe("Evolution");
    expect(mgeFormatModel(device(0x0463, 0xffff, "EATON", undefined), reader({ "UPS.PowerSummary.iModel": "850" }))).toBe("unknown 850");
    expect(mgeFormatModel(device(0x0463, 0xffff, "EATON", undefined), reader({}))).toBeUndefined();
    const dell = device(0x047c, 0xffff, "Dell", "Dell UPS Tower 1000W");
    expect(mgeFormatModel(dell, reader({ "UPS.PowerSummary.iModel": "1000" }))).toBe("Dell UPS Tower 1000W");
  });

  test("manufacturer defaults to Eaton, serial as read", () => {
    expect(MGE_SUBDRIVER.formatMfr(device(0x0463, 0xffff, undefined, "x"))).toBe("Eaton");
    expect(MGE_SUBDRIVER.formatMfr(device(0x0463, 0xffff, "MGE UPS SYSTEMS", "x"))).toBe("MGE UPS SYSTEMS");
    expect(MGE_SUBDRIVER.formatSerial(device(0x0463, 0xffff))).toBe("S1");
  });
});

describe("conversions", () => {
  test("ups.type, sensitivity-like tables and the fixed-point ones", () => {
    expect(toNut(MGE_UPSTYPE_CONVERSION, 1)).toBe("offline / line interactive");
    expect(toNut(MGE_UPSTYPE_CONVERSION, 4)).toBe("online - parallel with hot standy");
    expect(toNut(MGE_UPSTYPE_CONVERSION, 6)).toBeUndefined();
    expect(toNut(MGE_POWERFACTOR_CONVERSION, 53)).toBe("0.53");
    expect(toNut(MGE_BATTERY_CAPACITY, 32400)).toBe("9.00");
  });

  test("battery voltage (nominal) only for Evolution, Pulsar M and 5P; Evolution 650 is 12 V", () => {
    expect(toNut(MGE_BATTERY_VOLTAGE, 13.7)).toBeUndefined();
    expect(toNut(MGE_BATTERY_VOLTAGE_NOMINAL, 12)).toBeUndefined();
    mgeState.type = EATON_5P;
    expect(toNut(MGE_BATTERY_VOLTAGE, 13.7)).toBe("13.7");
    expect(toNut(MGE_BATTERY_VOLTAGE_NOMINAL, 12)).toBe("12");
    mgeState.type = MGE_EVOLUTION_650;
    expect(toNut(MGE_BATTERY_VOLTAGE_NOMINAL, 24)).toBe("12");
    mgeState.type = MGE_EVOLUTION_850;
    expect(toNut(MGE_BATTERY_VOLTAGE_NOMINAL, 24)).toBe("24");
  });

  test("ABM enabled: the charger mode gives battery.charger.status and chrg/dischrg; plain flags only clear", () => {
    const c = ctx();
    expect(toNut(EATON_ABM_ENABLED_INFO, 1, c)).toBeUndefined();
    expect(mgeState.abm).toBe(ABM_ENABLED);
    expect(c.debugged).toEqual(["[D2] ABM is enabled"]);
    expect([1, 2, 3, 4, 5, 6].map((v) => toNut(EATON_ABM_STATUS_INFO, v))).toEqual(["charging", "discharging", "floating", "resting", undefined, "off"]);
    expect([1, 2, 3, 4, 6].map((v) => toNut(EATON_ABM_CHRG_DISCHRG_INFO, v))).toEqual(["chrg", "dischrg", "chrg", undefined, undefined]);
    expect(toNut(EATON_CHARGING_INFO, 1)).toBe("!chrg");
    expect(toNut(EATON_DISCHARGING_INFO, 1)).toBe("!dischrg");
  });

  test("ABM disabled: battery.charger.status is withdrawn and the plain flags count", () => {
    toNut(EATON_ABM_ENABLED_INFO, 0);
    expect(mgeState.abm).toBe(ABM_DISABLED);
    const c = ctx();
    expect(toNut(EATON_ABM_STATUS_INFO, 3, c)).toBeUndefined();
    expect(c.deleted).toEqual(["battery.charger.status"]);
    expect(toNut(EATON_ABM_CHRG_DISCHRG_INFO, 1)).toBeUndefined();
    expect(toNut(EATON_CHARGING_INFO, 1)).toBe("chrg");
    expect(toNut(EATON_CHARGING_INFO, 0)).toBe("!chrg");
    expect(toNut(EATON_DISCHARGING_INFO, 1)).toBe("dischrg");
  });

  test("ABM unknown (no ABMEnable usage): the plain flags never set chrg/dischrg, as in 2.8.0", () => {
    expect(toNut(EATON_CHARGING_INFO, 1)).toBe("!chrg");
    expect(toNut(EATON_ABM_STATUS_INFO, 1)).toBe("charging");
  });

  test("timers: DelayBefore* of -1 (no countdown) print as -1", () => {
    const rows = MGE_HID2NUT.filter((r) => r.name.startsWith("ups.timer."));
    expect(rows.map((r) => [r.name, r.format])).toEqual([
      ["ups.timer.start", "%.0f"],
      ["ups.timer.shutdown", "%.0f"],
      ["ups.timer.reboot", "%.0f"],
    ]);
    expect(formatHidValue("%.0f", -1)).toBe("-1");
  });

  test("ups.date / ups.time from Unix time (local time) and back through the other half", () => {
    const c = ctx({ "ups.time": "22:13:20", "ups.date": "2023/11/14" });
    expect(toNut(MGE_DATE_CONVERSION, 1700000000)).toBe("2023/11/14");
    expect(toNut(MGE_TIME_CONVERSION, 1700000000)).toBe("22:13:20");
    expect(lookupFromNut(MGE_DATE_CONVERSION, "2023/11/14", c)).toBe(1700000000);
    expect(lookupFromNut(MGE_TIME_CONVERSION, "22:13:20", c)).toBe(1700000000);
    expect(lookupFromNut(MGE_DATE_CONVERSION, "2024/01/02", c)).toBe(1704233600);
    // a year below 1000 does not give 10 characters: not published
    const bad = ctx();
    expect(toNut(MGE_DATE_CONVERSION, -50000000000, bad)).toBeUndefined();
    expect(bad.debugged).toEqual(["[D3] mge_date_conversion_fun: can't compute date -5e+10"]);
    // strptime refuses month 13; without ups.time published "(null)" does not parse: 0 is written
    expect(lookupFromNut(MGE_DATE_CONVERSION, "2023/13/01", c)).toBe(0);
    expect(lookupFromNut(MGE_DATE_CONVERSION, "2023/11/14", ctx())).toBe(0);
    expect(parseLocalDateTime("1970/01/01  00:00:00")).toBe(0);
    expect(parseLocalDateTime("1970/1/1 0:0:0")).toBe(0);
    expect(parseLocalDateTime("1970-01-01 00:00:00")).toBeUndefined();
  });

  test("computed real power: load x nominal x 0.80, output.powerfactor taken with atoi", () => {
    const c = ctx({ "ups.load": "21", "ups.power.nominal": "650" });
    expect(toNut(EATON_COMPUTE_REALPOWER_INFO, 650, c)).toBe("109");
    expect(c.debugged).toEqual(["[D1] eaton_compute_realpower_fun(109)"]);
    expect(toNut(EATON_COMPUTE_REALPOWER_INFO, 650, ctx({ "ups.load": "21", "ups.power.nominal": "650", "output.powerfactor": "0.53" }))).toBe("0");
    expect(toNut(EATON_COMPUTE_REALPOWER_INFO, 650, ctx({ "ups.load": "50", "ups.power.nominal": "1000", "output.powerfactor": "1.00" }))).toBe("500");
    expect(toNut(EATON_COMPUTE_REALPOWER_INFO, 650, ctx({ "ups.load": "21" }))).toBeUndefined();
  });

  test("Pegasus-only values: Protection Station / Ellipse ECO, and 3S outside Europe", () => {
    expect(toNut(PEGASUS_THRESHOLD_INFO, 25)).toBeUndefined();
    expect(toNut(PEGASUS_YES_NO_INFO, 1)).toBeUndefined();
    expect(lookupFromNut(PEGASUS_YES_NO_INFO, "yes")).toBe(0);
    mgeState.type = MGE_PEGASUS;
    expect(toNut(PEGASUS_THRESHOLD_INFO, 25)).toBe("25");
    expect(toNut(PEGASUS_YES_NO_INFO, 0)).toBe("no");
    expect(toNut(PEGASUS_YES_NO_INFO, 1)).toBe("yes");
    expect(lookupFromNut(PEGASUS_YES_NO_INFO, "yes")).toBe(1);
    expect(lookupFromNut(PEGASUS_YES_NO_INFO, "no")).toBe(0);
    // no nuf on the threshold table: SET goes by the entries' text
    expect(lookupFromNut(PEGASUS_THRESHOLD_INFO, "60")).toBe(60);
    // 3S (0x110) masks to the Pegasus family (0x100), so 2.8.0 never reaches its Europe check
    mgeState.type = MGE_3S;
    expect(toNut(EATON_CHECK_COUNTRY_INFO, COUNTRY_EUROPE)).toBeUndefined();
    expect(mgeState.country).toBe(COUNTRY_EUROPE);
    expect(toNut(PEGASUS_THRESHOLD_INFO, 10)).toBe("10");
    toNut(EATON_CHECK_COUNTRY_INFO, COUNTRY_US);
    expect(mgeState.country).toBe(COUNTRY_US);
    expect(toNut(PEGASUS_THRESHOLD_INFO, 10)).toBe("10");
    mgeState.type = EATON_5P;
    expect(toNut(PEGASUS_THRESHOLD_INFO, 10)).toBeUndefined();
  });

  test("nominal output voltage: the first value read fixes the settable range", () => {
    const accepted = (): string[] => NOMINAL_OUTPUT_VOLTAGE_INFO.entries.filter(([v]) => toNut(NOMINAL_OUTPUT_VOLTAGE_INFO, v) !== undefined).map(([, t]) => t);
    mgeState.type = EATON_5P;
    expect(toNut(NOMINAL_OUTPUT_VOLTAGE_INFO, 230)).toBe("230");
    expect(accepted()).toEqual(["200", "208", "220", "230", "240"]);
    resetMgeState();
    mgeState.type = MGE_DEFAULT_OFFLINE;
    toNut(NOMINAL_OUTPUT_VOLTAGE_INFO, 230);
    expect(accepted()).toEqual(["220", "230", "240"]);
    resetMgeState();
    mgeState.type = MGE_DEFAULT_OFFLINE;
    toNut(NOMINAL_OUTPUT_VOLTAGE_INFO, 208);
    expect(accepted()).toEqual(["200", "208"]);
    resetMgeState();
    toNut(NOMINAL_OUTPUT_VOLTAGE_INFO, 120);
    expect(accepted()).toEqual(["100", "110", "120", "127"]);
    resetMgeState();
    const c = ctx();
    expect(toNut(NOMINAL_OUTPUT_VOLTAGE_INFO, 150, c)).toBe("150");
    expect(c.debugged).toEqual(["[D3] nominal_output_voltage_fun: can't autodetect settable voltages from 150"]);
  });

  test("converter online is ignored while the UPS is off", () => {
    expect(toNut(EATON_CONVERTER_ONLINE_INFO, 1)).toBe("online");
    expect(toNut(EATON_CONVERTER_ONLINE_INFO, 0)).toBe("!online");
    expect(toNut(EATON_CONVERTER_ONLINE_INFO, 1, ctx({}, ["off"]))).toBeUndefined();
  });
});

describe("claim rules and tables", () => {
  test("Phoenixtec 06da:ffff only for AEG; HP and Dell only with productid; others get the notice", () => {
    expect(MGE_SUBDRIVER.claimSupported?.(device(0x06da, 0xffff, "AEG", "PROTECT NAS"))).toBe(true);
    expect(MGE_SUBDRIVER.claimSupported?.(device(0x06da, 0xffff, "Phoenixtec", "UPS"))).toBe(false);
    expect(MGE_SUBDRIVER.claimSupported?.(device(0x0463, 0xffff))).toBe(true);
    const lines: string[] = [];
    const debug = (level: number, m: string): void => void lines.push(`${level} ${m}`);
    const possibly = MGE_SUBDRIVER.claimPossibly!;
    expect(possibly(device(0x03f0, 0x1234), false, debug)).toBe(false);
    expect(possibly(device(0x047c, 0x1234), true, debug)).toBe(true);
    expect(possibly(device(0x06da, 0x0002, undefined, "AEG PROTECT B"), false, debug)).toBe(true);
    expect(possibly(device(0x06da, 0x0002, "Liebert"), true, debug)).toBe(false);
    expect(possibly(device(0x0463, 0x0002), true, debug)).toBe(true);
    expect(lines).toEqual([]);
    expect(possibly(device(0x0463, 0x0002), false, debug)).toBe(false);
    expect(lines.length).toBe(1);
    expect(lines[0]).toStartWith("0 This Eaton / MGE device (0463:0002) is not (or perhaps not yet) supported\nby usbhid-ups.");
    expect(lines[0]).toContain("'-x productid=0002' option.");
  });

  test("2.8.0's USB IDs, usage names and table size", () => {
    expect(MGE_SUBDRIVER.name).toBe("MGE HID 1.46");
    expect(MGE_SUBDRIVER.usbIds.map((id) => `${id.vendorId.toString(16)}:${id.productId.toString(16)}`)).toEqual([
      "463:1", "463:ffff", "47c:ffff", "592:4", "3f0:1fe5", "3f0:1fe6", "3f0:1fe7", "3f0:1fe8", "2b2d:ffff", "6da:ffff", "4b3:1",
    ]);
    expect(MGE_USAGE_TABLE.length).toBe(145);
    expect(stringToPath("UPS.BatterySystem.Charger.ABMEnable", MGE_USAGE_TABLE).path).toEqual([0x00840004, 0x00840010, 0x00840014, 0xffff0087]);
    // Eaton's names come first where the generic table has the same one
    expect(stringToPath("Undefined", MGE_USAGE_TABLE).path).toEqual([0xffff0000]);
    expect(MGE_HID2NUT.length).toBe(198);
    expect(MGE_HID2NUT.filter((r) => r.flags & HU_TYPE_CMD).length).toBe(19);
    expect(MGE_HID2NUT[0]?.name).toBe("device.country");
    expect(MGE_HID2NUT.find((r) => r.name === "ups.date")?.stateFlags).toBe(ST_FLAG_RW | ST_FLAG_STRING);
  });
});

describe("the MGE table over the simulator's Eaton 5P descriptor", () => {
  /** Feature reports (ID byte first); any other report reads as zeros. */
  function setup(overrides: Record<number, number[]> = {}) {
    const data = new Map<number, number[]>(
      Object.entries({
        0x01: [0x01, 1, 2, 3, 4, 5, 6], // string indexes: mfr, product, serial, chemistry, iModel, iVersion
        0x0c: [0x0c, 12], // PowerSummary.ConfigVoltage
        0x0d: [0x0d, 137, 0], // PowerSummary.Voltage 13.7 V
        0x0f: [0x0f, 0xff, 0xff], // DelayBeforeShutdown -1
        0x12: [0x12, 2], // AudibleAlarmControl: enabled
        0x15: [0x15, 0x11, 0x09], // ACPresent, FullyCharged, Good, Switchable
        0x20: [0x20, 0x90, 0x7e], // DesignCapacity 32400 As
        0x25: [0x25, 1], // ABMEnable
        0x26: [0x26, 3], // Charger.Mode floating
        0x34: [0x34, 0x10], // Input.[1].PresentStatus.Used
        0x46: [0x46, 53], // PowerFactor
        0x4f: [0x4f, 1], // ConverterType
        0x52: [0x52, 230, 0], // Flow.[4].ConfigVoltage
        0x63: [0x63, 0x03], // Outlet.[2]: SwitchOn/Off, Switchable
        ...overrides,
      }).map(([id, bytes]) => [Number(id), bytes]),
    );
    const sets: number[][] = [];
    const io: HidReportIo = {
      getFeatureReport: (id, length) => {
        const bytes = data.get(id) ?? [id];
        return Uint8Array.from({ length }, (_, i) => bytes[i] ?? 0);
      },
      setFeatureReport: (id, bytes) => {
        sets.push([...bytes]);
        data.set(id, [...bytes]);
        return bytes.length;
      },
      interruptRead: () => ({ code: "TIMEOUT", message: "timeout" }),
    };
    const log = new MemoryNutLog();
    const state = new DriverState(log);
    const desc = parseReportDescriptor(readDescriptor("sim-eaton"));
    let now = 1000;
    const cache = new HidReportCache(desc, io, undefined, () => now);
    const strings: Record<number, string> = { 1: "EATON", 2: "Eaton 5P", 3: "G355H1234", 4: "PbAc", 5: "650", 6: "02.14.0026" };
    const reader = hidDeviceReader(desc.items, MGE_USAGE_TABLE, cache, (i) => strings[i]);
    const mapper = new HidUpsMapper(MGE_SUBDRIVER, desc.items, cache, state, log, { stringDescriptor: (i) => strings[i], getInfo: (n) => state.getInfo(n) });
    return { state, mapper, reader, sets, data, tick: (s: number) => (now += s) };
  }

  const statusOf = (state: DriverState, mapper: HidUpsMapper): string | undefined => {
    state.statusInit();
    mapper.status.publish(state, "t", false, () => undefined);
    state.statusCommit();
    return state.getInfo("ups.status");
  };

  test("model from iModel, then INIT walk values, flags and enums as 2.8.0 publishes them", () => {
    const { state, mapper, reader } = setup();
    expect(reader.itemString("UPS.PowerSummary.iModel")).toBe("650");
    expect(MGE_SUBDRIVER.formatModel(device(0x0463, 0xffff, "EATON", "Eaton 5P"), reader)).toBe("5P 650");
    expect(mapper.walk("init")).toBe(true);
    const get = (n: string) => state.tree.get(n);
    expect(state.getInfo("ups.type")).toBe("offline / line interactive");
    expect(state.getInfo("battery.charger.status")).toBe("floating");
    expect(state.getInfo("battery.voltage")).toBe("13.7");
    expect(state.getInfo("battery.voltage.nominal")).toBe("12");
    expect(state.getInfo("battery.capacity")).toBe("9.00");
    expect(state.getInfo("battery.type")).toBe("PbAc");
    expect(state.getInfo("ups.firmware")).toBe("02.14.0026");
    expect(state.getInfo("output.powerfactor")).toBe("0.53");
    expect(state.getInfo("ups.timer.shutdown")).toBe("-1");
    expect(state.getInfo("ups.beeper.status")).toBe("enabled");
    expect(state.getInfo("outlet.1.status")).toBe("on");
    expect(state.getInfo("outlet.1.switchable")).toBe("yes");
    expect(state.getInfo("outlet.2.status")).toBe("off");
    expect(state.getInfo("device.country")).toBeUndefined();
    expect(get("output.voltage.nominal")).toMatchObject({ value: "230", flags: ST_FLAG_RW | ST_FLAG_STRING, aux: 3, enums: ["200", "208", "220", "230", "240"] });
    expect(get("ups.shutdown")).toMatchObject({ value: "enabled", flags: ST_FLAG_RW | ST_FLAG_STRING, aux: 10, enums: ["disabled", "enabled"] });
    expect(get("ups.delay.shutdown")).toMatchObject({ value: "20", flags: ST_FLAG_RW | ST_FLAG_STRING, aux: 10 });
    expect(state.tree.commands()).toEqual(expect.arrayContaining(["test.battery.start.quick", "load.off.delay", "shutdown.reboot", "beeper.mute", "outlet.1.load.off"]));
    expect(statusOf(state, mapper)).toBe("OL CHRG");
  });

  test("switching ABM off withdraws battery.charger.status; the Charging flag then counts", () => {
    const { state, mapper, data, tick } = setup();
    mapper.walk("init");
    expect(statusOf(state, mapper)).toBe("OL CHRG");
    data.set(0x25, [0x25, 0]);
    data.set(0x15, [0x15, 0x01, 0x09]); // ACPresent, Good, Switchable; not charging
    tick(10);
    mapper.walk("quick");
    expect(state.getInfo("battery.charger.status")).toBeUndefined();
    expect(statusOf(state, mapper)).toBe("OL");
    data.set(0x15, [0x15, 0x03, 0x09]); // Charging
    tick(10);
    mapper.walk("quick");
    expect(statusOf(state, mapper)).toBe("OL CHRG");
  });

  test("on battery with ABM: Input.[1] not used and the charger discharging", () => {
    const { state, mapper } = setup({ 0x15: [0x15, 0x0c, 0x09], 0x34: [0x34, 0x04], 0x26: [0x26, 2] });
    mapper.walk("init");
    expect(state.getInfo("battery.charger.status")).toBe("discharging");
    expect(statusOf(state, mapper)).toBe("OB DISCHRG LB");
    expect(state.getInfo("input.transfer.reason")).toBe("input voltage out of range");
  });

  test("SET of an enumerated nominal voltage and of ups.shutdown goes out by the table", async () => {
    const { mapper, sets } = setup();
    mapper.walk("init");
    expect(await mapper.setVar("output.voltage.nominal", "208")).toBe(STAT_HANDLED);
    expect(await mapper.setVar("ups.shutdown", "disabled")).toBe(STAT_HANDLED);
    expect(sets[0]).toEqual([0x52, 208, 0]);
    expect(sets[1]?.[0]).toBe(0x15);
    // Switchable is bit 11 of report 0x15
    expect(((sets[1]?.[2] ?? 0) >> 3) & 1).toBe(0);
  });
});
