import { afterEach, describe, expect, test } from "bun:test";
import { CPS_BATTCHARGE, CPS_BATTVOLT, CPS_SUBDRIVER, cpsBatteryScale, resetCpsBatteryScale } from "./cps-hid.ts";
import type { HidConversionContext, MutableHidData } from "./hid-subdriver.ts";

const ctx = (info: Record<string, string>, logged: string[] = []): HidConversionContext => ({
  stringDescriptor: () => undefined,
  getInfo: (name) => info[name],
  logInfo: (m) => logged.push(m),
});

afterEach(resetCpsBatteryScale);

describe("CyberPower battery voltage scaling (cps_battvolt)", () => {
  test("without the 0764:0501 hook the value is printed as is", () => {
    expect(CPS_BATTVOLT.toNut(40.5, ctx({ "battery.voltage.nominal": "24" }))).toBe("40.5");
  });

  test("0764:0501: 1.4x above nominal scales by 2/3, decided once", () => {
    CPS_SUBDRIVER.usbIds.find((id) => id.productId === 0x0501)?.onMatch?.(
      { vendorId: 0x0764, productId: 0x0501, vendor: undefined, product: undefined, serial: undefined },
      { maxReportSize: false, useInterruptPipe: true, log: () => {} },
    );
    const logged: string[] = [];
    // nominal unknown yet: no decision
    expect(CPS_BATTVOLT.toNut(40.5, ctx({}))).toBe("40.5");
    expect(cpsBatteryScale.checked).toBe(false);
    expect(CPS_BATTVOLT.toNut(40.5, ctx({ "battery.voltage.nominal": "24" }, logged))).toBe("27.0");
    expect(logged).toEqual(["cps_adjust_battery_scale: battery readings will be scaled by 2/3"]);
    // stays scaled even when a later reading is below the threshold
    expect(CPS_BATTVOLT.toNut(24, ctx({ "battery.voltage.nominal": "24" }))).toBe("16.0");
  });

  test("0764:0501: a sane reading keeps the scale at 1", () => {
    cpsBatteryScale.mightNeedScale = true;
    expect(CPS_BATTVOLT.toNut(27.2, ctx({ "battery.voltage.nominal": "24" }))).toBe("27.2");
    expect(cpsBatteryScale.checked).toBe(true);
    expect(CPS_BATTVOLT.toNut(40, ctx({ "battery.voltage.nominal": "24" }))).toBe("40.0");
  });
});

test("battery charge is clamped to 100", () => {
  expect(CPS_BATTCHARGE.toNut(117, ctx({}))).toBe("100");
  expect(CPS_BATTCHARGE.toNut(42.4, ctx({}))).toBe("42");
});

describe("report-descriptor fix-up", () => {
  const item = (reportId: number, node: number, logMin: number, logMax: number): MutableHidData =>
    ({ path: [0x00840004, node], reportId, offset: 0, size: 8, type: 0xb0, attribute: 0, unit: 0, unitExp: 0, logMin, logMax, phyMin: 0, phyMax: 0, havePhyMin: false, havePhyMax: false }) as MutableHidData;
  const dev = (productId: number) => ({ vendorId: 0x0764, productId, vendor: undefined, product: undefined, serial: undefined });

  test("output voltage limits copied from the high transfer voltage are replaced by 0..511", () => {
    const items = [item(16, 0x00840054, 130, 150), item(18, 0x00840030, 130, 150), item(15, 0x00840030, 170, 270)];
    expect(CPS_SUBDRIVER.fixReportDescriptor?.(dev(0x0501), items, () => {})).toBe(true);
    expect([items[1]?.logMin, items[1]?.logMax]).toEqual([0, 511]);
    // 2.8.0 leaves the input voltage untouched
    expect([items[2]?.logMin, items[2]?.logMax]).toEqual([170, 270]);
  });

  test("left alone on other products or when the limits differ", () => {
    const items = [item(16, 0x00840054, 130, 150), item(18, 0x00840030, 130, 150)];
    expect(CPS_SUBDRIVER.fixReportDescriptor?.(dev(0x0601), items, () => {})).toBe(false);
    const differ = [item(16, 0x00840054, 130, 150), item(18, 0x00840030, 0, 300)];
    expect(CPS_SUBDRIVER.fixReportDescriptor?.(dev(0x0501), differ, () => {})).toBe(false);
    expect(differ[1]?.logMax).toBe(300);
  });
});
