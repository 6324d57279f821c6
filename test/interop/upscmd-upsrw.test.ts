// Our upscmd and upsrw against Debian's 2.8.0 programs, stdout, stderr and exit status byte for
// byte, each pair run against Debian's upsd and against ours:
// - the listings (`upscmd -l <ups>`, `upsrw <ups>`) of all 718 DDL dumps served by Debian's
//   dummy-ups. One set of drivers (8 sandboxes of 90) feeds both upsds: ours is attached to each
//   Debian sandbox with its own config directory and the sandbox's state directory. The
//   reference is Debian's program on Debian's upsd (upsd-ddl-all.test.ts already shows Debian's
//   programs print the same on ours); our side runs the program fronts in-process
//   (cli/upscmd.ts, cli/upsrw.ts main()) against both upsds, because a dist/nut start costs
//   ~50 ms (mostly Bun's) and 2,872 of them would not fit the suite's budget; one UPS of every
//   batch also goes through the compiled binary, against both upsds, beside Debian's program.
// - commands and settings with users in upsd.users (dummy-ups accepts load.off, answering
//   "unknown command" to the driver, and any SET VAR): success, -w tracking, refusals, old-style
//   names, unknown UPS, driver not connected, bad password, missing rights, timeouts, options,
//   refused connections, and the questions asked on stdin when -u/-p/the value are missing;
//   plus a UPS served by a scripted driver for what dummy-ups cannot publish (ENUM, RANGE,
//   string lengths, several commands, a failing command), and our -j listings of it.
// - the same questions on a terminal (a pty through python3): prompts, no echo, echo restored.
// Only the version in help and -V texts differs (2.8.0-nut-ts-<ours>), masked on both sides.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NutClient } from "../../core/client/nut-client.ts";
import { main as upscmdMain } from "../../cli/upscmd.ts";
import { main as upsrwMain } from "../../cli/upsrw.ts";
import type { ProgramIo } from "../../cli/program-io.ts";
import { ddlDevFiles } from "../harness/ddl-fixtures.ts";
import { type NutSandbox, type NutSandboxOptions, type SandboxUps, freePort, startNutSandbox } from "../harness/debian-nut.ts";
import { eventually } from "../harness/eventually.ts";
import { FakeDriver } from "../harness/fake-driver.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";

const UPSCMD = "/usr/bin/upscmd";
const UPSRW = "/usr/bin/upsrw";
const PYTHON = "/usr/bin/python3";
const BATCH = 90;
/** UPSes per batch whose listings also go through dist/nut. */
const BINARY_SAMPLE = 1;

