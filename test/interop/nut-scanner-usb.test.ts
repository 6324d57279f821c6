/**
 * nut-scanner against Debian's NUT 2.8.0 /usr/bin/nut-scanner: the same command lines give the
 * same stdout, stderr and exit status.
 * - USB (-U with -N, -P, -q) under the USB simulator with every simulator profile plugged in at
 *   once (apc, eaton, cyberpower, tripplite and the test/sim/hid_profiles/ modules).
 * - No USB device at all: the simulator needs at least one profile, so this case runs outside
 *   it, where this host's libusb lists no device (2.8.0 then exits 1 with "No USB device
 *   found: <strerror>"); on a host with USB devices both list the same ones.
 * - The command line without scanning: -h, -a, bad and ambiguous options, unavailable buses,
 *   -T/-t warnings; argv[0] is "nut-scanner" for both, as when run from PATH.
 * Buses this build cannot scan yet print NUT's "library not found" line (checked on ours only).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { runUnderUsbSim, SYSTEM_PYTHON, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN = "/usr/bin/nut-scanner";
const SIM_DIR = join(import.meta.dir, "..", "sim");

interface Observed {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function debian(args: string[]): Observed {
  return runCommand([DEBIAN, ...args], { argv0: "nut-scanner", timeoutMs: 20_000 });
}

function ours(args: string[]): Observed {
  return runCommand([NUT_BINARY, ...args], { argv0: "nut-scanner", timeoutMs: 20_000 });
}

/** Every profile the simulator knows, built-in ones first. */
function allProfiles(): string[] {
  const proc = Bun.spawnSync([SYSTEM_PYTHON, "-c", `import sys; sys.path.insert(0, ${JSON.stringify(SIM_DIR)}); import hidups_sim; print(','.join(hidups_sim.PROFILES))`], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 20_000,
  });
  if (proc.exitCode !== 0) throw new Error(`listing simulator profiles failed: ${proc.stderr.toString()}`);
  return proc.stdout.toString().trim().split(",");
}

describe("nut-scanner -U under the USB simulator, several devices: ours equals Debian's", () => {
  const VARIANTS = [["-U"], ["-U", "-N"], ["-U", "-P"], ["-U", "-q"], ["-q", "-U", "-P"], ["--usb_scan", "--disp_nut_conf", "--quiet"]];
  test("all variants", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const profiles = allProfiles();
    expect(profiles).toEqual(expect.arrayContaining(["apc", "eaton", "cyberpower", "tripplite"]));
    // pairs in parallel: Debian's and ours each on a simulator of their own
    for (const args of VARIANTS) {
      const [theirs, mine] = await Promise.all([
        runUnderUsbSim(["nut-scanner", ...args], { profiles }, 30_000),
        runUnderUsbSim([NUT_BINARY, "nut-scanner", ...args], { profiles }, 30_000),
      ]);
      // at least the four built-in profiles are in NUT's USB table
      const sections = args.includes("-P") ? theirs.stdout.split("\n").filter((l) => l.startsWith("USB:")) : theirs.stdout.split("\n").filter((l) => /^\[nutdev\d+\]$/.test(l));
      expect(sections.length).toBeGreaterThanOrEqual(4);
      expect({ args, ...mine }).toEqual({ args, ...theirs });
    }
  }, 110_000);
});

describe("nut-scanner -U with no USB device (outside the simulator)", () => {
  for (const args of [["-U"], ["-U", "-q"], ["-U", "-P"], ["-D", "-q", "-U", "-P"]]) {
    test(args.join(" "), () => {
      const theirs = debian(args);
      const mine = ours(args);
      // -D lines carry timestamps: compare them without
      const untimed = (o: Observed) => ({ ...o, stderr: o.stderr.replace(/^ *\d+\.\d{6}\t/gm, "") });
      expect(untimed(mine)).toEqual(untimed(theirs));
      if (theirs.exitCode === 1) expect(theirs.stderr).toContain("No USB device found: ");
    });
  }
});

describe("nut-scanner command line: ours equals Debian's", () => {
  const CASES = [
    ["-h"], ["--help"], ["-a"], ["-S"], ["-M"], ["-I"], ["-Q"], ["-Z"], ["-?"], ["-h", "-U"], ["-U", "-h"],
    ["--foo=3"], ["--s=1"], ["--p"], ["--usb=1"], ["--tim"], ["-t"], ["-l"], ["--secName", "x"], ["-c", "public"],
    ["-T", "10", "-h"], ["-T", "99999", "-h"], ["-T", "abc", "-h"], ["-T", "12x", "-h"], ["-T", "-5", "-h"], ["-t", "0", "-h"], ["-t", "abc", "-h"],
    ["-O"], ["-q", "-O"], ["-m", "10.0.0.0/0"], ["-m", "10.0.0.0/8", "-D", "-q", "-U", "-h"], ["-V"],
  ];
  for (const args of CASES) {
    test(args.join(" "), () => {
      const theirs = debian(args);
      const mine = ours(args);
      if (args[0] === "-V") {
        // ours names its own build after the NUT release it reproduces
        expect(theirs.stdout).toBe("Network UPS Tools - 2.8.0\n");
        expect(mine.stdout).toStartWith("Network UPS Tools - 2.8.0");
        expect(mine.exitCode).toBe(theirs.exitCode);
        return;
      }
      const untimed = (o: Observed) => ({ ...o, stderr: o.stderr.replace(/^ *\d+\.\d{6}\t/gm, "") });
      expect(untimed(mine)).toEqual(untimed(theirs));
    });
  }
});

describe("nut-scanner: buses this build cannot scan say so", () => {
  test("-O with an address: NUT's missing-library line, no device, exit 0", () => {
    const mine = ours(["-O", "-s", "127.0.0.1"]);
    expect(mine).toEqual({ exitCode: 0, stdout: "", stderr: "Scanning NUT bus (old connect method).\nNUT client library not found. NUT search disabled.\n" });
  });
  test("-E: one line for the serial scan", () => {
    const mine = ours(["-q", "-E", "0"]);
    expect(mine).toEqual({ exitCode: 0, stdout: "", stderr: "Eaton serial scan not available in this build. Serial search disabled.\n" });
  });
});
