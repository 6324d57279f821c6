// The timer daemon and the client side of PIPEFN, in process: a real unix socket in a temp dir,
// CMDSCRIPT runs recorded instead of executed (the e2e tests run real scripts).
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { type Server, createConnection, createServer } from "node:net";
import { join } from "node:path";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { eventually } from "../../test/harness/eventually.ts";
import { MemoryNutLog } from "../system/nut-log.ts";
import { UpsschedClientFatal, type UpsschedClientOptions, listUpsschedTimers, sendUpsschedRequest } from "./upssched-client.ts";
import { UpsschedDaemon } from "./upssched-daemon.ts";

interface ScriptRun {
  arg: string;
  env: Record<string, string>;
}

/** When each recorded CMDSCRIPT run ended (performance.now()). */
const runTimes = new WeakMap<ScriptRun, number>();

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(idleExitMs = 5_000, scriptMs = 0) {
  const dir = tempDir("upssched-");
  const runs: ScriptRun[] = [];
  const log = new MemoryNutLog();
  const paths = { pipeFn: join(dir.path, "pipe"), lockFn: join(dir.path, "lock") };
  const daemons: UpsschedDaemon[] = [];
  const newDaemon = () => {
    const d = new UpsschedDaemon({
      ...paths,
      cmdScript: "/bin/false",
      env: { PATH: "/bin", UPSNAME: "spawner", NOTIFYTYPE: "SPAWNER", KEEP: "yes" },
      log,
      idleExitMs,
      runScript: async (arg, env) => {
        if (scriptMs > 0) await Bun.sleep(scriptMs);
        const run = { arg, env };
        runTimes.set(run, performance.now());
        runs.push(run);
      },
    });
    daemons.push(d);
    return d;
  };
  cleanups.push(() => {
    for (const d of daemons) d.stop();
    dir[Symbol.dispose]();
  });
  return { dir: dir.path, runs, log, paths, newDaemon, daemons };
}

