import { describe, expect, test } from "bun:test";
import { ECOFLOW_HID2NUT, ECOFLOW_RUNTIME_CONVERSION, ECOFLOW_SUBDRIVER } from "./ecoflow-hid.ts";
import { HID_SUBDRIVERS } from "./hid-subdriver-list.ts";
import { type HidConversionContext, HU_FLAG_STATIC, usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";

const none: HidConversionContext = { stringDescriptor: () => undefined };
const device = (vendor: string | undefined) => ({ vendorId: 0x3746, productId: 0xffff, vendor, product: "EF-UPS-RIVER 3 Plus", serial: "R631" });

describe("EcoFlow run time (minutes on the wire)", () => {
  test("minutes become seconds, %.0f", () => {
    expect(ECOFLOW_RUNTIME_CONVERSION.toNut(2400, none)).toBe("144000");
    expect(ECOFLOW_RUNTIME_CONVERSION.toNut(0, none)).toBe("0");
    expect(ECOFLOW_RUNTIME_CONVERSION.toNut(1.5, none)).toBe("90");
    // over 24 hours is kept as is
    expect(ECOFLOW_RUNTIME_CONVERSION.toNut(5000, none)).toBe("300000");
  });

  test("a negative reading publishes nothing", () => {
    expect(ECOFLOW_RUNTIME_CONVERSION.toNut(-1, none)).toBeUndefined();
  });
});

describe("EcoFlow tables", () => {
  test("2.8.5's rows without the WITH_UNMAPPED_DATA_POINTS block, in NUT's order", () => {
    expect(ECOFLOW_HID2NUT).toHaveLength(31);
    expect(ECOFLOW_HID2NUT.some((r) => r.name.startsWith("unmapped."))).toBe(false);
    expect(ECOFLOW_HID2NUT[0]?.name).toBe("ups.beeper.status");
    expect(ECOFLOW_HID2NUT.at(-1)?.name).toBe("battery.charge.warning");
    // no instant commands: NUT's beeper / shutdown rows are commented out
    expect(ECOFLOW_HID2NUT.filter((r) => r.flags & 0x10)).toEqual([]);
    const low = ECOFLOW_HID2NUT.find((r) => r.name === "battery.charge.low");
    expect([low?.stateFlags, low?.length]).toEqual([0x0001 | 0x0002, 5]);
    expect(ECOFLOW_HID2NUT.find((r) => r.name === "ups.power.nominal")?.flags).toBe(HU_FLAG_STATIC);
  });

  test("the indexed Flow path resolves with the generic usage table", () => {
    const { path } = stringToPath("UPS.Flow.[4].ConfigActivePower", ECOFLOW_SUBDRIVER.usageTable);
    expect(path).toHaveLength(4);
    expect(path[0]).toBe(0x00840004);
    expect(path[3]).toBe(0x00840044);
    for (const r of ECOFLOW_HID2NUT) expect(stringToPath(r.path, ECOFLOW_SUBDRIVER.usageTable).path.length).toBeGreaterThan(2);
  });

  test("identity: the USB strings, EcoFlow when the vendor string is missing", () => {
    expect(ECOFLOW_SUBDRIVER.formatMfr(device("EcoFlow Inc"))).toBe("EcoFlow Inc");
    expect(ECOFLOW_SUBDRIVER.formatMfr(device(undefined))).toBe("EcoFlow");
    expect(ECOFLOW_SUBDRIVER.formatModel(device(undefined), { itemValue: () => undefined, itemString: () => "" })).toBe("EF-UPS-RIVER 3 Plus");
    expect(ECOFLOW_SUBDRIVER.formatSerial(device(undefined))).toBe("R631");
  });

  test("claim: 3746:ffff supported, other EcoFlow products only with productid", () => {
    expect(usbIdSupport(ECOFLOW_SUBDRIVER.usbIds, 0x3746, 0xffff).support).toBe("supported");
    expect(usbIdSupport(ECOFLOW_SUBDRIVER.usbIds, 0x3746, 0x0001).support).toBe("possibly");
    expect(usbIdSupport(ECOFLOW_SUBDRIVER.usbIds, 0x0764, 0xffff).support).toBe("no");
    expect(ECOFLOW_SUBDRIVER.claimPossibly).toBeUndefined();
  });

  test("2.8.5's claim order: after delta_ups, before ever", () => {
    const names = HID_SUBDRIVERS.map((s) => s.name);
    const at = names.indexOf("EcoFlow HID 0.01");
    expect(names[at - 1]).toStartWith("Delta");
    expect(names[at + 1]).toStartWith("Ever");
  });
});
