/**
 * upsmon, ours beside Debian's 2.8.0, each run by test/harness/upsmon-runner.ts (foreground, one
 * root process) against Debian's upsd and dummy-ups:
 * (a) reaction time: from the moment a new status (`OL` -> `OB LB`) is visible through upsd
 *     (GET VAR polled every 5 ms) to SHUTDOWNCMD starting (it records `date +%s.%N`), primary,
 *     POLLFREQ/POLLFREQALERT 1, FINALDELAY 0; a fresh sandbox per run, sides alternating; target
 *     <= POLLFREQALERT + 100 ms (upsmon polls once a second, so the status change lands at a random
 *     point of the interval: ~500 ms is the expected median for a poll-driven monitor);
 * (b) RSS and CPU of upsmon watching 50 UPSes (50 drivers behind one upsd; upsmon drops a
 *     duplicate MONITOR system string, so each line needs its own UPS) at POLLFREQ 1 over 30 s,
 *     both sides at once as secondaries on the same sandbox.
 * Without a usable `<nut> upsmon` the "ours" figures are NaN with the reason in the note.
 */
import { readFileSync } from "node:fs";
import { type NutSandbox, startNutSandbox } from "../../test/harness/debian-nut.ts";
import { devText, writeDummyDev } from "../../test/harness/dummy-dev-file.ts";
import { upsdNumLogins, waitForUpsdStatus } from "../../test/harness/upsd-probe.ts";
import { type UpsmonImpl, type UpsmonInstance, ourUpsmonProblem, startUpsmon } from "../../test/harness/upsmon-runner.ts";
import { type BenchRow, median } from "./bench-row.ts";

const USERS = [
  { name: "monp", password: "pw1", upsmon: "primary" as const },
  { name: "mons", password: "pw2", upsmon: "secondary" as const },
];
const ONLINE = devText({ "ups.status": "OL", "battery.charge": "100" });
const MANY = 50;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const benchStart = performance.now();
/** Progress on stderr with BENCH_VERBOSE=1. */
function progress(what: string): void {
  if (process.env.BENCH_VERBOSE) console.error(`[upsmon bench ${((performance.now() - benchStart) / 1000).toFixed(1)} s] ${what}`);
}

/** utime+stime (own and of reaped children, i.e. notifiers) in clock ticks, and VmRSS in kB. */
function usage(pid: number): { ticks: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { ticks, rssKb: Number(rss?.[1] ?? 0) };
}

