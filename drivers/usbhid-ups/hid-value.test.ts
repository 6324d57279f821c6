import { describe, expect, test } from "bun:test";
import { HID_FIXTURE_CASES, hasExplore, readDescriptor, readExplore } from "../../test/harness/hid-explore-fixture.ts";
import { formatPrintfG as formatG } from "./printf-g.ts";
import { HID_ITEM_FEATURE, type HidData, parseReportDescriptor } from "./hid-report-descriptor.ts";
import {
  decodeItemValue,
  encodeItemValue,
  getLogicalValue,
  logicalToPhysical,
  physicalToLogical,
  powerOf,
  setLogicalValue,
  unitExponent,
} from "./hid-value.ts";

function field(over: Partial<HidData>): HidData {
  return {
    path: [0x00840030],
    reportId: 1,
    offset: 0,
    size: 8,
    type: HID_ITEM_FEATURE,
    attribute: 0x02,
    unit: 0,
    unitExp: 0,
    logMin: 0,
    logMax: 255,
    phyMin: 0,
    phyMax: 0,
    havePhyMin: false,
    havePhyMax: false,
    ...over,
  };
}

describe("decodeItemValue matches the values NUT 2.8.0 printed (%g)", () => {
  for (const name of HID_FIXTURE_CASES) {
    for (const kind of ["debian", "device"] as const) {
      if (!hasExplore(name, kind)) continue;
      test(`${name} (${kind})`, () => {
        const parsed = parseReportDescriptor(readDescriptor(name));
        const explore = readExplore(name, kind);
        let compared = 0;
        explore.objects.forEach((line, i) => {
          const item = parsed.items[i];
          if (item === undefined || line.value === undefined || line.report === undefined) return;
          expect(line.report[0]).toBe(item.reportId);
          expect(`${line.path}: ${formatG(decodeItemValue(line.report, item))}`).toBe(`${line.path}: ${line.value}`);
          compared++;
        });
        expect(compared).toBeGreaterThan(0);
      });
    }
  }
});

describe("GetValue (logical)", () => {
  const report = (...bytes: number[]): Uint8Array => Uint8Array.from([1, ...bytes]);

  test("bits LSB first from offset + 8, across byte boundaries", () => {
    expect(getLogicalValue(report(0b1011_0000, 0b0000_0001), field({ offset: 4, size: 5, logMax: 31 }))).toBe(0b11011);
    expect(getLogicalValue(report(0x34, 0x12), field({ size: 16, logMax: 65535 }))).toBe(0x1234);
  });

  test("high bits beyond the logical range are dropped (APC BF500: 32-bit field, 0..65535)", () => {
    expect(getLogicalValue(report(0x00, 0x0a, 0x08, 0x80), field({ size: 32, logMax: 0xffff }))).toBe(0x0a00);
  });

  test("sign extension when LogMin < 0, clamping to the range", () => {
    expect(getLogicalValue(report(0xff, 0xff), field({ size: 16, logMin: -1, logMax: 32767 }))).toBe(-1);
    expect(getLogicalValue(report(0xfe), field({ logMin: -128, logMax: 127 }))).toBe(-2);
    expect(getLogicalValue(report(120), field({ logMin: 0, logMax: 100 }))).toBe(100);
    // bits above the range's highest bit are dropped before clamping: 200 & 127 = 72
    expect(getLogicalValue(report(200), field({ logMin: 0, logMax: 100 }))).toBe(72);
    expect(getLogicalValue(report(3), field({ logMin: 5, logMax: 100 }))).toBe(5);
    expect(getLogicalValue(report(0xff, 0xff, 0xff, 0xff), field({ size: 32, logMin: -2147483648, logMax: 2147483647 }))).toBe(-1);
    expect(getLogicalValue(report(0xff, 0xff, 0xff, 0xff), field({ size: 32, logMin: 0, logMax: 4294967295 }))).toBe(4294967295);
  });

  test("bytes past the buffer read as zero", () => {
    expect(getLogicalValue(report(0x01), field({ size: 16, logMax: 65535 }))).toBe(1);
  });

  test("SetValue patches only the field's bits; GetValue reads them back", () => {
    const buf = report(0xff, 0xff, 0xff);
    setLogicalValue(buf, field({ offset: 4, size: 12 }), 0xabc);
    expect([...buf]).toEqual([1, 0xcf, 0xab, 0xff]);
    expect(getLogicalValue(buf, field({ offset: 4, size: 12, logMax: 4095 }))).toBe(0xabc);
    setLogicalValue(buf, field({ offset: 0, size: 16 }), -1n);
    expect([...buf]).toEqual([1, 0xff, 0xff, 0xff]);
  });

  test("exhaustive round trip for every 8-bit value at every bit offset", () => {
    for (let offset = 0; offset < 16; offset++) {
      for (let v = 0; v < 256; v++) {
        const buf = new Uint8Array(4);
        buf[0] = 7;
        const item = field({ offset, size: 8, logMin: 0, logMax: 255 });
        setLogicalValue(buf, item, v);
        expect(getLogicalValue(buf, item)).toBe(v);
        const signed = field({ offset, size: 8, logMin: -128, logMax: 127 });
        expect(getLogicalValue(buf, signed)).toBe(v >= 128 ? v - 256 : v);
      }
    }
  });
});

