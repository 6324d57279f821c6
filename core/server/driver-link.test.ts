// DriverLink (upsd's server/sstate.c) against a scripted fake driver (a node:net unix server driven
// line by line, with an injected clock so staleness and PING are exact to the second), against
// Debian's upsd as the oracle for the SET/INSTCMD lines, and against real drivers: Debian's
// /lib/nut/dummy-ups and our dist/nut dummy-ups.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { type Server, type Socket, connect, createServer } from "node:net";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { dumpAll } from "../protocol/sock-protocol.ts";
import { ST_FLAG_NUMBER, ST_FLAG_RW, ST_FLAG_STRING, StateTree } from "../state/state-tree.ts";
import { DEBIAN_DUMMY_UPS, DEBIAN_UPSD, freePort } from "../../test/harness/debian-nut.ts";
import { NUT_BINARY } from "../../test/harness/nut-binary.ts";
import { tempDir } from "../../test/harness/temp-dir.ts";
import { DriverLink, createDriverLinks } from "./driver-link.ts";
import type { DriverLinkLogLevel, DriverLinkOptions } from "./driver-link.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 2 ms, failing after `ms`. */
async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(2);
  }
}

/** A driver socket whose every line the test writes itself; records what the link sends. */
class FakeDriver {
  readonly path: string;
  readonly #server: Server;
  readonly connections: Socket[] = [];
  readonly #received = new Map<Socket, string>();
  /** Optional automatic replies (e.g. a dump on DUMPALL). */
  onLine: ((line: string, conn: Socket) => void) | undefined;

  private constructor(path: string, server: Server) {
    this.path = path;
    this.#server = server;
    server.on("connection", (conn) => {
      this.connections.push(conn);
      this.#received.set(conn, "");
      let pending = "";
      conn.on("data", (d: Buffer) => {
        this.#received.set(conn, this.#received.get(conn)! + d.toString("latin1"));
        pending += d.toString("latin1");
        let nl: number;
        while ((nl = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          this.onLine?.(line, conn);
        }
      });
      conn.on("error", () => {});
    });
  }

  static async start(path: string): Promise<FakeDriver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    return new FakeDriver(path, server);
  }

  /** The newest connection. */
  get conn(): Socket {
    const c = this.connections.at(-1);
    if (c === undefined) throw new Error("no connection");
    return c;
  }

  /** Complete lines the newest connection received. */
  lines(conn: Socket = this.conn): string[] {
    const text = this.#received.get(conn) ?? "";
    return text.split("\n").slice(0, -1);
  }

  /** Raw bytes the newest connection received. */
  raw(conn: Socket = this.conn): string {
    return this.#received.get(conn) ?? "";
  }

  async write(text: string, conn: Socket = this.conn): Promise<void> {
    await new Promise<void>((resolve, reject) => conn.write(Buffer.from(text, "latin1"), (err) => (err ? reject(err) : resolve())));
  }

