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
 * Later NUT's additions, each against what Debian's 2.8.0 does instead:
 * - -Q / --disp_nut_conf_with_sanity_check (2.8.1+): 2.8.0 rejects it; ours prints -N's
 *   sections and then NUT's sanity-check comments (two devices with the same serial here). Its
 *   option line in the usage text is the only difference allowed in -h and the other usage
 *   outputs.
 * - EcoFlow 3746:ffff (2.8.5's nutscan-usb.h): 2.8.0 does not list it, ours adds its section
 *   after the devices 2.8.0 lists; the all-profiles comparison leaves that profile out.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { requireUsbSim, runUnderUsbSim, SYSTEM_PYTHON, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN = "/usr/bin/nut-scanner";
const SIM_DIR = join(import.meta.dir, "..", "sim");
/** The usage line later NUT added (without its "(default)": our default is still 2.8.0's -N). */
const Q_USAGE_LINE = "  -Q, --disp_nut_conf_with_sanity_check: Display result in the ups.conf format with sanity-check warnings as comments\n";
/** Profiles whose USB ID only later NUT's scanner table has. */
const LATER_NUT_PROFILES = ["ecoflow"];

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
    const profiles = allProfiles().filter((p) => !LATER_NUT_PROFILES.includes(p));
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

describe("nut-scanner, later NUT's additions under the USB simulator", () => {
  const APC_SERIAL = "4B1234P56789";
  test("-Q: Debian's -N sections, then the duplicate-serial warning naming both APC sections", async () => {
    requireUsbSim();
    // two identical APC units (same serial) and an Eaton between them
    const profiles = ["apc", "eaton", "apc"];
    const [theirs, mine, mineLong] = await Promise.all([
      runUnderUsbSim(["nut-scanner", "-q", "-U", "-N"], { profiles }, 30_000),
      runUnderUsbSim([NUT_BINARY, "nut-scanner", "-q", "-U", "-Q"], { profiles }, 30_000),
      runUnderUsbSim([NUT_BINARY, "nut-scanner", "-q", "-U", "--disp_nut_conf_with_sanity_check"], { profiles }, 30_000),
    ]);
    expect(theirs.exitCode).toBe(0);
    const sections = theirs.stdout.split("\n").filter((l) => /^\[nutdev\d+\]$/.test(l));
    expect(sections).toEqual(["[nutdev1]", "[nutdev2]", "[nutdev3]"]);
    // which two sections are the APC units follows the bus order
    const apcSections = theirs.stdout
      .split(/(?=^\[nutdev)/m)
      .filter((section) => section.includes(`serial = "${APC_SERIAL}"`))
      .map((section) => /^\[(nutdev\d+)\]/.exec(section)?.[1]);
    expect(apcSections).toHaveLength(2);
    const warning =
      `\n# WARNING: same "serial" value "${APC_SERIAL}" reported in several device configurations ` +
      "(maybe okay if multiple drivers for same device, likely a vendor bug if reported by same driver for many devices): " +
      `${apcSections.join(",")}\n`;
    expect(mine).toEqual({ exitCode: 0, stdout: theirs.stdout + warning, stderr: theirs.stderr });
    expect(mineLong).toEqual(mine);
  }, 60_000);

  test("-Q with unique serials prints exactly what -N prints", async () => {
    requireUsbSim();
    const profiles = ["apc", "eaton", "cyberpower"];
    const [theirs, mine] = await Promise.all([
      runUnderUsbSim(["nut-scanner", "-U"], { profiles }, 30_000),
      runUnderUsbSim([NUT_BINARY, "nut-scanner", "-U", "-Q"], { profiles }, 30_000),
    ]);
    expect(theirs.stdout.split("\n").filter((l) => /^\[nutdev\d+\]$/.test(l))).toHaveLength(3);
    expect(mine).toEqual(theirs);
  }, 60_000);

  test("EcoFlow 3746:ffff: 2.8.0 skips it, ours lists it for usbhid-ups after the APC unit", async () => {
    requireUsbSim();
    // bus order puts the APC unit (second profile) first
    const profiles = ["ecoflow", "apc"];
    const [theirs, mine] = await Promise.all([
      runUnderUsbSim(["nut-scanner", "-q", "-U"], { profiles }, 30_000),
      runUnderUsbSim([NUT_BINARY, "nut-scanner", "-q", "-U"], { profiles }, 30_000),
    ]);
    expect(theirs.exitCode).toBe(0);
    expect(theirs.stdout).toStartWith("[nutdev1]\n");
    expect(theirs.stdout).toContain(`serial = "${APC_SERIAL}"`);
    expect(theirs.stdout).not.toContain("3746");
    const ecoflow =
      '[nutdev2]\n\tdriver = "usbhid-ups"\n\tport = "auto"\n\tvendorid = "3746"\n\tproductid = "FFFF"\n' +
      '\tproduct = "EF-UPS-RIVER 3 Plus"\n\tserial = "R631ZEB4XF123456"\n\tvendor = "EcoFlow"\n\tbus = "001"\n';
    expect(mine).toEqual({ ...theirs, stdout: theirs.stdout + ecoflow });
  }, 60_000);
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
    ["-h"], ["--help"], ["-a"], ["-S"], ["-M"], ["-I"], ["-Z"], ["-?"], ["-h", "-U"], ["-U", "-h"],
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
      // the usage text has one more line, -Q's, right after its display heading
      if (theirs.stdout.includes("\ndisplay specific options:\n")) {
        expect(mine.stdout).toContain(`\ndisplay specific options:\n${Q_USAGE_LINE}  -N, --disp_nut_conf:`);
        expect(untimed({ ...mine, stdout: mine.stdout.replace(Q_USAGE_LINE, "") })).toEqual(untimed(theirs));
      } else {
        expect(untimed(mine)).toEqual(untimed(theirs));
      }
    });
  }

  test("-Q: 2.8.0 rejects it (invalid option, usage, exit 255); ours takes it", () => {
    const theirs = debian(["-Q"]);
    expect(theirs.exitCode).toBe(255);
    expect(theirs.stderr).toStartWith("nut-scanner: invalid option -- 'Q'\n");
    expect(theirs.stdout).not.toContain("-Q");
    const mine = ours(["-Q", "-q", "-U"]);
    expect(mine.stderr).not.toContain("invalid option");
    // outside the simulator: whatever this host's USB bus holds, -Q adds nothing to -N here
    // unless two devices share a serial
    expect(mine).toEqual(ours(["-N", "-q", "-U"]));
    // "--disp_nut" now abbreviates two options, as in later NUT
    const ambiguous = ours(["--disp_nut"]);
    expect(ambiguous.exitCode).toBe(255);
    expect(ambiguous.stderr).toContain("nut-scanner: option '--disp_nut' is ambiguous; possibilities: '--disp_nut_conf_with_sanity_check' '--disp_nut_conf'\n");
  });
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
