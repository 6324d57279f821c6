import { describe, expect, test } from "bun:test";
import { HID_FIXTURE_CASES, readDescriptor } from "../../test/harness/hid-explore-fixture.ts";
import { parseReportDescriptor } from "./hid-report-descriptor.ts";
import {
  HID_GENERIC_USAGE_TABLE,
  HidPathLengthError,
  type UsageTable,
  pathToString,
  stringToPath,
  usageCode,
  usageName,
} from "./hid-usage-table.ts";

// a few entries of apc-hid.c's apc_usage_lkp (spec §11), enough to show the extra table wins
const APC_EXTRA: UsageTable = [
  ["APCGeneralCollection", 0xff860005],
  ["APCDelayBeforeReboot", 0xff86007c],
  ["APCStatusFlag", 0xff860060],
  ["BUPHibernate", 0x00850058],
];

describe("usage table", () => {
  test("generic table: NUT 2.8.0's 170 entries, pages 0x84 and 0x85 only", () => {
    expect(HID_GENERIC_USAGE_TABLE.length).toBe(170);
    for (const [, code] of HID_GENERIC_USAGE_TABLE) expect([0x84, 0x85]).toContain(code >>> 16);
    expect(usageName(0x00840004, undefined)).toBe("UPS");
    expect(usageName(0x00850066, undefined)).toBe("RemainingCapacity");
    expect(usageName(0x008400fd, undefined)).toBe("iManufacturer");
    expect(usageName(0x00840006, undefined)).toBeUndefined();
  });

  test("duplicate names resolve to the first entry (Undefined, VoltageOutOfRange)", () => {
    expect(usageCode("Undefined", undefined)).toBe(0x00840000);
    expect(usageCode("VoltageOutOfRange", undefined)).toBe(0x00840063);
    expect(usageName(0x008500d8, undefined)).toBe("VoltageOutOfRange");
  });

  test("name lookup is case-insensitive; the extra table is consulted first both ways", () => {
    expect(usageCode("remainingcapacity", undefined)).toBe(0x00850066);
    expect(usageCode("apcgeneralcollection", APC_EXTRA)).toBe(0xff860005);
    expect(usageCode("APCGeneralCollection", undefined)).toBeUndefined();
    expect(usageName(0x00850058, APC_EXTRA)).toBe("BUPHibernate");
    expect(usageName(0x00850058, undefined)).toBeUndefined();
  });
});

describe("path_to_string", () => {
  test("names, [n] index nodes, 8-digit lowercase hex for unknown nodes", () => {
    expect(pathToString([0x00840004, 0x00840024, 0x00850066], undefined)).toBe("UPS.PowerSummary.RemainingCapacity");
    expect(pathToString([0x00840004, 0x00840016, 0x0084001a, 0x00ff0001, 0x00840030], undefined)).toBe("UPS.PowerConverter.Input.[1].Voltage");
    expect(pathToString([0x00840004, 0xff860005, 0xff86007c], undefined)).toBe("UPS.ff860005.ff86007c");
    expect(pathToString([0x00840004, 0xff860005, 0xff86007c], APC_EXTRA)).toBe("UPS.APCGeneralCollection.APCDelayBeforeReboot");
    expect(pathToString([], undefined)).toBe("");
  });

  test("truncated to 127 characters like NUT's 128-byte buffer", () => {
    const long = pathToString(new Array<number>(20).fill(0x00850085), undefined);
    expect(long.length).toBe(127);
    expect(long.startsWith("ManufacturerDate.ManufacturerDate")).toBe(true);
  });
});

describe("string_to_path", () => {
  test("names, hex tokens, [n] tokens; empty tokens ignored", () => {
    expect(stringToPath("UPS.PowerSummary.RemainingCapacity", undefined)).toEqual({ path: [0x00840004, 0x00840024, 0x00850066], skipped: [] });
    expect(stringToPath("UPS.Battery.ff86001a", undefined).path).toEqual([0x00840004, 0x00840012, 0xff86001a]);
    expect(stringToPath("UPS.PowerConverter.Input.[3].Voltage", undefined).path).toEqual([0x00840004, 0x00840016, 0x0084001a, 0x00ff0003, 0x00840030]);
    expect(stringToPath("..UPS..Output.", undefined).path).toEqual([0x00840004, 0x0084001c]);
  });

  test("a name wins over a hex reading; unknown tokens are skipped (the path gets shorter)", () => {
    const table: UsageTable = [["Face", 0x12345678]];
    expect(stringToPath("Face.face", table).path).toEqual([0x12345678, 0x12345678]);
    expect(stringToPath("Face", undefined).path).toEqual([0x0000face]);
    expect(stringToPath("UPS.PowerSumary.Voltage", undefined)).toEqual({ path: [0x00840004, 0x00840030], skipped: ["PowerSumary"] });
  });

  test("hex above 32 bits and odd index tokens as NUT's strtol/atoi read them", () => {
    expect(stringToPath("1ffffffff", undefined)).toEqual({ path: [], skipped: ["1ffffffff"] });
    expect(stringToPath("0000000000ffffffff", undefined).path).toEqual([0xffffffff]);
    expect(stringToPath("[]", undefined).path).toEqual([0x00ff0000]);
    expect(stringToPath("[12]]", undefined).path).toEqual([0x00ff000c]);
    // atoi = (int)strtol: saturated LONG_MAX truncates to -1 (refused), others keep their low 32 bits
    expect(stringToPath("[99999999999999999999]", undefined)).toEqual({ path: [], skipped: ["[99999999999999999999]"] });
    expect(stringToPath("[99999999999]", undefined).path).toEqual([(0x00ff0000 + 0x4876e7ff) >>> 0]);
  });

  test("more than 255 components is NUT's fatal error", () => {
    expect(() => stringToPath(new Array(256).fill("a").join("."), undefined)).toThrow(HidPathLengthError);
    expect(stringToPath(new Array(255).fill("a").join("."), undefined).path.length).toBe(255);
  });

  test("every object path of the fixture descriptors survives text and back", () => {
    let checked = 0;
    for (const name of HID_FIXTURE_CASES) {
      for (const item of parseReportDescriptor(readDescriptor(name)).items) {
        for (const table of [undefined, APC_EXTRA]) {
          expect(stringToPath(pathToString(item.path, table), table).path).toEqual([...item.path]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