  /** Stops listening, drops every connection and removes the socket file. */
  async stop(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}

const BASE_MS = 1_700_000_000_050; // x.05 s, as in driver-socket.md §6's observation
const S = Math.floor(BASE_MS / 1000);

interface Harness {
  dir: string;
  path: string;
  drv: FakeDriver;
  link: DriverLink;
  logs: [DriverLinkLogLevel, string][];
  clock: { ms: number };
  /** Log messages only. */
  messages(): string[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(options: Partial<Omit<DriverLinkOptions, "log" | "now">> = {}): Promise<Harness> {
  const dir = tempDir("driver-link-");
  cleanups.push(() => dir[Symbol.dispose]());
  const path = join(dir.path, "dummy-ups-t");
  const drv = await FakeDriver.start(path);
  cleanups.push(() => drv.stop());
  const clock = { ms: BASE_MS };
  const logs: [DriverLinkLogLevel, string][] = [];
  const link = new DriverLink({ name: "t", socketPath: path, ...options, log: (l, m) => logs.push([l, m]), now: () => clock.ms });
  cleanups.push(() => link.close());
  return { dir: dir.path, path, drv, link, logs, clock, messages: () => logs.map(([, m]) => m) };
}

/** refresh() at the harness clock, then waits until both ends see the connection and DUMPALL arrived. */
async function connectLink(h: Harness): Promise<Socket> {
  const before = h.drv.connections.length;
  h.link.refresh(h.clock.ms);
  await waitFor(() => h.link.connected && h.drv.connections.length > before, "connection");
  const conn = h.drv.conn;
  await waitFor(() => h.drv.raw(conn) === "DUMPALL\n", "DUMPALL");
  return conn;
}

/** Whole-second clock value `sec` seconds after S, plus `ms`. */
function at(sec: number, ms = 0): number {
  return (S + sec) * 1000 + ms;
}

/** Sends a marker INSTCMD and waits for it: everything the link wrote before is then visible. */
async function sync(h: Harness, tag: string): Promise<string[]> {
  expect(h.link.instCmd(`marker.${tag}`)).toBe(true);
  await waitFor(() => h.drv.lines().includes(`INSTCMD marker.${tag}`), `marker ${tag}`);
  return h.drv.lines().filter((l) => !l.startsWith("INSTCMD marker."));
}

const pingCount = (h: Harness): number => h.drv.lines().filter((l) => l === "PING").length;

const OK_DUMP = 'SETINFO ups.status "OL"\nDATAOK\nDUMPDONE\n';

function sampleTree(): StateTree {
  const t = new StateTree();
  t.setInfo("ups.status", "OL CHRG");
  t.setInfo("ups.mfr", 'Acme "P" \\ #1');
  t.setFlagBits("ups.mfr", ST_FLAG_RW | ST_FLAG_STRING);
  t.setAux("ups.mfr", 32);
  t.setInfo("input.transfer.low", "170");
  t.setFlagBits("input.transfer.low", ST_FLAG_RW | ST_FLAG_NUMBER);
  t.addEnum("input.transfer.low", "160");
  t.addEnum("input.transfer.low", "17#0");
  t.addRange("input.transfer.low", 100, 200);
  t.setInfo("battery.charge", "100");
  t.addCmd("load.off");
  t.addCmd("beeper.enable");
  return t;
}

describe("DriverLink against a fake driver", () => {
  test("starts stale and disconnected; connecting sends DUMPALL and shows WAIT", async () => {
    const h = await harness();
    expect(h.link.connected).toBe(false);
    expect(h.link.stale).toBe(true);
    expect(h.link.tree.size).toBe(0);
    await connectLink(h);
    expect(h.drv.raw()).toBe("DUMPALL\n");
    expect(h.link.stale).toBe(false);
    expect(h.link.dumpDone).toBe(false);
    expect(h.link.tree.variables().map((v) => [v.name, v.value])).toEqual([["ups.status", "WAIT"]]);
    expect(h.logs).toEqual([["info", "Connected to UPS [t]: dummy-ups-t"]]);
  });

  test("a dump split at every byte position gives the same tree", async () => {
    const h = await harness();
    const expected = sampleTree();
    const dump = dumpAll(expected).join("");
    expect(dump).toContain('"Acme \\"P\\" \\\\ \\#1"');
    for (let i = 0; i <= dump.length; i++) {
      const link = new DriverLink({ name: "t", socketPath: h.path, log: () => {}, now: () => h.clock.ms });
      try {
        const before = h.drv.connections.length;
        link.refresh(h.clock.ms);
        await waitFor(() => link.connected && h.drv.connections.length > before, "connection");
        const conn = h.drv.conn;
        await waitFor(() => h.drv.raw(conn) === "DUMPALL\n", "DUMPALL");
        await h.drv.write(dump.slice(0, i), conn);
        await sleep(1);
        await h.drv.write(dump.slice(i), conn);
        await waitFor(() => link.dumpDone, `DUMPDONE (split at ${i})`);
        expect(dumpAll(link.tree)).toEqual(dumpAll(expected));
        expect(link.stale).toBe(false);
      } finally {
        link.close();
      }
    }
  });

  test("every message type is applied; SETINFO keeps a case-insensitively equal value", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write(dumpAll(sampleTree()).join(""));
    await waitFor(() => h.link.dumpDone, "dump");
    await h.drv.write(
      [
        'SETINFO ups.status "ol chrg"', // equal ignoring case: not applied
        'setinfo ups.load "12"', // command words in any case
        'DELENUM input.transfer.low "160"',
        "DELRANGE input.transfer.low 100 999",
        "ADDRANGE input.transfer.low 1 10",
        "SETAUX ups.mfr 16",
        "SETFLAGS ups.load NUMBER junk",
        "SETFLAGS ups.mfr", // bare: ignored
        "DELCMD beeper.enable",
        "ADDCMD Beeper.Disable",
        "DELINFO battery.charge",
        "",
      ].join("\n"),
    );
    await waitFor(() => h.link.tree.hasCmd("beeper.disable") && !h.link.tree.has("battery.charge"), "updates");
    const t = h.link.tree;
    expect(t.getValue("ups.status")).toBe("OL CHRG");
    expect(t.getValue("ups.load")).toBe("12");
    expect(t.get("input.transfer.low")?.enums).toEqual(["17\\#0"]);
    expect(t.get("input.transfer.low")?.ranges).toEqual([{ min: 1, max: 10 }]);
    expect(t.getAux("ups.mfr")).toBe(16);
    expect(t.getFlags("ups.load")).toBe(ST_FLAG_NUMBER);
    expect(t.getFlags("ups.mfr")).toBe(ST_FLAG_RW | ST_FLAG_STRING);
    expect(t.commands()).toEqual(["Beeper.Disable", "load.off"]);
  });

  test("DATASTALE before DUMPDONE waits for DUMPDONE; after it, it makes the data stale at once", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write('DATASTALE\nSETINFO ups.status "OL"\n');
    await waitFor(() => h.link.tree.getValue("ups.status") === "OL", "SETINFO");
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(false); // recorded, not acted on
    await h.drv.write("DUMPDONE\n");
    await waitFor(() => h.link.stale, "stale after DUMPDONE");
    expect(h.messages()).toContain("Data for UPS [t] is stale - check driver");
    await h.drv.write("DATAOK\n");
    await waitFor(() => !h.link.stale, "DATAOK");
    expect(h.messages().at(-1)).toBe("UPS [t] data is no longer stale");
    await h.drv.write("DATASTALE\n");
    await waitFor(() => h.link.stale, "DATASTALE after DUMPDONE");
    // while the driver says stale, silence draws no PING (2.8.0 returns before the PING test)
    h.clock.ms = at(10);
    h.link.refresh(h.clock.ms);
    expect(await sync(h, "a")).toEqual(["DUMPALL"]);
    expect(h.messages().filter((m) => m.includes("is stale"))).toHaveLength(2);
  });

  test("a dump with DATASTALE then DATAOK is fine; one without DATAOK is stale right after DUMPDONE", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write('DATASTALE\nSETINFO ups.status "OL"\nDATAOK\nDUMPDONE\n');
    await waitFor(() => h.link.dumpDone, "dump");
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(false);

    // data_ok starts false: a first dump without DATAOK is stale
    const h2 = await harness();
    await connectLink(h2);
    await h2.drv.write('SETINFO ups.status "OL"\nDUMPDONE\n');
    await waitFor(() => h2.link.stale, "stale without DATAOK");
  });

