import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type Socket, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PATHS } from "../config/nut-paths.ts";
import { MemoryUpsSource } from "./memory-ups-source.ts";
import { MemoryNutLog } from "../system/nut-log.ts";
import { Upsd, UpsdFatalError, type UpsSourceSpec } from "./upsd.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Fixture {
  dir: string;
  upsd: Upsd;
  log: MemoryNutLog;
  sources: Map<string, MemoryUpsSource>;
  specs: UpsSourceSpec[];
  port: number;
  clock: { ms: number };
  write(file: string, text: string): void;
  [Symbol.asyncDispose](): Promise<void>;
}

async function start(files: Record<string, string>, env: Record<string, string> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "upsd-test-"));
  mkdirSync(join(dir, "state"));
  const write = (file: string, text: string): void => writeFileSync(join(dir, file), text, { mode: 0o640 });
  write("upsd.conf", "LISTEN 127.0.0.1 0\n");
  write("upsd.users", "[admin]\npassword = pw\nactions = FSD\nupsmon primary\n");
  for (const [f, t] of Object.entries(files)) write(f, t);
  const log = new MemoryNutLog();
  const sources = new Map<string, MemoryUpsSource>();
  const specs: UpsSourceSpec[] = [];
  const clock = { ms: Date.now() };
  const upsd = new Upsd({
    paths: { ...DEFAULT_PATHS, confPath: dir, statePath: join(dir, "state") },
    env,
    log,
    clock: () => clock.ms,
    sourceFactory: (spec) => {
      specs.push(spec);
      const source = new MemoryUpsSource(spec.name);
      source.tree.setInfo("ups.status", "OL");
      sources.set(spec.name, source);
      return source;
    },
  });
  const cleanup = async (): Promise<void> => {
    await upsd.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    upsd.loadUpsdConf();
    await upsd.listen();
    upsd.loadUpsConf();
    upsd.loadDescriptions();
    upsd.loadUsers();
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dir, upsd, log, sources, specs, port: upsd.listeners[0]!.port, clock, write, [Symbol.asyncDispose]: cleanup };
}

/** A connection whose replies accumulate in `text`. */
async function client(port: number): Promise<{ socket: Socket; text: () => string; closed: () => boolean; ask(line: string): Promise<string> }> {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  let closed = false;
  socket.on("data", (d) => (text += d.toString("latin1")));
  socket.on("close", () => (closed = true));
  socket.on("error", () => undefined);
  await new Promise((r) => socket.once("connect", r));
  return {
    socket,
    text: () => text,
    closed: () => closed,
    async ask(line: string) {
      const before = text.length;
      socket.write(line);
      for (let i = 0; i < 100 && (text.length === before || !text.endsWith("\n")); i++) await sleep(10);
      await sleep(20);
      return text.slice(before);
    },
  };
}

const UPS_CONF = '[a]\ndriver = dummy-ups\nport = a.dev\ndesc = "first"\n[b]\ndriver = dummy-ups\nport = b.dev\n';

