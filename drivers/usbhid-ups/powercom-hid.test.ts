import { expect, test } from "bun:test";
import type { HidConversionContext, HidDeviceIdentity, HidDeviceTweaks } from "./hid-subdriver.ts";
import { usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";
import {
  POWERCOM_BOOST,
  POWERCOM_HID2NUT,
  POWERCOM_LOWBATT,
  POWERCOM_ONLINE,
  POWERCOM_OVERLOAD,
  POWERCOM_SHUTDOWN,
  POWERCOM_STARTUP,
  POWERCOM_STAYOFF,
  POWERCOM_SUBDRIVER,
  POWERCOM_TRIM,
  POWERCOM_UPSFAIL,
  POWERCOM_VOLTAGE,
} from "./powercom-hid.ts";

const ctx = (info: Record<string, string> = {}, debug: string[] = []): HidConversionContext => ({
  stringDescriptor: () => undefined,
  getInfo: (name) => info[name],
  debug: (level, message) => debug.push(`${level} ${message}`),
});
const dev = (productId: number): HidDeviceIdentity => ({ vendorId: 0x0d9f, productId, vendor: undefined, product: "HID UPS Battery", serial: undefined });

test("DelayBeforeStartup: minutes with the bytes swapped, both ways", () => {
  const debug: string[] = [];
  expect(POWERCOM_STARTUP.toNut(0x3b3f, ctx({}, debug))).toBe("971220");
  expect(debug).toEqual(["3 powercom_startup_fun: value = 15167, buf = 971220"]);
  expect(POWERCOM_STARTUP.fromNut?.("120", ctx())).toBe(0x0200);
  // seconds are cut to whole minutes
  expect(POWERCOM_STARTUP.fromNut?.("119", ctx())).toBe(0x0100);
  expect(POWERCOM_STARTUP.fromNut?.("0", ctx())).toBe(0);
});

test("a delay command without a value takes the published ups.delay.*", () => {
  const debug: string[] = [];
  expect(POWERCOM_STARTUP.fromNut?.("", ctx({ "ups.delay.start": "600" }, debug))).toBe(0x0a00);
  expect(debug).toEqual(["3 powercom_startup_nuf: value = (null), command = 0A00"]);
  expect(POWERCOM_SHUTDOWN.fromNut?.("", ctx({ "ups.delay.shutdown": "20" }))).toBe(0x5400);
});

test("delays outside uint16_t give 0 with a level-0 message", () => {
  const debug: string[] = [];
  expect(POWERCOM_STARTUP.fromNut?.("-120", ctx({}, debug))).toBe(0);
  expect(POWERCOM_SHUTDOWN.fromNut?.("70000", ctx({}, debug))).toBe(0);
  expect(debug).toEqual(["0 powercom_startup_nuf: value = -2 is not in uint16_t range", "0 powercom_shutdown_nuf: value = 70000 is not in uint16_t range"]);
});

test("DelayBeforeShutdown: (minutes, seconds) bytes; writes carry the AC restart bits", () => {
  expect(POWERCOM_SHUTDOWN.toNut(0x1e01, ctx())).toBe("90");
  expect(POWERCOM_SHUTDOWN.toNut(0, ctx())).toBe("0");
  expect(POWERCOM_SHUTDOWN.fromNut?.("90", ctx())).toBe(0x5e01);
  // 0 would be the longest delay: 1 second instead
  expect(POWERCOM_SHUTDOWN.fromNut?.("0", ctx())).toBe(0x4100);
  expect(POWERCOM_STAYOFF.fromNut?.("20", ctx())).toBe(0x9400);
  expect(POWERCOM_STAYOFF.fromNut?.("0", ctx())).toBe(0x8100);
  // write-only: nothing to show when read
  expect(POWERCOM_STAYOFF.toNut(0x9400, ctx())).toBeUndefined();
});

test("the vendor collection's 4 V steps and status bit fields", () => {
  expect(POWERCOM_VOLTAGE.toNut(57, ctx())).toBe("228");
  expect(POWERCOM_UPSFAIL.toNut(0x01, ctx())).toBe("fanfail");
  expect(POWERCOM_UPSFAIL.toNut(0x02, ctx())).toBe("!fanfail");
  expect(POWERCOM_ONLINE.toNut(0x00, ctx())).toBe("online");
  expect(POWERCOM_ONLINE.toNut(0x01, ctx())).toBe("!online");
  expect(POWERCOM_LOWBATT.toNut(0x03, ctx())).toBe("lowbatt");
  expect(POWERCOM_TRIM.toNut(0x08, ctx())).toBe("trim");
  expect(POWERCOM_TRIM.toNut(0x18, ctx())).toBe("!trim");
  expect(POWERCOM_BOOST.toNut(0x18, ctx())).toBe("boost");
  expect(POWERCOM_BOOST.toNut(0x10, ctx())).toBe("!boost");
  expect(POWERCOM_OVERLOAD.toNut(0x20, ctx())).toBe("overload");
});

test("claim: 0d9f:0002 is the serial powercom driver's; others only with productid", () => {
  const debug: string[] = [];
  const log = (level: number, message: string) => debug.push(`${level} ${message}`);
  expect(usbIdSupport(POWERCOM_SUBDRIVER.usbIds, 0x0d9f, 0x0002).support).toBe("possibly");
  expect(POWERCOM_SUBDRIVER.claimPossibly?.(dev(0x0002), true, log)).toBe(false);
  expect(debug).toEqual(["0 This Powercom device (0d9f/0002) is not supported by usbhid-ups.\nPlease use the 'powercom' driver instead.\n"]);
  expect(POWERCOM_SUBDRIVER.claimPossibly?.(dev(0x00a9), true, log)).toBe(true);
  expect(debug.length).toBe(1);
  expect(POWERCOM_SUBDRIVER.claimPossibly?.(dev(0x00a9), false, log)).toBe(false);
  expect(debug[1]).toStartWith("0 This PowerCOM device (0d9f:00a9) is not (or perhaps not yet) supported\n");
});

test("0d9f:0001 is read through the interrupt pipe only, in 8-byte reports", () => {
  const tweaks: HidDeviceTweaks = { maxReportSize: false, useInterruptPipe: true, log: () => {} };
  for (const pid of [0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x0004]) {
    const { support, id } = usbIdSupport(POWERCOM_SUBDRIVER.usbIds, 0x0d9f, pid);
    expect(support).toBe("supported");
    id?.onMatch?.(dev(pid), tweaks);
  }
  expect(tweaks.interruptOnly).toBeUndefined();
  usbIdSupport(POWERCOM_SUBDRIVER.usbIds, 0x0d9f, 0x0001).id?.onMatch?.(dev(0x0001), tweaks);
  expect([tweaks.interruptOnly, tweaks.interruptSize]).toEqual([true, 8]);
});

test("the vendor collection's paths resolve through PowerCOM's usage names", () => {
  const row = POWERCOM_HID2NUT.find((r) => r.path.endsWith("PowercomPrimaryBatterySupport"));
  expect(stringToPath(row?.path ?? "", POWERCOM_SUBDRIVER.usageTable)).toEqual({ path: [0x00020004, 0x00020016, 0x0002001c, 0x00020082], skipped: [] });
  expect(stringToPath("UPS.PowerSummary.PCMDelayBeforeShutdown", POWERCOM_SUBDRIVER.usageTable).path).toEqual([0x00840004, 0x00840024, 0x00ff0057]);
  expect(POWERCOM_SUBDRIVER.formatMfr(dev(0x0004))).toBe("PowerCOM");
});
