/**
 * mge-hid beyond the Eaton 5P fixtures: Debian's usbhid-ups (NUT 2.8.0) and ours run live on
 * the simulator's mge-pegasus profile (test/sim/hid_profiles/mge_pegasus.py: model from
 * ConfigApparentPower, Pegasus family, ABM disabled, computed real power, Unix-time date and
 * time, Pegasus-only outlet values) in both states. The `-d 1` dumps must be equal apart from
 * driver.version*, so must the log lines (stderr without debug lines: string index 0 is logged
 * as libusb1.c logs it), and at -DD the walks must read the same paths in the same order with
 * the same values.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const PROFILE = "mge-pegasus";
const dir = tempDir("nut-usbhid-mge-");
afterAll(() => dir[Symbol.dispose]());

interface DriverRun {
  readonly vars: Record<string, string>;
  readonly logLines: string[];
  readonly walk: string[];
}

function parse(stdout: string, stderr: string): DriverRun {
  const vars: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const m = /^([a-z][a-z0-9_.-]*): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !m[1].startsWith("driver.version")) vars[m[1]] = m[2];
  }
  const logLines: string[] = [];
  const walk: string[] = [];
  for (const line of stderr.split("\n")) {
    // with -D every line starts with the seconds since start; debug lines then name their level
    const text = /^\s*\d+\.\d+\t(.*)$/.exec(line)?.[1] ?? line;
    if (text.startsWith("[D2] Path: ")) walk.push(text);
    else if (!/^\[D\d\] /.test(text) && text !== "") logLines.push(text);
  }
  return { vars, logLines, walk };
}

async function runDriver(binary: string[], state: string, tag: string): Promise<DriverRun> {
  const name = `${tag}${state}`.replace(/[^a-z0-9]/g, "");
  const confDir = join(dir.path, name);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[${name}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify({ _preset: state }));
  const run = await runUnderUsbSim([...binary, "-a", name, "-u", "root", "-d", "1", "-D", "-D"], {
    profiles: [PROFILE],
    stateFile,
    env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir, TZ: "UTC" },
  }, 60_000);
  const parsed = parse(run.stdout, run.stderr);
  if (parsed.vars["ups.status"] === undefined) throw new Error(`no dump from ${binary.join(" ")} on ${state} (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
  return parsed;
}

describe("usbhid-ups with mge-hid on the mge-pegasus profile: ours vs Debian's, live", () => {
  for (const state of ["online", "onbatt-low"]) {
    test(state, async () => {
      const why = usbSimUnavailable();
      if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
      const [debian, ours] = await Promise.all([runDriver([DEBIAN_USBHID_UPS], state, "d"), runDriver([NUT_BINARY, "usbhid-ups"], state, "o")]);
      // the profile's point: these come from mge-hid's own logic
      expect(debian.vars["ups.model"]).toBe("Protection Station 650");
      expect(debian.vars["outlet.power"]).toBe("25");
      expect(debian.vars["ups.date"]).toBe("2023/11/14");
      expect(debian.vars["battery.charger.status"]).toBeUndefined();
      expect(ours.vars).toEqual(debian.vars);
      expect(ours.logLines).toEqual(debian.logLines);
      expect(debian.walk.length).toBeGreaterThan(40);
      expect(ours.walk).toEqual(debian.walk);
    }, 90_000);
  }
});
