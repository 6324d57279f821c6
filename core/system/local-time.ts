/**
 * C's localtime_r() as glibc computes it, for programs whose output carries local time
 * (upslog's `%TIME …%`): the zone comes from TZ as glibc's tzset() reads it (unset:
 * /etc/localtime; empty: UTC; a leading `:` dropped; a zone file under TZDIR or
 * /usr/share/zoneinfo, else a POSIX TZ string), so that the abbreviation and offset match what
 * NUT's C programs print, which JavaScript's Date and Intl do not give (`CET`, `IST`, `AEDT`,
 * POSIX strings like `<+03>-3`).
 */
import { readFileSync } from "node:fs";
import { type PosixTz, type ZoneState, parsePosixTz, posixTzState } from "./posix-tz.ts";
import { type TzifZone, parseTzif, tzifState } from "./tzif.ts";

/** struct tm with tm_gmtoff and tm_zone, and the instant it was made from (for `%s`). */
export interface BrokenDownTime {
  /** The full year (tm_year + 1900). */
  year: number;
  /** 0-11. */
  month: number;
  /** 1-31. */
  mday: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  wday: number;
  /** 0-365. */
  yday: number;
  isDst: boolean;
  /** Seconds east of UTC. */
  utcOffset: number;
  /** The zone abbreviation (tm_zone). */
  zone: string;
  /** The instant, in seconds since the Epoch. */
  epochSeconds: number;
}

/** glibc's TZDEFAULT and default TZDIR (Debian). */
const TZDEFAULT = "/etc/localtime";
const DEFAULT_TZDIR = "/usr/share/zoneinfo";

/** A time zone as glibc's localtime() applies it. */
export class LocalTimeZone {
  readonly #file: TzifZone | undefined;
  readonly #rule: PosixTz | undefined;

  private constructor(file: TzifZone | undefined, rule: PosixTz | undefined) {
    this.#file = file;
    this.#rule = rule;
  }

  /** UTC under the name `UTC` (glibc's zone when no zone file and no TZ string apply). */
  static utc(): LocalTimeZone {
    return new LocalTimeZone(undefined, parsePosixTz("UTC0"));
  }

  /** The zone of a POSIX TZ string alone. */
  static fromPosixString(tz: string): LocalTimeZone {
    return new LocalTimeZone(undefined, parsePosixTz(tz));
  }

  /** The zone of a TZif file's bytes, or undefined when they are not one. */
  static fromTzif(bytes: Uint8Array): LocalTimeZone | undefined {
    const zone = parseTzif(bytes);
    return zone ? new LocalTimeZone(zone, undefined) : undefined;
  }

  /**
   * tzset(): the zone the environment selects. `readFile` reads a zone file (default: the file
   * system; it may throw for a missing or unreadable one).
   */
  static fromEnvironment(
    env: Readonly<Record<string, string | undefined>>,
    readFile: (path: string) => Uint8Array = (path) => readFileSync(path),
  ): LocalTimeZone {
    let tz = env.TZ ?? TZDEFAULT;
    if (tz === "") tz = "Universal";
    if (tz.startsWith(":")) tz = tz.slice(1);
    if (tz !== "") {
      const tzdir = env.TZDIR !== undefined && env.TZDIR !== "" ? env.TZDIR : DEFAULT_TZDIR;
      const path = tz.startsWith("/") ? tz : `${tzdir}/${tz}`;
      try {
        const zone = LocalTimeZone.fromTzif(readFile(path));
        if (zone) return zone;
      } catch {
        // no such zone file: read TZ as a POSIX string below
      }
    }
    if (tz === "" || tz === TZDEFAULT) return LocalTimeZone.utc();
    return LocalTimeZone.fromPosixString(tz);
  }

  /** The zone state at an instant. */
  stateAt(epochSeconds: number): ZoneState {
    if (this.#file) return tzifState(this.#file, epochSeconds);
    return posixTzState(this.#rule!, epochSeconds);
  }

  /** localtime_r(): the broken-down local time of an instant (whole seconds). */
  localtime(epochSeconds: number): BrokenDownTime {
    const seconds = Math.floor(epochSeconds);
    const state = this.stateAt(seconds);
    const d = new Date((seconds + state.utcOffset) * 1000);
    const year = d.getUTCFullYear();
    const yday = Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000);
    return {
      year,
      month: d.getUTCMonth(),
      mday: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      wday: d.getUTCDay(),
      yday,
      isDst: state.isDst,
      utcOffset: state.utcOffset,
      zone: state.abbreviation,
      epochSeconds: seconds,
    };
  }
}
