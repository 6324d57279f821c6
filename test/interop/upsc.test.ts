// Our upsc (dist/nut invoked as upsc) against Debian's upsc 2.8.0, byte for byte: stdout, stderr
// and exit status of the same command line run against the same server.
//
// - All 718 DDL dumps (test/fixtures/nut-ddl), served by Debian's dummy-ups in batches of 60
//   UPSes per sandbox, once behind Debian's upsd and once behind ours: `upsc <ups>` for every UPS
//   on both, `upsc -l` / `upsc -L` per sandbox, and on a tenth of the UPSes of each sandbox
//   `upsc <ups> <var>` (a few variables in turn, a missing one included) and `upsc -c <ups>`;
//   our `upsc -j <ups>` for every fourth UPS (on one upsd, alternating) must parse as JSON and
//   give back Debian's `name: value` pairs in the same order, laid out as upsc prints them.
//   (Each of our runs costs a Bun start-up, ~25 ms of CPU: the samples keep the file near a minute.)
// - The error cases: unknown UPS, unknown variable, old-style variable name, driver not
//   connected, data stale (driver stopped, upsd MAXAGE 2), connection refused, bad identifiers,
//   a server that hangs up or answers lists badly (a scripted server), TLS (our upsd with
//   CERTFILE: Debian's NSS build logs its TLS set-up on stderr, and so do we), and -j for each.
// - `upsc @`, on which 2.8.0 crashes (SIGSEGV), is an error message and exit 1 instead.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { TCPSocketListener } from "bun";
import { NUT_COMPAT_VERSION } from "../../core/protocol/nut-version.ts";
import { ddlDevFiles } from "../harness/ddl-fixtures.ts";
import { type NutSandbox, type SandboxUps, freePort, startNutSandbox } from "../harness/debian-nut.ts";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

const DEBIAN_UPSC = "/usr/bin/upsc";
const BATCH = 60;
/** Command lines run at once (each runs both upscs side by side). */
const PARALLEL = 4;
/** One UPS in SAMPLE of a batch also gets `upsc <ups> <var>` and `upsc -c <ups>`. */
const SAMPLE = 10;
/** One UPS in JSON_SAMPLE gets our `upsc -j <ups>`. */
const JSON_SAMPLE = 4;
/** The variables asked for one by one, one per UPS and upsd in turn (a missing one is an error case too). */
const SINGLE_VARS = ["ups.status", "driver.name", "battery.charge", "input.voltage", "ups.mfr"];
const OUR_UPSD = (): string[] => [NUT_BINARY, "upsd", "-F", "-u", "root"];

/** One run of a upsc, the output kept as bytes (latin1 strings: one char per byte). */
interface Run {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

async function runUpsc(binary: "debian" | "ours", args: string[], env?: Record<string, string>): Promise<Run> {
  const argv = binary === "debian" ? [DEBIAN_UPSC, ...args] : [NUT_BINARY, ...args];
  // argv[0] "upsc" for both: glibc's getopt messages and the help print it
  const proc = Bun.spawn(argv, { argv0: "upsc", env: env ?? (process.env as Record<string, string>), stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 20_000, killSignal: "SIGKILL" });
  const [exitCode, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).arrayBuffer(), new Response(proc.stderr).arrayBuffer()]);
  return {
    exitCode: proc.signalCode ? null : exitCode,
    signal: proc.signalCode === null ? null : String(proc.signalCode),
    stdout: Buffer.from(out).toString("latin1"),
    stderr: Buffer.from(err).toString("latin1"),
  };
}

/** Runs `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Our version suffix (2.8.0-nut-ts-x.y.z) written as Debian's 2.8.0, for -h and -V. */
function sameVersion(run: Run): Run {
  const norm = (t: string): string => t.replace(new RegExp(`(upsc|upscmd) ${NUT_COMPAT_VERSION.replaceAll(".", "\\.")}\\S*`), `$1 ${NUT_COMPAT_VERSION}`);
  return { ...run, stdout: norm(run.stdout), stderr: norm(run.stderr) };
}

