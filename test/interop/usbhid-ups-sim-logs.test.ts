/**
 * usbhid-ups log parity with Debian's NUT 2.8.0 driver (/lib/nut/usbhid-ups): both run on the
 * same simulated device and their log lines are compared in order, timestamps ("   0.000123\t")
 * dropped:
 * - `-DDD -d 1` on the apc, eaton, cyberpower and tripplite profiles (stderr line for line,
 *   stdout: banner with libusb1.c's "USB communication driver" line and the dump);
 * - no matching device (the simulator's device filtered out, an empty report descriptor) and no
 *   USB bus at all; -V and -h (the "USB communication driver" line under the banner);
 * - HID parser warnings and report dumps on descriptors with "LogMax < LogMin" ranges, against
 *   Debian's captures in test/fixtures/usb-hid (*.debian.explore.txt);
 * - an unplug and replug ({"_disconnected": true}, then false) under a running driver.
 * Lines only one side prints are listed below in KNOWN_DIFFERENCES, each with its reason, and
 * dropped from both sides; everything else must be equal.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { eventually } from "../harness/eventually.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, startUnderUsbSim, SYSTEM_PYTHON, type UsbSimProfile, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_DRIVER = "/lib/nut/usbhid-ups";
const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");
const dir = tempDir("nut-usbhid-logs-");
afterAll(() => dir[Symbol.dispose]());

type Implementation = "debian" | "ours";
const driverArgv = (impl: Implementation): string[] => (impl === "debian" ? [DEBIAN_DRIVER] : [NUT_BINARY, "usbhid-ups"]);

interface KnownDifference {
  readonly pattern: RegExp;
  readonly reason: string;
}

/** Lines of Debian's log that ours does not print (yet), in every scenario. */
const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    pattern: /^\[D3\] Entering dstate_dump$/,
    reason: "dstate_dump()'s debug line: the framework's -d dump (run-driver.ts, every driver) does not print it",
  },
  {
    pattern: /^\[D2\] dstate_init: sock .* open on fd \d+$|^\[D1\] Group and\/or user account for this driver was customized |^\[D1\] Group access for this driver successfully fixed$/,
    reason: "dstate.c's socket set-up lines: the framework's state server does not print them",
  },
];


/**
 * upsdebug_with_errno() appends strerror(errno), and after Parse_ReportDesc() errno is whatever
 * an earlier call left (EAGAIN from libusb here): not a value ours can know, so it is dropped.
 */
const STALE_ERRNO = /^(\[D1\] Failed to parse report descriptor!): .*$/;

/** One log as lines, timestamps dropped, known differences removed. */
function logLines(text: string, differences: readonly KnownDifference[] = KNOWN_DIFFERENCES): string[] {
  const lines = text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => l.replace(/^\s*\d+\.\d{6}\t/, "").replace(STALE_ERRNO, "$1"));
  return lines.filter((l) => !differences.some((d) => d.pattern.test(l)));
}

/**
 * Whether a report is fetched again or taken from the buffer depends on the wall clock (its age
 * in whole seconds): the kind is kept for HIDDumpTree's reads (followed by a "[D1] Path:" line,
 * buffered without a time limit) and blurred elsewhere; the bytes are always compared.
 */
function blurReportAge(lines: string[]): string[] {
  return lines.map((l, i) => (/^\[D3\] Report\[(get|buf)\]: /.test(l) && !lines[i + 1]?.startsWith("[D1] Path: ") ? l.replace(/Report\[(get|buf)\]/, "Report[get|buf]") : l));
}

/** stdout as lines: our version string and the driver.version* variables set aside. */
function stdoutLines(text: string): string[] {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => l.replace(/\(2\.8\.0[^)]*\)$/, "(2.8.0)"))
    .filter((l) => !l.startsWith("driver.version"));
}

/** Runs at most `limit` jobs at a time (two CPUs; every simulator start costs one). */
function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}
const limit = limiter(2);

function requireSim(): void {
  const why = usbSimUnavailable();
  if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
}

