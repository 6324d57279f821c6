import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { eventually } from "../test/harness/eventually.ts";
import { FakeUpsd } from "../test/harness/fake-upsd.ts";
import type { ProgramIo } from "./program-io.ts";
import { main } from "./upsrw.ts";

/** Runs upsrw in-process; stdout and stderr captured. */
async function upsrw(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: ProgramIo = { name: "upsrw", env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The 2.8.0 listing captured in the spec (clients-cli.md §4), served by the fake upsd. */
const LISTING =
  "[input.transfer.high]\nHigh voltage transfer point (V)\nType: RANGE NUMBER\n" +
  'Option: "250-270" SELECTED\nOption: "280-290"\n\n' +
  "[input.transfer.low]\nLow voltage transfer point (V)\nType: ENUM NUMBER\n" +
  'Option: "170"\nOption: "180" SELECTED\nOption: "190"\n\n' +
  '[ups.id]\nUPS system identifier\nType: STRING\nMaximum length: 20\nValue: a"b\\c\n\n';

let upsd: FakeUpsd;
beforeAll(async () => {
  upsd = await FakeUpsd.start([
    {
      match: "LIST RW fake",
      reply: ["BEGIN LIST RW fake", 'RW fake input.transfer.high "260"', 'RW fake input.transfer.low "180"', 'RW fake ups.id "x"', "END LIST RW fake"],
    },
    { match: "GET DESC fake input.transfer.high", reply: 'DESC fake input.transfer.high "High voltage transfer point (V)"' },
    { match: "GET TYPE fake input.transfer.high", reply: "TYPE fake input.transfer.high RW RANGE NUMBER" },
    { match: "GET VAR fake input.transfer.high", reply: 'VAR fake input.transfer.high "260"' },
    { match: "LIST RANGE fake input.transfer.high", reply: ["BEGIN LIST RANGE fake input.transfer.high", 'RANGE fake input.transfer.high "250" "270"', 'RANGE fake input.transfer.high "280" "290"', "END LIST RANGE fake input.transfer.high"] },
    { match: "GET DESC fake input.transfer.low", reply: 'DESC fake input.transfer.low "Low voltage transfer point (V)"' },
    { match: "GET TYPE fake input.transfer.low", reply: "TYPE fake input.transfer.low RW ENUM NUMBER" },
    { match: "GET VAR fake input.transfer.low", reply: 'VAR fake input.transfer.low "180"' },
    { match: "LIST ENUM fake input.transfer.low", reply: ["BEGIN LIST ENUM fake input.transfer.low", ...["170", "180", "190"].map((v) => `ENUM fake input.transfer.low "${v}"`), "END LIST ENUM fake input.transfer.low"] },
    { match: "GET DESC fake ups.id", reply: 'DESC fake ups.id "UPS system identifier"' },
    { match: "GET TYPE fake ups.id", reply: "TYPE fake ups.id RW STRING:20" },
    { match: "GET VAR fake ups.id", reply: 'VAR fake ups.id "a\\"b\\\\c"' },
    { match: "LIST RW broken", reply: ["BEGIN LIST RW broken", 'RW broken a.b "1"', 'RW broken c.d "1"', "END LIST RW broken"] },
    { match: "GET TYPE broken a.b", reply: "TYPE broken a.b RW NUMBER" },
    { match: "GET VAR broken a.b", reply: 'VAR broken a.b "1"' },
    { match: "GET TYPE broken c.d", reply: "TYPE broken c.d RW STRING:4" },
    { match: /^GET (DESC|VAR) broken /, reply: "ERR VAR-NOT-SUPPORTED" },
    { match: /^LIST RW /, reply: "ERR UNKNOWN-UPS" },
    { match: /^(USERNAME|PASSWORD) /, reply: "OK" },
    { match: 'SET VAR fake ups.id "new \\"value\\""', reply: "OK" },
    { match: /^SET VAR fake ups\.id /, reply: "ERR TOO-LONG" },
    { match: /^SET VAR /, reply: "ERR VAR-NOT-SUPPORTED" },
  ]);
});
afterAll(() => upsd.stop());

describe("upsrw (in-process, against a scripted upsd)", () => {
  test("help, -V on stdout, unknown options", async () => {
    const help = await upsrw("-h");
    expect(help.code).toBe(0);
    expect(help.stdout).toStartWith(`Network UPS Tools upsrw ${UPS_VERSION}\n\nusage: upsrw [-h]\n`);
    expect(help.stdout).toEndWith("Call without -s to show all possible read/write variables (same as -l).\n");
    expect(await upsrw()).toEqual(help);
    expect(await upsrw("-q")).toEqual({ ...help, stderr: "upsrw: invalid option -- 'q'\n" });
    expect(await upsrw("-V")).toEqual({ code: 0, stdout: `Network UPS Tools upsrw ${UPS_VERSION}\n`, stderr: "" });
  });

  test("the listing of RANGE, ENUM and STRING variables (2.8.0's captured text)", async () => {
    expect(await upsrw(upsd.upsId("fake"))).toEqual({ code: 0, stdout: LISTING, stderr: "" });
    expect(await upsrw("-l", upsd.upsId("fake"))).toEqual({ code: 0, stdout: LISTING, stderr: "" });
  });

  test("a listing cut short: the text so far, then the fatal", async () => {
    expect(await upsrw(upsd.upsId("broken"))).toEqual({
      code: 1,
      stdout: "[a.b]\nDescription unavailable\nType: NUMBER\nValue: 1\n\n[c.d]\nDescription unavailable\n",
      stderr: "do_string: can't get current value of c.d\n",
    });
    expect(await upsrw(upsd.upsId("nope"))).toEqual({ code: 1, stdout: "", stderr: "Error: Unknown UPS\n" });
  });

  test("-j: the listing as JSON; failures as an error object", async () => {
    const r = await upsrw("-j", upsd.upsId("fake"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      "input.transfer.high": { description: "High voltage transfer point (V)", type: "RANGE NUMBER", value: "260", ranges: [{ min: 250, max: 270 }, { min: 280, max: 290 }] },
      "input.transfer.low": { description: "Low voltage transfer point (V)", type: "ENUM NUMBER", value: "180", options: ["170", "180", "190"] },
      "ups.id": { description: "UPS system identifier", type: "STRING", max_length: 20, value: 'a"b\\c' },
    });
    expect(await upsrw("-j", upsd.upsId("broken"))).toEqual({
      code: 1,
      stdout: `{"error": "do_string: can't get current value of c.d"}\n`,
      stderr: "do_string: can't get current value of c.d\n",
    });
  });

  test("-s var=value: credentials, SET VAR with the value quoted and escaped, `OK` on stderr", async () => {
    expect(await upsrw("-s", 'ups.id=new "value"', "-u", "admin", "-p", "pw", upsd.upsId("fake"))).toEqual({ code: 0, stdout: "", stderr: "OK\n" });
    const session = upsd.sessions.at(-1)!;
    expect(await eventually(() => session.includes("LOGOUT"), 2000)).toBe(true);
    expect(session).toEqual(["USERNAME admin", "PASSWORD pw", 'SET VAR fake ups.id "new \\"value\\""', "LOGOUT"]);
  });

  test("refusals, old-style names (checked after logging in), -l cancelling -s", async () => {
    expect(await upsrw("-s", "ups.id=x", "-u", "a", "-p", "b", upsd.upsId("fake"))).toEqual({ code: 1, stdout: "", stderr: "Unexpected response from upsd: ERR TOO-LONG\n" });
    expect(await upsrw("-s", "id=x", "-u", "a", "-p", "b", upsd.upsId("fake"))).toEqual({ code: 1, stdout: "", stderr: "Error: old variable names are not supported\n" });
    expect(upsd.sessions.at(-1)!.slice(0, 2)).toEqual(["USERNAME a", "PASSWORD b"]);
    expect(await upsrw("-s", "ups.id=x", "-l", upsd.upsId("fake"))).toEqual({
      code: 0,
      stdout: LISTING,
      stderr: "Listing mode requested, overriding setvar specified earlier!\n",
    });
  });
});