/** A command line run by both upscs; the differences, as readable text, or "" when equal. */
interface Compared {
  args: string[];
  debian: Run;
  ours: Run;
}

async function compare(args: string[], env?: Record<string, string>): Promise<Compared> {
  const [debian, ours] = await Promise.all([runUpsc("debian", args, env), runUpsc("ours", args, env)]);
  return { args, debian, ours };
}

function mismatches(results: readonly Compared[]): string[] {
  return results
    .filter((r) => JSON.stringify(r.debian) !== JSON.stringify(r.ours))
    .map((r) => `upsc ${r.args.join(" ")}\n--- Debian\n${JSON.stringify(r.debian)}\n--- ours\n${JSON.stringify(r.ours)}`);
}

/** `name: value` lines of a plain listing, as pairs in order. */
function pairsOf(listing: string): [string, string][] {
  return listing
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const colon = l.indexOf(": ");
      return [l.slice(0, colon), l.slice(colon + 2)];
    });
}

/** The command lines one batch runs against one sandbox (`first`: which half of the alternating checks it gets). */
function batchCommands(sandbox: NutSandbox, ups: readonly SandboxUps[], first: boolean): string[][] {
  const server = `127.0.0.1:${sandbox.port}`;
  const commands: string[][] = [["-l", server], ["-L", server]];
  ups.forEach((u, i) => {
    const id = sandbox.upsId(u.name);
    commands.push([id]);
    // a different tenth on each upsd
    if (i % SAMPLE === (first ? 0 : SAMPLE / 2)) {
      commands.push([id, SINGLE_VARS[Math.floor(i / SAMPLE) % SINGLE_VARS.length]!]);
      commands.push(["-c", id]);
    }
  });
  return commands;
}

/** Our `upsc -j <ups>` for half of the batch, checked against Debian's plain listing of the same UPS. */
async function jsonChecks(sandbox: NutSandbox, ups: readonly SandboxUps[], first: boolean, plain: ReadonlyMap<string, Run>): Promise<string[]> {
  const picked = ups.filter((_, i) => i % (2 * JSON_SAMPLE) === (first ? 1 : 1 + JSON_SAMPLE));
  const problems = await mapLimit(picked, PARALLEL, async (u) => {
    const id = sandbox.upsId(u.name);
    const debian = plain.get(id);
    if (debian === undefined) return `no plain listing of ${id}`;
    const json = await runUpsc("ours", ["-j", id], sandbox.paths.env);
    const pairs = pairsOf(debian.stdout);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.stdout);
    } catch (err) {
      return `upsc -j ${id}: not JSON (${(err as Error).message}): ${json.stdout}`;
    }
    const problems: string[] = [];
    if (json.exitCode !== debian.exitCode || json.stderr !== debian.stderr) problems.push("exit status or stderr differ from the plain run");
    // same members, same order, same values
    if (JSON.stringify(Object.entries(parsed as object)) !== JSON.stringify(pairs)) problems.push("members differ from the plain listing");
    // upsc's layout: `{`, one `  "name": "value"` member per line, `}`
    if (json.stdout !== `{\n${pairs.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n}\n`) problems.push("layout differs");
    return problems.length === 0 ? "" : `upsc -j ${id}: ${problems.join(", ")}\n${json.stdout}`;
  });
  return problems.filter((p) => p !== "");
}

const files = ddlDevFiles();

