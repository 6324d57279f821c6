/**
 * C's strftime() as glibc implements it (time/strftime_l.c) in the C locale, which is what
 * NUT's C programs run in (upslog never calls setlocale): every conversion of C99 and POSIX plus
 * glibc's extensions (`%k %l %P %s`, flags `_ - 0 ^ #`, a field width, the `E`/`O` modifiers,
 * which the C locale answers with the plain forms), and glibc's handling of anything else
 * (an unknown conversion is copied as written, `%` at the end stays `%`). Pure: no I/O.
 */
import type { BrokenDownTime } from "../system/local-time.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

/** The C locale's composite formats (D_T_FMT, D_FMT, T_FMT, T_FMT_AMPM). */
const D_T_FMT = "%a %b %e %H:%M:%S %Y";
const D_FMT = "%m/%d/%y";
const T_FMT = "%H:%M:%S";
const T_FMT_AMPM = "%I:%M:%S %p";

/** Thrown when the output would not fit: glibc's strftime() then returns 0. */
class NoRoom extends Error {}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** glibc's iso_week_days(): days since the first day of the first ISO week of the year. */
function isoWeekDays(yday: number, wday: number): number {
  const bigEnoughMultipleOf7 = (Math.trunc(366 / 7) + 2) * 7;
  return yday - ((yday - wday + 4 + bigEnoughMultipleOf7) % 7) + 4 - 1;
}

/** C's `/` and `%` on ints (truncating toward zero). */
const cdiv = (a: number, b: number): number => Math.trunc(a / b);
const cmod = (a: number, b: number): number => a % b;

/** One conversion's flags as glibc collects them. */
interface Spec {
  /** `_`, `-`, `0`, or "" for none. */
  pad: string;
  width: number;
  upcase: boolean;
  lowcase: boolean;
}

