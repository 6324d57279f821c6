/**
 * NUT 2.8.0's APC subdriver (drivers/apc-hid.c, `APC HID 0.98`) as data: USB IDs with their
 * tweaks, APC's usage names, its lookups, the hid2nut table in NUT's order, the identity
 * formatting (model cut before `FW:`, firmware strings) and the report-descriptor fix-up for
 * Back-UPS (051d:0002) whose input-voltage limits are smaller than the transfer voltage.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import {
  BEEPER_INFO,
  CHARGING_INFO,
  DATE_CONVERSION,
  DISCHARGING_INFO,
  KELVIN_CELSIUS_CONVERSION,
  LOWBATT_INFO,
  NOBATTERY_INFO,
  ONLINE_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TIMELIMITEXPIRED_INFO,
  cLong,
  scanDate,
} from "./hid-lookups.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_FLAG_SEMI_STATIC,
  HU_TYPE_CMD,
  type HidDeviceIdentity,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  type HidValueTable,
  hidRow,
} from "./hid-subdriver.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";

const APC_VENDORID = 0x051d;

/** Back-UPS models whose GET_REPORT answers overflow the descriptor's report size. */
const TWEAK_MAX_REPORT = ["Back-UPS ES 525", "Back-UPS CS"];

const pad = (n: number, width: number): string => (n < 0 ? `-${String(-n).padStart(width - 1, "0")}` : String(n).padStart(width, "0"));

/** APC's hexadecimal-as-decimal date 0xMMDDYY (years 70–99 are 19xx). */
export const APC_DATE_CONVERSION: HidValueFunction = {
  kind: "function",
  toNut(value) {
    const v = cLong(value);
    if (v === 0) return "not set";
    let year = (v & 0xf) + 10 * ((v >> 4) & 0xf);
    const month = ((v >> 16) & 0xf) + 10 * ((v >> 20) & 0xf);
    const day = ((v >> 8) & 0xf) + 10 * ((v >> 12) & 0xf);
    year += year >= 70 ? 1900 : 2000;
    return `${pad(year, 4)}/${pad(month, 2)}/${pad(day, 2)}`;
  },
  fromNut(text) {
    let [year, month, day] = scanDate(text);
    if (year >= 2070 || month > 12 || day > 31) return 0;
    year %= 100;
    let date = (((Math.trunc(year / 10)) & 0x0f) << 4) + (year % 10);
    date += ((Math.trunc(month / 10) & 0x0f) << 20) + ((month % 10) << 16);
    date += ((Math.trunc(day / 10) & 0x0f) << 12) + ((day % 10) << 8);
    return date;
  },
};

const table = (entries: readonly (readonly [number, string])[]): HidValueTable => ({ kind: "table", entries });
/** Determined empirically on a Back-UPS LS 500: 8 normal, 16 briefly at power-on, 0 off. */
export const APC_STATUS_FLAG_INFO = table([[8, "!off"], [16, "!off"], [0, "off"]]);
/** Reason of the last transfer to battery (apcupsd's codes). */
export const APC_LINEFAILCAUSE_VRANGE_INFO = table([[1, "vrange"], [2, "vrange"], [4, "vrange"], [8, "vrange"], [9, "vrange"], [0, "!vrange"]]);
export const APC_LINEFAILCAUSE_FRANGE_INFO = table([[7, "frange"], [0, "!frange"]]);
export const APC_SENSITIVITY_INFO = table([[0, "low"], [1, "medium"], [2, "high"]]);

const row = hidRow;

