/**
 * upsd, ours beside Debian's, both serving the same kind of driver (Debian's dummy-ups on a
 * 94-variable .dev) and running at the same time, so every phase alternates A/B (ABBA) and
 * machine noise hits both: GET VAR throughput and upsd CPU per request at 1…1000 connections,
 * LIST VAR latency, RSS idle and with 1,000 clients, and how many of 10,000 concurrent
 * connections are served.
 *
 * The load runs in child processes (this file run with `load` or `hold`), so that it gets its own
 * CPU and its own open-file limit (raised to the hard limit by `bash -c 'ulimit -n …; exec …'`).
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Socket, Subprocess } from "bun";
import { type NutSandbox, startNutSandbox } from "../../test/harness/debian-nut.ts";
import { type BenchRow, median } from "./bench-row.ts";

const UPS = "bench";
const DEV_FILE = join(import.meta.dir, "..", "..", "test", "fixtures", "nut-ddl", "Eaton", "Eaton__5PX_2000__usbhid-ups__2.7.4__01.dev");
/** Connections opened at once; upsd (both) listens with a backlog of 16, a bigger burst gets SYNs dropped and retried 1 s later. */
const CONNECT_BATCH = 16;
const MAXCONN = 15_000;
const RAISE_NOFILE = 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const benchStart = performance.now();
/** Progress on stderr with BENCH_VERBOSE=1. */
function progress(what: string): void {
  if (process.env.BENCH_VERBOSE) console.error(`[upsd bench ${((performance.now() - benchStart) / 1000).toFixed(1)} s] ${what}`);
}

/** utime+stime in clock ticks (1/100 s) of a process. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** VmRSS of a process in kB. */
function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

// ---------------------------------------------------------------- child: closed-loop load

interface LoadConn {
  waiting: boolean;
  /** Called on the answer to the GET VAR sent on opening (upsd accepted the connection). */
  answered?: (() => void) | undefined;
}

interface LoadResult {
  requests: number;
  errors: number;
  failed: number;
  elapsedMs: number;
  /** CPU time of the load process over the timed phase. */
  cpuUs: number;
}

/**
 * `load <port> <conns> <durationMs>`: opens the connections and prints `connected`; on a
 * `start` line from stdin runs the closed loop (one `GET VAR` outstanding per connection), on
 * `go` counts for durationMs and prints a LoadResult as JSON.
 */
async function loadChild(port: number, conns: number, durationMs: number): Promise<void> {
  const request = Buffer.from(`GET VAR ${UPS} ups.status\n`);
  let counting = false;
  let stopping = false;
  let requests = 0;
  let errors = 0;
  let failed = 0;
  const sockets: Socket<LoadConn>[] = [];
  const opened = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      Bun.connect<LoadConn>({
        hostname: "127.0.0.1",
        port,
        data: { waiting: true, answered: done },
        socket: {
          open(s) {
            s.setNoDelay(true);
            s.write(request);
          },
          data(s, d) {
            // one request outstanding: the answer is complete when a chunk ends the line
            if (d[0] === 0x45 /* E of ERR */ && s.data.waiting && counting) errors++;
            s.data.waiting = false;
            if (d[d.length - 1] !== 0x0a) return;
            if (s.data.answered) {
              s.data.answered();
              s.data.answered = undefined;
              sockets.push(s);
              return;
            }
            if (counting) requests++;
            if (!stopping) {
              s.data.waiting = true;
              s.write(request);
            }
          },
          close() {
            if (!stopping) failed++;
            done();
          },
          connectError() {
            failed++;
            done();
          },
        },
      }).catch(done);
    });
  const stdin = lineReaderOf(Bun.stdin.stream());
  // every connection opened and answering (so accepted by upsd: both listen with a backlog of 16)
  // before any loop starts, so that the loops do not slow the opening
  for (let i = 0; i < conns; i += CONNECT_BATCH) await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, conns - i) }, opened));
  process.stdout.write("connected\n");
  await stdin(); // start
  for (const s of sockets) {
    s.data.waiting = true;
    s.write(request);
  }
  await stdin(); // go
  counting = true;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await sleep(durationMs);
  counting = false;
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  stopping = true;
  const result: LoadResult = { requests, errors, failed, elapsedMs, cpuUs: cpu.user + cpu.system };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const s of sockets) s.end();
  process.exit(0);
}

