/**
 * The simulator's vendor profiles are realistic enough for Debian's C usbhid-ups (NUT 2.8.0):
 * each is claimed by its own HID subdriver and serves the expected values, online and on
 * battery with a low battery. Debian's `-d 1` dumps are the fixtures
 * test/fixtures/usb-hid/debian-d1-<profile>-<state>.txt that our driver is compared against;
 * `NUT_REGEN_FIXTURES=1 bun test test/interop/usb-sim-profiles.test.ts` rewrites them.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimProfile, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");
const REGENERATE = process.env.NUT_REGEN_FIXTURES === "1";
const dir = tempDir("nut-usb-profiles-");
afterAll(() => dir[Symbol.dispose]());

type SimState = "online" | "onbatt-low";

/** What each profile must show in each state (a subset of the dump; the fixture holds it all). */
const EXPECTED: Record<"cyberpower" | "tripplite" | "eaton", { common: Record<string, string>; states: Record<SimState, Record<string, string>> }> = {
  cyberpower: {
    common: {
      "driver.version.data": "CyberPower HID 0.6",
      "ups.vendorid": "0764",
      "ups.productid": "0501",
      "device.mfr": "CPS",
      "device.model": "CP1500PFCLCD",
      "battery.voltage.nominal": "24",
      "input.transfer.high": "139",
      "ups.realpower.nominal": "900",
    },
    states: {
      // battery voltage reported 1.5x too high, scaled by 2/3 (cps_adjust_battery_scale);
      // output voltage readable only through cps_fix_report_desc's range fix
      online: { "ups.status": "OL", "battery.charge": "100", "battery.runtime": "3180", "battery.voltage": "27.0", "output.voltage": "121.0", "input.voltage": "121.0" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "battery.charge": "9", "battery.runtime": "240", "battery.voltage": "23.2", "output.voltage": "120.0", "input.voltage": "0.0" },
    },
  },
  tripplite: {
    common: {
      "driver.version.data": "TrippLite HID 0.84",
      "ups.vendorid": "09ae",
      "ups.productid": "3015",
      "device.mfr": "Tripp Lite ",
      "device.part": "AG-0225",
      "battery.voltage.nominal": "36.0",
      "ups.power.nominal": "1500",
      "input.transfer.low.min": "75",
    },
    states: {
      online: { "ups.status": "OL", "battery.charge": "100", "battery.voltage": "42.1", "input.voltage": "121.1", "input.frequency": "59.8", "ups.load": "24" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "battery.charge": "8", "battery.voltage": "35.2", "input.voltage": "0.0", "output.voltage": "119.8", "ups.load": "25" },
    },
  },
  eaton: {
    common: {
      "driver.version.data": "MGE HID 1.46",
      "ups.vendorid": "0463",
      "ups.productid": "ffff",
      "device.mfr": "EATON",
      "device.model": "5P 650",
      "ups.firmware": "02.14.0026",
      "battery.capacity": "9.00",
      "ups.power.nominal": "650",
      "outlet.2.id": "2",
      "outlet.1.delay.start": "3",
      "ups.type": "offline / line interactive",
    },
    states: {
      online: { "ups.status": "OL CHRG", "battery.charge": "100", "battery.charger.status": "floating", "battery.voltage": "13.7", "input.voltage": "235.9", "output.powerfactor": "0.53" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "battery.charge": "12", "battery.charger.status": "discharging", "battery.voltage": "11.6", "input.transfer.reason": "input voltage out of range", "output.voltage": "230.0" },
    },
  },
};

const CASES = (Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>).flatMap((profile) =>
  (["online", "onbatt-low"] as const).map((state) => ({ profile, state })),
);

/** Debian's usbhid-ups -a <ups> -d 1 on one simulated device in one state: its stdout. */
async function debianDump(profile: UsbSimProfile, state: SimState): Promise<string> {
  const name = `${profile}-${state}`.replace(/[^a-z0-9]/g, "");
  const confDir = join(dir.path, name);
  Bun.spawnSync(["mkdir", "-p", confDir]);
  writeFileSync(join(confDir, "ups.conf"), `[${name}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify({ _preset: state }));
  const run = await runUnderUsbSim([DEBIAN_USBHID_UPS, "-a", name, "-u", "root", "-d", "1"], {
    profiles: [profile],
    stateFile,
    env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir },
  });
  if (run.exitCode !== 0 || !run.stdout.includes("ups.status:")) {
    throw new Error(`usbhid-ups on ${profile}/${state} failed (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
  }
  return run.stdout;
}

function parseDump(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([a-z0-9_.-]+): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) values.set(m[1], m[2]);
  }
  return values;
}

describe("simulator profiles under Debian's usbhid-ups (NUT 2.8.0)", () => {
  const dumps = new Map<string, string>();

  test("every profile and state produces a dump", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const results = await Promise.all(CASES.map(async ({ profile, state }) => [`${profile}-${state}`, await debianDump(profile, state)] as const));
    for (const [key, text] of results) dumps.set(key, text);
    expect(dumps.size).toBe(CASES.length);
  }, 60_000);

  for (const { profile, state } of CASES) {
    test(`${profile} ${state}: subdriver, status and values`, () => {
      const text = dumps.get(`${profile}-${state}`);
      if (text === undefined) throw new Error("no dump (see the first test)");
      const values = parseDump(text);
      const expected = { ...EXPECTED[profile].common, ...EXPECTED[profile].states[state] };
      const got = Object.fromEntries(Object.keys(expected).map((k) => [k, values.get(k)]));
      expect(got).toEqual(expected);
      expect(values.get("device.type")).toBe("ups");
      expect(values.get("driver.name")).toBe("usbhid-ups");
    });

    test(`${profile} ${state}: matches the saved fixture`, () => {
      const text = dumps.get(`${profile}-${state}`);
      if (text === undefined) throw new Error("no dump (see the first test)");
      const file = join(FIXTURES, `debian-d1-${profile}-${state}.txt`);
      if (REGENERATE) writeFileSync(file, text);
      if (!existsSync(file)) throw new Error(`missing fixture ${file}: run with NUT_REGEN_FIXTURES=1`);
      expect(text).toBe(readFileSync(file, "utf8"));
    });
  }
});
