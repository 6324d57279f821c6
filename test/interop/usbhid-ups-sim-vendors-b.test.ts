/**
 * The arduino, belkin, delta_ups, ever and idowell HID subdrivers on simulated devices
 * (test/sim/hid_profiles/<module>.py; belkin.py also holds a Liebert PSA, belkin-hid's other
 * device family), online and on battery with a low battery:
 * (1) Debian's usbhid-ups (NUT 2.8.0) `-d 1` claims each with the right subdriver and its dump
 *     equals the fixture test/fixtures/usb-hid/debian-d1-<profile>-<state>.txt
 *     (`NUT_REGEN_FIXTURES=1` rewrites them);
 * (2) our `usbhid-ups -d 1` dump equals that fixture apart from driver.version*.
 * The Arduino's HID function is interface 2 (endpoints 0x84 / 0x05). 2.8.0's arduino-hid claim
 * moves libusb1.c to interface 2, which also becomes the configuration descriptor index it
 * reads: on a one-configuration device (every Leonardo) it finds "no descriptors" and no UPS.
 * Its fixtures therefore come from a simulated Leonardo with 3 identical configurations, where
 * 2.8.0 works; ours reads configuration 0 as later NUT does, so it gives the same dump on both
 * the 3-configuration and the real one-configuration device.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, type UsbSimResult, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");
const REGENERATE = process.env.NUT_REGEN_FIXTURES === "1";
/** Simulator runs at a time: the machine has 2 CPUs and other suites share it. */
const PARALLEL_RUNS = 6;
const dir = tempDir("nut-usbhid-vendors-b-");
afterAll(() => dir[Symbol.dispose]());

type SimState = "online" | "onbatt-low";
const STATES: readonly SimState[] = ["online", "onbatt-low"];

