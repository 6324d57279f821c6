/**
 * NUT 2.8.0's CyberPower subdriver (drivers/cps-hid.c, `CyberPower HID 0.6`) as data: its USB
 * IDs, the hid2nut table in NUT's order, the battery-charge clamp, the battery-voltage 2/3
 * scaling of 0764:0501 models and the report-descriptor fix-up for models (CP900EPFCLCD …)
 * whose output-voltage limits are copied from the high transfer voltage.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import {
  BEEPER_INFO,
  BOOST_INFO,
  CHARGING_INFO,
  DISCHARGING_INFO,
  FULLYCHARGED_INFO,
  LOWBATT_INFO,
  ONLINE_INFO,
  OVERLOAD_INFO,
  STRINGID_CONVERSION,
  TEST_READ_INFO,
  TIMELIMITEXPIRED_INFO,
} from "./hid-lookups.ts";
import { formatFixed } from "./hid-printf.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_FLAG_SEMI_STATIC,
  HU_TYPE_CMD,
  type HidMappingRow,
  type HidSubdriver,
  type HidValueFunction,
  hidRow,
} from "./hid-subdriver.ts";

const CPS_VENDORID = 0x0764;
/** Limits cps_fix_report_desc puts on the output voltage (511 includes a safety margin). */
const CPS_VOLTAGE_LOGMIN = 0;
const CPS_VOLTAGE_LOGMAX = 511;
/** Above this ratio of battery voltage to nominal, readings are taken as 1.5x too high. */
const BATTERY_VOLTAGE_SANITY_CHECK = 1.4;

/**
 * The battery scale decision of cps-hid.c: armed by a 0764:0501 match, taken once, on the
 * first battery voltage read while battery.voltage.nominal is known and non-zero. One driver
 * process serves one UPS, so this lives with the module as NUT's statics do.
 */
export const cpsBatteryScale = { mightNeedScale: false, checked: false, scale: 1 };

/** Back to the state of a freshly started driver (for tests). */
export function resetCpsBatteryScale(): void {
  cpsBatteryScale.mightNeedScale = false;
  cpsBatteryScale.checked = false;
  cpsBatteryScale.scale = 1;
}

/** cps_battvolt: the battery voltage, `%.1f`, scaled by 2/3 when found 1.4x above nominal. */
export const CPS_BATTVOLT: HidValueFunction = {
  kind: "function",
  toNut(value, ctx) {
    const s = cpsBatteryScale;
    if (s.mightNeedScale && !s.checked) {
      const nominalText = ctx.getInfo?.("battery.voltage.nominal");
      if (nominalText === undefined) {
        ctx.debug?.(2, "cps_adjust_battery_scale: 'battery.voltage.nominal' not available yet; skipping scale determination");
      } else {
        // strtod: the leading number, 0 when there is none
        const nominal = Number.parseFloat(nominalText);
        if (Number.isNaN(nominal) || nominal === 0) {
          ctx.debug?.(3, `cps_adjust_battery_scale: 'battery.voltage.nominal' is ${nominalText}`);
        } else {
          if (value / nominal > BATTERY_VOLTAGE_SANITY_CHECK) {
            ctx.logInfo?.("cps_adjust_battery_scale: battery readings will be scaled by 2/3");
            s.scale = 2.0 / 3;
          }
          s.checked = true;
        }
      }
    }
    ctx.debug?.(5, `cps_battvolt_fun: battery_scale = ${formatFixed(s.scale, 3)}`);
    // NUT prints into an 8-byte buffer
    return formatFixed(s.scale * value, 1).slice(0, 7);
  },
};

/** cps_battcharge: the charge clamped to 100 %. */
export const CPS_BATTCHARGE: HidValueFunction = {
  kind: "function",
  toNut: (value) => formatFixed(value < 100.0 ? value : 100.0, 0).slice(0, 7),
};

const row = hidRow;

