/**
 * HIDDumpTree() of NUT 2.8.0's libhid.c: at debug level 1 and up, once a subdriver has claimed
 * the device, log "N HID objects found" and one `Path: …` line per object with its value read
 * through the report cache (2 s validity, MAX_TS), or without the value when the report cannot
 * be read. Reports 254/255 of Eaton/MGE/Dell (0x0463, 0x047c) and report 0x54 of the Tripp
 * Lite SU3000LCD2UHV (09ae:1330) are skipped, as NUT does, because reading them misbehaves.
 */
import type { NutLog } from "../../core/system/nut-log.ts";
import type { HidData } from "./hid-report-descriptor.ts";
import { hidDataTypeName } from "./hid-report-descriptor.ts";
import type { HidReportCache } from "./hid-report-cache.ts";
import type { HidDeviceIdentity } from "./hid-subdriver.ts";
import { pathToString, type UsageTable } from "./hid-usage-table.ts";
import { formatPrintfG } from "./printf-g.ts";

/** libhid.h MAX_TS: validity of a report read for the dump, in seconds. */
const MAX_TS = 2;

function skipped(device: HidDeviceIdentity, item: HidData): boolean {
  if ((device.vendorId === 0x0463 || device.vendorId === 0x047c) && (item.reportId === 254 || item.reportId === 255)) return true;
  return device.vendorId === 0x09ae && device.productId === 0x1330 && item.reportId === 0x54;
}

export function dumpHidTree(items: readonly HidData[], cache: HidReportCache, device: HidDeviceIdentity, usageTable: UsageTable, log: NutLog): void {
  // reading every report takes a while: only when the lines will be printed
  if (log.debugLevel < 1) return;
  log.debug(1, `${items.length} HID objects found`);
  for (const item of items) {
    if (skipped(device, item)) continue;
    const got = cache.read(item, MAX_TS);
    const head = `Path: ${pathToString(item.path, usageTable)}, Type: ${hidDataTypeName(item.type)}, ReportID: 0x${item.reportId.toString(16).padStart(2, "0")}, Offset: ${item.offset}, Size: ${item.size}`;
    log.debug(1, got.ok ? `${head}, Value: ${formatPrintfG(got.value)}` : head);
  }
}
