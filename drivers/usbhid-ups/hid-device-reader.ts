/**
 * HIDGetItemValue / HIDGetItemString of NUT 2.8.0 libhid.c for the format functions: a value
 * read by HID path through the report cache (reports at most MAX_TS = 2 s old), and the string
 * descriptor such a value indexes. Used while the device is being opened, before the mapping
 * rows are resolved.
 */
import { HID_ITEM_FEATURE, HID_ITEM_INPUT, type HidData, findObjectByPath } from "./hid-report-descriptor.ts";
import type { HidReportCache } from "./hid-report-cache.ts";
import type { HidDeviceReader } from "./hid-subdriver.ts";
import { type UsageTable, stringToPath } from "./hid-usage-table.ts";

/** libhid.c MAX_TS: validity of a report read outside the walk. */
const ITEM_MAX_AGE = 2;
/** usb_ctrl_strindex is a byte with libusb-1.0: other indexes read as no string. */
const STRING_INDEX_MAX = 255;

export function hidDeviceReader(
  items: readonly HidData[],
  usageTable: UsageTable,
  cache: HidReportCache,
  stringDescriptor: (index: number) => string | undefined,
  debug: (level: number, message: string) => void = () => undefined,
): HidDeviceReader {
  const itemValue = (path: string): number | undefined => {
    const data = findObjectByPath(items, stringToPath(path, usageTable).path, cache.interruptOnly ? HID_ITEM_INPUT : HID_ITEM_FEATURE);
    if (data === undefined) return undefined;
    const got = cache.read(data, ITEM_MAX_AGE);
    return got.ok ? got.value : undefined;
  };
  return {
    itemValue,
    debug,
    itemString(path) {
      const value = itemValue(path);
      if (value === undefined) return "";
      // the double is passed on as a C int
      const index = Math.trunc(value);
      if (index < 0 || index > STRING_INDEX_MAX) return "";
      return (stringDescriptor(index) ?? "").replace(/\n+$/, "");
    },
  };
}
