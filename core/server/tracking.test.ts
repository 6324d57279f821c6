import { describe, expect, test } from "bun:test";
import { TrackingTable, newTrackingId, trackingStatusText } from "./tracking.ts";
import { checkAction, checkInstcmd, secretsEqual } from "./user-auth.ts";
import { parseUpsdUsers } from "../config/upsd-users.ts";
import { Descriptions } from "./descriptions.ts";

describe("tracking", () => {
  test("ids are uppercase UUIDv4, all different", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newTrackingId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  test("2.8.0 status texts", () => {
    expect([-1, 0, 1, 2, 3, 4, 5].map(trackingStatusText)).toEqual(["PENDING", "SUCCESS", "ERR UNKNOWN", "ERR INVALID-ARGUMENT", "ERR FAILED", "ERR UNKNOWN", "ERR UNKNOWN"]);
  });

  test("entries only while enabled, case-insensitive ids, purged after the delay", () => {
    const t = new TrackingTable();
    expect(t.add("AB", 100)).toBe(false);
    t.enabled = true;
    expect(t.add("AB", 100)).toBe(true);
    expect(t.get("ab")).toBe("PENDING");
    expect(t.set("aB", 2)).toBe(true);
    expect(t.get("AB")).toBe("ERR INVALID-ARGUMENT");
    expect(t.set("zz", 0)).toBe(false);
    t.cleanup(3700, 3600);
    expect(t.size).toBe(1);
    t.cleanup(3701, 3600);
    expect(t.get("AB")).toBe("ERR UNKNOWN");
  });
});

describe("user checks", () => {
  const users = parseUpsdUsers("[u]\npassword = pw\nactions = SET\ninstcmds = load.off\n[nopw]\nactions = SET\n[all]\npassword = x\ninstcmds = All\n", "upsd.users").config;

  test("constant-time comparison still compares exactly", () => {
    expect(secretsEqual("pw", "pw")).toBe(true);
    expect(secretsEqual("pw", "pW")).toBe(false);
    expect(secretsEqual("p", "pw")).toBe(false);
    expect(secretsEqual("", "")).toBe(true);
  });

  test("actions and instcmds", () => {
    expect(checkAction(users, "u", "pw", "set")).toBeUndefined();
    expect(checkAction(users, "u", "pw", "FSD")).toBe("not-allowed");
    expect(checkAction(users, "u", "bad", "SET")).toBe("bad-password");
    expect(checkAction(users, "U", "pw", "SET")).toBe("unknown-user");
    expect(checkAction(users, "nopw", "", "SET")).toBe("unknown-user");
    expect(checkAction(users, undefined, "pw", "SET")).toBe("no-credentials");
    expect(checkInstcmd(users, "u", "pw", "LOAD.OFF")).toBeUndefined();
    expect(checkInstcmd(users, "u", "pw", "load.on")).toBe("not-allowed");
    expect(checkInstcmd(users, "all", "x", "anything")).toBeUndefined();
  });
});

describe("descriptions", () => {
  test("embedded 2.8.0 cmdvartab, case-insensitive, later line wins", () => {
    const d = Descriptions.embedded();
    expect(d.variable("UPS.STATUS")).toBe("UPS status");
    expect(d.variable("device.part")).toBe("Device Part Number");
    expect(d.command("load.off")).toBe("Turn off the load immediately");
    const p = Descriptions.parse('VARDESC a "one"\nVARDESC A "two"\nCMDDESC c\nOTHER x "y"\nVARDESC b "x#y"\n').descriptions;
    expect(p.variable("a")).toBe("two");
    expect(p.command("c")).toBeUndefined();
  });
});
