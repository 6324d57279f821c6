import { describe, expect, test } from "bun:test";
import { readDescriptor } from "../../test/harness/hid-explore-fixture.ts";
import { HID_ITEM_FEATURE, type HidData, parseReportDescriptor } from "./hid-report-descriptor.ts";
import { HidReportCache, type HidReportIo } from "./hid-report-cache.ts";

/** The simulator's APC descriptor; reports answered from `data`, requests recorded. */
function setup(data: Map<number, number[]>, debugLevel = 3) {
  const requests: [id: number, length: number][] = [];
  const interrupts: number[][] = [];
  const io: HidReportIo = {
    getFeatureReport: (id, length) => {
      requests.push([id, length]);
      return Uint8Array.from((data.get(id) ?? [id]).slice(0, length));
    },
    setFeatureReport: (_id, bytes) => bytes.length,
    interruptRead: () => {
      const next = interrupts.shift();
      return next === undefined ? { code: "TIMEOUT", message: "Connection timed out" } : Uint8Array.from(next);
    },
  };
  const desc = parseReportDescriptor(readDescriptor("hidups-sim"));
  let now = 1000;
  const lines: string[] = [];
  const cache = new HidReportCache(desc, io, (l, m) => lines.push(`[D${l}] ${m}`), () => now);
  cache.debugEnabled = (level) => level <= debugLevel;
  const item = (id: number): HidData => {
    const found = desc.items.find((i) => i.reportId === id && i.type === HID_ITEM_FEATURE);
    if (found === undefined) throw new Error(`no feature item in report ${id}`);
    return found;
  };
  return { cache, lines, requests, interrupts, item, tick: (s: number) => (now += s) };
}

describe("HidReportCache's report dumps (libhid.c, debug level 3)", () => {
  test("Report[get] on a fetch, Report[buf] while fresh, Report[get] again once aged", () => {
    const { cache, lines, item, tick } = setup(new Map([[0x01, [0x01, 0x01, 0x02, 0x03]]]));
    expect(cache.read(item(0x01), 2)).toEqual({ ok: true, value: 1 });
    expect(cache.read(item(0x01), 2).ok).toBe(true);
    tick(2);
    expect(cache.read(item(0x01), 2).ok).toBe(true);
    expect(lines).toEqual(["[D3] Report[get]: (4 bytes) => 01 01 02 03", "[D3] Report[buf]: (4 bytes) => 01 01 02 03", "[D3] Report[get]: (4 bytes) => 01 01 02 03"]);
  });

  test("a report of another length: the D2 line, then Report[err] with what arrived", () => {
    const { cache, lines, item } = setup(new Map([[0x01, [0x01, 0x07]]]));
    cache.read(item(0x01), 2);
    expect(lines).toEqual(["[D2] refresh_report_buffer: expected 4 bytes, but got 2 instead", "[D3] Report[err]: (2 bytes) => 01 07"]);
  });

  test("interrupt reports: Report[int], or Report[err] when short", () => {
    const { cache, lines, interrupts } = setup(new Map());
    interrupts.push([0x16, 0x0c, 0x00], [0x16, 0x0c]);
    cache.readEvents();
    cache.readEvents();
    expect(lines).toEqual(["[D3] Report[int]: (3 bytes) => 16 0c 00", "[D2] file_report_buffer: expected 3 bytes, but got 2 instead", "[D3] Report[err]: (2 bytes) => 16 0c"]);
  });

  test("SET_REPORT: Report[set] with the buffer sent", () => {
    const { cache, lines, item } = setup(new Map([[0x15, [0x15, 0xff, 0xff]]]));
    cache.read(item(0x15), 2);
    expect(cache.write(item(0x15), 30)).toBe(true);
    expect(lines).toEqual(["[D3] Report[get]: (3 bytes) => 15 ff ff", "[D3] Report[set]: (3 bytes) => 15 1e 00", "[D4] Set report succeeded"]);
  });

  test("below debug level 3 nothing is formatted", () => {
    const { cache, lines, item } = setup(new Map([[0x01, [0x01, 0x01, 0x02, 0x03]]]), 2);
    cache.read(item(0x01), 2);
    cache.read(item(0x01), 2);
    expect(lines).toEqual([]);
  });

  test("maxreport asks for sizeof(rbuf->data[id]), a pointer: 8 bytes, as Debian's 2.8.0 does", () => {
    const { cache, requests, item } = setup(new Map([[0x01, [0x01, 0x01, 0x02, 0x03]]]));
    cache.maxReportSize = true;
    cache.read(item(0x01), 2);
    expect(requests).toEqual([[0x01, 8]]);
  });
});