/** A config directory with ups.conf for section `name`, and a state file for the simulator. */
function sandbox(name: string, state: object): { confDir: string; stateFile: string; env: Record<string, string> } {
  const confDir = join(dir.path, name);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[u]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify(state));
  return { confDir, stateFile, env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir } };
}

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** One driver run to completion on one simulated device. */
function simRun(impl: Implementation, profile: UsbSimProfile, args: string[], state: object = {}): Promise<Run> {
  return limit(async () => {
    const sb = sandbox(`${profile}-${impl}-${args.join("").replace(/[^a-z0-9]/gi, "")}`, state);
    return runUnderUsbSim([...driverArgv(impl), "-a", "u", "-u", "root", ...args], { profiles: [profile], stateFile: sb.stateFile, env: sb.env }, 60_000);
  });
}

const PROFILES: readonly UsbSimProfile[] = ["apc", "eaton", "cyberpower", "tripplite"];

describe("usbhid-ups -DDD -d 1: the same log lines as Debian's 2.8.0 driver", () => {
  for (const profile of PROFILES) {
    test(profile, async () => {
      requireSim();
      const [debian, ours] = await Promise.all([simRun("debian", profile, ["-DDD", "-d", "1"]), simRun("ours", profile, ["-DDD", "-d", "1"])]);
      expect(debian.exitCode).toBe(0);
      expect(ours.exitCode).toBe(0);
      const theirs = blurReportAge(logLines(debian.stderr));
      // what the comparison must cover: descriptor and report dumps, the tree, the walks
      expect(theirs.filter((l) => l.startsWith("[D3] Report Descriptor: (")).length).toBe(1);
      expect(theirs.some((l) => l.startsWith("[D3] Report[get]: "))).toBe(true);
      expect(theirs.some((l) => l.startsWith("[D1] Detected a UPS: "))).toBe(true);
      expect(theirs.at(-1)).toBe("[D1] upsdrv_cleanup...");
      expect(blurReportAge(logLines(ours.stderr))).toEqual(theirs);
      expect(stdoutLines(ours.stdout)).toEqual(stdoutLines(debian.stdout));
      expect(ours.stdout.split("\n")[1]).toBe("USB communication driver (libusb 1.0) 0.43");
    }, 120_000);
  }
});

describe("usbhid-ups without a matching device: Debian's lines and exit status", () => {
  test("the simulator's device filtered out (vendorid=ffff): insufficient permissions on everything", async () => {
    requireSim();
    const [debian, ours] = await Promise.all([simRun("debian", "apc", ["-DD", "-x", "vendorid=ffff"]), simRun("ours", "apc", ["-DD", "-x", "vendorid=ffff"])]);
    expect(debian.exitCode).toBe(1);
    expect(logLines(debian.stderr).slice(-3)).toEqual(["[D2] libusb1: No appropriate HID device found", "libusb1: Could not open any HID devices: insufficient permissions on everything", "No matching HID UPS found"]);
    expect({ exitCode: ours.exitCode, stderr: logLines(ours.stderr), stdout: stdoutLines(ours.stdout) }).toEqual({
      exitCode: debian.exitCode,
      stderr: logLines(debian.stderr),
      stdout: stdoutLines(debian.stdout),
    });
  }, 60_000);

  test("an empty report descriptor: the callback refuses the device (-DDD)", async () => {
    requireSim();
    const state = { _rdesc_hex: "" };
    const [debian, ours] = await Promise.all([simRun("debian", "apc", ["-DDD", "-d", "1"], state), simRun("ours", "apc", ["-DDD", "-d", "1"], state)]);
    expect(logLines(debian.stderr).slice(-6)).toEqual([
      "[D3] Report Descriptor: (0 bytes) =>",
      "[D1] Failed to parse report descriptor!",
      "[D2] Caller doesn't like this device",
      "[D2] libusb1: No appropriate HID device found",
      "libusb1: Could not open any HID devices: insufficient permissions on everything",
      "No matching HID UPS found",
    ]);
    expect({ exitCode: ours.exitCode, stderr: logLines(ours.stderr), stdout: stdoutLines(ours.stdout) }).toEqual({
      exitCode: debian.exitCode,
      stderr: logLines(debian.stderr),
      stdout: stdoutLines(debian.stdout),
    });
  }, 60_000);

  test("outside the simulator (no USB bus in a container)", async () => {
    const sb = sandbox("nobus", {});
    const run = async (impl: Implementation): Promise<Run> => {
      const proc = Bun.spawn([...driverArgv(impl), "-a", "u", "-u", "root", "-DD", "-x", "vendorid=ffff"], {
        env: { ...process.env, ...sb.env },
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        timeout: 20_000,
        killSignal: "SIGKILL",
      });
      const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
      return { exitCode: await proc.exited, stdout, stderr };
    };
    const [debian, ours] = await Promise.all([run("debian"), run("ours")]);
    // a host with USB devices gets the "insufficient permissions" variant: the comparison holds either way
    if (!existsSync("/dev/bus/usb")) expect(logLines(debian.stderr)).toContain("libusb1: Could not open any HID devices: no USB buses found");
    expect({ exitCode: ours.exitCode, stderr: logLines(ours.stderr), stdout: stdoutLines(ours.stdout) }).toEqual({
      exitCode: debian.exitCode,
      stderr: logLines(debian.stderr),
      stdout: stdoutLines(debian.stdout),
    });
  }, 30_000);
});