interface Observed {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The only expected difference: our version string. */
const maskVersion = (text: string): string => text.replaceAll(/(Network UPS Tools \S+ 2\.8\.0)-nut-ts-\S+/g, "$1");

function masked(o: Observed): Observed {
  return { exitCode: o.exitCode, stdout: maskVersion(o.stdout), stderr: maskVersion(o.stderr) };
}

/** Runs a program (argv[0] named `argv0`, as from PATH), stdin from `stdin` or /dev/null, bounded. */
async function run(argv: string[], argv0: string, stdin?: string, env?: Record<string, string>): Promise<Observed> {
  const proc = Bun.spawn(argv, {
    argv0,
    env: env ?? (process.env as Record<string, string>),
    stdin: stdin === undefined ? "ignore" : Buffer.from(stdin),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 30_000,
    killSignal: "SIGKILL",
  });
  const [exitCode, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return masked({ exitCode, stdout, stderr });
}

type Program = "upscmd" | "upsrw";
const DEBIAN: Record<Program, string> = { upscmd: UPSCMD, upsrw: UPSRW };
const IN_PROCESS = { upscmd: upscmdMain, upsrw: upsrwMain };

const debian = (program: Program, args: string[], stdin?: string): Promise<Observed> => run([DEBIAN[program], ...args], program, stdin);
const binary = (program: Program, args: string[], stdin?: string): Promise<Observed> => run([NUT_BINARY, ...args], program, stdin);

/**
 * Debian's `<program> [<flag>] <id>` for every id, in one shell (forking a small shell costs far
 * less than forking the test runner once per run); outputs through files.
 */
async function debianEach(program: Program, flag: string | undefined, ids: readonly string[]): Promise<Observed[]> {
  const dir = mkdtempSync(join(tmpdir(), "upscmd-upsrw-"));
  try {
    const script = 'd=$1; p=$2; f=$3; shift 3; i=0; for id in "$@"; do i=$((i+1)); if [ -n "$f" ]; then "$p" "$f" "$id"; else "$p" "$id"; fi >"$d/$i.out" 2>"$d/$i.err"; echo $? >"$d/$i.rc"; done';
    const proc = Bun.spawn(["/bin/sh", "-c", script, "sh", dir, DEBIAN[program], flag ?? "", ...ids], { stdin: "ignore", stdout: "ignore", stderr: "ignore", timeout: 120_000, killSignal: "SIGKILL" });
    await proc.exited;
    return ids.map((_, k) => {
      const file = (ext: string): string => readFileSync(join(dir, `${k + 1}.${ext}`), "utf8");
      return masked({ exitCode: Number(file("rc")), stdout: file("out"), stderr: file("err") });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Our front in this process (listings only: they never read stdin). */
async function inProcess(program: Program, args: string[]): Promise<Observed> {
  let stdout = "";
  let stderr = "";
  const io: ProgramIo = { name: program, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const exitCode = await IN_PROCESS[program](args, io);
  return masked({ exitCode, stdout, stderr });
}

/** fn over items, at most `limit` at a time, results in order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A Debian sandbox with our upsd attached to the same drivers on a second port. */
interface TwoServers {
  sandbox: NutSandbox;
  ups: SandboxUps[];
  /** Port of each upsd on 127.0.0.1. */
  ports: { debian: number; ours: number };
}

/** Whether every UPS answers LIST VAR on `port` with driver data (not just `ups.status: WAIT`). */
async function serving(port: number, names: readonly string[]): Promise<boolean> {
  let client: NutClient | undefined;
  try {
    client = await NutClient.connect({ host: "127.0.0.1", port });
    const c = client;
    const lists = await Promise.all(names.map((n) => c.listVar(n).catch(() => [])));
    return lists.every((vars) => vars.some((v) => !(v.name === "ups.status" && v.value === "WAIT")));
  } catch {
    return false;
  } finally {
    await client?.close();
  }
}

/**
 * Starts our upsd beside the sandbox's: same ups.conf, upsd.users and driver sockets, its own
 * config directory (upsd.conf with another LISTEN) and PID directory; stopped with the sandbox.
 */
async function attachOurUpsd(sandbox: NutSandbox, names: readonly string[]): Promise<number> {
  const confPath = join(sandbox.paths.root, "etc-nut-ts");
  const pidPath = join(sandbox.paths.root, "run-nut-ts");
  mkdirSync(confPath, { recursive: true });
  mkdirSync(pidPath, { recursive: true });
  for (const f of ["ups.conf", "upsd.users"]) copyFileSync(join(sandbox.paths.confPath, f), join(confPath, f));
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    writeFileSync(join(confPath, "upsd.conf"), `LISTEN 127.0.0.1 ${port}\n`, { mode: 0o640 });
    const label = `upsd-nut-ts-${attempt}`;
    const proc = sandbox.spawn(label, ["/usr/bin/env", `NUT_CONFPATH=${confPath}`, `NUT_ALTPIDPATH=${pidPath}`, NUT_BINARY, "upsd", "-F", "-u", "root"]);
    const ready = await eventually(async () => proc.exitCode !== null || (await serving(port, names)), 60_000);
    if (ready && proc.exitCode === null) return port;
    await sandbox.kill(label);
  }
  throw new Error(`our upsd did not come up beside the sandbox\n${sandbox.logs()}`);
}

async function startTwoServers(ups: SandboxUps[], extra: Omit<NutSandboxOptions, "ups" | "readyTimeoutMs"> = {}): Promise<TwoServers> {
  const sandbox = await startNutSandbox({ ...extra, ups, readyTimeoutMs: 90_000 });
  try {
    const started = ups.filter((u) => u.start !== false).map((u) => u.name);
    const ours = await attachOurUpsd(sandbox, started);
    return { sandbox, ups, ports: { debian: sandbox.port, ours } };
  } catch (err) {
    await sandbox.stop();
    throw err;
  }
}

const id = (ups: string, port: number): string => `${ups}@127.0.0.1:${port}`;

/** A mismatch report line, or undefined when equal. */
function compare(what: string, expected: Observed, actual: Observed): string | undefined {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return undefined;
  return `${what}:\n--- Debian (exit ${expected.exitCode})\n${expected.stdout}${expected.stderr}--- ours (exit ${actual.exitCode})\n${actual.stdout}${actual.stderr}`;
}

const files = ddlDevFiles();

describe(`upscmd -l and upsrw on all ${files.length} DDL dumps, against Debian's upsd and ours`, () => {
  const batches: TwoServers[] = [];

  beforeAll(async () => {
    const starts: Promise<TwoServers>[] = [];
    for (let start = 0; start < files.length; start += BATCH) {
      const ups = files.slice(start, start + BATCH).map((port, i) => ({ name: `ddl${start + i + 1}`, port }));
      starts.push(startTwoServers(ups));
    }
    const settled = await Promise.allSettled(starts);
    for (const s of settled) if (s.status === "fulfilled") batches.push(s.value);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }, 150_000);

  afterAll(async () => {
    await Promise.all(batches.map((b) => b.sandbox.stop()));
  }, 60_000);

  test("the DDL fixture is complete and every batch is served", () => {
    expect(files.length).toBe(718);
    expect(batches.length).toBe(Math.ceil(files.length / BATCH));
  });

  test("every listing equals Debian's, byte for byte, against both upsds", async () => {
    const mismatches: string[] = [];
    let compared = 0;
    let listedCommands = 0;
    let listedVariables = 0;
    // every batch × program at once: the runs wait on the network as much as on the CPU
    const kinds = batches.flatMap((b) => (["upscmd", "upsrw"] as const).map((program) => ({ b, program })));
    await mapBounded(kinds, 8, async ({ b, program }) => {
      const flag = program === "upscmd" ? "-l" : undefined;
      const argsFor = (server: "debian" | "ours", ups: string): string[] => (flag === undefined ? [id(ups, b.ports[server])] : [flag, id(ups, b.ports[server])]);
      // the reference: Debian's program on Debian's upsd (upsd-ddl-all.test.ts shows it prints the same on ours)
      const expected = await debianEach(program, flag, b.ups.map((u) => id(u.name, b.ports.debian)));
      for (const server of ["debian", "ours"] as const) {
        const actual = await mapBounded(b.ups, 4, (u) => inProcess(program, argsFor(server, u.name)));
        for (let k = 0; k < b.ups.length; k++) {
          compared++;
          const e = expected[k]!;
          const m = compare(`${program} ${argsFor(server, b.ups[k]!.name).join(" ")} (${server} upsd)`, e, actual[k]!);
          if (m !== undefined) mismatches.push(m);
        }
      }
      for (const e of expected) {
        if (e.exitCode === 0 && program === "upscmd") listedCommands += e.stdout.split("\n").filter((l) => l.includes(" - ")).length;
        if (e.exitCode === 0 && program === "upsrw") listedVariables += e.stdout.split("\n").filter((l) => l.startsWith("[")).length;
      }
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(mismatches.length).toBe(0);
    expect(compared).toBe(files.length * 4);
    // the oracle listed real data (every dummy-ups has load.off), not a uniform failure on both sides
    expect(listedCommands).toBe(files.length);
    expect(listedVariables).toBeGreaterThan(files.length);
  }, 150_000);

  test(`dist/nut prints the same for ${BINARY_SAMPLE} UPS of every batch`, async () => {
    const jobs = batches.flatMap((b) =>
      b.ups.slice(0, BINARY_SAMPLE).flatMap((u) =>
        (["debian", "ours"] as const).flatMap((server) => [
          { program: "upscmd" as const, args: ["-l", id(u.name, b.ports[server])] },
          { program: "upsrw" as const, args: [id(u.name, b.ports[server])] },
        ]),
      ),
    );
    const results = await mapBounded(jobs, 4, async (job) => {
      const [expected, actual] = await Promise.all([debian(job.program, job.args), binary(job.program, job.args)]);
      return compare(`${job.program} ${job.args.join(" ")}`, expected, actual);
    });
    expect(results.filter((r) => r !== undefined)).toEqual([]);
    expect(results.length).toBe(batches.length * BINARY_SAMPLE * 4);
  }, 120_000);
});

/** A dump whose dummy-ups has writable variables (ups.firmware: STRING:16) and load.off. */
const ACTION_DUMP = files.find((f) => f.endsWith("APC__Back-UPS_500__newhidups__2.0.3__01.dev"))!;

/**
 * UPS `rich`, served by a scripted driver: what dummy-ups cannot publish — ranges (one with a
 * current value atoi() reads as 0), enumerations (a quote in one value), string lengths, a
 * flag-less variable, several commands. Every SET and command succeeds but Load.on (status 3).
 */
const RICH_DUMP = [
  'SETINFO battery.runtime "abc"',
  "ADDRANGE battery.runtime 0 100",
  "SETFLAGS battery.runtime RW NUMBER",
  'SETINFO input.transfer.high "280"',
  "ADDRANGE input.transfer.high 270 290",
  "ADDRANGE input.transfer.high 300 310",
  "SETFLAGS input.transfer.high RW NUMBER",
  'SETINFO input.transfer.low "180"',
  'ADDENUM input.transfer.low "170"',
  'ADDENUM input.transfer.low "180"',
  'ADDENUM input.transfer.low "a\\"q"',
  "SETFLAGS input.transfer.low RW",
  'SETINFO test.enum "a"',
  'ADDENUM test.enum "a"',
  'ADDENUM test.enum "bb"',
  "SETAUX test.enum 10",
  "SETFLAGS test.enum RW STRING",
  'SETINFO test.noaux "x"',
  "SETFLAGS test.noaux RW STRING",
  'SETINFO test.num "12"',
  "SETFLAGS test.num RW NUMBER",
  'SETINFO test.plain "p"',
  "SETFLAGS test.plain RW",
  'SETINFO ups.id "a\\"b\\\\c\\#d"',
  "SETAUX ups.id 8",
  "SETFLAGS ups.id RW STRING",
  'SETINFO ups.status "OL CHRG"',
  "ADDCMD Load.on",
  "ADDCMD load.off",
  "ADDCMD beeper.off",
  "ADDCMD test.battery.start",
  "DATAOK",
  "DUMPDONE",
];

describe("commands, settings and questions, against Debian's upsd and ours", () => {
  let servers: TwoServers;
  let rich: FakeDriver | undefined;
  /** A port of 127.0.0.1 where nobody listens. */
  let closedPort: number;

  beforeAll(async () => {
    servers = await startTwoServers([{ name: "dummy", port: ACTION_DUMP }, { name: "rich", port: "none" }, { name: "off", start: false }], {
      users: [
        { name: "admin", password: "pw", actions: ["SET"], instcmds: ["all"] },
        { name: "weak", password: "pw2" },
        { name: "cmdonly", password: "pw3", instcmds: ["load.off"] },
      ],
      driverCommand: (ups, paths) => {
        if (ups.name !== "rich") return ["/lib/nut/dummy-ups", "-a", ups.name, "-F", "-u", "root"];
        rich = new FakeDriver(join(paths.statePath, "dummy-ups-rich"), RICH_DUMP, (line) => (line.includes("Load.on") ? 3 : 0));
        // the sandbox's process for this UPS: nothing to do but be stopped with the rest
        return ["sleep", "600"];
      },
    });
    closedPort = await freePort();
  }, 120_000);

  afterAll(async () => {
    await servers?.sandbox.stop();
    await rich?.close();
  });

  /** One case: program, args with {ups}/{rich}/{nosuch}/{off}/{closed} placeholders, stdin. */
  type Case = [Program, string[], string?];
  /**
   * A pause until both upsds serve `variable` = `value`: upsd answers a SET as soon as it has
   * passed it on, and dummy-ups applies it up to a second later (it sleeps in its update).
   */
  type Settle = { settle: [variable: string, value: string] };
  const fill = (args: string[], port: number): string[] =>
    args.map((a) =>
      a
        .replaceAll("{ups}", id("dummy", port))
        .replaceAll("{nosuch}", id("nosuch", port))
        .replaceAll("{off}", id("off", port))
        .replaceAll("{rich}", id("rich", port))
        .replaceAll("{closed}", id("dummy", closedPort)),
    );

  async function settled(variable: string, value: string): Promise<boolean> {
    const read = async (port: number): Promise<string | undefined> => {
      let client: NutClient | undefined;
      try {
        client = await NutClient.connect({ host: "127.0.0.1", port });
        return await client.getVar("dummy", variable);
      } catch {
        return undefined;
      } finally {
        await client?.close();
      }
    };
    const [a, b] = await Promise.all([read(servers.ports.debian), read(servers.ports.ours)]);
    return a === value && b === value;
  }

  /**
   * Runs every case with Debian's program and dist/nut, against each upsd in turn; cases in
   * order (some change the UPS). Returns Debian's outputs on Debian's upsd, case by case.
   */
  async function check(steps: readonly (Case | Settle)[]): Promise<Observed[]> {
    const mismatches: string[] = [];
    const reference: Observed[] = [];
    for (const step of steps) {
      if ("settle" in step) {
        expect(await eventually(() => settled(...step.settle), 10_000)).toBe(true);
        continue;
      }
      const [program, args, stdin] = step;
      await Promise.all(
        (["debian", "ours"] as const).map(async (server) => {
          const argv = fill(args, servers.ports[server]);
          const expected = await debian(program, argv, stdin);
          const actual = await binary(program, argv, stdin);
          const m = compare(`${program} ${argv.join(" ")} <<<${JSON.stringify(stdin ?? null)} (${server} upsd)`, expected, actual);
          if (m !== undefined) mismatches.push(m);
          if (server === "debian") reference.push(expected);
        }),
      );
    }
    expect(mismatches).toEqual([]);
    return reference;
  }

  test("options, help, version, identifiers, refused connections", async () => {
    await check([
      ["upscmd", []],
      ["upscmd", ["-h"]],
      ["upscmd", ["-V"]],
      ["upscmd", ["-z"]],
      ["upscmd", ["-t"]],
      ["upscmd", ["-t", "abc", "{ups}", "load.off"]],
      ["upscmd", ["-t", "99999999999", "{ups}", "load.off"]],
      ["upscmd", ["-t", "4294967296", "{ups}", "load.off"]],
      ["upscmd", ["{ups}"]],
      ["upscmd", ["-l"]],
      ["upscmd", ["-l", ""]],
      ["upscmd", ["-l", "a@b:x"]],
      ["upscmd", ["-l", "a@[::1"]],
      ["upscmd", ["-l", "{closed}"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{closed}", "load.off"]],
      ["upsrw", []],
      ["upsrw", ["-h"]],
      ["upsrw", ["-V"]],
      ["upsrw", ["-q"]],
      ["upsrw", ["-t", "-1", "{ups}"]],
      ["upsrw", ["{closed}"]],
      ["upsrw", ["a@host:0"]],
    ]);
  }, 60_000);

  test("upscmd: listings, commands, -w tracking, refusals", async () => {
    await check([
      ["upscmd", ["-l", "{ups}"]],
      ["upscmd", ["-l", "{nosuch}"]],
      ["upscmd", ["-l", "{off}"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{ups}", "load.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{ups}", "load.off", "5"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "-w", "{ups}", "load.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "-w", "-t", "0", "{ups}", "load.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{ups}", "test.battery.start"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "-w", "{ups}", "test.battery.start"]],
      ["upscmd", ["-u", "admin", "-p", "wrong", "{ups}", "load.off"]],
      ["upscmd", ["-u", "weak", "-p", "pw2", "{ups}", "load.off"]],
      ["upscmd", ["-u", "cmdonly", "-p", "pw3", "{ups}", "load.off"]],
      ["upscmd", ["-u", "nobody", "-p", "x", "{ups}", "load.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{nosuch}", "load.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{off}", "load.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{ups}", "loadoff"]],
    ]);
  }, 60_000);

  test("upsrw: settings, -w tracking, refusals, listings after them", async () => {
    await check([
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "admin", "-p", "pw", "{ups}"]],
      ["upsrw", ["-s", "ups.mfr=Bar baz", "-w", "-u", "admin", "-p", "pw", "{ups}"]],
      ["upsrw", ["-s", 'ups.id=a"b\\c', "-u", "admin", "-p", "pw", "{ups}"]],
      ["upsrw", ["-s", "ups.nosuch=x", "-u", "admin", "-p", "pw", "{ups}"]],
      ["upsrw", ["-s", "ups.firmware=01234567890123456789", "-u", "admin", "-p", "pw", "{ups}"]],
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "admin", "-p", "wrong", "{ups}"]],
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "weak", "-p", "pw2", "{ups}"]],
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "cmdonly", "-p", "pw3", "{ups}"]],
      ["upsrw", ["-s", "mfr=Foo", "-u", "admin", "-p", "pw", "{ups}"]],
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "admin", "-p", "pw", "{nosuch}"]],
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "admin", "-p", "pw", "{off}"]],
      ["upsrw", ["-s", "ups.mfr=Foo", "-u", "admin", "-p", "pw", "-w", "-t", "0", "{ups}"]],
      { settle: ["ups.mfr", "Foo"] },
      ["upsrw", ["-s", "ups.mfr=x", "-l", "{ups}"]],
      ["upsrw", ["-s", "ups.mfr=x", "-l", "-s", "ups.mfr=Qux", "-u", "admin", "-p", "pw", "{ups}"]],
      { settle: ["ups.mfr", "Qux"] },
      ["upsrw", ["{ups}"]],
      ["upsrw", ["-l", "{nosuch}"]],
      ["upsrw", ["{off}"]],
    ]);
  }, 60_000);

  test("enumerations, ranges, string lengths and several commands (scripted driver)", async () => {
    const [listing, commands, ...actions] = await check([
      ["upsrw", ["{rich}"]],
      ["upscmd", ["-l", "{rich}"]],
      ["upsrw", ["-s", "test.enum=bb", "-w", "-u", "admin", "-p", "pw", "{rich}"]],
      ["upsrw", ["-s", "input.transfer.low=171", "-u", "admin", "-p", "pw", "{rich}"]],
      ["upsrw", ["-s", "input.transfer.high=295", "-u", "admin", "-p", "pw", "{rich}"]],
      ["upsrw", ["-s", "ups.id=123456789", "-u", "admin", "-p", "pw", "{rich}"]],
      ["upsrw", ["-s", 'input.transfer.low=a"q', "-w", "-u", "admin", "-p", "pw", "{rich}"]],
      ["upscmd", ["-w", "-u", "admin", "-p", "pw", "{rich}", "Load.on"]],
      ["upscmd", ["-w", "-u", "admin", "-p", "pw", "{rich}", "beeper.off"]],
      ["upscmd", ["-u", "admin", "-p", "pw", "{rich}", "test.battery.start", "quick test"]],
    ]);
    // what was compared is the real thing: every block type, the driver's commands, its results
    for (const block of ["Type: RANGE NUMBER", 'Option: "0-100" SELECTED', "Type: ENUM NUMBER", 'Option: "a"q"', "Type: ENUM STRING", "Maximum length: 10", "Type: STRING", "Type: NUMBER"]) {
      expect(listing!.stdout).toContain(block);
    }
    expect(commands!.stdout).toContain("Load.on");
    expect(commands!.stdout.split("\n").length).toBe(7);
    expect(actions.map((a) => a.stderr)).toContain("SUCCESS\n");
    expect(rich?.received.some((l) => l.startsWith("INSTCMD Load.on"))).toBe(true);
  }, 60_000);

  test("-j (nut-ts only): the same listings as JSON, from both upsds", async () => {
    for (const port of [servers.ports.debian, servers.ports.ours]) {
      const rw = await binary("upsrw", ["-j", id("rich", port)]);
      expect(rw.exitCode).toBe(0);
      const vars = JSON.parse(rw.stdout) as Record<string, Record<string, unknown>>;
      expect(Object.keys(vars)).toEqual(["battery.runtime", "input.transfer.high", "input.transfer.low", "test.enum", "test.noaux", "test.num", "test.plain", "ups.id"]);
      expect(vars["input.transfer.high"]).toEqual({ description: "High voltage transfer point (V)", type: "RANGE NUMBER", value: "280", ranges: [{ min: 270, max: 290 }, { min: 300, max: 310 }] });
      expect(vars["input.transfer.low"]).toMatchObject({ type: "ENUM NUMBER", value: "180", options: ["170", "180", 'a"q'] });
      // upsd itself answers GET DESC with "Description unavailable" (null is for a GET that failed)
      expect(vars["test.enum"]).toEqual({ description: "Description unavailable", type: "ENUM STRING", max_length: 10, value: "a", options: ["a", "bb"] });
      expect(vars["ups.id"]).toEqual({ description: "UPS system identifier", type: "STRING", max_length: 8, value: 'a"b\\c#d' });
      const cmd = await binary("upscmd", ["-j", "-l", id("rich", port)]);
      expect(cmd.exitCode).toBe(0);
      expect(Object.keys(JSON.parse(cmd.stdout) as object)).toEqual(["beeper.off", "load.off", "Load.on", "test.battery.start"]);
      expect(await binary("upsrw", ["-j", id("nosuch", port)])).toEqual({ exitCode: 1, stdout: '{"error": "Unknown UPS"}\n', stderr: "Error: Unknown UPS\n" });
    }
  }, 30_000);

  test("questions on stdin (no terminal): user, password, value", async () => {
    await check([
      ["upscmd", ["{ups}", "load.off"], "admin\npw\n"],
      ["upscmd", ["{ups}", "load.off"], "admin\n"],
      ["upscmd", ["{ups}", "load.off"], ""],
      ["upscmd", ["{ups}", "load.off"], "\npw\n"],
      ["upscmd", ["-u", "admin", "{ups}", "load.off"], "pw\n"],
      ["upscmd", ["-u", "admin", "{ups}", "load.off"], "pw"],
      ["upscmd", ["-p", "pw", "{ups}", "load.off"], "admin\n"],
      ["upsrw", ["-s", "ups.mfr", "{ups}"], "admin\npw\nFrom stdin\n"],
      ["upsrw", ["-s", "ups.mfr=Foo", "{ups}"], "admin\npw\n"],
      ["upsrw", ["-s", "ups.mfr=Foo", "{ups}"], ""],
      ["upsrw", ["-s", "ups.mfr", "-u", "admin", "-p", "pw", "{ups}"], "Again\n"],
      { settle: ["ups.mfr", "Again"] },
      ["upsrw", ["{ups}"]],
    ]);
  }, 60_000);

  /** Runs argv on a new pty, answering each prompt (`[expect, send]`), returns the terminal's transcript. */
  function onTerminal(steps: [string, string][], argv: string[]): { out: string; code: number } {
    const script = `
import json, os, pty, select, sys, time
steps = json.loads(sys.argv[1]); argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = b""; deadline = time.time() + 20
def pump(t):
    global out
    r, _, _ = select.select([fd], [], [], t)
    if r:
        try: d = os.read(fd, 4096)
        except OSError: return False
        if not d: return False
        out += d
    return True
for expect, send in steps:
    while expect.encode() not in out and time.time() < deadline:
        if not pump(0.05): break
    time.sleep(0.2)
    os.write(fd, send.encode())
while time.time() < deadline and pump(0.2): pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"out": out.decode("latin-1"), "code": os.waitstatus_to_exitcode(status)}))
`;
    const r = Bun.spawnSync([PYTHON, "-c", script, JSON.stringify(steps), ...argv], { stdout: "pipe", stderr: "pipe", timeout: 30_000, killSignal: "SIGKILL" });
    return JSON.parse(r.stdout.toString()) as { out: string; code: number };
  }

  test("questions on a terminal: prompts, the password not echoed, the terminal restored", () => {
    const ups = id("dummy", servers.ports.debian);
    // each program is argv[0] of a shell that afterwards shows whether echo and isig are on again
    const shell = (program: string, impl: string, args: string[]): string[] => [
      "/bin/sh",
      "-c",
      `exec_prog() { "$@"; echo "exit=$?"; stty -a | tr ' ' '\\n' | grep -xE -- '-?(echo|isig)' | tr '\\n' ' '; }; exec_prog ${impl} ${args.join(" ")}`,
      program,
    ];
    const cases: { steps: [string, string][]; program: Program; args: string[] }[] = [
      { steps: [["Username", "admin\n"], ["Password", "pw\n"]], program: "upscmd", args: [ups, "load.off"] },
      { steps: [["Password", "wrong\n"]], program: "upscmd", args: ["-u", "admin", ups, "load.off"] },
      { steps: [["Username", "\u0004"]], program: "upscmd", args: [ups, "load.off"] },
      { steps: [["Username", "admin\n"], ["Password", "pw\n"], ["value", "Typed\n"]], program: "upsrw", args: ["-s", "ups.mfr", ups] },
      { steps: [["Password", "\u0004"]], program: "upsrw", args: ["-u", "admin", "-s", "ups.mfr=x", ups] },
    ];
    const mismatches: string[] = [];
    for (const c of cases) {
      const expected = onTerminal(c.steps, shell(c.program, DEBIAN[c.program], c.args));
      const actual = onTerminal(c.steps, shell(c.program, `${NUT_BINARY} ${c.program}`, c.args));
      // the oracle really answered, the password never shows, echo and signals are back on
      expect(expected.out).toContain("exit=");
      expect(expected.out).not.toContain("pw\r\n");
      expect(expected.out).toEndWith("isig echo ");
      if (JSON.stringify(expected) !== JSON.stringify(actual)) mismatches.push(`${c.program} ${c.args.join(" ")}:\n${JSON.stringify(expected)}\n${JSON.stringify(actual)}`);
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});
