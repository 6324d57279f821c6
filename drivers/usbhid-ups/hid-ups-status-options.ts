/**
 * The usbhid-ups options that steer ups_status_set() (NUT 2.8.5 upsdrv_initups): what to make
 * of OL+DISCHRG (onlinedischarge_onbattery, its 2.8.0 name onlinedischarge, and
 * onlinedischarge_calibration), how often to warn about it (onlinedischarge_log_throttle_sec,
 * onlinedischarge_log_throttle_hovercharge) and how long to hold back LB and RB
 * (lbrb_log_delay_sec, lbrb_log_delay_without_calibrating, defaulted for some APC models).
 * 2.8.0 knew only onlinedischarge: without any of the later options the status logic stays
 * 2.8.0's, so our output still equals Debian's there.
 */
import { cAtoi } from "../../core/config/c-numbers.ts";

export interface HidUpsStatusOptions {
  /** onlinedischarge_onbattery or onlinedischarge: OL+DISCHRG reads as OB. */
  readonly onlineDischargeOnBattery: boolean;
  /** onlinedischarge_calibration: OL+DISCHRG reads as CAL. */
  readonly onlineDischargeCalibration: boolean;
  /** Seconds between repeated OL+DISCHRG warnings; -1 never repeats, -2 = not configured. */
  readonly logThrottleSec: number;
  /** A battery.charge at or above this (percent) does not make the warning repeat. */
  readonly logThrottleHoverCharge: number;
  /** LB and RB are set only once they persisted longer than this (0 = at once). */
  readonly lbrbLogDelaySec: number;
  /** lbrbLogDelaySec applies also when the device is not calibrating. */
  readonly lbrbLogDelayWithoutCalibrating: boolean;
  /**
   * Whether the 2.8.1+ status logic runs (CAL first, throttled warning with the newer text,
   * LB/RB delay): only when one of the later options is given or lbrb_log_delay_sec was
   * defaulted for the model, so that 2.8.0 configurations keep 2.8.0's output.
   */
  readonly newerLogic: boolean;
}

/** 2.8.0's behaviour: no option given. */
export const STATUS_OPTIONS_2_8_0: HidUpsStatusOptions = {
  onlineDischargeOnBattery: false,
  onlineDischargeCalibration: false,
  logThrottleSec: -2,
  logThrottleHoverCharge: 100,
  lbrbLogDelaySec: 0,
  lbrbLogDelayWithoutCalibrating: false,
  newerLogic: false,
};

/** The options of this file that NUT 2.8.0 did not have. */
export const STATUS_OPTIONS_AFTER_2_8_0 = [
  "onlinedischarge_onbattery",
  "onlinedischarge_calibration",
  "onlinedischarge_log_throttle_sec",
  "onlinedischarge_log_throttle_hovercharge",
  "lbrb_log_delay_sec",
  "lbrb_log_delay_without_calibrating",
] as const;

/** The value lbrb_log_delay_sec takes when defaulted or given a bad value. */
const LBRB_DEFAULT_SEC = 3;

/**
 * NUT 2.8.5's model test for defaulting lbrb_log_delay_sec (issues 2347, 2565, 2944, 3006):
 * an APC whose USB product string is a BXnnnMI, BVKnnnM2 or BKnnnM2-CH (or _CH), the model
 * being the first word or following a blank. It looks at the USB vendor and product strings,
 * not at the subdriver.
 */
export function lbrbDelayDefaultsFor(vendor: string | undefined, product: string | undefined): boolean {
  if (vendor === undefined || product === undefined || product.length === 0) return false;
  if (vendor !== "APC" && vendor !== "American Power Conversion") return false;
  const n = product.length;
  const model = (prefix: string): boolean => product.includes(` ${prefix}`) || product.startsWith(prefix);
  const at = (fromEnd: number): string => product[n - fromEnd] ?? "";
  const bx = n > 6 && model("BX") && at(2) === "M" && at(1) === "I";
  const bvk = n > 7 && model("BVK") && at(2) === "M" && at(1) === "2";
  const bk = n > 9 && model("BK") && at(5) === "M" && at(4) === "2" && (at(3) === "-" || at(3) === "_") && at(2) === "C" && at(1) === "H";
  return bx || bvk || bk;
}

