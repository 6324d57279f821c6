import { describe, expect, test } from "bun:test";
import { MemoryNutLog } from "../../core/system/nut-log.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HID_FIXTURE_CASES, hasExplore, readDescriptor, USB_HID_FIXTURES } from "../../test/harness/hid-explore-fixture.ts";
import { EXPLORE_SUBDRIVER, exploreClaims } from "./explore-hid.ts";
import { dumpHidTree } from "./hid-dump-tree.ts";
import { parseReportDescriptor } from "./hid-report-descriptor.ts";
import { HidReportCache, type HidReportIo } from "./hid-report-cache.ts";
import type { HidDeviceIdentity } from "./hid-subdriver.ts";

/** rdesc-sim.py's GET_REPORT answer: byte i after the ID = (id·37 + i·101 + 11) & 0xff. */
function patternIo(reads: number[] = []): HidReportIo {
  return {
    getFeatureReport(id, length) {
      reads.push(id);
      const out = new Uint8Array(length);
      out[0] = id;
      for (let i = 1; i < length; i++) out[i] = (id * 37 + (i - 1) * 101 + 11) & 0xff;
      return out;
    },
    setFeatureReport: () => ({ code: "PIPE", message: "stall" }),
    interruptRead: () => ({ code: "TIMEOUT", message: "timeout" }),
  };
}

const DEVICE_1234: HidDeviceIdentity = { vendorId: 0x1234, productId: 0x5678, vendor: "v", product: "p", serial: "s" };

function dump(name: string, device: HidDeviceIdentity, debugLevel: number, reads?: number[]): string[] {
  const desc = parseReportDescriptor(readDescriptor(name));
  const log = new MemoryNutLog();
  log.debugLevel = debugLevel;
  // a fixed clock: every report is read once, then served from the buffer (MAX_TS = 2 s)
  const cache = new HidReportCache(desc, patternIo(reads), () => undefined, () => 1000);
  dumpHidTree(desc.items, cache, device, EXPLORE_SUBDRIVER.usageTable, log);
  return log.lines;
}

describe("HIDDumpTree", () => {
  for (const name of HID_FIXTURE_CASES.filter((n) => hasExplore(n, "debian"))) {
    test(`${name}: the lines of Debian's explore capture`, () => {
      const debian = readFileSync(join(USB_HID_FIXTURES, `${name}.debian.explore.txt`), "utf8")
        .split("\n")
        .filter((l) => /^\[D1\] (\d+ HID objects found|Path: )/.test(l));
      expect(debian.length).toBeGreaterThan(1);
      expect(dump(name, DEVICE_1234, 1)).toEqual(debian);
    });
  }
  test("nothing below debug level 1, and no report is read", () => {
    const reads: number[] = [];
    expect(dump("hidups-sim", DEVICE_1234, 0, reads)).toEqual([]);
    expect(reads).toEqual([]);
  });
  test("Eaton/MGE/Dell (0463, 047c) skip reports 254 and 255; Tripp Lite 09ae:1330 skips report 0x54", () => {
    // UPS collection: Voltage in feature report 0xFE, Current in feature report 0x01
    const rdesc = Uint8Array.from([0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, 0x85, 0xfe, 0x09, 0x30, 0x75, 0x08, 0x95, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00, 0xb1, 0x02, 0x85, 0x01, 0x09, 0x31, 0xb1, 0x02, 0xc0]);
    const desc = parseReportDescriptor(rdesc);
    const run = (device: HidDeviceIdentity) => {
      const log = new MemoryNutLog();
      log.debugLevel = 1;
      dumpHidTree(desc.items, new HidReportCache(desc, patternIo(), () => undefined, () => 1000), device, [], log);
      return log.lines;
    };
    const current = "[D1] Path: UPS.Current, Type: Feature, ReportID: 0x01, Offset: 0, Size: 8, Value: 48";
    expect(run(DEVICE_1234)).toEqual(["[D1] 2 HID objects found", "[D1] Path: UPS.Voltage, Type: Feature, ReportID: 0xfe, Offset: 0, Size: 8, Value: 193", current]);
    expect(run({ ...DEVICE_1234, vendorId: 0x0463 })).toEqual(["[D1] 2 HID objects found", current]);
    expect(run({ ...DEVICE_1234, vendorId: 0x047c })).toEqual(["[D1] 2 HID objects found", current]);
    const eaton = parseReportDescriptor(readDescriptor("sim-eaton"));
    const at54 = eaton.items.filter((i) => i.reportId === 0x54).length;
    expect(at54).toBeGreaterThan(0);
    expect(dump("sim-eaton", { ...DEVICE_1234, vendorId: 0x09ae, productId: 0x1330 }, 1).length).toBe(1 + eaton.items.length - at54);
    expect(dump("sim-eaton", { ...DEVICE_1234, vendorId: 0x09ae, productId: 0x1331 }, 1).length).toBe(1 + eaton.items.length);
  });
});

describe("explore subdriver", () => {
  test("claims only with the explore option; identity strings as the device gives them", () => {
    expect(exploreClaims((n) => n === "explore")).toBe(true);
    expect(exploreClaims(() => false)).toBe(false);
    expect(EXPLORE_SUBDRIVER.name).toBe("EXPLORE HID 0.2");
    expect(EXPLORE_SUBDRIVER.mapping).toEqual([]);
    expect(EXPLORE_SUBDRIVER.formatModel(DEVICE_1234, { itemValue: () => undefined, itemString: () => "" })).toBe("p");
    expect(EXPLORE_SUBDRIVER.formatMfr(DEVICE_1234)).toBe("v");
    expect(EXPLORE_SUBDRIVER.formatSerial(DEVICE_1234)).toBe("s");
  });
});
