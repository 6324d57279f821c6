/**
 * usbhid-ups on the simulated EcoFlow River 3 Plus (test/sim/hid_profiles/ecoflow.py). The
 * EcoFlow subdriver came with NUT 2.8.5, so Debian's 2.8.0 has no oracle for it: its driver
 * claims no subdriver for vendor 0x3746 and finds no UPS, which this test asserts. Our `-d 1`
 * dump is checked against the values 2.8.5's ecoflow_hid2nut table implies for the profile's
 * raw values (written out below from the C table and the profile, with the conversion each
 * one goes through), in both states.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { requireUsbSim, runUnderUsbSim, type UsbSimResult } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const dir = tempDir("nut-usbhid-ecoflow-");
afterAll(() => dir[Symbol.dispose]());

/** Variables both states share: identity, static and semi-static rows. */
const COMMON: Record<string, string> = {
  // usbhid-ups' identity: ecoflow_format_mfr / _model / _serial are the USB strings
  "device.mfr": "EcoFlow",
  "device.model": "EF-UPS-RIVER 3 Plus",
  "device.serial": "R631ZEB4XF123456",
  "device.type": "ups",
  "ups.mfr": "EcoFlow",
  "ups.model": "EF-UPS-RIVER 3 Plus",
  "ups.serial": "R631ZEB4XF123456",
  "ups.vendorid": "3746",
  "ups.productid": "ffff",
  "driver.name": "usbhid-ups",
  "driver.parameter.pollfreq": "30",
  "driver.parameter.pollinterval": "2",
  "driver.parameter.port": "auto",
  "driver.parameter.synchronous": "auto",
  "driver.version.data": "EcoFlow HID 0.01",
  "driver.version.internal": "0.47",
  // AudibleAlarmControl 2, beeper_info
  "ups.beeper.status": "enabled",
  // UPS.Flow.[4].ConfigActivePower 286 (W unit, exponent 0), %.0f
  "ups.power.nominal": "286",
  // ConfigVoltage 128 with unit exponent -1, %.1f
  "battery.voltage.nominal": "12.8",
  // OutletSystem.Outlet.DelayBeforeReboot / DelayBeforeShutdown -1, %.0f
  "ups.timer.reboot": "-1",
  "ups.timer.shutdown": "-1",
  // DesignCapacity / FullChargeCapacity 100, %.0f
  "battery.capacity.nominal": "100",
  "battery.capacity": "100",
  // iDeviceChemistry / iOEMInformation: string descriptors 4 and 5 (stringid_conversion)
  "battery.type": "LiFePO4",
  "experimental.ups.powersummary.ioeminformation": "EcoFlow",
  // ManufacturerDate (44 << 9) + (11 << 5) + 5, date_conversion
  "ups.mfr.date": "2024/11/05",
  // raw flags, %.0f
  "experimental.ups.powersummary.presentstatus.shutdownrequested": "0",
  "experimental.ups.powersummary.presentstatus.voltagenotregulated": "0",
  "experimental.ups.powersummary.rechargeable": "1",
  // RemainingCapacityLimit 20 (the app's discharge limit), RemainingTimeLimit 600, WarningCapacityLimit 10
  "battery.charge.low": "20",
  "battery.runtime.low": "600",
  "battery.charge.warning": "10",
};

const EXPECTED: Record<string, Record<string, string>> = {
  online: {
    ...COMMON,
    "battery.charge": "81",
    // RunTimeToEmpty 2400 minutes: ecoflow_battery_runtime_conversion gives 2400 * 60 seconds
    "battery.runtime": "144000",
    // Voltage 133, exponent -1, %.1f
    "battery.voltage": "13.3",
    // ACPresent 1, Charging 1 (BatteryPresent 1, all other flags 0)
    "ups.status": "OL CHRG",
  },
  "onbatt-low": {
    ...COMMON,
    "battery.charge": "19",
    "battery.runtime": "720",
    "battery.voltage": "12.4",
    // ACPresent 0, Discharging 1, BelowRemainingCapacityLimit 1
    "ups.status": "OB DISCHRG LB",
  },
};
const STATES = Object.keys(EXPECTED);

async function runDriver(argv: string[], name: string, state: string): Promise<UsbSimResult> {
  const confDir = join(dir.path, name);
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, "ups.conf"), `[${name}]\n\tdriver = usbhid-ups\n\tport = auto\n`);
  const stateFile = join(confDir, "state.json");
  writeFileSync(stateFile, JSON.stringify({ _preset: state }));
  return runUnderUsbSim([...argv, "-a", name, "-u", "root", "-d", "1"], {
    profiles: ["ecoflow"],
    stateFile,
    env: { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir },
  }, 45_000);
}

/** The `name: value` lines of a dump, without driver.version and driver.version.usb (they name the build). */
function dumpVariables(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z][a-z0-9_.-]*): (.*)$/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[1] !== "driver.version" && m[1] !== "driver.version.usb") vars[m[1]] = m[2];
  }
  return vars;
}

describe("EcoFlow (NUT 2.8.5's ecoflow-hid) on the simulator", () => {
  const runs = new Map<string, UsbSimResult>();

  test("our usbhid-ups -d 1 in both states, Debian's 2.8.0 once", async () => {
    requireUsbSim();
    const jobs = [
      ...STATES.map(async (state) => [state, await runDriver([NUT_BINARY, "usbhid-ups"], `ours${state.replace(/-/g, "")}`, state)] as const),
      (async () => ["debian", await runDriver([DEBIAN_USBHID_UPS], "debian", "online")] as const)(),
    ];
    for (const [key, run] of await Promise.all(jobs)) runs.set(key, run);
    expect(runs.size).toBe(STATES.length + 1);
  }, 100_000);

  for (const state of STATES) {
    test(`${state}: our dump has exactly the variables the 2.8.5 table gives`, () => {
      const run = runs.get(state);
      if (run === undefined) throw new Error("no run (see the first test)");
      if (run.exitCode !== 0 || !run.stdout.includes("ups.status:")) throw new Error(`our usbhid-ups failed (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
      expect(run.stderr).toContain("Using subdriver: EcoFlow HID 0.01\n");
      expect(dumpVariables(run.stdout)).toEqual(EXPECTED[state] ?? {});
    });
  }

  test("Debian's 2.8.0 has no subdriver for 3746:ffff: no matching UPS (hence no oracle)", () => {
    const run = runs.get("debian");
    if (run === undefined) throw new Error("no run (see the first test)");
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("Network UPS Tools - Generic HID driver 0.47 (2.8.0)\nUSB communication driver (libusb 1.0) 0.43\n");
    // 2.8.0 prints the "permissions" line whenever its open-error and EACCES counts are equal (both 0 here)
    expect(run.stderr).toBe("libusb1: Could not open any HID devices: insufficient permissions on everything\nNo matching HID UPS found\n");
  });
});
