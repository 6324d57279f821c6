import { describe, expect, test } from "bun:test";
import { PosixRegexError } from "./posix-ere.ts";
import { matchesExactly, regexMatchesValue, type UsbDeviceIdentity, UsbRegexMatcher } from "./usb-matcher.ts";

const apc: UsbDeviceIdentity = {
  vendorId: 0x051d,
  productId: 0x0002,
  bcdDevice: 0x0106,
  vendor: "American Power Conversion",
  product: "Back-UPS ES 700G FW:871.O4 .I USB FW:O4",
  serial: "4B1234P56789  ",
  bus: "001",
  device: "002",
  busPort: "001",
};

const matches = (options: Parameters<typeof UsbRegexMatcher.compile>[0], device = apc) => UsbRegexMatcher.compile(options).matches(device);

describe("UsbRegexMatcher (NUT usb-common.c semantics)", () => {
  test("no options match every device", () => {
    expect(matches({})).toBe(true);
  });

  test("vendorid/productid are matched as 4-digit lowercase hex, case-insensitively", () => {
    expect(matches({ vendorid: "051d" })).toBe(true);
    expect(matches({ vendorid: "051D" })).toBe(true);
    expect(matches({ vendorid: "51d" })).toBe(false); // whole value must match: "051d"
    expect(matches({ productid: "0002" })).toBe(true);
    expect(matches({ productid: "2" })).toBe(false);
    expect(matches({ productid: "000[0-3]" })).toBe(true);
  });

  test("strings need a whole-value match, case-insensitive", () => {
    expect(matches({ vendor: "american power conversion" })).toBe(true);
    expect(matches({ vendor: "American" })).toBe(false);
    expect(matches({ vendor: "American.*" })).toBe(true);
    expect(matches({ product: "Back-UPS.*" })).toBe(true);
    expect(matches({ product: "back-ups es [0-9]+G FW:.*" })).toBe(true);
  });

  test("leading/trailing blanks of the device value are ignored", () => {
    expect(matches({ serial: "4B1234P56789" })).toBe(true);
    expect(regexMatchesValue(/^(?:abc)$/i, " \t abc\n")).toBe(true);
  });

  test("an unset string matches as the empty string", () => {
    const anonymous = { ...apc, serial: undefined, device: undefined };
    expect(matches({ serial: "" }, anonymous)).toBe(true);
    expect(matches({ serial: ".*" }, anonymous)).toBe(true);
    expect(matches({ serial: "4B.*" }, anonymous)).toBe(false);
    expect(matches({ device: "002" }, anonymous)).toBe(false);
  });

  test("bus, device and busport are the 3-digit decimal strings", () => {
    expect(matches({ bus: "001" })).toBe(true);
    expect(matches({ bus: "1" })).toBe(false);
    expect(matches({ device: "00[0-9]" })).toBe(true);
    expect(matches({ busport: "001" })).toBe(true);
    expect(matches({ busport: "002" })).toBe(false);
  });

  test("every option must match; the first failure is reported in NUT's order", () => {
    const matcher = UsbRegexMatcher.compile({ vendorid: "051d", product: "Smart-UPS.*", serial: "nope" });
    expect(matcher.matches(apc)).toBe(false);
    expect(matcher.firstMismatch(apc)).toBe("product");
  });

  test("POSIX alternation and classes: whole-value semantics as regexec leftmost-longest + span check", () => {
    // JS leftmost-first alone would stop at "American"; the anchored form finds the full-span branch, as POSIX does.
    expect(matches({ vendor: "American|American Power Conversion" })).toBe(true);
    expect(matches({ serial: "[[:alnum:]]+" })).toBe(true);
    expect(matches({ serial: "[[:digit:]]+" })).toBe(false);
  });

  test("a bad regex fails with NUT's fatal text", () => {
    expect(() => UsbRegexMatcher.compile({ vendor: "Amer(ican" })).toThrow(PosixRegexError);
    expect(() => UsbRegexMatcher.compile({ vendor: "Amer(ican" })).toThrow("invalid regular expression: Amer(ican");
    expect(() => UsbRegexMatcher.compile({ serial: "[abc" })).toThrow("invalid regular expression: [abc");
  });
});

describe("matchesExactly (reconnect matcher)", () => {
  test("same IDs and strings match even on another bus address", () => {
    expect(matchesExactly({ ...apc, bus: "002", device: "009", busPort: "004" }, apc)).toBe(true);
  });
  test("any identity difference fails, and unset differs from set", () => {
    expect(matchesExactly({ ...apc, productId: 3 }, apc)).toBe(false);
    expect(matchesExactly({ ...apc, serial: "other" }, apc)).toBe(false);
    expect(matchesExactly({ ...apc, vendor: undefined }, apc)).toBe(false);
    expect(matchesExactly({ ...apc, vendor: undefined }, { ...apc, vendor: undefined })).toBe(true);
  });
});
