// nut-ts upsd facing hostile or clumsy clients, served by Debian's dummy-ups: overlong lines,
// binary garbage and invalid UTF-8 (replies compared byte for byte with Debian's upsd 2.8.0 for
// the same bytes), slow and half-closed clients, a client that never reads its replies, a
// connection flood past MAXCONN, and the `-u <user>` privilege drop. Every connection is bounded
// in time, every process is stopped by PID (the sandbox does it).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, readdirSync, statSync } from "node:fs";
import { type Socket, connect, createServer } from "node:net";
import { join } from "node:path";
import { DEBIAN_UPSD, type NutSandbox, type NutSandboxOptions, type SandboxPaths, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { prng } from "../harness/prng.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** 100 variables of ~150 chars each, so that LIST VAR fake answers ~20 kB. */
const BULK_VARS = Array.from({ length: 100 }, (_, i) => `ups.test.bulk${String(i).padStart(3, "0")}: ${"v".repeat(140)}${i}`);
const DEV = ["ups.status: OL", "battery.charge: 90", "ups.mfr: Fuzz Inc", ...BULK_VARS].join("\n") + "\n";
const MAXCONN = 20;

function options(upsdCommand: (paths: SandboxPaths) => string[]): NutSandboxOptions {
  return { ups: [{ name: "fake" }], files: { "fake.dev": DEV }, upsdConf: [`MAXCONN ${MAXCONN}`], upsdCommand, readyTimeoutMs: 20_000 };
}

const OURS = (): string[] => [NUT_BINARY, "upsd", "-F", "-u", "root"];

let ours: NutSandbox;
let theirs: NutSandbox;

beforeAll(async () => {
  [ours, theirs] = await Promise.all([startNutSandbox(options(OURS)), startNutSandbox(options(() => [DEBIAN_UPSD, "-F", "-u", "root"]))]);
}, 60_000);

afterAll(async () => {
  await Promise.all([ours?.stop(), theirs?.stop()]);
}, 30_000);

/** A raw TCP client that records everything it receives. */
class RawClient {
  received = "";
  closed = false;
  error: string | undefined;
  lastData = Date.now();
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (d: Buffer) => {
      this.received += d.toString("latin1");
      this.lastData = Date.now();
    });
    socket.on("close", () => (this.closed = true));
    socket.on("error", (err) => {
      this.error = err.message;
      this.closed = true;
    });
  }

  /** Connects to 127.0.0.1:`port`; rejects after `ms`. */
  static async open(port: number, ms = 5000): Promise<RawClient> {
    const socket = connect(port, "127.0.0.1");
    const client = new RawClient(socket);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error("connect timeout")), ms);
        socket.once("connect", () => resolve());
        socket.once("error", reject);
      });
    } catch (err) {
      socket.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  write(data: string | Uint8Array): void {
    if (!this.closed) this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Waits (bounded) until `check` holds for what was received; returns whether it did. */
  async until(check: (received: string) => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && !check(this.received)) {
      if (this.closed) return check(this.received);
      await sleep(10);
    }
    return check(this.received);
  }

  /** Sends a request and waits for `count` more reply lines; returns them. */
  async ask(request: string, ms = 3000, count = 1): Promise<string> {
    const start = this.received.length;
    this.write(request);
    await this.until((r) => (r.slice(start).match(/\n/g)?.length ?? 0) >= count, ms);
    return this.received.slice(start);
  }

  /** Waits until nothing arrived for 200 ms (at most 3 s). */
  async quiet(): Promise<void> {
    const deadline = Date.now() + 3000;
    await sleep(60);
    while (Date.now() < deadline && !this.closed && Date.now() - this.lastData < 200) await sleep(20);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Sends each piece in its own write, waiting for quiet after each; returns all replies (and `[open]`). */
async function exchange(port: number, pieces: readonly (string | Uint8Array)[], endAfter = false): Promise<string> {
  const client = await RawClient.open(port);
  try {
    for (const piece of pieces) {
      client.write(piece);
      await client.quiet();
    }
    if (endAfter) {
      client.socket.end();
      await client.until(() => false, 1500);
    }
    await client.quiet();
    return client.received + (client.closed ? "" : "[open]");
  } finally {
    client.destroy();
    await sleep(50);
  }
}

/** Masks our version text. */
const mask = (text: string): string => text.replace(/Network UPS Tools upsd [^ ]+ - /g, "Network UPS Tools upsd <VERSION> - ");

/** The same exchange against both servers: equal transcripts expected; returns Debian's. */
async function same(pieces: readonly (string | Uint8Array)[], endAfter = false): Promise<string> {
  const [expected, actual] = await Promise.all([exchange(theirs.port, pieces, endAfter), exchange(ours.port, pieces, endAfter)]);
  expect(mask(actual)).toBe(mask(expected));
  return expected;
}

/** VmRSS of a process in kB. */
function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

/** A fresh connection answers `GET VAR fake ups.status`. */
async function served(port: number): Promise<boolean> {
  const client = await RawClient.open(port);
  try {
    return (await client.ask("GET VAR fake ups.status\n")) === 'VAR fake ups.status "OL"\n';
  } finally {
    client.destroy();
  }
}

const bytes = (s: string): Uint8Array => Buffer.from(s, "latin1");

describe("upsd robustness: overlong lines", () => {
  test(
    "a 100 kB line without LF: other clients are served meanwhile, the line ends as one 512-char word (same as Debian)",
    async () => {
      const pid = ours.pids.upsd!;
      const before = rssKb(pid);
      const hog = await RawClient.open(ours.port);
      try {
        hog.write("x".repeat(100_000));
        await sleep(300);
        expect(hog.closed).toBe(false);
        expect(await served(ours.port)).toBe(true);
        expect(await hog.ask("\nVER\n", 3000, 2)).toMatch(/^ERR UNKNOWN-COMMAND\nNetwork UPS Tools upsd /);
      } finally {
        hog.destroy();
      }
      const after = rssKb(pid);
      console.log(`overlong line: upsd RSS ${before} kB -> ${after} kB`);
      expect(after).toBeLessThan(150 * 1024);
      // the same bytes against both servers: long word, too many words, long quoted word
      await same(["x".repeat(100_000), "\nVER\n"]);
      await same([`GET VAR fake ups.status${" w".repeat(50_000)}\n`, "VER\n"]);
      await same([`GET VAR "${"q".repeat(100_000)}" ups.status\n`, `GET VAR fake${" ".repeat(100_000)}ups.status\n`]);
    },
    60_000,
  );
});

describe("upsd robustness: binary garbage and invalid UTF-8 (replies equal Debian's)", () => {
  test(
    "fixed byte sequences",
    async () => {
      await same([
        "\xff\xfe\xfd\n",
        "VER \xc3\xa9\n",
        "\xc3\x28\xa0\xa1 VER\n",
        "GET VAR fake ups.st\x00atus\n",
        "\x00\x01\x02\x03\n",
        "GET VAR \xed\xa0\x80 ups.status\n",
        "GET VAR fa\xc0\xafke ups.status\n",
        "\x1b[2J\x1b[0m\n",
        "LIST\xa0VAR fake\n",
        "VER\r\n",
        "\x7f\x7f\n",
        'GET VAR fake "a#b"\nVER\n',
        "VER\n",
        "\xf8\x88\x80\x80\x80 \xef\xbf\xbd\n",
        "NETVER\n",
      ]);
    },
    60_000,
  );

  test(
    "seeded random garbage, in pieces of at most 512 bytes",
    async () => {
      const rand = prng(0x6e7574);
      for (let round = 0; round < 4; round++) {
        const pieces: Uint8Array[] = [];
        for (let p = 0; p < 6; p++) {
          const n = 1 + Math.floor(rand() * 511);
          pieces.push(
            Uint8Array.from({ length: n }, () => {
              const r = rand();
              // LFs often enough that lines complete, a few quotes and #, mostly any byte
              if (r < 0.06) return 0x0a;
              if (r < 0.07) return 0x22;
              if (r < 0.08) return 0x23;
              return Math.floor(rand() * 256);
            }),
          );
        }
        // close any quote left open, then prove the connection still works
        pieces.push(bytes('"\nVER\n'));
        const replies = await same(pieces);
        expect(replies).toMatch(/Network UPS Tools upsd|\[open\]/);
      }
    },
    90_000,
  );
});

describe("upsd robustness: slow and half-closed clients", () => {
  test(
    "one byte per 100 ms still gets its answer while others are served",
    async () => {
      const slow = await RawClient.open(ours.port);
      const other = await RawClient.open(ours.port);
      try {
        const request = "GET VAR fake ups.status\n";
        const sending = (async () => {
          for (const ch of request) {
            slow.write(ch);
            await sleep(100);
          }
        })();
        let worst = 0;
        let answered = 0;
        const start = Date.now();
        while (Date.now() - start < 2000) {
          const t = Date.now();
          const reply = await other.ask("VER\n");
          if (reply.startsWith("Network UPS Tools upsd ")) answered++;
          worst = Math.max(worst, Date.now() - t);
          await sleep(50);
        }
        await sending;
        expect(await slow.until((r) => r.includes("\n"), 3000)).toBe(true);
        expect(slow.received).toBe('VAR fake ups.status "OL"\n');
        console.log(`slow client: ${answered} VER answered to another client meanwhile, worst latency ${worst} ms`);
        expect(answered).toBeGreaterThan(10);
        expect(worst).toBeLessThan(500);
      } finally {
        slow.destroy();
        other.destroy();
      }
    },
    30_000,
  );

  test(
    "a partial line left hanging does not block anyone; a request then FIN is answered, then closed (same as Debian)",
    async () => {
      const hanging = await RawClient.open(ours.port);
      try {
        hanging.write("GET VAR fa");
        expect(await served(ours.port)).toBe(true);
      } finally {
        hanging.destroy();
      }
      await same(["VER\n", "GET VAR fake ups.status\n"], true);
      await same(["GET VAR fake ups.sta"], true);
    },
    30_000,
  );
});

describe("upsd robustness: a client that never reads", () => {
  test(
    "LIST VAR in a loop without reading: dropped once its backlog passes the bound, RSS stays low, others served",
    async () => {
      const pid = ours.pids.upsd!;
      const baseline = rssKb(pid);
      const hog = await RawClient.open(ours.port);
      const other = await RawClient.open(ours.port);
      let peak = baseline;
      let sent = 0;
      let otherAnswers = 0;
      let worst = 0;
      const start = Date.now();
      try {
        hog.socket.pause();
        const batch = "LIST VAR fake\n".repeat(20);
        while (!hog.closed && sent < 40_000 && Date.now() - start < 30_000) {
          hog.write(batch);
          sent += 20;
          await sleep(5);
          if (sent % 200 === 0) {
            peak = Math.max(peak, rssKb(pid));
            const t = Date.now();
            if ((await other.ask("VER\n", 3000)).startsWith("Network UPS Tools upsd ")) otherAnswers++;
            worst = Math.max(worst, Date.now() - t);
          }
        }
        const elapsed = Date.now() - start;
        peak = Math.max(peak, rssKb(pid));
        console.log(
          `never-reading client: dropped=${hog.closed} (${hog.error ?? "closed"}) after ${sent} requests in ${elapsed} ms; ` +
            `upsd RSS baseline ${baseline} kB, peak ${peak} kB; other client ${otherAnswers} answers, worst ${worst} ms`,
        );
        expect(hog.closed).toBe(true);
        expect(peak).toBeLessThan(150 * 1024);
        expect(otherAnswers).toBeGreaterThan(0);
        expect(await other.ask("GET VAR fake ups.status\n")).toBe('VAR fake ups.status "OL"\n');
        expect(await served(ours.port)).toBe(true);
        expect(ours.logs()).toContain("does not read its replies");
      } finally {
        hog.destroy();
        other.destroy();
      }
    },
    60_000,
  );

  test(
    "2 MB of pipelined LIST VAR in one write, never read: dropped, RSS stays low",
    async () => {
      const pid = ours.pids.upsd!;
      const baseline = rssKb(pid);
      const hog = await RawClient.open(ours.port);
      try {
        hog.socket.pause();
        hog.write("LIST VAR fake\n".repeat(150_000));
        let peak = baseline;
        const start = Date.now();
        while (!hog.closed && Date.now() - start < 20_000) {
          peak = Math.max(peak, rssKb(pid));
          await sleep(20);
        }
        peak = Math.max(peak, rssKb(pid));
        console.log(`one 2 MB write: dropped=${hog.closed} after ${Date.now() - start} ms; upsd RSS baseline ${baseline} kB, peak ${peak} kB`);
        expect(hog.closed).toBe(true);
        expect(peak).toBeLessThan(150 * 1024);
        expect(await served(ours.port)).toBe(true);
      } finally {
        hog.destroy();
      }
    },
    60_000,
  );
});

describe("upsd robustness: MAXCONN", () => {
  test(
    `100 connections with MAXCONN ${MAXCONN}: the excess is closed, those admitted are answered, new clients served after`,
    async () => {
      await sleep(300); // earlier tests' connections are gone
      const attempts = await Promise.allSettled(Array.from({ length: 100 }, () => RawClient.open(ours.port, 10_000)));
      const clients = attempts.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
      try {
        for (const c of clients) c.write("VER\n");
        const deadline = Date.now() + 10_000;
        // every connection settles: answered, or closed by upsd without a word
        while (Date.now() < deadline && clients.some((c) => !c.closed && !c.received.includes("\n"))) await sleep(50);
        const answered = clients.filter((c) => c.received.startsWith("Network UPS Tools upsd "));
        const refused = clients.filter((c) => c.closed && c.received === "");
        console.log(`MAXCONN flood: ${clients.length} connected, ${answered.length} answered, ${refused.length} closed unanswered, ${100 - clients.length} failed to connect`);
        expect(answered.length + refused.length + (100 - clients.length)).toBe(100);
        // one driver and one listener count too (NUT's MAXCONN counts every descriptor)
        expect(answered.length).toBeLessThanOrEqual(MAXCONN - 2);
        expect(answered.length).toBeGreaterThanOrEqual(MAXCONN - 4);
        // those admitted keep being served
        const second = await Promise.all(answered.map((c) => c.ask("GET VAR fake ups.status\n")));
        expect(second.every((r) => r === 'VAR fake ups.status "OL"\n')).toBe(true);
      } finally {
        for (const c of clients) c.destroy();
      }
      await sleep(300);
      expect(await served(ours.port)).toBe(true);
      const again = await Promise.all(Array.from({ length: MAXCONN - 4 }, () => RawClient.open(ours.port)));
      try {
        const replies = await Promise.all(again.map((c) => c.ask("VER\n")));
        expect(replies.every((r) => r.startsWith("Network UPS Tools upsd "))).toBe(true);
      } finally {
        for (const c of again) c.destroy();
      }
    },
    60_000,
  );
});

/** Lets `user` traverse and read the sandbox (driver sockets included), as a packaged /var/lib/nut would be. */
function openUp(paths: SandboxPaths): void {
  const walk = (dir: string): void => {
    chmodSync(dir, 0o755);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else chmodSync(path, st.isSocket() ? 0o666 : 0o644);
    }
  };
  walk(paths.root);
}

/** A free privileged port of 127.0.0.1 (only root can bind it). */
async function freeLowPort(): Promise<number> {
  for (let port = 700; port < 1000; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port below 1000");
}

function passwdEntry(user: string): { uid: number; gid: number } | undefined {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const f = line.split(":");
    if (f[0] === user) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

describe("upsd robustness: -u <user> privilege drop", () => {
  const isRoot = process.getuid?.() === 0;
  for (const user of ["nobody", "nut"]) {
    const entry = passwdEntry(user);
    test.skipIf(!isRoot || entry === undefined)(
      `started as root with -u ${user}: binds (a port < 1024 too) first, then runs as ${user} and serves`,
      async () => {
        const low = await freeLowPort();
        const opts = options((paths) => {
          openUp(paths);
          return [NUT_BINARY, "upsd", "-F", "-u", user];
        });
        const sandbox = await startNutSandbox({ ...opts, upsdConf: [...(opts.upsdConf ?? []), `LISTEN 127.0.0.1 ${low}`] });
        try {
          const pid = sandbox.pids.upsd!;
          const ps = Bun.spawnSync(["ps", "-o", "user=,pid=", "-p", String(pid)], { timeout: 5000 });
          const [psUser, psPid] = ps.stdout.toString().trim().split(/\s+/);
          expect(psPid).toBe(String(pid));
          // ps prints a numeric id when the name is longer than its column
          expect([user, String(entry!.uid)]).toContain(psUser!);
          const status = readFileSync(`/proc/${pid}/status`, "utf8");
          expect(/^Uid:\s+(.*)$/m.exec(status)![1]!.trim().split(/\s+/)).toEqual(Array(4).fill(String(entry!.uid)));
          expect(/^Gid:\s+(.*)$/m.exec(status)![1]!.trim().split(/\s+/)).toEqual(Array(4).fill(String(entry!.gid)));
          console.log(`-u ${user}: ps says "${ps.stdout.toString().trim()}", Uid ${entry!.uid}`);
          expect(await served(sandbox.port)).toBe(true);
          // only root can bind it: upsd bound its listeners before dropping privileges
          expect(await served(low)).toBe(true);
          const c = await RawClient.open(sandbox.port);
          try {
            expect(await c.ask("LIST VAR fake\n", 3000, 2 + 3 + BULK_VARS.length)).toContain('VAR fake ups.mfr "Fuzz Inc"\n');
          } finally {
            c.destroy();
          }
        } finally {
          await sandbox.stop();
        }
      },
      60_000,
    );
  }
});
