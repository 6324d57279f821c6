import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalTimeZone } from "../system/local-time.ts";
import type { NutClient } from "./nut-client.ts";
import { compileUpslogFormat } from "./upslog-format.ts";
import { UpslogLogFile } from "./upslog-log-file.ts";
import { type UpslogMonitorOptions, type UpslogSystem, UpslogMonitor } from "./upslog-monitor.ts";

/** A stand-in for a connection: answers GET VAR from `vars`, or fails like a lost server. */
class FakeClient {
  closed = false;
  gets = 0;
  constructor(
    readonly vars: Record<string, string>,
    readonly dieAfter = Number.POSITIVE_INFINITY,
  ) {}
  async get(query: readonly string[]): Promise<string[]> {
    if (this.closed) throw new Error("Driver not connected");
    if (++this.gets > this.dieAfter) {
      this.closed = true;
      throw new Error("Server disconnected");
    }
    const value = this.vars[query[2]!];
    if (value === undefined) throw new Error("Variable not supported by UPS");
    return [...query, value];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function setUp(format: string, interval: number, extra: Partial<UpslogMonitorOptions> = {}) {
  dir = mkdtempSync(join(tmpdir(), "upslog-monitor-"));
  const path = join(dir, "ups.log");
  const stdout: string[] = [];
  const file = new UpslogLogFile(path, (b) => stdout.push(new TextDecoder().decode(b)));
  file.open();
  const system: UpslogSystem = { spec: "ups@host:1234", upsname: "ups", host: "host", port: 1234, logFile: file };
  const log: string[] = [];
  const connects: string[] = [];
  const options: UpslogMonitorOptions = {
    systems: [system],
    format: compileUpslogFormat(format),
    interval,
    pid: 77,
    timeZone: LocalTimeZone.utc(),
    hostname: () => "box",
    log: (m) => log.push(m),
    connect: async (s) => {
      connects.push(s.spec);
      return new FakeClient({ "ups.status": "OL" }) as unknown as NutClient;
    },
    ...extra,
  };
  return { monitor: new UpslogMonitor(options), system, path, log, connects, stdout };
}

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "") : []);

describe("upslog's loop", () => {
  test("connects when there is no connection, logs a line, NA for what fails", async () => {
    const { monitor, path, connects } = setUp("%VAR ups.status% %VAR no.such% %UPSHOST% %PID% %HOST%", 1);
    await monitor.pollOnce();
    expect(connects).toEqual(["ups@host:1234"]);
    expect(lines(path)).toEqual(["OL NA ups@host:1234 77 box"]);
    await monitor.close();
  });

  test("a connection lost in the middle of a line: NA for the rest, reconnected at the next poll", async () => {
    const { monitor, system, path, connects } = setUp("%VAR a.b% %VAR a.b% %VAR a.b%", 1);
    system.client = new FakeClient({ "a.b": "1" }, 1) as unknown as NutClient;
    await monitor.pollOnce();
    await monitor.pollOnce();
    expect(lines(path)).toEqual(["1 NA NA", "NA NA NA"]);
    expect(connects).toEqual(["ups@host:1234"]);
  });

  test("a failing reconnect is silent and every variable reads NA", async () => {
    const { monitor, path } = setUp("[%VAR ups.status%]", 1, {
      connect: async () => {
        throw new Error("Connection failure: Connection refused");
      },
    });
    await monitor.pollOnce();
    expect(lines(path)).toEqual(["[NA]"]);
  });

  test("with an interval above 30 s the connection is closed after each poll", async () => {
    const { monitor, system, connects } = setUp("%VAR ups.status%", 31);
    await monitor.pollOnce();
    expect(system.client).toBeUndefined();
    await monitor.pollOnce();
    expect(connects.length).toBe(2);
  });

  test("first line at once; USR1 logs now; TERM logs once more and ends; HUP reopens (the file moved away is followed by a new one)", async () => {
    const { monitor, path, log } = setUp("%VAR ups.status%", 30);
    const started = Date.now();
    const running = monitor.run();
    const waitLines = async (file: string, n: number) => {
      for (let i = 0; i < 100 && lines(file).length < n; i++) await Bun.sleep(10);
    };
    await waitLines(path, 1);
    monitor.wake();
    await waitLines(path, 2);
    renameSync(path, `${path}.1`);
    monitor.requestReopen(1);
    await waitLines(path, 1);
    monitor.requestExit(15);
    expect(await running).toBe(15);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(lines(`${path}.1`)).toEqual(["OL", "OL"]);
    expect(lines(path)).toEqual(["OL", "OL"]);
    expect(log).toEqual(["Signal 1: reopening log file", "Signal 15: exiting"]);
    await monitor.close();
  });

  test("a signal that comes while not sleeping does not cut the next sleep short", async () => {
    let monitor: UpslogMonitor | undefined;
    const set = setUp("%VAR ups.status%", 1, {
      now: () => 0,
      connect: async () => {
        const client = new FakeClient({ "ups.status": "OL" });
        const get = client.get.bind(client);
        // USR1 while the line is being read (NUT: the flag is set, the coming sleep() runs whole)
        client.get = async (q) => {
          monitor?.wake();
          return get(q);
        };
        return client as unknown as NutClient;
      },
    });
    monitor = set.monitor;
    const running = monitor.run();
    for (let i = 0; i < 100 && lines(set.path).length < 1; i++) await Bun.sleep(5);
    await Bun.sleep(400);
    expect(lines(set.path).length).toBe(1);
    monitor.requestExit(2);
    expect(await running).toBe(2);
    expect(lines(set.path)).toEqual(["OL", "OL"]);
  });

  test("logging to stdout: SIGHUP only says so", async () => {
    dir = mkdtempSync(join(tmpdir(), "upslog-monitor-"));
    const out: string[] = [];
    const file = new UpslogLogFile("-", (b) => out.push(new TextDecoder().decode(b)));
    const log: string[] = [];
    const monitor = new UpslogMonitor({
      systems: [{ spec: "u", upsname: "u", host: "h", port: 1, logFile: file }],
      format: compileUpslogFormat("x"),
      interval: 30,
      pid: 1,
      timeZone: LocalTimeZone.utc(),
      hostname: () => "h",
      log: (m) => log.push(m),
      connect: async () => {
        throw new Error("refused");
      },
    });
    const running = monitor.run();
    for (let i = 0; i < 100 && out.length < 1; i++) await Bun.sleep(5);
    monitor.requestReopen(1);
    for (let i = 0; i < 100 && out.length < 2; i++) await Bun.sleep(5);
    monitor.requestExit(3);
    await running;
    expect(out).toEqual(["x\n", "x\n", "x\n"]);
    expect(log).toEqual(["Signal 1: reopening log file", "logging to stdout", "Signal 3: exiting"]);
  });

  test("a log file that cannot be reopened ends the loop with NUT's message", async () => {
    const { monitor, path } = setUp("x", 30);
    const running = monitor.run();
    for (let i = 0; i < 100 && lines(path).length < 1; i++) await Bun.sleep(5);
    rmSync(dir!, { recursive: true, force: true });
    monitor.requestReopen(1);
    await expect(running).rejects.toThrow(`could not reopen logfile ${path}: No such file or directory`);
  });
});