/** Formats `format` for `tm`; throws NoRoom past `maxsize` (bytes, terminating NUL included). */
function render(format: string, tm: BrokenDownTime, maxsize: number): string {
  let out = "";
  const hour12 = tm.hour > 12 ? tm.hour - 12 : tm.hour === 0 ? 12 : tm.hour;

  /** glibc's add(): the text, after `width - length` pad characters (zeros for the `0` flag). */
  const add = (text: string, spec: Spec): void => {
    if (spec.width >= maxsize) throw new NoRoom();
    const delta = spec.width - text.length;
    if (delta > 0) out += (spec.pad === "0" ? "0" : " ").repeat(delta);
    out += text;
    if (out.length >= maxsize) throw new NoRoom();
  };
  /** glibc's cpy(): add() with the case conversion asked for (lower case wins). */
  const cpy = (text: string, spec: Spec): void => {
    add(spec.lowcase ? text.toLowerCase() : spec.upcase ? text.toUpperCase() : text, spec);
  };
  /** do_number_sign_and_padding: `digits` wide, zero- or space-padded as the flags say. */
  const number = (digitsMin: number, value: number, spec: Spec, spacePad = false): void => {
    if (spacePad && spec.pad !== "0" && spec.pad !== "-") spec.pad = "_";
    const digits = Math.max(digitsMin, spec.width);
    if (digits >= maxsize) throw new NoRoom();
    const negative = value < 0;
    let text = `${negative ? "-" : ""}${Math.abs(value)}`;
    if (spec.pad !== "-") {
      const padding = digits - text.length;
      if (padding > 0) {
        if (spec.pad === "_") {
          out += " ".repeat(padding);
          spec.width = spec.width > padding ? spec.width - padding : 0;
        } else {
          if (negative) {
            out += "-";
            text = text.slice(1);
          }
          out += "0".repeat(padding);
          spec.width = 0;
        }
      }
    }
    cpy(text, spec);
  };

  for (let f = 0; f < format.length; f++) {
    if (format[f] !== "%") {
      out += format[f];
      if (out.length >= maxsize) throw new NoRoom();
      continue;
    }
    const spec: Spec = { pad: "", width: -1, upcase: false, lowcase: false };
    let changeCase = false;
    for (;;) {
      const c = format[++f];
      if (c === "_" || c === "-" || c === "0") spec.pad = c;
      else if (c === "^") spec.upcase = true;
      else if (c === "#") changeCase = true;
      else break;
    }
    if (/[0-9]/.test(format[f] ?? "")) {
      spec.width = 0;
      while (/[0-9]/.test(format[f] ?? "")) {
        spec.width = Math.min(spec.width * 10 + Number(format[f]), 2 ** 31 - 1);
        f++;
      }
    }
    let modifier = "";
    if (format[f] === "E" || format[f] === "O") modifier = format[f++]!;
    const conversion = format[f];
    /**
     * bad_format: copied as written, from the nearest `%` at or before the current character
     * through it (so a `%` that ends a refused conversion is copied alone).
     */
    const badFormat = (): void => cpy(format.slice(format.lastIndexOf("%", f), f + 1), spec);
    /** A composite conversion: its own expansion, padded and upper-cased as a whole. */
    const subformat = (sub: string): void => {
      const text = render(sub, tm, Number.POSITIVE_INFINITY);
      add(spec.upcase ? text.toUpperCase() : text, spec);
    };
    const caseUp = (): void => {
      if (changeCase) {
        spec.upcase = true;
        spec.lowcase = false;
      }
    };
    switch (conversion) {
      case "%":
        if (modifier !== "") badFormat();
        else add("%", spec);
        break;
      case "a":
      case "A":
        if (modifier !== "") {
          badFormat();
          break;
        }
        caseUp();
        cpy(conversion === "a" ? DAYS[tm.wday]!.slice(0, 3) : DAYS[tm.wday]!, spec);
        break;
      case "b":
      case "h":
      case "B":
        // glibc applies `#` before refusing `E` for %b and %h, after it for %B
        if (conversion !== "B") caseUp();
        if (modifier === "E") {
          badFormat();
          break;
        }
        if (conversion === "B") caseUp();
        cpy(conversion === "B" ? MONTHS[tm.month]! : MONTHS[tm.month]!.slice(0, 3), spec);
        break;
      case "c":
        if (modifier === "O") badFormat();
        else subformat(D_T_FMT);
        break;
      case "C":
        number(1, cdiv(tm.year, 100) - (cmod(tm.year, 100) < 0 ? 1 : 0), spec);
        break;
      case "x":
        if (modifier === "O") badFormat();
        else subformat(D_FMT);
        break;
      case "D":
        if (modifier !== "") badFormat();
        else subformat("%m/%d/%y");
        break;
      case "d":
        if (modifier === "E") badFormat();
        else number(2, tm.mday, spec);
        break;
      case "e":
        if (modifier === "E") badFormat();
        else number(2, tm.mday, spec, true);
        break;
      case "F":
        if (modifier !== "") badFormat();
        else subformat("%Y-%m-%d");
        break;
      case "H":
        if (modifier === "E") badFormat();
        else number(2, tm.hour, spec);
        break;
      case "I":
        if (modifier === "E") badFormat();
        else number(2, hour12, spec);
        break;
      case "k":
        if (modifier === "E") badFormat();
        else number(2, tm.hour, spec, true);
        break;
      case "l":
        if (modifier === "E") badFormat();
        else number(2, hour12, spec, true);
        break;
      case "j":
        if (modifier === "E") badFormat();
        else number(3, tm.yday + 1, spec);
        break;
      case "M":
        if (modifier === "E") badFormat();
        else number(2, tm.minute, spec);
        break;
      case "m":
        if (modifier === "E") badFormat();
        else number(2, tm.month + 1, spec);
        break;
      case "n":
        add("\n", spec);
        break;
      case "P":
      case "p":
        if (conversion === "P") spec.lowcase = true;
        if (changeCase) {
          spec.upcase = false;
          spec.lowcase = true;
        }
        cpy(tm.hour > 11 ? "PM" : "AM", spec);
        break;
      case "R":
        subformat("%H:%M");
        break;
      case "r":
        subformat(T_FMT_AMPM);
        break;
      case "S":
        if (modifier === "E") badFormat();
        else number(2, tm.second, spec);
        break;
      case "s":
        // mktime() of a localtime() result: the instant itself; glibc pads it only as text
        cpy(String(tm.epochSeconds), spec);
        break;
      case "X":
        if (modifier === "O") badFormat();
        else subformat(T_FMT);
        break;
      case "T":
        subformat("%H:%M:%S");
        break;
      case "t":
        add("\t", spec);
        break;
      case "u":
        number(1, ((tm.wday - 1 + 7) % 7) + 1, spec);
        break;
      case "U":
        if (modifier === "E") badFormat();
        else number(2, cdiv(tm.yday - tm.wday + 7, 7), spec);
        break;
      case "V":
      case "g":
      case "G": {
        if (modifier === "E") {
          badFormat();
          break;
        }
        let year = tm.year;
        let days = isoWeekDays(tm.yday, tm.wday);
        if (days < 0) {
          year--;
          days = isoWeekDays(tm.yday + (365 + (isLeap(year) ? 1 : 0)), tm.wday);
        } else {
          const d = isoWeekDays(tm.yday - (365 + (isLeap(year) ? 1 : 0)), tm.wday);
          if (d >= 0) {
            year++;
            days = d;
          }
        }
        if (conversion === "g") number(2, ((year % 100) + 100) % 100, spec);
        else if (conversion === "G") number(1, year, spec);
        else number(2, cdiv(days, 7) + 1, spec);
        break;
      }
      case "W":
        if (modifier === "E") badFormat();
        else number(2, cdiv(tm.yday - ((tm.wday - 1 + 7) % 7) + 7, 7), spec);
        break;
      case "w":
        if (modifier === "E") badFormat();
        else number(1, tm.wday, spec);
        break;
      case "Y":
        if (modifier === "O") badFormat();
        else number(1, tm.year, spec);
        break;
      case "y":
        number(2, ((tm.year % 100) + 100) % 100, spec);
        break;
      case "Z":
        if (changeCase) {
          spec.upcase = false;
          spec.lowcase = true;
        }
        cpy(tm.zone, spec);
        break;
      case "z": {
        let diff = tm.utcOffset;
        if (diff < 0) {
          add("-", spec);
          diff = -diff;
        } else {
          add("+", spec);
        }
        diff = cdiv(diff, 60);
        number(4, cdiv(diff, 60) * 100 + (diff % 60), spec);
        break;
      }
      case undefined:
        // `%` (and flags) at the end of the format: copied as written
        f--;
        badFormat();
        break;
      default:
        badFormat();
        break;
    }
  }
  return out;
}

/**
 * strftime(buf, maxsize, format, tm): the text, or undefined where glibc returns 0 because the
 * text and its NUL do not fit in `maxsize` bytes (the buffer's content is then unspecified).
 */
export function strftime(format: string, tm: BrokenDownTime, maxsize: number): string | undefined {
  try {
    const text = render(format, tm, maxsize);
    return Buffer.byteLength(text) >= maxsize ? undefined : text;
  } catch (err) {
    if (err instanceof NoRoom) return undefined;
    throw err;
  }
}
