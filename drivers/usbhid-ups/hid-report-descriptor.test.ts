import { describe, expect, test } from "bun:test";
import {
  HID_FIXTURE_CASES,
  hasExplore,
  readDescriptor,
  readExplore,
} from "../../test/harness/hid-explore-fixture.ts";
import {
  HID_ITEM_FEATURE,
  HID_ITEM_INPUT,
  HID_ITEM_OUTPUT,
  type HidData,
  findObjectByIdNode,
  findObjectByPath,
  hidDataTypeName,
  parseReportDescriptor,
  reportBufferLength,
} from "./hid-report-descriptor.ts";
import { pathToString, stringToPath } from "./hid-usage-table.ts";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));

describe("parseReportDescriptor against NUT 2.8.0's explore output", () => {
  for (const name of HID_FIXTURE_CASES) {
    for (const kind of ["debian", "device"] as const) {
      if (!hasExplore(name, kind)) continue;
      test(`${name} (${kind})`, () => {
        const parsed = parseReportDescriptor(readDescriptor(name));
        const explore = readExplore(name, kind);
        expect(explore.objectCount).toBeGreaterThan(0);
        expect(parsed.error).toBeUndefined();
        expect(parsed.items.length).toBe(explore.objectCount);
        // the explore dump lists every object in descriptor order
        const ours = parsed.items.map((item) => ({
          path: pathToString(item.path, undefined),
          type: hidDataTypeName(item.type) as string,
          reportId: item.reportId,
          offset: item.offset,
          size: item.size,
        }));
        const theirs = explore.objects.map(({ path, type, reportId, offset, size }) => ({ path, type, reportId, offset, size }));
        expect(ours).toEqual(theirs);
        expect(parsed.log.map((l) => l.message)).toEqual([...explore.parserLog]);
        // the simulator answers GET_REPORT with the length asked for (descriptor length + 1);
        // real devices may answer shorter, so only the Debian runs pin report lengths
        if (kind === "debian") {
          expect(explore.reportBufferLength.size).toBeGreaterThan(0);
          for (const [id, length] of explore.reportBufferLength) expect(reportBufferLength(parsed, id)).toBe(length);
        }
      });
    }
  }
});

