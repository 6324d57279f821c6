// The APC hid2nut table run over the simulator's parsed descriptor with fixed report bytes:
// INIT walk variables, formats, commands, status words, a quick walk after an interrupt report
// and SET through SET_REPORT bytes.
import { describe, expect, test } from "bun:test";
import { MemoryNutLog } from "../../core/system/nut-log.ts";
import { DriverState } from "../framework/driver-state.ts";
import { STAT_HANDLED } from "../framework/driver.ts";
import { readDescriptor } from "../../test/harness/hid-explore-fixture.ts";
import { APC_SUBDRIVER } from "./apc-hid.ts";
import { parseReportDescriptor } from "./hid-report-descriptor.ts";
import { HidReportCache, type HidReportIo } from "./hid-report-cache.ts";
import { HidUpsMapper } from "./hid-ups-mapper.ts";

/** Feature reports of the simulator's default state (ID byte first). */
function reports(): Map<number, number[]> {
  return new Map([
    [0x01, [1, 1, 2, 3]],
    [0x02, [2, 4, 1]],
    [0x04, [4, 100, 100, 50]],
    [0x05, [5, 10]],
    [0x07, [7, 120, 0]],
    [0x08, [8, 136, 0]],
    [0x0c, [0x0c, 100, 0x60, 0x09]],
    [0x15, [0x15, 0xff, 0xff]],
    [0x17, [0x17, 0xff, 0xff]],
    [0x18, [0x18, 2]],
    [0x16, [0x16, 0b0000_1100, 0]],
    [0x20, [0x20, 230, 0]],
    [0x21, [0x21, 0xf7, 0x08]],
    [0x22, [0x22, 180, 0, 10, 1]],
    [0x23, [0x23, 23]],
    [0x24, [0x24, 230, 0]],
  ]);
}

function setup() {
  const data = reports();
  const sets: number[][] = [];
  const interrupts: number[][] = [];
  const io: HidReportIo = {
    getFeatureReport: (id, length) => Uint8Array.from((data.get(id) ?? [id]).slice(0, length)),
    setFeatureReport: (id, bytes) => {
      sets.push([...bytes]);
      data.set(id, [...bytes]);
      return bytes.length;
    },
    interruptRead: () => {
      const next = interrupts.shift();
      return next === undefined ? { code: "TIMEOUT", message: "timeout" } : Uint8Array.from(next);
    },
  };
  const log = new MemoryNutLog();
  const state = new DriverState(log);
  const desc = parseReportDescriptor(readDescriptor("hidups-sim"));
  let now = 1000;
  const cache = new HidReportCache(desc, io, undefined, () => now);
  const mapper = new HidUpsMapper(APC_SUBDRIVER, desc.items, cache, state, log, { stringDescriptor: (i) => (i === 4 ? "PbAc" : undefined) });
  return { state, mapper, cache, sets, interrupts, data, tick: (s: number) => (now += s) };
}

describe("HidUpsMapper with the APC table", () => {
  test("INIT walk publishes NUT 2.8.0's values, flags and commands", () => {
    const { state, mapper } = setup();
    expect(mapper.walk("init")).toBe(true);
    const vars = Object.fromEntries(state.tree.variables().map((v) => [v.name, v.escapedValue]));
    expect(vars).toEqual({
      "battery.charge": "100",
      "battery.charge.low": "10",
      "battery.charge.warning": "50",
      "battery.runtime": "2400",
      "battery.type": "PbAc",
      "battery.voltage": "13.6",
      "battery.voltage.nominal": "12.0",
      "input.transfer.high": "266",
      "input.transfer.low": "180",
      "input.voltage": "229.5",
      "input.voltage.nominal": "230",
      "output.voltage.nominal": "230.0",
      "ups.beeper.status": "enabled",
      "ups.delay.shutdown": "20",
      "ups.delay.start": "30",
      "ups.load": "23.0",
      "ups.timer.shutdown": "-1",
      "ups.timer.start": "-1",
    });
    expect(mapper.status.has("online")).toBe(true);
    expect(mapper.status.has("nobattery")).toBe(false);
    for (const cmd of ["load.off.delay", "load.on.delay", "shutdown.stop", "beeper.on", "beeper.off", "beeper.enable", "beeper.disable", "beeper.mute"]) {
      expect(state.tree.commands()).toContain(cmd);
    }
  });

  test("an interrupt report changes status words; status tokens follow 2.8.0's order", () => {
    const { state, mapper, cache, interrupts } = setup();
    mapper.walk("init");
    interrupts.push([0x16, 0b0101_1010, 1]); // Discharging, BatteryPresent, BelowRemainingCapacityLimit, NeedReplacement, Overload
    const events = cache.readEvents();
    if (!Array.isArray(events)) throw new Error("expected events");
    expect(events.length).toBe(9);
    mapper.applyEvents(events);
    state.statusInit();
    mapper.status.publish(state, "t", false, () => undefined);
    state.statusCommit();
    expect(state.getInfo("ups.status")).toBe("OB DISCHRG LB OVER RB");
    expect(mapper.status.alarms()).toEqual(["Replace battery!"]);
  });

  test("SET and instant commands send the patched report through SET_REPORT", async () => {
    const { mapper, sets, state } = setup();
    mapper.walk("init");
    expect(await mapper.setVar("battery.charge.low", "25")).toBe(STAT_HANDLED);
    expect(await mapper.instCmd("beeper.disable", undefined)).toBe(STAT_HANDLED);
    expect(await mapper.instCmd("load.off.delay", undefined)).toBe(STAT_HANDLED);
    expect(sets).toEqual([[0x05, 25], [0x18, 1], [0x15, 20, 0]]);
    expect(mapper.dataHasChanged).toBe(true);
    // ABSENT rows are driver-side: no transfer
    expect(await mapper.setVar("ups.delay.shutdown", "60")).toBe(STAT_HANDLED);
    expect(state.getInfo("ups.delay.shutdown")).toBe("60");
    expect(sets.length).toBe(3);
    mapper.walk("full");
    expect(state.getInfo("battery.charge.low")).toBe("25");
  });
});
