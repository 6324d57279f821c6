// upsd's command line against Debian's upsd 2.8.0 (help, version, refused options, -c without a
// running instance), then our upsd's life cycle: -FF with its PID file, the already-running
// probe, -c reload keeping connected clients, -c stop, and background mode.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../harness/debian-nut.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function setup(port: number): { root: string; env: Record<string, string>; pidFile: string } {
  const root = mkdtempSync(join(tmpdir(), "upsd-cli-"));
  for (const d of ["etc", "state"]) mkdirSync(join(root, d));
  writeFileSync(join(root, "etc", "ups.conf"), "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n");
  writeFileSync(join(root, "etc", "upsd.conf"), `LISTEN 127.0.0.1 ${port}\n`, { mode: 0o640 });
  writeFileSync(join(root, "etc", "upsd.users"), "[admin]\n\tpassword = pw\n", { mode: 0o640 });
  const env = { ...(process.env as Record<string, string>), NUT_CONFPATH: join(root, "etc"), NUT_STATEPATH: join(root, "state"), NUT_ALTPIDPATH: join(root, "state") };
  return { root, env, pidFile: join(root, "state", "upsd.pid") };
}

/** Sends lines on one connection and returns what came back within the wait. */
async function ask(port: number, text: string, waitMs = 300): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  let out = "";
  socket.on("data", (d) => (out += d.toString("latin1")));
  socket.on("error", () => undefined);
  await new Promise((r) => socket.once("connect", r));
  socket.write(text);
  await sleep(waitMs);
  socket.destroy();
  return out;
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("upsd command line equals Debian's", () => {
  const { root, env } = setup(1);
  const cases = [["-h"], ["-V"], ["-p", "1"], ["-i", "x"], ["-c", "reload"], ["-c", "bogus"], ["extra"], ["-x"], ["-c"], ["-P", "abc", "-c", "stop"], ["-P", "999999", "-c", "stop"], ["-c", "r", "-P", "1"]];
  for (const args of cases) {
    test(`upsd ${args.join(" ")}`, () => {
      const norm = (t: string): string => t.replaceAll(/upsd 2\.8\.0\S*/g, "upsd 2.8.0").replaceAll("/lib/nut/upsd:", "upsd:");
      const theirs = runCommand(["/lib/nut/upsd", ...args], { env, timeoutMs: 5000 });
      const ours = runCommand([NUT_BINARY, "upsd", ...args], { env, timeoutMs: 5000 });
      expect({ exitCode: ours.exitCode, stdout: norm(ours.stdout), stderr: norm(ours.stderr) }).toEqual({ exitCode: theirs.exitCode, stdout: norm(theirs.stdout), stderr: norm(theirs.stderr) });
    });
  }
  test("cleanup", () => rmSync(root, { recursive: true, force: true }));
});

describe("our upsd's life cycle", () => {
  test("-FF: PID file, already-running probe, -c reload keeps clients, -c stop", async () => {
    const port = await freePort();
    const { root, env, pidFile } = setup(port);
    const proc = Bun.spawn([NUT_BINARY, "upsd", "-FF", "-u", "root"], { env, stdout: "pipe", stderr: "pipe" });
    try {
      expect(await waitFor(() => existsSync(pidFile), 5000)).toBe(true);
      expect(readFileSync(pidFile, "utf8")).toBe(`${proc.pid}\n`);
      expect(await waitFor(async () => (await ask(port, "VER\n", 100)).startsWith("Network UPS Tools upsd"), 5000)).toBe(true);

      const second = runCommand([NUT_BINARY, "upsd", "-F", "-u", "root"], { env, timeoutMs: 5000 });
      expect(second.exitCode).toBe(1);
      expect(second.stdout).toContain("Fatal error: A previous upsd instance is already running!\nEither stop the previous instance first, or use the 'reload' command.\n");

      // a connection made before the reload is still served after it
      const socket = connect(port, "127.0.0.1");
      let out = "";
      socket.on("data", (d) => (out += d.toString()));
      await new Promise((r) => socket.once("connect", r));
      writeFileSync(join(root, "etc", "ups.conf"), "[ups2]\n\tdriver = dummy-ups\n\tport = x\n[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n");
      expect(runCommand([NUT_BINARY, "upsd", "-c", "reload"], { env, timeoutMs: 5000 }).exitCode).toBe(0);
      await sleep(300);
      socket.write("LIST UPS\n");
      expect(await waitFor(() => out.includes("END LIST UPS\n"), 3000)).toBe(true);
      expect(out).toBe('BEGIN LIST UPS\nUPS ups2 "Description unavailable"\nUPS ups1 "Description unavailable"\nEND LIST UPS\n');
      socket.destroy();

      expect(runCommand([NUT_BINARY, "upsd", "-c", "stop"], { env, timeoutMs: 5000 }).exitCode).toBe(0);
      expect(await proc.exited).toBe(0);
      expect(existsSync(pidFile)).toBe(false);
      const stderr = await new Response(proc.stderr).text();
      expect(stderr).toContain("Running as foreground process, but saving a PID file anyway\n");
      expect(stderr).toContain("SIGHUP: reloading configuration\n");
      expect(stderr).toContain("Signal 15: exiting\n");
    } finally {
      proc.kill("SIGKILL");
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);

  test("background mode: returns once serving, PID file names the daemon, -c stop ends it", async () => {
    const port = await freePort();
    const { root, env, pidFile } = setup(port);
    let pid: number | undefined;
    try {
      const started = runCommand([NUT_BINARY, "upsd", "-u", "root"], { env, timeoutMs: 10_000 });
      expect(started.exitCode).toBe(0);
      expect(existsSync(pidFile)).toBe(true);
      pid = Number(readFileSync(pidFile, "utf8"));
      expect(alive(pid)).toBe(true);
      expect(await ask(port, "VER\n")).toStartWith("Network UPS Tools upsd");
      expect(runCommand([NUT_BINARY, "upsd", "-c", "stop"], { env, timeoutMs: 5000 }).exitCode).toBe(0);
      const daemon = pid;
      expect(await waitFor(() => !alive(daemon), 5000)).toBe(true);
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);

  test("fatal start-up errors exit 1 with NUT's messages", async () => {
    const port = await freePort();
    const { root, env } = setup(port);
    try {
      writeFileSync(join(root, "etc", "ups.conf"), "");
      const none = runCommand([NUT_BINARY, "upsd", "-F", "-u", "root"], { env, timeoutMs: 5000 });
      const theirs = runCommand(["/lib/nut/upsd", "-F", "-u", "root"], { env, timeoutMs: 5000 });
      expect(none.exitCode).toBe(theirs.exitCode);
      expect(none.stderr).toContain("Fatal error: at least one UPS must be defined in ups.conf\n");
      rmSync(join(root, "etc", "upsd.users"));
      writeFileSync(join(root, "etc", "ups.conf"), "[u]\ndriver = x\nport = y\n");
      const users = runCommand([NUT_BINARY, "upsd", "-F", "-u", "root"], { env, timeoutMs: 5000 });
      expect(users.exitCode).toBe(1);
      expect(users.stderr).toContain(`stat ${join(root, "etc", "upsd.users")}: No such file or directory\n`);
      const nobody = runCommand([NUT_BINARY, "upsd", "-F", "-u", "no-such-user-x"], { env, timeoutMs: 5000 });
      expect(nobody.exitCode).toBe(1);
      expect(nobody.stderr).toContain("user no-such-user-x not found\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
