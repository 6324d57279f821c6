import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchRow, median } from "./bench-row.ts";


function runOnce(argv: string[], argv0?: string): number {
  const started = performance.now();
  Bun.spawnSync(argv, { stdout: "ignore", stderr: "ignore", stdin: "ignore", timeout: 10_000, ...(argv0 ? { argv0 } : {}) });
  return performance.now() - started;
}

/** Peak RSS of one run in KiB, from GNU time (getrusage of that child alone). */
function peakRssKb(argv: string[], argv0?: string): number {
  const out = join(tmpdir(), `nut-bench-rss-${process.pid}`);
  // exec -a gives our binary the name it dispatches on
  const command = argv0 ? ["bash", "-c", `exec -a ${argv0} "$0" "$@"`, ...argv] : argv;
  Bun.spawnSync(["/usr/bin/time", "-f", "%M", "-o", out, ...command], { stdout: "ignore", stderr: "ignore", timeout: 10_000 });
  const kb = Number(readFileSync(out, "utf8").trim().split("\n").pop());
  rmSync(out, { force: true });
  return kb;
}

/**
 * Start-up of `upsc -h`: ours (dist/nut invoked as upsc) against Debian's /usr/bin/upsc,
 * alternating A/B so that the noisy machine hits both alike; median wall time and median
 * peak RSS over `runs` runs each.
 */
export function benchStartup(nutBinary: string, runs: number): BenchRow[] {
  const ours: number[] = [];
  const theirs: number[] = [];
  const oursRss: number[] = [];
  const theirsRss: number[] = [];
  for (let i = 0; i < 10; i++) {
    runOnce([nutBinary, "-h"], "upsc");
    runOnce(["/usr/bin/upsc", "-h"]);
  }
  for (let i = 0; i < runs; i++) {
    ours.push(runOnce([nutBinary, "-h"], "upsc"));
    theirs.push(runOnce(["/usr/bin/upsc", "-h"]));
  }
  for (let i = 0; i < 15; i++) {
    oursRss.push(peakRssKb([nutBinary, "-h"], "upsc"));
    theirsRss.push(peakRssKb(["/usr/bin/upsc", "-h"]));
  }
  return [
    {
      name: "start-up: upsc -h (median wall time)",
      unit: "ms",
      ours: median(ours),
      theirs: median(theirs),
      better: "lower",
      note: `${runs} runs each, alternating`,
    },
    {
      name: "start-up: upsc -h (median peak RSS)",
      unit: "MB",
      ours: median(oursRss) / 1024,
      theirs: median(theirsRss) / 1024,
      better: "lower",
      note: "GNU time, 15 runs each",
    },
  ];
}
