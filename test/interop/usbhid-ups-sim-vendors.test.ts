/**
 * usbhid-ups on the simulator's vendor profiles: our `-d 1` dump must equal Debian's NUT 2.8.0
 * dump of the same profile and state (test/fixtures/usb-hid/debian-d1-<profile>-<state>.txt,
 * checked against Debian's live driver by usb-sim-profiles.test.ts), apart from driver.version*
 * (ours carries its own version; Debian's has driver.version.usb). One case per subdriver
 * implemented here: each profile is claimed by a different HID subdriver.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimProfile, usbSimUnavailable } from "../harness/usb-sim.ts";

const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");
const dir = tempDir("nut-usbhid-vendors-");
afterAll(() => dir[Symbol.dispose]());

const PROFILES: readonly UsbSimProfile[] = ["eaton", "cyberpower", "tripplite"];
const STATES = ["online", "onbatt-low"] as const;
const CASES = PROFILES.flatMap((profile) => STATES.map((state) => ({ profile, state })));

function dumpVariables(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z][a-z0-9_.-]*): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !m[1].startsWith("driver.version")) vars[m[1]] = m[2];
  }
  return vars;
}

/** Our usbhid-ups -a <ups> -d 1 on one simulated device in one state (as the fixtures were made). */
async function ourDump(profile: UsbSimProfile, state: string): Promise<Record<string, string>> {
  const name = `${profile}-${state}`.replace(/[^a-z0-9]/g, "");
  const confDir = join(dir.path, name);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[${name}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify({ _preset: state }));
  const run = await runUnderUsbSim([NUT_BINARY, "usbhid-ups", "-a", name, "-u", "root", "-d", "1"], {
    profiles: [profile],
    stateFile,
    env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir },
  }, 60_000);
  const vars = dumpVariables(run.stdout);
  if (vars["ups.status"] === undefined) throw new Error(`no dump on ${profile}/${state} (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
  return vars;
}

describe("usbhid-ups on the vendor simulator profiles: ours vs Debian's dumps", () => {
  for (const { profile, state } of CASES) {
    test(`${profile} ${state}`, async () => {
      const why = usbSimUnavailable();
      if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
      const debian = dumpVariables(readFileSync(join(FIXTURES, `debian-d1-${profile}-${state}.txt`), "utf8"));
      expect(Object.keys(debian).length).toBeGreaterThan(20);
      expect(await ourDump(profile, state)).toEqual(debian);
    }, 70_000);
  }
});
