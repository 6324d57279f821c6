// usbhid-ups, ours beside Debian's 2.8.0, on the same simulated USB device (test/sim/hidups_sim.py
// under umockdev): start-up to the first complete dump, idle RSS and CPU of the driver process
// alone (not the simulator), and the report descriptor parse time (ours only).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseReportDescriptor } from "../../drivers/usbhid-ups/hid-report-descriptor.ts";
import { type BenchRow, median } from "./bench-row.ts";
import { dumpServed, processUsage } from "./driver-probe.ts";

const ROOT = join(import.meta.dir, "..", "..");
const SIM = join(ROOT, "test", "sim", "hidups_sim.py");
const PYTHON = "/usr/bin/python3";
const FIXTURES = join(ROOT, "test", "fixtures", "usb-hid");
const PROFILE = "apc";

interface Side {
  label: "ours" | "theirs";
  driver: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Why the simulator cannot run (umockdev's GI bindings), or undefined. */
function simUnavailable(): string | undefined {
  const probe = Bun.spawnSync([PYTHON, "-c", "import gi; gi.require_version('UMockdev', '1.0'); from gi.repository import UMockdev"], { stdout: "ignore", stderr: "pipe" });
  return probe.exitCode === 0 ? undefined : "umockdev GI bindings missing (apt-get install umockdev gir1.2-umockdev-1.0 python3-gi)";
}

/** The driver: the simulator's only child. */
function childPid(pid: number): number | undefined {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  const first = Number(text.split(" ")[0]);
  return Number.isInteger(first) && first > 0 ? first : undefined;
}

/** Median wall time of the simulator running /bin/true: its own start-up, inside both start figures. */
function simOverheadMs(runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    Bun.spawnSync([PYTHON, SIM, "--profile", PROFILE, "--", "/bin/true"], { stdout: "ignore", stderr: "ignore", timeout: 20_000 });
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Median parse time of the largest report descriptor of test/fixtures/usb-hid, in µs. */
function parseMicros(): { micros: number; file: string; bytes: number } {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".rdesc.hex"));
  const descs = files.map((file) => ({ file, bytes: Uint8Array.from(Buffer.from(readFileSync(join(FIXTURES, file), "utf8").replace(/\s+/g, ""), "hex")) }));
  const largest = descs.reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a));
  for (let i = 0; i < 200; i++) parseReportDescriptor(largest.bytes); // warm up the JIT
  const times: number[] = [];
  for (let round = 0; round < 50; round++) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) parseReportDescriptor(largest.bytes);
    times.push(((performance.now() - t) / 20) * 1000);
  }
  return { micros: median(times), file: largest.file, bytes: largest.bytes.length };
}

/**
 * usbhid-ups under the simulator, ours and Debian's alternating: spawn to the first DUMPALL with
 * ups.status (median of `runs`), then RSS and CPU of the driver process at pollinterval 2 over
 * `idleSeconds`; plus our descriptor parse time.
 */
export async function benchUsbhid(nutBinary: string, runs: number, idleSeconds: number): Promise<BenchRow[]> {
  const why = simUnavailable();
  if (why !== undefined) {
    console.error(`usbhid-ups rows left out: ${why}`);
    return [];
  }
  const sides: Side[] = [
    { label: "ours", driver: [nutBinary, "usbhid-ups"] },
    { label: "theirs", driver: ["/lib/nut/usbhid-ups"] },
  ];
  const startMs: Record<string, number[]> = { ours: [], theirs: [] };
  const idle: Record<string, { cpu: number; rssKb: number }> = {};
  for (let i = 0; i < runs; i++) {
    for (const side of sides) {
      const dir = mkdtempSync(join(tmpdir(), "nut-bench-usbhid-"));
      writeFileSync(join(dir, "ups.conf"), "[b]\n\tdriver = usbhid-ups\n\tport = auto\n\tpollinterval = 2\n");
      const env = { ...process.env, NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir };
      const started = performance.now();
      const proc = Bun.spawn([PYTHON, SIM, "--profile", PROFILE, "--", ...side.driver, "-a", "b", "-F", "-u", "root"], { env, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      try {
        const link = await dumpServed(join(dir, "usbhid-ups-b"), 20_000, { requireStatus: true, retryMs: 5 });
        if (!link) throw new Error(`${side.label} usbhid-ups served no dump within 20 s`);
        startMs[side.label]!.push(performance.now() - started);
        if (i === runs - 1) {
          const driver = childPid(proc.pid);
          if (driver === undefined) throw new Error(`${side.label}: no driver process under the simulator`);
          await sleep(3000);
          const before = processUsage(driver);
          await sleep(idleSeconds * 1000);
          const after = processUsage(driver);
          idle[side.label] = { cpu: ((after.ticks - before.ticks) / 100 / idleSeconds) * 100, rssKb: after.rssKb };
        }
        link.destroy();
      } finally {
        proc.kill("SIGTERM"); // the simulator forwards it to the driver
        await Promise.race([proc.exited, sleep(5000)]);
        if (proc.exitCode === null) proc.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const overhead = simOverheadMs(Math.min(runs, 5));
  const parse = parseMicros();
  return [
    { name: "usbhid-ups (simulated APC): start to first full dump (median)", unit: "ms", ours: median(startMs.ours!), theirs: median(startMs.theirs!), better: "lower", note: `${runs} runs each; both include the simulator's own ~${overhead.toFixed(0)} ms start-up` },
    { name: "usbhid-ups: idle RSS of the driver at pollinterval 2", unit: "MB", ours: idle.ours!.rssKb / 1024, theirs: idle.theirs!.rssKb / 1024, better: "lower" },
    { name: "usbhid-ups: idle CPU of the driver at pollinterval 2", unit: "%", ours: idle.ours!.cpu, theirs: idle.theirs!.cpu, better: "lower", note: `${idleSeconds} s, one upsd-like client, /proc utime+stime of the driver alone` },
    { name: `usbhid-ups: report descriptor parse (${parse.file}, ${parse.bytes} bytes)`, unit: "µs", ours: parse.micros, theirs: 0, better: "lower", note: "median; Debian's driver has no separate parse-time figure" },
  ];
}

if (import.meta.main) {
  // `bun scripts/bench/usbhid.ts [nut binary]`: just these rows
  const rows = await benchUsbhid(process.argv[2] ?? join(ROOT, "dist", "nut"), Number(process.env.BENCH_DRIVER_RUNS ?? 10), Number(process.env.BENCH_IDLE_SECONDS ?? 30));
  for (const r of rows) console.log(`${r.name}: ours ${r.ours.toFixed(2)} ${r.unit}, Debian ${r.theirs === 0 ? "n/a" : `${r.theirs.toFixed(2)} ${r.unit}`}${r.note ? ` (${r.note})` : ""}`);
}