describe(`upsc: all ${files.length} DDL dumps, ours equal to Debian's, behind Debian's upsd and ours`, () => {
  test("the DDL fixture is complete", () => {
    expect(files.length).toBe(718);
  });

  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    test(
      `dumps ${start + 1}-${start + batch.length}`,
      async () => {
        const ups: SandboxUps[] = batch.map((port, i) => ({ name: `ddl${start + i + 1}`, port, desc: basename(port, ".dev") }));
        const [theirs, ours] = await Promise.all([
          startNutSandbox({ ups, readyTimeoutMs: 90_000 }),
          startNutSandbox({ ups, readyTimeoutMs: 90_000, upsdCommand: OUR_UPSD }),
        ]);
        try {
          const problems: string[] = [];
          for (const [sandbox, first] of [[theirs, true], [ours, false]] as const) {
            const commands = batchCommands(sandbox, ups, first);
            const results = await mapLimit(commands, PARALLEL, (args) => compare(args, sandbox.paths.env));
            // the oracle really served every UPS (not a uniform failure on both sides)
            const listings = results.filter((r) => r.args.length === 1 && !r.args[0]!.startsWith("-"));
            expect(listings.length).toBe(ups.length);
            expect(listings.filter((r) => r.debian.exitCode !== 0 || r.debian.stdout === "").map((r) => r.args[0])).toEqual([]);
            problems.push(...mismatches(results));
            problems.push(...(await jsonChecks(sandbox, ups, first, new Map(listings.map((r) => [r.args[0]!, r.debian])))));
          }
          expect(problems).toEqual([]);
        } finally {
          await Promise.all([theirs.stop(), ours.stop()]);
        }
      },
      300_000,
    );
  }
});

