/**
 * POSIX TZ strings (`CET-1CEST,M3.5.0,M10.5.0/3`, `<+0530>-5:30`, `EST5EDT`) read and applied
 * the way glibc's tzset.c does it (__tzset_parse_tz, parse_tzname, parse_offset, parse_rule,
 * compute_change, __tz_compute): they are the TZ environment variable when it names no zone
 * file, and the footer of a TZif file for times after its last transition. Pure: no I/O.
 */

/** One zone state: its abbreviation, seconds east of UTC, and whether it is daylight time. */
export interface ZoneState {
  abbreviation: string;
  /** Seconds east of UTC (tm_gmtoff). */
  utcOffset: number;
  isDst: boolean;
}

/** When a change happens: `Jn` (1-365, no Feb 29), `n` (0-365), or `Mm.w.d`. */
type RuleDate = { kind: "julian1"; day: number } | { kind: "julian0"; day: number } | { kind: "month"; month: number; week: number; weekday: number };

/** glibc's tz_rule: a zone name and offset, and the date and local time of the change into it. */
interface TzRule {
  name: string;
  offset: number;
  date: RuleDate;
  /** Local time of day of the change, in seconds (default 02:00). */
  secs: number;
}

/** A parsed TZ string: standard time (rule 0, with the change into DST) and DST (rule 1, the change back). */
export interface PosixTz {
  std: TzRule;
  dst: TzRule;
  /** False when the string names no DST: every time is standard time. */
  hasDst: boolean;
}

const SECS_PER_DAY = 86400;
/** compute_change() for a zone without rules: both changes at the same instant, so never DST. */
const NO_CHANGE: RuleDate = { kind: "julian0", day: 0 };

/** glibc's parse_tzname(): three or more letters, or `<…>` of letters, digits, `+` and `-`. */
function parseName(tz: string, at: number): { name: string; end: number } | undefined {
  let p = at;
  while (p < tz.length && /[A-Za-z]/.test(tz[p]!)) p++;
  if (p - at >= 3) return { name: tz.slice(at, p), end: p };
  if (tz[at] !== "<") return undefined;
  p = at + 1;
  while (p < tz.length && /[A-Za-z0-9+-]/.test(tz[p]!)) p++;
  if (tz[p] !== ">" || p - (at + 1) < 3) return undefined;
  return { name: tz.slice(at + 1, p), end: p + 1 };
}

/** sscanf("%hu%n:%hu%n:%hu%n"): up to three `:`-separated numbers, stopping where one is missing. */
function scanHms(tz: string, at: number): { parts: number[]; end: number } {
  const parts: number[] = [];
  let p = at;
  for (let i = 0; i < 3; i++) {
    const start = i === 0 ? p : p + 1;
    if (i > 0 && tz[p] !== ":") break;
    const m = /^\d+/.exec(tz.slice(start));
    if (!m) break;
    parts.push(Number(m[0]) % 65536);
    p = start + m[0].length;
  }
  return { parts, end: p };
}

/** glibc's compute_offset(): minutes and seconds capped at 59, hours at 24. */
function hmsSeconds(parts: readonly number[]): number {
  const [hh = 0, mm = 0, ss = 0] = parts;
  return Math.min(ss, 59) + Math.min(mm, 59) * 60 + Math.min(hh, 24) * 3600;
}

/** parse_offset(): `[+-]hh[:mm[:ss]]`, west-positive as POSIX writes it, returned east-positive. */
function parseOffset(tz: string, at: number, isStd: boolean): { offset?: number; end: number } | undefined {
  const c = tz[at];
  if (isStd && (c === undefined || (c !== "+" && c !== "-" && !/\d/.test(c)))) return undefined;
  let p = at;
  let sign = -1;
  if (c === "+" || c === "-") {
    sign = c === "-" ? 1 : -1;
    p++;
  }
  const scanned = scanHms(tz, p);
  if (scanned.parts.length === 0) return isStd ? undefined : { end: p };
  return { offset: sign * hmsSeconds(scanned.parts), end: scanned.end };
}

/** parse_rule(): `,Jn`, `,n` or `,Mm.w.d`, then `/[-]hh[:mm[:ss]]`; none at all means the US rules. */
function parseRule(tz: string, at: number, which: 0 | 1): { date: RuleDate; secs: number; end: number } | undefined {
  let p = at + (tz[at] === "," ? 1 : 0);
  let date: RuleDate;
  const c = tz[p];
  if (c === "J" || (c !== undefined && /\d/.test(c))) {
    const julian1 = c === "J";
    if (julian1) p++;
    const m = /^\d+/.exec(tz.slice(p));
    const day = m ? Number(m[0]) : 0;
    if (m) p += m[0].length;
    // glibc: a day out of range makes the whole rule invalid
    if (julian1 ? day < 1 || day > 365 : day > 365) return undefined;
    date = julian1 ? { kind: "julian1", day } : { kind: "julian0", day };
  } else if (c === "M") {
    const m = /^M(\d+)\.(\d+)\.(\d+)/.exec(tz.slice(p));
    if (!m) return undefined;
    const month = Number(m[1]);
    const week = Number(m[2]);
    const weekday = Number(m[3]);
    if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) return undefined;
    date = { kind: "month", month, week, weekday };
    p += m[0].length;
  } else if (c === undefined) {
    // the U.S. rules since 2007 (M3.2.0,M11.1.0), glibc's default when no rule is given
    date = which === 0 ? { kind: "month", month: 3, week: 2, weekday: 0 } : { kind: "month", month: 11, week: 1, weekday: 0 };
  } else {
    return undefined;
  }
  let secs = 2 * 3600;
  const after = tz[p];
  if (after !== undefined && after !== "/" && after !== ",") return undefined;
  if (after === "/") {
    p++;
    if (p >= tz.length) return undefined;
    const negative = tz[p] === "-";
    if (negative) p++;
    const scanned = scanHms(tz, p);
    // glibc starts from 02:00:00 and overwrites only the fields it reads
    const hh = scanned.parts[0] ?? 2;
    const mm = scanned.parts[1] ?? 0;
    const ss = scanned.parts[2] ?? 0;
    secs = (negative ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
    p = scanned.end;
  }
  return { date, secs, end: p };
}

