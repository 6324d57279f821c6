/**
 * NUT 2.8.0's Ever subdriver (drivers/ever-hid.c, `Ever HID 0.1`) as data: the Ever and STM
 * USB IDs, Ever's numbered vendor usages (EVER1 … EVER104: the meaning of most is unknown), the
 * hid2nut table in NUT's order (many `experimental.*` names, and `powerfactor`, a 2.8.0 slip
 * for output.powerfactor, kept because 2.8.0 publishes it), and the conversions that decode
 * whole vendor reports: network card addresses and counters, work mode, messages and alarms.
 */
import { ST_FLAG_NUMBER, ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY } from "./hid-delays.ts";
import {
  AWAITINGPOWER_INFO,
  BOOST_INFO,
  CHARGING_INFO,
  COMMFAULT_INFO,
  DISCHARGING_INFO,
  KELVIN_CELSIUS_CONVERSION,
  LOWBATT_INFO,
  NOBATTERY_INFO,
  ONLINE_INFO,
  OVERHEAT_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  TRIM_INFO,
  YES_NO_INFO,
} from "./hid-lookups.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_TYPE_CMD,
  type HidConversionContext,
  type HidMappingRow,
  type HidSubdriver,
  type HidUsbId,
  type HidValueFunction,
  hidRow,
} from "./hid-subdriver.ts";

const EVER_VENDORID = 0x2e51;
const STMICRO_VENDORID = 0x0483;

/** Vendor reports the conversions read whole (the value handed to them is not used). */
const MAC_ADDRESS_REPORT = 210;
/** Notification destination, IP address, network mask, default gateway. */
const IP_ADDRESS_REPORTS = [211, 230, 231, 232] as const;
/** Sent, received, send errors, receive errors. */
const PACKET_REPORTS = [215, 216, 217, 218] as const;
const WORKMODE_REPORT = 74;
const MESSAGES_REPORT = 75;
const ALARMS_REPORT = 76;
/** Size of the static `model` buffers of the version formats (snprintf truncates to 9). */
const VERSION_BUFFER = 10;
/** Size of the static `line` buffers: 100, and 200 for messages and alarms. */
const LINE_BUFFER = 100;
const WORDS_BUFFER = 200;

/**
 * Which report the next address / packet conversion reads: ever-hid.c keeps one static
 * counter per function that cycles 1..4 on every call, so the table's four rows of each kind
 * get the four reports in table order (one driver process serves one UPS).
 */
export const everReportCounters = { ipAddress: 0, packets: 0 };

/** Back to the state of a freshly started driver (for tests). */
export function resetEverReportCounters(): void {
  everReportCounters.ipAddress = 0;
  everReportCounters.packets = 0;
}

/** reportbuf->data[id] (ID byte first); empty when the context cannot give it. */
const report = (ctx: HidConversionContext, reportId: number): Uint8Array => ctx.reportBuffer?.(reportId) ?? new Uint8Array(0);

/** The bytes after the report ID, each formatted and joined, as snprintfcat fills a buffer. */
function joinPayload(buf: Uint8Array, format: (byte: number) => string, separator: string): string {
  const parts: string[] = [];
  for (let i = 1; i < buf.length; i++) parts.push(format(buf[i] ?? 0));
  return parts.join(separator).slice(0, LINE_BUFFER - 1);
}

/** (unsigned int)value, as the version formats take it. */
const uint = (value: number): number => Math.trunc(value) >>> 0;

