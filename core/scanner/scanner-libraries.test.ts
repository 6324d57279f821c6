import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectScannerLibraries, findLibrary } from "./scanner-libraries.ts";

const root = mkdtempSync(join(tmpdir(), "nut-scanner-libs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("get_libname() search", () => {
  const first = join(root, "first");
  const second = join(root, "second");
  mkdirSync(first);
  mkdirSync(second);
  writeFileSync(join(second, "libusb-1.0.so.0.3.0"), "");
  symlinkSync(join(second, "libusb-1.0.so.0.3.0"), join(second, "libusb-1.0.so.0"));
  writeFileSync(join(first, "libavahi-client.so.3"), "");
  const paths = [join(root, "missing"), first, second];

  test("first folder with a name starting with the base; the real path; NUT's debug lines", () => {
    const lines: string[] = [];
    const found = findLibrary("libusb-1.0.so", { level: 2, print: (l, m) => lines.push(`[D${l}] ${m}`) }, paths);
    expect(found).toBe(join(second, "libusb-1.0.so.0.3.0"));
    expect(lines[0]).toBe(`[D2] Looking for lib libusb-1.0.so in directory #1 : ${first}`);
    expect(lines[1]).toBe(`[D2] Looking for lib libusb-1.0.so in directory #2 : ${second}`);
    expect(lines[2]).toMatch(/^\[D2\] Candidate path for lib libusb-1\.0\.so is .*\/second\/libusb-1\.0\.so\.0(\.3\.0)? \(realpath .*\/second\/libusb-1\.0\.so\.0\.3\.0\)$/);
    expect(lines.at(-1)).toBe(`[D1] Looking for lib libusb-1.0.so, found ${join(second, "libusb-1.0.so.0.3.0")}`);
  });
  test("the buses nutscan_init() probes", () => {
    const libs = detectScannerLibraries({ level: 0, print: () => undefined }, paths);
    expect(libs).toEqual({ usb: join(second, "libusb-1.0.so.0.3.0"), snmp: undefined, xmlHttp: undefined, avahi: join(first, "libavahi-client.so.3"), ipmi: undefined, upsclient: undefined });
  });
});
