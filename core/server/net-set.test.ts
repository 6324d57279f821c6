import { describe, expect, test } from "bun:test";
import { MemoryUpsdContext } from "./memory-upsd-context.ts";

const USERS = "[setter]\npassword = pw\nactions = SET\n[mon]\npassword = m\nupsmon secondary\n";

function fixture() {
  const ctx = new MemoryUpsdContext(USERS);
  const ups = ctx.addUps("enum");
  const t = ups.source.tree;
  t.setInfo("ups.id", "abc");
  t.setFlags("ups.id", ["RW", "STRING"]);
  t.setAux("ups.id", 4);
  t.setInfo("noaux", "x");
  t.setFlags("noaux", ["RW", "STRING"]);
  t.setInfo("ro", "1");
  t.setInfo("e", "a");
  t.setFlags("e", ["RW"]);
  t.addEnum("e", "a");
  t.addEnum("e", 'q"');
  t.setInfo("r", "280");
  t.setFlags("r", ["RW"]);
  t.addRange("r", 270, 290);
  const s = ctx.connect();
  s.username = "setter";
  s.password = "pw";
  return { ctx, ups, s };
}

describe("SET VAR", () => {
  test("checks in NUT's order", () => {
    const { ctx, ups, s } = fixture();
    const set = (...w: string[]): string => ctx.request(s, "SET", ...w);
    expect(set()).toBe("ERR INVALID-ARGUMENT\n");
    expect(set("VAR")).toBe("ERR INVALID-ARGUMENT\n");
    expect(set("VAR", "enum", "ups.id")).toBe("ERR INVALID-ARGUMENT\n");
    expect(set("BOGUS", "x")).toBe("ERR INVALID-ARGUMENT\n");
    expect(set("VAR", "nope", "ups.id", "x")).toBe("ERR UNKNOWN-UPS\n");
    expect(set("VAR", "enum", "nope", "x")).toBe("ERR VAR-NOT-SUPPORTED\n");
    expect(set("VAR", "enum", "ro", "x")).toBe("ERR READONLY\n");
    expect(set("VAR", "enum", "noaux", "x")).toBe("ERR SET-FAILED\n");
    expect(set("VAR", "enum", "ups.id", "12345")).toBe("ERR TOO-LONG\n");
    expect(set("VAR", "enum", "ups.id", "1234")).toBe("OK\n");
    expect(set("VAR", "enum", "e", "b")).toBe("ERR INVALID-VALUE\n");
    expect(set("VAR", "enum", "e", 'q"')).toBe("ERR INVALID-VALUE\n");
    expect(set("VAR", "enum", "e", "a")).toBe("OK\n");
    expect(set("VAR", "enum", "r", "300")).toBe("ERR INVALID-VALUE\n");
    expect(set("VAR", "enum", "r", "285abc")).toBe("OK\n");
    expect(ups.source.requests).toEqual([
      { kind: "SET", name: "ups.id", value: "1234" },
      { kind: "SET", name: "e", value: "a" },
      { kind: "SET", name: "r", value: "285abc" },
    ]);
    ups.source.writable = false;
    expect(set("VAR", "enum", "ups.id", "x")).toBe("ERR SET-FAILED\n");
    ups.source.stale = true;
    expect(set("VAR", "enum", "nope", "x")).toBe("ERR DATA-STALE\n");
  });

  test("rights: no SET action, wrong password, unknown user are all ACCESS-DENIED", () => {
    const { ctx } = fixture();
    for (const [u, p] of [["mon", "m"], ["setter", "bad"], ["nobody", "pw"]] as const) {
      const s = ctx.connect();
      s.username = u;
      s.password = p;
      expect(ctx.request(s, "SET", "VAR", "enum", "nope", "x")).toBe("ERR ACCESS-DENIED\n");
    }
  });

  test("TRACKING ON/OFF and tracked requests", () => {
    const { ctx, ups, s } = fixture();
    expect(ctx.request(s, "SET", "TRACKING", "maybe")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "SET", "TRACKING", "on")).toBe("OK\n");
    const reply = ctx.request(s, "SET", "VAR", "enum", "ups.id", "t");
    const id = /^OK TRACKING ([0-9A-F-]{36})\n$/.exec(reply)?.[1];
    expect(id).toBeDefined();
    expect(ups.source.requests.at(-1)).toEqual({ kind: "SET", name: "ups.id", value: "t", tracking: id! });
    expect(ctx.request(s, "GET", "TRACKING", id!)).toBe("PENDING\n");
    ups.source.reportTracking(id!, 0);
    expect(ctx.request(s, "GET", "TRACKING", id!.toLowerCase())).toBe("SUCCESS\n");
    expect(ctx.request(s, "SET", "TRACKING", "OFF")).toBe("OK\n");
    expect(ctx.request(s, "SET", "VAR", "enum", "ups.id", "u")).toBe("OK\n");
    expect(ctx.request(s, "GET", "TRACKING", id!)).toBe("ERR FEATURE-NOT-CONFIGURED\n");
  });
});
