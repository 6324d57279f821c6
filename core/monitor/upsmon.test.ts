import { describe, expect, test } from "bun:test";
import { defaultUpsmonConf, type UpsmonConf, type UpsmonMonitor } from "../config/upsmon-conf.ts";
import { MemoryNutLog } from "../system/nut-log.ts";
import { Notifier } from "./notifier.ts";
import type { UpsLink } from "./ups-link.ts";
import { Upsmon } from "./upsmon.ts";

/** A scripted upsd as one UPS's link: statuses in turn, NUMLOGINS answers in turn. */
class FakeLink implements UpsLink {
  connected = false;
  readonly calls: string[] = [];
  constructor(
    readonly statuses: string[],
    readonly logins: Array<number | Error> = [1],
    readonly connectError?: Error,
  ) {}
  async connect(): Promise<void> {
    this.calls.push("connect");
    if (this.connectError) throw this.connectError;
    this.connected = true;
  }
  async getVar(name: string): Promise<string> {
    this.calls.push(`get ${name}`);
    const s = this.statuses.length > 1 ? this.statuses.shift()! : this.statuses[0]!;
    return s;
  }
  async setFsd(): Promise<void> {
    this.calls.push("fsd");
  }
  async numLogins(): Promise<number> {
    this.calls.push("numlogins");
    const n = this.logins.length > 1 ? this.logins.shift()! : this.logins[0]!;
    if (n instanceof Error) throw n;
    return n;
  }
  async close(logout: boolean): Promise<void> {
    this.calls.push(logout ? "logout" : "close");
    this.connected = false;
  }
}

function monitorLine(name: string, role: "primary" | "secondary", powerValue = 1): UpsmonMonitor {
  return { system: `${name}@localhost:3493`, upsname: name, host: "localhost", port: 3493, powerValue, user: "u", password: "p", role, line: 1 };
}

function setup(monitors: UpsmonMonitor[], links: FakeLink[], extra: Partial<UpsmonConf> = {}) {
  const conf: UpsmonConf = { ...defaultUpsmonConf(), monitors, totalPowerValue: monitors.reduce((a, m) => a + m.powerValue, 0), pollFreq: 1, pollFreqAlert: 1, finalDelay: 0, hostSync: 2, ...extra };
  for (const type of Object.keys(conf.notify) as Array<keyof UpsmonConf["notify"]>) conf.notify[type] = { ...conf.notify[type], flags: ["SYSLOG"] };
  const log = new MemoryNutLog();
  const started: string[][] = [];
  const notifier = new Notifier(conf, log, {}, (argv) => started.push(argv));
  let shutdowns = 0;
  const byName = new Map(monitors.map((m, i) => [m.system, links[i]!]));
  const upsmon = new Upsmon(conf, {
    log,
    notifier,
    linkFor: (m) => byName.get(m.system)!,
    now: () => Math.floor(Date.now() / 1000),
    shutdown: async () => {
      shutdowns++;
    },
  });
  return { upsmon, log, started, shutdowns: () => shutdowns };
}

describe("Upsmon loop", () => {
  test("primary, OB LB: FSD, no secondaries to wait for, SHUTDOWN notice, shutdown asked exactly once, connections closed without LOGOUT", async () => {
    const link = new FakeLink(["OB LB"]);
    const { upsmon, log, shutdowns } = setup([monitorLine("ups", "primary")], [link]);
    expect(await upsmon.run()).toBe(0);
    expect(shutdowns()).toBe(1);
    expect(link.calls).toEqual(["connect", "get ups.status", "fsd", "numlogins", "close"]);
    expect(log.lines).toContain("UPS ups@localhost:3493: forced shutdown in progress");
    expect(log.lines).toContain("Executing automatic power-fail shutdown");
    expect(log.lines).toContain("Auto logout and shutdown proceeding");
  });

  test("the primary waits while secondaries are logged in, then goes; a failed NUMLOGINS counts as none", async () => {
    const link = new FakeLink(["OB LB"], [3, 2, new Error("Data stale")]);
    const { upsmon, shutdowns } = setup([monitorLine("ups", "primary")], [link]);
    const t0 = performance.now();
    await upsmon.run();
    expect(link.calls.filter((c) => c === "numlogins").length).toBe(3);
    expect(performance.now() - t0).toBeGreaterThan(400);
    expect(shutdowns()).toBe(1);
  });

  test("secondaries that never log out are given up after HOSTSYNC", async () => {
    const link = new FakeLink(["OB LB"], [2]);
    const { upsmon, log, shutdowns } = setup([monitorLine("ups", "primary")], [link], { hostSync: 1 });
    const t0 = performance.now();
    await upsmon.run();
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThan(1000);
    expect(waited).toBeLessThan(3500);
    expect(log.lines).toContain("Host sync timer expired, forcing shutdown");
    expect(shutdowns()).toBe(1);
  });

  test("a secondary shuts down on FSD from the primary without setting FSD or waiting", async () => {
    const link = new FakeLink(["FSD OL"]);
    const { upsmon, shutdowns } = setup([monitorLine("ups", "secondary")], [link]);
    await upsmon.run();
    expect(link.calls).toEqual(["connect", "get ups.status", "close"]);
    expect(shutdowns()).toBe(1);
  });

  test("upsd unreachable: connect failures, COMMBAD, no shutdown; stop ends with LOGOUT", async () => {
    const link = new FakeLink(["OL"], [1], new Error("Connection failure: Connection refused"));
    const { upsmon, log, shutdowns } = setup([monitorLine("ups", "primary")], [link]);
    const running = upsmon.run();
    await Bun.sleep(300);
    upsmon.requestStop();
    expect(await running).toBe(0);
    expect(shutdowns()).toBe(0);
    expect(log.lines).toContain("UPS [ups@localhost:3493]: connect failed: Connection failure: Connection refused");
    expect(log.lines).toContain("Communications with UPS ups@localhost:3493 lost");
  });

  test("upsmon -c fsd: a forced shutdown although the UPS is on line", async () => {
    const link = new FakeLink(["OL"]);
    const { upsmon, shutdowns } = setup([monitorLine("ups", "primary")], [link]);
    const running = upsmon.run();
    await Bun.sleep(100);
    upsmon.requestFsd();
    expect(await running).toBe(0);
    expect(link.calls).toContain("fsd");
    expect(shutdowns()).toBe(1);
  });

  test("MINSUPPLIES 2 of three: one UPS low does nothing, a second one shuts down", async () => {
    const links = [new FakeLink(["OB LB"]), new FakeLink(["OL", "OL", "OB LB"]), new FakeLink(["OL"])];
    const { upsmon, shutdowns } = setup([monitorLine("a", "primary"), monitorLine("b", "primary"), monitorLine("c", "primary")], links, { minSupplies: 2 });
    const t0 = performance.now();
    await upsmon.run();
    // b goes low at its third poll: two rounds of POLLFREQ 1 s first
    expect(performance.now() - t0).toBeGreaterThan(1500);
    expect(shutdowns()).toBe(1);
  });
});
