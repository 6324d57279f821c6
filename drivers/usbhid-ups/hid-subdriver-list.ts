/**
 * The HID subdrivers usbhid-ups tries, in NUT's claim order (2.8.0 subdriver_list: explore,
 * mge, then the others alphabetically). The first that claims a device drives it, so the order
 * matters where two subdrivers know the same vendor ID: a "possibly supported" device of a known
 * vendor goes to the first subdriver that knows that vendor (MGE/Eaton before all the rest).
 */
import { APC_SUBDRIVER } from "./apc-hid.ts";
import { ARDUINO_SUBDRIVER } from "./arduino-hid.ts";
import { BELKIN_SUBDRIVER } from "./belkin-hid.ts";
import { CPS_SUBDRIVER } from "./cps-hid.ts";
import { DELTA_UPS_SUBDRIVER } from "./delta-ups-hid.ts";
import { ECOFLOW_SUBDRIVER } from "./ecoflow-hid.ts";
import { EVER_SUBDRIVER } from "./ever-hid.ts";
import { EXPLORE_SUBDRIVER } from "./explore-hid.ts";
import type { HidSubdriver } from "./hid-subdriver.ts";
import { IDOWELL_SUBDRIVER } from "./idowell-hid.ts";
import { LEGRAND_SUBDRIVER } from "./legrand-hid.ts";
import { LIEBERT_SUBDRIVER } from "./liebert-hid.ts";
import { MGE_SUBDRIVER } from "./mge-hid.ts";
import { OPENUPS_SUBDRIVER } from "./openups-hid.ts";
import { POWERCOM_SUBDRIVER } from "./powercom-hid.ts";
import { POWERVAR_SUBDRIVER } from "./powervar-hid.ts";
import { SALICRU_SUBDRIVER } from "./salicru-hid.ts";
import { TRIPPLITE_SUBDRIVER } from "./tripplite-hid.ts";

export const HID_SUBDRIVERS: readonly HidSubdriver[] = [
  EXPLORE_SUBDRIVER,
  MGE_SUBDRIVER,
  APC_SUBDRIVER,
  ARDUINO_SUBDRIVER,
  BELKIN_SUBDRIVER,
  CPS_SUBDRIVER,
  DELTA_UPS_SUBDRIVER,
  ECOFLOW_SUBDRIVER, // NUT 2.8.5
  EVER_SUBDRIVER,
  IDOWELL_SUBDRIVER,
  LEGRAND_SUBDRIVER,
  LIEBERT_SUBDRIVER,
  OPENUPS_SUBDRIVER,
  POWERCOM_SUBDRIVER,
  POWERVAR_SUBDRIVER,
  SALICRU_SUBDRIVER,
  TRIPPLITE_SUBDRIVER,
];
