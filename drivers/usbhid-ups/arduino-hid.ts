/**
 * NUT 2.8.0's Arduino subdriver (drivers/arduino-hid.c, `Arduino HID 0.2`) as data: the
 * Leonardo / Pro Micro USB IDs, the PowerSummary delays and shutdown commands of the
 * HIDPowerDevice sketch, and the USB interface its claim selects. The sketch's HID function
 * is interface 2 of a composite (CDC + HID) device, so the claim moves NUT to interface 2 and
 * endpoints 4 (in) and 5 (out), whether the ID is listed or the productid option makes it claim
 * another Arduino product. NUT 2.8.0 also read configuration descriptor 2 then, which a
 * one-configuration Leonardo lacks; as in later NUT, configuration 0 is read (and the
 * usb_hid_* options override these numbers).
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import {
  HU_FLAG_ABSENT,
  HU_FLAG_QUICK_POLL,
  HU_TYPE_CMD,
  type HidDeviceTweaks,
  type HidMappingRow,
  type HidSubdriver,
  type HidUsbId,
  possiblySupportedMessage,
} from "./hid-subdriver.ts";

const ARDUINO_VENDORID = 0x2341;
const ARDUINO_VENDORID2 = 0x2a03;

const row = (name: string, stateFlags: number, length: number, path: string, format: string, flags: number): HidMappingRow => ({
  name,
  stateFlags,
  length,
  path,
  format,
  flags,
});

/** arduino_hid2nut[], in NUT's order: only the USB HID PDC delays and the commands on them. */
export const ARDUINO_HID2NUT: readonly HidMappingRow[] = [
  row("ups.delay.start", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_FLAG_ABSENT),
  row("ups.delay.shutdown", ST_FLAG_RW | ST_FLAG_STRING, 10, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_FLAG_ABSENT),
  row("ups.timer.start", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.shutdown", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "%.0f", HU_FLAG_QUICK_POLL),
  row("ups.timer.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "%.0f", HU_FLAG_QUICK_POLL),
  row("load.off.delay", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", DEFAULT_OFFDELAY, HU_TYPE_CMD),
  row("load.on.delay", 0, 0, "UPS.PowerSummary.DelayBeforeStartup", DEFAULT_ONDELAY, HU_TYPE_CMD),
  row("shutdown.stop", 0, 0, "UPS.PowerSummary.DelayBeforeShutdown", "-1", HU_TYPE_CMD),
  row("shutdown.reboot", 0, 0, "UPS.PowerSummary.DelayBeforeReboot", "10", HU_TYPE_CMD),
];

/** The claim's usb->hid_rep_index = 2, hid_ep_in = 4, hid_ep_out = 5. */
function useSketchInterface(tweaks: HidDeviceTweaks | undefined): void {
  if (tweaks !== undefined) tweaks.usb = { interfaceNumber: 2, endpointIn: 4, endpointOut: 5 };
}

const id = (vendorId: number, productId: number): HidUsbId => ({ vendorId, productId, onMatch: (_device, tweaks) => useSketchInterface(tweaks) });

export const ARDUINO_SUBDRIVER: HidSubdriver = {
  name: "Arduino HID 0.2",
  vendorLabel: "Arduino",
  usbIds: [
    // Leonardo, Leonardo ETH and Pro Micro (bootloader and sketch IDs)
    id(ARDUINO_VENDORID, 0x0036),
    id(ARDUINO_VENDORID, 0x8036),
    id(ARDUINO_VENDORID2, 0x0036),
    id(ARDUINO_VENDORID2, 0x8036),
    id(ARDUINO_VENDORID2, 0x0040),
    id(ARDUINO_VENDORID2, 0x8040),
  ],
  usageTable: [],
  mapping: ARDUINO_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Arduino",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
  claimPossibly(device, productidGiven, debug, tweaks) {
    if (!productidGiven) {
      debug(0, possiblySupportedMessage("Arduino", device));
      return false;
    }
    useSketchInterface(tweaks);
    return true;
  },
};