describe("Upsd server", () => {
  test("missing upsd.conf and no UPS are fatal, as in 2.8.0", async () => {
    await expect(start({ "ups.conf": "" })).rejects.toThrow(new UpsdFatalError("Fatal error: at least one UPS must be defined in ups.conf"));
    await using f = await start({ "ups.conf": "" }, { ALLOW_NO_DEVICE: "yes" });
    expect(f.upsd.upsList().length).toBe(0);
    const upsd = new Upsd({ paths: { ...DEFAULT_PATHS, confPath: "/nonexistent" }, env: {}, log: new MemoryNutLog(), sourceFactory: () => new MemoryUpsSource("x") });
    expect(() => upsd.loadUpsdConf()).toThrow("stat /nonexistent/upsd.conf: No such file or directory");
  });

  test("serves over TCP; sources are made per section with <driver>-<ups>", async () => {
    await using f = await start({ "ups.conf": UPS_CONF, "upsd.conf": "LISTEN 127.0.0.1 0\nMAXAGE 25\nBOGUS 1\n" });
    expect(f.specs.map((s) => [s.name, s.socketName, s.settings.maxAge])).toEqual([
      ["a", "dummy-ups-a", 25],
      ["b", "dummy-ups-b", 25],
    ]);
    expect(f.log.lines).toContain("upsd.conf: invalid directive BOGUS 1");
    const c = await client(f.port);
    expect(await c.ask("LIST UPS\n")).toBe('BEGIN LIST UPS\nUPS a "first"\nUPS b "Description unavailable"\nEND LIST UPS\n');
    expect(await c.ask("GET VAR b ups.status\nVER x\n")).toBe('VAR b ups.status "OL"\nERR INVALID-ARGUMENT\n');
    c.socket.destroy();
  });

  test("reload: new UPSes first, desc updated, FSD kept, removed UPS kicks its clients, redefined driver reconnects", async () => {
    await using f = await start({ "ups.conf": UPS_CONF });
    const admin = await client(f.port);
    expect(await admin.ask("USERNAME admin\nPASSWORD pw\nLOGIN b\nFSD a\n")).toBe("OK\nOK\nOK\nOK FSD-SET\n");
    const watcher = await client(f.port);
    const oldA = f.sources.get("a")!;
    f.write("ups.conf", '[c]\ndriver = dummy-ups\nport = c.dev\n[A]\ndriver = other\nport = a.dev\ndesc = "renamed"\n[d]\ndriver = dummy-ups\nport = d.dev\n');
    f.upsd.reload();
    await sleep(50);
    expect(admin.closed()).toBe(true);
    expect(f.log.lines).toContain("Deleting UPS [b]");
    expect(f.log.lines).toContain("Redefined UPS [a]");
    expect(oldA.closed).toBe(true);
    expect(await watcher.ask("LIST UPS\n")).toBe('BEGIN LIST UPS\nUPS c "Description unavailable"\nUPS d "Description unavailable"\nUPS a "renamed"\nEND LIST UPS\n');
    expect(await watcher.ask("GET VAR a ups.status\n")).toBe('VAR a ups.status "FSD OL"\n');
    expect(f.specs.map((s) => s.socketName)).toContain("other-A");
    watcher.socket.destroy();
  });

  test("idle clients are shed after 60 s without a complete line; LOGOUT closes at once", async () => {
    await using f = await start({ "ups.conf": UPS_CONF });
    const idle = await client(f.port);
    const busy = await client(f.port);
    f.clock.ms += 30_000;
    await busy.ask("VER\n");
    f.clock.ms += 31_000;
    f.upsd.tick();
    await sleep(50);
    expect(idle.closed()).toBe(true);
    expect(busy.closed()).toBe(false);
    expect(await busy.ask("LOGOUT\n")).toBe("OK Goodbye\n");
    await sleep(50);
    expect(busy.closed()).toBe(true);
  });

  test("NUMLOGINS drops when a logged-in client goes away", async () => {
    await using f = await start({ "ups.conf": UPS_CONF });
    const a = await client(f.port);
    await a.ask("USERNAME admin\nPASSWORD pw\nLOGIN a\n");
    const b = await client(f.port);
    expect(await b.ask("GET NUMLOGINS a\nLIST CLIENT a\n")).toBe("NUMLOGINS a 1\nBEGIN LIST CLIENT a\nCLIENT a 127.0.0.1\nEND LIST CLIENT a\n");
    a.socket.destroy();
    await sleep(100);
    expect(await b.ask("GET NUMLOGINS a\n")).toBe("NUMLOGINS a 0\n");
    b.socket.destroy();
  });

  test("MAXCONN counts UPSes, listeners and clients", async () => {
    await using f = await start({ "ups.conf": UPS_CONF, "upsd.conf": "LISTEN 127.0.0.1 0\nMAXCONN 4\n" });
    const first = await client(f.port);
    const second = await client(f.port);
    await sleep(100);
    expect(second.closed()).toBe(true);
    expect(await first.ask("VER\n")).toContain("Network UPS Tools upsd");
    first.socket.destroy();
  });

  test("a client that never reads is dropped instead of growing memory", async () => {
    await using f = await start({ "ups.conf": UPS_CONF });
    const tree = f.sources.get("a")!.tree;
    for (let i = 0; i < 500; i++) tree.setInfo(`var.${i}`, "x".repeat(200));
    const c = await client(f.port);
    c.socket.pause();
    const request = Buffer.from("LIST VAR a\n".repeat(200));
    for (let i = 0; i < 100 && !c.closed(); i++) {
      c.socket.write(request);
      await sleep(20);
    }
    expect(f.log.lines.some((l) => l.includes("does not read its replies"))).toBe(true);
    c.socket.destroy();
  });
});
