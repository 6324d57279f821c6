import { describe, expect, test } from "bun:test";
import { MemoryUpsdContext } from "./memory-upsd-context.ts";

function fixture() {
  const ctx = new MemoryUpsdContext();
  const ups = ctx.addUps("fake", 'a "b"');
  const t = ups.source.tree;
  t.setInfo("ups.status", "OL");
  t.setInfo("Zeta.var", "z");
  t.setInfo("alpha.var", "a#");
  t.setFlags("alpha.var", ["RW"]);
  t.setInfo("v", "1");
  t.setFlags("v", ["RW"]);
  t.addEnum("v", "2");
  t.addEnum("v", "1");
  t.addRange("v", 5, 9);
  t.addRange("v", 1, 3);
  t.addCmd("load.off");
  t.addCmd("Load.on");
  ctx.addUps("other");
  return { ctx, ups, s: ctx.connect() };
}

describe("LIST", () => {
  test("UPS in configuration order, two description fallbacks", () => {
    const { ctx, s } = fixture();
    expect(ctx.request(s, "list", "ups", "extra")).toBe('BEGIN LIST UPS\nUPS fake "a \\"b\\""\nUPS other "Description unavailable"\nEND LIST UPS\n');
  });

  test("VAR sorted case-insensitively, escaped, sub-command echoed uppercase and names as typed", () => {
    const { ctx, ups, s } = fixture();
    expect(ctx.request(s, "List", "Var", "FAKE")).toBe(
      'BEGIN LIST VAR FAKE\nVAR FAKE alpha.var "a\\#"\nVAR FAKE ups.status "OL"\nVAR FAKE v "1"\nVAR FAKE Zeta.var "z"\nEND LIST VAR FAKE\n',
    );
    ups.fsd = true;
    expect(ctx.request(s, "LIST", "VAR", "fake")).toContain('VAR fake ups.status "FSD OL"\n');
    expect(ctx.request(s, "LIST", "RW", "fake")).toBe('BEGIN LIST RW fake\nRW fake alpha.var "a\\#"\nRW fake v "1"\nEND LIST RW fake\n');
  });

  test("CMD, ENUM and RANGE", () => {
    const { ctx, s } = fixture();
    expect(ctx.request(s, "LIST", "CMD", "fake")).toBe("BEGIN LIST CMD fake\nCMD fake load.off\nCMD fake Load.on\nEND LIST CMD fake\n");
    expect(ctx.request(s, "LIST", "ENUM", "fake", "V")).toBe('BEGIN LIST ENUM fake V\nENUM fake V "2"\nENUM fake V "1"\nEND LIST ENUM fake V\n');
    expect(ctx.request(s, "LIST", "RANGE", "fake", "v")).toBe('BEGIN LIST RANGE fake v\nRANGE fake v "5" "9"\nRANGE fake v "1" "3"\nEND LIST RANGE fake v\n');
    expect(ctx.request(s, "LIST", "ENUM", "fake", "ups.status")).toBe("BEGIN LIST ENUM fake ups.status\nEND LIST ENUM fake ups.status\n");
    expect(ctx.request(s, "LIST", "RANGE", "fake", "nope")).toBe("ERR VAR-NOT-SUPPORTED\n");
  });

  test("CLIENT: logged-in connections of that UPS, newest first, no freshness check", () => {
    const { ctx, ups, s } = fixture();
    const a = ctx.connect("10.0.0.1");
    a.loginUps = "fake";
    const b = ctx.connect("::1");
    b.loginUps = "fake";
    ctx.connect("10.0.0.3").loginUps = "other";
    ups.source.connected = false;
    expect(ctx.request(s, "LIST", "CLIENT", "FAKE")).toBe("BEGIN LIST CLIENT FAKE\nCLIENT fake ::1\nCLIENT fake 10.0.0.1\nEND LIST CLIENT FAKE\n");
    expect(ctx.request(s, "LIST", "CLIENT", "nope")).toBe("ERR UNKNOWN-UPS\n");
  });

  test("dispatch and availability errors", () => {
    const { ctx, ups, s } = fixture();
    expect(ctx.request(s, "LIST")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "LIST", "VAR")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "LIST", "ENUM", "fake")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "LIST", "BOGUS", "a", "b")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "LIST", "VAR", "nope")).toBe("ERR UNKNOWN-UPS\n");
    ups.source.stale = true;
    for (const sub of ["VAR", "RW", "CMD"]) expect(ctx.request(s, "LIST", sub, "fake")).toBe("ERR DATA-STALE\n");
    expect(ctx.request(s, "LIST", "UPS")).toStartWith("BEGIN LIST UPS");
    ups.source.connected = false;
    expect(ctx.request(s, "LIST", "ENUM", "fake", "v")).toBe("ERR DRIVER-NOT-CONNECTED\n");
  });
});
