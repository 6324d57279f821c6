// Our upsdrvctl (dist/nut) against Debian's NUT 2.8.0 upsdrvctl on the same ups.conf: same
// stdout (the banner line aside), same stderr (the debug time stamps aside), same exit status,
// same driver command lines. Drivers are Debian's dummy-ups or small shell scripts that log
// their argv. Every process started here is stopped by its PID; every wait is bounded.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NUT_BINARY, type RunResult, runCommand } from "../harness/nut-binary.ts";

const DEBIAN_UPSDRVCTL = "/sbin/upsdrvctl";
const DEBIAN_DRIVERS = "/lib/nut";

let root = "";
/** PIDs of every long-lived process a test left behind, killed in afterAll if still there. */
const started = new Set<number>();

beforeAll(() => {
  for (const file of [DEBIAN_UPSDRVCTL, join(DEBIAN_DRIVERS, "dummy-ups")]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: install Debian's nut-server (npm test does it)`);
  }
  root = mkdtempSync(join(tmpdir(), "nut-upsdrvctl-"));
});

afterAll(() => {
  for (const pid of started) {
    if (isRunning(pid)) process.kill(pid, "SIGKILL");
  }
  if (root !== "") rmSync(root, { recursive: true, force: true });
});

/** A fresh NUT_CONFPATH/NUT_STATEPATH pair with this ups.conf; returns its directory. */
function setup(name: string, upsConf: string | undefined): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "state"), { recursive: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  if (upsConf !== undefined) writeFileSync(join(dir, "ups.conf"), upsConf);
  return dir;
}

function envFor(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("NUT_")) env[k] = v;
  env.NUT_CONFPATH = dir;
  env.NUT_STATEPATH = join(dir, "state");
  env.NUT_ALTPIDPATH = join(dir, "state");
  return env;
}

/** A fake driver: logs `<name> <args>` to <dir>/log, then runs `tail` (shell). */
function fakeDriver(dir: string, name: string, tail = "exit 0"): void {
  const file = join(dir, "bin", name);
  writeFileSync(file, `#!/bin/sh\necho "$(basename "$0") $*" >> "${join(dir, "log")}"\n${tail}\n`);
  chmodSync(file, 0o755);
}

function readLog(dir: string): string[] {
  const file = join(dir, "log");
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
  rmSync(file);
  return lines;
}

function ours(dir: string, args: string[], timeoutMs = 30_000): RunResult {
  return runCommand([NUT_BINARY, "upsdrvctl", ...args], { env: envFor(dir), timeoutMs });
}

function debian(dir: string, args: string[], timeoutMs = 30_000): RunResult {
  return runCommand([DEBIAN_UPSDRVCTL, ...args], { env: envFor(dir), timeoutMs, argv0: "upsdrvctl" });
}

/** Only the version banner and the debug time stamps may differ. */
function normalize(r: RunResult): RunResult {
  const stamps = (text: string): string => text.replace(/^ *\d+\.\d{6}\t/gm, "<t>\t");
  return {
    exitCode: r.exitCode,
    stdout: r.stdout.replace(/^Network UPS Tools - UPS driver controller \S+$/gm, "<banner>"),
    stderr: stamps(r.stderr),
  };
}

/** Runs both on the same files and expects the same normalized result; returns ours. */
function same(dir: string, args: string[], between?: () => void): RunResult {
  const a = ours(dir, args);
  between?.();
  const b = debian(dir, args);
  expect(normalize(a)).toEqual(normalize(b));
  return a;
}

