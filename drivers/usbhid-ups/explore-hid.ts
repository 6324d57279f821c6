/**
 * NUT 2.8.0's explore subdriver (drivers/explore-hid.c, `EXPLORE HID 0.2`): a diagnostic
 * subdriver with no USB IDs and no mapping that claims any device while the `explore` option
 * is set (first in the claim order), so that `usbhid-ups -x explore -x vendorid=… -D` dumps the
 * HID tree of a UPS no other subdriver knows. Only the generic usage names apply.
 */
import type { HidSubdriver } from "./hid-subdriver.ts";

export const EXPLORE_SUBDRIVER: HidSubdriver = {
  name: "EXPLORE HID 0.2",
  vendorLabel: "explore",
  // no table: explore_claim() looks only at the option (see exploreClaims)
  usbIds: [],
  usageTable: [],
  mapping: [],
  formatMfr: (device) => device.vendor,
  formatModel: (device) => device.product,
  formatSerial: (device) => device.serial,
};

/** explore_claim(): every device, as long as the `explore` option is given. */
export function exploreClaims(testVar: (name: string) => boolean): boolean {
  return testVar("explore");
}
