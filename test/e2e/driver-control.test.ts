// Driver control of a running instance: SIGHUP (through `-c reload`) re-reads ups.conf,
// `-c exit` makes it leave and remove its socket and PID file.
import { expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";

/** The variables a driver socket dumps, as name → value. */
async function dump(path: string): Promise<Map<string, string>> {
  const text = await new Promise<string>((resolve, reject) => {
    const sock = connect({ path });
    let buf = "";
    const timer = setTimeout(() => reject(new Error("no DUMPDONE within 5 s")), 5000);
    sock.on("connect", () => sock.write("DUMPALL\n"));
    sock.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("DUMPDONE\n")) {
        clearTimeout(timer);
        sock.destroy();
        resolve(buf);
      }
    });
    sock.on("error", reject);
  });
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/^SETINFO (\S+) "(.*)"$/gm)) vars.set(m[1]!, m[2]!);
  return vars;
}

test("-c reload re-reads ups.conf and -c exit stops the background driver", { timeout: 60_000 }, async () => {
  using dir = tempDir();
  const conf = join(dir.path, "etc");
  const state = join(dir.path, "state");
  mkdirSync(conf);
  mkdirSync(state);
  writeFileSync(join(conf, "t.dev"), "ups.status: OL\n");
  writeFileSync(join(conf, "ups.conf"), "[t]\n\tdriver = dummy-ups\n\tport = t.dev\n\tdefault.ups.id = first\n");
  const env = { ...process.env, NUT_CONFPATH: conf, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const socket = join(state, "dummy-ups-t");
  const pidFile = join(state, "dummy-ups-t.pid");
  const start = runCommand([NUT_BINARY, "dummy-ups", "-a", "t", "-u", "root"], { env, timeoutMs: 20_000 });
  expect(start.exitCode).toBe(0);
  const pid = Number(readFileSync(pidFile, "utf8"));
  try {
    expect((await dump(socket)).get("ups.id")).toBe("first");
    writeFileSync(join(conf, "ups.conf"), "[t]\n\tdriver = dummy-ups\n\tport = t.dev\n\tdefault.ups.id = second\n\tpollinterval = 5\n");
    expect(runCommand([NUT_BINARY, "dummy-ups", "-a", "t", "-c", "reload"], { env }).exitCode).toBe(0);
    let vars = await dump(socket);
    for (let i = 0; i < 30 && vars.get("ups.id") !== "second"; i++) {
      await Bun.sleep(100);
      vars = await dump(socket);
    }
    expect(vars.get("ups.id")).toBe("second");
    expect(vars.get("driver.parameter.pollinterval")).toBe("5");
    expect(runCommand([NUT_BINARY, "dummy-ups", "-a", "t", "-c", "exit"], { env }).exitCode).toBe(0);
    for (let i = 0; i < 50 && existsSync(socket); i++) await Bun.sleep(100);
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
  } finally {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});