describe("upsc: error cases, ours equal to Debian's", () => {
  /** Per upsd: the main sandbox, and one whose only UPS goes stale (MAXAGE 2 would make a busy machine flap the others). */
  const sandboxes: { label: string; sandbox: NutSandbox; stale: NutSandbox }[] = [];

  beforeAll(async () => {
    const ups: SandboxUps[] = [
      { name: "fake", desc: 'A "quoted" box', settings: { mode: "dummy-once" } },
      { name: "gone", start: false },
    ];
    // dummy-ups reads .dev values with parseconf: quoted, with backslash escapes
    const files = { "fake.dev": 'ups.status: OL\nbattery.charge: 90\nups.mfr: "A \\"B\\" \\\\ C"\n' };
    const staleUps: SandboxUps[] = [{ name: "stale", settings: { mode: "dummy-once" } }];
    const staleOptions = { ups: staleUps, files: { "stale.dev": "ups.status: OB\n" }, upsdConf: ["MAXAGE 2"] };
    const [theirs, ours, theirsStale, oursStale] = await Promise.all([
      startNutSandbox({ ups, files }),
      startNutSandbox({ ups, files, upsdCommand: OUR_UPSD }),
      startNutSandbox(staleOptions),
      startNutSandbox({ ...staleOptions, upsdCommand: OUR_UPSD }),
    ]);
    sandboxes.push({ label: "Debian's upsd", sandbox: theirs, stale: theirsStale }, { label: "our upsd", sandbox: ours, stale: oursStale });
    // a stopped driver stops answering upsd's PINGs: its data goes stale after MAXAGE
    for (const { stale } of sandboxes) process.kill(stale.pids["driver-stale"]!, "SIGSTOP");
    for (const { stale } of sandboxes) {
      const ok = await eventually(async () => (await runUpsc("debian", [stale.upsId("stale")], stale.paths.env)).stderr.includes("Data stale"), 10_000);
      if (!ok) throw new Error(`no Data stale:\n${stale.logs()}`);
    }
  }, 60_000);

  afterAll(async () => {
    for (const { stale } of sandboxes) {
      const pid = stale.pids["driver-stale"];
      if (pid !== undefined) process.kill(pid, "SIGCONT");
    }
    await Promise.all(sandboxes.flatMap(({ sandbox, stale }) => [sandbox.stop(), stale.stop()]));
  });

  test("texts and exit status from the server's answers, plain and -j", async () => {
    for (const { label, sandbox, stale } of sandboxes) {
      const id = (ups: string): string => (ups === "stale" ? stale : sandbox).upsId(ups);
      const server = `127.0.0.1:${sandbox.port}`;
      const lines = [
        [id("fake")],
        [id("fake"), "ups.mfr"],
        [id("nope")],
        [id("nope"), "ups.status"],
        ["-c", id("nope")],
        [id("fake"), "no.such.var"],
        [id("fake"), "status"],
        [id("gone")],
        [id("gone"), "ups.status"],
        ["-c", id("gone")],
        [id("stale")],
        [id("stale"), "ups.status"],
        ["-l", server],
        ["-L", server],
        [`fake@[127.0.0.1]:${sandbox.port}`, "ups.status"],
        ["-l", `[127.0.0.1]:${sandbox.port}`],
        [`@127.0.0.1:${sandbox.port}`],
        ["-c", "-l", server],
        [id("fake"), "ups.status", "extra", "words"],
      ];
      const results = await mapLimit(lines, PARALLEL, (args) => compare(args));
      expect({ label, mismatches: mismatches(results) }).toEqual({ label, mismatches: [] });
      const byArgs = (args: string[]): Run => results.find((r) => JSON.stringify(r.args) === JSON.stringify(args))!.ours;
      // the oracle said what the case is about
      expect(byArgs([id("nope")]).stderr).toEndWith("Error: Unknown UPS\n");
      expect(byArgs([id("fake"), "no.such.var"]).stderr).toEndWith("Error: Variable not supported by UPS\n");
      expect(byArgs([id("gone")]).stderr).toEndWith("Error: Driver not connected\n");
      expect(byArgs([id("stale")]).stderr).toEndWith("Error: Data stale\n");

      // -j: the same stderr and exit status, the error as JSON on stdout
      const json = async (args: string[]): Promise<Run> => runUpsc("ours", ["-j", ...args]);
      const init = "Init SSL without certificate database\n";
      expect(await json([id("nope")])).toEqual({ exitCode: 1, signal: null, stdout: '{\n  "error": "Unknown UPS"\n}\n', stderr: `${init}Error: Unknown UPS\n` });
      expect(await json([id("stale")])).toEqual({ exitCode: 1, signal: null, stdout: '{\n  "error": "Data stale"\n}\n', stderr: `${init}Error: Data stale\n` });
      expect(await json([id("gone"), "ups.status"])).toEqual({ exitCode: 1, signal: null, stdout: '{"error": "Driver not connected"}\n', stderr: `${init}Error: Driver not connected\n` });
      expect(await json([id("fake"), "status"])).toEqual({
        exitCode: 1,
        signal: null,
        stdout: '{"error": "old-style variable names are not supported"}\n',
        stderr: `${init}Error: old-style variable names are not supported\n`,
      });
      expect(await json(["-c", id("nope")])).toEqual({ exitCode: 1, signal: null, stdout: '{"error": "Unknown UPS"}\n', stderr: `${init}Error: Unknown UPS\n` });
      expect(await json([id("fake"), "ups.mfr"])).toEqual({ exitCode: 0, signal: null, stdout: '"A \\"B\\" \\\\ C"\n', stderr: init });
      const listing = await json([id("fake")]);
      expect(listing.exitCode).toBe(0);
      expect(JSON.parse(listing.stdout)).toEqual(Object.fromEntries(pairsOf(byArgs([id("fake")]).stdout)));
      expect((JSON.parse(listing.stdout) as Record<string, string>)["ups.mfr"]).toBe('A "B" \\ C');
      expect(await json(["-L", server])).toEqual({
        exitCode: 0,
        signal: null,
        stdout: '{\n  "fake": "A \\"quoted\\" box",\n  "gone": "Description unavailable"\n}\n',
        stderr: init,
      });
      expect(await json(["-l", server])).toEqual({ exitCode: 0, signal: null, stdout: '[\n  "fake",\n  "gone"\n]\n', stderr: init });
      expect(await json(["-c", id("gone")])).toEqual({ exitCode: 0, signal: null, stdout: "[\n\n]\n", stderr: init });
    }
  });

  test("no server, bad identifiers, options", async () => {
    const free = await freePort();
    const lines = [
      [`ups@127.0.0.1:${free}`],
      ["-l", `127.0.0.1:${free}`],
      [`ups@[::1]:${free}`],
      ["ups@127.0.0.1:notaport"],
      ["ups@127.0.0.1:0"],
      ["ups@127.0.0.1:65536"],
      ["ups@[::1"],
      ["ups@"],
      [""],
      [],
      ["-l", ""],
      ["-l", "127.0.0.1:x"],
      ["ups@nosuchhost.invalid"],
      ["-V"],
      ["-c"],
    ];
    const results = await mapLimit(lines, PARALLEL, (args) => compare(args));
    expect(mismatches(results.map((r) => ({ ...r, debian: sameVersion(r.debian), ours: sameVersion(r.ours) })))).toEqual([]);
    expect(results[0]!.ours.stderr).toBe("Error: Connection failure: Connection refused\n");
    expect(results[3]!.ours.stderr).toBe("upscli_splitaddr: no port specified after ':' separator\nError: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]\n");
    // -j: the same failures as JSON objects
    expect(await runUpsc("ours", ["-j", `ups@127.0.0.1:${free}`])).toEqual({
      exitCode: 1,
      signal: null,
      stdout: '{"error": "Connection failure: Connection refused"}\n',
      stderr: "Error: Connection failure: Connection refused\n",
    });
    expect((await runUpsc("ours", ["-j", "-l", "127.0.0.1:x"])).stdout).toBe('{"error": "invalid hostname.\\nRequired format: [hostname[:port]]"}\n');
  });

  test("-h and a refused option: Debian's help with the -j option added", async () => {
    const jLine = "Option:\n  -j         - display output in JSON format\n\n";
    for (const args of [["-h"], ["-z", "ups"]]) {
      const [debian, theirs] = await Promise.all([runUpsc("debian", args), runUpsc("ours", args)]);
      expect(debian.exitCode).toBe(0);
      expect(sameVersion(theirs)).toEqual({ ...debian, stdout: debian.stdout.replace("First form (lists UPSes):\n", `${jLine}First form (lists UPSes):\n`) });
    }
    const ours = await runUpsc("ours", ["-h"]);
    // also as `nut upsc`
    const multicall = runCommand([NUT_BINARY, "upsc", "-h"]);
    expect(multicall.exitCode).toBe(0);
    expect(multicall.stdout).toBe(ours.stdout);
  });

  test("`upsc @`: 2.8.0 crashes, ours is an error", async () => {
    const [debian, ours] = await Promise.all([runUpsc("debian", ["@"]), runUpsc("ours", ["@"])]);
    expect(debian.signal).toBe("SIGSEGV");
    expect(ours).toEqual({
      exitCode: 1,
      signal: null,
      stdout: "",
      stderr: "upscli_splitname: got empty upsname string\nError: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]\n",
    });
  });
});

