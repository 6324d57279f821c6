import { describe, expect, test } from "bun:test";
import { UpsschedTimerTable, timerEnvironment } from "./upssched-timer-table.ts";

const at = (monotonicMs: number, wallMs = 1_700_000_000_500 + monotonicMs) => ({ monotonicMs, wallMs });
const event = (upsName: string, notifyType: string, notifyMsg = "") => ({ upsName, notifyType, notifyMsg });

describe("UpsschedTimerTable", () => {
  test("START appends a timer even when one of that name is pending", () => {
    const table = new UpsschedTimerTable();
    table.start("t", 5, event("a", "ONBATT"), at(0));
    table.start("t", 10, event("b", "ONBATT"), at(1000));
    expect(table.timers.map((t) => [t.name, t.dueMs, t.upsNames])).toEqual([
      ["t", 5000, ["a"]],
      ["t", 11000, ["b"]],
    ]);
  });

  test("the listed expiry is time() + offset in whole seconds", () => {
    const table = new UpsschedTimerTable();
    const timer = table.start("t", 30, undefined, { monotonicMs: 7, wallMs: 1_700_000_000_999 });
    expect(timer.expirySeconds).toBe(1_700_000_030);
  });

  test("START-SHARED joins the first timer of that name, keeps its expiry, adds unique values", () => {
    const table = new UpsschedTimerTable();
    table.start("t", 5, event("a", "ONBATT", "UPS a on battery"), at(0));
    table.start("t", 50, event("c", "ONBATT"), at(0));
    const first = table.startShared("t", 99, event("b", "ONBATT", "UPS b on battery"), at(2000));
    expect(first.joined).toBe(true);
    table.startShared("t", 99, event("a", "LOWBATT", ""), at(3000));
    expect(table.size).toBe(2);
    const t = table.timers[0]!;
    expect(t.dueMs).toBe(5000);
    expect(t.upsNames).toEqual(["a", "b"]);
    expect(t.notifyTypes).toEqual(["ONBATT", "LOWBATT"]);
    expect(t.notifyMsgs).toEqual(["UPS a on battery", "UPS b on battery"]);
    expect(table.timers[1]!.upsNames).toEqual(["c"]);
  });

  test("START-SHARED with no timer of that name starts one", () => {
    const table = new UpsschedTimerTable();
    const r = table.startShared("t", 4, event("a", "ONBATT"), at(100));
    expect(r.joined).toBe(false);
    expect(table.timers.map((x) => [x.name, x.dueMs])).toEqual([["t", 4100]]);
  });

  test("CANCEL removes every timer of that name and only those", () => {
    const table = new UpsschedTimerTable();
    table.start("t", 5, undefined, at(0));
    table.start("u", 5, undefined, at(0));
    table.start("t", 6, undefined, at(0));
    expect(table.cancel("t").map((x) => x.dueMs)).toEqual([5000, 6000]);
    expect(table.timers.map((x) => x.name)).toEqual(["u"]);
    expect(table.cancel("t")).toEqual([]);
    expect(table.cancel("U")).toEqual([]);
  });

  test("CANCEL-MATCHED removes only timers started by that UPSNAME and NOTIFYTYPE", () => {
    const table = new UpsschedTimerTable();
    table.start("t", 5, event("a", "ONBATT"), at(0));
    table.start("t", 5, event("b", "ONBATT"), at(0));
    table.start("t", 5, undefined, at(0));
    expect(table.cancel("t", { upsName: "b", notifyType: "ONBATT" }).map((x) => x.upsNames)).toEqual([["b"]]);
    expect(table.cancel("t", { upsName: "", notifyType: "LOWBATT" })).toEqual([]);
    // no constraint given: like CANCEL
    expect(table.cancel("t", { upsName: "", notifyType: "" }).length).toBe(2);
  });

  test("takeExpired() returns due timers in queue order and keeps the rest", () => {
    const table = new UpsschedTimerTable();
    table.start("late", 10, undefined, at(0));
    table.start("a", 2, undefined, at(0));
    table.start("zero", 0, undefined, at(0));
    table.start("b", 2, undefined, at(500));
    expect(table.nextDueMs()).toBe(0);
    expect(table.takeExpired(1999).map((t) => t.name)).toEqual(["zero"]);
    expect(table.nextDueMs()).toBe(2000);
    expect(table.takeExpired(2500).map((t) => t.name)).toEqual(["a", "b"]);
    expect(table.takeExpired(2500)).toEqual([]);
    expect(table.timers.map((t) => t.name)).toEqual(["late"]);
    expect(table.takeExpired(10_000).map((t) => t.name)).toEqual(["late"]);
    expect(table.nextDueMs()).toBeUndefined();
  });
});

describe("timerEnvironment()", () => {
  test("lists are joined as 2.8.5 exports them; empty lists set nothing", () => {
    expect(
      timerEnvironment({ upsNames: ["a@h", "b@h"], notifyTypes: ["ONBATT", "LOWBATT"], notifyMsgs: ["UPS a on battery", "UPS b on battery"] }),
    ).toEqual({ UPSNAME: "a@h,b@h", NOTIFYTYPE: "ONBATT,LOWBATT", NOTIFYMSG: "UPS a on battery.\tUPS b on battery" });
    expect(timerEnvironment({ upsNames: [], notifyTypes: ["ONBATT"], notifyMsgs: [] })).toEqual({ NOTIFYTYPE: "ONBATT" });
  });
});