/** cps_hid2nut[], in NUT's order. */
export const CPS_HID2NUT: readonly HidMappingRow[] = [
  // battery page
  row("battery.type", 0, 0, "UPS.PowerSummary.iDeviceChemistry", "%s", 0, STRINGID_CONVERSION),
  row("battery.mfr.date", 0, 0, "UPS.PowerSummary.iOEMInformation", "%s", 0, STRINGID_CONVERSION),
  row("battery.charge.warning", 0, 0, "UPS.PowerSummary.WarningCapacityLimit", "%.0f", 0),
  row("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingCapacityLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.charge", 0, 0, "UPS.PowerSummary.RemainingCapacity", "%s", 0, CPS_BATTCHARGE),
  row("battery.runtime", 0, 0, "UPS.PowerSummary.RunTimeToEmpty", "%.0f", 0),
  row("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.RemainingTimeLimit", "%.0f", HU_FLAG_SEMI_STATIC),
  row("battery.voltage.nominal", 0, 0, "UPS.PowerSummary.ConfigVoltage", "%.0f", 0),
  row("battery.voltage", 0, 0, "UPS.PowerSummary.Voltage", "%s", 0, CPS_BATTVOLT),
  // UPS page
  row("ups.load", 0, 0, "UPS.Output.PercentLoad", "%.0f", 0),
  row("ups.beeper.status", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "%s", 0, BEEPER_INFO),
  row("ups.test.result", 0, 0, "UPS.Output.Test", "%s", 0, TEST_READ_INFO),
  row("ups.realpower.nominal", 0, 0, "UPS.Output.ConfigActivePower", "%.0f", 0),
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Output.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.Output.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.Output.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.Output.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  // status words
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", HU_FLAG_QUICK_POLL, LOWBATT_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.FullyCharged", "", 0, FULLYCHARGED_INFO),
  row("BOOL", 0, 0, "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", 0, TIMELIMITEXPIRED_INFO),
  row("BOOL", 0, 0, "UPS.Output.Boost", "", 0, BOOST_INFO),
  row("BOOL", 0, 0, "UPS.Output.Overload", "", 0, OVERLOAD_INFO),
  // input page
  row("input.frequency", 0, 0, "UPS.Input.Frequency", "%.1f", 0),
  row("input.voltage.nominal", 0, 0, "UPS.Input.ConfigVoltage", "%.0f", 0),
  row("input.voltage", 0, 0, "UPS.Input.Voltage", "%.1f", 0),
  row("input.transfer.low", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Input.LowVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  row("input.transfer.high", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.Input.HighVoltageTransfer", "%.0f", HU_FLAG_SEMI_STATIC),
  // output page
  row("output.frequency", 0, 0, "UPS.Output.Frequency", "%.1f", 0),
  row("output.voltage", 0, 0, "UPS.Output.Voltage", "%.1f", 0),
  row("output.voltage.nominal", 0, 0, "UPS.Output.ConfigVoltage", "%.0f", 0),
  // instant commands
  row("test.battery.start.quick", 0, 0, "UPS.Output.Test", "1", HU_TYPE_CMD),
  row("test.battery.start.deep", 0, 0, "UPS.Output.Test", "2", HU_TYPE_CMD),
  row("test.battery.stop", 0, 0, "UPS.Output.Test", "3", HU_TYPE_CMD),
  row("load.off.delay", 0, 0, "UPS.Output.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.Output.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.Output.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.Output.DelayBeforeReboot", "10", HU_TYPE_CMD),
  row("beeper.on", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.off", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
  row("beeper.enable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "2", HU_TYPE_CMD),
  row("beeper.disable", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "1", HU_TYPE_CMD),
  row("beeper.mute", 0, 0, "UPS.PowerSummary.AudibleAlarmControl", "3", HU_TYPE_CMD),
];

const USAGE_POW_VOLTAGE = 0x00840030;
const USAGE_POW_HIGH_VOLTAGE_TRANSFER = 0x00840054;

export const CPS_SUBDRIVER: HidSubdriver = {
  name: "CyberPower HID 0.6",
  vendorLabel: "CyberPower",
  usbIds: [
    // 900AVR/BC900D
    { vendorId: CPS_VENDORID, productId: 0x0005 },
    // CP1200AVR/BC1200D, CP825AVR-G, CP1000AVRLCD, CP1500C, CP550HG …: may report 1.5x the battery voltage
    {
      vendorId: CPS_VENDORID,
      productId: 0x0501,
      onMatch() {
        cpsBatteryScale.mightNeedScale = true;
      },
    },
    // OR2200LCDRM2U, OR700LCDRM1U, PR6000LCDRTXL5U
    { vendorId: CPS_VENDORID, productId: 0x0601 },
  ],
  usageTable: [],
  mapping: CPS_HID2NUT,
  formatMfr: (device) => device.vendor ?? "CPS",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
  fixReportDescriptor(device, items, debug) {
    if (device.vendorId !== CPS_VENDORID || device.productId !== 0x0501) return false;
    const hex = (n: number): string => n.toString(16).padStart(4, "0");
    debug(3, `Attempting Report Descriptor fix for UPS: Vendor: ${hex(device.vendorId)}, Product: ${hex(device.productId)}`);
    // FindObject_with_ID_Node: first object with that report ID whose last path node matches
    const find = (reportId: number, node: number) => items.find((d) => d.reportId === reportId && d.path[d.path.length - 1] === node);
    const hvt = find(16, USAGE_POW_HIGH_VOLTAGE_TRANSFER);
    if (hvt === undefined) return false;
    debug(4, `Report Descriptor: hvt input LogMin: ${hvt.logMin} LogMax: ${hvt.logMax}`);
    const output = find(18, USAGE_POW_VOLTAGE);
    if (output === undefined) return false;
    debug(4, `Report Descriptor: output LogMin: ${output.logMin} LogMax: ${output.logMax}`);
    if (hvt.logMin !== output.logMin || hvt.logMax !== output.logMax) return false;
    output.logMin = CPS_VOLTAGE_LOGMIN;
    output.logMax = CPS_VOLTAGE_LOGMAX;
    debug(3, `Fixing Report Descriptor. Set Output Voltage LogMin = ${CPS_VOLTAGE_LOGMIN}, LogMax = ${CPS_VOLTAGE_LOGMAX}`);
    const input = find(15, USAGE_POW_VOLTAGE);
    if (input !== undefined) {
      // 2.8.0 announces the input fix but leaves the input limits as they are
      debug(4, `Report Descriptor: input LogMin: ${input.logMin} LogMax: ${input.logMax}`);
      debug(3, `Fixing Report Descriptor. Set Input Voltage LogMin = ${CPS_VOLTAGE_LOGMIN}, LogMax = ${CPS_VOLTAGE_LOGMAX}`);
    }
    return true;
  },
};
