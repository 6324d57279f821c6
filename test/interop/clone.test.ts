// nut-ts clone on nut-ts dummy-ups, served by Debian's upsd and read with Debian's clients, next
// to Debian's /lib/nut/clone on the same real driver.
//
// Debian 2.8.0 clone bug documented here: its instcmd() starts with
// dstate_getinfo(getval("load.status")), so without a `load.status` setting every instant command
// (shutdown.return included) dereferences NULL and the driver dies of SIGSEGV. Debian's clone is
// therefore compared twice: `dcl` with exactly our settings (listings, then the crash) and `dcls`
// with `load.status` naming a variable the real driver lacks (the shutdown.return sequence).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { DEBIAN_UPSC, type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY, type RunResult, runCommand } from "../harness/nut-binary.ts";
import { eventually } from "../harness/eventually.ts";

const DEBIAN_CLONE = "/lib/nut/clone";
const DEBIAN_UPSCMD = "/usr/bin/upscmd";
const DEBIAN_UPSRW = "/usr/bin/upsrw";

const REAL_DEV = [
  "ups.status: OL",
  "ups.mfr: Acme",
  "ups.model: Clone 1",
  "ups.serial: C-77",
  "battery.charge: 95",
  "battery.charge.low: 10",
  "battery.runtime: 1800",
  "input.voltage: 230",
  "output.voltage: 229",
  "ups.load: 40",
  // the real driver's own timers: a clone publishes its own instead
  "ups.delay.shutdown: 20",
  "ups.timer.shutdown: 5",
  "",
].join("\n");

const CLONE_SETTINGS = { "load.off": "load.off", offdelay: "2", ondelay: "3" };
const ADMIN = { name: "admin", password: "secret", actions: ["SET"], instcmds: ["all"] } as const;
const LOGIN = ["-u", ADMIN.name, "-p", ADMIN.password];
const LOAD_OFF_LOGGED = "instcmd: unknown command [load.off] [(null)]\n";

let sandbox: NutSandbox;
let debianClone: Subprocess;

beforeAll(async () => {
  sandbox = await startNutSandbox({
    ups: [
      { name: "real" },
      { name: "cl", driver: "clone", port: "dummy-ups-real", settings: CLONE_SETTINGS },
      // started below, so that its Subprocess (and its death) is at hand
      { name: "dcl", driver: "clone", port: "dummy-ups-real", settings: CLONE_SETTINGS, start: false },
      { name: "dcls", driver: "clone", port: "dummy-ups-real", settings: { ...CLONE_SETTINGS, "load.status": "outlet.1.status" } },
    ],
    users: [ADMIN],
    files: { "real.dev": REAL_DEV },
    driverCommand: (ups) => [ups.name.startsWith("dcl") ? DEBIAN_CLONE : NUT_BINARY, "-a", ups.name, "-F", "-u", "root"],
    driverArgv0: (ups) => (ups.name.startsWith("dcl") ? undefined : (ups.driver ?? "dummy-ups")),
  });
  debianClone = sandbox.spawn("driver-dcl", [DEBIAN_CLONE, "-a", "dcl", "-F", "-u", "root"]);
  // upsd retries its connection every loop; wait for a served, fresh dump
  const ready = await eventually(() => {
    const r = upsc("dcl");
    return r.exitCode === 0 && r.stdout.includes("ups.timer.start: -1\n");
  }, 10_000);
  if (!ready) throw new Error(`Debian's clone did not come up\n${sandbox.logs()}`);
}, 30_000);

afterAll(async () => {
  await sandbox?.stop();
});

function run(argv: string[]): RunResult {
  return runCommand(argv, { timeoutMs: 15_000 });
}

function upsc(ups: string, variable?: string): RunResult {
  return run([DEBIAN_UPSC, sandbox.upsId(ups), ...(variable !== undefined ? [variable] : [])]);
}

/** stderr of a Debian client without the notice libupsclient prints on every connection. */
function errors(r: RunResult): string {
  return r.stderr.replace(/^Init SSL without certificate database\n/gm, "");
}

/** upsc's listing as [name, value] pairs, in upsd's order. */
function listing(ups: string): [string, string][] {
  const r = upsc(ups);
  expect(r.exitCode).toBe(0);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const at = l.indexOf(": ");
      return [l.slice(0, at), l.slice(at + 2)] as [string, string];
    });
}