describe("logical ↔ physical and unit exponents (libhid.c)", () => {
  const ranged = field({ logMin: 0, logMax: 255, phyMin: 0, phyMax: 1000, havePhyMin: true, havePhyMax: true });

  test("linear map when the physical range is usable, clamped", () => {
    expect(logicalToPhysical(ranged, 51)).toBe(200);
    expect(physicalToLogical(ranged, 200)).toBe(51n);
    expect(physicalToLogical(ranged, 5000)).toBe(255n);
    expect(physicalToLogical(ranged, -5)).toBe(0n);
  });

  test("identity when physical min/max missing, both 0 or not increasing", () => {
    expect(logicalToPhysical(field({ phyMax: 1000, havePhyMax: true }), 51)).toBe(51);
    expect(logicalToPhysical(field({ havePhyMin: true, havePhyMax: true }), 51)).toBe(51);
    expect(logicalToPhysical(field({ phyMin: 10, phyMax: 5, havePhyMin: true, havePhyMax: true }), 51)).toBe(51);
    // unusable range: truncated toward zero, not clamped (-1 into 0..255 stays -1)
    expect(physicalToLogical(field({}), -1.9)).toBe(-1n);
    expect(physicalToLogical(field({}), Number.NaN)).toBe(-(2n ** 63n));
  });

  test("unit exponent minus NUT's unit bias; powers by repeated multiplication", () => {
    expect(unitExponent(field({ unit: 0x00f0d121, unitExp: 7 }))).toBe(0);
    expect(unitExponent(field({ unit: 0x00f0d121, unitExp: 5 }))).toBe(-2);
    expect(unitExponent(field({ unit: 0x0000d121, unitExp: -2 }))).toBe(-9);
    expect(unitExponent(field({ unit: 0x00001001, unitExp: -2 }))).toBe(-2);
    expect(unitExponent(field({ unit: 0x12345678, unitExp: 3 }))).toBe(3);
    expect(unitExponent(field({ unit: 0x00f0d121, unitExp: -128 }))).toBe(121); // int8 wrap
    expect(powerOf(10, -2)).toBe(0.1 * 0.1);
    expect(powerOf(10, 3)).toBe(1000);
  });

  test("decode: centi-volts (UnitExp 5 on volts) → 13.58", () => {
    const item = field({ size: 16, logMax: 65534, unit: 0x00f0d121, unitExp: 5 });
    expect(formatG(decodeItemValue(Uint8Array.from([9, 0x4e, 0x05]), item))).toBe("13.58");
  });

  test("encode: value / 10^exp → logical, patched into the report; Constant refused", () => {
    const item = field({ reportId: 0x15, size: 16, logMin: -1, logMax: 32767, unit: 0x00001001 });
    const buf = Uint8Array.from([0x15, 0xff, 0xff]);
    expect(encodeItemValue(buf, item, 20)).toBe(true);
    expect([...buf]).toEqual([0x15, 0x14, 0x00]);
    expect(encodeItemValue(buf, item, -1)).toBe(true);
    expect([...buf]).toEqual([0x15, 0xff, 0xff]);
    const volts = field({ size: 16, logMax: 65535, unit: 0x00f0d121, unitExp: 6 });
    const vbuf = new Uint8Array(3);
    expect(encodeItemValue(vbuf, volts, 229.5)).toBe(true);
    expect(getLogicalValue(vbuf, volts)).toBe(2295);
    expect(encodeItemValue(vbuf, field({ attribute: 0x01 }), 3)).toBe(false);
    expect(encodeItemValue(vbuf, field({ attribute: 0x03 }), 3)).toBe(true);
  });
});
