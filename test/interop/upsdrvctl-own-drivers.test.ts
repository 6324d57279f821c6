// Our upsdrvctl with our own drivers (no driverpath: the drivers are this binary): start puts
// every UPS's driver in the background with its socket and PID file, stop ends them all, and a
// driver that cannot start makes the run fail.
import { expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("upsdrvctl start/stop runs our dummy-ups for every UPS", { timeout: 60_000 }, () => {
  using dir = tempDir();
  const conf = join(dir.path, "etc");
  const state = join(dir.path, "state");
  mkdirSync(conf);
  mkdirSync(state);
  writeFileSync(join(conf, "a.dev"), "ups.status: OL\nbattery.charge: 90\n");
  writeFileSync(join(conf, "b.dev"), "ups.status: OB\nbattery.charge: 40\n");
  writeFileSync(join(conf, "ups.conf"), "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n");
  const env = { ...process.env, NUT_CONFPATH: conf, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const pids: number[] = [];
  try {
    const start = runCommand([NUT_BINARY, "upsdrvctl", "-u", "root", "start"], { env, timeoutMs: 40_000 });
    expect(start.stderr).not.toContain("Startup timer elapsed");
    expect(start.exitCode).toBe(0);
    for (const ups of ["a", "b"]) {
      expect(existsSync(join(state, `dummy-ups-${ups}`))).toBe(true);
      const pid = Number(readFileSync(join(state, `dummy-ups-${ups}.pid`), "utf8"));
      pids.push(pid);
      expect(alive(pid)).toBe(true);
    }
    const stop = runCommand([NUT_BINARY, "upsdrvctl", "stop"], { env, timeoutMs: 20_000 });
    expect(stop.exitCode).toBe(0);
    for (let i = 0; i < 50 && pids.some(alive); i++) Bun.sleepSync(100);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(join(state, "dummy-ups-a"))).toBe(false);
    expect(existsSync(join(state, "dummy-ups-b.pid"))).toBe(false);
  } finally {
    for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  }
});

test("a driver that cannot start makes upsdrvctl start fail", { timeout: 60_000 }, () => {
  using dir = tempDir();
  const conf = join(dir.path, "etc");
  const state = join(dir.path, "state");
  mkdirSync(conf);
  mkdirSync(state);
  writeFileSync(join(conf, "ups.conf"), "[gone]\n\tdriver = dummy-ups\n\tport = missing.dev\n");
  const env = { ...process.env, NUT_CONFPATH: conf, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const r = runCommand([NUT_BINARY, "upsdrvctl", "-u", "root", "start"], { env, timeoutMs: 40_000 });
  expect(r.exitCode).not.toBe(0);
  expect(r.stderr).toContain(`Can't open dummy-ups definition file ${join(conf, "missing.dev")}`);
  expect(r.stderr).toContain("Driver failed to start (exit status=1)");
});
