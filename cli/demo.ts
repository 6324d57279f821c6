/**
 * `nut demo` (what `npm start` runs): the toolkit on a simulated UPS built into the binary.
 * dummy-ups serves the embedded sequence (a power cut and its return); until upsd lands, the
 * demo reads the driver's socket as upsd would and prints what the driver serves.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SockLineReader, parseSockLine } from "../core/protocol/sock-protocol.ts";
import { findSystemUserById } from "../core/system/system-user.ts";
import demoSequence from "./demo/demo-ups.seq" with { type: "text" };
import type { ProgramIo } from "./program-io.ts";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `nut demo [--seconds N]`. */
export async function main(args: string[], io: ProgramIo): Promise<number> {
  let seconds = 26;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--seconds" && args[i + 1] !== undefined && /^\d+$/.test(args[i + 1]!)) seconds = Number(args[++i]);
    else {
      io.stderr(`Usage: ${io.name} demo [--seconds N]\n`);
      return 1;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "nut-demo-"));
  const port = join(dir, "demo-ups.seq");
  writeFileSync(port, demoSequence);
  // run the driver as ourselves (NUT would switch to its own account)
  const me = findSystemUserById(process.getuid?.() ?? 0)?.name ?? "root";
  const driver = Bun.spawn([process.execPath, "-s", "demo", "-x", `port=${port}`, "-F", "-u", me], {
    argv0: "dummy-ups",
    env: { ...process.env, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  const stop = async (): Promise<void> => {
    driver.kill("SIGTERM");
    await Promise.race([driver.exited, sleep(3000)]);
    if (driver.exitCode === null) driver.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const socketPath = join(dir, "dummy-ups-demo");
    for (let i = 0; i < 100 && !existsSync(socketPath) && driver.exitCode === null; i++) await sleep(100);
    if (!existsSync(socketPath)) {
      io.stderr(`demo: dummy-ups did not start: ${await new Response(driver.stderr).text()}`);
      return 1;
    }
    io.stdout(`nut-ts demo: dummy-ups serves a simulated APC Back-UPS ES 525 (socket ${socketPath})\n`);
    io.stdout("What upsd will serve (read from the driver socket):\n\n");
    const started = Date.now();
    const values = new Map<string, string>();
    let dumped = false;
    const reader = new SockLineReader();
    const sock = connect({ path: socketPath });
    sock.on("connect", () => sock.write("DUMPALL\n"));
    sock.on("data", (chunk: Buffer) => {
      for (const line of reader.push(chunk)) {
        const parsed = parseSockLine(line.words, "driver");
        if (!parsed.ok) continue;
        const m = parsed.message;
        if (m.type === "SETINFO") {
          values.set(m.name, m.value);
          if (dumped) io.stdout(`[+${((Date.now() - started) / 1000).toFixed(0).padStart(2)} s] ${m.name}: ${m.value}\n`);
        } else if (m.type === "DUMPDONE" && !dumped) {
          dumped = true;
          for (const name of [...values.keys()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
            io.stdout(`${name}: ${values.get(name)}\n`);
          }
          io.stdout(`\nChanges as the simulated power cut goes on (${seconds} s):\n`);
        }
      }
    });
    sock.on("error", (err) => io.stderr(`demo: ${err.message}\n`));
    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
    };
    process.on("SIGINT", onSigint);
    for (let waited = 0; waited < seconds * 10 && !interrupted && driver.exitCode === null; waited++) await sleep(100);
    process.off("SIGINT", onSigint);
    sock.destroy();
    return 0;
  } finally {
    await stop();
  }
}