interface HoldResult {
  connected: number;
  firstAnswered: number;
  served: number;
  rss1000Kb: number;
  rssAllKb: number;
}

/**
 * `hold <port> <pid> <conns>`: opens the connections in batches, each sending one GET VAR and
 * staying open; with all of them open every one sends another GET VAR, and `served` counts the
 * connections that answered both. Prints a HoldResult as JSON.
 */
async function holdChild(port: number, pid: number, conns: number): Promise<void> {
  const request = `GET VAR ${UPS} ups.status\n`;
  const sockets: { sock: ReturnType<typeof connect>; answers: number; buf: string }[] = [];
  let rss1000Kb = 0;
  const openOne = (): Promise<void> =>
    new Promise((resolve) => {
      const entry = { sock: connect({ host: "127.0.0.1", port, noDelay: true }), answers: 0, buf: "" };
      const timer = setTimeout(resolve, 10_000);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      entry.sock.on("connect", () => entry.sock.write(request));
      entry.sock.on("data", (d: Buffer) => {
        entry.buf += d.toString("latin1");
        while (entry.buf.includes("\n")) {
          const line = entry.buf.slice(0, entry.buf.indexOf("\n"));
          entry.buf = entry.buf.slice(line.length + 1);
          if (line.startsWith("VAR ")) entry.answers++;
          if (entry.answers === 1) done();
        }
      });
      entry.sock.on("error", done);
      entry.sock.on("close", done);
      sockets.push(entry);
    });
  for (let i = 0; i < conns; i += CONNECT_BATCH) {
    await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, conns - i) }, openOne));
    if (i + CONNECT_BATCH >= 1000 && rss1000Kb === 0) {
      await sleep(200);
      rss1000Kb = rssKb(pid);
    }
  }
  const live = sockets.filter((e) => e.answers === 1 && !e.sock.destroyed);
  const firstAnswered = live.length;
  await sleep(500);
  const rssAllKb = rssKb(pid);
  for (const e of live) e.sock.write(request);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && live.some((e) => e.answers < 2 && !e.sock.destroyed)) await sleep(50);
  const served = live.filter((e) => e.answers >= 2).length;
  const result: HoldResult = { connected: sockets.filter((e) => !e.sock.destroyed).length, firstAnswered, served, rss1000Kb, rssAllKb };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const e of sockets) e.sock.destroy();
  process.exit(0);
}

// ---------------------------------------------------------------- parent

