import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTerminal } from "./is-terminal.ts";

const dir = mkdtempSync(join(tmpdir(), "is-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("isTerminal()", () => {
  test("files, /dev/null and closed descriptors are no terminal", async () => {
    const file = join(dir, "f");
    writeFileSync(file, "x");
    for (const path of [file, "/dev/null", "/dev/zero"]) {
      const fd = openSync(path, "r");
      try {
        expect(await isTerminal(fd)).toBe(false);
      } finally {
        closeSync(fd);
      }
    }
    expect(await isTerminal(987654)).toBe(false);
  });

  test("a pseudo-terminal is one (checked in a child on a new pty)", () => {
    const script = `import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.write(out.decode())`;
    const probe = `import { isTerminal } from ${JSON.stringify(join(import.meta.dir, "is-terminal.ts"))}; console.log(String(await isTerminal(0)) + " " + String(await isTerminal(1)));`;
    const r = Bun.spawnSync(["/usr/bin/python3", "-c", script, process.execPath, "-e", probe], { stdout: "pipe", stderr: "pipe", timeout: 20_000, killSignal: "SIGKILL" });
    expect(r.stdout.toString()).toContain("true true");
  });
});
