/**
 * USB IDs later NUT's nutscan-usb.h has and 2.8.0's lacks, kept apart from the generated
 * 2.8.0 table (nutscan-usb-table.ts) and looked up after it. Only IDs whose subdriver this
 * build has are listed: NUT 2.8.5 generates its table from the drivers' usb_device_id tables,
 * and ecoflow-hid.c (2.8.5) lists EcoFlow's 3746:ffff for usbhid-ups.
 */
import type { NutscanUsbId } from "./nutscan-usb-table.ts";

export const NUTSCAN_USB_TABLE_LATER: readonly NutscanUsbId[] = [[0x3746, 0xffff, "usbhid-ups"]];
