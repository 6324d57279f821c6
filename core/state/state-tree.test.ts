import { describe, expect, test } from "bun:test";
import {
  ST_FLAG_IMMUTABLE,
  ST_FLAG_NUMBER,
  ST_FLAG_RW,
  ST_FLAG_STRING,
  StateTree,
  compareNames,
  flagWords,
  parseFlagWords,
  pconfEncode,
  truncateToBuffer,
} from "./state-tree.ts";

// Expectations from common/state.c and include/extstate.h at v2.8.0.

describe("variable order is the in-order walk of a strcasecmp-keyed tree", () => {
  test("names come out sorted case-insensitively whatever the insertion order", () => {
    const names = ["ups.status", "battery.charge", "Battery.Runtime", "ALARM", "outlet.2.desc", "outlet.10.desc", "outlet_x", "outlet-y", "OUTLET.A", "", "device.type"];
    const t = new StateTree();
    for (const n of names) t.setInfo(n, "v");
    // strcasecmp: '-' < '.' < digits < '_' < letters (A-Z folded to a-z)
    expect(t.variables().map((v) => v.name)).toEqual([
      "", "ALARM", "battery.charge", "Battery.Runtime", "device.type",
      "outlet-y", "outlet.10.desc", "outlet.2.desc", "OUTLET.A", "outlet_x", "ups.status",
    ]);
  });

  test("order survives deletions (state_delinfo re-hangs subtrees)", () => {
    const t = new StateTree();
    for (const n of ["m", "c", "x", "a", "e", "z", "d"]) t.setInfo(n, "1");
    expect(t.delInfo("C")).toBe(true);
    expect(t.delInfo("m")).toBe(true);
    expect(t.variables().map((v) => v.name)).toEqual(["a", "d", "e", "x", "z"]);
    t.setInfo("b", "1");
    expect(t.variables().map((v) => v.name)).toEqual(["a", "b", "d", "e", "x", "z"]);
  });

  test("compareNames folds only A-Z, like strcasecmp in the C locale", () => {
    expect(compareNames("ABC", "abc")).toBe(0);
    expect(compareNames("a_b", "a.b")).toBe(1);
    expect(compareNames("A", "_")).toBe(1); // 'a' (0x61) > '_' (0x5f): folding happens first
    expect(compareNames("ab", "abc")).toBe(-1);
  });
});

describe("setInfo / getters", () => {
  test("lookups ignore case; the first spelling is kept", () => {
    const t = new StateTree();
    expect(t.setInfo("Battery.Charge", "50")).toBe(true);
    expect(t.setInfo("battery.charge", "60")).toBe(true);
    expect(t.size).toBe(1);
    expect(t.get("BATTERY.CHARGE")?.name).toBe("Battery.Charge");
    expect(t.getValue("battery.charge")).toBe("60");
  });

  test("a value equal ignoring case is not a change (C quirk)", () => {
    const t = new StateTree();
    t.setInfo("ups.status", "OL CHRG");
    expect(t.setInfo("ups.status", "ol chrg")).toBe(false);
    expect(t.getValue("ups.status")).toBe("OL CHRG");
    expect(t.setInfo("ups.status", "OB")).toBe(true);
  });

  test("values are stored raw and escaped; getEscapedValue is what state_getinfo returns", () => {
    const t = new StateTree();
    t.setInfo("ups.id", 'a"b\\c#d');
    expect(t.getValue("ups.id")).toBe('a"b\\c#d');
    expect(t.getEscapedValue("ups.id")).toBe('a\\"b\\\\c\\#d');
    expect(t.getValue("nope")).toBeUndefined();
    expect(t.getFlags("nope")).toBeUndefined();
    expect(t.getAux("nope")).toBeUndefined();
  });

  test("the escaped value is cut at 255 chars without splitting an escape pair", () => {
    const t = new StateTree();
    t.setInfo("long", "x".repeat(300));
    expect(t.getValue("long")).toHaveLength(300);
    expect(t.getEscapedValue("long")).toBe("x".repeat(255));
    t.setInfo("esc", "x".repeat(254) + '"');
    expect(t.getEscapedValue("esc")).toBe("x".repeat(254));
    t.setInfo("esc2", "x".repeat(253) + '"');
    expect(t.getEscapedValue("esc2")).toBe("x".repeat(253) + '\\"');
  });

  test("pconfEncode and truncateToBuffer follow the C buffer sizes", () => {
    expect(pconfEncode('a"b', 3)).toBe("a");
    expect(pconfEncode("abc", 1)).toBe("");
    expect(truncateToBuffer("x".repeat(300))).toHaveLength(255);
    expect(truncateToBuffer("abc", 3)).toBe("ab");
  });
});

describe("IMMUTABLE (override.*)", () => {
  test("refuses value changes and deletion", () => {
    const t = new StateTree();
    t.setInfo("device.model", "OVR");
    t.setFlagBits("device.model", ST_FLAG_IMMUTABLE);
    expect(t.setInfo("device.model", "driver value")).toBe(false);
    expect(t.getValue("device.model")).toBe("OVR");
    expect(t.delInfo("device.model")).toBe(false);
    expect(t.has("device.model")).toBe(true);
  });

  test("upsd's SETFLAGS words replace all flags, IMMUTABLE included", () => {
    const t = new StateTree();
    t.setInfo("v", "1");
    t.setFlagBits("v", ST_FLAG_IMMUTABLE | ST_FLAG_RW);
    expect(t.setFlags("v", ["string", "Bogus", "NUMBER"])).toBe(true);
    expect(t.getFlags("v")).toBe(ST_FLAG_STRING | ST_FLAG_NUMBER);
    expect(t.setFlags("missing", ["RW"])).toBe(false);
  });
});