/** The LOG_INFO line 2.8.5 writes when it defaults lbrb_log_delay_sec for such a model. */
function lbrbDefaultMessage(vendor: string, product: string, given: (name: string) => boolean): string {
  const withoutCal = given("lbrb_log_delay_without_calibrating");
  const cal = given("onlinedischarge_calibration");
  const throttle = given("onlinedischarge_log_throttle_sec");
  const anyMissing = !withoutCal || !cal || !throttle;
  const count = Number(withoutCal) + Number(cal) + Number(throttle);
  return (
    `Defaulting lbrb_log_delay_sec=${LBRB_DEFAULT_SEC} for ${vendor} model ${product}` +
    (anyMissing ? "; consider also setting the " : "") +
    (!withoutCal ? "lbrb_log_delay_without_calibrating " : "") +
    (!withoutCal && (!cal || !throttle) ? "and/or " : "") +
    (!cal ? "onlinedischarge_calibration " : "") +
    ((!withoutCal || !cal) && !throttle ? "and/or " : "") +
    (!throttle ? "onlinedischarge_log_throttle_sec " : "") +
    (anyMissing ? "flag" : "") +
    (count < 2 ? "(s)" : "") +
    (anyMissing ? " in your configuration" : "")
  );
}

export interface StatusOptionSource {
  /** getval(): the option's value, undefined when not given or given as a bare flag. */
  getVal(name: string): string | undefined;
  /** testvar(): whether the option was given at all. */
  testVar(name: string): boolean;
  /** USB vendor and product strings of the opened device. */
  readonly vendor: string | undefined;
  readonly product: string | undefined;
  /** upslogx(LOG_WARNING) / upslogx(LOG_INFO). */
  warning(message: string): void;
  info(message: string): void;
}

/** upsdrv_initups()'s reading of the options, with 2.8.5's fallbacks and log lines. */
export function readStatusOptions(src: StatusOptionSource): HidUpsStatusOptions {
  const invalid = (name: string, value: string, fallback: number): number => {
    src.warning(`Warning: invalid value for ${name}: ${value}, defaulting to ${fallback}`);
    return fallback;
  };

  let logThrottleSec = STATUS_OPTIONS_2_8_0.logThrottleSec;
  const throttle = src.getVal("onlinedischarge_log_throttle_sec");
  if (throttle !== undefined) {
    const n = cAtoi(throttle);
    // a negative value means "be quiet"; 0 only when written as "0"
    if (n === 0 && throttle !== "0") logThrottleSec = invalid("onlinedischarge_log_throttle_sec", throttle, 30);
    else logThrottleSec = n < 0 ? -1 : n;
  }

  let logThrottleHoverCharge = STATUS_OPTIONS_2_8_0.logThrottleHoverCharge;
  const hover = src.getVal("onlinedischarge_log_throttle_hovercharge");
  if (hover !== undefined) {
    const n = cAtoi(hover);
    logThrottleHoverCharge = n < 1 || n > 100 ? invalid("onlinedischarge_log_throttle_hovercharge", hover, 100) : n;
  }

  let lbrbLogDelaySec = STATUS_OPTIONS_2_8_0.lbrbLogDelaySec;
  let lbrbDefaulted = false;
  const lbrb = src.getVal("lbrb_log_delay_sec");
  if (lbrb !== undefined) {
    const n = cAtoi(lbrb);
    lbrbLogDelaySec = (n === 0 && lbrb !== "0") || n < 0 ? invalid("lbrb_log_delay_sec", lbrb, LBRB_DEFAULT_SEC) : n;
  } else if (lbrbDelayDefaultsFor(src.vendor, src.product)) {
    lbrbLogDelaySec = LBRB_DEFAULT_SEC;
    lbrbDefaulted = true;
    src.info(lbrbDefaultMessage(src.vendor!, src.product!, (name) => src.testVar(name)));
  }

  return {
    onlineDischargeOnBattery: src.testVar("onlinedischarge") || src.testVar("onlinedischarge_onbattery"),
    onlineDischargeCalibration: src.testVar("onlinedischarge_calibration"),
    logThrottleSec,
    logThrottleHoverCharge,
    lbrbLogDelaySec,
    lbrbLogDelayWithoutCalibrating: src.testVar("lbrb_log_delay_without_calibrating"),
    newerLogic: lbrbDefaulted || STATUS_OPTIONS_AFTER_2_8_0.some((name) => src.testVar(name)),
  };
}
