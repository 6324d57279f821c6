/**
 * usbhid-ups' status options of NUT 2.8.1+ (texts and behaviour of NUT 2.8.5; Debian's 2.8.0
 * knows only onlinedischarge) on the simulated APC Back-UPS, our driver behind our upsd with
 * pollinterval 1, the state read through upsd while the simulator's state file changes:
 * - onlinedischarge_onbattery: OL+DISCHRG is reported as OB, without the OL+DISCHRG warning;
 * - onlinedischarge_calibration: it is reported as CAL;
 * - onlinedischarge_log_throttle_sec: the warning repeats only that often (and at once when
 *   battery.charge changes), in 2.8.5's words;
 * - lbrb_log_delay_sec: while calibrating, LB and RB are held back for that long;
 * - the apc-bx profile (a Back-UPS BX1600MI): lbrb_log_delay_sec is defaulted with 2.8.5's
 *   notice;
 * - `usbhid-ups -h` equals Debian's 2.8.0 apart from the banner (version lines) and the only
 *   allowed difference: the six lines of the new options.
 * Without these options the output equals Debian's 2.8.0 (usbhid-ups-sim*.test.ts).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NutClient } from "../../core/client/nut-client.ts";
import { type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { HIDUPS_SIM, runUnderUsbSim, SYSTEM_PYTHON, usbSimUnavailable } from "../harness/usb-sim.ts";

const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
const UPS = "ups";
const dir = tempDir("nut-usbhid-status-opts-");
afterAll(() => dir[Symbol.dispose]());

const ONLINE_DISCHARGING = { ACPresent: 1, Discharging: 1, Charging: 0, RemainingCapacity: 80 };

interface Box {
  nut: NutSandbox;
  setState(state: Record<string, number>): void;
  status(): Promise<string[]>;
  /** The driver's log (stderr, -D: each line starts with the seconds since its first line). */
  log(): string;
  stop(): Promise<void>;
}

/** Our usbhid-ups (with `-x` options) on the simulated APC, behind our upsd. */
async function startBox(name: string, xargs: string[], state: Record<string, number>): Promise<Box> {
  const stateFile = join(dir.path, `${name}.json`);
  writeFileSync(stateFile, JSON.stringify(state));
  const nut = await startNutSandbox({
    ups: [{ name: UPS, driver: "usbhid-ups", port: "auto", settings: { pollinterval: "1" } }],
    driverCommand: () => [SYSTEM_PYTHON, HIDUPS_SIM, "--profile", "apc", "--state", stateFile, "--", NUT_BINARY, "usbhid-ups", "-a", UPS, "-F", "-D", "-u", "root", ...xargs.flatMap((x) => ["-x", x])],
    upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"],
    readyTimeoutMs: 30_000,
  });
  return {
    nut,
    setState: (s) => writeFileSync(stateFile, JSON.stringify(s)),
    async status() {
      await using client = await NutClient.connect({ host: "127.0.0.1", port: nut.port, timeoutMs: 5000 });
      const words = await client.get(["VAR", UPS, "ups.status"]);
      return (words[3] ?? "").split(" ").filter((t) => t !== "ALARM");
    },
    log: () => nut.logs(),
    stop: () => nut.stop(),
  };
}

/** The OL+DISCHRG warnings of a driver log, with their time stamps in seconds. */
function warnings(log: string): Array<{ t: number; text: string }> {
  return log
    .split("\n")
    .map((l) => /^\s*(\d+\.\d+)\t(ups_status_set: seems that UPS .* is in OL\+DISCHRG state now\..*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ t: Number(m[1]), text: m[2]! }));
}

const updates = (log: string): number => log.split("\n").filter((l) => l.endsWith("[D1] upsdrv_updateinfo...")).length;

const NEWER_WARNING = (charge: string): string =>
  `ups_status_set: seems that UPS [${UPS}] is in OL+DISCHRG state now. ${charge}Is it calibrating (perhaps you want to set 'onlinedischarge_calibration' option)? Note that some UPS models (e.g. CyberPower UT series) emit OL+DISCHRG when in fact offline/on-battery (perhaps you want to set 'onlinedischarge_onbattery' option).`;