/** Hardware revision letters; NUT indexes this with the high byte (beyond Z is undefined in C). */
const HARDWARE_REVISIONS = ["0", ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"];

/** ever_format_hardware_fun: `rev.<letter>v<minor>`, the high byte a letter. */
export const EVER_FORMAT_HARDWARE: HidValueFunction = {
  kind: "function",
  toNut(value) {
    const v = uint(value);
    const letter = HARDWARE_REVISIONS[(v & 0xff00) >> 8];
    // 2.8.0 reads past its table here; we leave the value out instead
    if (letter === undefined) return undefined;
    return `rev.${letter}v${String(v & 0xff).padStart(2, "0")}`.slice(0, VERSION_BUFFER - 1);
  },
};

/** ever_format_version_fun: `v<major>.<minor>b<build>` from nibbles and the low byte. */
export const EVER_FORMAT_VERSION: HidValueFunction = {
  kind: "function",
  toNut(value) {
    const v = uint(value);
    const major = ((v & 0xf000) >>> 12).toString(16).toUpperCase();
    const minor = ((v & 0x0f00) >>> 8).toString(16).toUpperCase();
    return `v${major}.${minor}b${String(Math.trunc(value) & 0xff).padStart(2, "0")}`.slice(0, VERSION_BUFFER - 1);
  },
};

/** ever_mac_address_fun: report 210 as `aa:bb:…`. */
export const EVER_MAC_ADDRESS: HidValueFunction = {
  kind: "function",
  toNut: (_value, ctx) => joinPayload(report(ctx, MAC_ADDRESS_REPORT), (b) => b.toString(16).padStart(2, "0"), ":"),
};

/** ever_ip_address_fun: the next of reports 211, 230, 231, 232 as a dotted quad. */
export const EVER_IP_ADDRESS: HidValueFunction = {
  kind: "function",
  toNut(_value, ctx) {
    const id = IP_ADDRESS_REPORTS[everReportCounters.ipAddress] ?? IP_ADDRESS_REPORTS[0];
    everReportCounters.ipAddress = (everReportCounters.ipAddress + 1) % IP_ADDRESS_REPORTS.length;
    return joinPayload(report(ctx, id), (b) => String(b), ".");
  },
};

/** ever_packets_fun: the next of reports 215-218 as a signed 32-bit little-endian count. */
export const EVER_PACKETS: HidValueFunction = {
  kind: "function",
  toNut(_value, ctx) {
    const id = PACKET_REPORTS[everReportCounters.packets] ?? PACKET_REPORTS[0];
    everReportCounters.packets = (everReportCounters.packets + 1) % PACKET_REPORTS.length;
    const buf = report(ctx, id);
    if (buf.length < 5) return "";
    return String(((buf[1] ?? 0) | ((buf[2] ?? 0) << 8) | ((buf[3] ?? 0) << 16) | ((buf[4] ?? 0) << 24)) | 0);
  },
};

/** The work mode byte of report 74 (one bit per mode). */
const workmode = (ctx: HidConversionContext): number => report(ctx, WORKMODE_REPORT)[1] ?? 0;

const WORKMODES: Readonly<Record<number, string>> = { 2: "STOP", 4: "ONLINE", 8: "ONBATTERY", 16: "WATCH", 32: "WAITING", 64: "EMERGENCY" };

/** ever_workmode_fun: report 74's mode (1 and anything unknown: UNKNOWN). */
export const EVER_WORKMODE: HidValueFunction = {
  kind: "function",
  toNut: (_value, ctx) => WORKMODES[workmode(ctx)] ?? "UNKNOWN",
};

/** ever_on_off_fun: the UPS is off unless its work mode is ONLINE or ONBATTERY. */
export const EVER_ON_OFF_INFO: HidValueFunction = {
  kind: "function",
  toNut(_value, ctx) {
    const mode = workmode(ctx);
    return mode !== 0x04 && mode !== 0x08 ? "off" : "!off";
  },
};

/** The 16-bit little-endian word after a report's ID, spelled out bit by bit. */
function bitWords(buf: Uint8Array, words: readonly (readonly [mask: number, word: string])[]): string {
  const bits = (buf[1] ?? 0) | ((buf[2] ?? 0) << 8);
  return words
    .filter(([mask]) => (bits & mask) !== 0)
    .map(([, word]) => word)
    .join(" ")
    .slice(0, WORDS_BUFFER - 1);
}

/** ever_messages_fun (bits 0 and 1, overload and low battery, are left to ups.status). */
export const EVER_MESSAGES: HidValueFunction = {
  kind: "function",
  toNut: (_value, ctx) =>
    bitWords(report(ctx, MESSAGES_REPORT), [
      [0x04, "BOOST"],
      [0x08, "BUCK"],
      [0x10, "BOOST_BLOCKED"],
      [0x20, "BUCK_BLOCKED"],
      [0x40, "CHARGING"],
      [0x80, "FAN_ON"],
      [0x100, "EPO_BLOCKED"],
      [0x200, "NEED_REPLACMENT"],
      [0x400 | 0x800, "OVERHEAT"],
      [0x1000, "WAITING_FOR_MIN_CHARGE"],
      [0x2000, "MAINS_OUT_OF_RANGE"],
    ]),
};

/** ever_alarms_fun (NUT's spellings, typos included). */
export const EVER_ALARMS: HidValueFunction = {
  kind: "function",
  toNut: (_value, ctx) =>
    bitWords(report(ctx, ALARMS_REPORT), [
      [0x01, "OVERLOAD"],
      [0x02, "SHORT-CIRCUIT"],
      [0x04 | 0x08, "OVERHEAT"],
      [0x10, "EPO"],
      [0x20, "INERNAL_ERROR"],
      [0x40, "REVERSE_POWER_SUPPLY"],
      [0x80, "NO_INETERNAL_COMM"],
      [0x100, "CRITICAL_BATT_VOLTAGE"],
    ]),
};

const row = hidRow;

/** ever_hid2nut[], in NUT's order (rows NUT comments out are left out). */
export const EVER_HID2NUT: readonly HidMappingRow[] = [
  row("experimental.battery.batteryid", 0, 0, "UPS.BatterySystem.Battery.BatteryID", "%.0f", 0),
  row("experimental.battery.systemid", 0, 0, "UPS.BatterySystem.BatterySystemID", "%.0f", 0),
  row("experimental.battery.chargerid", 0, 0, "UPS.BatterySystem.Charger.ChargerID", "%.0f", 0),
  row("experimental.battery.input_flowid", 0, 0, "UPS.BatterySystem.Input.FlowID", "%.0f", 0),
  row("experimental.battery.input_id", 0, 0, "UPS.BatterySystem.Input.InputID", "%.0f", 0),
  row("experimental.battery.output_flowid", 0, 0, "UPS.BatterySystem.Output.FlowID", "%.0f", 0),
  row("experimental.battery.output_id", 0, 0, "UPS.BatterySystem.Output.OutputID", "%.0f", 0),
  row("experimental.id.firmware_version_inverter", 0, 0, "UPS.EVER1.EVER13", "%s", 0, EVER_FORMAT_VERSION),
  row("experimental.id.firmware_version_interfaces", 0, 0, "UPS.EVER1.EVER14", "%s", 0, EVER_FORMAT_VERSION),
  row("experimental.id.hardware_version", 0, 0, "UPS.EVER1.EVER15", "%s", 0, EVER_FORMAT_HARDWARE),
  row("experimental.id.protocol_version_inverter", 0, 0, "UPS.EVER1.EVER16", "%s", 0, EVER_FORMAT_VERSION),
  row("experimental.id.protocol_version_interfaces", 0, 0, "UPS.EVER1.EVER17", "%s", 0, EVER_FORMAT_VERSION),
  row("ups.temperature", 0, 0, "UPS.EVER1.EVER42", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  row("battery.temperature", 0, 0, "UPS.EVER1.EVER43", "%s", 0, KELVIN_CELSIUS_CONVERSION),
  row("powerfactor", 0, 0, "UPS.EVER1.EVER44", "%.0f", 0),
  row("experimental.control.ups_on", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER45.EVER46", "%.0f", 0),
  row("experimental.control.clear_fault", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER45.EVER47", "%.0f", 0),
  row("experimental.control.clear_battery_fault", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER45.EVER48", "%.0f", 0),
  row("experimental.control.epo_blocked", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER49.EVER50", "%.0f", 0),
  row("experimental.control.green_mode", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER49.EVER51", "%.0f", 0),
  row("experimental.control.button_sound", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER49.EVER52", "%.0f", 0),
  row("experimental.control.audible_alarm", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.EVER1.EVER49.EVER53", "%.0f", 0),
  row("output.voltage", ST_FLAG_RW | ST_FLAG_STRING, 3, "UPS.EVER1.EVER54", "%.0f", 0),
  row("experimental.config.overload_clearance_threshold", ST_FLAG_RW | ST_FLAG_STRING, 2, "UPS.EVER1.EVER59", "%.0f", 0),
  row("experimental.config.stb_charge", ST_FLAG_RW | ST_FLAG_STRING, 2, "UPS.EVER1.EVER60", "%.0f", 0),
  row("battery.packs.external", ST_FLAG_RW | ST_FLAG_STRING, 1, "UPS.EVER1.EVER61", "%.0f", 0),
  row("experimental.statistics.mains_loss_counter", 0, 0, "UPS.EVER1.EVER62", "%.0f", 0),
  row("experimental.statistics.lowering_AVR_trigger_counter", 0, 0, "UPS.EVER1.EVER63", "%.0f", 0),
  row("experimental.statistics.rising_AVR_trigger_counter", 0, 0, "UPS.EVER1.EVER64", "%.0f", 0),
  row("experimental.statistics.overload_counter", 0, 0, "UPS.EVER1.EVER65", "%.0f", 0),
  row("experimental.statistics.short_circuit_counter", 0, 0, "UPS.EVER1.EVER66", "%.0f", 0),
  row("experimental.statistics.discharge_counter", 0, 0, "UPS.EVER1.EVER67", "%.0f", 0),
  row("experimental.statistics.overheat_counter", 0, 0, "UPS.EVER1.EVER68", "%.0f", 0),
  row("experimental.statistics.mains_operation_time", 0, 0, "UPS.EVER1.EVER69", "%.0f", 0),
  row("experimental.statistics.autonomous_operation_time", 0, 0, "UPS.EVER1.EVER70", "%.0f", 0),
  row("experimental.statistics.overload_operation_time", 0, 0, "UPS.EVER1.EVER71", "%.0f", 0),
  row("experimental.networkcard.mac_address", 0, 0, "UPS.EVER1.EVER72", "%s", 0, EVER_MAC_ADDRESS),
  row("experimental.networkcard.notification_destination_ip", 0, 0, "UPS.EVER1.EVER73", "%s", 0, EVER_IP_ADDRESS),
  row("experimental.networkcard.send_packets", 0, 0, "UPS.EVER1.EVER77", "%s", 0, EVER_PACKETS),
  row("experimental.networkcard.received_packets", 0, 0, "UPS.EVER1.EVER78", "%s", 0, EVER_PACKETS),
  row("experimental.networkcard.send_packets_err", 0, 0, "UPS.EVER1.EVER79", "%s", 0, EVER_PACKETS),
  row("experimental.networkcard.received_packets_err", 0, 0, "UPS.EVER1.EVER80", "%s", 0, EVER_PACKETS),
  row("experimental.networkcard.config_dhcp_enabled", 0, 0, "UPS.EVER1.EVER85.EVER86", "%.0f", 0),
  row("experimental.networkcard.config_ethernet_enabled", 0, 0, "UPS.EVER1.EVER85.EVER87", "%.0f", 0),
  row("experimental.networkcard.config_http_enabled", 0, 0, "UPS.EVER1.EVER85.EVER88", "%.0f", 0),
  row("experimental.networkcard.config_snmp_enabled", 0, 0, "UPS.EVER1.EVER85.EVER89", "%.0f", 0),
  row("experimental.networkcard.config_snmp_trap_enabled", 0, 0, "UPS.EVER1.EVER85.EVER90", "%.0f", 0),
  row("experimental.networkcard.config_readonly", 0, 0, "UPS.EVER1.EVER85.EVER91", "%.0f", 0),
  row("experimental.networkcard.config_restart_eth", 0, 0, "UPS.EVER1.EVER85.EVER96", "%.0f", 0),
  row("experimental.networkcard.ip_address", 0, 0, "UPS.EVER1.EVER93", "%s", 0, EVER_IP_ADDRESS),
  row("experimental.networkcard.network_mask", 0, 0, "UPS.EVER1.EVER94", "%s", 0, EVER_IP_ADDRESS),
  row("experimental.networkcard.default_gateway", 0, 0, "UPS.EVER1.EVER95", "%s", 0, EVER_IP_ADDRESS),
  row("ups.realpower.nominal", 0, 0, "UPS.Flow.ConfigActivePower", "%.0f", 0),
  row("ups.power.nominal", 0, 0, "UPS.Flow.ConfigApparentPower", "%.0f", 0),
  row("output.frequency.nominal", 0, 0, "UPS.Flow.ConfigFrequency", "%.0f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.Flow.ConfigVoltage", "%.0f", 0),
  row("experimental.ups.flow_id", 0, 0, "UPS.Flow.FlowID", "%.0f", 0),
  row("outlet.1.id", 0, 0, "UPS.OutletSystem.Outlet.OutletID", "%.0f", 0),
  row("experimental.outlet.1.present", 0, 0, "UPS.OutletSystem.Outlet.PresentStatus.Present", "%.0f", 0, YES_NO_INFO),
  row("outlet.1.switchable", 0, 0, "UPS.OutletSystem.Outlet.PresentStatus.Switchable", "%.0f", 0, YES_NO_INFO),
  row("outlet.1.status", 0, 0, "UPS.OutletSystem.Outlet.PresentStatus.SwitchOn/Off", "%.0f", 0),
  row("experimental.outlet.1.undefined", 0, 0, "UPS.OutletSystem.Outlet.PresentStatus.Undefined", "%.0f", 0),
  row("experimental.outlet.1.system_id", 0, 0, "UPS.OutletSystem.OutletSystemID", "%.0f", 0),
  row("experimental.outlet.1.switch_off_control", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.OutletSystem.Outlet.SwitchOffControl", "%.0f", 0),
  row("experimental.outlet.1.switch_on_control", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.OutletSystem.Outlet.SwitchOnControl", "%.0f", 0),
  row("experimental.powerconverter.input_flow_id", 0, 0, "UPS.PowerConverter.Input.FlowID", "%.0f", 0),
  row("input.frequency", 0, 0, "UPS.PowerConverter.Input.Frequency", "%.0f", 0),
  row("experimental.powerconverter.input_id", 0, 0, "UPS.PowerConverter.Input.InputID", "%.0f", 0),
  row("input.voltage", 0, 0, "UPS.PowerConverter.Input.Voltage", "%.0f", 0),
  row("ups.realpower", 0, 0, "UPS.PowerConverter.Output.ActivePower", "%.0f", 0),
  row("ups.power", 0, 0, "UPS.PowerConverter.Output.ApparentPower", "%.0f", 0),
  row("output.current", 0, 0, "UPS.PowerConverter.Output.Current", "%.0f", 0),
  row("experimental.powerconverter.output_flowid", 0, 0, "UPS.PowerConverter.Output.FlowID", "%.0f", 0),
  row("output.frequency", 0, 0, "UPS.PowerConverter.Output.Frequency", "%.0f", 0),
  row("experimental.powerconverter.output_id", 0, 0, "UPS.PowerConverter.Output.OutputID", "%.0f", 0),
  row("ups.load", 0, 0, "UPS.PowerConverter.Output.PercentLoad", "%.0f", 0),
  row("output.voltage", 0, 0, "UPS.PowerConverter.Output.Voltage", "%.0f", 0),
  row("experimental.powerconverter.powerconverterid", 0, 0, "UPS.PowerConverter.PowerConverterID", "%.0f", 0),
  row("experimental.powersummary.capacity_granularity_1", 0, 0, "UPS.PowerSummary.CapacityGranularity1", "%.0f", 0),
  row("experimental.powersummary.capacity_granularity_2", 0, 0, "UPS.PowerSummary.CapacityGranularity2", "%.0f", 0),
  row("experimental.powersummary.capacity_mode", 0, 0, "UPS.PowerSummary.CapacityMode", "%.0f", 0),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("battery.capacity", 0, 0, "UPS.PowerSummary.DesignCapacity", "%.0f", 0),
  row("experimental.powersummary.flow_id", 0, 0, "UPS.PowerSummary.FlowID", "%.0f", 0),
  row("battery.capacity", 0, 0, "UPS.PowerSummary.FullChargeCapacity", "%.0f", 0),
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%.0f", 0),
  row("ups.load", 0, 0, "UPS.PowerSummary.PercentLoad", "%.0f", 0),
  row("experimental.powersummary.rechargeable", 0, 0, "UPS.PowerSummary.Rechargeable", "%.0f", 0),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_NUMBER, 0, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", 0),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%.0f", 0),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.AwaitingPower", "", HU_FLAG_QUICK_POLL, AWAITINGPOWER_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BatteryPresent", "", 0, NOBATTERY_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.CommunicationLost", "", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Overload", "", HU_FLAG_QUICK_POLL, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.OverTemperature", "", 0, OVERHEAT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER18.EVER19", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER18.EVER20", "", 0, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER18.EVER21", "", 0, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER18.EVER22", "", 0, TRIM_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER18.EVER25", "", 0, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER18.EVER28", "", 0, REPLACEBATT_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER32.EVER33", "", 0, OVERLOAD_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER32.EVER40", "%.0f", 0, COMMFAULT_INFO),
  row("BOOL", 0, 0, "UPS.EVER1.EVER97.EVER102", "%s", 0, EVER_ON_OFF_INFO),
  row("experimental.status.workmode", 0, 0, "UPS.EVER1.EVER97.EVER98", "%s", 0, EVER_WORKMODE),
  row("experimental.status.messages", 0, 0, "UPS.EVER1.EVER18.EVER28", "", 0, EVER_MESSAGES),
  row("experimental.status.alarms", 0, 0, "UPS.EVER1.EVER32.EVER33", "", 0, EVER_ALARMS),
  row("load.off.delay", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("shutdown.return", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
];

/** EVER1 is usage 0 (page 0); EVER2 … EVER104 are Ever's page 0xff00, numbered in order. */
const EVER_USAGES: readonly (readonly [string, number])[] = [
  ["EVER1", 0x00000000],
  ...[
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
    0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x40, 0x41, 0x42, 0x43,
    0x44, 0x45, 0x46, 0x50, 0x51, 0x52, 0x53, 0x54, 0x60, 0x61, 0x62, 0x63, 0x64, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
    0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84,
    0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
  ].map((usage, i): readonly [string, number] => [`EVER${i + 2}`, 0xff000000 + usage]),
];

const id = (vendorId: number, productId: number): HidUsbId => ({ vendorId, productId });

export const EVER_SUBDRIVER: HidSubdriver = {
  name: "Ever HID 0.1",
  vendorLabel: "Ever",
  usbIds: [id(STMICRO_VENDORID, 0xa113), id(EVER_VENDORID, 0xffff), id(EVER_VENDORID, 0x0000)],
  usageTable: EVER_USAGES,
  mapping: EVER_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Ever",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};
