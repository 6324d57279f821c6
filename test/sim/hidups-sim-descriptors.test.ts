/**
 * The simulator's vendor report descriptors (test/sim/hidups_sim.py profiles cyberpower,
 * tripplite, eaton) parse with our HID parser and hold the HID paths their NUT subdrivers read.
 * The fixtures test/fixtures/usb-hid/sim-<profile>.rdesc.hex are the simulator's --dump-rdesc
 * output; this test also proves they are current.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReportDescriptor } from "../../drivers/usbhid-ups/hid-report-descriptor.ts";
import { pathToString, type UsageTable } from "../../drivers/usbhid-ups/hid-usage-table.ts";
import { HIDUPS_SIM, SYSTEM_PYTHON } from "../harness/usb-sim.ts";

const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");

/** The few vendor usages (0xffff00xx) named below, as tripplite-hid.c and mge-hid.c name them. */
const VENDOR_USAGES: UsageTable = [
  ["TLCustom", 0xffff0010],
  ["iUPSPartNumber", 0xffff007f],
  ["iModel", 0xffff00f0],
  ["Mode", 0xffff0094],
  ["EnergySaving", 0xffff0046],
];

/** Paths each subdriver's table (NUT 2.8.0 cps-hid.c, tripplite-hid.c, mge-hid.c) reads. */
const EXPECTED_PATHS: Record<string, string[]> = {
  cyberpower: [
    "UPS.PowerSummary.RemainingCapacity",
    "UPS.PowerSummary.RunTimeToEmpty",
    "UPS.PowerSummary.Voltage",
    "UPS.PowerSummary.PresentStatus.ACPresent",
    "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit",
    "UPS.Input.Voltage",
    "UPS.Input.HighVoltageTransfer",
    "UPS.Output.Voltage",
    "UPS.Output.DelayBeforeShutdown",
    "UPS.Output.Overload",
  ],
  tripplite: [
    "UPS.PowerSummary.PresentStatus.ACPresent",
    "UPS.PowerSummary.Input.ConfigVoltage",
    "UPS.BatterySystem.Battery.Voltage",
    "UPS.BatterySystem.Temperature",
    "UPS.PowerConverter.Input.Voltage",
    "UPS.PowerConverter.Output.HighVoltageTransfer",
    "UPS.Flow.ConfigApparentPower",
    "UPS.OutletSystem.Outlet.DelayBeforeShutdown",
    "UPS.TLCustom.[1].iUPSPartNumber",
  ],
  eaton: [
    "UPS.PowerSummary.RemainingCapacity",
    "UPS.PowerSummary.iModel",
    "UPS.PowerSummary.PresentStatus.Discharging",
    "UPS.BatterySystem.Charger.Mode",
    "UPS.PowerConverter.Input.[1].Voltage",
    "UPS.PowerConverter.Input.[1].PresentStatus.Used",
    "UPS.PowerConverter.Input.[3].EnergySaving",
    "UPS.PowerConverter.Output.ActivePower",
    "UPS.Flow.[4].ConfigApparentPower",
    "UPS.OutletSystem.Outlet.[1].OutletID",
    "UPS.OutletSystem.Outlet.[2].PresentStatus.SwitchOn/Off",
    "UPS.OutletSystem.Outlet.[3].DelayBeforeStartup",
  ],
};

/** The simulator's --dump-rdesc output per profile (python3-gi start-up is slow: run them all at once). */
const simDescriptors = new Map<string, string>();
beforeAll(async () => {
  await Promise.all(
    Object.keys(EXPECTED_PATHS).map(async (profile) => {
      const proc = Bun.spawn([SYSTEM_PYTHON, HIDUPS_SIM, "--profile", profile, "--dump-rdesc"], { stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      if (code !== 0) throw new Error(`hidups_sim.py --dump-rdesc failed: ${err}`);
      simDescriptors.set(profile, out.trim());
    }),
  );
}, 60_000);

describe("simulator vendor descriptors", () => {
  for (const [profile, paths] of Object.entries(EXPECTED_PATHS)) {
    test(`${profile}: fixture is current, parses, has the subdriver's paths`, () => {
      const hex = readFileSync(join(FIXTURES, `sim-${profile}.rdesc.hex`), "utf8").trim();
      expect(simDescriptors.get(profile)).toBe(hex);
      const parsed = parseReportDescriptor(Uint8Array.from(Buffer.from(hex, "hex")));
      expect(parsed.error).toBeUndefined();
      const found = new Set(parsed.items.map((item) => pathToString(item.path, VENDOR_USAGES)));
      expect(paths.filter((p) => !found.has(p))).toEqual([]);
      // every data item sits in the UPS application collection, never above it
      expect([...found].every((p) => p.startsWith("UPS."))).toBe(true);
    });
  }
});
