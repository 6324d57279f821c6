import { describe, expect, test } from "bun:test";
import { jsonEscape, jsonQuote } from "./json-text.ts";

describe("json-text", () => {
  test("escapes as json_print_esc(): short escapes, \\u00XX for other controls, the rest as it is", () => {
    expect(jsonEscape('a"b\\c')).toBe('a\\"b\\\\c');
    expect(jsonEscape("\b\f\n\r\t")).toBe("\\b\\f\\n\\r\\t");
    expect(jsonEscape("\u0001\u001f")).toBe("\\u0001\\u001f");
    expect(jsonEscape("\u007f é €")).toBe("\u007f é €");
    expect(jsonQuote("x y")).toBe('"x y"');
  });

  test("what it writes parses back to the same text", () => {
    let all = "";
    for (let c = 0; c < 0x300; c++) all += String.fromCharCode(c);
    expect(JSON.parse(jsonQuote(all))).toBe(all);
  });
});
