// upsmon end to end (issue 6): every scenario runs for each upsmon implementation — Debian's
// 2.8.0 (/lib/nut/upsmon, the oracle) and nut-ts's — against a sandbox of nut-ts's upsd with
// Debian's dummy-ups on .dev files (scenario 7: against Debian's upsd). Outcomes are asserted
// (SHUTDOWNCMD runs and their times, NOTIFYCMD calls, POWERDOWNFLAG, exit status, what upsd
// shows), never log texts, which differ between 2.8.0 and nut-ts's 2.8.5-style messages.
// NUT_TS_UPSMON_IMPLS=debian (or ours) picks the implementations (default: both). Scenarios run
// concurrently, each in its own sandbox.
import { expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { type DevValues, devText, writeDummyDev } from "../harness/dummy-dev-file.ts";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { upsdNumLogins, upsdVar, waitForUpsdStatus } from "../harness/upsd-probe.ts";
import {
  POWERDOWN_MAGIC,
  type UpsmonImpl,
  type UpsmonInstance,
  type UpsmonMonitor,
  UPSMON_IMPLS_ENV,
  debianUpsmonProblem,
  ourUpsmonProblem,
  prepareUpsmon,
  startUpsmon,
  upsmonImplementations,
} from "../harness/upsmon-runner.ts";

const IMPLS = upsmonImplementations();
const OUR_PROBLEM = IMPLS.includes("ours") ? ourUpsmonProblem() : undefined;
const DEBIAN_PROBLEM = debianUpsmonProblem();
const OUR_UPSD = (): string[] => [NUT_BINARY, "upsd", "-F", "-u", "root"];
const DEBIAN_UPSD = (): string[] => ["/lib/nut/upsd", "-F", "-u", "root"];
const TEST_MS = 120_000;

const PRIMARY = { user: "monp", password: "pw1", role: "primary" } as const;
const SECONDARY = { user: "mons", password: "pw2", role: "secondary" } as const;
const ONLINE: DevValues = { "ups.status": "OL", "battery.charge": "100" };

type Server = "ours" | "debian";

/** A sandbox with one Debian dummy-ups per name (status OL, pollinterval 1) and the upsmon users. */
function sandboxWith(names: readonly string[], server: Server = "ours"): Promise<NutSandbox> {
  return startNutSandbox({
    ups: names.map((name) => ({ name, settings: { pollinterval: "1" } })),
    users: [
      { name: PRIMARY.user, password: PRIMARY.password, upsmon: "primary" },
      { name: SECONDARY.user, password: SECONDARY.password, upsmon: "secondary" },
    ],
    files: Object.fromEntries(names.map((n) => [`${n}.dev`, devText(ONLINE)])),
    upsdCommand: server === "ours" ? OUR_UPSD : DEBIAN_UPSD,
    readyTimeoutMs: 30_000,
  });
}

const monitor = (ups: string, who: typeof PRIMARY | typeof SECONDARY, extra: Partial<UpsmonMonitor> = {}): UpsmonMonitor => ({ ups, ...who, ...extra });
const systemOf = (sb: NutSandbox, ups: string): string => `${ups}@127.0.0.1:${sb.port}`;

/** Everything worth reading when a scenario fails: the sandbox's logs and each upsmon's notices. */
function report(sb: NutSandbox, ...mons: UpsmonInstance[]): string {
  const notices = mons.map((m) => {
    const shutdown = existsSync(m.shutdownLog) ? readFileSync(m.shutdownLog, "utf8") : "";
    return `--- ${m.label} (${m.impl}) notices\n${m.notices().map((n) => `${n.type}|${n.ups}|${n.message}`).join("\n")}\n--- ${m.label} shutdown.log\n${shutdown}`;
  });
  return `${sb.logs()}\n${notices.join("\n")}`;
}

/** Writes the UPS's .dev and waits until upsd shows the status; resolves with when it did. */
async function setStatus(sb: NutSandbox, ups: string, status: string, charge = "50"): Promise<number> {
  writeDummyDev(sb.paths.confPath, ups, { "ups.status": status, "battery.charge": charge });
  const seen = await waitForUpsdStatus(sb.port, ups, status, 15_000);
  if (seen === undefined) throw new Error(`upsd never showed ${ups} as "${status}"\n${sb.logs()}`);
  return seen;
}

/** Waits until `n` connections are logged into `ups`, then long enough for the first poll. */
async function loggedIn(sb: NutSandbox, ups: string, n: number, ...mons: UpsmonInstance[]): Promise<void> {
  const ok = await eventually(async () => (await upsdNumLogins(sb.port, ups)) === n, 20_000);
  expect(ok, `expected ${n} login(s) on ${ups}\n${report(sb, ...mons)}`).toBe(true);
  // upsmon polls right after LOGIN; let that first (OL) status be seen before changing it
  await Bun.sleep(1500);
}

const count = (list: readonly string[], item: string): number => list.filter((x) => x === item).length;

if (IMPLS.includes("ours")) {
  test("our upsmon exists", () => {
    expect(OUR_PROBLEM, `${OUR_PROBLEM} (set ${UPSMON_IMPLS_ENV}=debian to run the scenarios against Debian's upsmon only)`).toBeUndefined();
  });
}

test("Debian's upsmon 2.8.0 can run here", () => {
  expect(DEBIAN_PROBLEM).toBeUndefined();
});

/** The upsmon implementations of the two secondaries of scenario 5. */
const SECONDARY_IMPLS: readonly [UpsmonImpl, UpsmonImpl] = IMPLS.includes("ours") && OUR_PROBLEM === undefined ? ["ours", "debian"] : ["debian", "debian"];

/** Scenario 2 (and 7): OB, then OB LB: one shutdown, POWERDOWNFLAG, `-K`, FSD set by the primary. */
async function lowBatteryShutdown(impl: UpsmonImpl, server: Server): Promise<void> {
  await using sb = await sandboxWith(["ups1"], server);
  const sys = systemOf(sb, "ups1");
  await using mon = prepareUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)], hostSync: 3 });
  const before = mon.checkPowerDownFlag();
  expect(before.exitCode, before.stdout + before.stderr).toBe(1);
  expect(before.stdout + before.stderr).toContain("Power down flag is not set");
  mon.start();
  await loggedIn(sb, "ups1", 1, mon);
  await setStatus(sb, "ups1", "OB");
  expect(await eventually(() => mon.noticeTypes(sys).includes("ONBATT"), 8000), report(sb, mon)).toBe(true);
  expect(mon.shutdowns()).toEqual([]);
  await setStatus(sb, "ups1", "OB LB", "5");
  expect(await eventually(() => mon.shutdowns().length > 0, 10_000), report(sb, mon)).toBe(true);
  expect(await mon.exited(10_000), report(sb, mon)).toBe(true);
  await Bun.sleep(3000);
  expect(mon.shutdowns().length, report(sb, mon)).toBe(1);
  expect(mon.exitCode).toBe(0);
  expect(mon.powerDownFlagContent()).toBe(POWERDOWN_MAGIC);
  expect(mon.noticeTypes(sys)).toContain("LOWBATT");
  expect(mon.noticeTypes("")).toContain("SHUTDOWN");
  expect(await upsdVar(sb.port, "ups1", "ups.status")).toBe("FSD OB LB");
  const after = mon.checkPowerDownFlag();
  expect(after.exitCode, after.stdout + after.stderr).toBe(0);
  expect(after.stdout + after.stderr).toContain("Power down flag is set");
}

