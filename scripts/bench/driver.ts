import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type Socket, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchRow, median } from "./bench-row.ts";

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

/**
 * Connects as upsd would and resolves once a DUMPALL is answered up to DUMPDONE, with the
 * connection left open (upsd stays connected; NUT 2.8.0 drivers spin on a closed one); undefined
 * if not within `ms`.
 */
async function dumpServed(path: string, ms: number): Promise<Socket | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const sock = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ path });
      let buf = "";
      let settled = false;
      const done = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        if (!ok) s.destroy();
        resolve(ok ? s : undefined);
      };
      s.on("connect", () => s.write("DUMPALL\n"));
      s.on("data", (d: Buffer) => {
        buf += d.toString("latin1");
        if (buf.includes("DUMPDONE\n")) done(true);
      });
      s.on("error", () => done(false));
      s.on("close", () => done(false));
    });
    if (sock) return sock;
    await sleep(2);
  }
  return undefined;
}

/** utime+stime in clock ticks and VmRSS in kB of a process, from /proc. */
function usage(pid: number): { ticks: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { ticks, rssKb: Number(rss?.[1] ?? 0) };
}

/**
 * dummy-ups, ours and Debian's, on the same .dev: time from spawn to the first complete
 * DUMPALL answer (median of `runs`, alternating), then RSS and CPU of an idle driver at
 * pollinterval 2 over `idleSeconds`.
 */
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
          const before = usage(proc.pid);
          await sleep(idleSeconds * 1000);
          const after = usage(proc.pid);
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