/** What each profile must show (a subset of the dump; the fixture holds it all). */
const EXPECTED: Record<string, { common: Record<string, string>; states: Record<SimState, Record<string, string>> }> = {
  arduino: {
    common: {
      "driver.version.data": "Arduino HID 0.2",
      "ups.vendorid": "2341",
      "ups.productid": "8036",
      "device.mfr": "Arduino LLC",
      "device.model": "Arduino Leonardo",
      // arduino-hid maps only the PowerSummary delays (no DelayBeforeStartup in the sketch)
      "ups.delay.shutdown": "20",
      "ups.timer.shutdown": "-1",
      "ups.timer.reboot": "-1",
    },
    // no status word is mapped: 2.8.0 shows OB whatever the sketch reports
    states: { online: { "ups.status": "OB" }, "onbatt-low": { "ups.status": "OB" } },
  },
  belkin: {
    common: {
      "driver.version.data": "Belkin/Liebert HID 0.18",
      "ups.vendorid": "050d",
      "ups.productid": "0751",
      "device.mfr": "Belkin",
      // no USB serial string: UPS.PowerSummary.iSerialNumber
      "device.serial": "BK1500TW0317",
      "battery.voltage.nominal": "24",
      "input.transfer.high.max": "144",
      "ups.firmware": "1",
      "ups.type": "offline",
      "ups.mfr.date": "2007/03/14",
    },
    states: {
      // BELKINPowerStatus bit 0 and BELKINBatteryStatus bit 2 drive OB and LB
      online: { "ups.status": "OL CHRG", "battery.charge": "100", "battery.voltage": "27.8", "input.voltage": "125.9", "input.frequency": "60.0" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "battery.charge": "12", "battery.voltage": "22.6", "input.voltage": "0.0", "output.voltage": "120.0" },
    },
  },
  // belkin-hid's other family: standard paths, voltages without their unit exponent
  liebert_psa: {
    common: {
      "driver.version.data": "Belkin/Liebert HID 0.18",
      "ups.vendorid": "10af",
      "ups.productid": "0001",
      "device.mfr": "Emerson Network Power",
      "device.serial": "         ",
      // read as 1e-7 V units, below 1 but not exactly 1e-7: reported, not corrected (as the
      // nut-ddl dump of a real PSA under 2.8.0 shows)
      "battery.voltage.nominal": "0.0",
      "input.voltage": "0.0",
      "battery.charge.low": "38",
    },
    states: {
      online: { "ups.status": "OL CHRG", "battery.charge": "100", "input.frequency": "49.9", "ups.load": "9" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "battery.charge": "30", "input.frequency": "0.0", "ups.load": "10" },
    },
  },
  delta_ups: {
    common: {
      "driver.version.data": "Delta UPS HID 0.6",
      "ups.vendorid": "05dd",
      "ups.productid": "041b",
      "device.mfr": "DELTA           ",
      // UPS.DeltaCustom.[1].DeltaModelName, not the USB product string
      "device.model": "UPS302R2000B0BA ",
      "ups.type": "online",
      "ups.start.auto": "yes",
      "input.transfer.high.min": "270.0",
      "battery.temperature": "24.9",
    },
    states: {
      online: { "ups.status": "OL", "input.source": "normal", "battery.voltage": "81.9", "input.voltage": "228.0", "ups.load": "8.0" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "input.source": "battery", "input.transfer.reason": "input voltage out of range", "battery.charge": "15" },
    },
  },
  ever: {
    common: {
      "driver.version.data": "Ever HID 0.1",
      "ups.vendorid": "2e51",
      "ups.productid": "0000",
      "device.model": "ECO PRO AVR CDS",
      // 2.8.0 publishes the power factor under this name
      powerfactor: "0",
      "experimental.id.firmware_version_inverter": "v1.2b03",
      "experimental.id.hardware_version": "rev.Bv05",
      "experimental.networkcard.mac_address": "00:1e:c0:8a:42:17",
      // one counter cycles through the four address reports in table order
      "experimental.networkcard.notification_destination_ip": "192.168.1.10",
      "experimental.networkcard.ip_address": "192.168.1.50",
      "experimental.networkcard.network_mask": "255.255.255.0",
      "experimental.networkcard.default_gateway": "192.168.1.1",
      "experimental.networkcard.received_packets_err": "3",
      "experimental.status.messages": "FAN_ON",
      // EVER54 comes before UPS.PowerConverter.Output.Voltage (229) in the table
      "output.voltage": "230",
    },
    states: {
      online: { "ups.status": "OL", "experimental.status.workmode": "ONLINE", "experimental.status.alarms": "", "battery.charge": "100" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "experimental.status.workmode": "ONBATTERY", "experimental.status.alarms": "CRITICAL_BATT_VOLTAGE", "battery.charge": "8" },
    },
  },
  idowell: {
    common: {
      "driver.version.data": "iDowell HID 0.2",
      "ups.vendorid": "075d",
      "ups.productid": "0300",
      "device.model": "iBox",
      "battery.type": "Pb acc",
      "ups.power.nominal": "257",
      "output.frequency.nominal": "50",
      "input.transfer.low": "105",
    },
    states: {
      online: { "ups.status": "OL CHRG", "battery.charge": "100", "output.voltage": "230.0", "ups.timer.shutdown": "60" },
      "onbatt-low": { "ups.status": "OB DISCHRG LB", "battery.charge": "14", "output.voltage": "229.0", "ups.load": "35" },
    },
  },
};
/** Identical configurations the simulator offers per profile for the fixture runs (default 1). */
const CONFIGURATIONS: Record<string, number> = { arduino: 3 };
/** Fewest variables a dump must have (arduino-hid maps little). */
const MIN_VARIABLES: Record<string, number> = { arduino: 15 };
const PROFILES = Object.keys(EXPECTED);
const CASES = PROFILES.flatMap((profile) => STATES.map((state) => ({ profile, state, key: `${profile}-${state}` })));

function dumpVariables(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z][a-z0-9_.-]*): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !m[1].startsWith("driver.version")) vars[m[1]] = m[2];
  }
  return vars;
}

/** A usbhid-ups (`program` = argv before -a) run on one simulated device in one state. */
async function runDriver(
  program: string[],
  who: string,
  profile: string,
  state: SimState,
  debug: readonly string[] = ["-d", "1"],
  configurations = CONFIGURATIONS[profile] ?? 1,
): Promise<UsbSimResult> {
  const name = `${profile}-${state}-${who}`.replace(/[^a-z0-9]/g, "");
  const confDir = join(dir.path, name);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[${name}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify({ _preset: state, _configurations: configurations }));
  return runUnderUsbSim([...program, "-a", name, "-u", "root", ...debug], { profiles: [profile], stateFile, env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir } }, 45_000);
}

/** Runs the jobs with at most `limit` at a time, results in order. */
async function inBatches<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await jobs[i]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

