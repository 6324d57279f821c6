// Golden transcripts recorded at test time: the same raw TCP exchanges against Debian's upsd
// 2.8.0 and against ours, each served by Debian's dummy-ups (UPS `fake`) and by a scripted fake
// driver answering on the driver socket (UPS `enum`, with enums, ranges, string lengths and
// tracking; UPS `stale`, whose dump never says DATAOK). Replies must be equal byte for byte once
// the few things that must differ are masked: the version text (VER, server.info,
// server.version) and the tracking ids. What the fake driver receives is compared too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Socket, connect } from "node:net";
import { join } from "node:path";
import { type NutSandbox, type NutSandboxOptions, type SandboxPaths, startNutSandbox } from "../harness/debian-nut.ts";
import { FakeDriver } from "../harness/fake-driver.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The drivers' answer to TRACKING: `track.pending` never gets one, `Load.on` fails (3), the rest succeed. */
const trackingStatus = (line: string): number | null => (line.includes("track.pending") ? null : line.includes("Load.on") ? 3 : 0);

const ENUM_DUMP = [
  'SETINFO Zeta.var "z"',
  'SETINFO alpha.var "a"',
  'SETINFO input.transfer.high "280"',
  "ADDRANGE input.transfer.high 270 290",
  "ADDRANGE input.transfer.high 300 310",
  "SETFLAGS input.transfer.high RW NUMBER",
  'SETINFO input.transfer.low "180"',
  'ADDENUM input.transfer.low "170"',
  'ADDENUM input.transfer.low "180"',
  'ADDENUM input.transfer.low "a\\"q"',
  "SETFLAGS input.transfer.low RW",
  'SETINFO ro.var "1"',
  'SETINFO test.enum "a"',
  'ADDENUM test.enum "a"',
  'ADDENUM test.enum "bb"',
  "SETAUX test.enum 10",
  "SETFLAGS test.enum RW STRING",
  'SETINFO test.noaux "x"',
  "SETFLAGS test.noaux RW STRING",
  'SETINFO track.pending "0"',
  "SETFLAGS track.pending RW",
  'SETINFO ups.id "a\\"b\\\\c\\#d"',
  "SETAUX ups.id 8",
  "SETFLAGS ups.id RW STRING",
  'SETINFO ups.status "OL CHRG"',
  "ADDCMD Load.on",
  "ADDCMD load.off",
  "ADDCMD test.battery.start",
  "DATAOK",
  "DUMPDONE",
];
const STALE_DUMP = ['SETINFO ups.status "OL"', "DUMPDONE"];

const DEV = ["ups.status: OL", "ups.mfr: Acme", "battery.charge: 100", "ups.id: dev-1", "input.voltage: 230.0", ""].join("\n");

interface Side {
  sandbox: NutSandbox;
  drivers: FakeDriver[];
}

/** The sandbox options of one side; `upsd` is the upsd command (Debian's when undefined). */
function sandboxOptions(drivers: FakeDriver[], upsd?: (paths: SandboxPaths) => string[]): NutSandboxOptions {
  return {
    ups: [
      { name: "fake", desc: 'Fake "one" #1', settings: { mode: "dummy-once" } },
      { name: "enum", port: "none" },
      { name: "stale", port: "none", start: false },
      { name: "nodrv", start: false },
    ],
    users: [
      { name: "admin", password: "secret", actions: ["SET", "FSD"], instcmds: ["all"], upsmon: "primary" },
      { name: "mon", password: "monpw", upsmon: "secondary" },
      { name: "setter", password: "pw", actions: ["SET"], instcmds: ["load.off"] },
      { name: "sp", password: "a b" },
    ],
    files: { "fake.dev": DEV },
    driverCommand: (ups, paths) => {
      if (ups.name !== "enum") return ["/lib/nut/dummy-ups", "-a", ups.name, "-F", "-u", "root"];
      drivers.push(new FakeDriver(join(paths.statePath, "dummy-ups-enum"), ENUM_DUMP, trackingStatus), new FakeDriver(join(paths.statePath, "dummy-ups-stale"), STALE_DUMP, trackingStatus));
      return ["sleep", "600"];
    },
    ...(upsd !== undefined ? { upsdCommand: upsd } : {}),
    readyTimeoutMs: 20_000,
  };
}