function realDriverLog(): string {
  const file = join(sandbox.paths.logPath, "driver-real.log");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

function loadOffCount(): number {
  return realDriverLog().split(LOAD_OFF_LOGGED).length - 1;
}

/**
 * Sends shutdown.return to `ups` and follows ups.status (every 100 ms) until it is back to `OL`:
 * the statuses seen in order and when the real driver got `INSTCMD load.off` and when OL returned.
 */
async function followShutdownReturn(ups: string): Promise<{ verdict: string; statusRightAfter: string; loadOffsRightAfter: number; statuses: string[]; loadOffMs: number; olMs: number; timersAfterOl: string[] }> {
  const offsBefore = loadOffCount();
  const t0 = Date.now();
  const cmd = run([DEBIAN_UPSCMD, ...LOGIN, sandbox.upsId(ups), "shutdown.return"]);
  const verdict = `${cmd.stdout}${errors(cmd)}`;
  // upsd answers OK once it has passed the command on; the clone's FSD follows within moments
  let statusRightAfter = "";
  await eventually(() => (statusRightAfter = upsc(ups, "ups.status").stdout.trim()) === "FSD OL", 2000);
  const loadOffsRightAfter = loadOffCount() - offsBefore;
  const statuses: string[] = [statusRightAfter];
  let loadOffMs = -1;
  let olMs = -1;
  const deadline = t0 + 20_000;
  while (Date.now() < deadline && olMs < 0) {
    await Bun.sleep(100);
    if (loadOffMs < 0 && loadOffCount() > offsBefore) loadOffMs = Date.now() - t0;
    const status = upsc(ups, "ups.status").stdout.trim();
    if (status !== statuses[statuses.length - 1]) statuses.push(status);
    if (status === "OL") olMs = Date.now() - t0;
  }
  const timersAfterOl = listing(ups)
    .filter(([name]) => name.startsWith("ups.timer."))
    .map(([name, value]) => `${name}: ${value}`);
  return { verdict, statusRightAfter, loadOffsRightAfter, statuses, loadOffMs, olMs, timersAfterOl };
}

describe("clone under Debian's upsd", () => {
  test("upsc of the clone shows the real UPS's variables plus its own ups.delay.* / ups.timer.*", () => {
    const real = new Map(listing("real").filter(([name]) => !name.startsWith("driver.")));
    const expected = new Map(real);
    // not copied from the real driver: the clone's own timers and low-battery limits
    for (const name of ["ups.delay.shutdown", "ups.timer.shutdown", "battery.charge.low"]) expected.delete(name);
    expected.set("battery.charge.low", "0");
    expected.set("battery.runtime.low", "0");
    expected.set("ups.delay.shutdown", "2");
    expected.set("ups.delay.start", "3");
    expected.set("ups.timer.shutdown", "-1");
    expected.set("ups.timer.start", "-1");
    const clone = listing("cl");
    expect(Object.fromEntries(clone.filter(([name]) => !name.startsWith("driver.")))).toEqual(Object.fromEntries(expected));
    expect(clone.filter(([name]) => name.startsWith("driver.")).map(([n, v]) => `${n}: ${v}`)).toEqual([
      "driver.name: clone",
      "driver.parameter.load.off: load.off",
      "driver.parameter.offdelay: 2",
      "driver.parameter.ondelay: 3",
      "driver.parameter.pollinterval: 2",
      "driver.parameter.port: dummy-ups-real",
      "driver.parameter.synchronous: auto",
      "driver.version: 2.8.0-nut-ts-0.1.0",
      "driver.version.internal: 0.03",
    ]);
  });

  test("the listing is Debian's clone's on the same setup (except driver.version)", () => {
    const withoutVersion = (l: [string, string][]): [string, string][] => l.filter(([name]) => name !== "driver.version");
    const debian = listing("dcl");
    expect(withoutVersion(listing("cl"))).toEqual(withoutVersion(debian));
    expect(debian).toContainEqual(["driver.version", "2.8.0"]);
    expect(run([DEBIAN_UPSRW, sandbox.upsId("cl")]).stdout).toBe(run([DEBIAN_UPSRW, sandbox.upsId("dcl")]).stdout);
  });

  test("upscmd -l lists shutdown.return and shutdown.stayoff, as Debian's clone", () => {
    const ours = run([DEBIAN_UPSCMD, "-l", sandbox.upsId("cl")]);
    expect(ours.exitCode).toBe(0);
    expect(ours.stdout).toBe(
      "Instant commands supported on UPS [cl]:\n\n" +
        "shutdown.return - Turn off the load and return when power is back\n" +
        "shutdown.stayoff - Turn off the load and remain off\n",
    );
    expect(run([DEBIAN_UPSCMD, "-l", sandbox.upsId("dcl")]).stdout).toBe(ours.stdout.replace("[cl]", "[dcl]"));
  });

  test("shutdown.return: FSD OL, INSTCMD load.off to the real driver after offdelay, OL again after ondelay", async () => {
    const seq = await followShutdownReturn("cl");
    expect(seq.verdict).toBe("OK\n");
    expect(seq.statusRightAfter).toBe("FSD OL");
    expect(seq.loadOffsRightAfter).toBe(0);
    expect(seq.statuses).toEqual(["FSD OL", "OL"]);
    expect(seq.loadOffMs).toBeGreaterThan(0);
    expect(seq.loadOffMs).toBeLessThan(8000);
    expect(seq.olMs - seq.loadOffMs).toBeGreaterThanOrEqual(3000);
    expect(seq.timersAfterOl).toEqual(["ups.timer.shutdown: -1", "ups.timer.start: -1"]);
    expect(loadOffCount()).toBe(1);
  }, 30_000);

  test("Debian's clone (with load.status set) goes through the same sequence", async () => {
    const seq = await followShutdownReturn("dcls");
    expect(seq.verdict).toBe("OK\n");
    expect(seq.statusRightAfter).toBe("FSD OL");
    expect(seq.loadOffsRightAfter).toBe(0);
    expect(seq.statuses).toEqual(["FSD OL", "OL"]);
    expect(seq.loadOffMs).toBeGreaterThan(0);
    expect(seq.loadOffMs).toBeLessThan(8000);
    expect(seq.olMs - seq.loadOffMs).toBeGreaterThanOrEqual(3000);
    expect(seq.timersAfterOl).toEqual(["ups.timer.shutdown: -1", "ups.timer.start: -1"]);
    expect(loadOffCount()).toBe(2);
  }, 30_000);

  test("TRACKING: our clone answers SUCCESS for shutdown.stayoff (and the outlet, already back on, goes off again)", async () => {
    const cmd = run([DEBIAN_UPSCMD, ...LOGIN, "-w", sandbox.upsId("cl"), "shutdown.stayoff"]);
    expect(errors(cmd)).toBe("SUCCESS\n");
    expect(cmd.exitCode).toBe(0);
    expect(await eventually(() => loadOffCount() === 3, 8000)).toBe(true);
    // stayoff: no start timer, so FSD stays (2.8.0 clone: until another shutdown.return)
    expect(upsc("cl", "ups.timer.start").stdout).toBe("-1\n");
    expect(upsc("cl", "ups.status").stdout).toBe("FSD OL\n");
  }, 20_000);

  test("a missing real driver is reported with strerror's text, as Debian's clone reports it", async () => {
    const args = (name: string): string[] => ["-s", name, "-x", "port=dummy-ups-none", "-F", "-u", "root"];
    sandbox.spawn("clone-none-ours", [NUT_BINARY, ...args("noneours")], "clone");
    sandbox.spawn("clone-none-debian", [DEBIAN_CLONE, ...args("nonedeb")]);
    const line = "Can't connect to UPS [dummy-ups-none]: No such file or directory\n";
    const logged = (label: string): boolean => {
      const file = join(sandbox.paths.logPath, `${label}.log`);
      return existsSync(file) && readFileSync(file, "utf8").includes(line);
    };
    expect(await eventually(() => logged("clone-none-ours") && logged("clone-none-debian"), 5000)).toBe(true);
    await sandbox.kill("clone-none-ours");
    await sandbox.kill("clone-none-debian");
  }, 20_000);

  test("Debian 2.8.0's clone without load.status dies of SIGSEGV on an instant command (2.8.0 bug)", async () => {
    expect(debianClone.exitCode).toBeNull();
    const cmd = run([DEBIAN_UPSCMD, ...LOGIN, sandbox.upsId("dcl"), "shutdown.return"]);
    expect(errors(cmd)).toBe("OK\n");
    await Promise.race([debianClone.exited, Bun.sleep(5000)]);
    expect(debianClone.signalCode).toBe("SIGSEGV");
    expect(await eventually(() => errors(upsc("dcl")) === "Error: Driver not connected\n", 5000)).toBe(true);
  }, 20_000);
});
