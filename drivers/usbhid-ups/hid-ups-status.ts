/**
 * usbhid-ups' internal status words (NUT 2.8.0 process_boolean_info, ups_status_set,
 * ups_alarm_set): lookups set or clear words (`online`, `!online` …); the words persist between
 * updates and are turned into ups.status tokens, input.transfer.reason and alarms.
 * With one of the options NUT added after 2.8.0 (hid-ups-status-options.ts) ups_status_set
 * follows NUT 2.8.5's instead: CAL first, OL+DISCHRG as OB and/or CAL, a throttled warning
 * about OL+DISCHRG and LB/RB held back while they may be a calibration's noise. The words stay
 * 2.8.0's (2.8.5's `offline`, `notfullycharged`, `ecomode` … come with its newer tables).
 */
import { cAtoi } from "../../core/config/c-numbers.ts";
import type { DriverState } from "../framework/driver-state.ts";
import { type HidUpsStatusOptions, readStatusOptions, STATUS_OPTIONS_2_8_0, type StatusOptionSource } from "./hid-ups-status-options.ts";

/** 2.8.0's word set; any other word is ignored. */
const WORDS = new Set([
  "online", "dischrg", "chrg", "lowbatt", "overload", "replacebatt", "shutdownimm", "trim", "boost", "bypassauto", "bypassman",
  "off", "cal", "overheat", "commfault", "depleted", "timelimitexp", "fullycharged", "awaitingpower", "fanfail", "nobattery",
  "battvoltlo", "battvolthi", "chargerfail", "vrange", "frange",
]);

const ALARMS: readonly (readonly [string, string])[] = [
  ["replacebatt", "Replace battery!"],
  ["shutdownimm", "Shutdown imminent!"],
  ["fanfail", "Fan failure!"],
  ["nobattery", "No battery installed!"],
  ["battvoltlo", "Battery voltage too low!"],
  ["battvolthi", "Battery voltage too high!"],
  ["chargerfail", "Battery charger fail!"],
  ["overheat", "Temperature too high!"],
  ["commfault", "Internal UPS fault!"],
  ["awaitingpower", "Awaiting power!"],
  ["bypassauto", "Automatic bypass mode!"],
  ["bypassman", "Manual bypass mode!"],
];

/** time(NULL): whole seconds. */
const systemSeconds = (): number => Math.floor(Date.now() / 1000);

/** printf("%f") of a difftime(). */
const seconds6 = (s: number): string => s.toFixed(6);

export type StatusDebug = (level: number, message: string) => void;

export class HidUpsStatus {
  readonly #set = new Set<string>();
  readonly #now: () => number;
  #options: HidUpsStatusOptions = STATUS_OPTIONS_2_8_0;
  /** onlinedischarge_log_throttle_sec as it stands (2.8.5 defaults it to 30 on first need). */
  #throttleSec = STATUS_OPTIONS_2_8_0.logThrottleSec;
  /** When the OL+DISCHRG warning was last logged (0: not in that state). */
  #throttleTimestamp = 0;
  /** battery.charge when it was last logged (-1: not in that state). */
  #throttleCharge = -1;
  #lastCalibrationStart = 0;
  #lastCalibrationFinish = 0;
  #lastLbStart = 0;
  #lastRbStart = 0;

  /** `now` gives whole seconds (tests pass a fake clock). */
  constructor(now: () => number = systemSeconds) {
    this.#now = now;
  }

  /** The options read at start-up (readStatusOptions); without this call 2.8.0's logic runs. */
  configure(options: HidUpsStatusOptions): void {
    this.#options = options;
    this.#throttleSec = options.logThrottleSec;
  }

  /** upsdrv_initups(): reads the options (with 2.8.5's warnings and model default) and applies them. */
  configureFrom(source: StatusOptionSource): void {
    this.configure(readStatusOptions(source));
  }

  get options(): HidUpsStatusOptions {
    return this.#options;
  }

  /** process_boolean_info(): `word` sets, `!word` clears (case-insensitive). */
  apply(word: string): void {
    const clear = word.startsWith("!");
    const name = (clear ? word.slice(1) : word).toLowerCase();
    if (!WORDS.has(name)) return;
    if (clear) this.#set.delete(name);
    else this.#set.add(name);
  }

  has(word: string): boolean {
    return this.#set.has(word);
  }

