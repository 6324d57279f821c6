import { afterEach, describe, expect, test } from "bun:test";
import {
  EVER_ALARMS,
  EVER_FORMAT_HARDWARE,
  EVER_FORMAT_VERSION,
  EVER_HID2NUT,
  EVER_IP_ADDRESS,
  EVER_MAC_ADDRESS,
  EVER_MESSAGES,
  EVER_ON_OFF_INFO,
  EVER_PACKETS,
  EVER_SUBDRIVER,
  EVER_WORKMODE,
  resetEverReportCounters,
} from "./ever-hid.ts";
import { type HidConversionContext, usbIdSupport } from "./hid-subdriver.ts";
import { stringToPath } from "./hid-usage-table.ts";

/** A context whose report buffers are the given bytes (ID byte first). */
const reports = (buffers: Record<number, number[]>): HidConversionContext => ({
  stringDescriptor: () => undefined,
  reportBuffer: (id) => new Uint8Array(buffers[id] ?? []),
});
const none = reports({});

afterEach(resetEverReportCounters);

describe("version formats", () => {
  test("firmware / protocol: v<nibble>.<nibble>b<low byte>, 9 characters at most", () => {
    expect(EVER_FORMAT_VERSION.toNut(0x1203, none)).toBe("v1.2b03");
    expect(EVER_FORMAT_VERSION.toNut(0xab10, none)).toBe("vA.Bb16");
    expect(EVER_FORMAT_VERSION.toNut(0xffff, none)).toBe("vF.Fb255");
  });

  test("hardware: rev.<letter>v<low byte>; the high byte beyond Z has no letter", () => {
    expect(EVER_FORMAT_HARDWARE.toNut(0x0205, none)).toBe("rev.Bv05");
    expect(EVER_FORMAT_HARDWARE.toNut(0x0001, none)).toBe("rev.0v01");
    expect(EVER_FORMAT_HARDWARE.toNut(0x1aff, none)).toBe("rev.Zv255");
    expect(EVER_FORMAT_HARDWARE.toNut(0x1b00, none)).toBeUndefined();
  });
});

describe("whole-report conversions (the value passed in is not used)", () => {
  test("MAC address: report 210 after its ID byte", () => {
    expect(EVER_MAC_ADDRESS.toNut(0, reports({ 210: [210, 0x00, 0x1e, 0xc0, 0x8a, 0x42, 0x17] }))).toBe("00:1e:c0:8a:42:17");
    expect(EVER_MAC_ADDRESS.toNut(0, none)).toBe("");
  });

  test("IP addresses: each call reads the next of reports 211, 230, 231, 232", () => {
    const ctx = reports({ 211: [211, 192, 168, 1, 10], 230: [230, 192, 168, 1, 50], 231: [231, 255, 255, 255, 0], 232: [232, 192, 168, 1, 1] });
    const got = [0, 0, 0, 0, 0].map(() => EVER_IP_ADDRESS.toNut(0, ctx));
    expect(got).toEqual(["192.168.1.10", "192.168.1.50", "255.255.255.0", "192.168.1.1", "192.168.1.10"]);
  });

  test("packet counters: reports 215-218 in turn, signed 32-bit little-endian, empty when short", () => {
    const ctx = reports({ 215: [215, 0x40, 0xe2, 0x01, 0x00], 216: [216, 0xff, 0xff, 0xff, 0xff], 217: [217, 1, 2] });
    expect([0, 0, 0, 0, 0].map(() => EVER_PACKETS.toNut(0, ctx))).toEqual(["123456", "-1", "", "", "123456"]);
  });

  test("work mode and on/off from report 74's mode byte", () => {
    const mode = (byte: number) => reports({ 74: [74, byte] });
    expect([1, 2, 4, 8, 16, 32, 64, 0, 12].map((b) => EVER_WORKMODE.toNut(0, mode(b)))).toEqual([
      "UNKNOWN",
      "STOP",
      "ONLINE",
      "ONBATTERY",
      "WATCH",
      "WAITING",
      "EMERGENCY",
      "UNKNOWN",
      "UNKNOWN",
    ]);
    expect([4, 8, 2, 16].map((b) => EVER_ON_OFF_INFO.toNut(0, mode(b)))).toEqual(["!off", "!off", "off", "off"]);
  });

  test("messages (report 75): overload and low battery left to ups.status, both overheat bits give one word", () => {
    const messages = (word: number) => EVER_MESSAGES.toNut(0, reports({ 75: [75, word & 0xff, word >> 8] }));
    expect(messages(0x0003)).toBe("");
    expect(messages(0x0c00)).toBe("OVERHEAT");
    expect(messages(0x3ffc)).toBe(
      "BOOST BUCK BOOST_BLOCKED BUCK_BLOCKED CHARGING FAN_ON EPO_BLOCKED NEED_REPLACMENT OVERHEAT WAITING_FOR_MIN_CHARGE MAINS_OUT_OF_RANGE",
    );
  });

  test("alarms (report 76), in bit order with NUT's spellings", () => {
    const alarms = (word: number) => EVER_ALARMS.toNut(0, reports({ 76: [76, word & 0xff, word >> 8] }));
    expect(alarms(0)).toBe("");
    expect(alarms(0x0100)).toBe("CRITICAL_BATT_VOLTAGE");
    expect(alarms(0x01ff)).toBe("OVERLOAD SHORT-CIRCUIT OVERHEAT EPO INERNAL_ERROR REVERSE_POWER_SUPPLY NO_INETERNAL_COMM CRITICAL_BATT_VOLTAGE");
  });
});

