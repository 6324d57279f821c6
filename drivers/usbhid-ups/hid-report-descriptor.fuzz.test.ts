// Bounded, seeded fuzz of the descriptor parser and the value codec on what it returns:
// random byte strings and mutations of real descriptors must never throw, and every result
// must stay inside NUT's limits.
import { expect, test } from "bun:test";
import { HID_FIXTURE_CASES, readDescriptor } from "../../test/harness/hid-explore-fixture.ts";
import { HID_ITEM_FEATURE, HID_ITEM_INPUT, HID_ITEM_OUTPUT, parseReportDescriptor, reportBufferLength } from "./hid-report-descriptor.ts";
import { pathToString, stringToPath } from "./hid-usage-table.ts";
import { decodeItemValue, encodeItemValue } from "./hid-value.ts";

/** mulberry32: small deterministic PRNG so failures replay from the printed seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = 20_000;
const TYPES = new Set([HID_ITEM_INPUT, HID_ITEM_OUTPUT, HID_ITEM_FEATURE]);
const realDescriptors = HID_FIXTURE_CASES.map((name) => readDescriptor(name));
// item prefixes the parser reacts to, so random descriptors reach deep states often
const INTERESTING = [0x05, 0x06, 0x09, 0x0a, 0x0b, 0xa1, 0xc0, 0x81, 0x91, 0xb1, 0x85, 0x75, 0x95, 0x15, 0x16, 0x17, 0x25, 0x26, 0x27, 0x35, 0x45, 0x55, 0x65, 0x67, 0xfe, 0xa4, 0xb4, 0x19, 0x29];

function randomDescriptor(rnd: () => number): Uint8Array {
  const n = Math.floor(rnd() * 300);
  const out = new Uint8Array(n);
  const structured = rnd() < 0.6;
  for (let i = 0; i < n; i++) {
    out[i] = structured && rnd() < 0.5 ? INTERESTING[Math.floor(rnd() * INTERESTING.length)] ?? 0 : Math.floor(rnd() * 256);
  }
  return out;
}

function mutate(rnd: () => number): Uint8Array {
  const base = realDescriptors[Math.floor(rnd() * realDescriptors.length)] ?? new Uint8Array();
  let bytes = Array.from(base);
  const edits = 1 + Math.floor(rnd() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    const kind = Math.floor(rnd() * 6);
    if (kind === 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
    else if (kind === 1) bytes[at] = Math.floor(rnd() * 256);
    else if (kind === 2) bytes.splice(at, 1 + Math.floor(rnd() * 4));
    else if (kind === 3) bytes.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => Math.floor(rnd() * 256)));
    else if (kind === 4) bytes = bytes.slice(0, at); // truncation
    else {
      const from = Math.floor(rnd() * bytes.length);
      bytes.splice(at, 0, ...bytes.slice(from, from + 1 + Math.floor(rnd() * 16))); // duplicate a run
    }
  }
  return Uint8Array.from(bytes);
}

test(`parser and codec survive ${SEEDS} seeded random and mutated descriptors`, () => {
  const started = Date.now();
  let withItems = 0;
  let withError = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rnd = prng(seed);
    const input = seed % 2 === 0 ? randomDescriptor(rnd) : mutate(rnd);
    let parsed: ReturnType<typeof parseReportDescriptor>;
    try {
      parsed = parseReportDescriptor(input);
    } catch (e) {
      throw new Error(`seed ${seed}: parser threw ${String(e)} on ${Buffer.from(input).toString("hex")}`);
    }
    expect(parsed.items.length).toBeLessThanOrEqual(500);
    expect(parsed.reportLength.length).toBe(256);
    if (parsed.error !== undefined) withError++;
    if (parsed.items.length > 0) withItems++;
    for (const item of parsed.items) {
      if (!TYPES.has(item.type) || item.path.length < 1 || item.path.length > 10 || item.offset > 255 || item.size > 255 || item.unitExp < -128 || item.unitExp > 127) {
        throw new Error(`seed ${seed}: item out of NUT's limits ${JSON.stringify(item)}`);
      }
      const length = reportBufferLength(parsed, item.reportId);
      expect(length).toBeLessThanOrEqual(65);
      const buf = new Uint8Array(length).map((_, i) => (i * 37 + seed) & 0xff);
      const value = decodeItemValue(buf, item);
      if (Number.isNaN(value)) throw new Error(`seed ${seed}: NaN decoding ${JSON.stringify(item)}`);
      encodeItemValue(buf, item, value);
      if (buf.length !== length) throw new Error(`seed ${seed}: encode resized the report`);
    }
    // rendering is stable through a parse (not a bijection: page 0x85 "Undefined" reads back as 0x84's)
    const first = parsed.items[0];
    if (first !== undefined) {
      const text = pathToString(first.path, undefined);
      if (text.length < 127) expect(pathToString(stringToPath(text, undefined).path, undefined)).toBe(text);
    }
  }
  // the corpus must reach both outcomes, or it tests nothing
  expect(withItems).toBeGreaterThan(SEEDS / 4);
  expect(withError).toBeGreaterThan(SEEDS / 20);
  expect(Date.now() - started).toBeLessThan(60_000);
}, 90_000);