function isRunning(pid: number): boolean {
  try {
    // a zombie (exited, not yet reaped by a PID 1 that does not reap) counts as gone
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "latin1"));
  } catch {
    return false;
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const BANNER = /^Network UPS Tools - UPS driver controller 2\.8\.0-nut-ts-\S+\n/;

describe("upsdrvctl: options, help and errors, as Debian's 2.8.0", () => {
  const cases: { title: string; args: string[]; conf?: string }[] = [
    { title: "-h", args: ["-h"] },
    { title: "no command prints the help, exit 0", args: [] },
    { title: "an invalid option: getopt's message, then the help, exit 0", args: ["-z", "start"] },
    { title: "a missing option argument", args: ["-u"] },
    { title: "-V: the banner only", args: ["-V"] },
    { title: "-V after other options", args: ["-t", "-V", "bogus"] },
    { title: "an unknown command", args: ["bogus"] },
    { title: "an unknown command in test mode (notice first)", args: ["-t", "bogus"] },
    { title: "no ups.conf", args: ["start"] },
    { title: "ups.conf without any UPS", args: ["start"], conf: "maxretry = 3\n" },
    { title: "ups.conf without any UPS, naming one", args: ["stop", "ups1"], conf: "# nothing\n" },
    { title: "an unknown UPS", args: ["start", "nope"], conf: "[ups1]\ndriver = dummy-ups\nport = a.dev\n" },
    { title: "a UPS named with another case", args: ["-t", "start", "UPS1"], conf: "[ups1]\ndriver = dummy-ups\nport = a.dev\n" },
    {
      title: "parse errors are logged with NUT's line numbers",
      args: ["-t", "start"],
      conf: 'driverpath = /lib/nut\n[x]\ndriver = dummy-ups\nport = "a#b"\nfoo "#\n[y]\n',
    },
    { title: "ups.conf is a directory: no UPS", args: ["start"], conf: "<dir>" },
  ];
  for (const c of cases) {
    test(c.title, () => {
      const dir = setup(`opts-${cases.indexOf(c)}`, c.conf === "<dir>" ? undefined : c.conf);
      if (c.conf === "<dir>") mkdirSync(join(dir, "ups.conf"));
      const r = same(dir, c.args);
      expect(r.stdout).toMatch(BANNER);
    });
  }

  test("the help text is 2.8.0's, byte for byte, with argv[0] in the usage line", () => {
    const dir = setup("help", undefined);
    const r = ours(dir, ["-h"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.replace(BANNER, "")).toBe(
      "Starts and stops UPS drivers via ups.conf.\n\n" +
        "usage: upsdrvctl [OPTIONS] (start | stop | shutdown) [<ups>]\n\n" +
        "  -h\t\t\tdisplay this help\n" +
        "  -r <path>\t\tdrivers will chroot to <path>\n" +
        "  -t\t\t\ttesting mode - prints actions without doing them\n" +
        "  -u <user>\t\tdrivers started will switch from root to <user>\n" +
        "  -D            \traise debugging level\n" +
        "  -d            \tpass debugging level from upsdrvctl to driver\n" +
        "  start\t\t\tstart all UPS drivers in ups.conf\n" +
        "  start\t<ups>\t\tonly start driver for UPS <ups>\n" +
        "  stop\t\t\tstop all UPS drivers in ups.conf\n" +
        "  stop <ups>\t\tonly stop driver for UPS <ups>\n" +
        "  shutdown\t\tshutdown all UPS drivers in ups.conf\n" +
        "  shutdown <ups>\tonly shutdown UPS <ups>\n",
    );
  });
});

describe("upsdrvctl -t: what would run", () => {
  const conf = (dir: string): string =>
    `driverpath = ${join(dir, "bin")}\nmaxretry = 3\n` +
    "[a]\n driver = fake\n port = /dev/ttyS0\n" +
    "[b]\n driver = fake\n port = x\n sdorder = 2\n" +
    "[c]\n desc = \"no driver line\"\n port = y\n";

  for (const args of [
    ["-t", "start"],
    ["-t", "-u", "root", "-r", "/chroot", "start", "b"],
    ["-t", "-DDD", "-d", "start"],
    ["-t", "-d", "start", "a"],
    ["-t", "shutdown"],
    ["-t", "-D", "-u", "nut", "shutdown", "b"],
    ["-t", "stop"],
  ]) {
    test(args.join(" "), () => {
      const dir = setup(`t-${args.join("")}`, "");
      writeFileSync(join(dir, "ups.conf"), conf(dir));
      fakeDriver(dir, "fake");
      same(dir, args);
      expect(readLog(dir)).toEqual([]);
    });
  }

  test("the exec line shows the driver path and argv (-d passes -DDD before -a)", () => {
    const dir = setup("t-exec", "");
    writeFileSync(join(dir, "ups.conf"), conf(dir));
    fakeDriver(dir, "fake");
    const r = ours(dir, ["-t", "-DDD", "-d", "-u", "root", "start", "a"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\n\*\*\* Testing mode: not calling exec\/kill\n$/);
    expect(r.stderr).toMatch(new RegExp(`\\t\\[D2\\] exec:  ${join(dir, "bin", "fake")} -DDD -a a -u root\\n$`));
  });

  test("without driverpath the drivers are this binary, argv[0] = the driver name", () => {
    const dir = setup("t-own", "[u1]\n driver = dummy-ups\n port = a.dev\n[u2]\n driver = nosuch\n port = b\n");
    const binary = realpathSync(NUT_BINARY);
    const r = ours(dir, ["-t", "start"]);
    expect(r.stderr).toContain(`\t[D2] exec:  ${binary} dummy-ups -a u1\n`);
    expect(r.stderr).toMatch(new RegExp(`\\tCan't start ${join(binary, "..", "nosuch")}: No such file or directory\\n$`));
    expect(r.exitCode).toBe(1);
  });
});

describe("upsdrvctl with fake drivers", () => {
  test("start: file order, argv `-a <ups> [-r dir] [-u user]`, exit 0", () => {
    const dir = setup("start-order", "");
    writeFileSync(
      join(dir, "ups.conf"),
      `driverpath = ${join(dir, "bin")}\n[z]\n driver = fake\n port = a\n[a]\n driver = fake2\n port = b\n[m]\n driver = fake\n port = c\n`,
    );
    fakeDriver(dir, "fake");
    fakeDriver(dir, "fake2");
    const r = same(dir, ["-u", "root", "-r", "/chroot", "start"], () => {
      expect(readLog(dir)).toEqual(["fake -a z -r /chroot -u root", "fake2 -a a -r /chroot -u root", "fake -a m -r /chroot -u root"]);
    });
    expect(r.exitCode).toBe(0);
    expect(readLog(dir)).toEqual(["fake -a z -r /chroot -u root", "fake2 -a a -r /chroot -u root", "fake -a m -r /chroot -u root"]);
  });

  test("start with -DD -d passes one -DD word before -a", () => {
    const dir = setup("start-debug", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${join(dir, "bin")}\n[u]\n driver = fake\n port = a\n`);
    fakeDriver(dir, "fake");
    same(dir, ["-DD", "-d", "start"], () => expect(readLog(dir)).toEqual(["fake -DD -a u"]));
    expect(readLog(dir)).toEqual(["fake -DD -a u"]);
  });

  test("shutdown: sdorder passes 0, 1, 2…, file order within a pass, -1 never, `-a <ups> -k`", () => {
    const dir = setup("shutdown-order", "");
    writeFileSync(
      join(dir, "ups.conf"),
      `driverpath = ${join(dir, "bin")}\n` +
        "[a]\n driver = fake\n port = x\n sdorder = 2\n" +
        // 2.8.0 ignores a section's first line unless it is driver or port: this one is order 0
        "[b]\n sdorder = 5\n driver = fake\n port = x\n" +
        "[c]\n driver = fake\n port = x\n sdorder = -1\n" +
        "[d]\n driver = fake\n port = x\n sdorder = 1\n" +
        "[e]\n driver = fake\n port = x\n" +
        "[f]\n driver = fake\n port = x\n sdorder = 4\n",
    );
    fakeDriver(dir, "fake");
    const expected = ["fake -a b -k -u root", "fake -a e -k -u root", "fake -a d -k -u root", "fake -a a -k -u root", "fake -a f -k -u root"];
    const r = same(dir, ["-u", "root", "shutdown"], () => expect(readLog(dir)).toEqual(expected));
    expect(r.exitCode).toBe(0);
    expect(readLog(dir)).toEqual(expected);
  });

  test("shutdown of one UPS ignores its sdorder, even -1", () => {
    const dir = setup("shutdown-one", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${join(dir, "bin")}\n[c]\n driver = fake\n port = x\n sdorder = -1\n`);
    fakeDriver(dir, "fake");
    same(dir, ["shutdown", "c"], () => expect(readLog(dir)).toEqual(["fake -a c -k"]));
    expect(readLog(dir)).toEqual(["fake -a c -k"]);
  });

  test("a driver exiting 3 is retried maxretry times and reported; exit 1", () => {
    const dir = setup("failing", "");
    writeFileSync(
      join(dir, "ups.conf"),
      `driverpath = ${join(dir, "bin")}\nmaxretry = 2\nretrydelay = 0\n[ok1]\n driver = fake\n port = a\n[bad]\n driver = failer\n port = b\n[ok2]\n driver = fake\n port = c\n`,
    );
    fakeDriver(dir, "fake");
    fakeDriver(dir, "failer", "echo on-stdout; echo on-stderr >&2; exit 3");
    const expectedLog = ["fake -a ok1", "failer -a bad", "failer -a bad", "fake -a ok2"];
    const r = same(dir, ["-D", "start"], () => expect(readLog(dir)).toEqual(expectedLog));
    expect(readLog(dir)).toEqual(expectedLog);
    expect(r.exitCode).toBe(1);
    // the failing UPS is named by the -D line before its failure (2.8.0's message itself does not)
    expect(normalize(r).stderr).toContain("<t>\t[D1] Starting UPS: bad\non-stderr\n<t>\tDriver failed to start (exit status=3)\n");
    // C stdio: the drivers' output reaches the pipe before upsdrvctl's buffered banner
    expect(r.stdout).toMatch(/^on-stdout\non-stdout\nNetwork UPS Tools/);
  });

  test("a driver killed by a signal: Driver exited abnormally", () => {
    const dir = setup("signalled", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${join(dir, "bin")}\n[u]\n driver = fake\n port = a\n`);
    fakeDriver(dir, "fake", "kill -9 $$");
    const r = same(dir, ["start"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("Driver exited abnormally\n");
  });

  test("a missing driver program stops everything: Can't start <path>, exit 1", () => {
    const dir = setup("missing", "");
    writeFileSync(
      join(dir, "ups.conf"),
      `driverpath = ${join(dir, "bin")}\n[a]\n driver = fake\n port = a\n[b]\n driver = nosuch\n port = b\n[c]\n driver = fake\n port = c\n`,
    );
    fakeDriver(dir, "fake");
    const r = same(dir, ["start"], () => expect(readLog(dir)).toEqual(["fake -a a"]));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`Can't start ${join(dir, "bin", "nosuch")}: No such file or directory\n`);
    expect(readLog(dir)).toEqual(["fake -a a"]);
  });

  test("a section without driver: (null), as 2.8.0 prints it", () => {
    const dir = setup("null-driver", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${join(dir, "bin")}\n[a]\n port = a\n desc = "x"\n`);
    const r = same(dir, ["start"]);
    expect(r.stderr).toBe(`Can't start ${join(dir, "bin", "(null)")}: No such file or directory\n`);
  });

  test("a driver file that cannot be executed: the child's execv error and its copy of the banner", () => {
    const dir = setup("noexec", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${join(dir, "bin")}\nmaxretry = 2\nretrydelay = 0\n[u]\n driver = noexec\n port = a\n`);
    writeFileSync(join(dir, "bin", "noexec"), "not a program\n");
    const r = same(dir, ["start"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("execv: Permission denied\nDriver failed to start (exit status=1)\n".repeat(2));
    expect(r.stdout.match(/Network UPS Tools/g)).toHaveLength(3);
  });

  test("maxstartdelay: a driver that does not return in time is left running, and retried", async () => {
    const dir = setup("timer", "");
    writeFileSync(
      join(dir, "ups.conf"),
      `driverpath = ${join(dir, "bin")}\nmaxretry = 2\nretrydelay = 0\n[slow]\n driver = sleeper\n port = a\n maxstartdelay = 1\n[fast]\n driver = fake\n port = b\n`,
    );
    fakeDriver(dir, "fake");
    // the sleeper lets go of stdout and stderr, or runCommand would wait for it to close them
    fakeDriver(dir, "sleeper", `echo $$ >> "${join(dir, "pids")}"\nexec sleep 30 >/dev/null 2>&1`);
    const pids = (): number[] =>
      existsSync(join(dir, "pids")) ? readFileSync(join(dir, "pids"), "utf8").split("\n").filter(Boolean).map(Number) : [];
    try {
      const t0 = Date.now();
      const r = same(dir, ["-D", "start"], () => {
        for (const pid of pids()) started.add(pid);
      });
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(r.exitCode).toBe(1);
      expect(normalize(r).stderr).toBe(
        "<t>\t[D1] Starting UPS: slow\n<t>\tStartup timer elapsed, continuing...\n<t>\tStartup timer elapsed, continuing...\n<t>\t[D1] Starting UPS: fast\n",
      );
    } finally {
      for (const pid of pids()) {
        started.add(pid);
        if (isRunning(pid)) process.kill(pid, "SIGKILL");
      }
    }
    expect(pids()).toHaveLength(4);
  }, 30_000);

  test("nowait: drivers are not waited for, so their failure is not reported", async () => {
    const dir = setup("nowait", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${join(dir, "bin")}\nnowait\n[u]\n driver = failer\n port = a\n`);
    fakeDriver(dir, "failer", "exit 3");
    for (const r of [ours(dir, ["-DD", "start"]), debian(dir, ["-DD", "start"])]) {
      expect(r.exitCode).toBe(0);
      expect(normalize(r).stderr).toEndWith("<t>\t[D2] 'nowait' set, continuing...\n");
      expect(r.stderr).not.toContain("Driver failed");
    }
    await waitFor("both drivers to log", () => existsSync(join(dir, "log")) && readFileSync(join(dir, "log"), "utf8").split("\n").length > 2);
    expect(readLog(dir)).toEqual(["failer -a u", "failer -a u"]);
  }, 30_000);
});

describe("upsdrvctl stop: PID files", () => {
  const conf = "[a]\n driver = fake\n port = /dev/ttyS0\n[b]\n driver = fake\n port = x\n[c]\n driver = fake\n port = y\n[d]\n driver = fake\n port = z\n[e]\n driver = fake\n desc = \"no port\"\n";

  test("missing PID files: by UPS name, then by port basename, else exit 1", () => {
    const dir = setup("stop-missing", conf);
    const r = same(dir, ["stop"]);
    expect(r.exitCode).toBe(1);
    const state = join(dir, "state");
    expect(r.stderr.split("\n").slice(0, 2)).toEqual([
      `Can't open ${state}/fake-a.pid: No such file or directory`,
      `Can't open ${state}/fake-ttyS0.pid either: No such file or directory`,
    ]);
    // no port: the fallback is skipped and the first name repeated
    expect(r.stderr).toEndWith(`Can't open ${state}/fake-e.pid either: No such file or directory\n`);
  });

  test("stale and broken PID files: 2.8.0's messages, errno included", () => {
    const dir = setup("stop-broken", conf);
    const state = join(dir, "state");
    const write = (): void => {
      writeFileSync(join(state, "fake-a.pid"), "2147483647\n"); // no such process
      writeFileSync(join(state, "fake-b.pid"), "abc\n"); // pid 0
      writeFileSync(join(state, "fake-c.pid"), ""); // nothing to read
      writeFileSync(join(state, "fake-z.pid"), "99999999999\n"); // too big, found by port name
      mkdirSync(join(state, "fake-e.pid"), { recursive: true }); // a directory
    };
    write();
    const r = same(dir, ["stop"], write);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split("\n").slice(0, 3)).toEqual([
      "kill: No such process",
      // runCommand's stderr is a socket (read-write): glibc's perror() leaves errno alone then
      `Stopping ${state}/fake-a.pid failed: No such process`,
      "Ignoring invalid pid number 0",
    ]);

    // stderr a file opened write-only: the first perror() sets errno to EINVAL (its fdopen "w+")
    const viaShell = (program: string, argv0: string, out: string): RunResult => {
      write();
      const r = runCommand(["/bin/bash", "-c", `exec -a ${argv0} "$0" stop 2>"$1"`, program, join(dir, out)], { env: envFor(dir) });
      return { ...r, stderr: readFileSync(join(dir, out), "utf8") };
    };
    const a = viaShell(NUT_BINARY, "upsdrvctl", "ours.err");
    const b = viaShell(DEBIAN_UPSDRVCTL, "upsdrvctl", "debian.err");
    expect(normalize(a)).toEqual(normalize(b));
    expect(a.stderr.split("\n").slice(0, 2)).toEqual(["kill: No such process", `Stopping ${state}/fake-a.pid failed: Invalid argument`]);
  });

  test("errno after perror() depends on whether stderr was written before", () => {
    const dir = setup("stop-errno", conf);
    writeFileSync(join(dir, "state", "fake-a.pid"), "2147483647\n");
    const r = same(dir, ["-D", "stop", "a"]);
    expect(normalize(r).stderr).toBe(
      "<t>\t[D1] Stopping UPS: a\nkill: No such process\n<t>\tStopping " + join(dir, "state", "fake-a.pid") + " failed: No such process\n",
    );
    same(dir, ["stop", "b"]);
  });
});

describe("upsdrvctl with Debian's dummy-ups", () => {
  const devFile = "ups.status: OL\nbattery.charge: 100\n";
  const conf = (dir: string): string =>
    `driverpath = ${DEBIAN_DRIVERS}\n` +
    [1, 2, 3].map((n) => `[ups${n}]\n driver = dummy-ups\n port = ${join(dir, `ups${n}.dev`)}\n desc = "UPS ${n}"\n`).join("");

  function pidOf(dir: string, ups: string): number | undefined {
    const file = join(dir, "state", `dummy-ups-${ups}.pid`);
    return existsSync(file) ? Number.parseInt(readFileSync(file, "utf8"), 10) : undefined;
  }

  async function dumpAll(socketPath: string): Promise<string> {
    let text = "";
    const done = Promise.withResolvers<void>();
    const socket = await Bun.connect({
      unix: socketPath,
      socket: {
        open: (s) => void s.write("DUMPALL\n"),
        data: (_s, data) => {
          text += data.toString();
          if (text.includes("DUMPDONE\n")) done.resolve();
        },
      },
    });
    const timer = setTimeout(() => done.resolve(), 5_000);
    await done.promise;
    clearTimeout(timer);
    socket.end();
    return text;
  }

  async function startedAndServing(dir: string): Promise<number[]> {
    const pids: number[] = [];
    for (const ups of ["ups1", "ups2", "ups3"]) {
      const pid = pidOf(dir, ups);
      expect(pid).toBeNumber();
      started.add(pid!);
      pids.push(pid!);
      expect(isRunning(pid!)).toBe(true);
      expect(readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").filter(Boolean)).toEqual([
        join(DEBIAN_DRIVERS, "dummy-ups"),
        "-a",
        ups,
        "-u",
        "root",
      ]);
      const dump = await dumpAll(join(dir, "state", `dummy-ups-${ups}`));
      expect(dump).toContain('SETINFO ups.status "OL"\n');
      expect(dump).toContain("DUMPDONE\n");
    }
    return pids;
  }

  async function stoppedAndGone(dir: string, pids: number[]): Promise<void> {
    await waitFor("the drivers to exit", () => pids.every((pid) => !isRunning(pid)));
    await waitFor("the PID files and sockets to go", () =>
      ["ups1", "ups2", "ups3"].every((u) => !existsSync(join(dir, "state", `dummy-ups-${u}.pid`)) && !existsSync(join(dir, "state", `dummy-ups-${u}`))),
    );
  }

  test("ours starts three, Debian's stops them; Debian's starts them, ours stops them", async () => {
    const dir = setup("dummy", "");
    writeFileSync(join(dir, "ups.conf"), conf(dir));
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `ups${n}.dev`), devFile);

    const up = ours(dir, ["-u", "root", "start"], 60_000);
    expect(up).toMatchObject({ exitCode: 0, stderr: "" });
    expect(up.stdout).toMatch(BANNER);
    let pids = await startedAndServing(dir);
    const down = debian(dir, ["stop"]);
    expect(down).toMatchObject({ exitCode: 0, stderr: "" });
    await stoppedAndGone(dir, pids);

    const up2 = debian(dir, ["-u", "root", "start"], 60_000);
    expect(up2).toMatchObject({ exitCode: 0, stderr: "" });
    pids = await startedAndServing(dir);
    const down2 = ours(dir, ["stop"]);
    expect(down2).toMatchObject({ exitCode: 0, stderr: "" });
    expect(down2.stdout).toMatch(BANNER);
    await stoppedAndGone(dir, pids);
  }, 120_000);

  test("start of one UPS, then stop of it by name", async () => {
    const dir = setup("dummy-one", "");
    writeFileSync(join(dir, "ups.conf"), conf(dir));
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `ups${n}.dev`), devFile);
    expect(ours(dir, ["-u", "root", "start", "ups2"], 60_000).exitCode).toBe(0);
    const pid = pidOf(dir, "ups2");
    expect(pid).toBeNumber();
    started.add(pid!);
    expect(pidOf(dir, "ups1")).toBeUndefined();
    expect(ours(dir, ["stop", "ups2"]).exitCode).toBe(0);
    await waitFor("ups2's driver to exit", () => !isRunning(pid!));
  }, 60_000);

  test("a dummy-ups that fails (no .dev file): same output as Debian's upsdrvctl", () => {
    const dir = setup("dummy-fail", "");
    writeFileSync(join(dir, "ups.conf"), `driverpath = ${DEBIAN_DRIVERS}\n[bad]\n driver = dummy-ups\n port = ${join(dir, "missing.dev")}\n`);
    const r = same(dir, ["-u", "root", "start"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toEndWith("Driver failed to start (exit status=1)\n");
    // the driver's banner first, upsdrvctl's (buffered until exit) last
    expect(r.stdout).toMatch(/^Network UPS Tools - Device simulation and repeater driver [^\n]*\nNetwork UPS Tools - UPS driver controller /);
  });
});