describe("usbhid-ups HID parser warnings and report dumps: Debian's captures", () => {
  const RDESC_SIM = join(FIXTURES, "rdesc-sim.py");
  const EXTRACT = join(FIXTURES, "extract-explore.py");
  // the captures whose descriptors have "LogMax < LogMin" ranges (hidparser.c's warning)
  const NAMES = ["apc-back-ups-bk650m2", "quirks-q1", "quirks-q3"];

  test(NAMES.join(", "), async () => {
    requireSim();
    const args = ["usbhid-ups", "-DDD", "-x", "explore", "-s", "t", "-x", "port=auto", "-x", "vendorid=1234", "-u", "root", "-d", "1"];
    const extracts = await Promise.all(
      NAMES.map((name) =>
        limit(async () => {
          const proc = Bun.spawn([SYSTEM_PYTHON, RDESC_SIM, "--", NUT_BINARY, ...args], {
            env: { ...process.env, RDESC_HEX: readFileSync(join(FIXTURES, `${name}.rdesc.hex`), "utf8").trim() },
            stdin: "ignore",
            stdout: "pipe",
            stderr: "pipe",
            timeout: 60_000,
            killSignal: "SIGKILL",
          });
          const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
          await proc.exited;
          const logFile = join(dir.path, `${name}.log`);
          writeFileSync(logFile, out + err);
          const extract = Bun.spawnSync(["python3", EXTRACT, logFile, join(dir.path, name)], { stdout: "pipe", stderr: "pipe", timeout: 20_000 });
          if (extract.exitCode !== 0) throw new Error(`extract-explore.py: ${extract.stderr.toString()}`);
          return readFileSync(join(dir.path, `${name}.explore.txt`), "utf8");
        }),
      ),
    );
    NAMES.forEach((name, i) => {
      const debian = blurReportAge(readFileSync(join(FIXTURES, `${name}.debian.explore.txt`), "utf8").split("\n"));
      expect(debian.some((l) => l.startsWith("HIDParse: LogMax is less than LogMin."))).toBe(true);
      expect(debian.some((l) => l.includes("Report[get]: "))).toBe(true);
      expect({ name, lines: blurReportAge((extracts[i] ?? "").split("\n")) }).toEqual({ name, lines: debian });
    });
  }, 120_000);
});