/** apc_hid2nut[], in NUT's order (order decides which of two paths wins). */
export const APC_HID2NUT: readonly HidMappingRow[] = [
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0),
  row("battery.runtime", 0, 0, "UPS.Battery.RunTimeToEmpty", "%.0f", 0),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Battery.RemainingTimeLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.voltage", 0, 0, "UPS.Battery.Voltage", "%.1f", 0),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%.1f", 0),
  row("battery.voltage.nominal", 0, 0, "UPS.Battery.ConfigVoltage", "%.1f", 0),
  row("battery.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%.1f", 0),
  row("battery.temperature", 0, 0, "UPS.Battery.Temperature", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", 0, STRINGID_CONVERSION),
  row("battery.mfr.date", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Battery.ManufacturerDate", "%s", HU_FLAG_SEMI_STATIC, DATE_CONVERSION),
  row("battery.mfr.date", 0, 0, "UPS.PowerSummary.APCBattReplaceDate", "%s", 0, APC_DATE_CONVERSION),
  row("battery.date", 0, 0, "UPS.Battery.APCBattReplaceDate", "%s", 0, APC_DATE_CONVERSION),
  row("ups.load", 0, 0, "UPS.Output.PercentLoad", "%.1f", 0),
  row("ups.load", 0, 0, "UPS.PowerConverter.PercentLoad", "%.0f", 0),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.Output.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.Output.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.Output.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.APCGeneralCollection.APCDelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.APCGeneralCollection.APCDelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.test.result", 0, 0, "UPS.Battery.Test", "%s", 0, TEST_READ_INFO),
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", 0, BEEPER_INFO),
  row("ups.mfr.date", 0, 0, "UPS.ManufacturerDate", "%s", 0, DATE_CONVERSION),
  row("ups.mfr.date", 0, 0, "UPS.PowerSummary.ManufacturerDate", "%s", 0, DATE_CONVERSION),
  row("ups.realpower.nominal", 0, 0, "UPS.PowerConverter.ConfigActivePower", "%.0f", 0),
  row("ups.realpower.nominal", 0, 0, "UPS.Output.ConfigActivePower", "%.0f", 0),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", 0, TIMELIMITEXPIRED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BatteryPresent", "", 0, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.APCStatusFlag", "", HU_FLAG_QUICK_POLL, APC_STATUS_FLAG_INFO),
  row("BOOL", 0, 0, "UPS.Input.APCLineFailCause", "", 0, APC_LINEFAILCAUSE_VRANGE_INFO),
  row("BOOL", 0, 0, "UPS.Input.APCLineFailCause", "", 0, APC_LINEFAILCAUSE_FRANGE_INFO),
  row("input.voltage", 0, 0, "UPS.Input.Voltage", "%.1f", 0),
  row("input.voltage.nominal", 0, 0, "UPS.Input.ConfigVoltage", "%.0f", 0),
  row("input.transfer.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.LowVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.high", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.HighVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Input.LowVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.high", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Input.HighVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.sensitivity", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Input.APCSensitivity", "%s", HU_FLAG_SEMI_STATIC, APC_SENSITIVITY_INFO),
  row("output.voltage", 0, 0, "UPS.Output.Voltage", "%.1f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.Output.ConfigVoltage", "%.1f", 0),
  row("output.current", 0, 0, "UPS.Output.Current", "%.2f", 0),
  row("output.frequency", 0, 0, "UPS.Output.Frequency", "%.1f", 0),
  row("ambient.temperature", 0, 0, "UPS.APCEnvironment.APCProbe1.Temperature", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  row("ambient.humidity", 0, 0, "UPS.APCEnvironment.APCProbe1.Humidity", "%.1f", 0),
  row("ambient.temperature", 0, 0, "UPS.APCEnvironment.APCProbe2.Temperature", "%.1f", 0, KELVIN_CELSIUS_CONVERSION),
  row("ambient.humidity", 0, 0, "UPS.APCEnvironment.APCProbe2.Humidity", "%.1f", 0),
  row("test.battery.start.quick", 0, 0, "UPS.BatterySystem.Battery.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.quick", 0, 0, "UPS.Battery.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.BatterySystem.Battery.Test", "2", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.Battery.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.BatterySystem.Battery.Test", "3", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.Battery.Test", "3", HU_TYPE_CMD),
  row("test.panel.start", 0, 0, "UPS.APCPanelTest", "1", HU_TYPE_CMD),
  row("test.panel.stop", 0, 0, "UPS.APCPanelTest", "0", HU_TYPE_CMD),
  row("test.panel.start", 0, 0, "UPS.PowerSummary.APCPanelTest", "1", HU_TYPE_CMD),
  row("test.panel.stop", 0, 0, "UPS.PowerSummary.APCPanelTest", "0", HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "10", HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.Output.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.Output.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.Output.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.Output.DelayBeforeReboot", "10", HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.APCGeneralCollection.APCDelayBeforeReboot", "10", HU_TYPE_CMD),
  row("shutdown.return", 0, 0, "UPS.Output.APCDelayBeforeReboot", "1", HU_TYPE_CMD),
  row("beeper.on", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.off", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.mute", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
];

export const APC_SUBDRIVER: HidSubdriver = {
  name: "APC HID 0.98",
  vendorLabel: "APC",
  usbIds: [
    { vendorId: APC_VENDORID, productId: 0x0000 },
    {
      vendorId: APC_VENDORID,
      productId: 0x0002,
      onMatch(device, tweaks) {
        if (device.product === undefined) {
          tweaks.log("device->Product is NULL so it is not possible to determine whether to activate max_report_size workaround");
          return;
        }
        if (TWEAK_MAX_REPORT.some((p) => device.product!.startsWith(p))) tweaks.maxReportSize = true;
      },
    },
    {
      vendorId: APC_VENDORID,
      productId: 0x0003,
      onMatch(_device, tweaks) {
        if (tweaks.useInterruptPipe) {
          tweaks.log("interrupt pipe disabled (add 'pollonly' flag to 'ups.conf' to get rid of this message)");
          tweaks.useInterruptPipe = false;
        }
      },
    },
  ],
  usageTable: [
    ["APCGeneralCollection", 0xff860005],
    ["APCEnvironment", 0xff860006],
    ["APCProbe1", 0xff860007],
    ["APCProbe2", 0xff860008],
    ["APCBattReplaceDate", 0xff860016],
    ["APCBattCapBeforeStartup", 0xff860019],
    ["APC_UPS_FirmwareRevision", 0xff860042],
    ["APCLineFailCause", 0xff860052],
    ["APCStatusFlag", 0xff860060],
    ["APCSensitivity", 0xff860061],
    ["APCPanelTest", 0xff860072],
    ["APCShutdownAfterDelay", 0xff860076],
    ["APC_USB_FirmwareRevision", 0xff860079],
    ["APCDelayBeforeReboot", 0xff86007c],
    ["APCDelayBeforeShutdown", 0xff86007d],
    ["APCDelayBeforeStartup", 0xff86007e],
    ["BUPHibernate", 0x00850058],
    ["BUPBattCapBeforeStartup", 0x00860012],
    ["BUPDelayBeforeStartup", 0x00860076],
    ["BUPSelfTest", 0x00860010],
  ],
  mapping: APC_HID2NUT,
  formatMfr: (device: HidDeviceIdentity) => device.vendor ?? "APC",
  formatModel(device) {
    // NUT formats into a 64-byte buffer and cuts one character before "FW:"
    const model = (device.product ?? "unknown").slice(0, 63);
    const fw = model.indexOf("FW:");
    return fw < 0 ? model : model.slice(0, Math.max(0, fw - 1));
  },
  formatSerial: (device) => device.serial,
  identityExtras(device) {
    const model = (device.product ?? "unknown").slice(0, 63);
    const fw = model.indexOf("FW:");
    if (fw < 0) return [];
    let firmware = model.slice(fw + 3);
    const usb = firmware.indexOf("USB FW:");
    const extras: (readonly [string, string])[] = [];
    if (usb >= 0) {
      extras.push(["ups.firmware.aux", firmware.slice(usb + 7)]);
      firmware = firmware.slice(0, Math.max(0, usb - 1));
    }
    extras.push(["ups.firmware", firmware]);
    return extras;
  },
  fixReportDescriptor(device, items, debug) {
    if (device.vendorId !== APC_VENDORID || device.productId !== 0x0002) return false;
    debug(3, `Attempting Report Descriptor fix for UPS: Vendor: ${device.vendorId.toString(16).padStart(4, "0")}, Product: ${device.productId.toString(16).padStart(4, "0")}`);
    // FindObject_with_ID_Node: first object with that report ID whose last path node matches
    const find = (reportId: number, node: number) => items.find((d) => d.reportId === reportId && d.path[d.path.length - 1] === node);
    let fixed = false;
    const hvt = find(0x33, 0x00840054);
    if (hvt === undefined) return false;
    debug(4, `Report Descriptor: highVoltageTransfer LogMin: ${hvt.logMin} LogMax: ${hvt.logMax}`);
    const voltage = find(0x31, 0x00840030);
    if (voltage !== undefined) {
      debug(4, `Report Descriptor: voltage LogMin: ${voltage.logMin} LogMax: ${voltage.logMax}`);
      if (hvt.logMax > voltage.logMax) {
        voltage.logMin = 0;
        voltage.logMax = hvt.logMax * 2;
        debug(3, `Fixing Report Descriptor. Set voltage LogMin = ${voltage.logMin}, LogMax = ${voltage.logMax}`);
        fixed = true;
      }
    }
    const config = find(0x30, 0x00840040);
    if (config !== undefined) {
      debug(4, `Report Descriptor: configVoltage LogMin: ${config.logMin} LogMax: ${config.logMax}`);
      if (hvt.logMax > config.logMax) {
        config.logMax = 255;
        debug(3, `Fixing Report Descriptor. Set configVoltage LogMin = ${config.logMin}, LogMax = ${config.logMax}`);
        fixed = true;
      }
    }
    return fixed;
  },
};
