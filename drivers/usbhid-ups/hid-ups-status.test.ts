// ups_status_set() over sequences of status words and times (fake clock): 2.8.0's logic when
// no later option is set, NUT 2.8.5's with onlinedischarge_onbattery / _calibration, the
// throttled OL+DISCHRG warning and the LB/RB delay.
import { describe, expect, test } from "bun:test";
import { MemoryNutLog } from "../../core/system/nut-log.ts";
import { DriverState } from "../framework/driver-state.ts";
import { HidUpsStatus } from "./hid-ups-status.ts";
import { type HidUpsStatusOptions, STATUS_OPTIONS_2_8_0 } from "./hid-ups-status-options.ts";

const NEWER_WARNING = (charge: string): string =>
  `ups_status_set: seems that UPS [ups] is in OL+DISCHRG state now. ${charge}Is it calibrating (perhaps you want to set 'onlinedischarge_calibration' option)? Note that some UPS models (e.g. CyberPower UT series) emit OL+DISCHRG when in fact offline/on-battery (perhaps you want to set 'onlinedischarge_onbattery' option).`;
const OLD_WARNING =
  "ups_status_set: seems that UPS [ups] is in OL+DISCHRG state now. Is it calibrating or do you perhaps want to set 'onlinedischarge' option? Some UPS models (e.g. CyberPower UT series) emit OL+DISCHRG when offline.";

/** One update: the words now set (others cleared), the clock, battery.charge if served. */
interface Step {
  t: number;
  words: string[];
  charge?: number;
}

const ALL_WORDS = ["online", "dischrg", "chrg", "lowbatt", "replacebatt", "cal", "off", "overload", "fullycharged", "shutdownimm"];

function run(options: Partial<HidUpsStatusOptions> | undefined, steps: Step[], debugLevel = 0, onlineDischargeFlag = false) {
  let now = 0;
  const status = new HidUpsStatus(() => now);
  if (options !== undefined) status.configure({ ...STATUS_OPTIONS_2_8_0, newerLogic: true, ...options });
  const log = new MemoryNutLog();
  log.debugLevel = debugLevel;
  const state = new DriverState(new MemoryNutLog());
  const statuses: string[] = [];
  const warnings: string[][] = [];
  for (const step of steps) {
    now = step.t;
    for (const w of ALL_WORDS) status.apply(step.words.includes(w) ? w : `!${w}`);
    if (step.charge === undefined) state.delInfo("battery.charge");
    else state.setInfo("battery.charge", String(step.charge));
    const before = log.lines.length;
    state.statusInit();
    status.publish(state, "ups", onlineDischargeFlag, (m) => log.warning(m), (l, m) => log.debug(l, m));
    state.statusCommit();
    statuses.push(state.getInfo("ups.status") ?? "");
    warnings.push(log.lines.slice(before));
  }
  return { statuses, warnings, lines: log.lines };
}

const every = (n: number, words: string[], charge?: number): Step[] =>
  Array.from({ length: n }, (_, i) => ({ t: 1000 + i, words, ...(charge !== undefined ? { charge } : {}) }));

describe("2.8.0's logic without the later options", () => {
  test("OL+DISCHRG: OL, warned on every update with 2.8.0's text; CAL last", () => {
    const r = run(undefined, [...every(3, ["online", "dischrg"], 80), { t: 1003, words: ["online", "dischrg", "cal", "lowbatt", "replacebatt"], charge: 80 }]);
    expect(r.statuses).toEqual(["OL DISCHRG", "OL DISCHRG", "OL DISCHRG", "OL DISCHRG LB RB CAL"]);
    expect(r.warnings).toEqual([[OLD_WARNING], [OLD_WARNING], [OLD_WARNING], []]);
  });

  test("the onlinedischarge flag (2.8.0's name) gives OB, with 2.8.0's token order", () => {
    const r = run(undefined, every(2, ["online", "dischrg", "lowbatt", "cal"], 50), 0, true);
    expect(r.statuses).toEqual(["OB DISCHRG LB CAL", "OB DISCHRG LB CAL"]);
    expect(r.lines).toEqual([]);
  });

  test("2.8.0's options object (configure with it) changes nothing", () => {
    const steps = [...every(2, ["online", "dischrg", "lowbatt", "replacebatt"], 40), ...every(1, ["chrg", "off", "cal"])];
    const plain = run(undefined, steps);
    const configured = run({ ...STATUS_OPTIONS_2_8_0 }, steps);
    expect(configured).toEqual(plain);
  });
});