/** A child of this file under the raised open-file limit. */
function spawnChild(args: string[]): Subprocess<"pipe", "pipe", "inherit"> {
  return Bun.spawn(["bash", "-c", RAISE_NOFILE, process.execPath, import.meta.path, ...args], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
}

/** Reads a child's stdout line by line. */
function lineReader(proc: Subprocess<"pipe", "pipe", "inherit">): () => Promise<string | undefined> {
  return lineReaderOf(proc.stdout);
}

/** Reads a byte stream line by line. */
function lineReaderOf(stream: ReadableStream<Uint8Array>): () => Promise<string | undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  return async () => {
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buf += decoder.decode(value, { stream: true });
    }
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

interface Phase {
  requests: number;
  errors: number;
  failed: number;
  /** Sum over workers of requests / elapsed; over several phases, their median. */
  rate: number;
  cpuTicks: number;
  loadCpuUs: number;
}

/** One timed phase of `conns` connections spread over `workers` load processes. */
async function loadPhase(port: number, pid: number, conns: number, workers: number, durationMs: number): Promise<Phase> {
  const n = Math.min(workers, conns);
  const children = Array.from({ length: n }, (_, i) => spawnChild(["load", String(port), String(Math.floor(conns / n) + (i < conns % n ? 1 : 0)), String(durationMs)]));
  try {
    const readers = children.map(lineReader);
    const ready = await withTimeout(Promise.all(readers.map((r) => r())), 60_000, "load generator start");
    progress(`  ${conns} connected`);
    if (ready.some((l) => l !== "connected")) throw new Error(`load generator: ${ready.join(", ")}`);
    for (const c of children) {
      c.stdin.write("start\n");
      c.stdin.flush();
    }
    await sleep(500); // warm: every connection in its loop
    const before = cpuTicks(pid);
    for (const c of children) {
      c.stdin.write("go\n");
      c.stdin.flush();
    }
    const lines = await withTimeout(Promise.all(readers.map((r) => r())), durationMs + 30_000, "load generator");
    const after = cpuTicks(pid);
    progress(`  ${conns} timed phase done`);
    const results = lines.map((l) => JSON.parse(l ?? "null") as LoadResult | null);
    if (results.some((r) => r === null)) throw new Error("load generator exited without a result");
    const rs = results as LoadResult[];
    return {
      requests: rs.reduce((a, r) => a + r.requests, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      failed: rs.reduce((a, r) => a + r.failed, 0),
      rate: rs.reduce((a, r) => a + r.requests / (r.elapsedMs / 1000), 0),
      cpuTicks: after - before,
      loadCpuUs: rs.reduce((a, r) => a + r.cpuUs, 0),
    };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    progress(`  ${conns} load exited`);
  }
}

/** `count` sequential `LIST VAR` on one connection; the time of each in ms. */
async function listVarLatencies(port: number, count: number): Promise<number[]> {
  const sock = connect({ host: "127.0.0.1", port, noDelay: true });
  const end = `END LIST VAR ${UPS}\n`;
  let buf = "";
  let wake: (() => void) | undefined;
  sock.on("data", (d: Buffer) => {
    buf += d.toString("latin1");
    wake?.();
  });
  try {
    await withTimeout(new Promise<void>((resolve, reject) => sock.once("connect", resolve).once("error", reject)), 5000, "LIST VAR connect");
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      buf = "";
      const started = performance.now();
      sock.write(`LIST VAR ${UPS}\n`);
      await withTimeout(
        new Promise<void>((resolve) => {
          wake = () => {
            if (buf.endsWith(end)) resolve();
          };
        }),
        5000,
        "LIST VAR",
      );
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    sock.destroy();
  }
}

interface Server {
  label: "ours" | "theirs";
  sandbox: NutSandbox;
  pid: number;
}

async function startServer(label: "ours" | "theirs", nutBinary: string): Promise<Server> {
  const dev = readFileSync(DEV_FILE);
  const sandbox = await startNutSandbox({
    ups: [{ name: UPS }],
    files: { [`${UPS}.dev`]: dev },
    upsdConf: [`MAXCONN ${MAXCONN}`],
    upsdCommand: () => ["bash", "-c", RAISE_NOFILE, ...(label === "ours" ? [nutBinary, "upsd"] : ["/lib/nut/upsd"]), "-F", "-u", "root"],
    readyTimeoutMs: 20_000,
  });
  const pid = sandbox.pids.upsd;
  if (pid === undefined) throw new Error("no upsd PID");
  return { label, sandbox, pid };
}

/** Runs `f` on ours then theirs in even rounds, theirs then ours in odd ones. */
async function abba<T>(servers: readonly [Server, Server], round: number, f: (s: Server) => Promise<T>): Promise<Record<"ours" | "theirs", T>> {
  const order = round % 2 === 0 ? servers : ([servers[1], servers[0]] as const);
  const out: Partial<Record<"ours" | "theirs", T>> = {};
  for (const s of order) out[s.label] = await f(s);
  return out as Record<"ours" | "theirs", T>;
}

/**
 * The upsd rows. Environment: BENCH_UPSD_SECONDS (timed seconds per phase, default 2; each
 * side gets three phases per connection count, alternating), BENCH_UPSD_WORKERS (load processes, default 1),
 * BENCH_UPSD_HOLD (concurrent connections of the last test, default 10000), BENCH_UPSD_ONLY (one
 * connection count instead of 1, 16, 256 and 1000), BENCH_VERBOSE=1 (progress on stderr).
 */
export async function benchUpsd(nutBinary: string): Promise<BenchRow[]> {
  const only = process.env.BENCH_UPSD_ONLY;
  const phaseMs = Number(process.env.BENCH_UPSD_SECONDS ?? 2) * 1000;
  const workers = Number(process.env.BENCH_UPSD_WORKERS ?? 1);
  const hold = Number(process.env.BENCH_UPSD_HOLD ?? 10_000);
  const rounds = 3;
  const cpus = availableParallelism();
  const started: Server[] = [];
  try {
    started.push(await startServer("ours", nutBinary));
    started.push(await startServer("theirs", nutBinary));
    const servers = [started[0]!, started[1]!] as const;
    progress("servers started");
    await sleep(1000);
    const idleRss = { ours: rssKb(servers[0].pid), theirs: rssKb(servers[1].pid) };
    const rows: BenchRow[] = [];

    const cpuRows: BenchRow[] = [];
    for (const conns of only ? [Number(only)] : [1, 16, 256, 1000]) {
      const total: Record<"ours" | "theirs", Phase> = {
        ours: { requests: 0, errors: 0, failed: 0, rate: 0, cpuTicks: 0, loadCpuUs: 0 },
        theirs: { requests: 0, errors: 0, failed: 0, rate: 0, cpuTicks: 0, loadCpuUs: 0 },
      };
      const rates: Record<"ours" | "theirs", number[]> = { ours: [], theirs: [] };
      for (let round = 0; round < rounds; round++) {
        const r = await abba(servers, round, (s) => loadPhase(s.sandbox.port, s.pid, conns, workers, phaseMs));
        progress(`${conns} connections round ${round}: ours ${r.ours.rate.toFixed(0)} req/s, theirs ${r.theirs.rate.toFixed(0)} req/s`);
        for (const side of ["ours", "theirs"] as const) {
          const t = total[side];
          t.requests += r[side].requests;
          t.errors += r[side].errors;
          t.failed += r[side].failed;
          rates[side].push(r[side].rate);
          t.cpuTicks += r[side].cpuTicks;
          t.loadCpuUs += r[side].loadCpuUs;
        }
      }
      const issues = (["ours", "theirs"] as const)
        .filter((s) => total[s].failed + total[s].errors > 0)
        .map((s) => `${s}: ${total[s].failed} failed connections, ${total[s].errors} ERR`);
      // share of its CPUs the load generator used: near 100% means it, not upsd, set the pace
      const busy = (side: "ours" | "theirs"): number => (total[side].loadCpuUs / 1e6 / ((rounds * phaseMs) / 1000) / Math.min(workers, conns)) * 100;
      const loadBusy = (side: "ours" | "theirs"): string => `${busy(side).toFixed(0)}%`;
      const limited = (["ours", "theirs"] as const).filter((side) => busy(side) >= 90);
      if (limited.length) issues.push(`${limited.join(" and ")} limited by the load generator (a lower bound)`);
      rows.push({
        name: `upsd: GET VAR ups.status, ${conns} connection${conns > 1 ? "s" : ""}`,
        unit: "req/s",
        ours: median(rates.ours),
        theirs: median(rates.theirs),
        better: "higher",
        note: `closed loop, median of ${rounds} phases of ${phaseMs / 1000} s per side, alternating; load generator (${Math.min(workers, conns)} Bun process${Math.min(workers, conns) > 1 ? "es" : ""}, same ${cpus} CPUs) busy ${loadBusy("ours")}/${loadBusy("theirs")} of a CPU; ${issues.length ? issues.join("; ") : "0 failed connections"}`,
      });
      cpuRows.push({
        name: `upsd: CPU per GET VAR, ${conns} connection${conns > 1 ? "s" : ""}`,
        unit: "µs",
        ours: (total.ours.cpuTicks * 10_000) / Math.max(1, total.ours.requests),
        theirs: (total.theirs.cpuTicks * 10_000) / Math.max(1, total.theirs.requests),
        better: "lower",
        note: "upsd utime+stime from /proc over the timed phases / requests",
      });
    }
    rows.push(...cpuRows);

    progress("LIST VAR latency");
    const latency: Record<"ours" | "theirs", number[]> = { ours: [], theirs: [] };
    for (let round = 0; round < 4; round++) {
      const r = await abba(servers, round, (s) => listVarLatencies(s.sandbox.port, 25));
      latency.ours.push(...r.ours);
      latency.theirs.push(...r.theirs);
    }
    rows.push({
      name: `upsd: LIST VAR latency (p50)`,
      unit: "ms",
      ours: median(latency.ours),
      theirs: median(latency.theirs),
      better: "lower",
      note: `${latency.ours.length} sequential requests on one connection each, 94 variables`,
    });

    // last: the 10,000 connections may leave a server in a bad state
    const held: Partial<Record<"ours" | "theirs", HoldResult>> = {};
    for (const s of servers) {
      const child = spawnChild(["hold", String(s.sandbox.port), String(s.pid), String(hold)]);
      try {
        const line = await withTimeout(lineReader(child)(), 120_000, "hold");
        held[s.label] = JSON.parse(line ?? "null") as HoldResult;
        progress(`hold ${s.label}: ${line}`);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        await child.exited;
      }
      await sleep(500);
    }
    const h = held as Record<"ours" | "theirs", HoldResult>;
    const nofile = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${servers[0].pid}/limits`, "utf8"))?.[1] ?? "?";
    rows.push(
      { name: "upsd: RSS idle", unit: "MB", ours: idleRss.ours / 1024, theirs: idleRss.theirs / 1024, better: "lower", note: "VmRSS after start-up, one UPS of 94 variables" },
      { name: "upsd: RSS with 1,000 clients connected", unit: "MB", ours: h.ours.rss1000Kb / 1024, theirs: h.theirs.rss1000Kb / 1024, better: "lower", note: "after the load phases, 1,000 idle clients that each did one GET VAR" },
      {
        name: `upsd: RSS with ${hold.toLocaleString("en-US")} clients connected`,
        unit: "MB",
        ours: h.ours.rssAllKb / 1024,
        theirs: h.theirs.rssAllKb / 1024,
        better: "lower",
      },
      {
        name: `upsd: of ${hold.toLocaleString("en-US")} concurrent connections, served`,
        unit: "conns",
        ours: h.ours.served,
        theirs: h.theirs.served,
        better: "higher",
        note: `opened ${CONNECT_BATCH} at a time, each answered a GET VAR, then all ${hold} asked again at once; MAXCONN ${MAXCONN}, fd limit ${nofile}; connected/first answer: ours ${h.ours.connected}/${h.ours.firstAnswered}, theirs ${h.theirs.connected}/${h.theirs.firstAnswered}`,
      },
    );
    return rows;
  } finally {
    await Promise.all(started.map((s) => s.sandbox.stop()));
  }
}

if (import.meta.main) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === "load") await loadChild(Number(args[0]), Number(args[1]), Number(args[2]));
  else if (mode === "hold") await holdChild(Number(args[0]), Number(args[1]), Number(args[2]));
  else {
    const rows = await benchUpsd(join(import.meta.dir, "..", "..", "dist", "nut"));
    console.table(rows);
  }
}
