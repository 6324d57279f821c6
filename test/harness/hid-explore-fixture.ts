// Loads the usbhid-ups explore fixtures of test/fixtures/usb-hid (see its README.md): a report
// descriptor as hex and what NUT's `usbhid-ups -x explore` printed for it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const USB_HID_FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");

export interface ExploreObjectLine {
  readonly path: string;
  readonly type: string;
  readonly reportId: number;
  readonly offset: number;
  readonly size: number;
  /** The `Value: %g` text, absent when NUT could not read the report. */
  readonly value?: string;
  /** The last report buffer NUT logged before this line (byte 0 = report ID), if any. */
  readonly report?: Uint8Array;
}

export interface ExploreFixture {
  readonly objectCount: number;
  readonly objects: readonly ExploreObjectLine[];
  /** `HIDParse…` / `Parse_ReportDesc…` log lines, in order. */
  readonly parserLog: readonly string[];
  /** Report ID → byte length of the buffers NUT logged for it (descriptor length + 1). */
  readonly reportBufferLength: ReadonlyMap<number, number>;
}

export function readDescriptor(name: string): Uint8Array {
  return Uint8Array.from(Buffer.from(readFileSync(join(USB_HID_FIXTURES, `${name}.rdesc.hex`), "utf8").trim(), "hex"));
}

export function hasExplore(name: string, kind: "debian" | "device"): boolean {
  return existsSync(join(USB_HID_FIXTURES, `${name}.${kind}.explore.txt`));
}

const OBJECT_LINE = /\[D1\] Path: (.*), Type: (\w+), ReportID: 0x([0-9a-f]{2}), Offset: (\d+), Size: (\d+)(?:, Value: (\S+))?$/;
const REPORT_LINE = /Report\[(?:get|buf|err)\]: \((\d+) bytes\) => ([0-9a-f ]+)$/;

export function readExplore(name: string, kind: "debian" | "device"): ExploreFixture {
  const text = readFileSync(join(USB_HID_FIXTURES, `${name}.${kind}.explore.txt`), "utf8");
  let objectCount = -1;
  const objects: ExploreObjectLine[] = [];
  const parserLog: string[] = [];
  const reportBufferLength = new Map<number, number>();
  let report: Uint8Array | undefined;
  for (const line of text.split("\n")) {
    const count = /\] (\d+) HID objects found/.exec(line);
    if (count) {
      objectCount = Number(count[1]);
      continue;
    }
    if (/HIDParse|Parse_ReportDesc/.test(line)) {
      parserLog.push(line.trim());
      continue;
    }
    const r = REPORT_LINE.exec(line);
    if (r) {
      report = Uint8Array.from(Buffer.from((r[2] ?? "").replace(/ /g, ""), "hex"));
      const id = report[0];
      if (id !== undefined && report.length === Number(r[1])) reportBufferLength.set(id, report.length);
      continue;
    }
    if (/Can.t retrieve/.test(line)) {
      report = undefined;
      continue;
    }
    const o = OBJECT_LINE.exec(line);
    if (o) {
      const base = {
        path: o[1] ?? "",
        type: o[2] ?? "",
        reportId: Number.parseInt(o[3] ?? "", 16),
        offset: Number(o[4]),
        size: Number(o[5]),
      };
      const withValue = o[6] === undefined ? base : { ...base, value: o[6] };
      objects.push(report === undefined || o[6] === undefined ? withValue : { ...withValue, report });
    }
  }
  return { objectCount, objects, parserLog, reportBufferLength };
}

/** Every fixture case that has a descriptor. */
export const HID_FIXTURE_CASES = [
  "apc-back-ups-cs-500",
  "apc-back-ups-bk650m2",
  "hidups-sim",
  "quirks-q1",
  "quirks-q2",
  "quirks-q3",
  "quirks-q4",
  "quirks-q5",
] as const;
