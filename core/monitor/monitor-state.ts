/**
 * upsmon's decisions (clients/upsmon.c), pure: what each polled `ups.status` or failed poll does
 * to a UPS's flags and timers, which notifications follow, when a UPS is critical, and when
 * the sum of healthy power values falls below MINSUPPLIES so that the machine must shut down.
 * Time comes in as whole seconds (C's time()); nothing here reads the clock or does I/O, so
 * every combination can be tested exhaustively (monitor-state.test.ts).
 *
 * NUT 2.8.5's rules, with the fixes of its known defects that matter for safety:
 * - CAL is cleared when it leaves the status (2.8.0/2.8.1 kept it forever, and a UPS once seen
 *   calibrating was never critical again: no shutdown);
 * - the poll interval returns to POLLFREQ only when no monitored UPS is in an alerting state
 *   (2.8.5's try_restore_pollfreq() tests its mask with "all of" instead of "any of", and its
 *   sleepval is global, so one UPS going back on line slowed polling of another on battery);
 * - the last ups.alarm text is kept per UPS (2.8.5 keeps one for all UPSes).
 */
import type { NotifyType } from "../config/upsmon-conf.ts";

/** The upsmon.conf timings and limits the decisions use. */
export interface MonitorSettings {
  pollFreq: number;
  pollFreqAlert: number;
  hostSync: number;
  deadTime: number;
  rbWarnTime: number;
  noCommWarnTime: number;
  /** Seconds of OFF before critical; 0 at once, negative never. */
  offDuration: number;
  /** Seconds of OVER while not communicating before critical; negative never. */
  overDuration: number;
  /** Seconds OB+LB must last before critical; 0 at once. */
  oblbDuration: number;
  alarmCritical: boolean;
  minSupplies: number;
}

/** Something upsmon must do or say because of a decision. */
export type MonitorEvent =
  | { kind: "notify"; type: NotifyType; /** the MONITOR system name; absent for SHUTDOWN etc. */ system?: string; extra?: string }
  | { kind: "log"; level: "warning" | "info" | "debug"; text: string };

/** The status flags upsmon keeps per UPS (ST_* of upsmon.h that come from ups.status). */
export type UpsFlag = "ONLINE" | "ONBATT" | "LOWBATT" | "FSD" | "CAL" | "OFF" | "BYPASS" | "ALARM" | "OVER" | "TRIM" | "BOOST" | "ECO";

/** Flags during which upsmon polls every POLLFREQALERT seconds. */
const ALERTING_FLAGS: readonly UpsFlag[] = ["ONBATT", "OFF", "BYPASS", "ALARM", "CAL", "OVER", "TRIM", "BOOST"];

/** Status words upsmon knows but does nothing with. */
const IGNORED_TOKENS = new Set(["HB", "CHRG", "DISCHRG"]);

/** One MONITOR entry's state (utype_t). */
export class MonitoredUps {
  /** `ups@host:port` as written in MONITOR: UPSNAME and `%s` of notifications. */
  readonly system: string;
  readonly upsname: string;
  /** A reload may change the power value and the role. */
  powerValue: number;
  primary: boolean;
  readonly flags = new Set<UpsFlag>();
  /** -1 never polled, 0 lost, 1 answering. */
  commState: -1 | 0 | 1 = -1;
  /** -1 no status yet, 0 last seen not on line, 1 on line. */
  lineState: -1 | 0 | 1 = -1;
  lastPoll = 0;
  lastNonCrit = 0;
  lastRbWarn = 0;
  lastNcWarn = 0;
  offSince = 0;
  offState = false;
  overSince = 0;
  overState = false;
  bypassState = false;
  alarmState = false;
  oblbSince = 0;
  lastFsdNotify = 0;
  /** Unclassified status words currently reported, in first-seen order. */
  otherTokens: string[] = [];
  /** ups.alarm text last notified. */
  alarmText = "";

  constructor(system: string, upsname: string, powerValue: number, primary: boolean) {
    this.system = system;
    this.upsname = upsname;
    this.powerValue = powerValue;
    this.primary = primary;
  }

