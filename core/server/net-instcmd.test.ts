import { describe, expect, test } from "bun:test";
import { MemoryUpsdContext } from "./memory-upsd-context.ts";

const USERS = "[op]\npassword = pw\ninstcmds = load.off\n[admin]\npassword = s\ninstcmds = ALL\n";

function fixture() {
  const ctx = new MemoryUpsdContext(USERS);
  const ups = ctx.addUps("enum");
  ups.source.tree.addCmd("load.off");
  ups.source.tree.addCmd("Load.on");
  const s = ctx.connect();
  s.username = "op";
  s.password = "pw";
  return { ctx, ups, s };
}

describe("INSTCMD", () => {
  test("checks in NUT's order; the parameter only with exactly 3 words", () => {
    const { ctx, ups, s } = fixture();
    const cmd = (...w: string[]): string => ctx.request(s, "INSTCMD", ...w);
    expect(cmd()).toBe("ERR INVALID-ARGUMENT\n");
    expect(cmd("enum")).toBe("ERR INVALID-ARGUMENT\n");
    expect(cmd("nope", "load.off")).toBe("ERR UNKNOWN-UPS\n");
    expect(cmd("enum", "x.y")).toBe("ERR CMD-NOT-SUPPORTED\n");
    expect(cmd("enum", "load.on")).toBe("ERR ACCESS-DENIED\n");
    expect(cmd("enum", "LOAD.OFF")).toBe("OK\n");
    expect(cmd("enum", "load.off", "5")).toBe("OK\n");
    expect(cmd("enum", "load.off", "a", "b")).toBe("OK\n");
    expect(ups.source.requests).toEqual([
      { kind: "INSTCMD", name: "LOAD.OFF" },
      { kind: "INSTCMD", name: "load.off", param: "5" },
      { kind: "INSTCMD", name: "load.off" },
    ]);
    ups.source.writable = false;
    expect(cmd("enum", "load.off")).toBe("ERR INSTCMD-FAILED\n");
    ups.source.connected = false;
    expect(cmd("enum", "x.y")).toBe("ERR DRIVER-NOT-CONNECTED\n");
  });

  test("instcmds = all, wrong password, tracking", () => {
    const { ctx, ups } = fixture();
    const s = ctx.connect();
    s.username = "admin";
    s.password = "s";
    expect(ctx.request(s, "INSTCMD", "enum", "Load.on")).toBe("OK\n");
    s.tracking = true;
    ctx.tracking.enabled = true;
    const id = /^OK TRACKING (\S+)\n$/.exec(ctx.request(s, "INSTCMD", "enum", "load.off", "1"))?.[1];
    expect(ups.source.requests.at(-1)).toEqual({ kind: "INSTCMD", name: "load.off", param: "1", tracking: id! });
    ups.source.reportTracking(id!, 3);
    expect(ctx.request(s, "GET", "TRACKING", id!)).toBe("ERR FAILED\n");
    const bad = ctx.connect();
    bad.username = "admin";
    bad.password = "S";
    expect(ctx.request(bad, "INSTCMD", "enum", "Load.on")).toBe("ERR ACCESS-DENIED\n");
  });
});
