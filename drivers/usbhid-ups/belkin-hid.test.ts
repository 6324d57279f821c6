import { afterEach, describe, expect, test } from "bun:test";
import {
  BELKIN_AWAITINGPOWER_CONVERSION,
  BELKIN_COMMFAULT_CONVERSION,
  BELKIN_DEPLETED_CONVERSION,
  BELKIN_FIRMWARE_CONVERSION,
  BELKIN_LOWBATT_CONVERSION,
  BELKIN_ONLINE_CONVERSION,
  BELKIN_OVERHEAT_CONVERSION,
  BELKIN_OVERLOAD_CONVERSION,
  BELKIN_REPLACEBATT_CONVERSION,
  BELKIN_SENSITIVITY_CONVERSION,
  BELKIN_SUBDRIVER,
  BELKIN_TEST_INFO,
  BELKIN_UPSTYPE_CONVERSION,
  LIEBERT_CONFIG_VOLTAGE_INFO,
  LIEBERT_LINE_VOLTAGE_INFO,
  LIEBERT_ONLINE_INFO,
  LIEBERT_SHUTDOWNIMM_INFO,
  liebertVoltageScale,
  resetLiebertVoltageScale,
} from "./belkin-hid.ts";
import { lookupToNut } from "./hid-lookups.ts";
import { type HidConversionContext, type HidDeviceIdentity, type HidDeviceReader, usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";

const ctx = (debug: string[] = [], notice: string[] = []): HidConversionContext => ({
  stringDescriptor: () => undefined,
  debug: (_level, m) => debug.push(m),
  logNotice: (m) => notice.push(m),
});
const dev = (vendorId: number, productId: number, strings: { vendor?: string; product?: string; serial?: string } = {}): HidDeviceIdentity => ({
  vendorId,
  productId,
  vendor: strings.vendor,
  product: strings.product,
  serial: strings.serial,
});
const reader = (strings: Record<string, string>): HidDeviceReader => ({ itemValue: () => undefined, itemString: (path) => strings[path] ?? "" });

afterEach(resetLiebertVoltageScale);

describe("Liebert conversions", () => {
  test("status flags: any non-zero value is set (1e-7 from the broken exponent too)", () => {
    expect(LIEBERT_ONLINE_INFO.toNut(1e-7, ctx())).toBe("online");
    expect(LIEBERT_ONLINE_INFO.toNut(0, ctx())).toBe("!online");
    expect(LIEBERT_SHUTDOWNIMM_INFO.toNut(1, ctx())).toBe("shutdownimm");
  });

  test("ConfigVoltage 1e-7 sets both correction factors; line voltages read before it stay uncorrected", () => {
    const debug: string[] = [];
    const notice: string[] = [];
    // PSA order: input voltage first (120 V read as 1.2e-5), then the nominal battery voltage
    expect(LIEBERT_LINE_VOLTAGE_INFO.toNut(1.2e-5, ctx(debug, notice))).toBe("0.0");
    expect(notice).toEqual(["LineVoltage exponent looks wrong, but not correcting."]);
    expect(LIEBERT_CONFIG_VOLTAGE_INFO.toNut(1e-7, ctx(debug, notice))).toBe("10.0");
    expect(debug).toEqual(["ConfigVoltage = 1e-07 -> assuming correction factor = 1e+08"]);
    expect(liebertVoltageScale).toEqual({ config: 1e8, line: 1e7 });
    expect(LIEBERT_LINE_VOLTAGE_INFO.toNut(1.2e-5, ctx())).toBe("120.0");
  });

  test("a line voltage of exactly 1e-7 sets the line factor itself", () => {
    const debug: string[] = [];
    expect(LIEBERT_LINE_VOLTAGE_INFO.toNut(1e-7, ctx(debug))).toBe("1.0");
    expect(debug).toEqual(["Input/OutputVoltage = 1e-07 -> assuming correction factor = 1e+07"]);
  });

  test("sane values pass as %.1f; other small values are reported, not corrected", () => {
    const notice: string[] = [];
    expect(LIEBERT_CONFIG_VOLTAGE_INFO.toNut(12, ctx([], notice))).toBe("12.0");
    expect(LIEBERT_CONFIG_VOLTAGE_INFO.toNut(0.5, ctx([], notice))).toBe("0.5");
    expect(notice).toEqual(["ConfigVoltage exponent looks wrong, but not correcting."]);
    // NUT's 10-byte buffer
    expect(LIEBERT_LINE_VOLTAGE_INFO.toNut(123456789, ctx())).toBe("123456789");
  });
});

describe("Belkin conversions", () => {
  test("BELKINUPSType: firmware in the high nibble, type in the low one", () => {
    expect(BELKIN_FIRMWARE_CONVERSION.toNut(0x11, ctx())).toBe("1");
    expect(BELKIN_FIRMWARE_CONVERSION.toNut(0x2f, ctx())).toBe("2");
    // an arithmetic shift, as C's >> on a negative long
    expect(BELKIN_FIRMWARE_CONVERSION.toNut(-17, ctx())).toBe("-2");
    const types = [0, 1, 2, 3, 4, 5, 6, 15].map((t) => BELKIN_UPSTYPE_CONVERSION.toNut(0x10 | t, ctx()));
    expect(types).toEqual(["online", "offline", "line-interactive", "simple online", "simple offline", "simple line-interactive", "online", "online"]);
  });

  test("sensitivity and test result", () => {
    expect([0, 1, 2, 3].map((v) => BELKIN_SENSITIVITY_CONVERSION.toNut(v, ctx()))).toEqual(["normal", "reduced", "low", "normal"]);
    expect(lookupToNut(BELKIN_TEST_INFO, 0, ctx())).toBe("No test initiated");
    expect(lookupToNut(BELKIN_TEST_INFO, 5, ctx())).toBe("In progress");
    expect(lookupToNut(BELKIN_TEST_INFO, 6, ctx())).toBeUndefined();
  });

  test("BELKINPowerStatus bits: 0 AC failure, 4 overload, 6 overheat, 7 fault, 13 awaiting power", () => {
    const power = (v: number) =>
      [BELKIN_ONLINE_CONVERSION, BELKIN_OVERLOAD_CONVERSION, BELKIN_OVERHEAT_CONVERSION, BELKIN_COMMFAULT_CONVERSION, BELKIN_AWAITINGPOWER_CONVERSION].map((c) =>
        c.toNut(v, ctx()),
      );
    expect(power(0)).toEqual(["online", "!overload", "!overheat", "!commfault", "!awaitingpower"]);
    expect(power(0x20d1)).toEqual(["!online", "overload", "overheat", "commfault", "awaitingpower"]);
  });

  test("BELKINBatteryStatus bits: 2 low battery, 6 empty, 7 replace", () => {
    const battery = (v: number) => [BELKIN_LOWBATT_CONVERSION, BELKIN_DEPLETED_CONVERSION, BELKIN_REPLACEBATT_CONVERSION].map((c) => c.toNut(v, ctx()));
    // charging / discharging bits (4, 5) are not used
    expect(battery(0x30)).toEqual(["!lowbatt", "!depleted", "!replacebatt"]);
    expect(battery(0xc4)).toEqual(["lowbatt", "depleted", "replacebatt"]);
  });
});

describe("identity", () => {
  test("manufacturer: leading blanks trimmed, 'Belkin' when absent or blank", () => {
    expect(BELKIN_SUBDRIVER.formatMfr(dev(0x050d, 0x0751, { vendor: "  BELKIN " }))).toBe("BELKIN ");
    expect(BELKIN_SUBDRIVER.formatMfr(dev(0x050d, 0x0751, { vendor: "   " }))).toBe("Belkin");
    expect(BELKIN_SUBDRIVER.formatMfr(dev(0x050d, 0x0751))).toBe("Belkin");
  });

  test("model: the product string, 'unknown' when absent or empty", () => {
    expect(BELKIN_SUBDRIVER.formatModel(dev(0x050d, 0x0751, { product: "Belkin UPS" }), reader({}))).toBe("Belkin UPS");
    expect(BELKIN_SUBDRIVER.formatModel(dev(0x050d, 0x0751, { product: "" }), reader({}))).toBe("unknown");
    expect(BELKIN_SUBDRIVER.formatModel(dev(0x050d, 0x0751), reader({}))).toBe("unknown");
  });

  test("serial: the USB string, else UPS.PowerSummary.iSerialNumber (63 characters at most)", () => {
    const path = "UPS.PowerSummary.iSerialNumber";
    expect(BELKIN_SUBDRIVER.formatSerial(dev(0x050d, 0x0751, { serial: "" }), reader({ [path]: "X" }))).toBe("");
    expect(BELKIN_SUBDRIVER.formatSerial(dev(0x050d, 0x0751), reader({ [path]: "01          " }))).toBe("01          ");
    expect(BELKIN_SUBDRIVER.formatSerial(dev(0x050d, 0x0751), reader({ [path]: "9".repeat(80) }))).toBe("9".repeat(63));
    expect(BELKIN_SUBDRIVER.formatSerial(dev(0x050d, 0x0751), reader({}))).toBeUndefined();
    expect(BELKIN_SUBDRIVER.formatSerial(dev(0x050d, 0x0751))).toBeUndefined();
  });

  test("Belkin's usage names resolve on the reserved power page 0x86", () => {
    const { path } = stringToPath("UPS.BELKINPowerState.BELKINInput.BELKINVoltage", BELKIN_SUBDRIVER.usageTable);
    expect(path).toEqual([0x00840004, 0x0086002a, 0x0086001a, 0x00860030]);
  });
});

describe("claim", () => {
  test("listed Belkin and Liebert IDs (2.8.0: no 10af:0000 or 0002 yet)", () => {
    for (const pid of [0x0980, 0x0900, 0x0910, 0x0912, 0x0551, 0x0750, 0x0751, 0x0375, 0x0f51, 0x1100]) {
      expect(usbIdSupport(BELKIN_SUBDRIVER.usbIds, 0x050d, pid).support).toBe("supported");
    }
    for (const pid of [0x0001, 0x0004, 0x0008]) expect(usbIdSupport(BELKIN_SUBDRIVER.usbIds, 0x10af, pid).support).toBe("supported");
    expect(usbIdSupport(BELKIN_SUBDRIVER.usbIds, 0x10af, 0x0002).support).toBe("possibly");
  });

  test("other products: the USB hub never, the rest with productid, else the vendor's notice", () => {
    const claim = BELKIN_SUBDRIVER.claimPossibly!;
    const logged: string[] = [];
    const debug = (level: number, m: string) => logged.push(`${level} ${m}`);
    expect(claim(dev(0x050d, 0x0218), true, debug)).toBe(false);
    expect(logged).toEqual([]);
    expect(claim(dev(0x050d, 0x1234), true, debug)).toBe(true);
    expect(claim(dev(0x050d, 0x1234), false, debug)).toBe(false);
    expect(claim(dev(0x10af, 0x0002), false, debug)).toBe(false);
    expect(claim(dev(0x10af, 0x0002), true, debug)).toBe(true);
    expect(logged.map((l) => l.split("\n")[0])).toEqual([
      "0 This Belkin device (050d:1234) is not (or perhaps not yet) supported",
      "0 This Liebert device (10af:0002) is not (or perhaps not yet) supported",
    ]);
  });
});