  test("data_ok survives a reconnect", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write(`DATASTALE\n${OK_DUMP.replace("DATAOK\n", "")}`);
    await waitFor(() => h.link.stale, "stale");
    h.drv.conn.end();
    await waitFor(() => !h.link.connected, "disconnect");
    await connectLink(h);
    expect(h.link.stale).toBe(false); // a connect clears stale without a log line
    await h.drv.write('SETINFO ups.status "OL"\nDUMPDONE\n'); // no DATAOK: still the old DATASTALE
    await waitFor(() => h.link.stale, "stale again");
    h.drv.conn.end();
    await waitFor(() => !h.link.connected, "disconnect");
    await connectLink(h);
    await h.drv.write("DATAOK\nDUMPDONE\n");
    await waitFor(() => h.link.dumpDone, "dump");
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(false);
  });

  test("PING after MAXAGE/3 of silence, not earlier; stale once the age exceeds MAXAGE; recovery", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write(OK_DUMP);
    await waitFor(() => h.link.dumpDone, "dump");
    for (let s = 0; s <= 5; s++) {
      h.clock.ms = at(s, 999);
      h.link.refresh(h.clock.ms);
    }
    expect(await sync(h, "a")).toEqual(["DUMPALL"]);
    h.clock.ms = at(6);
    h.link.refresh(h.clock.ms);
    await waitFor(() => pingCount(h) === 1, "first PING");
    expect(h.drv.lines().at(-1)).toBe("PING");
    for (let s = 7; s <= 11; s++) {
      h.clock.ms = at(s, 999);
      h.link.refresh(h.clock.ms);
    }
    await sync(h, "b");
    expect(pingCount(h)).toBe(1); // now - last_ping must exceed 5 too
    h.clock.ms = at(12);
    h.link.refresh(h.clock.ms);
    await waitFor(() => pingCount(h) === 2, "second PING");
    h.clock.ms = at(15, 999);
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(false); // elapsed 15 is not > 15
    h.clock.ms = at(16);
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(true);
    expect(h.messages().at(-1)).toBe("Data for UPS [t] is stale - check driver");
    expect(h.logs.at(-1)?.[0]).toBe("notice");
    h.link.refresh(h.clock.ms);
    expect(h.messages().filter((m) => m.includes("stale"))).toHaveLength(1); // logged once
    await h.drv.write("PONG\n");
    await waitFor(() => !h.link.stale, "recovery on PONG");
    expect(h.messages().at(-1)).toBe("UPS [t] data is no longer stale");
    expect(h.link.tree.getValue("ups.status")).toBe("OL");
  });

  test("MAXAGE 10: PING when the age exceeds 3, stale when it exceeds 10", async () => {
    const h = await harness({ maxAge: 10 });
    await connectLink(h);
    await h.drv.write(OK_DUMP);
    await waitFor(() => h.link.dumpDone, "dump");
    h.clock.ms = at(3, 999);
    h.link.refresh(h.clock.ms);
    await sync(h, "a");
    expect(pingCount(h)).toBe(0);
    h.clock.ms = at(4);
    h.link.refresh(h.clock.ms);
    await waitFor(() => pingCount(h) === 1, "PING");
    h.clock.ms = at(10, 999);
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(false);
    h.clock.ms = at(11);
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(true);
  });

  test("unrecognised lines do not count as hearing from the driver; recognised ones do", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write(OK_DUMP);
    await waitFor(() => h.link.dumpDone, "dump");
    h.clock.ms = at(10);
    // unknown word, too few words, a bare SETFLAGS, 2.8.3 replies, an empty line
    await h.drv.write('FOO bar\nSETINFO ups.status\nSETFLAGS ups.status\nPID 42\nOK Goodbye\nADDRANGE x 1\n\nSETINFO ups.load "5"\n');
    await waitFor(() => h.link.tree.getValue("ups.load") === "5", "last line");
    h.clock.ms = at(20);
    await h.drv.write("FOO\nSETFLAGS ups.load\nPID 1\n");
    await sleep(20);
    h.clock.ms = at(25, 999);
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(false); // SETINFO at 10 counted
    h.clock.ms = at(26);
    h.link.refresh(h.clock.ms);
    expect(h.link.stale).toBe(true); // nothing recognised since 10
    h.clock.ms = at(30);
    await h.drv.write("TRACKING abc 0\n");
    await waitFor(() => !h.link.stale, "TRACKING counts");
  });

  test("`#` inside quotes: the rest of that read is dropped, the next read starts afresh", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write('SETINFO a "1"\nSETINFO b "x#y"\nSETINFO c "3"\n');
    await waitFor(() => h.messages().includes("Parse error on sock: Unbalanced word due to unescaped # in quotes"), "parse error");
    await sleep(10);
    expect(h.link.tree.getValue("a")).toBe("1");
    expect(h.link.tree.has("b")).toBe(false);
    expect(h.link.tree.has("c")).toBe(false);
    expect(h.logs.at(-1)?.[0]).toBe("notice");
    await h.drv.write('SETINFO d "4"\nSETINFO e "\\#ok"\n');
    await waitFor(() => h.link.tree.has("e"), "next chunk");
    expect(h.link.tree.getValue("d")).toBe("4");
    expect(h.link.tree.getValue("e")).toBe("#ok");
  });

  test("a parse error drops the rest of a 512-byte read only, as sstate_readline() reads SMALLBUF", async () => {
    const h = await harness();
    await connectLink(h);
    let first = 'SETINFO bad "x#y"\n';
    let n = 0;
    while (first.length < 512) {
      const line = `SETINFO f${n++} "v"\n`;
      first += first.length + line.length <= 512 ? line : `${"#".repeat(512 - first.length - 1)}\n`;
    }
    expect(first.length).toBe(512);
    await h.drv.write(`${first}SETINFO z "1"\n`);
    await waitFor(() => h.link.tree.has("z"), "line after the first 512 bytes");
    expect(h.link.tree.has("bad")).toBe(false);
    expect(h.link.tree.has("f0")).toBe(false);
  });

  test("EOF from the driver: tree cleared, reconnect and a fresh DUMPALL at the next refresh", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write(dumpAll(sampleTree()).join(""));
    await waitFor(() => h.link.dumpDone, "dump");
    h.drv.conn.end();
    await waitFor(() => !h.link.connected, "disconnect");
    expect(h.link.tree.size).toBe(0);
    expect(h.link.tree.commands()).toEqual([]);
    expect(h.link.setVar("ups.mfr", "x")).toBe(false);
    expect(h.link.instCmd("load.off")).toBe(false);
    expect(h.drv.connections).toHaveLength(1); // not before refresh()
    await connectLink(h);
    expect(h.drv.connections).toHaveLength(2);
    expect(h.link.dumpDone).toBe(false);
    expect(h.link.tree.variables().map((v) => v.value)).toEqual(["WAIT"]);
    await h.drv.write('SETINFO ups.status "OB"\nDATAOK\nDUMPDONE\n');
    await waitFor(() => h.link.dumpDone, "second dump");
    expect(h.link.tree.getValue("ups.status")).toBe("OB");
    expect(h.messages().filter((m) => m.startsWith("Connected"))).toHaveLength(2);
  });

  test("a driver that resets the connection is a disconnect too", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.write(OK_DUMP);
    await waitFor(() => h.link.dumpDone, "dump");
    h.drv.conn.destroy();
    await waitFor(() => !h.link.connected, "disconnect");
    expect(h.link.tree.size).toBe(0);
  });

  test("connect failures are logged at most once per 300 s; a returning driver is picked up", async () => {
    const h = await harness();
    await connectLink(h);
    await h.drv.stop();
    await waitFor(() => !h.link.connected, "disconnect");
    const fails = (): string[] => h.messages().filter((m) => m.startsWith("Can't connect"));
    h.clock.ms = at(1);
    h.link.refresh(h.clock.ms);
    await waitFor(() => fails().length === 1, "first failure logged");
    expect(fails()[0]).toBe("Can't connect to UPS [t] (dummy-ups-t): No such file or directory");
    expect(h.logs.find(([, m]) => m.startsWith("Can't"))?.[0]).toBe("error");
    h.clock.ms = at(300);
    h.link.refresh(h.clock.ms);
    await sleep(50);
    h.link.refresh(h.clock.ms);
    await sleep(50);
    expect(fails()).toHaveLength(1);
    h.clock.ms = at(301);
    h.link.refresh(h.clock.ms);
    await waitFor(() => fails().length === 2, "second failure logged after 300 s");
    expect(h.link.connected).toBe(false);
    expect(h.link.tree.size).toBe(0);

    // a socket file nobody listens on
    writeFileSync(h.path, "");
    h.clock.ms = at(700);
    h.link.refresh(h.clock.ms);
    await waitFor(() => fails().length === 3, "third failure");
    expect(fails()[2]).toBe("Can't connect to UPS [t] (dummy-ups-t): Connection refused");
    rmSync(h.path);

    const drv = await FakeDriver.start(h.path);
    cleanups.push(() => drv.stop());
    await sleep(20); // the failed attempt above is over
    h.link.refresh(h.clock.ms);
    await waitFor(() => h.link.connected && drv.connections.length === 1, "reconnect");
    await waitFor(() => drv.raw() === "DUMPALL\n", "DUMPALL");
  });

  test("TRACKING replies reach every listener; a throwing listener is logged", async () => {
    const h = await harness();
    const got: [string, number][] = [];
    h.link.onTracking(() => {
      throw new Error("boom");
    });
    h.link.onTracking((id, status) => got.push([id, status]));
    await connectLink(h);
    await h.drv.write("TRACKING 2DDC5036-F665-4D29-BE4C-0374D091D263 0\nTRACKING x 3\nTRACKING y 12abc\nTRACKING z\n");
    await waitFor(() => got.length === 3, "tracking");
    expect(got).toEqual([
      ["2DDC5036-F665-4D29-BE4C-0374D091D263", 0],
      ["x", 3],
      ["y", 12],
    ]);
    expect(h.messages().filter((m) => m.includes("boom"))).toHaveLength(3);
  });

  test("SET and INSTCMD lines", async () => {
    const h = await harness();
    await connectLink(h);
    expect(h.link.setVar("ups.id", 'a"b\\c#d e', "T1")).toBe(true);
    expect(h.link.setVar("ups.id", "plain")).toBe(true);
    expect(h.link.setVar("ups.id", "x", "")).toBe(true); // empty id: none, as netset.c's *tracking_id test
    expect(h.link.instCmd("load.off")).toBe(true);
    expect(h.link.instCmd("load.off", "10")).toBe(true);
    expect(h.link.instCmd("load.on", undefined, "T2")).toBe(true);
    expect(h.link.instCmd("x.y", 'a b"#', "T3")).toBe(true);
    await waitFor(() => h.drv.lines().length === 8, "8 lines");
    expect(h.drv.raw()).toBe(
      [
        "DUMPALL",
        'SET ups.id "a\\"b\\\\c\\#d e" TRACKING T1',
        'SET ups.id "plain"',
        'SET ups.id "x"',
        "INSTCMD load.off",
        "INSTCMD load.off 10",
        "INSTCMD load.on TRACKING T2",
        'INSTCMD x.y a b\\"\\# TRACKING T3',
        "",
      ].join("\n"),
    );
  });

  test("close() disconnects, empties the tree and stops reconnecting", async () => {
    const h = await harness();
    const conn = await connectLink(h);
    await h.drv.write(OK_DUMP);
    await waitFor(() => h.link.dumpDone, "dump");
    let closed = false;
    conn.on("close", () => {
      closed = true;
    });
    h.link.close();
    expect(h.link.connected).toBe(false);
    expect(h.link.tree.size).toBe(0);
    await waitFor(() => closed, "driver sees the close");
    h.link.refresh(h.clock.ms);
    await sleep(30);
    expect(h.drv.connections).toHaveLength(1);
    expect(h.link.setVar("a", "b")).toBe(false);
  });

  test("close() during a connect attempt", async () => {
    const h = await harness();
    h.link.refresh(h.clock.ms);
    h.link.close();
    await sleep(30);
    expect(h.link.connected).toBe(false);
    expect(h.link.tree.size).toBe(0);
  });

  test("createDriverLinks names each socket <driver>-<ups> in the state path", () => {
    const links = createDriverLinks(
      [
        { name: "a", line: 1, entries: [], driver: "dummy-ups", port: "x", sdorder: 0, nolock: false, ignorelb: false },
        { name: "b", line: 5, entries: [], driver: "usbhid-ups", port: "auto", sdorder: 0, nolock: false, ignorelb: false },
      ],
      "/run/nut",
      { log: () => {}, maxAge: 20 },
    );
    expect(links.map((l) => [l.name, l.socketPath])).toEqual([
      ["a", "/run/nut/dummy-ups-a"],
      ["b", "/run/nut/usbhid-ups-b"],
    ]);
    for (const l of links) l.close();
  });
});

