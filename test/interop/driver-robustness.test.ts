// nut-ts drivers (dummy-ups) facing bad input and rough neighbours, served by Debian's upsd and read
// with Debian's clients: malformed .dev lines, a missing .dev file, hostile peers on the driver
// socket, upsd killed and restarted, a second instance taking over, SIGTERM.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type Socket, connect } from "node:net";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { DEBIAN_DUMMY_UPS, DEBIAN_UPSC, DEBIAN_UPSD, type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY, type RunResult, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { eventually } from "../harness/eventually.ts";

const DEBIAN_UPSRW = "/usr/bin/upsrw";
const ADMIN = { name: "admin", password: "secret", actions: ["SET"], instcmds: ["all"] } as const;
const LOGIN = ["-u", ADMIN.name, "-p", ADMIN.password];

function run(argv: string[]): RunResult {
  return runCommand(argv, { timeoutMs: 15_000 });
}

/** stderr of a Debian client without the notice libupsclient prints on every connection. */
function errors(r: RunResult): string {
  return r.stderr.replace(/^Init SSL without certificate database\n/gm, "");
}

function readLog(sandbox: NutSandbox, label: string): string {
  const file = join(sandbox.paths.logPath, `${label}.log`);
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** Waits for a process to end, at most `ms`; true if it did. */
async function exited(proc: Subprocess, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([proc.exited.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("malformed and missing definition files", () => {
  // line 3: '#' inside quotes; line 4: only ':'; line 5: a Latin-1 byte
  const BAD_DEV = Buffer.concat([
    Buffer.from('ups.status: OL\nbattery.charge: 90\nx = "a#b"\n:\nups.mfr: Caf'),
    Buffer.from([0xe9]),
    Buffer.from(" Inc\nups.model: Good\ninput.voltage: 231\n"),
  ]);
  let sandbox: NutSandbox;

  beforeAll(async () => {
    sandbox = await startNutSandbox({
      ups: [
        { name: "ours", port: "bad.dev" },
        { name: "deb", port: "bad.dev" },
      ],
      files: { "bad.dev": BAD_DEV },
      driverCommand: (ups) => (ups.name === "deb" ? [DEBIAN_DUMMY_UPS, "-a", "deb", "-F", "-u", "root"] : [NUT_BINARY, "-a", "ours", "-DD", "-F", "-u", "root"]),
      driverArgv0: (ups) => (ups.name === "deb" ? undefined : "dummy-ups"),
    });
  }, 30_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  test("-DD reports every bad line as <file>:<line>: and the good lines are served", () => {
    const file = join(sandbox.paths.confPath, "bad.dev");
    const debug = readLog(sandbox, "driver-ours")
      .split("\n")
      .map((l) => /^ {0,3}\d+\.\d{6}\t\[D2\] (.*)$/.exec(l)?.[1])
      .filter((l): l is string => l?.startsWith(`${file}:`) === true);
    expect(debug).toEqual([
      `${file}:3: Parse error: Unbalanced word due to unescaped # in quotes (NUT skips the words before the #; the rest of the line is read as a new line)`,
      `${file}:3: no value for b": dummy-ups reuses the previous line's value "90"`,
      `${file}:4: empty variable name (NUT creates a variable named "")`,
      `${file}:4: no value for : dummy-ups reuses the previous line's value "90"`,
      `${file}:5: characters outside 0x20-0x7F dropped (0xe9)`,
    ]);

    const ours = run([DEBIAN_UPSC, sandbox.upsId("ours")]);
    expect(ours.exitCode).toBe(0);
    const data = ours.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("driver."));
    expect(data).toEqual([
      // what is left of line 3 after the '#' becomes a variable named `b"` (NUT does the same)
      'b": 90',
      "battery.charge: 90",
      "device.mfr: Caf Inc",
      "device.model: Good",
      "device.type: ups",
      "input.voltage: 231",
      "ups.mfr: Caf Inc",
      "ups.model: Good",
      "ups.status: OL",
    ]);
    const debian = run([DEBIAN_UPSC, sandbox.upsId("deb")]);
    expect(debian.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("driver."))).toEqual(data);
    // the variable named "" reaches upsd as `SETFLAGS  RW STRING`, from both drivers alike
    expect(readLog(sandbox, "upsd").split("state_setflags: base variable (RW) does not exist\n").length - 1).toBe(2);
  });

  test("a missing .dev file: the same fatal line as Debian's dummy-ups, exit 1", () => {
    using dir = tempDir("nut-missing-");
    const missing = join(dir.path, "missing.dev");
    const env = { ...process.env, NUT_STATEPATH: dir.path, NUT_CONFPATH: dir.path, NUT_ALTPIDPATH: dir.path };
    const args = ["-s", "t", "-x", `port=${missing}`, "-F", "-u", "root"];
    const ours = runCommand([NUT_BINARY, ...args], { env, argv0: "dummy-ups", timeoutMs: 15_000 });
    const debian = runCommand([DEBIAN_DUMMY_UPS, ...args], { env, timeoutMs: 15_000 });
    const line = `Can't open dummy-ups definition file ${missing}: Can't open ${missing}: No such file or directory\n`;
    expect(ours.stderr).toBe(line);
    expect(ours.exitCode).toBe(1);
    expect(debian.stderr).toBe(line);
    expect(debian.exitCode).toBe(1);
    expect(existsSync(join(dir.path, "dummy-ups-t"))).toBe(false);
  }, 35_000);
});

describe("the driver socket under stress, upsd restarts, take-over and SIGTERM", () => {
  const DEV = ["ups.status: OL", "ups.mfr: Acme", "ups.id: start", "battery.charge: 100", "battery.runtime: 3600", "input.voltage: 230", ""].join("\n");
  let sandbox: NutSandbox;
  let first: Subprocess;
  let second: Subprocess | undefined;
  let socketPath: string;

  const upsc = (variable?: string): RunResult => run([DEBIAN_UPSC, sandbox.upsId("u1"), ...(variable !== undefined ? [variable] : [])]);
  const served = (): boolean => {
    const r = upsc();
    return r.exitCode === 0 && r.stdout.includes("battery.runtime: 3600\n");
  };
  const connectedCount = (): number => readLog(sandbox, "upsd").split("Connected to UPS [u1]: dummy-ups-u1\n").length - 1;
  const setAndCheck = async (value: string): Promise<void> => {
    const set = run([DEBIAN_UPSRW, "-s", `ups.id=${value}`, ...LOGIN, "-w", sandbox.upsId("u1")]);
    expect(errors(set)).toBe("SUCCESS\n");
    expect(set.exitCode).toBe(0);
    expect(await eventually(() => upsc("ups.id").stdout === `${value}\n`, 5000)).toBe(true);
  };
  const startOurs = (label: string): Subprocess => sandbox.spawn(label, [NUT_BINARY, "-a", "u1", "-F", "-u", "root"], "dummy-ups");

  beforeAll(async () => {
    // the driver is started here rather than by the sandbox, to keep its Subprocess
    sandbox = await startNutSandbox({ ups: [{ name: "u1", start: false }], users: [ADMIN], files: { "u1.dev": DEV } });
    socketPath = join(sandbox.paths.statePath, "dummy-ups-u1");
    first = startOurs("driver-u1");
    if (!(await eventually(served, 10_000))) throw new Error(`u1 not served\n${sandbox.logs()}`);
  }, 30_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  /** Connects to the driver socket; the peer never reads what the driver sends. */
  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connect({ path: socketPath });
      s.once("connect", () => resolve(s));
      s.once("error", reject);
    });

  test("binary garbage, a 100 kB line, a reader that never reads and peers that vanish leave upsd's connection alone", async () => {
    const before = upsc();
    expect(before.exitCode).toBe(0);
    expect(connectedCount()).toBe(1);

    // 64 kB of xorshift bytes: NULs, quotes, backslashes, high bytes, newlines
    let x = 0x2545f491;
    const garbage = new Uint8Array(65_536).map(() => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
    const peers: Socket[] = [];
    const g = await open();
    peers.push(g);
    g.write(garbage);
    const long = await open();
    peers.push(long);
    long.write(`${"A".repeat(100_000)}\n`);
    long.write(`SET ups.id "${"B".repeat(100_000)}"\n`);
    const unfinished = await open();
    peers.push(unfinished);
    unfinished.write(`${"C".repeat(100_000)}`);
    const deaf = await open();
    peers.push(deaf);
    deaf.pause();
    deaf.write("DUMPALL\n".repeat(500));
    for (let i = 0; i < 20; i++) (await open()).destroy();
    const hasty = await open();
    hasty.end("DUMPALL\nPING\n");
    hasty.destroy();
    await Bun.sleep(1000);
    for (const p of peers) p.destroy();
    await Bun.sleep(500);

    expect(first.exitCode).toBeNull();
    const after = upsc();
    expect(after.exitCode).toBe(0);
    // the 100 kB SET is a valid command: the value is cut to 255 characters (Debian's dummy-ups
    // and upsd do the same with it, observed), the rest of the data is untouched
    expect(after.stdout).toBe(before.stdout.replace("ups.id: start\n", `ups.id: ${"B".repeat(255)}\n`));
    const upsdLog = readLog(sandbox, "upsd");
    expect(connectedCount()).toBe(1);
    expect(upsdLog).not.toContain("is stale");
    await setAndCheck("afterabuse");
  }, 30_000);

  test("kill -9 of upsd, a new upsd on the same configuration serves the same driver again", async () => {
    const before = upsc();
    process.kill(sandbox.pids.upsd!, "SIGKILL");
    await sandbox.kill("upsd");
    expect(run([DEBIAN_UPSC, sandbox.upsId("u1")]).exitCode).toBe(1);
    sandbox.spawn("upsd", [DEBIAN_UPSD, "-F", "-u", "root"]);
    expect(await eventually(served, 10_000)).toBe(true);
    expect(upsc().stdout).toBe(before.stdout);
    expect(connectedCount()).toBe(2);
    expect(first.exitCode).toBeNull();
    // 2.8.0's dummy-ups could abort here (a SET broadcast to the dead connection); ours drops it on EOF
    await setAndCheck("afterrestart");
    expect(first.exitCode).toBeNull();
  }, 30_000);

  test("a second instance for the same UPS takes over: the first exits 0, the socket keeps working", async () => {
    const pidBefore = first.pid;
    second = startOurs("driver-u1-second");
    expect(await exited(first, 10_000)).toBe(true);
    expect(first.exitCode).toBe(0);
    expect(readLog(sandbox, "driver-u1")).toContain("Signal 15: exiting\n");
    const duplicate = "Duplicate driver instance detected (local Unix socket exists)! Asked the other driver nicely to self-terminate!\n";
    expect(await eventually(() => readLog(sandbox, "driver-u1-second").includes(duplicate), 5000)).toBe(true);
    // upsd reconnects to the new instance's socket (a try that races the first one's exit may count too)
    expect(await eventually(() => connectedCount() >= 3 && served(), 15_000)).toBe(true);
    expect(second.exitCode).toBeNull();
    expect(second.pid).not.toBe(pidBefore);
    expect(existsSync(socketPath)).toBe(true);
    // the new instance read the file afresh: the value set before is gone
    expect(upsc("ups.id").stdout).toBe("start\n");
    await setAndCheck("second");
  }, 30_000);

  test("SIGTERM removes the socket file and exits 0 (Debian 2.8.0 in the foreground: killed, socket left)", async () => {
    expect(second).toBeDefined();
    const ours = second!;
    ours.kill("SIGTERM");
    expect(await exited(ours, 10_000)).toBe(true);
    expect(ours.exitCode).toBe(0);
    expect(ours.signalCode).toBeNull();
    expect(existsSync(socketPath)).toBe(false);
    expect(readLog(sandbox, "driver-u1-second")).toContain("Signal 15: exiting\n");
    expect(await eventually(() => errors(upsc()) === "Error: Driver not connected\n", 10_000)).toBe(true);

    const devFile = join(sandbox.paths.confPath, "term.dev");
    writeFileSync(devFile, DEV);
    const debian = sandbox.spawn("driver-debterm", [DEBIAN_DUMMY_UPS, "-s", "debterm", "-x", `port=${devFile}`, "-F", "-u", "root"]);
    const debianSocket = join(sandbox.paths.statePath, "dummy-ups-debterm");
    expect(await eventually(() => existsSync(debianSocket), 10_000)).toBe(true);
    debian.kill("SIGTERM");
    expect(await exited(debian, 10_000)).toBe(true);
    expect(debian.signalCode).toBe("SIGTERM");
    expect(existsSync(debianSocket)).toBe(true);
  }, 40_000);
});
