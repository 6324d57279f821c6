import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchRow, median } from "./bench-row.ts";
import { dumpServed, processUsage } from "./driver-probe.ts";

const DEV = [
  "battery.charge: 100",
  "battery.runtime: 6975",
  "device.mfr: American Power Conversion",
  "device.model: Back-UPS ES 525",
  "input.voltage: 217.8",
  "ups.load: 12.0",
  "ups.status: OL",
  "",
].join("\n");

interface Side {
  label: "ours" | "theirs";
  argv: (dir: string) => string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function benchDriver(nutBinary: string, runs: number, idleSeconds: number): Promise<BenchRow[]> {
  const sides: Side[] = [
    { label: "ours", argv: () => [nutBinary, "dummy-ups", "-s", "b", "-x", "port=bench.dev", "-F", "-u", "root"] },
    { label: "theirs", argv: () => ["/lib/nut/dummy-ups", "-s", "b", "-x", "port=bench.dev", "-F", "-u", "root"] },
  ];
  const startMs: Record<string, number[]> = { ours: [], theirs: [] };
  const idle: Record<string, { cpu: number; rssKb: number }> = {};
  for (let i = 0; i < runs; i++) {
    for (const side of sides) {
      const dir = mkdtempSync(join(tmpdir(), "nut-bench-drv-"));
      writeFileSync(join(dir, "bench.dev"), DEV);
      const env = { ...process.env, NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir };
      const started = performance.now();
      const proc = Bun.spawn(side.argv(dir), { env, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      try {
        const link = await dumpServed(join(dir, "dummy-ups-b"), 15_000);
        if (!link) throw new Error(`${side.label} dummy-ups served no dump within 15 s`);
        startMs[side.label]!.push(performance.now() - started);
        if (i === runs - 1) {
          await sleep(3000);
          const before = processUsage(proc.pid);
          await sleep(idleSeconds * 1000);
          const after = processUsage(proc.pid);
          idle[side.label] = { cpu: ((after.ticks - before.ticks) / 100 / idleSeconds) * 100, rssKb: after.rssKb };
        }
        link.destroy();
      } finally {
        proc.kill("SIGTERM");
        await Promise.race([proc.exited, sleep(3000)]);
        if (proc.exitCode === null) proc.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return [
    { name: "dummy-ups: start to first DUMPALL served (median)", unit: "ms", ours: median(startMs.ours!), theirs: median(startMs.theirs!), better: "lower", note: `${runs} runs each` },
    { name: "dummy-ups: idle RSS at pollinterval 2", unit: "MB", ours: idle.ours!.rssKb / 1024, theirs: idle.theirs!.rssKb / 1024, better: "lower" },
    { name: "dummy-ups: idle CPU at pollinterval 2", unit: "%", ours: idle.ours!.cpu, theirs: idle.theirs!.cpu, better: "lower", note: `${idleSeconds} s with one client connected, /proc utime+stime` },
  ];
}