async function waitUntil(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

function sandbox(names: readonly string[], readyTimeoutMs: number): Promise<NutSandbox> {
  return startNutSandbox({
    ups: names.map((name) => ({ name, settings: { pollinterval: "1" } })),
    users: USERS,
    files: Object.fromEntries(names.map((n) => [`${n}.dev`, ONLINE])),
    readyTimeoutMs,
  });
}

/** One reaction-time run: ms from `OB LB` visible in upsd to SHUTDOWNCMD starting. */
async function reactionRun(impl: UpsmonImpl, nutBinary: string): Promise<number> {
  await using sb = await sandbox(["ups1"], 30_000);
  // upsmon polls once a second from its start: a random start puts its polls at a random phase
  // of the driver's updates, which are what makes a status visible
  await sleep(Math.random() * 1000);
  await using mon = startUpsmon(sb, {
    impl,
    nutBinary,
    monitors: [{ ups: "ups1", user: "monp", password: "pw1", role: "primary" }],
    hostSync: 3,
  });
  if (!(await waitUntil(async () => (await upsdNumLogins(sb.port, "ups1")) === 1, 20_000))) throw new Error(`${impl} upsmon did not log in\n${sb.logs()}`);
  // let it see OL first and settle into POLLFREQ
  await sleep(1500);
  writeDummyDev(sb.paths.confPath, "ups1", { "ups.status": "OB LB", "battery.charge": "5" });
  const visible = await waitForUpsdStatus(sb.port, "ups1", "OB LB", 15_000, 5);
  if (visible === undefined) throw new Error(`upsd never showed OB LB\n${sb.logs()}`);
  if (!(await waitUntil(() => mon.shutdowns().length > 0, 15_000))) throw new Error(`${impl} upsmon did not shut down\n${sb.logs()}`);
  return mon.shutdowns()[0]! - visible;
}

/** RSS (MB) and CPU (%) of each upsmon watching MANY UPSes for `seconds`. */
async function manyUps(impls: readonly UpsmonImpl[], nutBinary: string, seconds: number): Promise<Map<UpsmonImpl, { rssMb: number; cpu: number }>> {
  const names = Array.from({ length: MANY }, (_, i) => `ups${i + 1}`);
  await using sb = await sandbox(names, 180_000);
  progress(`${MANY} UPSes ready`);
  const mons: UpsmonInstance[] = [];
  try {
    for (const impl of impls) {
      mons.push(
        startUpsmon(sb, {
          impl,
          nutBinary,
          label: `upsmon-${impl}`,
          monitors: names.map((ups) => ({ ups, user: "mons", password: "pw2", role: "secondary" as const })),
        }),
      );
    }
    const all = await waitUntil(async () => {
      for (const n of names) if ((await upsdNumLogins(sb.port, n)) !== impls.length) return false;
      return true;
    }, 60_000);
    if (!all) throw new Error(`not every upsmon logged into all ${MANY} UPSes\n${sb.logs()}`);
    await sleep(3000);
    const before = mons.map((m) => usage(m.pid!));
    await sleep(seconds * 1000);
    const after = mons.map((m) => usage(m.pid!));
    const result = new Map<UpsmonImpl, { rssMb: number; cpu: number }>();
    mons.forEach((m, i) => {
      if (!m.running) throw new Error(`${m.impl} upsmon exited during the measurement\n${m.output()}`);
      result.set(m.impl, { rssMb: after[i]!.rssKb / 1024, cpu: ((after[i]!.ticks - before[i]!.ticks) / 100 / seconds) * 100 });
    });
    return result;
  } finally {
    await Promise.all(mons.map((m) => m.stop()));
  }
}

/** The upsmon rows of `npm run bench`. */
export async function benchUpsmon(nutBinary: string): Promise<BenchRow[]> {
  const runs = Number(process.env.BENCH_UPSMON_RUNS ?? 7);
  const seconds = Number(process.env.BENCH_UPSMON_IDLE_SECONDS ?? 30);
  const problem = ourUpsmonProblem(nutBinary);
  const impls: UpsmonImpl[] = problem === undefined ? ["ours", "debian"] : ["debian"];
  const absent = problem === undefined ? "" : `; ours: n/a (${problem})`;

  const reaction: Record<UpsmonImpl, number[]> = { ours: [], debian: [] };
  for (let i = 0; i < runs; i++) {
    for (const impl of i % 2 === 0 ? impls : [...impls].reverse()) {
      const ms = await reactionRun(impl, nutBinary);
      reaction[impl].push(ms);
      progress(`reaction ${impl} run ${i + 1}: ${ms.toFixed(0)} ms`);
    }
  }
  const idle = await manyUps(impls, nutBinary, seconds);
  const ours = (values: number[]): number => (values.length > 0 ? median(values) : Number.NaN);
  return [
    {
      name: "upsmon: OB LB visible in upsd -> SHUTDOWNCMD (median)",
      unit: "ms",
      ours: ours(reaction.ours),
      theirs: median(reaction.debian),
      better: "lower",
      note: `POLLFREQALERT 1, target <= 1100 ms; ${runs} runs each, max ours ${reaction.ours.length > 0 ? Math.max(...reaction.ours).toFixed(0) : "n/a"} / theirs ${Math.max(...reaction.debian).toFixed(0)} ms${absent}`,
    },
    {
      name: `upsmon: RSS with ${MANY} MONITOR lines`,
      unit: "MB",
      ours: idle.get("ours")?.rssMb ?? Number.NaN,
      theirs: idle.get("debian")!.rssMb,
      better: "lower",
      note: `${MANY} UPSes behind Debian's upsd, secondary, POLLFREQ 1${absent}`,
    },
    {
      name: `upsmon: CPU with ${MANY} MONITOR lines`,
      unit: "%",
      ours: idle.get("ours")?.cpu ?? Number.NaN,
      theirs: idle.get("debian")!.cpu,
      better: "lower",
      note: `${seconds} s at POLLFREQ 1, /proc utime+stime (+children)${absent}`,
    },
  ];
}

// `bun scripts/bench/upsmon.ts [nut binary]`: these rows alone
if (import.meta.main) {
  const { join } = await import("node:path");
  const rows = await benchUpsmon(process.argv[2] ?? join(import.meta.dir, "..", "..", "dist", "nut"));
  for (const r of rows) console.log(`${r.name}: ours ${r.ours.toFixed(2)} ${r.unit}, Debian ${r.theirs.toFixed(2)} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
}
