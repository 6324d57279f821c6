import { describe, expect, test } from "bun:test";
import { UPS_VERSION } from "../protocol/nut-version.ts";
import { MemoryUpsdContext } from "./memory-upsd-context.ts";

function fixture() {
  const ctx = new MemoryUpsdContext();
  const ups = ctx.addUps("fake", 'Fake "one" #1');
  const t = ups.source.tree;
  t.setInfo("ups.status", "OL");
  t.setInfo("ups.id", 'a"b\\c');
  t.setFlags("ups.id", ["RW", "STRING"]);
  t.setAux("ups.id", 20);
  t.setInfo("input.transfer.low", "180");
  t.setFlags("input.transfer.low", ["RW"]);
  t.addEnum("input.transfer.low", "170");
  t.setInfo("input.transfer.high", "280");
  t.setFlags("input.transfer.high", ["RW"]);
  t.addRange("input.transfer.high", 270, 290);
  t.setInfo("test.enum", "a");
  t.setFlags("test.enum", ["RW", "STRING"]);
  t.setAux("test.enum", 10);
  t.addEnum("test.enum", "a");
  t.addCmd("load.off");
  ctx.addUps("nodesc");
  return { ctx, ups, s: ctx.connect() };
}

describe("GET", () => {
  test("dispatch: argument counts and unknown sub-commands", () => {
    const { ctx, s } = fixture();
    expect(ctx.request(s, "GET")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "GET", "VAR")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "GET", "VAR", "fake")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "GET", "BOGUS", "fake", "x")).toBe("ERR INVALID-ARGUMENT\n");
    expect(ctx.request(s, "GET", "BOGUS")).toBe("ERR INVALID-ARGUMENT\n");
  });

  test("VAR: value escaped, names echoed as typed, FSD prefix", () => {
    const { ctx, ups, s } = fixture();
    expect(ctx.request(s, "get", "var", "FAKE", "UPS.ID")).toBe('VAR FAKE UPS.ID "a\\"b\\\\c"\n');
    expect(ctx.request(s, "GET", "VAR", "fake", "ups.status")).toBe('VAR fake ups.status "OL"\n');
    ups.fsd = true;
    expect(ctx.request(s, "GET", "VAR", "fake", "UPS.STATUS")).toBe('VAR fake UPS.STATUS "FSD OL"\n');
    expect(ctx.request(s, "GET", "VAR", "fake", "nope")).toBe("ERR VAR-NOT-SUPPORTED\n");
    expect(ctx.request(s, "GET", "VAR", "nope", "ups.status")).toBe("ERR UNKNOWN-UPS\n");
  });

  test("VAR server.*: any UPS name, lowercase echo", () => {
    const { ctx, s } = fixture();
    expect(ctx.request(s, "GET", "VAR", "whatever", "SERVER.Version")).toBe(`VAR whatever server.version "${UPS_VERSION}"\n`);
    expect(ctx.request(s, "GET", "VAR", "x", "server.info")).toBe(`VAR x server.info "Network UPS Tools upsd ${UPS_VERSION} - http://www.networkupstools.org/"\n`);
    expect(ctx.request(s, "GET", "VAR", "x", "server.bogus")).toBe("ERR VAR-NOT-SUPPORTED\n");
  });

  test("availability: not connected, then stale", () => {
    const { ctx, ups, s } = fixture();
    ups.source.connected = false;
    for (const sub of ["VAR", "TYPE", "DESC", "CMDDESC"]) expect(ctx.request(s, "GET", sub, "fake", "ups.status")).toBe("ERR DRIVER-NOT-CONNECTED\n");
    expect(ctx.request(s, "GET", "NUMLOGINS", "fake")).toBe("ERR DRIVER-NOT-CONNECTED\n");
    expect(ctx.request(s, "GET", "UPSDESC", "fake")).toBe('UPSDESC fake "Fake \\"one\\" \\#1"\n');
    ups.source.connected = true;
    ups.source.stale = true;
    expect(ctx.request(s, "GET", "VAR", "fake", "ups.status")).toBe("ERR DATA-STALE\n");
    expect(ctx.request(s, "GET", "VAR", "fake", "server.version")).toStartWith("VAR fake server.version");
  });

  test("TYPE word lists", () => {
    const { ctx, s } = fixture();
    expect(ctx.request(s, "GET", "TYPE", "fake", "ups.id")).toBe("TYPE fake ups.id RW STRING:20\n");
    expect(ctx.request(s, "GET", "TYPE", "fake", "input.transfer.low")).toBe("TYPE fake input.transfer.low RW ENUM NUMBER\n");
    expect(ctx.request(s, "GET", "TYPE", "fake", "input.transfer.high")).toBe("TYPE fake input.transfer.high RW RANGE NUMBER\n");
    expect(ctx.request(s, "GET", "TYPE", "fake", "test.enum")).toBe("TYPE fake test.enum RW ENUM STRING:10\n");
    expect(ctx.request(s, "GET", "TYPE", "fake", "ups.status")).toBe("TYPE fake ups.status NUMBER\n");
    expect(ctx.request(s, "GET", "TYPE", "fake", "nope")).toBe("ERR VAR-NOT-SUPPORTED\n");
  });

  test("DESC, CMDDESC, UPSDESC and NUMLOGINS texts", () => {
    const { ctx, ups, s } = fixture();
    expect(ctx.request(s, "GET", "DESC", "fake", "UPS.STATUS")).toBe('DESC fake UPS.STATUS "UPS status"\n');
    expect(ctx.request(s, "GET", "DESC", "fake", "no.such")).toBe('DESC fake no.such "Description unavailable"\n');
    expect(ctx.request(s, "GET", "CMDDESC", "fake", "load.off")).toBe('CMDDESC fake load.off "Turn off the load immediately"\n');
    expect(ctx.request(s, "GET", "CMDDESC", "fake", "x.y")).toBe('CMDDESC fake x.y "Description unavailable"\n');
    expect(ctx.request(s, "GET", "UPSDESC", "NODESC")).toBe('UPSDESC NODESC "Unavailable"\n');
    expect(ctx.request(s, "GET", "UPSDESC", "nope")).toBe("ERR UNKNOWN-UPS\n");
    ups.numLogins = 2;
    expect(ctx.request(s, "GET", "NUMLOGINS", "Fake")).toBe("NUMLOGINS Fake 2\n");
  });

  test("TRACKING without and with the connection's flag", () => {
    const { ctx, s } = fixture();
    expect(ctx.request(s, "GET", "TRACKING")).toBe("OFF\n");
    expect(ctx.request(s, "GET", "TRACKING", "ABC")).toBe("ERR FEATURE-NOT-CONFIGURED\n");
    s.tracking = true;
    expect(ctx.request(s, "GET", "TRACKING")).toBe("ON\n");
    expect(ctx.request(s, "GET", "TRACKING", "ABC")).toBe("ERR UNKNOWN\n");
  });
});
