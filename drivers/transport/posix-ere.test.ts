import { describe, expect, test } from "bun:test";
import { compileWholeMatchIcase, PosixRegexError, posixEreToJs } from "./posix-ere.ts";

describe("posixEreToJs", () => {
  test("ordinary ERE operators pass through", () => {
    expect(posixEreToJs("a(b|c)+d?.*$")).toBe("a(b|c)+d?.*$");
  });
  test("bracket expressions: classes, literal backslash, leading ]", () => {
    expect(compileWholeMatchIcase("[[:xdigit:]]{4}").test("05aF")).toBe(true);
    expect(compileWholeMatchIcase("[\\]+").test("\\\\")).toBe(true);
    expect(compileWholeMatchIcase("[]a]+").test("]a]")).toBe(true);
    expect(compileWholeMatchIcase("[^[:space:]]+").test("a b")).toBe(false);
    expect(compileWholeMatchIcase("[a-c-]+").test("b-a")).toBe(true);
  });
  test("escaped specials are literal; word edges map to \\b", () => {
    expect(compileWholeMatchIcase("FW:871\\.O4").test("fw:871.o4")).toBe(true);
    expect(compileWholeMatchIcase("FW:871\\.O4").test("fw:871xo4")).toBe(false);
    expect(compileWholeMatchIcase("\\<ups\\>.*").test("UPS 1")).toBe(true);
  });
  test("dot matches newline as in regcomp without REG_NEWLINE", () => {
    expect(compileWholeMatchIcase("a.b").test("a\nb")).toBe(true);
  });
  test("errors", () => {
    for (const bad of ["(", "[a", "[[:nope:]]", "a\\", "*a"]) expect(() => compileWholeMatchIcase(bad)).toThrow(PosixRegexError);
  });
});
