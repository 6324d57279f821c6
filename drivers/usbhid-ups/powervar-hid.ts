/**
 * NUT 2.8.0's Powervar subdriver (drivers/powervar-hid.c, `Powervar HID 0.20`) as data: its
 * USB ID, the hid2nut table in NUT's order and the claim, which moves the HID interface to
 * number 1 (usb_subdriver.hid_rep_index), for its listed product and for another Powervar
 * product claimed through the productid option. NUT 2.8.0's libusb-1.0 code also read the
 * configuration descriptor of that index, so a one-configuration device was skipped; as in
 * later NUT, configuration 0 is read (and usb_hid_rep_index overrides the number).
 */
import {
  CHARGING_INFO,
  DEPLETED_INFO,
  DISCHARGING_INFO,
  FULLYCHARGED_INFO,
  LOWBATT_INFO,
  ONLINE_INFO,
  OVERHEAT_INFO,
  OVERLOAD_INFO,
  REPLACEBATT_INFO,
  SHUTDOWNIMM_INFO,
  STRINGID_CONVERSION,
  TIMELIMITEXPIRED_INFO,
  YES_NO_INFO,
} from "./hid-lookups.ts";
import { HU_FLAG_QUICK_POLL, type HidDeviceTweaks, type HidLookup, type HidMappingRow, type HidSubdriver, possiblySupportedMessage } from "./hid-subdriver.ts";

const POWERVAR_VENDORID = 0x4234;
/** The interface Powervar's HID reports live on (2.8.0 also took it as configuration index). */
export const POWERVAR_HID_REP_INDEX = 1;

const row = (name: string, path: string, format: string, flags: number, lookup?: HidLookup): HidMappingRow =>
  lookup === undefined ? { name, stateFlags: 0, length: 0, path, format, flags } : { name, stateFlags: 0, length: 0, path, format, flags, lookup };

/** powervar_hid2nut[], in NUT's order. */
export const POWERVAR_HID2NUT: readonly HidMappingRow[] = [
  // battery page
  row("battery.type", "UPS.PowerSummary.iDeviceChemistry", "%s", 0, STRINGID_CONVERSION),
  row("battery.charge", "UPS.PowerSummary.RemainingCapacity", "%.0f", 0),
  row("battery.capacity", "UPS.PowerSummary.FullChargeCapacity", "%.0f", 0),
  // usage names are looked up case-insensitively: this is RunTimeToEmpty
  row("battery.runtime", "UPS.PowerSummary.RuntimeToEmpty", "%.0f", 0),
  // status words; InternalFailure and Good give "yes"/"no", which are no status words
  row("BOOL", "UPS.PowerSummary.PresentStatus.ACPresent", "", HU_FLAG_QUICK_POLL, ONLINE_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Discharging", "", HU_FLAG_QUICK_POLL, DISCHARGING_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Charging", "", HU_FLAG_QUICK_POLL, CHARGING_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.ShutdownImminent", "", 0, SHUTDOWNIMM_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "", 0, LOWBATT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Overload", "", 0, OVERLOAD_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.NeedReplacement", "", 0, REPLACEBATT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", "", 0, TIMELIMITEXPIRED_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.InternalFailure", "", 0, YES_NO_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.Good", "", 0, YES_NO_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.OverTemperature", "", 0, OVERHEAT_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.FullyCharged", "", 0, FULLYCHARGED_INFO),
  row("BOOL", "UPS.PowerSummary.PresentStatus.FullyDischarged", "", 0, DEPLETED_INFO),
];

/** The claim's `usb->hid_rep_index = 1`. */
function useInterfaceOne(_device: unknown, tweaks: HidDeviceTweaks | undefined): void {
  if (tweaks !== undefined) tweaks.usb = { interfaceNumber: POWERVAR_HID_REP_INDEX };
}

export const POWERVAR_SUBDRIVER: HidSubdriver = {
  name: "Powervar HID 0.20",
  vendorLabel: "Powervar",
  usbIds: [{ vendorId: POWERVAR_VENDORID, productId: 0x0002, onMatch: useInterfaceOne }],
  usageTable: [["POWERVAR1", 0xff000001]],
  mapping: POWERVAR_HID2NUT,
  formatMfr: (device) => device.vendor ?? "Powervar",
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
  claimPossibly(device, productidGiven, debug, tweaks) {
    if (!productidGiven) {
      debug(0, possiblySupportedMessage("Powervar", device));
      return false;
    }
    useInterfaceOne(device, tweaks);
    return true;
  },
};