  has(flag: UpsFlag): boolean {
    return this.flags.has(flag);
  }
}

/** Greatest common divisor of two positive integers. */
function gcd(a: number, b: number): number {
  let x = Math.max(1, a);
  let y = Math.max(1, b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** All monitored UPSes and the poll interval. */
export class MonitorState {
  readonly settings: MonitorSettings;
  readonly ups: readonly MonitoredUps[];
  /** Seconds to sleep between polling rounds (upsmon starts with 5, whatever POLLFREQ says). */
  sleepSeconds = 5;

  constructor(settings: MonitorSettings, ups: readonly MonitoredUps[]) {
    this.settings = settings;
    this.ups = ups;
  }

  #notify(events: MonitorEvent[], type: NotifyType, ups?: MonitoredUps, extra?: string): void {
    const event: MonitorEvent = { kind: "notify", type };
    if (ups) event.system = ups.system;
    if (extra !== undefined) event.extra = extra;
    events.push(event);
  }

  /** Back to POLLFREQ unless some UPS still needs close watching. */
  #tryRestorePollFreq(): void {
    const alerting = this.ups.some((u) => ALERTING_FLAGS.some((f) => u.has(f)) || u.oblbSince > 0);
    if (!alerting) this.sleepSeconds = this.settings.pollFreq;
  }

  #alert(): void {
    this.sleepSeconds = this.settings.pollFreqAlert;
  }

  /** ups_is_alive(). */
  #alive(ups: MonitoredUps, now: number, events: MonitorEvent[]): void {
    ups.lastPoll = now;
    if (ups.commState === 1) return;
    // a first successful poll after start-up is not a recovery
    if (ups.commState === 0) this.#notify(events, "COMMOK", ups);
    ups.commState = 1;
  }

  /** ups_is_gone(): a poll failed, the server is unreachable, or the status was empty. */
  pollFailed(ups: MonitoredUps, now: number): MonitorEvent[] {
    const events: MonitorEvent[] = [];
    if (ups.commState !== 0) {
      ups.commState = 0;
      this.#notify(events, "COMMBAD", ups);
      return events;
    }
    if (now - ups.lastPoll < this.settings.noCommWarnTime) return events;
    if (now - ups.lastNcWarn > this.settings.noCommWarnTime) {
      this.#notify(events, "NOCOMM", ups);
      ups.lastNcWarn = now;
    }
    return events;
  }

  /**
   * parse_status(): one `ups.status` value. `alarm` is the ups.alarm value when the status holds
   * ALARM and it could be read (the caller fetches it then).
   */
  statusPolled(ups: MonitoredUps, status: string, now: number, alarm?: string): MonitorEvent[] {
    if (status === "") return this.pollFailed(ups, now);
    const events: MonitorEvent[] = [];
    this.#alive(ups, now, events);

    // flags leave as soon as their word does; NUT tests substrings (strstr), so OLB keeps LB
    if (!status.includes("LB")) ups.flags.delete("LOWBATT");
    if (!status.includes("FSD")) {
      ups.flags.delete("FSD");
      ups.lastFsdNotify = 0;
    }
    if (!status.includes("CAL")) this.#leave(ups, "CAL", "NOTCAL", events);
    if (!status.includes("OFF")) {
      ups.offSince = 0;
      ups.offState = false;
      this.#leave(ups, "OFF", "NOTOFF", events);
    }
    if (!status.includes("BYPASS")) {
      ups.bypassState = false;
      this.#leave(ups, "BYPASS", "NOTBYPASS", events);
    }
    if (!status.includes("ALARM")) {
      ups.alarmState = false;
      this.#leave(ups, "ALARM", "NOTALARM", events);
    }
    if (!status.includes("OVER")) {
      ups.overSince = 0;
      ups.overState = false;
      this.#leave(ups, "OVER", "NOTOVER", events);
    }
    if (!status.includes("TRIM")) this.#leave(ups, "TRIM", "NOTTRIM", events);
    if (!status.includes("BOOST")) this.#leave(ups, "BOOST", "NOTBOOST", events);
    if (!status.includes("ECO")) this.#leave(ups, "ECO", "NOTECO", events);

    const wasNonCritical = !ups.has("ONBATT") || !ups.has("LOWBATT") || ups.has("CAL");
    const others: string[] = [];
    for (const word of status.split(" ")) {
      // a doubled space gives an empty word; no driver sends one and it means nothing
      if (word !== "") this.#token(ups, word.toUpperCase(), word, now, alarm, others, events);
    }
    // update_crittimer(): the secondary's HOSTSYNC clock runs from the first poll that finds
    // OB+LB (and not CAL). NUT checks after every word, so a contradictory `OL OB LB` (OL
    // clears OB for a moment) restarted the clock at each poll and the secondary never gave up:
    // here the flags before and after the poll count.
    if (wasNonCritical || !ups.has("ONBATT") || !ups.has("LOWBATT") || ups.has("CAL")) ups.lastNonCrit = now;
    const before = ups.otherTokens;
    const changed = others.length !== before.length || others.some((w) => !before.includes(w));
    ups.otherTokens = others;
    if (changed) {
      if (others.length > 0) this.#notify(events, "OTHER", ups, others.join(" "));
      else this.#notify(events, "NOTOTHER", ups);
    }
    return events;
  }

  #leave(ups: MonitoredUps, flag: UpsFlag, notice: NotifyType, events: MonitorEvent[]): void {
    if (!ups.has(flag)) return;
    this.#notify(events, notice, ups);
    ups.flags.delete(flag);
    this.#tryRestorePollFreq();
  }

  /** Sets a flag on its first sighting and notifies; true when it was new. */
  #enter(ups: MonitoredUps, flag: UpsFlag, notice: NotifyType, events: MonitorEvent[]): boolean {
    if (ups.has(flag)) return false;
    this.#notify(events, notice, ups);
    ups.flags.add(flag);
    return true;
  }

  #token(ups: MonitoredUps, upper: string, word: string, now: number, alarm: string | undefined, others: string[], events: MonitorEvent[]): void {
    switch (upper) {
      case "OL":
        if (!ups.has("ONLINE")) {
          // the first status after start-up is no return of power
          if (ups.lineState !== -1) this.#notify(events, "ONLINE", ups);
          ups.lineState = 1;
          ups.flags.add("ONLINE");
          ups.flags.delete("ONBATT");
        }
        // ups_on_line() restores the poll interval even when OL is no news
        this.#tryRestorePollFreq();
        return;
      case "OB":
        if (ups.has("ONBATT")) return;
        this.#alert();
        ups.lineState = 0;
        this.#notify(events, "ONBATT", ups);
        ups.flags.add("ONBATT");
        ups.flags.delete("ONLINE");
        return;
      case "LB":
        this.#enter(ups, "LOWBATT", "LOWBATT", events);
        return;
      case "RB":
        if (now - ups.lastRbWarn > this.settings.rbWarnTime) {
          this.#notify(events, "REPLBATT", ups);
          ups.lastRbWarn = now;
        }
        return;
      case "CAL":
        this.#enter(ups, "CAL", "CAL", events);
        return;
      case "OFF":
        this.#off(ups, now, events);
        return;
      case "BYPASS":
        if (ups.has("BYPASS")) return;
        this.#alert();
        ups.bypassState = true;
        this.#enter(ups, "BYPASS", "BYPASS", events);
        return;
      case "ECO":
        this.#enter(ups, "ECO", "ECO", events);
        return;
      case "ALARM":
        this.#alarm(ups, alarm, events);
        return;
      case "OVER":
        if (ups.has("OVER")) {
          if (ups.overSince < 1) ups.overSince = now;
          return;
        }
        if (this.settings.overDuration >= 0) this.#alert();
        ups.overSince = now;
        ups.overState = true;
        this.#enter(ups, "OVER", "OVER", events);
        return;
      case "TRIM":
        this.#enter(ups, "TRIM", "TRIM", events);
        return;
      case "BOOST":
        this.#enter(ups, "BOOST", "BOOST", events);
        return;
      case "FSD":
        if (ups.has("FSD")) return;
        if (ups.lastFsdNotify === 0) {
          ups.lastFsdNotify = now;
          this.#notify(events, "FSD", ups);
        }
        ups.flags.add("FSD");
        return;
      default:
        if (!IGNORED_TOKENS.has(upper) && !others.includes(word)) others.push(word);
    }
  }

  #off(ups: MonitoredUps, now: number, events: MonitorEvent[]): void {
    const { offDuration } = this.settings;
    if (ups.has("OFF")) {
      if (ups.offSince < 1) ups.offSince = now;
      else if (offDuration > 0 && now - ups.offSince > offDuration) {
        events.push({
          kind: "log",
          level: "warning",
          text: `ups_is_off: ${ups.system} is in state OFF for ${now - ups.offSince} sec, assuming the line is not fed (if it is calibrating etc., check the upsmon 'OFFDURATION' option)`,
        });
        ups.offState = true;
      }
      return;
    }
    this.#alert();
    ups.offSince = now;
    if (offDuration === 0) {
      events.push({ kind: "log", level: "warning", text: `ups_is_off: ${ups.system} is in state OFF, assuming the line is not fed (if it is calibrating etc., check the upsmon 'OFFDURATION' option)` });
      ups.offState = true;
    }
    this.#enter(ups, "OFF", "OFF", events);
  }

  #alarm(ups: MonitoredUps, alarm: string | undefined, events: MonitorEvent[]): void {
    if (ups.has("ALARM")) {
      // re-notify when the alarm text changes
      if (alarm !== undefined && alarm !== ups.alarmText) {
        ups.alarmText = alarm;
        this.#notify(events, "ALARM", ups, alarm);
      }
      return;
    }
    this.#alert();
    ups.alarmState = true;
    this.#notify(events, "ALARM", ups, alarm ?? "n/a");
    ups.alarmText = alarm ?? "";
    ups.flags.add("ALARM");
  }

  /** The primary's FSD was acknowledged by upsd (setfsd()): FSD is notified once. */
  fsdSet(ups: MonitoredUps, now: number): MonitorEvent[] {
    const events: MonitorEvent[] = [];
    if (ups.lastFsdNotify === 0) {
      ups.lastFsdNotify = now;
      this.#notify(events, "FSD", ups);
    }
    return events;
  }

  /** is_ups_critical(): true when this UPS no longer counts toward MINSUPPLIES. */
  isCritical(ups: MonitoredUps, now: number, events: MonitorEvent[]): boolean {
    const s = this.settings;
    const log = (text: string, level: "warning" | "debug" = "warning"): void => void events.push({ kind: "log", level, text });
    if (ups.has("FSD")) return true;

    if (ups.commState === 0) {
      if (ups.has("TRIM")) log(`UPS [${ups.system}] was last known to be trimming incoming voltage and currently is not communicating, but we make no assumptions if it is dead now`);
      if (ups.has("BOOST")) log(`UPS [${ups.system}] was last known to be boosting incoming voltage and currently is not communicating, but we make no assumptions if it is dead now`);
      if (ups.overState || ups.has("OVER")) {
        if (s.overDuration >= 0) {
          if (now - ups.overSince < s.overDuration) {
            log(`UPS [${ups.system}] was last known to be overloaded for ${now - ups.overSince} sec out of ${s.overDuration} sec threshold and currently is not communicating, just so you know (waiting for OVERDURATION to elapse)`);
          } else {
            log(`UPS [${ups.system}] was last known to be overloaded for longer than the set threshold of ${s.overDuration} sec and is still not communicating, assuming dead`);
            return true;
          }
        } else {
          log(`UPS [${ups.system}] was last known to be overloaded and currently is not communicating, but we make no assumptions if it is dead now`);
        }
      }
      if ((ups.alarmState || ups.has("ALARM")) && s.alarmCritical) {
        log(
          `UPS [${ups.system}] was last known to be in an ALARM state and currently is not communicating, assuming dead. If this is in error and causes unwanted shutdowns, consider disabling the upsmon ALARMCRITICAL option.`,
        );
        return true;
      }
      if (ups.has("CAL")) {
        log(`UPS [${ups.system}] was last known to be calibrating and currently is not communicating, assuming dead`);
        return true;
      }
      if (ups.bypassState || ups.has("BYPASS")) {
        log(`UPS [${ups.system}] was last known to be on BYPASS and currently is not communicating, assuming dead`);
        return true;
      }
      if (ups.offState || (s.offDuration >= 0 && ups.has("OFF"))) {
        log(`UPS [${ups.system}] was last known to be (administratively) OFF and currently is not communicating, assuming dead`);
        return true;
      }
    }

    if (ups.has("OFF") && s.offDuration >= 0 && ups.offState) {
      log(`UPS [${ups.system}] is reported as (administratively) OFF`);
      return true;
    }

    if (!ups.has("ONBATT") || !ups.has("LOWBATT")) {
      if (ups.oblbSince > 0) {
        log(`is_ups_critical: seems that UPS [${ups.upsname}] returned from OB+LB state now after spending ${now - ups.oblbSince} seconds in it`);
        ups.oblbSince = 0;
        if (ups.has("ONBATT")) this.#alert();
        else this.#tryRestorePollFreq();
      }
      return false;
    }

    // on battery and low: calibration drains the battery on purpose
    if (ups.has("CAL")) {
      log(`is_ups_critical: seems that UPS [${ups.upsname}] is OB+LB now, but it is also calibrating - not declaring a critical state`);
      return false;
    }

    if (s.oblbDuration > 0) {
      if (ups.oblbSince < 1) {
        this.sleepSeconds = gcd(s.pollFreqAlert, s.oblbDuration);
        log(
          `is_ups_critical: seems that UPS [${ups.upsname}] is OB+LB now, but OBLBDURATION=${s.oblbDuration} - not declaring a critical state just now, but will bump the polling rate to ${this.sleepSeconds} (from POLLFREQALERT=${s.pollFreqAlert}) and wait to see if this situation dissipates soon`,
        );
        if (!ups.primary && s.hostSync > s.oblbDuration) log(`is_ups_critical: HOSTSYNC=${s.hostSync} exceeds OBLBDURATION and would be effectively ignored on this secondary upsmon client system`);
        ups.oblbSince = now;
        return false;
      }
      if (now - ups.oblbSince < s.oblbDuration) {
        log(`is_ups_critical: seems that UPS [${ups.upsname}] is still OB+LB for ${now - ups.oblbSince} sec out of ${s.oblbDuration} delay`);
        return false;
      }
      log(`is_ups_critical: seems that UPS [${ups.upsname}] is still OB+LB for ${now - ups.oblbSince} sec out of ${s.oblbDuration} delay - proceeding with shutdown alerts`);
    }

    // the primary sets FSD itself; a secondary waits HOSTSYNC for the primary to do it
    if (ups.primary) return true;
    if (now - ups.lastNonCrit > s.hostSync) {
      log(`Giving up on the primary for UPS [${ups.system}] after ${now - ups.lastNonCrit} sec since last comms`);
      return true;
    }
    return false;
  }

  /** recalc(): after each polling round; `shutdown` when the healthy power value is too low. */
  recalc(now: number): { shutdown: boolean; events: MonitorEvent[] } {
    const events: MonitorEvent[] = [];
    let value = 0;
    for (const ups of this.ups) {
      // a UPS last seen on battery that stays silent past DEADTIME counts as low on battery
      if (now - ups.lastPoll > this.settings.deadTime && ups.has("ONBATT")) {
        events.push({ kind: "log", level: "debug", text: `Promoting dead UPS: ${ups.system}` });
        ups.flags.add("LOWBATT");
      }
      // a UPS never heard from counts as healthy, as in NUT
      if (this.isCritical(ups, now, events)) events.push({ kind: "log", level: "debug", text: `Critical UPS: ${ups.system}` });
      else value += ups.powerValue;
    }
    if (value < this.settings.minSupplies) {
      events.push({ kind: "log", level: "warning", text: `Too few UPS(es) are healthy (${value}<${this.settings.minSupplies}), initiating forced shutdown` });
      return { shutdown: true, events };
    }
    return { shutdown: false, events };
  }
}
