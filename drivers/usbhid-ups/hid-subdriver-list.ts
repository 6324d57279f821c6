/**
 * The HID subdrivers usbhid-ups tries, in NUT's claim order (2.8.0 subdriver_list: explore,
 * mge, then the others alphabetically). The first that claims a device drives it, so the order
 * matters where two subdrivers know the same vendor ID (MGE/Eaton before the rest; Belkin and
 * Liebert share 0x06da with Phoenixtec).
 */
import { APC_SUBDRIVER } from "./apc-hid.ts";
import { CPS_SUBDRIVER } from "./cps-hid.ts";
import type { HidSubdriver } from "./hid-subdriver.ts";
import { TRIPPLITE_SUBDRIVER } from "./tripplite-hid.ts";

export const HID_SUBDRIVERS: readonly HidSubdriver[] = [
  // explore
  // mge
  APC_SUBDRIVER,
  // arduino
  // belkin
  CPS_SUBDRIVER,
  // delta_ups
  // ever
  // idowell
  // legrand
  // liebert
  // openups
  // powercom
  // powervar
  // salicru
  TRIPPLITE_SUBDRIVER,
];
