/**
 * usbhid-ups' internal status words (NUT 2.8.0 process_boolean_info, ups_status_set,
 * ups_alarm_set): lookups set or clear words (`online`, `!online` …); the words persist between
 * updates and are turned into ups.status tokens, input.transfer.reason and alarms.
 */
import type { DriverState } from "../framework/driver-state.ts";

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

export class HidUpsStatus {
  readonly #set = new Set<string>();

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
   * status_commit). `warn` receives the OL+DISCHRG warning, logged on every update as 2.8.0 does.
   */
  publish(state: DriverState, upsName: string, onlineDischarge: boolean, warn: (message: string) => void): void {
    const s = (w: string): boolean => this.#set.has(w);
    if (s("vrange")) state.setInfo("input.transfer.reason", "input voltage out of range");
    else if (s("frange")) state.setInfo("input.transfer.reason", "input frequency out of range");
    else state.delInfo("input.transfer.reason");
    if (!s("online")) state.statusSet("OB");
    else if (s("dischrg")) {
      if (onlineDischarge) state.statusSet("OB");
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
}
