// `npm run bench`: ours beside Debian's NUT, measured side by side in one run, as ratios.
// A benchmark script, never a timed unit test: figures depend on the machine.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BenchRow } from "./bench-row.ts";
import { benchClients } from "./clients.ts";
import { benchDriver } from "./driver.ts";
import { benchStartup } from "./startup.ts";
import { benchUpsd } from "./upsd.ts";
import { benchUpsmon } from "./upsmon.ts";
import { benchUsbhid } from "./usbhid.ts";

const root = join(import.meta.dir, "..", "..");
const nut = join(root, "dist", "nut");
if (!existsSync(nut)) throw new Error(`${nut} is missing: run npm run build`);
if (!existsSync("/usr/bin/upsc")) throw new Error("Debian's NUT is missing: run scripts/setup-system.sh (apt-get install nut-client nut-server)");

const runs = Number(process.env.BENCH_RUNS ?? 200);
const rows: BenchRow[] = [...benchStartup(nut, runs), ...(await benchDriver(nut, Number(process.env.BENCH_DRIVER_RUNS ?? 10), Number(process.env.BENCH_IDLE_SECONDS ?? 30))), ...(await benchUpsd(nut)), ...(await benchClients(nut)), ...(await benchUpsmon(nut)), ...(await benchUsbhid(nut, Number(process.env.BENCH_DRIVER_RUNS ?? 10), Number(process.env.BENCH_IDLE_SECONDS ?? 30)))];

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
const header = ["benchmark", "ours", "Debian NUT 2.8.0", "ratio (ours/theirs)", "note"];
const table = rows.map((r) => [
  r.name,
  `${fmt(r.ours)} ${r.unit}`,
  `${fmt(r.theirs)} ${r.unit}`,
  r.theirs === 0 ? "n/a (theirs is 0)" : `${(r.ours / r.theirs).toFixed(2)}x ${r.better === "lower" ? "(lower is better)" : "(higher is better)"}`,
  r.note ?? "",
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table) console.log(line(row));