for (const impl of IMPLS) {
  const name = (s: string): string => `[${impl}] ${s}`;

  test.concurrent(
    name("1. power fails and returns before low battery: ONBATT then ONLINE, no shutdown"),
    async () => {
      await using sb = await sandboxWith(["ups1"]);
      const sys = systemOf(sb, "ups1");
      await using mon = startUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)] });
      await loggedIn(sb, "ups1", 1, mon);
      await setStatus(sb, "ups1", "OB");
      expect(await eventually(() => mon.noticeTypes(sys).includes("ONBATT"), 8000), report(sb, mon)).toBe(true);
      await setStatus(sb, "ups1", "OL", "90");
      expect(await eventually(() => mon.noticeTypes(sys).includes("ONLINE"), 8000), report(sb, mon)).toBe(true);
      await Bun.sleep(3000);
      const power = mon.noticeTypes(sys).filter((t) => t === "ONBATT" || t === "ONLINE");
      expect(power, report(sb, mon)).toEqual(["ONBATT", "ONLINE"]);
      expect(mon.notices().find((n) => n.type === "ONBATT")?.message).toContain(sys);
      expect(mon.noticeTypes()).not.toContain("SHUTDOWN");
      expect(mon.shutdowns()).toEqual([]);
      expect(mon.running, report(sb, mon)).toBe(true);
    },
    TEST_MS,
  );

  test.concurrent(
    name("2. on battery, then low battery: SHUTDOWNCMD once, POWERDOWNFLAG, -K 1 before and 0 after"),
    () => lowBatteryShutdown(impl, "ours"),
    TEST_MS,
  );

  test.concurrent(
    name("3a. communication lost on battery: shutdown once DEADTIME has passed"),
    async () => {
      const DEADTIME = 6;
      await using sb = await sandboxWith(["ups1"]);
      const sys = systemOf(sb, "ups1");
      await using mon = startUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)], deadTime: DEADTIME, hostSync: 3 });
      await loggedIn(sb, "ups1", 1, mon);
      await setStatus(sb, "ups1", "OB");
      expect(await eventually(() => mon.noticeTypes(sys).includes("ONBATT"), 8000), report(sb, mon)).toBe(true);
      const lost = Date.now();
      await sb.kill("driver-ups1");
      expect(await eventually(() => mon.shutdowns().length > 0, (DEADTIME + 8) * 1000), report(sb, mon)).toBe(true);
      const after = mon.shutdowns()[0]! - lost;
      expect(after, report(sb, mon)).toBeGreaterThanOrEqual((DEADTIME - 1) * 1000);
      expect(after, report(sb, mon)).toBeLessThanOrEqual((DEADTIME + 1 + 2) * 1000);
      expect(mon.noticeTypes(sys)).toContain("COMMBAD");
      expect(await mon.exited(10_000)).toBe(true);
      await Bun.sleep(2000);
      expect(mon.shutdowns().length).toBe(1);
    },
    TEST_MS,
  );

  test.concurrent(
    name("3b. communication lost while online: COMMBAD and NOCOMM only, no shutdown"),
    async () => {
      const DEADTIME = 4;
      await using sb = await sandboxWith(["ups1"]);
      const sys = systemOf(sb, "ups1");
      await using mon = startUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)], deadTime: DEADTIME, noCommWarnTime: 2 });
      await loggedIn(sb, "ups1", 1, mon);
      const lost = Date.now();
      await sb.kill("driver-ups1");
      expect(await eventually(() => mon.noticeTypes(sys).includes("COMMBAD"), 8000), report(sb, mon)).toBe(true);
      expect(await eventually(() => mon.noticeTypes(sys).includes("NOCOMM"), 10_000), report(sb, mon)).toBe(true);
      await Bun.sleep(Math.max(0, lost + (DEADTIME + 5) * 1000 - Date.now()));
      expect(mon.shutdowns(), report(sb, mon)).toEqual([]);
      expect(mon.noticeTypes()).not.toContain("SHUTDOWN");
      expect(mon.running, report(sb, mon)).toBe(true);
    },
    TEST_MS,
  );

  test.concurrent(
    name("4. three supplies, MINSUPPLIES 2: one UPS OB LB keeps running, a second one shuts down"),
    async () => {
      const names = ["ups1", "ups2", "ups3"];
      await using sb = await sandboxWith(names);
      await using mon = startUpsmon(sb, { impl, monitors: names.map((n) => monitor(n, PRIMARY)), minSupplies: 2, hostSync: 3 });
      for (const n of names) await loggedIn(sb, n, 1, mon);
      await setStatus(sb, "ups1", "OB LB", "5");
      expect(await eventually(() => mon.noticeTypes(systemOf(sb, "ups1")).includes("LOWBATT"), 8000), report(sb, mon)).toBe(true);
      await Bun.sleep(4000);
      expect(mon.shutdowns(), report(sb, mon)).toEqual([]);
      expect(mon.running).toBe(true);
      await setStatus(sb, "ups2", "OB LB", "5");
      expect(await eventually(() => mon.shutdowns().length > 0, 10_000), report(sb, mon)).toBe(true);
      expect(await mon.exited(10_000)).toBe(true);
      await Bun.sleep(3000);
      expect(mon.shutdowns().length).toBe(1);
      // forceshutdown() sets FSD on every UPS it is primary for, the healthy one too
      expect(await upsdVar(sb.port, "ups3", "ups.status")).toBe("FSD OL");
    },
    TEST_MS,
  );

  test.concurrent(
    name(`5a. upsmon -c fsd on the primary: secondaries (${SECONDARY_IMPLS.join(", ")}) shut down first, then the primary`),
    async () => {
      const HOSTSYNC = 8;
      await using sb = await sandboxWith(["ups1"]);
      await using primary = startUpsmon(sb, { impl, label: "primary", monitors: [monitor("ups1", PRIMARY)], hostSync: HOSTSYNC });
      await using s1 = startUpsmon(sb, { impl: SECONDARY_IMPLS[0], label: "secondary1", monitors: [monitor("ups1", SECONDARY)] });
      await using s2 = startUpsmon(sb, { impl: SECONDARY_IMPLS[1], label: "secondary2", monitors: [monitor("ups1", SECONDARY)] });
      const all = [primary, s1, s2];
      await loggedIn(sb, "ups1", 3, ...all);
      const asked = Date.now();
      const fsd = primary.command("fsd");
      expect(fsd.exitCode, fsd.stdout + fsd.stderr).toBe(0);
      expect(await eventually(() => primary.shutdowns().length > 0, (HOSTSYNC + 10) * 1000), report(sb, ...all)).toBe(true);
      const at = primary.shutdowns()[0]!;
      for (const s of [s1, s2]) {
        expect(s.shutdowns().length, report(sb, ...all)).toBe(1);
        expect(s.shutdowns()[0]!, report(sb, ...all)).toBeLessThanOrEqual(at);
        expect(s.noticeTypes(systemOf(sb, "ups1"))).toContain("FSD");
      }
      // the secondaries logged out: no waiting for the HOSTSYNC timer
      expect(at - asked, report(sb, ...all)).toBeLessThan(HOSTSYNC * 1000);
      for (const m of all) expect(await m.exited(10_000), report(sb, ...all)).toBe(true);
      await Bun.sleep(2000);
      for (const m of all) expect(m.shutdowns().length).toBe(1);
    },
    TEST_MS,
  );

  test.concurrent(
    name("5b. upsmon -c fsd with a secondary that never logs out (SIGSTOP): primary shuts down after HOSTSYNC"),
    async () => {
      const HOSTSYNC = 5;
      await using sb = await sandboxWith(["ups1"]);
      await using primary = startUpsmon(sb, { impl, label: "primary", monitors: [monitor("ups1", PRIMARY)], hostSync: HOSTSYNC });
      await using s1 = startUpsmon(sb, { impl: SECONDARY_IMPLS[0], label: "secondary1", monitors: [monitor("ups1", SECONDARY)] });
      await using stuck = startUpsmon(sb, { impl: SECONDARY_IMPLS[1], label: "secondary2", monitors: [monitor("ups1", SECONDARY)] });
      const all = [primary, s1, stuck];
      await loggedIn(sb, "ups1", 3, ...all);
      stuck.signal("SIGSTOP");
      const asked = Date.now();
      const fsd = primary.command("fsd");
      expect(fsd.exitCode, fsd.stdout + fsd.stderr).toBe(0);
      expect(await eventually(() => primary.shutdowns().length > 0, (HOSTSYNC + 10) * 1000), report(sb, ...all)).toBe(true);
      const at = primary.shutdowns()[0]!;
      expect(at - asked, report(sb, ...all)).toBeGreaterThanOrEqual((HOSTSYNC - 1) * 1000);
      expect(at - asked, report(sb, ...all)).toBeLessThanOrEqual((HOSTSYNC + 3) * 1000);
      expect(s1.shutdowns().length, report(sb, ...all)).toBe(1);
      expect(s1.shutdowns()[0]!).toBeLessThanOrEqual(at);
      expect(stuck.shutdowns()).toEqual([]);
      // resumed and terminated by PID
      await stuck.stop();
      expect(stuck.running).toBe(false);
    },
    TEST_MS,
  );

  test.concurrent(
    name("6a. broken upsmon.conf: clear error, non-zero exit, nothing left monitoring"),
    async () => {
      await using sb = await sandboxWith(["ups1"]);
      const sys = systemOf(sb, "ups1");
      const cases = [
        { label: "bad-power-value", monitors: [monitor("ups1", PRIMARY, { powerValue: -1 })], error: /insufficient power|power value/i },
        { label: "minsupplies-too-high", monitors: [monitor("ups1", PRIMARY)], minSupplies: 3, error: /insufficient power/i },
        { label: "old-style-monitor", monitors: [], extraLines: [`MONITOR ${sys} 1 pw1 primary`], error: /old-style MONITOR|unusable configuration/i },
        { label: "missing-file", monitors: [monitor("ups1", PRIMARY)], remove: true, error: /can't open|no such file/i },
      ];
      const mons = cases.map((c) => {
        const m = prepareUpsmon(sb, { impl, label: c.label, monitors: c.monitors, ...(c.minSupplies ? { minSupplies: c.minSupplies } : {}), ...(c.extraLines ? { extraLines: c.extraLines } : {}) });
        if (c.remove) rmSync(m.confFile);
        return m.start();
      });
      try {
        for (const [i, c] of cases.entries()) {
          const m = mons[i]!;
          expect(await m.exited(15_000), `${c.label}\n${report(sb, m)}`).toBe(true);
          expect(m.exitCode, `${c.label}\n${m.output()}`).not.toBe(0);
          expect(m.output(), c.label).toMatch(c.error);
          const pidFile = join(m.dir, "run", "upsmon.pid");
          if (existsSync(pidFile)) {
            const pid = Number(readFileSync(pidFile, "utf8").trim());
            expect(existsSync(`/proc/${pid}`), `${c.label}: PID file names a live process`).toBe(false);
          }
        }
        expect(await upsdNumLogins(sb.port, "ups1")).toBe(0);
        expect(mons.flatMap((m) => m.shutdowns())).toEqual([]);
      } finally {
        await Promise.all(mons.map((m) => m.stop()));
      }
    },
    TEST_MS,
  );

  test.concurrent(
    name("6a'. unknown directive: logged as invalid, upsmon still monitors (as 2.8.0 does)"),
    async () => {
      await using sb = await sandboxWith(["ups1"]);
      await using mon = startUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)], extraLines: ["NO_SUCH_DIRECTIVE 1"] });
      await loggedIn(sb, "ups1", 1, mon);
      expect(mon.output()).toContain("invalid directive");
      expect(mon.output()).toContain("NO_SUCH_DIRECTIVE");
      expect(mon.running, report(sb, mon)).toBe(true);
    },
    TEST_MS,
  );

  test.concurrent(
    name("6b. upsd unreachable at start: COMMBAD, NOCOMM, retries until it is back (COMMOK), no shutdown"),
    async () => {
      await using sb = await sandboxWith(["ups1"]);
      const sys = systemOf(sb, "ups1");
      await sb.kill("upsd");
      await using mon = startUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)], deadTime: 5, noCommWarnTime: 3 });
      expect(await eventually(() => mon.noticeTypes(sys).includes("COMMBAD"), 10_000), report(sb, mon)).toBe(true);
      expect(await eventually(() => mon.noticeTypes(sys).includes("NOCOMM"), 15_000), report(sb, mon)).toBe(true);
      expect(mon.running).toBe(true);
      sb.spawn("upsd", OUR_UPSD());
      expect(await eventually(() => mon.noticeTypes(sys).includes("COMMOK"), 20_000), report(sb, mon)).toBe(true);
      expect(await eventually(async () => (await upsdNumLogins(sb.port, "ups1")) === 1, 10_000), report(sb, mon)).toBe(true);
      expect(mon.shutdowns(), report(sb, mon)).toEqual([]);
      expect(mon.noticeTypes()).not.toContain("SHUTDOWN");
      expect(mon.running).toBe(true);
    },
    TEST_MS,
  );

  test.concurrent(
    name("6c. a NOTIFYCMD that hangs never delays monitoring"),
    async () => {
      await using sb = await sandboxWith(["ups1"]);
      const sys = systemOf(sb, "ups1");
      await using mon = startUpsmon(sb, { impl, monitors: [monitor("ups1", PRIMARY)], hangingNotifier: true });
      await loggedIn(sb, "ups1", 1, mon);
      await setStatus(sb, "ups1", "OB");
      expect(await eventually(() => mon.noticeTypes(sys).includes("ONBATT"), 8000), report(sb, mon)).toBe(true);
      await setStatus(sb, "ups1", "OL", "90");
      expect(await eventually(() => mon.noticeTypes(sys).includes("ONLINE"), 3000), report(sb, mon)).toBe(true);
      await setStatus(sb, "ups1", "OB");
      expect(await eventually(() => count(mon.noticeTypes(sys), "ONBATT") === 2, 3000), report(sb, mon)).toBe(true);
      expect(mon.running).toBe(true);
    },
    TEST_MS,
  );

  test.concurrent(
    name("7. scenario 2 against Debian's upsd 2.8.0"),
    () => lowBatteryShutdown(impl, "debian"),
    TEST_MS,
  );
}