describe("parseReportDescriptor quirks (hidparser.c behaviour)", () => {
  test("report ID 0: every field at offset 0, report length of the largest field", () => {
    const parsed = parseReportDescriptor(readDescriptor("quirks-q2"));
    expect(parsed.items.map((i) => i.offset)).toEqual([0, 0, 0]);
    expect(parsed.reportLength[0]).toBe(1);
  });

  test("Report Count 0 gives 256 fields, the offset counter wraps at 256 bits", () => {
    const parsed = parseReportDescriptor(readDescriptor("quirks-q1"));
    const rid4 = parsed.items.filter((i) => i.reportId === 4);
    expect(rid4.length).toBe(1);
    expect(parsed.reportLength[4]).toBe(32);
  });

  test("usage-less fields make no object but count for the report length", () => {
    // rid 1: Voltage, Current (count 2), Frequency + 8-bit padding, then 16-bit constant field
    const parsed = parseReportDescriptor(readDescriptor("quirks-q1"));
    const rid1 = parsed.items.filter((i) => i.reportId === 1);
    expect(rid1.map((i) => [i.offset, i.size])).toEqual([[0, 8], [8, 8], [16, 8]]);
    expect(parsed.reportLength[1]).toBe(6);
  });

  test("signed ranges, LogMax < LogMin re-read unsigned, physical ranges, exponents", () => {
    const parsed = parseReportDescriptor(readDescriptor("quirks-q1"));
    const byName = (name: string): HidData => {
      const found = parsed.items.find((i) => pathToString(i.path, undefined) === `UPS.PowerSummary.${name}`);
      if (found === undefined) throw new Error(`no ${name}`);
      return found;
    };
    expect([byName("PercentLoad").logMin, byName("PercentLoad").logMax]).toEqual([-1, 127]);
    expect([byName("Temperature").logMin, byName("Temperature").logMax]).toEqual([0, 128]);
    expect(byName("Temperature").havePhyMin).toBe(false);
    expect([byName("Humidity").phyMin, byName("Humidity").phyMax, byName("Humidity").havePhyMax]).toEqual([0, 1000, true]);
    // `65 21 d1 f0 00`: a 1-byte Unit item (0x21); d1 (reserved tag) and 00 are ignored items
    expect([byName("ConfigVoltage").unitExp, byName("ConfigVoltage").unit]).toEqual([-2, 0x21]);
    expect(byName("ConfigCurrent").unitExp).toBe(5);
    // the long item (fe 02 aa 11 22) is skipped whole: ConfigFrequency follows
    expect(byName("ConfigFrequency").offset).toBe(80);
    expect(parsed.log).toEqual([
      {
        level: "warning",
        message: "HIDParse: LogMax is less than LogMin. Vendor HID report descriptor may be incorrect; interpreting LogMax -128 as 128 in ReportID: 0x02",
      },
    ]);
  });

  test("collection types >= 0x80 add an index node [n]; types Input/Output kept", () => {
    const parsed = parseReportDescriptor(readDescriptor("quirks-q1"));
    const paths = parsed.items.map((i) => `${pathToString(i.path, undefined)}/${hidDataTypeName(i.type)}`);
    expect(paths).toContain("UPS.Input.[1].Voltage/Input");
    expect(paths).toContain("UPS.Input.[1].Voltage/Output");
    expect(paths).toContain("UPS.Output.[2].Voltage/Feature");
  });

  test("unit exponent nibble and byte forms", () => {
    const items = (exp: string): number => {
      const p = parseReportDescriptor(hex(`05 84 09 04 a1 01 85 01 75 08 95 01 ${exp} 09 30 b1 02 c0`));
      return p.items[0]?.unitExp ?? NaN;
    };
    expect(items("55 0e")).toBe(-2);
    expect(items("55 fe")).toBe(-2);
    expect(items("55 07")).toBe(7);
    expect(items("55 08")).toBe(-8);
    expect(items("55 80")).toBe(-128);
    expect(items("56 34 12")).toBe(-12);
  });

  test("4-byte usage keeps its page; 1/2-byte usages take the current page", () => {
    const p = parseReportDescriptor(hex("05 84 0b 04 00 85 00 a1 01 0a 30 00 b1 02 c0"));
    expect(p.items[0]?.path).toEqual([0x00850004, 0x00840030]);
  });

  test("main item fields left over at the end of the descriptor are dropped, as NUT's loop ends", () => {
    const p = parseReportDescriptor(hex("05 84 85 01 75 08 95 02 09 30 09 31 b1 02"));
    expect(p.items.map((i) => i.path)).toEqual([[0x00840030]]);
  });

  test("more than 500 objects: 500 kept and NUT's error logged", () => {
    const body: string[] = ["05 84 85 01 75 01 95 01"];
    for (let i = 0; i < 501; i++) body.push("09 30 b1 02");
    const p = parseReportDescriptor(hex(body.join("")));
    expect(p.items.length).toBe(500);
    expect(p.log.at(-1)).toEqual({ level: "error", message: "ERROR in Parse_ReportDesc: Too many HID objects" });
  });

  test("no object: NUT's Parse_ReportDesc fails", () => {
    expect(parseReportDescriptor(new Uint8Array()).error).toBe("report descriptor holds no HID object");
    expect(parseReportDescriptor(hex("05 84 09 04 a1 01 c0")).items).toEqual([]);
  });

  test("malformed nesting stops with a partial result and a clear error", () => {
    const deep = parseReportDescriptor(hex(`05 84 85 01 75 08 95 01 09 30 b1 02 ${"09 04 a1 00".repeat(10)} 09 30 b1 02`));
    expect(deep.items.length).toBe(1);
    expect(deep.error).toMatch(/malformed report descriptor at byte \d+: HID path deeper than 10 nodes/);
    const extraEnd = parseReportDescriptor(hex("05 84 09 04 a1 01 85 01 75 08 95 01 09 30 b1 02 c0 c0"));
    expect(extraEnd.items.length).toBe(1);
    expect(extraEnd.error).toMatch(/End Collection without an open Collection/);
    const usages = parseReportDescriptor(hex(`05 84 ${"09 30".repeat(51)} b1 02`));
    expect(usages.error).toMatch(/more than 50 usages/);
  });

  test("a descriptor of 6144 bytes or more logs NUT's 'too big' error on every parse step", () => {
    const bytes = new Uint8Array(6144);
    bytes.set(hex("05 84 85 01 75 08 95 01 09 30 b1 02"));
    const p = parseReportDescriptor(bytes);
    expect(p.items.length).toBe(1);
    expect(p.log.map((l) => l.message)).toEqual(["HIDParse: Report descriptor too big", "HIDParse: Report descriptor too big"]);
  });
});

describe("object lookup", () => {
  const parsed = parseReportDescriptor(readDescriptor("hidups-sim"));

  test("FindObject_with_Path: first object of the type whose path starts with the request", () => {
    const voltage = stringToPath("UPS.PowerSummary.Voltage", undefined).path;
    expect(findObjectByPath(parsed.items, voltage, HID_ITEM_FEATURE)?.reportId).toBe(0x08);
    expect(findObjectByPath(parsed.items, voltage, HID_ITEM_INPUT)?.type).toBe(HID_ITEM_INPUT);
    expect(findObjectByPath(parsed.items, voltage, HID_ITEM_OUTPUT)).toBeUndefined();
    // prefix match: the shorter request finds the first Feature below UPS.PowerSummary
    const prefix = findObjectByPath(parsed.items, stringToPath("UPS.PowerSummary", undefined).path, HID_ITEM_FEATURE);
    expect(pathToString(prefix?.path ?? [], undefined)).toBe("UPS.PowerSummary.iManufacturer");
  });

  test("FindObject_with_ID_Node: object of a report whose last node is the usage", () => {
    const item = findObjectByIdNode(parsed.items, 0x22, 0x00840054);
    expect(pathToString(item?.path ?? [], undefined)).toBe("UPS.Input.HighVoltageTransfer");
    expect(findObjectByIdNode(parsed.items, 0x21, 0x00840054)).toBeUndefined();
  });
});