describe("upsc: a scripted server, ours equal to Debian's", () => {
  let listener: TCPSocketListener<{ buf: string }> | undefined;
  afterAll(() => listener?.stop(true));

  /** Replies per request line; undefined hangs up. `LIST VAR` and `LIST UPS` answer from `lists`. */
  function serve(answer: (line: string) => string | undefined): number {
    listener?.stop(true);
    listener = Bun.listen<{ buf: string }>({
      hostname: "127.0.0.1",
      port: 0,
      data: { buf: "" },
      socket: {
        open(s) {
          s.data = { buf: "" };
        },
        data(s, chunk) {
          s.data.buf += chunk.toString("latin1");
          for (let nl = s.data.buf.indexOf("\n"); nl >= 0; nl = s.data.buf.indexOf("\n")) {
            const line = s.data.buf.slice(0, nl);
            s.data.buf = s.data.buf.slice(nl + 1);
            const reply = answer(line);
            if (reply === undefined) {
              s.end();
              return;
            }
            s.write(reply);
          }
        },
      },
    });
    return listener.port;
  }

  const cases: { name: string; answer: (line: string) => string | undefined; args: (server: string) => string[][] }[] = [
    { name: "hangs up on STARTTLS", answer: () => undefined, args: (s) => [[`ups@${s}`], ["-l", s]] },
    {
      name: "an ERR in the middle of a list",
      answer: (l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : l.startsWith("LIST") ? `BEGIN ${l}\nVAR ups a.b "1"\nUPS ups "x"\nERR DATA-STALE\n` : "ERR UNKNOWN-COMMAND\n"),
      args: (s) => [[`ups@${s}`], ["-l", s], [`ups@${s}`, "a.b"], ["-c", `ups@${s}`]],
    },
    {
      name: "an item of another list",
      answer: (l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : `BEGIN LIST VAR ups\nVAR ups a.b "1"\nVAR other c.d "2"\nVAR ups e.f "3"\nEND LIST VAR ups\n`),
      args: (s) => [[`ups@${s}`]],
    },
    {
      name: "short items",
      answer: (l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : `BEGIN ${l}\nVAR ups a.b "1"\nUPS\nCLIENT ups\nVAR ups\nEND ${l}\n`),
      args: (s) => [[`ups@${s}`], ["-l", s], ["-L", s], ["-c", `ups@${s}`]],
    },
    {
      name: "a list for another query, a GET answered for another variable",
      answer: (l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : l.startsWith("GET") ? 'VAR ups x.y "1"\n' : "BEGIN LIST VAR other\nEND LIST VAR other\n"),
      args: (s) => [[`ups@${s}`], [`ups@${s}`, "a.b"]],
    },
    {
      name: "an upsd that knows no LIST or GET",
      answer: (l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : "ERR UNKNOWN-COMMAND\n"),
      args: (s) => [[`ups@${s}`], [`ups@${s}`, "a.b"], ["-L", s], ["-c", `ups@${s}`]],
    },
    {
      name: "the server closes in the middle of a list",
      answer: (l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : l.startsWith("LIST") ? undefined : "ERR UNKNOWN-COMMAND\n"),
      args: (s) => [[`ups@${s}`], ["-l", s]],
    },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const server = `127.0.0.1:${serve(c.answer)}`;
      const results = await mapLimit(c.args(server), PARALLEL, (args) => compare(args));
      expect(mismatches(results)).toEqual([]);
    });
  }
});