describe("usbhid-ups subdrivers arduino, belkin, delta_ups, ever, idowell on simulated devices", () => {
  const debian = new Map<string, UsbSimResult>();
  const ours = new Map<string, UsbSimResult>();
  /** The Arduino as it really is: one configuration. */
  const oursOneConfiguration = new Map<string, UsbSimResult>();
  let arduinoTrace: UsbSimResult | undefined;

  test("Debian's and our driver run on every profile and state", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const jobs: (() => Promise<void>)[] = [];
    for (const { profile, state, key } of CASES) {
      jobs.push(async () => void debian.set(key, await runDriver([DEBIAN_USBHID_UPS], "debian", profile, state)));
      jobs.push(async () => void ours.set(key, await runDriver([NUT_BINARY, "usbhid-ups"], "ours", profile, state)));
      if (profile === "arduino") {
        jobs.push(async () => void oursOneConfiguration.set(key, await runDriver([NUT_BINARY, "usbhid-ups"], "ours1", profile, state, ["-d", "1"], 1)));
      }
    }
    jobs.push(async () => {
      arduinoTrace = await runDriver([DEBIAN_USBHID_UPS], "trace", "arduino", "online", ["-DD"], 1);
    });
    await inBatches(jobs, PARALLEL_RUNS);
    expect(debian.size).toBe(CASES.length);
    expect(ours.size).toBe(CASES.length);
  }, 90_000);

  for (const { profile, state, key } of CASES) {
    test(`${profile} ${state}: Debian's dump is the saved fixture`, () => {
      const run = debian.get(key);
      if (run === undefined) throw new Error("no run (see the first test)");
      const file = join(FIXTURES, `debian-d1-${key}.txt`);
      if (REGENERATE) writeFileSync(file, run.stdout);
      if (!existsSync(file)) throw new Error(`missing fixture ${file}: run with NUT_REGEN_FIXTURES=1`);
      expect(run.stdout).toBe(readFileSync(file, "utf8"));
    });

    test(`${profile} ${state}: Debian's subdriver, status and values`, () => {
      const run = debian.get(key);
      if (run === undefined) throw new Error("no run (see the first test)");
      expect(run.exitCode).toBe(0);
      const values = dumpVariables(run.stdout);
      const spec = EXPECTED[profile]!;
      const expected = { ...spec.common, ...spec.states[state] };
      const got = Object.fromEntries(Object.keys(expected).map((k) => [k, k === "driver.version.data" ? /^driver\.version\.data: (.*)$/m.exec(run.stdout)?.[1] : values[k]]));
      expect(got).toEqual(expected);
    });

    test(`${profile} ${state}: our dump equals Debian's apart from driver.version*`, () => {
      const run = ours.get(key);
      if (run === undefined) throw new Error("no run (see the first test)");
      const fixture = dumpVariables(readFileSync(join(FIXTURES, `debian-d1-${key}.txt`), "utf8"));
      expect(Object.keys(fixture).length).toBeGreaterThan(MIN_VARIABLES[profile] ?? 20);
      expect(run.exitCode).toBe(0);
      expect(dumpVariables(run.stdout)).toEqual(fixture);
      expect(run.stdout).toContain(`driver.version.data: ${EXPECTED[profile]!.common["driver.version.data"]}\n`);
    });

    if (profile === "arduino") {
      test(`${profile} ${state}: on the one-configuration device (2.8.0 finds none) ours gives the same dump`, () => {
        const run = oursOneConfiguration.get(key);
        if (run === undefined) throw new Error("no run (see the first test)");
        expect(run.exitCode).toBe(0);
        expect(dumpVariables(run.stdout)).toEqual(dumpVariables(readFileSync(join(FIXTURES, `debian-d1-${key}.txt`), "utf8")));
      });
    }
  }

  test("liebert_psa: the uncorrected exponents are reported as 2.8.0 does", () => {
    for (const run of [debian.get("liebert_psa-online"), ours.get("liebert_psa-online")]) {
      if (run === undefined) throw new Error("no run (see the first test)");
      const notices = run.stderr.split("\n").filter((l) => l.includes("exponent looks wrong"));
      expect(notices).toEqual([...Array<string>(3).fill("LineVoltage exponent looks wrong, but not correcting."), "ConfigVoltage exponent looks wrong, but not correcting."]);
    }
  });

  test("arduino, one configuration: 2.8.0's claim moved it to interface 2, whose configuration descriptor does not exist", () => {
    if (arduinoTrace === undefined) throw new Error("no run (see the first test)");
    expect(arduinoTrace.exitCode).toBe(1);
    expect(arduinoTrace.stderr).toContain("Claimed interface 2 successfully");
    expect(arduinoTrace.stderr).toContain("Couldn't retrieve descriptors");
    expect(arduinoTrace.stderr).toContain("No matching HID UPS found");
    expect(arduinoTrace.stdout).not.toContain("ups.status:");
  });
});
