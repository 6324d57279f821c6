/**
 * The printf formats of hid2nut rows applied to a decoded double (`%.0f`, `%0.1f`, `%.2f`,
 * `%ld`, `%s` …), as glibc prints them. Only the conversions NUT's tables use are supported;
 * anything else is printed with `%g` semantics (never seen in 2.8.0's tables).
 */
import { formatPrintfG } from "./printf-g.ts";

const FIXED = /^%0?\.?(\d*)f$/;

/** glibc's `%.Nf`: exact decimal expansion of the double, rounded half to even. */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? (Math.sign(value) < 0 ? "-nan" : "nan") : value < 0 ? "-inf" : "inf";
  const text = value.toFixed(Math.min(digits, 100));
  // toFixed rounds the exact binary value half away from zero; glibc rounds exact ties to even.
  // A tie is only possible when the scaled value is exactly representable with a .5 fraction.
  const scaled = Math.abs(value) * 10 ** digits;
  if (digits <= 15 && Number.isSafeInteger(scaled * 2) && scaled % 1 === 0.5 && Math.abs(value) * 10 ** digits === scaled) {
    const down = Math.floor(scaled);
    const even = down % 2 === 0 ? down : down + 1;
    const magnitude = (even / 10 ** digits).toFixed(digits);
    return value < 0 || Object.is(value, -0) ? `-${magnitude}` : magnitude;
  }
  return text === "0" && Object.is(value, -0) ? "-0" : text;
}

/** Applies one row format to a double (`dstate_setinfo(name, fmt, value)`). */
export function formatHidValue(format: string, value: number): string {
  // a row whose "format" is a default value (APC's ups.delay.shutdown "20") prints as itself,
  // as printf() prints a format without conversions; a reconnect's INIT walk meets these
  if (!format.includes("%")) return format;
  const fixed = FIXED.exec(format);
  if (fixed) return formatFixed(value, fixed[1] === undefined || fixed[1] === "" ? 6 : Number(fixed[1]));
  if (format === "%d" || format === "%ld" || format === "%i") return String(Math.trunc(value));
  return formatPrintfG(value);
}
