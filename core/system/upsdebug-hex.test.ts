import { describe, expect, test } from "bun:test";
import { upsdebugHex, upsdebugHexLines } from "./upsdebug-hex.ts";

describe("upsdebugHexLines (NUT's upsdebug_hex)", () => {
  test("short buffer on one line", () => {
    expect(upsdebugHexLines("Report[get]", Uint8Array.of(1, 1, 2, 3))).toEqual(["Report[get]: (4 bytes) => 01 01 02 03"]);
  });

  test("empty buffer: the header alone", () => {
    expect(upsdebugHexLines("Report[int]", new Uint8Array(0))).toEqual(["Report[int]: (0 bytes) =>"]);
  });

  test("long buffer wraps after 72 characters, continuation lines start with a space (as Debian's 2.8.0 prints a 421-byte descriptor)", () => {
    const bytes = Uint8Array.from({ length: 60 }, (_, i) => i);
    const lines = upsdebugHexLines("Report Descriptor", bytes);
    // header (33 characters) + 14 bytes = 75 > 72, then 25 bytes per line (75 characters)
    expect(lines[0]).toBe("Report Descriptor: (60 bytes) => 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d");
    expect(lines[1]).toBe(` ${Array.from({ length: 25 }, (_, i) => (i + 14).toString(16).padStart(2, "0")).join(" ")}`);
    expect(lines[2]).toBe(` ${Array.from({ length: 21 }, (_, i) => (i + 39).toString(16).padStart(2, "0")).join(" ")}`);
    expect(lines).toHaveLength(3);
  });

  test("a message longer than 72 characters goes out alone before the first byte", () => {
    const message = "x".repeat(70);
    expect(upsdebugHexLines(message, Uint8Array.of(0xab))).toEqual([`${message}: (1 bytes) =>`, " ab"]);
  });

  test("upsdebugHex formats nothing below the debug level", () => {
    const out: string[] = [];
    upsdebugHex((l, m) => out.push(`${l}:${m}`), (l) => l <= 2, 3, "Report[buf]", Uint8Array.of(1));
    expect(out).toEqual([]);
    upsdebugHex((l, m) => out.push(`${l}:${m}`), (l) => l <= 3, 3, "Report[buf]", Uint8Array.of(1));
    expect(out).toEqual(["3:Report[buf]: (1 bytes) => 01"]);
  });
});
