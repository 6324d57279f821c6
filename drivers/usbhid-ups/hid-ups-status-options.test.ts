// Reading the status options as NUT 2.8.5's upsdrv_initups does: values, fallbacks with their
// warnings, the deprecated alias, the lbrb_log_delay_sec default for some APC models and when
// the newer status logic switches on.
import { describe, expect, test } from "bun:test";
import { lbrbDelayDefaultsFor, readStatusOptions, STATUS_OPTIONS_2_8_0, type StatusOptionSource } from "./hid-ups-status-options.ts";

function read(options: Record<string, string | true>, vendor = "CPS", product = "CP1500PFCLCD") {
  const lines: string[] = [];
  const src: StatusOptionSource = {
    getVal: (name) => {
      const v = options[name];
      return typeof v === "string" ? v : undefined;
    },
    testVar: (name) => options[name] !== undefined,
    vendor,
    product,
    warning: (m) => lines.push(`W ${m}`),
    info: (m) => lines.push(`I ${m}`),
  };
  return { options: readStatusOptions(src), lines };
}

describe("readStatusOptions", () => {
  test("nothing given: 2.8.0's behaviour", () => {
    expect(read({})).toEqual({ options: STATUS_OPTIONS_2_8_0, lines: [] });
  });

  test("onlinedischarge alone stays 2.8.0's logic; onlinedischarge_onbattery switches to 2.8.5's", () => {
    expect(read({ onlinedischarge: true }).options).toEqual({ ...STATUS_OPTIONS_2_8_0, onlineDischargeOnBattery: true });
    expect(read({ onlinedischarge_onbattery: true }).options).toEqual({ ...STATUS_OPTIONS_2_8_0, onlineDischargeOnBattery: true, newerLogic: true });
  });

  test("values and flags", () => {
    const { options, lines } = read({
      onlinedischarge_calibration: true,
      onlinedischarge_log_throttle_sec: "15",
      onlinedischarge_log_throttle_hovercharge: "95",
      lbrb_log_delay_sec: "7",
      lbrb_log_delay_without_calibrating: true,
    });
    expect(options).toEqual({
      onlineDischargeOnBattery: false,
      onlineDischargeCalibration: true,
      logThrottleSec: 15,
      logThrottleHoverCharge: 95,
      lbrbLogDelaySec: 7,
      lbrbLogDelayWithoutCalibrating: true,
      newerLogic: true,
    });
    expect(lines).toEqual([]);
  });

  test("throttle: 0 only as \"0\", negative means -1, garbage falls back to 30 with a warning", () => {
    expect(read({ onlinedischarge_log_throttle_sec: "0" }).options.logThrottleSec).toBe(0);
    expect(read({ onlinedischarge_log_throttle_sec: "-5" }).options.logThrottleSec).toBe(-1);
    expect(read({ onlinedischarge_log_throttle_sec: "12s" }).options.logThrottleSec).toBe(12);
    expect(read({ onlinedischarge_log_throttle_sec: "soon" })).toEqual({
      options: { ...STATUS_OPTIONS_2_8_0, logThrottleSec: 30, newerLogic: true },
      lines: ["W Warning: invalid value for onlinedischarge_log_throttle_sec: soon, defaulting to 30"],
    });
  });

  test("hovercharge outside 1..100 falls back to 100; lbrb garbage or negative to 3", () => {
    expect(read({ onlinedischarge_log_throttle_hovercharge: "101" }).lines).toEqual(["W Warning: invalid value for onlinedischarge_log_throttle_hovercharge: 101, defaulting to 100"]);
    expect(read({ onlinedischarge_log_throttle_hovercharge: "0" }).options.logThrottleHoverCharge).toBe(100);
    expect(read({ lbrb_log_delay_sec: "-1" })).toEqual({
      options: { ...STATUS_OPTIONS_2_8_0, lbrbLogDelaySec: 3, newerLogic: true },
      lines: ["W Warning: invalid value for lbrb_log_delay_sec: -1, defaulting to 3"],
    });
    expect(read({ lbrb_log_delay_sec: "0" })).toEqual({ options: { ...STATUS_OPTIONS_2_8_0, newerLogic: true }, lines: [] });
  });

  test("a flag given without value counts as given (testvar) but has no value (getval)", () => {
    expect(read({ lbrb_log_delay_sec: true }).options).toEqual({ ...STATUS_OPTIONS_2_8_0, newerLogic: true });
  });

  test("lbrb_log_delay_sec defaults to 3 for APC BX...MI models, with 2.8.5's hint", () => {
    const r = read({}, "American Power Conversion", "Back-UPS BX1600MI");
    expect(r.options).toEqual({ ...STATUS_OPTIONS_2_8_0, lbrbLogDelaySec: 3, newerLogic: true });
    expect(r.lines).toEqual([
      "I Defaulting lbrb_log_delay_sec=3 for American Power Conversion model Back-UPS BX1600MI; consider also setting the lbrb_log_delay_without_calibrating and/or onlinedischarge_calibration and/or onlinedischarge_log_throttle_sec flag(s) in your configuration",
    ]);
  });

  test("the default's hint names only the flags not given", () => {
    const hint = (o: Record<string, string | true>): string | undefined => read(o, "APC", "BX950MI").lines[0];
    expect(hint({ lbrb_log_delay_without_calibrating: true })).toBe(
      "I Defaulting lbrb_log_delay_sec=3 for APC model BX950MI; consider also setting the onlinedischarge_calibration and/or onlinedischarge_log_throttle_sec flag(s) in your configuration",
    );
    expect(hint({ lbrb_log_delay_without_calibrating: true, onlinedischarge_calibration: true })).toBe(
      "I Defaulting lbrb_log_delay_sec=3 for APC model BX950MI; consider also setting the onlinedischarge_log_throttle_sec flag in your configuration",
    );
    // 2.8.5's format doubles "and/or" here: kept as NUT prints it
    expect(hint({ onlinedischarge_calibration: true })).toBe(
      "I Defaulting lbrb_log_delay_sec=3 for APC model BX950MI; consider also setting the lbrb_log_delay_without_calibrating and/or and/or onlinedischarge_log_throttle_sec flag(s) in your configuration",
    );
    expect(hint({ lbrb_log_delay_without_calibrating: true, onlinedischarge_calibration: true, onlinedischarge_log_throttle_sec: "5" })).toBe(
      "I Defaulting lbrb_log_delay_sec=3 for APC model BX950MI",
    );
    // given explicitly: no default, no hint
    expect(read({ lbrb_log_delay_sec: "1" }, "APC", "BX950MI").lines).toEqual([]);
  });
});

describe("lbrbDelayDefaultsFor (2.8.5's model test)", () => {
  test.each([
    ["American Power Conversion", "Back-UPS BX1600MI", true],
    ["APC", "BX750MI", true],
    ["APC", "Back-UPS BVK650M2", true],
    ["APC", "Back-UPS BK650M2_CH", true],
    ["APC", "BK650M2-CH", true],
    ["APC", "Back-UPS ES 700G FW:871.O4 .I USB FW:O4", false],
    ["APC", "Back-UPS BX1600MI FW:378800G", false],
    ["APC", "XBX1600MI", false],
    ["APC", "BXMI", false],
    ["CPS", "Back-UPS BX1600MI", false],
  ] as const)("%s / %s: %p", (vendor, product, expected) => {
    expect(lbrbDelayDefaultsFor(vendor, product)).toBe(expected);
  });

  test("no strings: no default", () => {
    expect(lbrbDelayDefaultsFor(undefined, "BX750MI")).toBe(false);
    expect(lbrbDelayDefaultsFor("APC", undefined)).toBe(false);
  });
});