describe("upsc: STARTTLS with our upsd (CERTFILE), ours equal to Debian's", () => {
  let dir: string;
  let sandbox: NutSandbox;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "upsc-tls-"));
    const made = runCommand(
      ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "2", "-subj", "/CN=localhost"],
      { timeoutMs: 20_000 },
    );
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    writeFileSync(join(dir, "cert.pem"), readFileSync(join(dir, "c.pem"), "utf8") + readFileSync(join(dir, "k.pem"), "utf8"), { mode: 0o600 });
    sandbox = await startNutSandbox({
      ups: [{ name: "fake", settings: { mode: "dummy-once" } }],
      files: { "fake.dev": "ups.status: OL\nbattery.charge: 90\n" },
      upsdConf: [`CERTFILE ${join(dir, "cert.pem")}`],
      upsdCommand: OUR_UPSD,
    });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the session inside TLS, and libupsclient's log of it on stderr", async () => {
    const lines = [[sandbox.upsId("fake")], [sandbox.upsId("fake"), "battery.charge"], [sandbox.upsId("nope")], ["-L", `localhost:${sandbox.port}`]];
    const results = await mapLimit(lines, PARALLEL, (args) => compare(args, sandbox.paths.env));
    expect(mismatches(results)).toEqual([]);
    expect(results[1]!.ours.stdout).toBe("90\n");
    expect(results[1]!.ours.stderr).toContain("Connected to NUT server 127.0.0.1 in SSL\n");
  });
});
