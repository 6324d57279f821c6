import { describe, expect, test } from "bun:test";
import { MemoryUpsdContext } from "./memory-upsd-context.ts";

const USERS = "[mon]\npassword = pw\nupsmon primary\n[sec]\npassword = s\nupsmon secondary\n[p]\npassword = p\nactions = PRIMARY\n";

describe("USERNAME / PASSWORD / LOGIN / LOGOUT / PRIMARY / MASTER", () => {
  test("credentials are stored blindly, once each", () => {
    const ctx = new MemoryUpsdContext(USERS);
    const s = ctx.connect();
    expect(ctx.request(s, "LOGIN", "ups")).toBe("ERR USERNAME-REQUIRED\n");
    expect(ctx.request(s, "USERNAME")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "USERNAME", "mon")).toBe("OK\n");
    expect(ctx.request(s, "USERNAME", "x")).toBe("ERR ALREADY-SET-USERNAME\n");
    expect(ctx.request(s, "LOGIN", "ups")).toBe("ERR PASSWORD-REQUIRED\n");
    expect(ctx.request(s, "PASSWORD", "a", "b")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "PASSWORD", "wrong")).toBe("OK\n");
    expect(ctx.request(s, "PASSWORD", "pw")).toBe("ERR ALREADY-SET-PASSWORD\n");
  });

  test("LOGIN counts, refuses twice, checks the UPS before the credentials", () => {
    const ctx = new MemoryUpsdContext(USERS);
    const ups = ctx.addUps("ups");
    ups.source.connected = false;
    const s = ctx.connect();
    s.username = "mon";
    s.password = "pw";
    expect(ctx.request(s, "LOGIN")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "LOGIN", "nope")).toBe("ERR UNKNOWN-UPS\n");
    expect(ctx.request(s, "LOGIN", "UPS")).toBe("OK\n");
    expect(s.loginUps).toBe("ups");
    expect(ups.numLogins).toBe(1);
    expect(ctx.request(s, "LOGIN", "ups")).toBe("ERR ALREADY-LOGGED-IN\n");
    const bad = ctx.connect();
    bad.username = "mon";
    bad.password = "nope";
    expect(ctx.request(bad, "LOGIN", "nope")).toBe("ERR UNKNOWN-UPS\n");
    expect(ctx.request(bad, "LOGIN", "ups")).toBe("ERR ACCESS-DENIED\n");
    expect(ctx.log.lines.some((l) => l.includes("Login refused for mon@127.0.0.1") && !l.includes("nope"))).toBe(true);
    expect(ctx.request(s, "LOGOUT", "x")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "LOGOUT")).toBe("OK Goodbye\n");
    expect(s.closing).toBe(true);
  });

  test("PRIMARY accepts the PRIMARY or MASTER action; MASTER is its alias", () => {
    const ctx = new MemoryUpsdContext(USERS);
    ctx.addUps("ups");
    const as = (u: string, p: string) => {
      const s = ctx.connect();
      s.username = u;
      s.password = p;
      return s;
    };
    const mon = as("mon", "pw");
    expect(ctx.request(mon, "PRIMARY", "ups")).toBe("OK PRIMARY-GRANTED\n");
    expect(ctx.request(mon, "MASTER", "ups")).toBe("OK MASTER-GRANTED\n");
    expect(ctx.request(mon, "PRIMARY", "nope")).toBe("ERR UNKNOWN-UPS\n");
    expect(ctx.request(mon, "PRIMARY")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(as("p", "p"), "MASTER", "ups")).toBe("OK MASTER-GRANTED\n");
    expect(ctx.request(as("sec", "s"), "PRIMARY", "ups")).toBe("ERR ACCESS-DENIED\n");
    expect(ctx.request(as("mon", "x"), "PRIMARY", "ups")).toBe("ERR ACCESS-DENIED\n");
  });
});