describe("tables", () => {
  test("usage names: EVER1 is usage 0, EVER2-EVER104 Ever's page 0xff00 with NUT's gaps", () => {
    const table = new Map(EVER_SUBDRIVER.usageTable);
    expect(table.size).toBe(104);
    expect([table.get("EVER1"), table.get("EVER12"), table.get("EVER32"), table.get("EVER59"), table.get("EVER104")]).toEqual([
      0x00000000, 0xff000010, 0xff000030, 0xff000066, 0xff000097,
    ]);
    expect(stringToPath("UPS.EVER1.EVER97.EVER98", EVER_SUBDRIVER.usageTable).path).toEqual([0x00840004, 0x00000000, 0xff000090, 0xff000091]);
  });

  test("2.8.0's names are kept, powerfactor included; ids as in NUT's table", () => {
    expect(EVER_HID2NUT).toHaveLength(116);
    expect(EVER_HID2NUT.find((r) => r.path === "UPS.EVER1.EVER44")?.name).toBe("powerfactor");
    // NUT's "not implemented" rows stay out
    expect(EVER_HID2NUT.some((r) => r.path === "UPS.EVER1.EVER55")).toBe(false);
    expect(EVER_HID2NUT.slice(-2).map((r) => r.name)).toEqual(["load.off.delay", "shutdown.return"]);
  });

  test("claim: STM 0483:a113 and Ever 2e51:ffff / 0000", () => {
    expect(usbIdSupport(EVER_SUBDRIVER.usbIds, 0x0483, 0xa113).support).toBe("supported");
    expect(usbIdSupport(EVER_SUBDRIVER.usbIds, 0x2e51, 0x0000).support).toBe("supported");
    expect(usbIdSupport(EVER_SUBDRIVER.usbIds, 0x2e51, 0xffff).support).toBe("supported");
    // other STM products (CyberPower's 0483:a430 came later) only with productid
    expect(usbIdSupport(EVER_SUBDRIVER.usbIds, 0x0483, 0xa430).support).toBe("possibly");
    expect(EVER_SUBDRIVER.formatMfr({ vendorId: 0x2e51, productId: 0, vendor: undefined, product: undefined, serial: undefined })).toBe("Ever");
  });
});