describe("usbhid-ups status options (NUT 2.8.1+) on the simulated APC", () => {
  test("onbattery, calibration, log throttle and LB/RB delay", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const boxes: Box[] = [];
    try {
      const started = await Promise.allSettled([
        startBox("onbattery", ["onlinedischarge_onbattery"], ONLINE_DISCHARGING),
        startBox("calibration", ["onlinedischarge_calibration"], ONLINE_DISCHARGING),
        startBox("throttle", ["onlinedischarge_log_throttle_sec=3"], ONLINE_DISCHARGING),
        startBox("lbrb", ["onlinedischarge_calibration", "lbrb_log_delay_sec=3"], { ACPresent: 1, Discharging: 0 }),
      ]);
      // every box that started is stopped below, even when another one failed to start
      for (const r of started) if (r.status === "fulfilled") boxes.push(r.value);
      for (const r of started) if (r.status === "rejected") throw r.reason;
      const [onbattery, calibration, throttle, lbrb] = boxes as [Box, Box, Box, Box];

      // LB+RB while calibrating: held back for more than 3 s after CAL shows
      expect(await lbrb.status()).toEqual(["OL"]);
      lbrb.setState({ ...ONLINE_DISCHARGING, BelowRemainingCapacityLimit: 1, NeedReplacement: 1 });
      expect(await eventually(async () => (await lbrb.status()).includes("CAL"), 10_000)).toBe(true);
      const calSeen = Date.now();
      const held = await lbrb.status();
      expect(held).toEqual(["CAL", "DISCHRG"]);
      expect(await eventually(async () => (await lbrb.status()).includes("LB"), 10_000)).toBe(true);
      const lbSeen = Date.now();
      // 2.8.5 counts whole seconds: more than 3 of them after the first update that saw LB
      expect(lbSeen - calSeen).toBeGreaterThanOrEqual(2500);
      expect(await lbrb.status()).toEqual(["CAL", "DISCHRG", "LB", "RB"]);

      expect(await onbattery.status()).toEqual(["OB", "DISCHRG"]);
      expect(await calibration.status()).toEqual(["CAL", "DISCHRG"]);
      expect(await throttle.status()).toEqual(["OL", "DISCHRG"]);

      // the throttled warning: by now the driver ran several updates in OL+DISCHRG
      expect(await eventually(() => updates(throttle.log()) >= 10, 15_000)).toBe(true);
      const first = warnings(throttle.log());
      expect(first.length).toBeGreaterThanOrEqual(2);
      expect(first.length).toBeLessThan(updates(throttle.log()) / 2);
      expect(first[0]!.text).toBe(NEWER_WARNING("Battery charge is currently 80. "));
      for (const w of first.slice(1)) expect(w.text).toBe(NEWER_WARNING(""));
      for (let i = 1; i < first.length; i++) expect(first[i]!.t - first[i - 1]!.t).toBeGreaterThanOrEqual(2);
      // a changed charge is reported at the next update, whatever the time
      throttle.setState({ ...ONLINE_DISCHARGING, RemainingCapacity: 70 });
      const changed = NEWER_WARNING("Battery charge changed from 80 to 70 since last such report (draining). ");
      expect(await eventually(() => warnings(throttle.log()).some((w) => w.text === changed), 10_000)).toBe(true);

      // the options that handle OL+DISCHRG silence the warning
      for (const box of [onbattery, calibration, lbrb]) expect(warnings(box.log())).toEqual([]);
    } finally {
      await Promise.all(boxes.map((b) => b.stop()));
    }
  }, 110_000);

  test("lbrb_log_delay_sec is defaulted for a Back-UPS BX1600MI (apc-bx), not when given", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const conf = join(dir.path, "bx");
    mkdirSync(conf, { recursive: true });
    writeFileSync(join(conf, "ups.conf"), `[bx]\n\tdriver = usbhid-ups\n\tport = auto\n`);
    const env = { NUT_CONFPATH: conf, NUT_STATEPATH: conf };
    const [defaulted, given, plainApc] = await Promise.all([
      runUnderUsbSim([NUT_BINARY, "usbhid-ups", "-a", "bx", "-u", "root", "-d", "1"], { profiles: ["apc-bx"], env }, 60_000),
      runUnderUsbSim([NUT_BINARY, "usbhid-ups", "-a", "bx", "-u", "root", "-d", "1", "-x", "lbrb_log_delay_sec=0"], { profiles: ["apc-bx"], env }, 60_000),
      runUnderUsbSim([NUT_BINARY, "usbhid-ups", "-a", "bx", "-u", "root", "-d", "1"], { profiles: ["apc"], env }, 60_000),
    ]);
    expect(defaulted.exitCode).toBe(0);
    expect(defaulted.stderr).toContain(
      "Defaulting lbrb_log_delay_sec=3 for American Power Conversion model Back-UPS BX1600MI; consider also setting the lbrb_log_delay_without_calibrating and/or onlinedischarge_calibration and/or onlinedischarge_log_throttle_sec flag(s) in your configuration\n",
    );
    expect(defaulted.stdout).toContain("ups.status: OL\n");
    for (const run of [given, plainApc]) {
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain("ups.status: OL\n");
      expect(run.stderr).not.toContain("Defaulting lbrb_log_delay_sec");
    }
    expect(given.stdout).toContain("driver.parameter.lbrb_log_delay_sec: 0\n");
  }, 70_000);

  test("without the new options OL+DISCHRG is handled as Debian's 2.8.0 does (-d 3, with and without onlinedischarge)", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const conf = join(dir.path, "old");
    mkdirSync(conf, { recursive: true });
    writeFileSync(join(conf, "ups.conf"), `[old]\n\tdriver = usbhid-ups\n\tport = auto\n`);
    const stateFile = join(conf, "state.json");
    writeFileSync(stateFile, JSON.stringify(ONLINE_DISCHARGING));
    const dump = (program: string[], extra: string[]) =>
      runUnderUsbSim([...program, "-a", "old", "-u", "root", "-d", "3", ...extra], { profiles: ["apc"], stateFile, env: { NUT_CONFPATH: conf, NUT_STATEPATH: conf } }, 60_000);
    const comparable = (r: { exitCode: number; stdout: string; stderr: string }) => ({
      exitCode: r.exitCode,
      // the variables, apart from driver.version* (and the banner): each build has its own
      stdout: r.stdout.split("\n").filter((l) => /^[a-z][a-z0-9_.]*: /.test(l) && !l.startsWith("driver.version")),
      stderr: r.stderr,
    });
    for (const extra of [[], ["-x", "onlinedischarge"]]) {
      const [theirs, mine] = await Promise.all([dump([DEBIAN_USBHID_UPS], extra), dump([NUT_BINARY, "usbhid-ups"], extra)]);
      expect(comparable(mine)).toEqual(comparable(theirs));
      expect(theirs.stdout).toContain(extra.length === 0 ? "ups.status: OL DISCHRG\n" : "ups.status: OB DISCHRG\n");
      // 2.8.0 warns on every update (-d 3: the first and three more, plus initinfo's)
      const warned = theirs.stderr.split("\n").filter((l) => l.includes("is in OL+DISCHRG state now.")).length;
      expect(warned).toBe(extra.length === 0 ? 5 : 0);
    }
  }, 70_000);

  test("-h: Debian's 2.8.0 text plus the new options' lines (the only allowed difference)", () => {
    const debian = runCommand([DEBIAN_USBHID_UPS, "-h"], { timeoutMs: 10_000 });
    const ours = runCommand([NUT_BINARY, "usbhid-ups", "-h"], { timeoutMs: 10_000 });
    // the banner carries each build's version (and 2.8.0's USB library line): compared from "usage:" on
    const body = (r: { stdout: string; stderr: string }): string[] => {
      const lines = (r.stdout + r.stderr).split("\n");
      return lines.slice(lines.findIndex((l) => l.startsWith("usage:")));
    };
    const theirs = body(debian);
    expect(theirs[0]).toStartWith("usage: usbhid-ups");
    const at = theirs.indexOf("Set to treat discharging while online as being offline : -x onlinedischarge") + 1;
    expect(at).toBeGreaterThan(0);
    const added = [
      "Set to treat discharging while online as being offline/on-battery : -x onlinedischarge_onbattery",
      "Set to treat discharging while online as doing calibration : -x onlinedischarge_calibration",
      "Set to throttle log messages about discharging while online (only so often) : -x onlinedischarge_log_throttle_sec=<value>",
      "Set to throttle log messages about discharging while online (only if battery.charge is under this value) : -x onlinedischarge_log_throttle_hovercharge=<value>",
      "Set to delay status-setting (and log messages) about device in LB or LB+RB state : -x lbrb_log_delay_sec=<value>",
      "Set to apply lbrb_log_delay_sec even if device is not calibrating : -x lbrb_log_delay_without_calibrating",
    ];
    // later NUT's usb_hid_* tuning options follow usb_set_altinterface (nut_usb_addvars)
    const usbAt = theirs.findIndex((l) => l.endsWith(": -x usb_set_altinterface=<value>")) + 1;
    expect(usbAt).toBeGreaterThan(at);
    const usbAdded = ["usb_config_index", "usb_hid_rep_index", "usb_hid_desc_index", "usb_hid_ep_in", "usb_hid_ep_out"].map(
      (name) => `Deeper tuning of USB communications for complex devices : -x ${name}=<value>`,
    );
    expect(body(ours)).toEqual([...theirs.slice(0, at), ...added, ...theirs.slice(at, usbAt), ...usbAdded, ...theirs.slice(usbAt)]);
  });
});