/** Sends raw bytes on a fresh connection and returns what came back until `done` or close. */
function talk(path: string, bytes: string, done: (answer: string) => boolean = (a) => a.endsWith("\n")): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, 3000);
    socket.on("connect", () => socket.write(bytes));
    socket.on("data", (d: Buffer) => {
      answer += d.toString("latin1");
      if (done(answer)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe("UpsschedDaemon", () => {
  test("PIPEFN is a 0660 socket, LOCKFN is removed once it listens", async () => {
    const { paths, newDaemon } = setup();
    writeFileSync(paths.lockFn, "");
    writeFileSync(paths.pipeFn, "stale");
    await newDaemon().listen();
    const st = statSync(paths.pipeFn);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o660);
    expect(existsSync(paths.lockFn)).toBe(false);
  });

  test("answers OK to 2.8.0 and 2.8.5 requests, ERR UNKNOWN to others", async () => {
    const { paths, newDaemon, log } = setup();
    const daemon = newDaemon();
    await daemon.listen();
    expect(await talk(paths.pipeFn, 'START "a" "30"\n')).toBe("OK\n");
    expect(await talk(paths.pipeFn, 'START "b" "30" "ONBATT" "u@h" "msg"\n')).toBe("OK\n");
    expect(await talk(paths.pipeFn, 'START-SHARED "b" "30" "ONBATT" "v@h" ""\n')).toBe("OK\n");
    expect(await talk(paths.pipeFn, 'START "x"\n')).toBe("ERR UNKNOWN\n");
    expect(await talk(paths.pipeFn, "HELLO there\n")).toBe("ERR UNKNOWN\n");
    expect(log.lines).toContain("Unknown command on socket: ");
    expect(log.lines).toContain("arg 0: HELLO");
    // negative offsets are refused but answered OK, as NUT does
    expect(await talk(paths.pipeFn, 'START "neg" "-5"\n')).toBe("OK\n");
    expect(log.lines).toContain("bogus offset for timer, ignoring");
    expect(daemon.table.timers.map((t) => [t.name, t.upsNames])).toEqual([
      ["a", []],
      ["b", ["u@h", "v@h"]],
    ]);
    // several requests on one connection, split anywhere
    const two = await talk(paths.pipeFn, 'CANCEL "a"\nCANCEL "b" "" "ONLINE" "u@h" ""\n', (a) => a.split("\n").length > 2);
    expect(two).toBe("OK\nOK\n");
    expect(daemon.table.size).toBe(0);
  });

  test("LIST-TIMERS lists the queue", async () => {
    const { paths, newDaemon } = setup();
    await newDaemon().listen();
    await talk(paths.pipeFn, 'START "t1" "100" "ONBATT" "u@h" "UPS u@h on battery"\n');
    await talk(paths.pipeFn, 'START "t2" "200"\n');
    const answer = await talk(paths.pipeFn, "LIST-TIMERS\n", (a) => a.endsWith("OK\n"));
    const now = Math.floor(Date.now() / 1000);
    const lines = answer.split("\n");
    expect(lines[0]).toBe("BEGIN LIST TIMERS");
    expect(lines[1]).toMatch(/^t1\t\d+\t(99|100)\tONBATT\tu@h\tUPS u@h on battery$/);
    expect(Math.abs(Number(lines[1]!.split("\t")[1]) - (now + 100))).toBeLessThanOrEqual(1);
    expect(lines[2]).toMatch(/^t2\t\d+\t(199|200)\t""\t""\t""$/);
    expect(lines.slice(3)).toEqual(["END LIST TIMERS", "OK", ""]);
  });

  test("expired timers run CMDSCRIPT <name> with the events that started them", async () => {
    const { paths, newDaemon, runs } = setup();
    const daemon = newDaemon();
    await daemon.listen();
    const started = performance.now();
    await talk(paths.pipeFn, 'START "later" "1" "ONBATT" "a@h" "m1"\n');
    await talk(paths.pipeFn, 'START-SHARED "now" "0" "ONBATT" "a@h" "m1"\n');
    await talk(paths.pipeFn, 'START "old" "0"\n');
    expect(await eventually(() => runs.length === 2, 2000)).toBe(true);
    expect(runs.map((r) => r.arg)).toEqual(["now", "old"]);
    expect(await eventually(() => runs.length === 3, 3000)).toBe(true);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(2000);
    expect(runs[2]!.arg).toBe("later");
    // the spawner's event never reaches CMDSCRIPT; the timer's does
    expect(runs[0]!.env).toEqual({ PATH: "/bin", KEEP: "yes", UPSNAME: "a@h", NOTIFYTYPE: "ONBATT", NOTIFYMSG: "m1" });
    expect(runs[1]!.env).toEqual({ PATH: "/bin", KEEP: "yes" });
    expect(daemon.table.size).toBe(0);
  });

  test("CANCEL removes the timer; with a command and no timer the command runs", async () => {
    const { paths, newDaemon, runs } = setup();
    const daemon = newDaemon();
    await daemon.listen();
    await talk(paths.pipeFn, 'START "t" "1"\n');
    await talk(paths.pipeFn, 'CANCEL "t" "gone" "ONLINE" "u@h" "back"\n');
    expect(daemon.table.size).toBe(0);
    await talk(paths.pipeFn, 'CANCEL "t" "gone" "ONLINE" "u@h" "back"\n');
    await talk(paths.pipeFn, 'CANCEL "t" ""\n');
    await talk(paths.pipeFn, 'CANCEL "t"\n');
    expect(await eventually(() => runs.length === 1, 2000)).toBe(true);
    await Bun.sleep(1200);
    expect(runs).toEqual([{ arg: "gone", env: { PATH: "/bin", KEEP: "yes", UPSNAME: "u@h", NOTIFYTYPE: "ONLINE", NOTIFYMSG: "back" } }]);
  });

  test("a CANCEL that runs its command is answered once the command has finished", async () => {
    const { paths, newDaemon, runs } = setup(5_000, 300);
    await newDaemon().listen();
    const t0 = performance.now();
    // pipelined: the second answer still comes second
    const answer = await talk(paths.pipeFn, 'CANCEL "t" "cmd"\nLIST-TIMERS\n', (a) => a.endsWith("OK\nBEGIN LIST TIMERS\nEND LIST TIMERS\nOK\n"));
    expect(answer).toBe("OK\nBEGIN LIST TIMERS\nEND LIST TIMERS\nOK\n");
    expect(runs.map((r) => r.arg)).toEqual(["cmd"]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  test("closed client connections are dropped", async () => {
    const { paths, newDaemon } = setup();
    const daemon = newDaemon();
    await daemon.listen();
    for (let i = 0; i < 20; i++) await talk(paths.pipeFn, 'START "t" "60"\n');
    // a connection that sends half a line and goes away
    await new Promise<void>((resolve) => {
      const s = createConnection({ path: paths.pipeFn }, () => s.end('START "x'));
      s.on("close", () => resolve());
    });
    expect(await eventually(() => daemon.connectionCount === 0, 2000)).toBe(true);
    expect(daemon.table.size).toBe(20);
  });

  test("leaves after the idle time without timers and removes PIPEFN", async () => {
    const { paths, newDaemon, runs } = setup(400);
    const daemon = newDaemon();
    await daemon.listen();
    let stopped = false;
    void daemon.stopped.then(() => (stopped = true));
    await talk(paths.pipeFn, 'START "t" "0"\n');
    expect(await eventually(() => runs.length === 1, 2000)).toBe(true);
    expect(await eventually(() => stopped, 3000)).toBe(true);
    expect(performance.now() - runTimes.get(runs[0]!)!).toBeGreaterThanOrEqual(390);
    expect(existsSync(paths.pipeFn)).toBe(false);
  });
});

describe("sendUpsschedRequest() / listUpsschedTimers()", () => {
  const origin = { notifyType: "ONBATT", upsName: "u@h", notifyMsg: "m" };

  function client(s: ReturnType<typeof setup>, spawned: { count: number }): UpsschedClientOptions {
    return {
      ...s.paths,
      log: s.log,
      spawnDaemon: () => {
        spawned.count++;
        const d = s.newDaemon();
        void d.listen();
        return { exited: d.stopped };
      },
    };
  }

  test("starts the daemon once, then talks to it", async () => {
    const s = setup();
    const spawned = { count: 0 };
    await sendUpsschedRequest(client(s, spawned), "START", "t", "60", origin);
    await sendUpsschedRequest(client(s, spawned), "START-SHARED", "t", "60", { ...origin, upsName: "v@h" });
    expect(spawned.count).toBe(1);
    expect(s.daemons[0]!.table.timers.map((t) => t.upsNames)).toEqual([["u@h", "v@h"]]);
    expect(await listUpsschedTimers({ ...s.paths, log: s.log }, origin)).toMatch(/^t\t\d+\t(59|60)\tONBATT\tu@h,v@h\tm\n$/);
    await sendUpsschedRequest(client(s, spawned), "CANCEL", "t", undefined, origin);
    expect(s.daemons[0]!.table.size).toBe(0);
  });

  test("a CANCEL without a command never starts a daemon; with one it does", async () => {
    const s = setup();
    const spawned = { count: 0 };
    await sendUpsschedRequest(client(s, spawned), "CANCEL", "t", undefined, origin);
    await sendUpsschedRequest(client(s, spawned), "CANCEL", "t", "", origin);
    expect(spawned.count).toBe(0);
    await sendUpsschedRequest(client(s, spawned), "CANCEL", "t", "cmd", origin);
    expect(spawned.count).toBe(1);
    expect(await eventually(() => s.runs.length === 1, 2000)).toBe(true);
    expect(s.runs[0]!.arg).toBe("cmd");
  });

  test("a stale LOCKFN is removed and the daemon started", async () => {
    const s = setup();
    writeFileSync(s.paths.lockFn, "");
    const spawned = { count: 0 };
    const t0 = performance.now();
    await sendUpsschedRequest(client(s, spawned), "START", "t", "60", origin);
    expect(spawned.count).toBe(1);
    // one 250 ms pause for the lock
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    expect(existsSync(s.paths.lockFn)).toBe(false);
  });

  test("30 refused attempts end in NUT's fatal error", async () => {
    const s = setup();
    let requests = 0;
    const server: Server = createServer((socket) => {
      socket.on("data", () => {
        requests++;
        socket.write("ERR UNKNOWN\n");
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(s.paths.pipeFn, resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const spawned = { count: 0 };
    const error = await sendUpsschedRequest(client(s, spawned), "START", "t", "60", origin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsschedClientFatal);
    expect((error as Error).message).toBe("Unable to connect to daemon and unable to start daemon");
    expect(requests).toBe(30);
    expect(s.log.lines.filter((l) => l === "read confirmation got [ERR UNKNOWN\n]").length).toBe(30);
  });

  test("-l without a daemon: upssched timer is not running", async () => {
    const s = setup();
    const error = await listUpsschedTimers({ ...s.paths, log: s.log }, origin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsschedClientFatal);
    expect((error as Error).message).toBe("upssched timer is not running");
  });
});
