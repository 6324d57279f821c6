import { describe, expect, test } from "bun:test";
import { type MonitorEvent, type MonitorSettings, MonitorState, MonitoredUps } from "./monitor-state.ts";

const BASE: MonitorSettings = {
  pollFreq: 5,
  pollFreqAlert: 2,
  hostSync: 15,
  deadTime: 15,
  rbWarnTime: 43200,
  noCommWarnTime: 300,
  offDuration: 30,
  overDuration: -1,
  oblbDuration: 0,
  alarmCritical: true,
  minSupplies: 1,
};

const notices = (events: MonitorEvent[]): string[] => events.flatMap((e) => (e.kind === "notify" ? [e.extra !== undefined ? `${e.type} ${e.extra}` : e.type] : []));

function single(settings: Partial<MonitorSettings> = {}, primary = true): { state: MonitorState; ups: MonitoredUps } {
  const ups = new MonitoredUps("ups@localhost:3493", "ups", 1, primary);
  return { state: new MonitorState({ ...BASE, ...settings }, [ups]), ups };
}

describe("notifications as upsmon sends them", () => {
  test("first status OL is silent; OB then OL notify ONBATT then ONLINE; no shutdown", () => {
    const { state, ups } = single();
    expect(notices(state.statusPolled(ups, "OL CHRG", 100))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OB DISCHRG", 105))).toEqual(["ONBATT"]);
    expect(notices(state.statusPolled(ups, "OB DISCHRG", 107))).toEqual([]);
    expect(state.recalc(107).shutdown).toBe(false);
    expect(notices(state.statusPolled(ups, "OL", 109))).toEqual(["ONLINE"]);
    expect(state.recalc(109).shutdown).toBe(false);
  });

  test("a first status OB notifies ONBATT (NUT does so at start-up too)", () => {
    const { state, ups } = single();
    expect(notices(state.statusPolled(ups, "OB", 100))).toEqual(["ONBATT"]);
  });

  test("OB LB: ONBATT and LOWBATT, and the primary shuts down at once", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OL", 100);
    expect(notices(state.statusPolled(ups, "OB LB", 110))).toEqual(["ONBATT", "LOWBATT"]);
    const r = state.recalc(110);
    expect(r.shutdown).toBe(true);
    expect(r.events).toContainEqual({ kind: "log", level: "warning", text: "Too few UPS(es) are healthy (0<1), initiating forced shutdown" });
  });

  test("COMMBAD at the first failure (even at start-up), NOCOMM after NOCOMMWARNTIME and every NOCOMMWARNTIME, COMMOK on return", () => {
    const { state, ups } = single({ noCommWarnTime: 12 });
    expect(notices(state.pollFailed(ups, 1000))).toEqual(["COMMBAD"]);
    // lastpoll is 0: NUT warns NOCOMM on the next failure already
    expect(notices(state.pollFailed(ups, 1005))).toEqual(["NOCOMM"]);
    expect(notices(state.pollFailed(ups, 1010))).toEqual([]);
    expect(notices(state.pollFailed(ups, 1018))).toEqual(["NOCOMM"]);
    expect(notices(state.statusPolled(ups, "OL", 1020))).toEqual(["COMMOK"]);
    expect(notices(state.pollFailed(ups, 1025))).toEqual(["COMMBAD"]);
    expect(notices(state.pollFailed(ups, 1030))).toEqual([]);
    expect(notices(state.pollFailed(ups, 1032))).toEqual(["NOCOMM"]);
  });

  test("an empty status is a failed poll", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OL", 100);
    expect(notices(state.statusPolled(ups, "", 105))).toEqual(["COMMBAD"]);
  });

  test("REPLBATT at the first RB, then at most every RBWARNTIME", () => {
    const { state, ups } = single({ rbWarnTime: 60 });
    expect(notices(state.statusPolled(ups, "OL RB", 1000))).toEqual(["REPLBATT"]);
    expect(notices(state.statusPolled(ups, "OL RB", 1030))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OL RB", 1061))).toEqual(["REPLBATT"]);
  });

  test("FSD in the status notifies once while it stays; our own FSD is notified once too", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OL", 100);
    expect(notices(state.fsdSet(ups, 101))).toEqual(["FSD"]);
    expect(notices(state.statusPolled(ups, "FSD OL", 102))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OL", 104))).toEqual([]);
    expect(notices(state.statusPolled(ups, "FSD OL", 106))).toEqual(["FSD"]);
  });

  test("paired notices: CAL/NOTCAL, OFF/NOTOFF, BYPASS/NOTBYPASS, OVER/NOTOVER, TRIM/NOTTRIM, BOOST/NOTBOOST, ECO/NOTECO", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OL", 100);
    expect(notices(state.statusPolled(ups, "OL CAL OFF BYPASS OVER TRIM BOOST ECO", 101))).toEqual(["CAL", "OFF", "BYPASS", "OVER", "TRIM", "BOOST", "ECO"]);
    expect(notices(state.statusPolled(ups, "OL CAL OFF BYPASS OVER TRIM BOOST ECO", 102))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OL", 103))).toEqual(["NOTCAL", "NOTOFF", "NOTBYPASS", "NOTOVER", "NOTTRIM", "NOTBOOST", "NOTECO"]);
  });

  test("ALARM carries ups.alarm, is notified again when the text changes, NOTALARM when gone", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OL", 100);
    expect(notices(state.statusPolled(ups, "OL ALARM", 101, "Fan failure"))).toEqual(["ALARM Fan failure"]);
    expect(notices(state.statusPolled(ups, "OL ALARM", 102, "Fan failure"))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OL ALARM", 103, "Fan failure Overheat"))).toEqual(["ALARM Fan failure Overheat"]);
    expect(notices(state.statusPolled(ups, "OL", 104))).toEqual(["NOTALARM"]);
    expect(notices(state.statusPolled(ups, "OL ALARM", 105))).toEqual(["ALARM n/a"]);
  });

  test("unclassified words: OTHER when their set changes, NOTOTHER when none is left; HB CHRG DISCHRG are known", () => {
    const { state, ups } = single();
    expect(notices(state.statusPolled(ups, "OL CHRG HB", 100))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OL WAIT", 101))).toEqual(["OTHER WAIT"]);
    expect(notices(state.statusPolled(ups, "OL WAIT", 102))).toEqual([]);
    expect(notices(state.statusPolled(ups, "OL WAIT TEST", 103))).toEqual(["OTHER WAIT TEST"]);
    expect(notices(state.statusPolled(ups, "OL TEST", 104))).toEqual(["OTHER TEST"]);
    expect(notices(state.statusPolled(ups, "OL", 105))).toEqual(["NOTOTHER"]);
  });
});

describe("NUT defects fixed, as the issue asks", () => {
  test("a UPS once seen calibrating is critical again later (2.8.0 never shut down here)", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OL", 100);
    state.statusPolled(ups, "OB CAL", 105);
    expect(state.recalc(105).shutdown).toBe(false);
    expect(notices(state.statusPolled(ups, "OL", 110))).toEqual(["NOTCAL", "ONLINE"]);
    state.statusPolled(ups, "OB LB", 115);
    expect(state.recalc(115).shutdown).toBe(true);
  });

  test("OB LB while calibrating is not critical", () => {
    const { state, ups } = single();
    state.statusPolled(ups, "OB LB CAL", 100);
    const r = state.recalc(100);
    expect(r.shutdown).toBe(false);
    expect(r.events.some((e) => e.kind === "log" && e.text.includes("also calibrating"))).toBe(true);
  });

  test("the poll interval stays at POLLFREQALERT while another UPS is still on battery", () => {
    const a = new MonitoredUps("a@h", "a", 1, true);
    const b = new MonitoredUps("b@h", "b", 1, true);
    const state = new MonitorState({ ...BASE, minSupplies: 1 }, [a, b]);
    expect(state.sleepSeconds).toBe(5);
    state.statusPolled(a, "OL", 100);
    state.statusPolled(b, "OL", 100);
    expect(state.sleepSeconds).toBe(5);
    state.statusPolled(a, "OB", 105);
    state.statusPolled(b, "OB", 105);
    expect(state.sleepSeconds).toBe(2);
    state.statusPolled(a, "OL", 107);
    expect(state.sleepSeconds).toBe(2);
    state.statusPolled(b, "OL", 107);
    expect(state.sleepSeconds).toBe(5);
  });
});