describe("onlinedischarge_onbattery / onlinedischarge_calibration (2.8.5)", () => {
  test("onbattery: OL+DISCHRG is OB DISCHRG, no warning", () => {
    const r = run({ onlineDischargeOnBattery: true }, every(2, ["online", "dischrg"], 80));
    expect(r.statuses).toEqual(["OB DISCHRG", "OB DISCHRG"]);
    expect(r.lines).toEqual([]);
  });

  test("calibration: OL+DISCHRG is CAL DISCHRG (no OL), no warning; both options: CAL OB", () => {
    expect(run({ onlineDischargeCalibration: true }, every(2, ["online", "dischrg"], 80)).statuses).toEqual(["CAL DISCHRG", "CAL DISCHRG"]);
    expect(run({ onlineDischargeCalibration: true }, every(1, ["online", "dischrg"], 80)).lines).toEqual([]);
    expect(run({ onlineDischargeCalibration: true, onlineDischargeOnBattery: true }, every(1, ["online", "dischrg"])).statuses).toEqual(["CAL OB DISCHRG"]);
  });

  test("a device-reported CAL comes first and is set once", () => {
    const r = run({ onlineDischargeCalibration: true }, [
      { t: 10, words: ["online", "dischrg", "cal"] },
      { t: 11, words: ["online", "off", "cal"] },
    ]);
    expect(r.statuses).toEqual(["CAL DISCHRG", "CAL OL OFF"]);
  });

  test("off the mains nothing changes: OB", () => {
    expect(run({ onlineDischargeCalibration: true }, every(1, ["dischrg", "lowbatt"])).statuses).toEqual(["OB DISCHRG LB"]);
  });

  test("status_set_CAL and the calibration end log at debug level 2", () => {
    const r = run({ onlineDischargeCalibration: true }, [
      { t: 100, words: ["online", "dischrg"] },
      { t: 102, words: ["online", "dischrg", "cal"] },
      { t: 105, words: ["online"] },
      { t: 109, words: ["online", "dischrg"] },
    ], 2);
    expect(r.lines).toEqual([
      "[D2] status_set_CAL: starting a new calibration, first in this driver's lifetime",
      "[D2] status_set_CAL: starting a new calibration, first in this driver's lifetime",
      "[D2] status_set_CAL: status was already set 2.000000 sec ago : CAL",
      "[D2] ups_status_set: calibration is no longer in place, took 5.000000 sec",
      "[D2] status_set_CAL: starting a new calibration, last one finished 4.000000 sec ago",
    ]);
  });
});

describe("the OL+DISCHRG warning throttle (2.8.5)", () => {
  test("battery.charge served, throttle not set: logged when the charge changes below the hover charge", () => {
    const r = run({ lbrbLogDelaySec: 1 }, [
      { t: 1, words: ["online", "dischrg"], charge: 100 },
      { t: 2, words: ["online", "dischrg"], charge: 90 },
      { t: 3, words: ["online", "dischrg"], charge: 90 },
      { t: 300, words: ["online", "dischrg"], charge: 90 },
      { t: 301, words: ["online", "dischrg"], charge: 88 },
      { t: 302, words: ["online", "dischrg"], charge: 89 },
    ]);
    expect(r.statuses.every((s) => s === "OL DISCHRG")).toBe(true);
    expect(r.warnings).toEqual([
      [],
      [NEWER_WARNING("Battery charge is currently 90. ")],
      [],
      [],
      [NEWER_WARNING("Battery charge changed from 90 to 88 since last such report (draining). ")],
      [NEWER_WARNING("Battery charge changed from 88 to 89 since last such report (charging). ")],
    ]);
  });

  test("throttle_sec: repeated once that many seconds passed since the last message", () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8].map((t) => ({ t, words: ["online", "dischrg"], charge: 80 }));
    const r = run({ logThrottleSec: 3 }, steps);
    expect(r.warnings.map((w) => w.length)).toEqual([1, 0, 0, 1, 0, 0, 1, 0]);
    expect(r.warnings[3]).toEqual([NEWER_WARNING("")]);
  });

  test("throttle_sec 0 logs every update; -1 only the first message", () => {
    expect(run({ logThrottleSec: 0 }, every(3, ["online", "dischrg"], 80)).warnings.map((w) => w.length)).toEqual([1, 1, 1]);
    expect(run({ logThrottleSec: -1 }, every(3, ["online", "dischrg"], 80)).warnings.map((w) => w.length)).toEqual([1, 0, 0]);
  });

  test("hovercharge: charges at or above it do not trigger the message", () => {
    const r = run({ logThrottleHoverCharge: 90 }, [
      { t: 1, words: ["online", "dischrg"], charge: 95 },
      { t: 2, words: ["online", "dischrg"], charge: 90 },
      { t: 3, words: ["online", "dischrg"], charge: 89 },
    ]);
    expect(r.warnings).toEqual([[], [], [NEWER_WARNING("Battery charge is currently 89. ")]]);
  });

  test("leaving OL+DISCHRG resets the throttle (debug 1); a new episode reports the charge afresh", () => {
    const r = run({ logThrottleSec: 100 }, [
      { t: 1, words: ["online", "dischrg"], charge: 70 },
      { t: 2, words: ["online"], charge: 70 },
      { t: 3, words: ["online", "dischrg"], charge: 70 },
    ], 1);
    expect(r.warnings).toEqual([
      [NEWER_WARNING("Battery charge is currently 70. ")],
      ["[D1] ups_status_set: seems that UPS [ups] was in OL+DISCHRG state previously, but no is longer discharging now."],
      [NEWER_WARNING("Battery charge is currently 70. ")],
    ]);
  });

  test("without battery.charge the throttle defaults to 30 s, which counts only from a logged message (as in 2.8.5)", () => {
    const r = run({ lbrbLogDelaySec: 2 }, every(40, ["online", "dischrg"]), 1);
    expect(r.lines).toEqual(["[D1] ups_status_set: seems battery.charge is not served by this device or subdriver; defaulting onlinedischarge_log_throttle_sec to 30"]);
  });

  test("a device-reported CAL silences the warning", () => {
    expect(run({ logThrottleSec: 0 }, every(3, ["online", "dischrg", "cal"], 50)).lines).toEqual([]);
  });
});

