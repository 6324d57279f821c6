/**
 * The generic value lookups of usbhid-ups.c (NUT 2.8.0): the boolean tables that feed the
 * internal status words (§6.4 of our usbhid spec) and the conversion functions every subdriver
 * shares (§7). Pure data and functions; stringid asks the device through the context.
 */
import type { HidLookup, HidValueFunction, HidValueTable } from "./hid-subdriver.ts";
import { formatFixed } from "./hid-printf.ts";

const table = (entries: readonly (readonly [number, string])[]): HidValueTable => ({ kind: "table", entries });
const flag = (word: string): HidValueTable => table([[1, word], [0, `!${word}`]]);

export const ONLINE_INFO = flag("online");
export const DISCHARGING_INFO = flag("dischrg");
export const CHARGING_INFO = flag("chrg");
export const LOWBATT_INFO = flag("lowbatt");
export const OVERLOAD_INFO = flag("overload");
export const REPLACEBATT_INFO = flag("replacebatt");
export const TRIM_INFO = flag("trim");
export const BOOST_INFO = flag("boost");
export const BYPASS_AUTO_INFO = flag("bypassauto");
export const BYPASS_MANUAL_INFO = flag("bypassman");
export const CALIBRATION_INFO = flag("cal");
export const FANFAIL_INFO = flag("fanfail");
export const SHUTDOWNIMM_INFO = flag("shutdownimm");
export const OVERHEAT_INFO = flag("overheat");
export const AWAITINGPOWER_INFO = flag("awaitingpower");
export const COMMFAULT_INFO = flag("commfault");
export const TIMELIMITEXPIRED_INFO = flag("timelimitexp");
export const BATTVOLTLO_INFO = flag("battvoltlo");
export const BATTVOLTHI_INFO = flag("battvolthi");
export const CHARGERFAIL_INFO = flag("chargerfail");
export const DEPLETED_INFO = flag("depleted");
export const VRANGE_INFO = flag("vrange");
export const FRANGE_INFO = flag("frange");
/** Reported as "being off" so that devices without the usage count as on. */
export const OFF_INFO = table([[0, "off"], [1, "!off"]]);
/** Reported as "no battery" so that devices without BatteryPresent have one. */
export const NOBATTERY_INFO = table([[1, "!nobattery"], [0, "nobattery"]]);
/** 2.8.0: 0 clears fullycharged (no notfullycharged word yet). */
export const FULLYCHARGED_INFO = table([[1, "fullycharged"], [0, "!fullycharged"]]);

export const TEST_WRITE_INFO = table([[0, "No test"], [1, "Quick test"], [2, "Deep test"], [3, "Abort test"]]);
export const TEST_READ_INFO = table([
  [1, "Done and passed"],
  [2, "Done and warning"],
  [3, "Done and error"],
  [4, "Aborted"],
  [5, "In progress"],
  [6, "No test initiated"],
  [7, "Test scheduled"],
]);
export const BEEPER_INFO = table([[1, "disabled"], [2, "enabled"], [3, "muted"]]);
export const YES_NO_INFO = table([[0, "no"], [1, "yes"]]);
export const ON_OFF_INFO = table([[0, "off"], [1, "on"]]);

/** C's `(long)double`: truncation toward zero. */
export const cLong = (value: number): number => Math.trunc(value);

/** glibc sscanf("%04d/%02d/%02d"): up to 4, 2, 2 digits with the slashes; unread fields stay 0 here. */
export function scanDate(text: string): [number, number, number] {
  const m = /^\s*([+-]?\d{1,4})(?:\/\s*([+-]?\d{1,2})(?:\/\s*([+-]?\d{1,2}))?)?/.exec(text);
  return [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0), Number(m?.[3] ?? 0)];
}

const pad = (n: number, width: number): string => (n < 0 ? `-${String(-n).padStart(width - 1, "0")}` : String(n).padStart(width, "0"));

/** date_conversion: FAT-style date (days 0–4, months 5–8, years since 1980 from bit 9). */
export const DATE_CONVERSION: HidValueFunction = {
  kind: "function",
  toNut(value) {
    const v = cLong(value);
    if (v === 0) return "not set";
    return `${pad(1980 + (v >> 9), 4)}/${pad((v >> 5) & 0x0f, 2)}/${pad(v & 0x1f, 2)}`;
  },
  fromNut(text) {
    const [year, month, day] = scanDate(text);
    if (year - 1980 > 127 || month > 12 || day > 31) return 0;
    return ((year - 1980) << 9) + (month << 5) + day;
  },
};

/** hex_conversion: `%08lx`. */
export const HEX_CONVERSION: HidValueFunction = {
  kind: "function",
  toNut: (value) => BigInt.asUintN(64, BigInt(cLong(value))).toString(16).padStart(8, "0"),
};

/** stringid_conversion: the value is a string descriptor index; NUT reads it into 20 bytes. */
export const STRINGID_CONVERSION: HidValueFunction = {
  kind: "function",
  toNut(value, ctx) {
    const text = ctx.stringDescriptor(Math.trunc(value)) ?? "";
    return text.slice(0, 19).replace(/\n$/, "");
  },
};

export const DIVIDE_BY_10_CONVERSION: HidValueFunction = { kind: "function", toNut: (value) => formatFixed(value * 0.1, 1) };

/** kelvin_celsius_conversion: 273..373 is taken as Kelvin, anything else as already °C. */
export const KELVIN_CELSIUS_CONVERSION: HidValueFunction = {
  kind: "function",
  toNut: (value) => formatFixed(value >= 273 && value <= 373 ? value - 273.15 : value, 1),
};

/** hu_find_infoval(): text for a HID value, undefined when the lookup has none. */
export function lookupToNut(lookup: HidLookup, value: number, ctx: Parameters<HidValueFunction["toNut"]>[1]): string | undefined {
  if (lookup.kind === "function") return lookup.toNut(value, ctx);
  if (lookup.toNut !== undefined) return lookup.toNut(value, ctx);
  const v = cLong(value);
  for (const [hid, nut] of lookup.entries) if (hid === v) return nut;
  return undefined;
}

/** hu_find_valinfo(): HID value for a text, -1 when nothing matches (2.8.0 writes that -1). */
export function lookupFromNut(lookup: HidLookup, text: string, ctx: Parameters<HidValueFunction["toNut"]>[1] = { stringDescriptor: () => undefined }): number {
  if (lookup.kind === "function") return lookup.fromNut ? lookup.fromNut(text, ctx) : -1;
  if (lookup.fromNut !== undefined) return lookup.fromNut(text, ctx);
  for (const [hid, nut] of lookup.entries) if (nut === text) return hid;
  return -1;
}
