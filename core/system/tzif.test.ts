import { describe, expect, test } from "bun:test";
import { parseTzif, tzifState } from "./tzif.ts";

interface ZoneSpec {
  transitions: number[];
  transitionTypes: number[];
  /** [utoff, isdst, abbreviation] */
  types: [number, boolean, string][];
  footer?: string;
}

/** The bytes of a TZif file (RFC 8536) of `version` ("\0" = 1, "2", "3") holding `zone` in both blocks. */
function tzifBytes(zone: ZoneSpec, version: string): Uint8Array {
  const chars: number[] = [];
  const index: number[] = [];
  for (const [, , abbr] of zone.types) {
    index.push(chars.length);
    for (const c of abbr) chars.push(c.charCodeAt(0));
    chars.push(0);
  }
  const block = (timeSize: 4 | 8): number[] => {
    const out: number[] = [];
    const header = [..."TZif"].map((c) => c.charCodeAt(0));
    header.push(version === "\0" ? 0 : version.charCodeAt(0), ...new Array(15).fill(0));
    const counts = [0, 0, 0, zone.transitions.length, zone.types.length, chars.length];
    const be = (value: number | bigint, size: number): number[] => {
      const view = new DataView(new ArrayBuffer(size));
      if (size === 8) view.setBigInt64(0, BigInt(value));
      else view.setInt32(0, Number(value));
      return [...new Uint8Array(view.buffer)];
    };
    out.push(...header);
    for (const c of counts) out.push(...be(c, 4));
    for (const t of zone.transitions) out.push(...be(t, timeSize));
    out.push(...zone.transitionTypes);
    zone.types.forEach(([utoff, isdst], i) => out.push(...be(utoff, 4), isdst ? 1 : 0, index[i]!));
    out.push(...chars);
    return out;
  };
  const bytes = block(4);
  if (version !== "\0") {
    bytes.push(...block(8));
    bytes.push(0x0a, ...[...(zone.footer ?? "")].map((c) => c.charCodeAt(0)), 0x0a);
  }
  return Uint8Array.from(bytes);
}

// a Berlin-like zone: LMT until 1893, CET/CEST transitions in 2023, the EU rules afterwards
const ZONE: ZoneSpec = {
  transitions: [-2422051208, 1679792400, 1698541200],
  transitionTypes: [2, 1, 2],
  types: [
    [3208, false, "LMT"],
    [7200, true, "CEST"],
    [3600, false, "CET"],
  ],
  footer: "CET-1CEST,M3.5.0,M10.5.0/3",
};

const describeState = (bytes: Uint8Array, t: number): string => {
  const zone = parseTzif(bytes);
  if (!zone) return "not TZif";
  const s = tzifState(zone, t);
  return `${s.abbreviation} ${s.utcOffset}${s.isDst ? " dst" : ""}`;
};

describe("TZif files as glibc's localtime() uses them", () => {
  const v2 = tzifBytes(ZONE, "2");
  test("before the first transition: the first standard-time type", () => {
    expect(describeState(v2, -3e9)).toBe("LMT 3208");
  });
  test("between transitions: the type of the latest one", () => {
    expect(describeState(v2, 1679792399)).toBe("CET 3600");
    expect(describeState(v2, 1679792400)).toBe("CEST 7200 dst");
    expect(describeState(v2, 1698541199)).toBe("CEST 7200 dst");
  });
  test("after the last transition: the footer's rule", () => {
    // 2024-03-31 00:59:59Z and 01:00:00Z
    expect(describeState(v2, 1711846799)).toBe("CET 3600");
    expect(describeState(v2, 1711846800)).toBe("CEST 7200 dst");
  });
  test("version 1 (32-bit times, no footer): the last type stays", () => {
    const zone32 = { ...ZONE, transitions: [-2000000000, 1679792400, 1698541200] };
    expect(describeState(tzifBytes(zone32, "\0"), 1711846800)).toBe("CET 3600");
    expect(describeState(tzifBytes(zone32, "\0"), 1679792400)).toBe("CEST 7200 dst");
  });
  test("a version 2 file with an empty footer keeps the last type", () => {
    expect(describeState(tzifBytes({ ...ZONE, footer: "" }, "3"), 1711846800)).toBe("CET 3600");
  });
  test("no transitions: the first standard-time type", () => {
    expect(describeState(tzifBytes({ transitions: [], transitionTypes: [], types: [[0, false, "UTC"]], footer: "UTC0" }, "2"), 1700000000)).toBe("UTC 0");
  });
  test("what is not a TZif file", () => {
    expect(parseTzif(new TextEncoder().encode("CET-1CEST"))).toBeUndefined();
    expect(parseTzif(v2.subarray(0, 60))).toBeUndefined();
    expect(parseTzif(new Uint8Array(0))).toBeUndefined();
  });
});
