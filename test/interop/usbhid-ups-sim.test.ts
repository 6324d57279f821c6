/**
 * usbhid-ups, ours against Debian's (NUT 2.8.0), on the same simulated APC Back-UPS: for each
 * device state both drivers run `-d 1` and must dump the same variables with the same values,
 * apart from driver.version* (ours carries its own version; Debian's has driver.version.usb).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const dir = tempDir("nut-usbhid-sim-");
afterAll(() => dir[Symbol.dispose]());

const STATES: Record<string, Record<string, number>> = {
  online: {},
  onBatteryLow: { ACPresent: 0, Discharging: 1, Charging: 0, RemainingCapacity: 8, RunTimeToEmpty: 95, BelowRemainingCapacityLimit: 1, "Input.Voltage": 0 },
  chargingAlarms: { Charging: 1, RemainingCapacity: 64, NeedReplacement: 1, Overload: 1, BatteryPresent: 0, "Output.PercentLoad": 97, DelayBeforeShutdown: 20 },
};

function dumpVariables(stdout: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const m = /^([a-z][a-z0-9_.]*): (.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !m[1].startsWith("driver.version")) vars[m[1]] = m[2];
  }
  return vars;
}

async function dump(command: string[], state: string, tag: string): Promise<Record<string, string>> {
  const stateFile = join(dir.path, `${state}-${tag}.json`);
  writeFileSync(stateFile, JSON.stringify(STATES[state]));
  const run = await runUnderUsbSim([...command, "-s", `${state}${tag}`, "-x", "port=auto", "-u", "root", "-d", "1"], { profiles: ["apc"], stateFile, env: { NUT_STATEPATH: dir.path } }, 60_000);
  const vars = dumpVariables(run.stdout);
  if (vars["ups.status"] === undefined) throw new Error(`no dump from ${command.join(" ")} (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
  return vars;
}

describe("usbhid-ups on the simulated APC: ours vs Debian's", () => {
  test("same variables and values in every state", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const ours = NUT_BINARY;
    const results = await Promise.all(
      Object.keys(STATES).map(async (state) => {
        const [debian, mine] = await Promise.all([dump([DEBIAN_USBHID_UPS], state, "d"), dump([ours, "usbhid-ups"], state, "o")]);
        return { state, debian, mine };
      }),
    );
    for (const { state, debian, mine } of results) expect({ state, vars: mine }).toEqual({ state, vars: debian });
    // the states really differ on the device side
    const statuses = new Set(results.map((r) => r.debian["ups.status"]));
    expect(statuses.size).toBe(results.length);
  }, 110_000);
});