describe("timed rules", () => {
  test("secondary: waits HOSTSYNC for the primary's FSD, then gives up", () => {
    const { state, ups } = single({ hostSync: 6 }, false);
    state.statusPolled(ups, "OL", 100);
    state.statusPolled(ups, "OB LB", 110);
    expect(state.recalc(110).shutdown).toBe(false);
    state.statusPolled(ups, "OB LB", 116);
    expect(state.recalc(116).shutdown).toBe(false);
    state.statusPolled(ups, "OB LB", 117);
    const r = state.recalc(117);
    expect(r.shutdown).toBe(true);
    expect(r.events).toContainEqual({ kind: "log", level: "warning", text: "Giving up on the primary for UPS [ups@localhost:3493] after 7 sec since last comms" });
  });

  test("secondary: FSD from the primary is critical at once", () => {
    const { state, ups } = single({}, false);
    state.statusPolled(ups, "OL", 100);
    expect(notices(state.statusPolled(ups, "FSD OL", 101))).toEqual(["FSD"]);
    expect(state.recalc(101).shutdown).toBe(true);
  });

  test("lost while on battery: critical after DEADTIME; lost while on line: never", () => {
    for (const [last, expected] of [
      ["OB", true],
      ["OL", false],
    ] as const) {
      const { state, ups } = single({ deadTime: 5 });
      state.statusPolled(ups, last, 100);
      for (let t = 101; t <= 105; t++) {
        state.pollFailed(ups, t);
        expect(state.recalc(t).shutdown).toBe(false);
      }
      state.pollFailed(ups, 106);
      expect(state.recalc(106).shutdown).toBe(expected);
      state.pollFailed(ups, 1000);
      expect(state.recalc(1000).shutdown).toBe(expected);
    }
  });

  test("OFFDURATION: OFF is critical once it lasted longer, at once with 0, never when negative", () => {
    for (const [offDuration, at, expected] of [
      [30, 120, false],
      [30, 131, true],
      [0, 100, true],
      [-1, 100_000, false],
    ] as const) {
      const { state, ups } = single({ offDuration });
      state.statusPolled(ups, "OFF", 100);
      if (at > 100) state.statusPolled(ups, "OFF", at);
      expect(state.recalc(at).shutdown).toBe(expected);
    }
  });

  test("OBLBDURATION: OB LB must last that long; polling is bumped to gcd(POLLFREQALERT, OBLBDURATION)", () => {
    const { state, ups } = single({ oblbDuration: 6, pollFreqAlert: 4 });
    state.statusPolled(ups, "OB LB", 100);
    expect(state.recalc(100).shutdown).toBe(false);
    expect(state.sleepSeconds).toBe(2);
    state.statusPolled(ups, "OB LB", 105);
    expect(state.recalc(105).shutdown).toBe(false);
    state.statusPolled(ups, "OB LB", 106);
    expect(state.recalc(106).shutdown).toBe(true);
  });

  test("OBLBDURATION: a return from OB LB resets its timer", () => {
    const { state, ups } = single({ oblbDuration: 6 });
    state.statusPolled(ups, "OB LB", 100);
    state.recalc(100);
    state.statusPolled(ups, "OB", 103);
    state.recalc(103);
    state.statusPolled(ups, "OB LB", 107);
    expect(state.recalc(107).shutdown).toBe(false);
    state.statusPolled(ups, "OB LB", 113);
    expect(state.recalc(113).shutdown).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Exhaustive: every combination of status words, communication state, role and settings, against
// a reference written from the rules as NUT's documentation states them (upsmon(8): "a UPS is
// critical when it is on battery and low battery, or FSD ...; a secondary gives the primary
// HOSTSYNC seconds; a UPS that stops answering while on battery is taken as critical after
// DEADTIME"; 2.8.1-2.8.3 additions for OFF, BYPASS, CAL, ALARM and OVER while not communicating).

const WORDS = ["OL", "OB", "LB", "FSD", "CAL", "OFF", "BYPASS", "ALARM", "OVER", "TRIM", "BOOST", "RB"] as const;
type Word = (typeof WORDS)[number];
type Comm = "answering" | "lost" | "lost past DEADTIME";

interface Case {
  words: Set<Word>;
  comm: Comm;
  primary: boolean;
  /** Secondary only: the status was seen again after more than HOSTSYNC seconds. */
  waited: boolean;
  settings: MonitorSettings;
}

/** The reference: is this single UPS critical (with power value 1 and MINSUPPLIES 1: shutdown)? */
function referenceCritical(c: Case): boolean {
  const has = (w: Word): boolean => c.words.has(w);
  const s = c.settings;
  if (has("FSD")) return true;
  const lost = c.comm !== "answering";
  if (lost) {
    // overSince is the first sighting; the last status was seen `waited`-dependent seconds later
    if (has("OVER") && s.overDuration >= 0) return true;
    if (has("ALARM") && s.alarmCritical) return true;
    if (has("CAL") || has("BYPASS")) return true;
    if (has("OFF") && s.offDuration >= 0) return true;
  }
  // OFF seen at least twice more than OFFDURATION apart, or OFFDURATION 0
  if (has("OFF") && (s.offDuration === 0 || (s.offDuration > 0 && c.waited && s.hostSync + 1 > s.offDuration))) return true;
  // words are handled in order and OB comes after OL in WORDS: the later one wins, as in NUT
  const onBattery = has("OB");
  const low = has("LB") || (onBattery && c.comm === "lost past DEADTIME");
  if (!onBattery || !low || has("CAL")) return false;
  if (c.primary) return true;
  // a secondary gives up once HOSTSYNC passed since the status was last non-critical
  return c.waited || c.comm === "lost past DEADTIME";
}

/** Drives MonitorState through the case and reports whether recalc() orders a shutdown. */
function implementationShutdown(c: Case): boolean {
  const ups = new MonitoredUps("u@h", "u", 1, c.primary);
  const state = new MonitorState(c.settings, [ups]);
  const status = WORDS.filter((w) => c.words.has(w)).join(" ");
  let t = 1000;
  state.statusPolled(ups, "OL", t);
  state.recalc(t);
  t += 10;
  state.statusPolled(ups, status, t, "alarm text");
  if (c.waited) {
    state.recalc(t);
    t += c.settings.hostSync + 1;
    state.statusPolled(ups, status, t, "alarm text");
  }
  if (c.comm !== "answering") {
    state.recalc(t);
    t += 1;
    state.pollFailed(ups, t);
    if (c.comm === "lost past DEADTIME") {
      state.recalc(t);
      t += c.settings.deadTime;
      state.pollFailed(ups, t);
    }
  }
  return state.recalc(t).shutdown;
}

describe("exhaustive: shutdown if and only if NUT's rules say so", () => {
  test("one UPS: 4,096 status word sets x 3 communication states x primary/secondary x waited or not x 6 settings", () => {
    const settingsVariants: MonitorSettings[] = [
      BASE,
      { ...BASE, offDuration: 0 },
      { ...BASE, offDuration: -1, alarmCritical: false },
      { ...BASE, overDuration: 0 },
      { ...BASE, offDuration: 10 },
      { ...BASE, hostSync: 3, deadTime: 40 },
    ];
    let cases = 0;
    let shutdowns = 0;
    const mismatches: string[] = [];
    for (let mask = 0; mask < 1 << WORDS.length; mask++) {
      const words = new Set(WORDS.filter((_, i) => mask & (1 << i)));
      for (const comm of ["answering", "lost", "lost past DEADTIME"] as const) {
        for (const primary of [true, false]) {
          for (const waited of [false, true]) {
            for (const settings of settingsVariants) {
              const c: Case = { words, comm, primary, waited, settings };
              const expected = referenceCritical(c);
              const got = implementationShutdown(c);
              cases++;
              if (got) shutdowns++;
              if (got !== expected && mismatches.length < 10) mismatches.push(`${[...words].join(" ")} ${comm} ${primary ? "primary" : "secondary"} waited=${waited} ${JSON.stringify(settings)}: got ${got}`);
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases).toBe(4096 * 3 * 2 * 2 * 6);
    // both outcomes are well represented
    expect(shutdowns).toBeGreaterThan(cases / 10);
    expect(cases - shutdowns).toBeGreaterThan(cases / 10);
  }, 120_000);

  test("MINSUPPLIES arithmetic: 3 UPSes with power values 0-2, each healthy or critical, MINSUPPLIES 0-5", () => {
    let checked = 0;
    for (let pvs = 0; pvs < 27; pvs++) {
      const pv = [pvs % 3, Math.floor(pvs / 3) % 3, Math.floor(pvs / 9) % 3];
      for (let crit = 0; crit < 8; crit++) {
        for (let minSupplies = 0; minSupplies <= 5; minSupplies++) {
          const ups = pv.map((p, i) => new MonitoredUps(`u${i}@h`, `u${i}`, p, true));
          const state = new MonitorState({ ...BASE, minSupplies }, ups);
          ups.forEach((u, i) => {
            state.statusPolled(u, "OL", 100);
            state.statusPolled(u, crit & (1 << i) ? "OB LB" : "OB", 105);
          });
          const healthy = pv.reduce((sum, p, i) => sum + (crit & (1 << i) ? 0 : p), 0);
          expect(state.recalc(105).shutdown).toBe(healthy < minSupplies);
          checked++;
        }
      }
    }
    expect(checked).toBe(27 * 8 * 6);
  });

  test("a UPS never heard from counts as healthy; MINSUPPLIES 0 never shuts down", () => {
    const a = new MonitoredUps("a@h", "a", 1, true);
    const b = new MonitoredUps("b@h", "b", 1, true);
    const state = new MonitorState({ ...BASE, minSupplies: 2 }, [a, b]);
    state.pollFailed(a, 100);
    state.statusPolled(b, "OL", 100);
    expect(state.recalc(100).shutdown).toBe(false);
    expect(state.recalc(100_000).shutdown).toBe(false);
    const { state: s0, ups } = single({ minSupplies: 0 });
    s0.statusPolled(ups, "FSD OB LB", 100);
    expect(s0.recalc(100).shutdown).toBe(false);
  });
});