  /** ups_alarm_set(): the alarm texts of the words now set, in NUT's order. */
  alarms(): string[] {
    return ALARMS.filter(([w]) => this.#set.has(w)).map(([, text]) => text);
  }

  /**
   * ups_status_set(): input.transfer.reason and the status tokens (between status_init and
   * status_commit). `onlineDischarge` is 2.8.0's flag (also taken from configure()). `warn`
   * receives the OL+DISCHRG warning: 2.8.0 logs it on every update, 2.8.5 throttles it.
   */
  publish(state: DriverState, upsName: string, onlineDischarge: boolean, warn: (message: string) => void, debug: StatusDebug = () => undefined): void {
    const s = (w: string): boolean => this.#set.has(w);
    if (s("vrange")) state.setInfo("input.transfer.reason", "input voltage out of range");
    else if (s("frange")) state.setInfo("input.transfer.reason", "input frequency out of range");
    else state.delInfo("input.transfer.reason");
    if (this.#options.newerLogic) {
      this.#publishNewer(state, upsName, onlineDischarge, warn, debug);
      return;
    }
    if (!s("online")) state.statusSet("OB");
    else if (s("dischrg")) {
      if (onlineDischarge || this.#options.onlineDischargeOnBattery) state.statusSet("OB");
      else {
        if (!s("cal")) {
          warn(
            `ups_status_set: seems that UPS [${upsName}] is in OL+DISCHRG state now. Is it calibrating or do you perhaps want to set 'onlinedischarge' option? Some UPS models (e.g. CyberPower UT series) emit OL+DISCHRG when offline.`,
          );
        }
        state.statusSet("OL");
      }
    } else state.statusSet("OL");
    if (s("dischrg") && !s("depleted")) state.statusSet("DISCHRG");
    if (s("chrg") && !s("fullycharged")) state.statusSet("CHRG");
    if (s("lowbatt") || s("timelimitexp") || s("shutdownimm")) state.statusSet("LB");
    if (s("overload")) state.statusSet("OVER");
    if (s("replacebatt")) state.statusSet("RB");
    if (s("trim")) state.statusSet("TRIM");
    if (s("boost")) state.statusSet("BOOST");
    if (s("bypassauto") || s("bypassman")) state.statusSet("BYPASS");
    if (s("off")) state.statusSet("OFF");
    if (s("cal")) state.statusSet("CAL");
  }

  /** NUT 2.8.5's ups_status_set() over 2.8.0's words (`!online` is its `offline`). */
  #publishNewer(state: DriverState, upsName: string, onlineDischarge: boolean, warn: (message: string) => void, debug: StatusDebug): void {
    const s = (w: string): boolean => this.#set.has(w);
    const o = this.#options;
    const tokens: string[] = [];
    const statusSet = (token: string): void => {
      tokens.push(token);
      state.statusSet(token);
    };
    const setCal = (): void => this.#statusSetCal(tokens.includes("CAL"), statusSet, debug);
    const onBattery = onlineDischarge || o.onlineDischargeOnBattery;

    // CAL first: a calibration looks like OFF or OB, and upsmon should know it is a drill
    if (s("cal")) setCal();
    if (!s("dischrg") && (this.#throttleTimestamp !== 0 || this.#throttleCharge !== -1)) {
      debug(1, `ups_status_set: seems that UPS [${upsName}] was in OL+DISCHRG state previously, but no is longer discharging now.`);
      this.#throttleTimestamp = 0;
      this.#throttleCharge = -1;
    }

    if (!s("online")) statusSet("OB");
    else if (s("dischrg")) {
      let logIt = false;
      let charge = 0;
      if (o.onlineDischargeCalibration) setCal();
      if (onBattery) statusSet("OB");
      if (!onBattery && !o.onlineDischargeCalibration) {
        logIt = !s("cal");
        statusSet("OL");
      }
      if (logIt) {
        logIt = false;
        const text = state.getInfo("battery.charge");
        if (text !== undefined) {
          charge = cAtoi(text);
          // 0 may be a conversion error: only a real, changed charge counts
          if (charge > 0 && charge !== this.#throttleCharge) {
            const trend = charge > this.#throttleCharge ? "charging" : "draining";
            if (charge < o.logThrottleHoverCharge) {
              debug(
                3,
                `ups_status_set: current battery.charge=${charge} is under onlinedischarge_log_throttle_hovercharge=${o.logThrottleHoverCharge} (previous onlinedischarge_log_throttle_charge=${this.#throttleCharge}): ${trend}`,
              );
              logIt = true;
            } else {
              debug(
                5,
                `ups_status_set: current battery.charge=${charge} is okay compared to onlinedischarge_log_throttle_hovercharge=${o.logThrottleHoverCharge} (previous onlinedischarge_log_throttle_charge=${this.#throttleCharge}): ${trend}`,
              );
            }
          }
        } else if (this.#throttleSec === -2) {
          this.#throttleSec = 30;
          debug(1, `ups_status_set: seems battery.charge is not served by this device or subdriver; defaulting onlinedischarge_log_throttle_sec to ${this.#throttleSec}`);
        }
        // 2.8.5 counts time only from a message already logged
        if (this.#throttleTimestamp > 0 && this.#throttleSec >= 0 && this.#now() - this.#throttleTimestamp >= this.#throttleSec) logIt = true;
      }
      if (logIt) {
        let chargeNote = "";
        this.#throttleTimestamp = this.#now();
        if (charge > 0 && charge !== this.#throttleCharge) {
          chargeNote =
            this.#throttleCharge < 0
              ? `Battery charge is currently ${charge}. `
              : `Battery charge changed from ${this.#throttleCharge} to ${charge} since last such report (${charge > this.#throttleCharge ? "charging" : "draining"}). `;
          this.#throttleCharge = charge;
        }
        warn(
          `ups_status_set: seems that UPS [${upsName}] is in OL+DISCHRG state now. ${chargeNote}Is it calibrating (perhaps you want to set 'onlinedischarge_calibration' option)? Note that some UPS models (e.g. CyberPower UT series) emit OL+DISCHRG when in fact offline/on-battery (perhaps you want to set 'onlinedischarge_onbattery' option).`,
        );
      }
    } else statusSet("OL");

    const isCalibrating = tokens.includes("CAL");
    if (s("dischrg") && !s("depleted")) statusSet("DISCHRG");
    if (s("chrg") && !s("fullycharged")) statusSet("CHRG");

    const delayed = o.lbrbLogDelaySec >= 1 && (isCalibrating || o.lbrbLogDelayWithoutCalibrating) && s("online");
    if (s("lowbatt") || s("timelimitexp") || s("shutdownimm")) {
      if (!delayed) statusSet("LB");
      else if (this.#lastLbStart === 0) this.#lastLbStart = this.#now();
      else if (this.#now() - this.#lastLbStart > o.lbrbLogDelaySec) statusSet("LB");
      else debug(2, "ups_status_set: throttling LB status due to lbrb_log_delay_sec");
    } else this.#lastLbStart = 0;

    if (s("overload")) statusSet("OVER");

    // RB waits only alongside a pending or held LB: without LB the calibration is over
    if (s("replacebatt")) {
      if (!delayed || this.#lastLbStart === 0) statusSet("RB");
      else if (this.#lastRbStart === 0) this.#lastRbStart = this.#now();
      else if (this.#now() - this.#lastRbStart > o.lbrbLogDelaySec) statusSet("RB");
      else debug(2, "ups_status_set: throttling RB status due to lbrb_log_delay_sec");
    } else this.#lastRbStart = 0;

    if (s("trim")) statusSet("TRIM");
    if (s("boost")) statusSet("BOOST");
    if (s("bypassauto") || s("bypassman")) statusSet("BYPASS");
    if (s("off")) statusSet("OFF");

    if (!isCalibrating) {
      if (this.#lastCalibrationStart !== 0) {
        this.#lastCalibrationFinish = this.#now();
        debug(2, `ups_status_set: calibration is no longer in place, took ${seconds6(this.#lastCalibrationFinish - this.#lastCalibrationStart)} sec`);
      }
      this.#lastCalibrationStart = 0;
    }
  }

  /** status_set_CAL(): CAL once per update, and when the calibration started. */
  #statusSetCal(wasSet: boolean, statusSet: (token: string) => void, debug: StatusDebug): void {
    const now = this.#now();
    if (wasSet) {
      if (this.#lastCalibrationStart === 0) debug(2, "status_set_CAL: status was already set but not time-stamped: CAL");
      else debug(2, `status_set_CAL: status was already set ${seconds6(now - this.#lastCalibrationStart)} sec ago : CAL`);
    } else if (this.#lastCalibrationFinish !== 0) {
      debug(2, `status_set_CAL: starting a new calibration, last one finished ${seconds6(now - this.#lastCalibrationFinish)} sec ago`);
    } else {
      debug(2, "status_set_CAL: starting a new calibration, first in this driver's lifetime");
    }
    if (this.#lastCalibrationStart === 0) this.#lastCalibrationStart = now;
    if (!wasSet) statusSet("CAL");
  }
}
