import { describe, expect, test } from "bun:test";
import { NutProtocolError } from "../protocol/net-error.ts";
import type { ListingClient } from "./command-listing.ts";
import { type RwVariableReport, classifyRwType, fetchRwListing, rwVariableText, rwVariableView } from "./rw-listing.ts";

describe("classifyRwType() walks the TYPE words as do_type()", () => {
  const cases: [string[], ReturnType<typeof classifyRwType>][] = [
    [["RW", "STRING:20"], { unrecognized: [], block: { kind: "string", maxLength: 20n } }],
    [["RW", "NUMBER"], { unrecognized: [], block: { kind: "number" } }],
    [["RW", "ENUM", "NUMBER"], { unrecognized: [], block: { kind: "enum", base: "NUMBER", maxLength: 0n } }],
    [["rw", "enum", "string:8"], { unrecognized: [], block: { kind: "enum", base: "STRING", maxLength: 8n } }],
    [["RW", "RANGE", "NUMBER"], { unrecognized: [], block: { kind: "range" } }],
    [["RW", "ENUM"], { unrecognized: [], block: { kind: "enum", base: "NONE", maxLength: 0n } }],
    [["FOO", "RW", "BAR", "NUMBER", "BAZ"], { unrecognized: ["FOO", "BAR"], block: { kind: "number" } }],
    [["RW"], { unrecognized: [], block: { kind: "none" } }],
    [["STRING:abc"], { unrecognized: [], block: { kind: "string", maxLength: 0n } }],
    [["STRING:99999999999999999999"], { unrecognized: [], block: { kind: "string", maxLength: 9223372036854775807n } }],
  ];
  for (const [words, expected] of cases) test(words.join(" "), () => expect(classifyRwType(words)).toEqual(expected));
});

const report = (over: Partial<RwVariableReport> & { type: RwVariableReport["type"] }): RwVariableReport => ({
  name: "x.y",
  description: "Some variable",
  value: undefined,
  ...over,
});

describe("rwVariableText() prints each block as 2.8.0", () => {
  test("the captured 2.8.0 listing of RANGE, ENUM and STRING variables", () => {
    const high = report({
      name: "input.transfer.high",
      description: "High voltage transfer point (V)",
      type: classifyRwType(["RW", "RANGE", "NUMBER"]),
      value: "260",
      list: { ok: true, items: [["RANGE", "fake", "input.transfer.high", "250", "270"], ["RANGE", "fake", "input.transfer.high", "280", "290"]] },
    });
    const low = report({
      name: "input.transfer.low",
      description: "Low voltage transfer point (V)",
      type: classifyRwType(["RW", "ENUM", "NUMBER"]),
      value: "180",
      list: { ok: true, items: ["170", "180", "190"].map((v) => ["ENUM", "fake", "input.transfer.low", v]) },
    });
    const id = report({ name: "ups.id", description: "UPS system identifier", type: classifyRwType(["RW", "STRING:20"]), value: 'a"b\\c' });
    expect([high, low, id].map((r) => rwVariableText(r).text).join("")).toBe(
      "[input.transfer.high]\nHigh voltage transfer point (V)\nType: RANGE NUMBER\n" +
        'Option: "250-270" SELECTED\nOption: "280-290"\n\n' +
        "[input.transfer.low]\nLow voltage transfer point (V)\nType: ENUM NUMBER\n" +
        'Option: "170"\nOption: "180" SELECTED\nOption: "190"\n\n' +
        '[ups.id]\nUPS system identifier\nType: STRING\nMaximum length: 20\nValue: a"b\\c\n\n',
    );
  });

  test("NUMBER, ENUM STRING with its length, old-upsd ENUM, unrecognized words, unknown type, no description", () => {
    expect(rwVariableText(report({ type: classifyRwType(["RW", "NUMBER"]), value: "5" })).text).toBe("[x.y]\nSome variable\nType: NUMBER\nValue: 5\n\n");
    const enumString = report({ type: classifyRwType(["RW", "ENUM", "STRING:3"]), value: "b", list: { ok: true, items: [["ENUM", "u", "x.y", "a"], ["ENUM", "u", "x.y", "b"]] } });
    expect(rwVariableText(enumString).text).toBe('[x.y]\nSome variable\nType: ENUM STRING\nMaximum length: 3\nOption: "a"\nOption: "b" SELECTED\n\n');
    const oldEnum = report({ type: classifyRwType(["RW", "ENUM"]), value: "a", list: { ok: true, items: [] } });
    expect(rwVariableText(oldEnum).text).toBe("[x.y]\nSome variable\nType: ENUM\n\n");
    expect(rwVariableText(report({ type: classifyRwType(["RW", "ODD"]) })).text).toBe("[x.y]\nSome variable\nType: ODD (unrecognized)\n\n");
    expect(rwVariableText(report({ type: undefined, description: undefined })).text).toBe("[x.y]\nDescription unavailable\nUnknown type\n\n");
  });

  test("RANGE bounds and the current value are read with atoi()", () => {
    const r = report({
      type: classifyRwType(["RANGE"]),
      value: "12abc",
      list: { ok: true, items: [["RANGE", "u", "x.y", "10x", "4294967308"], ["RANGE", "u", "x.y", "-3", "junk"]] },
    });
    expect(rwVariableText(r).text).toBe('[x.y]\nSome variable\nType: RANGE NUMBER\nOption: "10-12" SELECTED\nOption: "-3-0"\n\n');
  });

  test("fatals cut the text where 2.8.0 exits", () => {
    const noValue = rwVariableText(report({ type: classifyRwType(["X", "STRING:4"]) }));
    expect(noValue.text).toBe("[x.y]\nSome variable\nType: X (unrecognized)\n");
    expect(noValue.fatal?.message).toBe("do_string: can't get current value of x.y");
    for (const [words, fn] of [[["NUMBER"], "do_number"], [["ENUM", "NUMBER"], "do_enum"], [["RANGE"], "do_range"]] as const) {
      expect(rwVariableText(report({ type: classifyRwType([...words]) })).fatal?.message).toBe(`${fn}: can't get current value of x.y`);
    }
    const refused = rwVariableText(report({ type: classifyRwType(["ENUM", "NUMBER"]), value: "1", list: { ok: false, error: new NutProtocolError("DATA-STALE") } }));
    expect(refused).toMatchObject({ text: "[x.y]\nSome variable\n" });
    expect(refused.fatal?.message).toBe("Error: Data stale");
    const shortEnum = rwVariableText(report({ type: classifyRwType(["ENUM", "NUMBER"]), value: "1", list: { ok: true, items: [["ENUM", "u", "x.y", "1"], ["ENUM", "u", "x.y"]] } }));
    expect(shortEnum.text).toBe('[x.y]\nSome variable\nType: ENUM NUMBER\nOption: "1" SELECTED\n');
    expect(shortEnum.fatal?.message).toBe("Error: insufficient data (got 3 args, need at least 4)");
    // 2.8.0 checks for 5 words but reports 4
    const shortRange = rwVariableText(report({ type: classifyRwType(["RANGE"]), value: "1", list: { ok: true, items: [["RANGE", "u", "x.y", "1"]] } }));
    expect(shortRange.fatal?.message).toBe("Error: insufficient data (got 4 args, need at least 4)");
  });
});

