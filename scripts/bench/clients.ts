/**
 * upsc, ours beside Debian's 2.8.0: median wall time of one `upsc <ups>@<host> ups.status` (both
 * against the same upsd, Debian's), and of a full `upsc <ups>@<host>` listing of a 94-variable
 * UPS, ours against our upsd beside Debian's against Debian's upsd (each program with its own
 * server, as deployed). Runs alternate A/B so that machine noise hits both alike.
 *
 * `bun scripts/bench/clients.ts` runs it alone and prints the rows.
 */
import { join } from "node:path";
import { type NutSandbox, startNutSandbox } from "../../test/harness/debian-nut.ts";
import { type BenchRow, median } from "./bench-row.ts";

const DEBIAN_UPSC = "/usr/bin/upsc";
const UPS = "bench";
/** 94 variables (the same dump as the upsd rows). */
const DEV_FILE = join(import.meta.dir, "..", "..", "test", "fixtures", "nut-ddl", "Eaton", "Eaton__5PX_2000__usbhid-ups__2.7.4__01.dev");
const WARMUP = 10;

/** Wall time of one run in ms; a failing run is an error, not a figure. */
function timeRun(argv: string[], env: Record<string, string>, argv0?: string): number {
  const started = performance.now();
  const run = Bun.spawnSync(argv, { env, stdout: "ignore", stderr: "ignore", stdin: "ignore", timeout: 10_000, ...(argv0 !== undefined ? { argv0 } : {}) });
  const elapsed = performance.now() - started;
  if (run.exitCode !== 0) throw new Error(`${argv.join(" ")} exited with ${run.exitCode ?? run.signalCode}`);
  return elapsed;
}

/** Median wall times of `a` and `b`, run alternately `runs` times each after a warm-up. */
function alternate(a: () => number, b: () => number, runs: number): [number, number] {
  for (let i = 0; i < WARMUP; i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(a());
    bs.push(b());
  }
  return [median(as), median(bs)];
}

/** Variables upsd lists for the UPS, counted with Debian's upsc (the row's note says how many). */
function countVars(sandbox: NutSandbox): number {
  const run = Bun.spawnSync([DEBIAN_UPSC, sandbox.upsId(UPS)], { env: sandbox.paths.env, stdout: "pipe", stderr: "ignore", timeout: 10_000 });
  return run.stdout.toString().split("\n").filter((l) => l !== "").length;
}

/** The upsc rows: one variable and the full listing, `runs` runs each (default 100). */
export async function benchClients(nutBinary: string, runs = Number(process.env.BENCH_CLIENT_RUNS ?? 100)): Promise<BenchRow[]> {
  const ups = [{ name: UPS, port: DEV_FILE }];
  await using theirs = await startNutSandbox({ ups });
  await using ours = await startNutSandbox({ ups, upsdCommand: () => [nutBinary, "upsd", "-F", "-u", "root"] });
  const ourUpsc = (sandbox: NutSandbox, ...args: string[]) => (): number => timeRun([nutBinary, sandbox.upsId(UPS), ...args], sandbox.paths.env, "upsc");
  const debianUpsc = (sandbox: NutSandbox, ...args: string[]) => (): number => timeRun([DEBIAN_UPSC, sandbox.upsId(UPS), ...args], sandbox.paths.env);

  const [oneOurs, oneTheirs] = alternate(ourUpsc(theirs, "ups.status"), debianUpsc(theirs, "ups.status"), runs);
  const [allOurs, allTheirs] = alternate(ourUpsc(ours), debianUpsc(theirs), runs);
  const vars = countVars(theirs);
  return [
    {
      name: "upsc <ups> ups.status (median wall time)",
      unit: "ms",
      ours: oneOurs,
      theirs: oneTheirs,
      better: "lower",
      note: `${runs} runs each, alternating, both against Debian's upsd`,
    },
    {
      name: `upsc <ups>: ${vars}-variable listing (median wall time)`,
      unit: "ms",
      ours: allOurs,
      theirs: allTheirs,
      better: "lower",
      note: `${runs} runs each, alternating; ours against our upsd, Debian's against Debian's`,
    },
  ];
}

if (import.meta.main) {
  const nut = join(import.meta.dir, "..", "..", "dist", "nut");
  for (const row of await benchClients(nut)) {
    console.log(`${row.name}: ours ${row.ours.toFixed(2)} ${row.unit}, Debian ${row.theirs.toFixed(2)} ${row.unit} (${(row.ours / row.theirs).toFixed(2)}x) — ${row.note ?? ""}`);
  }
}