let theirs: Side;
let ours: Side;

beforeAll(async () => {
  const theirDrivers: FakeDriver[] = [];
  const ourDrivers: FakeDriver[] = [];
  const [a, b] = await Promise.all([
    startNutSandbox(sandboxOptions(theirDrivers)),
    startNutSandbox(sandboxOptions(ourDrivers, () => [NUT_BINARY, "upsd", "-F", "-u", "root"])),
  ]);
  theirs = { sandbox: a, drivers: theirDrivers };
  ours = { sandbox: b, drivers: ourDrivers };
  // let both upsds see the stale driver's dump (no DATAOK) before anything is asked
  await sleep(2500);
}, 60_000);

afterAll(async () => {
  for (const side of [theirs, ours]) {
    if (!side) continue;
    await side.sandbox.stop();
    for (const d of side.drivers) await d.close();
  }
});

/** One step of a raw exchange: bytes to send (latin1), a pause, or bytes computed from the replies so far. */
type Step = string | number | ((replies: string) => string);

/** Opens a connection, plays the steps, and returns everything the server sent (and whether it closed). */
async function exchange(port: number, steps: readonly Step[]): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  let lastData = Date.now();
  let closed = false;
  socket.on("data", (d) => {
    received += d.toString("latin1");
    lastData = Date.now();
  });
  socket.on("close", () => (closed = true));
  socket.on("error", () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  const quiet = async (): Promise<void> => {
    const deadline = Date.now() + 3000;
    await sleep(60);
    while (Date.now() < deadline && !closed && Date.now() - lastData < 200) await sleep(20);
  };
  for (const step of steps) {
    if (typeof step === "number") {
      await sleep(step);
      continue;
    }
    const text = typeof step === "string" ? step : step(received);
    if (!closed) socket.write(Buffer.from(text, "latin1"));
    await quiet();
  }
  await quiet();
  const state = closed ? "" : "[open]";
  socket.destroy();
  await sleep(50);
  return received + state;
}

const UUID = /[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}/g;

/** Masks what must differ: our version text, tracking ids. */
function mask(text: string): string {
  return text
    .replace(/Network UPS Tools upsd [^ ]+ - /g, "Network UPS Tools upsd <VERSION> - ")
    .replace(/server\.version "[^"]*"/g, 'server.version "<VERSION>"')
    .replace(UUID, "<UUID>");
}

/** The last tracking id in the replies (for GET TRACKING <id>). */
const lastId = (replies: string): string => [...replies.matchAll(UUID)].at(-1)?.[0] ?? "NONE";

/** Runs the same exchange against both servers and expects equal transcripts. */
async function same(steps: readonly Step[]): Promise<string> {
  const [expected, actual] = await Promise.all([exchange(theirs.sandbox.port, steps), exchange(ours.sandbox.port, steps)]);
  expect(mask(actual)).toBe(mask(expected));
  await sleep(100);
  return expected;
}

const AUTH = "USERNAME admin\nPASSWORD secret\n";

