import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { eventually } from "../test/harness/eventually.ts";
import { FakeUpsd } from "../test/harness/fake-upsd.ts";
import type { ProgramIo } from "./program-io.ts";
import { main } from "./upscmd.ts";

const ID = "0B3F0E7A-6C4B-4D55-9E2A-7A1C0F3D9B21";

/** Runs upscmd in-process; stdout and stderr captured. */
async function upscmd(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: ProgramIo = { name: "upscmd", env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

let upsd: FakeUpsd;
let pollsLeft = 0;
beforeAll(async () => {
  upsd = await FakeUpsd.start([
    { match: "LIST CMD fake", reply: ["BEGIN LIST CMD fake", "CMD fake load.off", "CMD fake beeper.off", "CMD fake x.y", "END LIST CMD fake"] },
    { match: "LIST CMD empty", reply: ["BEGIN LIST CMD empty", "END LIST CMD empty"] },
    { match: "LIST CMD gone", reply: "ERR UNKNOWN-UPS" },
    { match: "GET CMDDESC fake load.off", reply: 'CMDDESC fake load.off "Turn off the load immediately"' },
    { match: "GET CMDDESC fake beeper.off", reply: 'CMDDESC fake beeper.off "A \\"quoted\\" one"' },
    { match: /^USERNAME /, reply: "OK" },
    { match: "PASSWORD good", reply: "OK" },
    { match: /^PASSWORD /, reply: "OK" },
    { match: "SET TRACKING ON", reply: "OK" },
    { match: "INSTCMD fake load.off", reply: "OK" },
    { match: "INSTCMD fake load.off 30", reply: "OK" },
    { match: "INSTCMD fake tracked.cmd", reply: `OK TRACKING ${ID}` },
    { match: `GET TRACKING ${ID}`, reply: () => (pollsLeft-- > 0 ? "PENDING" : "SUCCESS") },
    { match: /^INSTCMD /, reply: "ERR CMD-NOT-SUPPORTED" },
  ]);
});
afterAll(() => upsd.stop());

describe("upscmd (in-process, against a scripted upsd)", () => {
  test("-h, no arguments and unknown options print the help on stdout, exit 0; -V goes to stderr", async () => {
    const help = await upscmd("-h");
    expect(help.code).toBe(0);
    expect(help.stdout).toStartWith(`Network UPS Tools upscmd ${UPS_VERSION}\n\nusage: upscmd [-h]\n       upscmd [-l <ups>]\n`);
    expect(help.stdout).toEndWith("  [<value>]\tAdditional data for command - number of seconds, etc.\n");
    expect(await upscmd()).toEqual(help);
    expect(await upscmd("-z")).toEqual({ ...help, stderr: "upscmd: invalid option -- 'z'\n" });
    expect(await upscmd("-V")).toEqual({ code: 0, stdout: "", stderr: `Network UPS Tools upscmd ${UPS_VERSION}\n` });
  });

  test("-t must be an unsigned int", async () => {
    expect(await upscmd("-t", "x", "u", "a.b")).toEqual({
      code: 1,
      stdout: "",
      stderr: "Could not convert the provided value for timeout ('-t' option) to unsigned int: Invalid argument\n",
    });
  });

  test("-l lists commands with descriptions", async () => {
    expect(await upscmd("-l", upsd.upsId("fake"))).toEqual({
      code: 0,
      stdout: 'Instant commands supported on UPS [fake]:\n\nload.off - Turn off the load immediately\nbeeper.off - A "quoted" one\nx.y\n',
      stderr: "",
    });
    expect(await upscmd("-l", upsd.upsId("gone"))).toEqual({ code: 1, stdout: "", stderr: "Error: Unknown UPS\n" });
  });

  test("-j -l prints JSON, and an error object when it fails", async () => {
    const r = await upscmd("-j", "-l", upsd.upsId("fake"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ "load.off": "Turn off the load immediately", "beeper.off": 'A "quoted" one', "x.y": null });
    expect(await upscmd("-l", "-j", upsd.upsId("empty"))).toEqual({ code: 0, stdout: "{\n\n}\n", stderr: "" });
    expect(await upscmd("-jl", upsd.upsId("gone"))).toEqual({ code: 1, stdout: '{"error": "Unknown UPS"}\n', stderr: "Error: Unknown UPS\n" });
  });

  test("a command: credentials, INSTCMD, `OK` on stderr", async () => {
    expect(await upscmd("-u", "admin", "-p", "good", upsd.upsId("fake"), "load.off")).toEqual({ code: 0, stdout: "", stderr: "OK\n" });
    const session = upsd.sessions.at(-1)!;
    // LOGOUT is written as the connection closes, unanswered: it may arrive after the run
    expect(await eventually(() => session.includes("LOGOUT"), 2000)).toBe(true);
    expect(session).toEqual(["USERNAME admin", "PASSWORD good", "INSTCMD fake load.off", "LOGOUT"]);
    expect(await upscmd("-u", "admin", "-p", "good", upsd.upsId("fake"), "load.off", "30", "ignored")).toEqual({ code: 0, stdout: "", stderr: "OK\n" });
  });

  test("a refused command, an old-style name, a missing command", async () => {
    expect(await upscmd("-u", "a", "-p", "b", upsd.upsId("fake"), "no.such")).toEqual({
      code: 1,
      stdout: "",
      stderr: "Unexpected response from upsd: ERR CMD-NOT-SUPPORTED\n",
    });
    expect(await upscmd("-u", "a", "-p", "b", upsd.upsId("fake"), "nodot")).toEqual({ code: 1, stdout: "", stderr: "Error: old command names are not supported\n" });
    const help = await upscmd(upsd.upsId("fake"));
    expect(help.code).toBe(0);
    expect(help.stdout).toStartWith(`Network UPS Tools upscmd ${UPS_VERSION}\n`);
  });

  test("-w follows the tracking id until the result", async () => {
    pollsLeft = 1;
    expect(await upscmd("-w", "-u", "a", "-p", "b", upsd.upsId("fake"), "tracked.cmd")).toEqual({ code: 0, stdout: "", stderr: "SUCCESS\n" });
    const session = upsd.sessions.at(-1)!;
    expect(await eventually(() => session.includes("LOGOUT"), 2000)).toBe(true);
    expect(session).toEqual(["USERNAME a", "PASSWORD b", "SET TRACKING ON", "INSTCMD fake tracked.cmd", `GET TRACKING ${ID}`, `GET TRACKING ${ID}`, "LOGOUT"]);
  });

  test("connection failures and bad identifiers", async () => {
    expect(await upscmd("-l", "ups@127.0.0.1:x")).toEqual({
      code: 1,
      stdout: "",
      stderr: "upscli_splitaddr: no port specified after ':' separator\nError: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n",
    });
  });
});
