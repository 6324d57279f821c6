import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { USB_HID_FIXTURES } from "../../test/harness/hid-explore-fixture.ts";
import { formatPrintfG } from "./printf-g.ts";

test("formatPrintfG matches C's %g (half-to-even on the exact value) for 1000+ doubles", () => {
  // pairs `repr(x) '%g' % x` generated with Python, whose %-formatting rounds like glibc
  const lines = readFileSync(join(USB_HID_FIXTURES, "printf-g-cases.txt"), "utf8").trim().split("\n");
  expect(lines.length).toBeGreaterThan(1000);
  const mismatches = lines.flatMap((line) => {
    const [input = "", expected = ""] = line.split(" ");
    const got = formatPrintfG(Number(input));
    return got === expected ? [] : [`${input}: ${got} != ${expected}`];
  });
  expect(mismatches).toEqual([]);
});

test("formatPrintfG ties and specials", () => {
  expect(formatPrintfG(97656250)).toBe("9.76562e+07");
  expect(formatPrintfG(999999.5)).toBe("1e+06");
  expect(formatPrintfG(13.58)).toBe("13.58");
  expect(formatPrintfG(-1)).toBe("-1");
  expect(formatPrintfG(Number.NaN)).toBe("nan");
  expect(formatPrintfG(-Infinity)).toBe("-inf");
});