describe("lbrb_log_delay_sec (2.8.5)", () => {
  const lbrb = (from: number, to: number, words: string[]): Step[] => Array.from({ length: to - from + 1 }, (_, i) => ({ t: from + i, words }));

  test("while calibrating, LB and RB appear only after persisting longer than the delay", () => {
    const words = ["online", "dischrg", "lowbatt", "replacebatt"];
    const r = run({ onlineDischargeCalibration: true, lbrbLogDelaySec: 3 }, lbrb(10, 16, words), 2);
    expect(r.statuses).toEqual([
      "CAL DISCHRG", // both seen first at 10: their clocks start
      "CAL DISCHRG",
      "CAL DISCHRG",
      "CAL DISCHRG",
      "CAL DISCHRG LB RB", // 14 - 10 > 3
      "CAL DISCHRG LB RB",
      "CAL DISCHRG LB RB",
    ]);
    expect(r.warnings[2]).toContain("[D2] ups_status_set: throttling LB status due to lbrb_log_delay_sec");
    expect(r.warnings[2]).toContain("[D2] ups_status_set: throttling RB status due to lbrb_log_delay_sec");
  });

  test("RB that comes after LB waits for its own delay", () => {
    const r = run({ onlineDischargeCalibration: true, lbrbLogDelaySec: 3 }, [
      ...lbrb(10, 11, ["online", "dischrg", "lowbatt"]),
      ...lbrb(12, 17, ["online", "dischrg", "lowbatt", "replacebatt"]),
    ]);
    // LB from 10 (shown at 14), RB from 12 (shown at 16)
    expect(r.statuses).toEqual(["CAL DISCHRG", "CAL DISCHRG", "CAL DISCHRG", "CAL DISCHRG", "CAL DISCHRG LB", "CAL DISCHRG LB", "CAL DISCHRG LB RB", "CAL DISCHRG LB RB"]);
  });

  test("short LB/RB blips during a calibration never show", () => {
    const r = run({ onlineDischargeCalibration: true, lbrbLogDelaySec: 3 }, [
      ...lbrb(1, 3, ["online", "dischrg", "lowbatt", "replacebatt"]),
      ...lbrb(4, 5, ["online"]),
      ...lbrb(6, 8, ["online", "dischrg", "lowbatt"]),
    ]);
    expect(r.statuses).toEqual(["CAL DISCHRG", "CAL DISCHRG", "CAL DISCHRG", "OL", "OL", "CAL DISCHRG", "CAL DISCHRG", "CAL DISCHRG"]);
  });

  test("not calibrating: immediate, unless lbrb_log_delay_without_calibrating", () => {
    const words = ["online", "lowbatt", "replacebatt"];
    expect(run({ lbrbLogDelaySec: 2 }, lbrb(1, 2, words)).statuses).toEqual(["OL LB RB", "OL LB RB"]);
    expect(run({ lbrbLogDelaySec: 2, lbrbLogDelayWithoutCalibrating: true }, lbrb(1, 5, words)).statuses).toEqual(["OL", "OL", "OL", "OL LB RB", "OL LB RB"]);
  });

  test("on battery (not online) LB and RB are never delayed", () => {
    const r = run({ lbrbLogDelaySec: 5, lbrbLogDelayWithoutCalibrating: true }, lbrb(1, 2, ["dischrg", "lowbatt", "replacebatt"]));
    expect(r.statuses).toEqual(["OB DISCHRG LB RB", "OB DISCHRG LB RB"]);
  });

  test("RB alone (no LB) is not delayed", () => {
    const r = run({ lbrbLogDelaySec: 5, lbrbLogDelayWithoutCalibrating: true }, lbrb(1, 2, ["online", "replacebatt"]));
    expect(r.statuses).toEqual(["OL RB", "OL RB"]);
  });
});
