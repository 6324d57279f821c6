import { describe, expect, test } from "bun:test";
import { cAtoi, cAtol, nutStrToInt, parseCLong } from "./c-numbers.ts";

describe("C number parsing", () => {
  test("cAtol: leading spaces, sign, digits, saturation", () => {
    expect(cAtol("  -42abc")).toBe(-42);
    expect(cAtol("+7")).toBe(7);
    expect(cAtol("abc")).toBe(0);
    expect(cAtol("")).toBe(0);
    expect(cAtol("99999999999999999999")).toBe(Number(2n ** 63n - 1n));
  });

  test("cAtoi wraps to 32 bits after strtol saturation, as glibc does", () => {
    expect(cAtoi("12")).toBe(12);
    expect(cAtoi("\t-3x")).toBe(-3);
    expect(cAtoi("4294967297")).toBe(1);
    expect(cAtoi("99999999999999999999")).toBe(-1);
    expect(cAtoi("- 5")).toBe(0);
  });
});
describe("parseCLong() and nutStrToInt()", () => {
  test("parseCLong reports whether digits were read and whether they were the whole word", () => {
    expect(parseCLong(" 15")).toEqual({ value: 15n, digits: true, exact: true });
    expect(parseCLong("15s")).toEqual({ value: 15n, digits: true, exact: false });
    expect(parseCLong("s")).toEqual({ value: 0n, digits: false, exact: false });
  });
  test("nutStrToInt accepts one whole int or nothing, as common/str.c str_to_int()", () => {
    expect(nutStrToInt(" 42 ")).toBe(42);
    expect(nutStrToInt("42x")).toBeUndefined();
    expect(nutStrToInt("")).toBeUndefined();
    expect(nutStrToInt("2147483648")).toBeUndefined();
    expect(nutStrToInt("-2147483648")).toBe(-2147483648);
  });
});