describe("usbhid-ups unplugged and replugged: the same reconnection lines as Debian's", () => {
  /** A driver in the foreground whose stderr is collected while it runs. */
  async function reconnection(impl: Implementation): Promise<string[]> {
    const sb = sandbox(`reconnect-${impl}`, {});
    const sim = startUnderUsbSim([...driverArgv(impl), "-a", "u", "-u", "root", "-DDD"], { profiles: ["apc"], stateFile: sb.stateFile, env: sb.env });
    let stderr = "";
    const drained = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of sim.proc.stderr) stderr += decoder.decode(chunk, { stream: true });
    })();
    void new Response(sim.proc.stdout).text();
    const count = (text: string): number => stderr.split(text).length - 1;
    try {
      expect(await eventually(() => count("upsdrv_updateinfo...") >= 2, 30_000)).toBe(true);
      writeFileSync(sb.stateFile, JSON.stringify({ _disconnected: true }));
      expect(await eventually(() => count("Got to reconnect!") >= 2, 30_000)).toBe(true);
      writeFileSync(sb.stateFile, JSON.stringify({ _disconnected: false }));
      expect(await eventually(() => /Got to reconnect![^]*Claimed interface[^]*\[D1\] (Quick|Full) update\.\.\./.test(stderr.slice(stderr.lastIndexOf("Got to reconnect!"))), 30_000)).toBe(true);
    } finally {
      await sim.stop();
      await drained;
    }
    return logLines(stderr);
  }

  /**
   * The lines from the poll that loses the device to the first update after the replug, as
   * polls (blocks starting at "upsdrv_updateinfo..."): the poll noticing the loss, the first
   * failed attempt and the successful one. How many attempts fail depends on timing.
   */
  function episode(lines: string[]): { lost: string[]; failed: string[]; back: string[]; attempts: number } {
    const polls: string[][] = [];
    for (const line of lines) {
      if (line === "[D1] upsdrv_updateinfo..." || polls.length === 0) polls.push([]);
      polls.at(-1)!.push(line);
    }
    const isAttempt = (p: string[]): boolean => p.includes("[D1] Got to reconnect!");
    const first = polls.findIndex(isAttempt);
    const last = polls.findLastIndex(isAttempt);
    // the poll before the first attempt that failed on the interrupt pipe
    const lost = polls.slice(0, first).findLastIndex((p) => p.some((l) => l.includes("No such device")));
    const back = polls[last] ?? [];
    const end = back.findIndex((l) => /^\[D1\] (Quick|Full) update\.\.\.$/.test(l));
    return { lost: polls[lost] ?? [], failed: polls[first] ?? [], back: end < 0 ? back : back.slice(0, end + 1), attempts: polls.filter(isAttempt).length };
  }

  test("apc, {\"_disconnected\": true} then false", async () => {
    requireSim();
    const [debian, ours] = await Promise.all([limit(() => reconnection("debian")), limit(() => reconnection("ours"))]);
    const theirs = episode(debian);
    const mine = episode(ours);
    expect(theirs.attempts).toBeGreaterThanOrEqual(2);
    expect(mine.attempts).toBeGreaterThanOrEqual(2);
    expect(theirs.lost).toContain("nut_libusb_get_interrupt: No such device (it may have been disconnected)");
    expect(theirs.failed).toContain("[D2] Device does not match - skipping");
    // 2.8.0 reopens without its callback: no descriptor re-read, no HID tree, the INIT walk again
    expect(theirs.back.some((l) => l.startsWith("[D2] Report Descriptor size"))).toBe(false);
    expect(theirs.back).toContain("[D3] Adding command 'beeper.mute' using Path 'UPS.PowerSummary.AudibleAlarmControl'");
    expect({ lost: mine.lost, failed: mine.failed, back: blurReportAge(mine.back) }).toEqual({ lost: theirs.lost, failed: theirs.failed, back: blurReportAge(theirs.back) });
  }, 120_000);
});

describe("usbhid-ups banner: libusb1.c's line under it, as 2.8.0 prints it", () => {
  const said = (argv: string[]): { exitCode: number; stdout: string[] } => {
    const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe", timeout: 10_000 });
    return { exitCode: r.exitCode, stdout: stdoutLines(r.stdout.toString()) };
  };

  test("-V", () => {
    const debian = said([DEBIAN_DRIVER, "-V"]);
    expect(debian.stdout).toEqual(["Network UPS Tools - Generic HID driver 0.47 (2.8.0)", "USB communication driver (libusb 1.0) 0.43"]);
    expect(said([...driverArgv("ours"), "-V"])).toEqual(debian);
  });

  test("-h starts with the same two lines (its variable table has 2.8.1+ additions)", () => {
    const debian = said([DEBIAN_DRIVER, "-h"]);
    const ours = said([...driverArgv("ours"), "-h"]);
    expect(ours.exitCode).toBe(debian.exitCode);
    expect(ours.stdout.slice(0, 4)).toEqual(debian.stdout.slice(0, 4));
    expect(ours.stdout[1]).toBe("USB communication driver (libusb 1.0) 0.43");
  });
});
