// upsc's stdout formats: 2.8.0's plain lines and 2.8.5's -j JSON, the expected texts written out
// from clients/upsc.c (master) printf by printf.
import { describe, expect, test } from "bun:test";
import { UPSC_JSON, UPSC_PLAIN } from "./upsc-output.ts";

const VARS = [
  { name: "battery.charge", value: "100" },
  { name: "ups.mfr", value: 'A "quoted" \\ name' },
  { name: "ups.status", value: "OL CHRG" },
];

describe("plain output (NUT 2.8.0)", () => {
  test("one line per item, nothing on stdout for failures", () => {
    expect(UPSC_PLAIN.vars(VARS)).toBe('battery.charge: 100\nups.mfr: A "quoted" \\ name\nups.status: OL CHRG\n');
    expect(UPSC_PLAIN.vars(VARS.slice(0, 1), "insufficient data (got 3 args, need at least 4)")).toBe("battery.charge: 100\n");
    expect(UPSC_PLAIN.value("OL")).toBe("OL\n");
    expect(UPSC_PLAIN.value(undefined)).toBe("(null)\n");
    expect(UPSC_PLAIN.upses([{ name: "a", value: "Box A" }, { name: "b", value: "Description unavailable" }], false)).toBe("a\nb\n");
    expect(UPSC_PLAIN.upses([{ name: "a", value: "Box A" }], true)).toBe("a: Box A\n");
    expect(UPSC_PLAIN.clients(["127.0.0.1", "::1"])).toBe("127.0.0.1\n::1\n");
    expect(UPSC_PLAIN.fatal("Unknown UPS")).toBe("");
    expect(UPSC_PLAIN.varsRefused("Unknown UPS")).toBe("");
    expect(UPSC_PLAIN.vars([])).toBe("");
  });
});

describe("JSON output (-j, NUT 2.8.5+)", () => {
  test("variables: an object, two-space indent, `,\\n` between members, values escaped", () => {
    const text = UPSC_JSON.vars(VARS);
    expect(text).toBe('{\n  "battery.charge": "100",\n  "ups.mfr": "A \\"quoted\\" \\\\ name",\n  "ups.status": "OL CHRG"\n}\n');
    expect(JSON.parse(text)).toEqual({ "battery.charge": "100", "ups.mfr": 'A "quoted" \\ name', "ups.status": "OL CHRG" });
    // an empty list still prints the blank line between the braces
    expect(UPSC_JSON.vars([])).toBe("{\n\n}\n");
    expect(JSON.parse(UPSC_JSON.vars([]))).toEqual({});
  });

  test("one variable: a JSON string; a NULL value prints as the text null inside the quotes", () => {
    expect(UPSC_JSON.value('say "hi"\t')).toBe('"say \\"hi\\"\\t"\n');
    expect(JSON.parse(UPSC_JSON.value('say "hi"\t'))).toBe('say "hi"\t');
    expect(UPSC_JSON.value(undefined)).toBe('"null"\n');
  });

  test("-l: an array of names; -L: an object of names to descriptions", () => {
    const upses = [
      { name: "a", value: 'Box "A"' },
      { name: "b", value: "Description unavailable" },
    ];
    expect(UPSC_JSON.upses(upses, false)).toBe('[\n  "a",\n  "b"\n]\n');
    expect(UPSC_JSON.upses(upses, true)).toBe('{\n  "a": "Box \\"A\\"",\n  "b": "Description unavailable"\n}\n');
    expect(JSON.parse(UPSC_JSON.upses(upses, true))).toEqual({ a: 'Box "A"', b: "Description unavailable" });
    expect(UPSC_JSON.upses([], false)).toBe("[\n\n]\n");
  });

  test("-c: an array of addresses", () => {
    expect(UPSC_JSON.clients(["127.0.0.1", "::1"])).toBe('[\n  "127.0.0.1",\n  "::1"\n]\n');
    expect(JSON.parse(UPSC_JSON.clients([]))).toEqual([]);
  });

  test("failures outside a list: one error object on a line; the message escaped", () => {
    expect(UPSC_JSON.fatal("Unknown UPS")).toBe('{"error": "Unknown UPS"}\n');
    const usage = "invalid UPS definition.\nRequired format: upsname[@hostname[:port]]";
    expect(UPSC_JSON.fatal(usage)).toBe('{"error": "invalid UPS definition.\\nRequired format: upsname[@hostname[:port]]"}\n');
    expect(JSON.parse(UPSC_JSON.fatal(usage))).toEqual({ error: usage });
  });

  test("LIST VAR refused: the error as the member of the object opened before the request", () => {
    expect(UPSC_JSON.varsRefused("Data stale")).toBe('{\n  "error": "Data stale"\n}\n');
    expect(JSON.parse(UPSC_JSON.varsRefused("Driver not connected"))).toEqual({ error: "Driver not connected" });
  });

  test("a short item ends a list with upsc's error member (no comma before it, as upsc prints it)", () => {
    const msg = "insufficient data (got 3 args, need at least 4)";
    expect(UPSC_JSON.vars([], msg)).toBe(`{\n  "error": "${msg}"\n}\n`);
    expect(UPSC_JSON.vars(VARS.slice(0, 1), msg)).toBe(`{\n  "battery.charge": "100"  "error": "${msg}"\n}\n`);
    const m3 = "insufficient data (got 2 args, need at least 3)";
    expect(UPSC_JSON.upses([{ name: "a", value: "x" }], false, m3)).toBe(`[\n  "a"  {"error": "${m3}"\n}\n]\n`);
    expect(UPSC_JSON.upses([], true, m3)).toBe(`{\n  "error": "${m3}"\n}\n`);
    expect(UPSC_JSON.clients([], m3)).toBe(`[\n  {"error": "${m3}"\n}\n]\n`);
  });
});