/** Lines of a network-protocol exchange with upsd: one request, one reply line each. */
async function talkToUpsd(port: number, requests: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + 5000;
  let sock: Socket | undefined;
  while (sock === undefined) {
    sock = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ host: "127.0.0.1", port });
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(undefined));
    });
    if (sock === undefined) {
      if (Date.now() > deadline) throw new Error("upsd does not listen");
      await sleep(20);
    }
  }
  const s = sock;
  let buf = "";
  s.on("data", (d: Buffer) => {
    buf += d.toString("latin1");
  });
  const replies: string[] = [];
  try {
    for (const r of requests) {
      s.write(`${r}\n`);
      await waitFor(() => buf.includes("\n"), `reply to ${r}`);
      const nl = buf.indexOf("\n");
      replies.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  } finally {
    s.destroy();
  }
  return replies;
}

async function stopProcess(proc: Subprocess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill("SIGTERM");
  const timer = sleep(5000).then(() => false);
  if (!(await Promise.race([proc.exited.then(() => true), timer]))) {
    proc.kill("SIGKILL");
    await Promise.race([proc.exited, sleep(2000)]);
  }
}

describe("SET/INSTCMD lines: DriverLink writes what Debian's upsd writes", () => {
  test("same bytes for the same requests", async () => {
    if (!existsSync(DEBIAN_UPSD)) throw new Error(`${DEBIAN_UPSD} is missing: run scripts/setup-system.sh`);
    using dir = tempDir("driver-link-upsd-");
    const etc = join(dir.path, "etc");
    const state = join(dir.path, "state");
    mkdirSync(etc);
    mkdirSync(state, { mode: 0o750 });
    const drv = await FakeDriver.start(join(state, "dummy-ups-t"));
    cleanups.push(() => drv.stop());
    drv.onLine = (line, conn) => {
      if (line === "DUMPALL") {
        conn.write('SETINFO ups.id "x"\nSETAUX ups.id 32\nSETFLAGS ups.id RW STRING\nSETINFO ups.status "OL"\nADDCMD load.off\nDATAOK\nDUMPDONE\n');
      } else if (line === "PING") conn.write("PONG\n");
    };
    const port = await freePort();
    writeFileSync(join(etc, "ups.conf"), "[t]\n\tdriver = dummy-ups\n\tport = x\n");
    writeFileSync(join(etc, "upsd.conf"), `LISTEN 127.0.0.1 ${port}\n`, { mode: 0o640 });
    writeFileSync(join(etc, "upsd.users"), "[u]\n\tpassword = p\n\tactions = SET\n\tinstcmds = all\n", { mode: 0o640 });
    const argv = [DEBIAN_UPSD, "-F"];
    if (process.getuid?.() === 0) argv.push("-u", "root");
    const upsd = Bun.spawn(argv, {
      env: { ...process.env, NUT_CONFPATH: etc, NUT_STATEPATH: state, NUT_ALTPIDPATH: state },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    });
    cleanups.push(() => stopProcess(upsd));
    await waitFor(() => drv.connections.length > 0 && drv.lines().includes("DUMPALL"), "upsd connects", 8000);
    const upsdConn = drv.conn;
    const requests = [
      "USERNAME u",
      "PASSWORD p",
      'SET VAR t ups.id "a\\"b\\\\c\\#d e"',
      'SET VAR t ups.id "plain"',
      "INSTCMD t load.off",
      "INSTCMD t load.off 10",
      'INSTCMD t load.off "a b\\"\\#"',
      "SET TRACKING ON",
      'SET VAR t ups.id "tracked value"',
      "INSTCMD t load.off",
      "INSTCMD t load.off 5",
    ];
    const replies = await talkToUpsd(port, requests);
    expect(replies.slice(0, 8)).toEqual(["OK", "OK", "OK", "OK", "OK", "OK", "OK", "OK"]);
    const ids = replies.slice(8).map((r) => /^OK TRACKING (\S+)$/.exec(r)?.[1]);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    const fromUpsd = (): string[] => drv.lines(upsdConn).filter((l) => l !== "DUMPALL" && l !== "PING");
    await waitFor(() => fromUpsd().length === 8, "upsd's 8 lines");

    // the same requests through a DriverLink, on a second fake driver
    const h = await harness();
    await connectLink(h);
    h.link.setVar("ups.id", 'a"b\\c#d e');
    h.link.setVar("ups.id", "plain");
    h.link.instCmd("load.off");
    h.link.instCmd("load.off", "10");
    h.link.instCmd("load.off", 'a b"#');
    h.link.setVar("ups.id", "tracked value", ids[0]!);
    h.link.instCmd("load.off", undefined, ids[1]!);
    h.link.instCmd("load.off", "5", ids[2]!);
    await waitFor(() => h.drv.lines().length === 9, "link's 8 lines");
    expect(h.drv.lines().slice(1)).toEqual(fromUpsd());
  });
});