describe("rwVariableView() resolves the same data for -j", () => {
  test("labels, lengths, options and ranges", () => {
    expect(rwVariableView(report({ type: classifyRwType(["RW", "ENUM", "STRING:3"]), value: "b", list: { ok: true, items: [["ENUM", "u", "x.y", "a"]] } }))).toMatchObject({
      typeLabel: "ENUM STRING",
      maxLength: 3n,
      value: "b",
      options: ["a"],
    });
    expect(rwVariableView(report({ type: classifyRwType(["RANGE"]), value: "1", list: { ok: true, items: [["RANGE", "u", "x.y", "0", "9"]] } }))).toMatchObject({
      typeLabel: "RANGE NUMBER",
      ranges: [{ min: 0, max: 9 }],
    });
    const none = rwVariableView(report({ type: classifyRwType(["RW"]) }));
    expect(none.typeLabel).toBeUndefined();
    expect(none.value).toBeUndefined();
  });

  test("the text's fatals are thrown", () => {
    expect(() => rwVariableView(report({ type: classifyRwType(["NUMBER"]) }))).toThrow("do_number: can't get current value of x.y");
    expect(() => rwVariableView(report({ type: classifyRwType(["RANGE"]), value: "1", list: { ok: false, error: new NutProtocolError("ACCESS-DENIED") } }))).toThrow(
      "Error: Access denied",
    );
  });
});

describe("fetchRwListing()", () => {
  const lists: Record<string, string[][]> = {
    "RW u": [["RW", "u", "a.num", "1"], ["RW", "u", "b.enum", "x"], ["RW", "u", "c.gone", "1"]],
    "ENUM u b.enum": [["ENUM", "u", "b.enum", "x"], ["ENUM", "u", "b.enum", "y"]],
  };
  const gets: Record<string, string[]> = {
    "DESC u a.num": ["DESC", "u", "a.num", "A number"],
    "TYPE u a.num": ["TYPE", "u", "a.num", "RW", "NUMBER"],
    "VAR u a.num": ["VAR", "u", "a.num", "1"],
    "DESC u b.enum": ["DESC", "u", "b.enum", "An enum"],
    "TYPE u b.enum": ["TYPE", "u", "b.enum", "RW", "ENUM", "STRING:4"],
    "VAR u b.enum": ["VAR", "u", "b.enum", "x"],
    "TYPE u c.gone": ["TYPE", "u", "c.gone", "RW", "STRING:3"],
  };
  const client: ListingClient = {
    list: async (q) => {
      const r = lists[q.join(" ")];
      if (r === undefined) throw new NutProtocolError("UNKNOWN-UPS");
      return r;
    },
    get: async (q) => {
      const r = gets[q.join(" ")];
      if (r === undefined) throw new NutProtocolError("VAR-NOT-SUPPORTED");
      return r;
    },
  };

  test("reads what each variable's type needs, in list order", async () => {
    const reports = await fetchRwListing(client, "u");
    expect(reports.map((r) => rwVariableText(r))).toEqual([
      { text: "[a.num]\nA number\nType: NUMBER\nValue: 1\n\n" },
      { text: '[b.enum]\nAn enum\nType: ENUM STRING\nMaximum length: 4\nOption: "x" SELECTED\nOption: "y"\n\n' },
      expect.objectContaining({ text: "[c.gone]\nDescription unavailable\n" }),
    ]);
  });

  test("LIST RW refused or short", async () => {
    await expect(fetchRwListing(client, "nope")).rejects.toThrow("Error: Unknown UPS");
    const short: ListingClient = { ...client, list: async () => [["RW", "u", "a.b"]] };
    await expect(fetchRwListing(short, "u")).rejects.toThrow("Error: insufficient data (got 3 args, need at least 4)");
  });
});
