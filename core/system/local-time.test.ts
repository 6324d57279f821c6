import { describe, expect, test } from "bun:test";
import { LocalTimeZone } from "./local-time.ts";

/** A zone-file reader over a fixed set of files; anything else is missing. */
function files(map: Record<string, string>): (path: string) => Uint8Array {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return Buffer.from(text, "latin1");
  };
}

/** A minimal version 2 TZif file without transitions: one type, then the footer. */
function tzif(abbr: string, utoff: number, footer: string): string {
  const header = (typecnt: number, charcnt: number): string => `TZif2${"\0".repeat(15)}${"\0\0\0\0".repeat(4)}${u32(typecnt)}${u32(charcnt)}`;
  const u32 = (n: number): string => String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  const block = `${header(1, abbr.length + 1)}${u32(utoff)}\0\0${abbr}\0`;
  return `${block}${block}\n${footer}\n`;
}

const localtime = (env: Record<string, string | undefined>, t: number, read: (path: string) => Uint8Array) => {
  const tm = LocalTimeZone.fromEnvironment(env, read).localtime(t);
  return `${tm.year}-${tm.month + 1}-${tm.mday} ${tm.hour}:${tm.minute}:${tm.second} wday=${tm.wday} yday=${tm.yday} ${tm.zone} ${tm.utcOffset}${tm.isDst ? " dst" : ""}`;
};

describe("localtime() with the zone glibc's tzset() picks", () => {
  const read = files({
    "/etc/localtime": tzif("JST", 32400, "JST-9"),
    "/usr/share/zoneinfo/Universal": tzif("UTC", 0, "UTC0"),
    "/usr/share/zoneinfo/Europe/Paris": tzif("CET", 3600, "CET-1CEST,M3.5.0,M10.5.0/3"),
    "/zones/Europe/Paris": tzif("PAR", 3600, "PAR-1"),
    "/abs/zone": tzif("ABS", -7200, "ABS2"),
  });
  test("TZ unset: /etc/localtime", () => {
    expect(localtime({}, 1700000000, read)).toBe("2023-11-15 7:13:20 wday=3 yday=318 JST 32400");
  });
  test("TZ empty: the Universal zone file", () => {
    expect(localtime({ TZ: "" }, 1700000000, read)).toBe("2023-11-14 22:13:20 wday=2 yday=317 UTC 0");
  });
  test("a zone name under /usr/share/zoneinfo, or under TZDIR; a leading colon is dropped", () => {
    // a file without transitions: its first type, whatever its footer says (glibc)
    expect(localtime({ TZ: "Europe/Paris" }, 1719835200, read)).toBe("2024-7-1 13:0:0 wday=1 yday=182 CET 3600");
    expect(localtime({ TZ: ":Europe/Paris" }, 1719835200, read)).toBe("2024-7-1 13:0:0 wday=1 yday=182 CET 3600");
    expect(localtime({ TZ: "Europe/Paris", TZDIR: "/zones" }, 1719835200, read)).toBe("2024-7-1 13:0:0 wday=1 yday=182 PAR 3600");
  });
  test("an absolute path", () => {
    expect(localtime({ TZ: "/abs/zone" }, 0, read)).toBe("1969-12-31 22:0:0 wday=3 yday=364 ABS -7200");
  });
  test("no such zone file: TZ read as a POSIX string", () => {
    expect(localtime({ TZ: "<+0530>-5:30" }, 0, read)).toBe("1970-1-1 5:30:0 wday=4 yday=0 +0530 19800");
  });
  test("no /etc/localtime: UTC named UTC", () => {
    expect(localtime({}, 0, files({}))).toBe("1970-1-1 0:0:0 wday=4 yday=0 UTC 0");
    expect(localtime({ TZ: ":" }, 0, files({}))).toBe("1970-1-1 0:0:0 wday=4 yday=0 UTC 0");
  });
  test("fractions of a second are dropped", () => {
    expect(LocalTimeZone.utc().localtime(59.9).second).toBe(59);
  });
});
