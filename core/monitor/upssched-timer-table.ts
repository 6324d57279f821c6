/**
 * The timer daemon's queue (clients/upssched.c thead, start_timer(), cancel_timer(),
 * checktimers()): timers in start order, each with the UPSNAME / NOTIFYTYPE / NOTIFYMSG values
 * of the events that started it (NUT 2.8.5), exported to CMDSCRIPT when it fires. Pure: the
 * caller passes the clocks in.
 *
 * Semantics, per NUT 2.8.5 where it differs from 2.8.0:
 * - START always appends a new timer, even when one of that name runs (both versions);
 * - START-SHARED (2.8.5) joins the first timer of that name, keeping its expiry and adding the
 *   event's values to its lists, or appends a new timer when there is none;
 * - CANCEL removes every timer of that name (2.8.5 and its docs; 2.8.0 removed only the first);
 * - CANCEL-MATCHED (2.8.5 daemon) removes only those that were started by the given UPSNAME
 *   and NOTIFYTYPE (each constraint applies when given).
 */

/** Who started (or joined) a timer: the event upsmon reported. Empty strings mean unknown. */
export interface TimerOrigin {
  notifyType: string;
  upsName: string;
  notifyMsg: string;
}

/** One pending timer. */
export interface UpsschedTimer {
  readonly name: string;
  /** When it fires, on the caller's monotonic clock (ms). */
  readonly dueMs: number;
  /** time() + offset as NUT stores it: the expiry in wall-clock seconds (LIST-TIMERS shows it). */
  readonly expirySeconds: number;
  /** Unique non-empty values, in the order the events brought them. */
  readonly upsNames: string[];
  readonly notifyTypes: string[];
  readonly notifyMsgs: string[];
}

/** The clocks a change is made at: monotonic ms (for firing) and wall-clock ms (for listing). */
export interface TimerClock {
  monotonicMs: number;
  wallMs: number;
}

function addUnique(list: string[], value: string): void {
  if (value !== "" && !list.includes(value)) list.push(value);
}

function newTimer(name: string, seconds: number, origin: TimerOrigin | undefined, clock: TimerClock): UpsschedTimer {
  const timer: UpsschedTimer = {
    name,
    dueMs: clock.monotonicMs + seconds * 1000,
    expirySeconds: Math.floor(clock.wallMs / 1000) + seconds,
    upsNames: [],
    notifyTypes: [],
    notifyMsgs: [],
  };
  if (origin) join(timer, origin);
  return timer;
}

function join(timer: UpsschedTimer, origin: TimerOrigin): void {
  addUnique(timer.upsNames, origin.upsName);
  addUnique(timer.notifyTypes, origin.notifyType);
  addUnique(timer.notifyMsgs, origin.notifyMsg);
}

/** The timer queue of one daemon. */
export class UpsschedTimerTable {
  #timers: UpsschedTimer[] = [];

  /** Pending timers in queue order. */
  get timers(): readonly UpsschedTimer[] {
    return this.#timers;
  }

  get size(): number {
    return this.#timers.length;
  }

  /** START: appends a timer of `seconds` (a non-negative whole number). */
  start(name: string, seconds: number, origin: TimerOrigin | undefined, clock: TimerClock): UpsschedTimer {
    const timer = newTimer(name, seconds, origin, clock);
    this.#timers.push(timer);
    return timer;
  }

  /**
   * START-SHARED: joins the first timer named `name` (its expiry stays) or appends a new one.
   * Returns the timer and whether it was joined.
   */
  startShared(name: string, seconds: number, origin: TimerOrigin | undefined, clock: TimerClock): { timer: UpsschedTimer; joined: boolean } {
    const existing = this.#timers.find((t) => t.name === name);
    if (existing) {
      if (origin) join(existing, origin);
      return { timer: existing, joined: true };
    }
    return { timer: this.start(name, seconds, origin, clock), joined: false };
  }

  /**
   * CANCEL (every timer named `name`) or CANCEL-MATCHED (`match` given: only those whose lists
   * hold its non-empty UPSNAME and NOTIFYTYPE). Returns the removed timers.
   */
  cancel(name: string, match?: { upsName: string; notifyType: string }): UpsschedTimer[] {
    const removed: UpsschedTimer[] = [];
    this.#timers = this.#timers.filter((t) => {
      if (t.name !== name) return true;
      if (match) {
        if (match.notifyType !== "" && !t.notifyTypes.includes(match.notifyType)) return true;
        if (match.upsName !== "" && !t.upsNames.includes(match.upsName)) return true;
      }
      removed.push(t);
      return false;
    });
    return removed;
  }

  /** Removes and returns the timers due at `monotonicMs`, in queue order (checktimers()). */
  takeExpired(monotonicMs: number): UpsschedTimer[] {
    const due = this.#timers.filter((t) => monotonicMs >= t.dueMs);
    if (due.length > 0) this.#timers = this.#timers.filter((t) => monotonicMs < t.dueMs);
    return due;
  }

  /** The earliest due time, or undefined when the queue is empty. */
  nextDueMs(): number | undefined {
    let next: number | undefined;
    for (const t of this.#timers) if (next === undefined || t.dueMs < next) next = t.dueMs;
    return next;
  }
}

/**
 * What CMDSCRIPT finds in its environment when `timer` fires (2.8.5 exec_cmd_timer()): the
 * lists joined with "," (UPSNAME, NOTIFYTYPE) and ".\t" (NOTIFYMSG); an empty list sets nothing.
 */
export function timerEnvironment(timer: Pick<UpsschedTimer, "upsNames" | "notifyTypes" | "notifyMsgs">): Record<string, string> {
  const env: Record<string, string> = {};
  if (timer.upsNames.length > 0) env.UPSNAME = timer.upsNames.join(",");
  if (timer.notifyTypes.length > 0) env.NOTIFYTYPE = timer.notifyTypes.join(",");
  if (timer.notifyMsgs.length > 0) env.NOTIFYMSG = timer.notifyMsgs.join(".\t");
  return env;
}