describe("flags, aux", () => {
  test("setFlagBits reports changes only", () => {
    const t = new StateTree();
    t.setInfo("v", "1");
    expect(t.setFlagBits("v", ST_FLAG_RW)).toBe(true);
    expect(t.setFlagBits("v", ST_FLAG_RW)).toBe(false);
    expect(t.setFlagBits("missing", ST_FLAG_RW)).toBe(false);
  });

  test("flag words: fixed order RW STRING NUMBER, IMMUTABLE has none", () => {
    expect(flagWords(ST_FLAG_NUMBER | ST_FLAG_RW | ST_FLAG_STRING)).toEqual(["RW", "STRING", "NUMBER"]);
    expect(flagWords(ST_FLAG_IMMUTABLE)).toEqual([]);
    expect(parseFlagWords(["rw", "number", "IMMUTABLE"])).toBe(ST_FLAG_RW | ST_FLAG_NUMBER);
  });

  test("setAux reads strings with strtol and reports changes only", () => {
    const t = new StateTree();
    t.setInfo("v", "1");
    expect(t.setAux("v", "32abc")).toBe(true);
    expect(t.getAux("v")).toBe(32);
    expect(t.setAux("v", 32)).toBe(false);
    expect(t.setAux("v", "junk")).toBe(true);
    expect(t.getAux("v")).toBe(0);
    expect(t.setAux("missing", 1)).toBe(false);
  });
});

describe("enums", () => {
  test("kept in insertion order, stored escaped, exact duplicates refused", () => {
    const t = new StateTree();
    expect(t.addEnum("input.transfer.low", "170")).toBe(false); // base variable must exist
    t.setInfo("input.transfer.low", "180");
    expect(t.addEnum("input.transfer.low", "180")).toBe(true);
    expect(t.addEnum("input.transfer.low", "170")).toBe(true);
    expect(t.addEnum("input.transfer.low", 'a"b')).toBe(true);
    expect(t.addEnum("input.transfer.low", "170")).toBe(false);
    expect(t.addEnum("input.transfer.low", "A\"B")).toBe(true); // duplicate check is case-sensitive
    expect(t.get("input.transfer.low")?.enums).toEqual(["180", "170", 'a\\"b', 'A\\"B']);
  });

  test("delEnum compares the given value, case-insensitively, with the stored escaped form", () => {
    const t = new StateTree();
    t.setInfo("v", "x");
    t.addEnum("v", "Low");
    t.addEnum("v", 'a"b');
    expect(t.delEnum("v", "LOW")).toBe(true);
    expect(t.delEnum("v", 'a"b')).toBe(false); // raw form does not match the stored a\"b
    expect(t.delEnum("v", 'A\\"B')).toBe(true);
    expect(t.get("v")?.enums).toEqual([]);
    expect(t.delEnum("missing", "x")).toBe(false);
  });

  test("deleting the variable drops its enums and ranges", () => {
    const t = new StateTree();
    t.setInfo("v", "x");
    t.addEnum("v", "1");
    t.addRange("v", 1, 2);
    t.setAux("v", 5);
    t.setFlagBits("v", ST_FLAG_RW);
    t.delInfo("v");
    t.setInfo("v", "y");
    expect(t.get("v")).toEqual({ name: "v", value: "y", escapedValue: "y", flags: 0, aux: 0, enums: [], ranges: [] });
  });
});

describe("ranges", () => {
  test("insertion order; min > max refused; same min OR same max counts as duplicate (C quirk)", () => {
    const t = new StateTree();
    expect(t.addRange("v", 1, 10)).toBe(false);
    t.setInfo("v", "5");
    expect(t.addRange("v", 10, 1)).toBe(false);
    expect(t.addRange("v", 1, 10)).toBe(true);
    expect(t.addRange("v", 1, 20)).toBe(false);
    expect(t.addRange("v", 0, 10)).toBe(false);
    expect(t.addRange("v", 20, 30)).toBe(true);
    expect(t.addRange("v", 5, 5)).toBe(true);
    expect(t.get("v")?.ranges).toEqual([{ min: 1, max: 10 }, { min: 20, max: 30 }, { min: 5, max: 5 }]);
  });

  test("delRange removes the first range matching min OR max", () => {
    const t = new StateTree();
    t.setInfo("v", "5");
    t.addRange("v", 1, 10);
    t.addRange("v", 20, 30);
    expect(t.delRange("v", 20, 99)).toBe(true);
    expect(t.delRange("v", 7, 7)).toBe(false);
    expect(t.get("v")?.ranges).toEqual([{ min: 1, max: 10 }]);
  });
});

describe("instant commands", () => {
  test("sorted case-insensitively, duplicates in any case ignored, first spelling kept", () => {
    const t = new StateTree();
    expect(t.addCmd("test.battery.start")).toBe(true);
    expect(t.addCmd("Load.Off")).toBe(true);
    expect(t.addCmd("beeper.toggle")).toBe(true);
    expect(t.addCmd("load.off")).toBe(false);
    expect(t.addCmd("load.on")).toBe(true);
    expect(t.commands()).toEqual(["beeper.toggle", "Load.Off", "load.on", "test.battery.start"]);
    expect(t.hasCmd("LOAD.OFF")).toBe(true);
    expect(t.delCmd("LOAD.off")).toBe(true);
    expect(t.delCmd("load.off")).toBe(false);
    expect(t.commands()).toEqual(["beeper.toggle", "load.on", "test.battery.start"]);
  });

  test("clear() drops variables and commands", () => {
    const t = new StateTree();
    t.setInfo("a", "1");
    t.addCmd("x");
    t.clear();
    expect(t.size).toBe(0);
    expect(t.variables()).toEqual([]);
    expect(t.commands()).toEqual([]);
  });
});