/** A real driver on a .dev file, started and stopped by PID. */
interface RealDriver {
  label: string;
  argv: (port: string) => string[];
}

const asRoot = process.getuid?.() === 0 ? ["-u", "root"] : [];
const REAL_DRIVERS: RealDriver[] = [
  { label: "Debian dummy-ups 2.8.0", argv: (port) => [DEBIAN_DUMMY_UPS, "-s", "t", "-x", `port=${port}`, "-F", ...asRoot] },
  { label: "nut-ts dummy-ups", argv: (port) => [NUT_BINARY, "dummy-ups", "-s", "t", "-x", `port=${port}`, "-F", ...asRoot] },
];

/** DUMPALL on a fresh connection of our own, up to DUMPDONE. */
async function rawDump(path: string): Promise<string> {
  const s = connect({ path });
  let buf = "";
  s.on("data", (d: Buffer) => {
    buf += d.toString("latin1");
  });
  s.on("error", () => {});
  try {
    s.write("DUMPALL\n");
    await waitFor(() => buf.includes("DUMPDONE\n"), "raw dump");
    return buf.slice(0, buf.indexOf("DUMPDONE\n") + "DUMPDONE\n".length);
  } finally {
    s.destroy();
  }
}

describe.each(REAL_DRIVERS)("DriverLink against $label", ({ argv }) => {
  test("dump, tracked SET, driver killed and restarted", async () => {
    if (!existsSync(argv("x")[0]!)) throw new Error(`${argv("x")[0]} is missing (run scripts/setup-system.sh and npm run build)`);
    using dir = tempDir("driver-link-real-");
    const state = join(dir.path, "state");
    mkdirSync(state);
    const dev = join(dir.path, "t.dev");
    writeFileSync(dev, 'ups.mfr: "Acme \\"P\\" \\#1"\nups.model: M\nbattery.charge: 100\nups.status: OL\n');
    const env = { ...process.env, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
    const socketPath = join(state, "dummy-ups-t");
    const start = async (): Promise<Subprocess> => {
      rmSync(socketPath, { force: true }); // a killed driver may leave its socket file behind
      const proc = Bun.spawn(argv(dev), { env, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      cleanups.push(() => stopProcess(proc));
      await waitFor(() => existsSync(socketPath) || proc.exitCode !== null, "driver socket", 8000);
      if (proc.exitCode !== null) throw new Error(`driver exited with ${proc.exitCode}`);
      return proc;
    };
    const logs: string[] = [];
    const link = new DriverLink({ name: "t", socketPath, log: (_l, m) => logs.push(m) });
    cleanups.push(() => link.close());

    // like upsd's loop: refresh until connected (the socket file appears just before listen())
    const connectAndDump = async (): Promise<void> => {
      await waitFor(
        () => {
          link.refresh(Date.now());
          return link.connected;
        },
        "connection",
        8000,
      );
      await waitFor(() => link.dumpDone, `dump from the driver (log: ${logs.join(" | ")})`, 8000);
    };

    let proc = await start();
    await connectAndDump();
    link.refresh(Date.now());
    expect(link.stale).toBe(false);
    // exactly what the driver's DUMPALL announces, redumped byte for byte from the link's tree
    expect(dumpAll(link.tree).join("")).toBe(await rawDump(socketPath));
    expect(link.tree.getValue("ups.mfr")).toBe('Acme "P" #1');
    expect(link.tree.commands()).toEqual(["load.off"]);

    const tracked: [string, number, string | undefined][] = [];
    link.onTracking((id, status) => tracked.push([id, status, link.tree.getValue("battery.charge")]));
    expect(link.setVar("battery.charge", "80", "trk-1")).toBe(true);
    await waitFor(() => tracked.length === 1, "TRACKING");
    expect(tracked).toEqual([["trk-1", 0, "80"]]); // SETINFO came first

    await stopProcess(proc);
    await waitFor(() => !link.connected, "disconnect");
    expect(link.tree.size).toBe(0);
    link.refresh(Date.now());
    await waitFor(() => logs.some((m) => m.startsWith("Can't connect to UPS [t] (dummy-ups-t): ")), "connect failure");

    writeFileSync(dev, "battery.charge: 55\nups.status: OB\n");
    proc = await start();
    await connectAndDump();
    expect(link.tree.getValue("battery.charge")).toBe("55");
    expect(link.tree.getValue("ups.status")).toBe("OB");
    expect(link.tree.getValue("ups.mfr")).toBe("Dummy Manufacturer");
    expect(dumpAll(link.tree).join("")).toBe(await rawDump(socketPath));
    expect(logs.filter((m) => m === "Connected to UPS [t]: dummy-ups-t")).toHaveLength(2);
    await stopProcess(proc);
  }, 30_000);
});