describe("upsd: raw protocol transcripts equal Debian's upsd 2.8.0", () => {
  test("fixed texts, arities and unknown commands", async () => {
    await same(["VER\n", "NETVER\n", "PROTVER\n", "HELP\n", "ver\n", "Help\n", "VER x\n", "NETVER x\n", "PROTVER x\n", "HELP x\n", "FOO\n", "\n", "   \t \n", "# comment\n", "LOGOUT x\n"]);
  });

  test("GET: every sub-command and error", async () => {
    await same([
      "GET\n",
      "GET VAR\n",
      "GET VAR fake\n",
      "GET VAR fake ups.status\n",
      "get var FAKE UPS.STATUS\n",
      "GET VAR nope ups.status\n",
      "GET VAR fake nope\n",
      "GET VAR anything server.version\n",
      "GET VAR x SERVER.INFO\n",
      "GET VAR x server.bogus\n",
      "GET VAR enum ups.id\n",
      "GET VAR nodrv ups.status\n",
      "GET VAR stale ups.status\n",
      "GET TYPE enum ups.id\nGET TYPE enum input.transfer.low\nGET TYPE enum input.transfer.high\nGET TYPE enum test.enum\nGET TYPE enum ro.var\nGET TYPE enum test.noaux\n",
      "GET TYPE fake ups.status\nGET TYPE enum nope\nGET TYPE nodrv x\nGET TYPE stale x\n",
      "GET DESC fake ups.status\nGET DESC fake no.such.var\nGET DESC nope x\nGET DESC nodrv x\nGET DESC stale x\n",
      "GET CMDDESC enum load.off\nGET CMDDESC enum LOAD.ON\nGET CMDDESC enum x.y\n",
      "GET UPSDESC fake\nGET UPSDESC enum\nGET UPSDESC nodrv\nGET UPSDESC stale\nGET UPSDESC nope\nGET UPSDESC\n",
      "GET NUMLOGINS fake\nGET NUMLOGINS nodrv\nGET NUMLOGINS stale\nGET NUMLOGINS nope\n",
      "GET BOGUS\nGET BOGUS a\nGET BOGUS a b\nGET VAR a b c d\n",
      "GET TRACKING\nGET TRACKING 1234\n",
    ]);
  });

  test("LIST: framing, order, errors", async () => {
    await same([
      "LIST\n",
      "LIST UPS\n",
      "list ups extra words\n",
      "LIST VAR fake\n",
      "List Var FAKE\n",
      "LIST VAR enum\n",
      "LIST RW enum\n",
      "LIST RW fake\n",
      "LIST CMD enum\n",
      "LIST CMD fake\n",
      "LIST CLIENT fake\n",
      "LIST ENUM enum input.transfer.low\nLIST ENUM enum test.enum\nLIST ENUM enum ups.status\nLIST ENUM enum nope\n",
      "LIST RANGE enum input.transfer.high\nLIST RANGE Enum Input.Transfer.High\nLIST RANGE enum ups.status\n",
      "LIST VAR\nLIST ENUM enum\nLIST BOGUS a b\nLIST BOGUS\n",
      "LIST VAR nope\nLIST VAR nodrv\nLIST VAR stale\nLIST RW stale\nLIST CMD nodrv\nLIST ENUM stale x\nLIST RANGE nodrv x\n",
      "LIST CLIENT nope\nLIST CLIENT nodrv\nLIST CLIENT stale\n",
    ]);
  });

  test("USERNAME / PASSWORD / LOGIN / PRIMARY / MASTER", async () => {
    await same([
      "LOGIN fake\n",
      "PRIMARY fake\nMASTER fake\nFSD fake\nSET VAR fake ups.id x\nINSTCMD enum load.off\nSET TRACKING ON\n",
      "USERNAME\nUSERNAME a b\nUSERNAME admin\nUSERNAME again\n",
      "LOGIN fake\n",
      "PASSWORD\nPASSWORD a b\nPASSWORD wrong\nPASSWORD again\n",
      "LOGIN fake\nPRIMARY fake\nMASTER fake\nFSD nope\n",
    ]);
    await same([
      AUTH,
      "LOGIN\nLOGIN a b\nLOGIN nope\n",
      "LOGIN FAKE\n",
      "LOGIN fake\n",
      "GET NUMLOGINS fake\nLIST CLIENT fake\nLIST CLIENT FAKE\n",
      "PRIMARY nope\nPRIMARY\nPRIMARY fake\nMASTER fake\nPrimary nodrv\nMASTER stale\n",
      "LOGOUT\n",
    ]);
    await same(["USERNAME mon\nPASSWORD monpw\nLOGIN stale\nGET NUMLOGINS fake\nPRIMARY fake\nMASTER fake\nFSD fake\nSET VAR enum ups.id x\nINSTCMD enum load.off\n"]);
    await same(["USERNAME nobody\nPASSWORD secret\nLOGIN fake\n", "LOGOUT\n"]);
    // an upsd.users password with a space, sent unquoted as libupsclient does
    await same(["USERNAME sp\nPASSWORD a b\nPASSWORD \"a b\"\nLOGIN fake\n"]);
  });

  test("NUMLOGINS counts logged-in connections and drops on disconnect", async () => {
    const open = async (port: number): Promise<Socket> => {
      const s = connect(port, "127.0.0.1");
      s.on("error", () => undefined);
      s.write(`${AUTH}LOGIN fake\n`);
      await sleep(200);
      return s;
    };
    const [a, b] = await Promise.all([open(theirs.sandbox.port), open(ours.sandbox.port)]);
    await same(["GET NUMLOGINS fake\nLIST CLIENT fake\n"]);
    a.destroy();
    b.destroy();
    await sleep(300);
    await same(["GET NUMLOGINS fake\nLIST CLIENT fake\n"]);
  });

  test("SET VAR: every check in order", async () => {
    await same([
      "USERNAME setter\nPASSWORD pw\n",
      "SET\nSET VAR\nSET VAR enum\nSET VAR enum ups.id\nSET BOGUS a\nSET BOGUS a b\n",
      "SET VAR nope ups.id x\nSET VAR nodrv ups.id x\nSET VAR stale ups.id x\n",
      "SET VAR enum nope x\nSET VAR enum ro.var 2\nSET VAR enum test.noaux x\n",
      "SET VAR enum ups.id 123456789\nSET VAR enum ups.id 12345678\n",
      "SET VAR enum test.enum c\nSET VAR enum test.enum bb\nSET VAR enum input.transfer.low 175\nSET VAR enum input.transfer.low 170\n",
      'SET VAR enum input.transfer.low "a\\"q"\n',
      "SET VAR enum input.transfer.high 295\nSET VAR enum input.transfer.high 305\nSET VAR enum input.transfer.high 285abc\nSET VAR enum input.transfer.high abc\n",
      "SET VAR enum ups.id x=y\nSET VAR enum ups.id a#b\nSET VAR enum ups.id \"a b\" extra\nSET VAR ENUM UPS.ID q\n",
      "SET VAR fake ups.id new\n",
    ]);
    await same(["USERNAME mon\nPASSWORD monpw\nSET VAR enum ups.id x\nSET VAR nope x y\nSET VAR enum nope y\n"]);
    await same(["USERNAME setter\nPASSWORD bad\nSET VAR enum ups.id x\nSET VAR enum nope y\nSET VAR nodrv a b\n"]);
  });

  test("INSTCMD: every check in order, parameter quirks", async () => {
    await same([
      "USERNAME setter\nPASSWORD pw\n",
      "INSTCMD\nINSTCMD enum\n",
      "INSTCMD nope load.off\nINSTCMD nodrv load.off\nINSTCMD stale load.off\n",
      "INSTCMD enum no.such.cmd\nINSTCMD enum Load.on\n",
      "INSTCMD enum load.off\nINSTCMD enum LOAD.OFF\nINSTCMD enum load.off 5\nINSTCMD enum load.off a b\nINSTCMD enum load.off \"1 2\"\n",
    ]);
    await same([AUTH, "INSTCMD enum test.battery.start\nINSTCMD enum Load.on x\n"]);
  });

  test("TRACKING: ids, PENDING, SUCCESS, failures, per-connection flag", async () => {
    await same([
      AUTH,
      "SET TRACKING\nSET TRACKING maybe\nSET TRACKING off\nGET TRACKING\n",
      "SET TRACKING on\nGET TRACKING\n",
      "SET VAR enum ups.id t1\n",
      250,
      (r) => `GET TRACKING ${lastId(r)}\n`,
      (r) => `GET TRACKING ${lastId(r).toLowerCase()}\n`,
      "SET VAR enum track.pending 1\n",
      250,
      (r) => `GET TRACKING ${lastId(r)}\n`,
      "INSTCMD enum Load.on\n",
      250,
      (r) => `GET TRACKING ${lastId(r)}\n`,
      "INSTCMD enum load.off 7\n",
      250,
      (r) => `GET TRACKING ${lastId(r)}\n`,
      "GET TRACKING 00000000-0000-4000-8000-000000000000\n",
      "SET VAR enum ups.id bad-value-too-long\nSET VAR nope x y\n",
      "SET TRACKING OFF\nGET TRACKING\nSET VAR enum ups.id t2\nINSTCMD enum load.off\n",
      (r) => `GET TRACKING ${lastId(r)}\n`,
    ]);
  });

  test("what the driver receives is the same", async () => {
    const norm = (lines: readonly string[]): string[] => lines.map((l) => l.replace(UUID, "<UUID>"));
    expect(norm(ours.drivers[0]!.received)).toEqual(norm(theirs.drivers[0]!.received));
    expect(ours.drivers[0]!.received.length).toBeGreaterThan(5);
  });

  test("tokenizer edge cases on the wire", async () => {
    await same(['GET VAR fake "a#b"\nVER\n']);
    await same(['GET VAR "a#', 'b" x\n', "VER\n"]);
    await same(["VER \x01\n", "VER \x0b\n", "VER\r\n", "GET\tVAR fake ups.status\r\n", "GET VAR fake ups.status # comment\n"]);
    await same(['GET VAR "fake" "ups.status"\nGET VAR fake ups\\.status\nGET VAR "" ""\nGET VAR fake "ups.\n', 'status"\nVER\n']);
    await same(["GET VAR fake ups.st\\\natus\n", "LIST UPS\nGET UPSDESC fake\nLIST VAR fake\nLIST CMD enum\nGET VAR enum ups.status\nHELP\n"]);
    await same([`GET VAR fake ${"x".repeat(600)}\n`, `${"VER ".repeat(40)}\n`, "VER\n"]);
    await same([`${"GET VAR fake ups.status\n".repeat(60)}`]);
  });

  test("STARTTLS without certificates", async () => {
    await same(["STARTTLS\n", "STARTTLS x y\n", "VER\n", AUTH, "STARTTLS\n", "LOGIN fake\n"]);
  });

  test("LOGOUT closes the connection after its reply", async () => {
    const t = await same([AUTH, "LOGIN fake\n", "LOGOUT\n"]);
    expect(t.endsWith("OK Goodbye\n")).toBe(true);
    await same(["LOGOUT\nVER\n"]);
  });

  test("FSD latch: shown in GET/LIST VAR, not in LIST RW, never cleared", async () => {
    await same(["USERNAME mon\nPASSWORD monpw\nFSD enum\n"]);
    await same([AUTH, "FSD\nFSD nope\nFSD nodrv\nFSD enum\nFSD Enum\n"]);
    await same(["GET VAR enum ups.status\nGET VAR enum UPS.Status\nLIST VAR enum\nLIST RW enum\nGET VAR fake ups.status\n"]);
    await same([AUTH, "LOGIN enum\nLOGOUT\n"]);
    await same(["GET VAR enum ups.status\n"]);
  });

  test("our tracking ids are uppercase UUIDv4", async () => {
    const t = await exchange(ours.sandbox.port, [AUTH, "SET TRACKING ON\n", "SET VAR enum ups.id z\nSET VAR enum ups.id y\n"]);
    const ids = [...t.matchAll(/OK TRACKING (\S+)/g)].map((m) => m[1]!);
    expect(ids.length).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe("upsd: Debian's clients see the same through both servers", () => {
  interface Run {
    exitCode: number;
    stdout: string;
    stderr: string;
  }
  async function run(side: Side, argv: (id: (ups: string) => string, port: number) => string[]): Promise<Run> {
    const port = side.sandbox.port;
    const proc = Bun.spawn(argv((ups) => side.sandbox.upsId(ups), port), { env: side.sandbox.paths.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 15_000, killSignal: "SIGKILL" });
    const [exitCode, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    const norm = (t: string): string => mask(t.replaceAll(String(port), "PORT"));
    return { exitCode, stdout: norm(stdout), stderr: norm(stderr) };
  }
  const cases: [string, (id: (ups: string) => string, port: number) => string[]][] = [
    ["upsc fake", (id) => ["/usr/bin/upsc", id("fake")]],
    ["upsc enum", (id) => ["/usr/bin/upsc", id("enum")]],
    ["upsc enum ups.status", (id) => ["/usr/bin/upsc", id("enum"), "ups.status"]],
    ["upsc fake nope", (id) => ["/usr/bin/upsc", id("fake"), "nope"]],
    ["upsc nodrv", (id) => ["/usr/bin/upsc", id("nodrv")]],
    ["upsc stale", (id) => ["/usr/bin/upsc", id("stale")]],
    ["upsc nope", (id) => ["/usr/bin/upsc", id("nope")]],
    ["upsc -l", (_id, port) => ["/usr/bin/upsc", "-l", `127.0.0.1:${port}`]],
    ["upsc -L", (_id, port) => ["/usr/bin/upsc", "-L", `127.0.0.1:${port}`]],
    ["upsc -c enum", (id) => ["/usr/bin/upsc", "-c", id("enum")]],
    ["upscmd -l enum", (id) => ["/usr/bin/upscmd", "-l", id("enum")]],
    ["upscmd -l fake", (id) => ["/usr/bin/upscmd", "-l", id("fake")]],
    ["upsrw enum", (id) => ["/usr/bin/upsrw", id("enum")]],
    ["upsrw fake", (id) => ["/usr/bin/upsrw", id("fake")]],
    ["upsrw -s ok", (id) => ["/usr/bin/upsrw", "-u", "setter", "-p", "pw", "-s", "input.transfer.low=170", id("enum")]],
    ["upsrw -s bad enum", (id) => ["/usr/bin/upsrw", "-u", "setter", "-p", "pw", "-s", "input.transfer.low=171", id("enum")]],
    ["upsrw -s -w", (id) => ["/usr/bin/upsrw", "-u", "admin", "-p", "secret", "-w", "-s", "ups.id=w", id("enum")]],
    ["upsrw -s denied", (id) => ["/usr/bin/upsrw", "-u", "mon", "-p", "monpw", "-s", "ups.id=w", id("enum")]],
    ["upscmd ok", (id) => ["/usr/bin/upscmd", "-u", "setter", "-p", "pw", id("enum"), "load.off"]],
    ["upscmd -w", (id) => ["/usr/bin/upscmd", "-u", "admin", "-p", "secret", "-w", id("enum"), "load.off", "3"]],
    ["upscmd -w failed", (id) => ["/usr/bin/upscmd", "-u", "admin", "-p", "secret", "-w", id("enum"), "Load.on"]],
    ["upscmd denied", (id) => ["/usr/bin/upscmd", "-u", "setter", "-p", "pw", id("enum"), "Load.on"]],
    ["upscmd unknown", (id) => ["/usr/bin/upscmd", "-u", "setter", "-p", "pw", id("enum"), "x.y"]],
  ];
  for (const [name, argv] of cases) {
    test(name, async () => {
      const [expected, actual] = await Promise.all([run(theirs, argv), run(ours, argv)]);
      expect(actual).toEqual(expected);
    });
  }
});
