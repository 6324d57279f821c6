// Our upsd against Debian's upsd 2.8.0 on every device dump of NUT's DDL (test/fixtures/nut-ddl,
// 718 files), both serving Debian's dummy-ups on the same dumps: Debian's `upsc <ups>`,
// `upscmd -l <ups>`, `upsrw <ups>`, `upsc -l`/`upsc -L` and a PyNUT (python3-nut) session listing
// the UPSes, variables, commands (with descriptions) and writable variables must come out byte for
// byte the same — stdout, stderr and exit status — with only the port number written out.
// Debian's dummy-ups sometimes reports `driver.parameter.synchronous: yes` instead of `auto`
// (timing, see dummy-ups-ddl.test.ts), which is masked on both sides.
// The dumps are loaded in batches of 60 UPSes per sandbox so the run stays within minutes.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { type NutSandbox, type SandboxUps, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { ddlDevFiles } from "../harness/ddl-fixtures.ts";

const BATCH = 60;
const PYTHON = "/usr/bin/python3";

// One PyNUT client for the whole batch: the UPS list, then per UPS its variables, commands and
// writable variables, each printed sorted (PyNUT returns dicts) or as the error it raised.
const PYNUT_SCRIPT = `
import sys, PyNUT
port = int(sys.argv[1])
def dec(x):
    return x.decode("latin-1") if isinstance(x, bytes) else x
def show(label, f):
    try:
        r = f()
        r = sorted((dec(k), dec(v)) for k, v in r.items())
        r = [(k, "auto" if k == "driver.parameter.synchronous" and v == "yes" else v) for k, v in r]
        print(label, repr(r))
    except Exception as e:
        print(label, "error", repr(e))
c = PyNUT.PyNUTClient(port=port, timeout=10)
show("list", c.GetUPSList)
for ups in sys.argv[2:]:
    show(ups + " vars", lambda: c.GetUPSVars(ups))
    show(ups + " cmds", lambda: c.GetUPSCommands(ups))
    show(ups + " rw", lambda: c.GetRWVars(ups))
`;

interface Observed {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one client against a sandbox; the port and the timing-dependent synchronous flag masked. */
async function observe(sandbox: NutSandbox, argv: string[], command: string): Promise<Observed> {
  const proc = Bun.spawn(argv, { env: sandbox.paths.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 60_000, killSignal: "SIGKILL" });
  const [exitCode, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const port = String(sandbox.port);
  const mask = (text: string): string =>
    text
      // after a colon only: UPS data (serial numbers) may contain the port's digits
      .replaceAll(`:${port}`, ":PORT")
      .split("\n")
      .map((l) => (l === "driver.parameter.synchronous: yes" ? "driver.parameter.synchronous: auto" : l))
      .join("\n");
  return { command, exitCode, stdout: mask(stdout), stderr: mask(stderr) };
}

/** upsc, upscmd -l and upsrw of one UPS. */
function observeUps(sandbox: NutSandbox, ups: string): Promise<Observed[]> {
  const id = sandbox.upsId(ups);
  return Promise.all([
    observe(sandbox, ["/usr/bin/upsc", id], `upsc ${ups}`),
    observe(sandbox, ["/usr/bin/upscmd", "-l", id], `upscmd -l ${ups}`),
    observe(sandbox, ["/usr/bin/upsrw", id], `upsrw ${ups}`),
  ]);
}

/** Everything observed of one batch's sandbox. */
async function observeBatch(sandbox: NutSandbox, ups: readonly SandboxUps[]): Promise<Observed[]> {
  const out: Observed[] = [];
  const server = `127.0.0.1:${sandbox.port}`;
  out.push(await observe(sandbox, ["/usr/bin/upsc", "-l", server], "upsc -l"));
  out.push(await observe(sandbox, ["/usr/bin/upsc", "-L", server], "upsc -L"));
  for (let i = 0; i < ups.length; i += 10) {
    const slice = ups.slice(i, i + 10);
    for (const r of await Promise.all(slice.map((u) => observeUps(sandbox, u.name)))) out.push(...r);
  }
  if (existsSync(PYTHON)) {
    out.push(await observe(sandbox, [PYTHON, "-c", PYNUT_SCRIPT, String(sandbox.port), ...ups.map((u) => u.name)], "PyNUT"));
  }
  return out;
}

const files = ddlDevFiles();

describe(`upsd: all ${files.length} DDL dumps through Debian's clients and PyNUT, ours equal to Debian's`, () => {
  test("the DDL fixture is complete", () => {
    expect(files.length).toBe(718);
  });

  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    test(
      `dumps ${start + 1}-${start + batch.length}`,
      async () => {
        const ups: SandboxUps[] = batch.map((port, i) => ({ name: `ddl${start + i + 1}`, port, desc: basename(port, ".dev") }));
        await using theirs = await startNutSandbox({ ups, readyTimeoutMs: 90_000 });
        await using ours = await startNutSandbox({ ups, readyTimeoutMs: 90_000, upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"] });
        const [expected, actual] = await Promise.all([observeBatch(theirs, ups), observeBatch(ours, ups)]);
        expect(actual.length).toBe(expected.length);
        // the oracle really served every UPS of the batch (not a uniform failure on both sides)
        expect(expected.filter((o) => o.command.startsWith("upsc ddl") && (o.exitCode !== 0 || o.stdout === "")).map((o) => o.command)).toEqual([]);
        const pynut = expected.find((o) => o.command === "PyNUT");
        if (pynut !== undefined) {
          expect(pynut.exitCode).toBe(0);
          expect(pynut.stdout).toContain(`ddl${start + 1} vars [('`);
        }
        const mismatches: string[] = [];
        for (let k = 0; k < expected.length; k++) {
          const e = expected[k]!;
          const a = actual[k]!;
          if (JSON.stringify(e) !== JSON.stringify(a)) {
            mismatches.push(`${e.command}:\n--- Debian upsd\n${e.stdout}${e.stderr}(exit ${e.exitCode})\n--- ours\n${a.stdout}${a.stderr}(exit ${a.exitCode})`);
          }
        }
        expect(mismatches).toEqual([]);
      },
      300_000,
    );
  }
});
