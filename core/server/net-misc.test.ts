import { describe, expect, test } from "bun:test";
import { UPS_VERSION } from "../protocol/nut-version.ts";
import { MemoryUpsdContext } from "./memory-upsd-context.ts";
import type { NetSession } from "./upsd-context.ts";

describe("VER / NETVER / PROTVER / HELP / FSD / STARTTLS / dispatch", () => {
  test("fixed texts and arities", () => {
    const ctx = new MemoryUpsdContext();
    const s = ctx.connect();
    expect(ctx.request(s, "VER")).toBe(`Network UPS Tools upsd ${UPS_VERSION} - http://www.networkupstools.org/\n`);
    expect(ctx.request(s, "ver", "x")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "NETVER")).toBe("1.3\n");
    expect(ctx.request(s, "protver")).toBe("1.3\n");
    expect(ctx.request(s, "HELP")).toBe("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n");
    expect(ctx.request(s)).toBe("ERR UNKNOWN-COMMAND\n");
    expect(ctx.request(s, "BOGUS")).toBe("ERR UNKNOWN-COMMAND\n");
  });

  test("FSD sets the latch, needs the FSD right", () => {
    const ctx = new MemoryUpsdContext("[a]\npassword = p\nactions = FSD\n[b]\npassword = q\nupsmon secondary\n");
    const ups = ctx.addUps("ups");
    ups.source.connected = false;
    const s = ctx.connect();
    expect(ctx.request(s, "FSD", "ups")).toBe("ERR USERNAME-REQUIRED\n");
    s.username = "b";
    s.password = "q";
    expect(ctx.request(s, "FSD", "ups")).toBe("ERR ACCESS-DENIED\n");
    const a = ctx.connect();
    a.username = "a";
    a.password = "p";
    expect(ctx.request(a, "FSD")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(a, "FSD", "nope")).toBe("ERR UNKNOWN-UPS\n");
    expect(ups.fsd).toBe(false);
    expect(ctx.request(a, "FSD", "UPS")).toBe("OK FSD-SET\n");
    expect(ups.fsd).toBe(true);
  });

  test("STARTTLS: not configured, configured, already in TLS", () => {
    const ctx = new MemoryUpsdContext();
    const s = ctx.connect();
    expect(ctx.request(s, "STARTTLS", "x")).toBe("ERR FEATURE-NOT-CONFIGURED\n");
    const upgraded: NetSession[] = [];
    ctx.startTls = { upgrade: (session) => upgraded.push(session) };
    expect(ctx.request(s, "STARTTLS")).toBe("OK STARTTLS\n");
    expect(upgraded).toEqual([s]);
    s.ssl = true;
    expect(ctx.request(s, "STARTTLS")).toBe("ERR ALREADY-SSL-MODE\n");
  });
});