/**
 * __tzset_parse_tz(): what glibc makes of a TZ string. A string without a valid standard name
 * is unnamed UTC; a name without a valid offset is UTC under that name; a DST name without rules
 * gets the U.S. rules (glibc would take them from the `posixrules` zone file, which is New York's:
 * the same rules for every year since 2007).
 */
export function parsePosixTz(tz: string): PosixTz {
  const std: TzRule = { name: "", offset: 0, date: NO_CHANGE, secs: 0 };
  const dst: TzRule = { name: "", offset: 0, date: NO_CHANGE, secs: 0 };
  const result: PosixTz = { std, dst, hasDst: false };
  const stdName = parseName(tz, 0);
  if (!stdName) return result;
  std.name = stdName.name;
  const stdOffset = parseOffset(tz, stdName.end, true);
  if (!stdOffset || stdOffset.offset === undefined) return result;
  std.offset = stdOffset.offset;
  let p = stdOffset.end;
  if (p >= tz.length) {
    dst.name = std.name;
    dst.offset = std.offset;
    return result;
  }
  const dstName = parseName(tz, p);
  if (!dstName) return result;
  dst.name = dstName.name;
  const dstOffset = parseOffset(tz, dstName.end, false);
  p = dstOffset?.end ?? dstName.end;
  dst.offset = dstOffset?.offset ?? std.offset + 3600;
  result.hasDst = true;
  const start = parseRule(tz, p, 0);
  if (!start) return result;
  std.date = start.date;
  std.secs = start.secs;
  const end = parseRule(tz, start.end, 1);
  if (!end) return result;
  dst.date = end.date;
  dst.secs = end.secs;
  return result;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days before each month, normal and leap years (glibc's __mon_yday). */
const MON_YDAY = [
  [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365],
  [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366],
] as const;

/** C's `/` on ints: truncation toward zero. */
const cdiv = (a: number, b: number): number => Math.trunc(a / b);

/** compute_change(): the UTC instant of a rule's change in `year`. */
function changeTime(rule: TzRule, year: number): number {
  let t = 0;
  if (year > 1970) {
    const leapDays = cdiv(year - 1, 4) - cdiv(1970, 4) - (cdiv(year - 1, 100) - cdiv(1970, 100)) + (cdiv(year - 1, 400) - cdiv(1970, 400));
    t = ((year - 1970) * 365 + leapDays) * SECS_PER_DAY;
  }
  const date = rule.date;
  switch (date.kind) {
    case "julian1":
      t += (date.day - 1) * SECS_PER_DAY;
      if (date.day >= 60 && isLeap(year)) t += SECS_PER_DAY;
      break;
    case "julian0":
      t += date.day * SECS_PER_DAY;
      break;
    case "month": {
      const days = MON_YDAY[isLeap(year) ? 1 : 0];
      t += days[date.month - 1]! * SECS_PER_DAY;
      // Zeller's congruence: the weekday of the month's first day
      const m1 = ((date.month + 9) % 12) + 1;
      const yy0 = date.month <= 2 ? year - 1 : year;
      const yy1 = cdiv(yy0, 100);
      const yy2 = yy0 % 100;
      let dow = (cdiv(26 * m1 - 2, 10) + 1 + yy2 + cdiv(yy2, 4) + cdiv(yy1, 4) - 2 * yy1) % 7;
      if (dow < 0) dow += 7;
      let d = date.weekday - dow;
      if (d < 0) d += 7;
      const monthLength = days[date.month]! - days[date.month - 1]!;
      for (let i = 1; i < date.week; i++) {
        if (d + 7 >= monthLength) break;
        d += 7;
      }
      t += d * SECS_PER_DAY;
      break;
    }
  }
  return t - rule.offset + rule.secs;
}

/** The UTC year of an instant (glibc passes __offtime(timer, 0)'s year to compute_change). */
function utcYear(epochSeconds: number): number {
  return new Date(epochSeconds * 1000).getUTCFullYear();
}

/** __tz_compute(): the zone state at an instant, southern-hemisphere rules (DST across New Year) included. */
export function posixTzState(tz: PosixTz, epochSeconds: number): ZoneState {
  const year = utcYear(epochSeconds);
  const start = changeTime(tz.std, year);
  const end = changeTime(tz.dst, year);
  const isDst = start > end ? epochSeconds < end || epochSeconds >= start : epochSeconds >= start && epochSeconds < end;
  const rule = isDst ? tz.dst : tz.std;
  return { abbreviation: rule.name, utcOffset: rule.offset, isDst };
}
