import { describe, expect, test } from "bun:test";
import { parsePosixTz, posixTzState } from "./posix-tz.ts";

/** `<abbreviation> <±hhmm>` at each instant, as glibc's localtime() + strftime("%Z %z") print it. */
function states(tz: string, instants: readonly number[]): string[] {
  const parsed = parsePosixTz(tz);
  return instants.map((t) => {
    const s = posixTzState(parsed, t);
    const minutes = Math.abs(s.utcOffset) / 60;
    const hhmm = String(Math.floor(minutes / 60) * 100 + (minutes % 60)).padStart(4, "0");
    return `${s.abbreviation} ${s.utcOffset < 0 ? "-" : "+"}${hhmm}${s.isDst ? " dst" : ""}`;
  });
}

// 2024-03-31 00:59:59Z / 01:00:00Z (EU spring change), 2024-10-27 00:59:59Z / 01:00:00Z (autumn)
const EU = [1711846799, 1711846800, 1729990799, 1729990800];

describe("POSIX TZ strings as glibc reads them", () => {
  test("M rules: the EU change at 01:00 UTC", () => {
    expect(states("CET-1CEST,M3.5.0,M10.5.0/3", EU)).toEqual(["CET +0100", "CEST +0200 dst", "CEST +0200 dst", "CET +0100"]);
  });

  test("southern hemisphere: DST across the new year", () => {
    // 2024-01-15 and 2024-07-15
    expect(states("AEST-10AEDT,M10.1.0,M4.1.0/3", [1705320000, 1721044800])).toEqual(["AEDT +1100 dst", "AEST +1000"]);
  });

  test("quoted names, minutes in the offset, no DST", () => {
    expect(states("<+0530>-5:30", [0, 1700000000])).toEqual(["+0530 +0530", "+0530 +0530"]);
  });

  test("a DST name without rules gets the U.S. rules (M3.2.0,M11.1.0)", () => {
    // 2023-07-10, 2023-11-14
    expect(states("ABC3DEF", [1689000000, 1700000000])).toEqual(["DEF -0200 dst", "ABC -0300"]);
  });

  test("J and n rules with negative and past-midnight times (glibc's answers)", () => {
    // 2024-03-01 03:59:59Z, 04:00:00Z; 2024-10-31 00:00:00Z
    expect(states("AAA3BBB,J60/1,J300/-1", [1709265599, 1709265600, 1730332800])).toEqual(["AAA -0300", "BBB -0200 dst", "AAA -0300"]);
    // n rules count from 0: day 10 is Jan 11, day 200 is Jul 19 (leap year: Jul 19 too, counting Feb 29)
    expect(states("CCC-2DDD,10,200/26", [1709265600, 1730332800, 1689000000])).toEqual(["DDD +0300 dst", "CCC +0200", "DDD +0300 dst"]);
    expect(states("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", [1711846799, 1711850400, 1689000000])).toEqual(["-03 -0300", "-02 -0200 dst", "-02 -0200 dst"]);
  });

  test("a name without an offset is UTC under that name; no valid name is unnamed UTC", () => {
    expect(states("XYZ", [1700000000])).toEqual(["XYZ +0000"]);
    expect(states("/nonexistent", [1700000000])).toEqual([" +0000"]);
    expect(states("AB-3", [1700000000])).toEqual([" +0000"]);
  });

  test("hours are capped at 24, minutes and seconds at 59", () => {
    expect(posixTzState(parsePosixTz("AAA-99:99:99"), 0).utcOffset).toBe(24 * 3600 + 59 * 60 + 59);
  });
});
