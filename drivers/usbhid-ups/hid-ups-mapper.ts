/**
 * The table-driven part of usbhid-ups (NUT 2.8.0 hid_ups_walk, ups_infoval_set, instcmd,
 * setvar): resolves a subdriver's hid2nut rows against the parsed descriptor, walks them in
 * INIT / QUICK / FULL mode through the report cache, and turns values into variables, status
 * words, alarms and commands. No USB here: the cache owns the transfers.
 */
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import type { DriverState } from "../framework/driver-state.ts";
import { type HandlerStatus, STAT_FAILED, STAT_HANDLED, STAT_INVALID, STAT_UNKNOWN } from "../framework/driver.ts";
import type { NutLog } from "../../core/system/nut-log.ts";
import { HID_ITEM_FEATURE, HID_ITEM_INPUT, type HidData, findObjectByPath, hidDataTypeName } from "./hid-report-descriptor.ts";
import { type HidReportCache, isHidIoError } from "./hid-report-cache.ts";
import { HU_FLAG_ABSENT, HU_FLAG_ENUM, HU_FLAG_QUICK_POLL, HU_FLAG_SEMI_STATIC, HU_FLAG_STATIC, HU_TYPE_CMD, type HidConversionContext, type HidMappingRow, type HidSubdriver } from "./hid-subdriver.ts";
import { lookupFromNut, lookupToNut } from "./hid-lookups.ts";
import { formatHidValue } from "./hid-printf.ts";
import { HidUpsStatus } from "./hid-ups-status.ts";
import { formatPrintfG } from "./printf-g.ts";
import { pathToString, stringToPath } from "./hid-usage-table.ts";

export type WalkMode = "init" | "quick" | "full";

/** Error codes after which 2.8.0 gives up the walk and reconnects. */
const RECONNECT_CODES = new Set(["BUSY", "NO_DEVICE", "ACCESS", "IO", "NOT_FOUND"]);

interface ActiveRow {
  readonly row: HidMappingRow;
  data: HidData | undefined;
}

export class HidUpsMapper {
  readonly status = new HidUpsStatus();
  readonly #rows: ActiveRow[];
  readonly #sub: HidSubdriver;
  readonly #items: readonly HidData[];
  readonly #cache: HidReportCache;
  readonly #state: DriverState;
  readonly #log: NutLog;
  readonly #conv: HidConversionContext;
  /** Set by a successful SET or INSTCMD: the next update is a full walk (data_has_changed). */
  dataHasChanged = false;
  /** The `pollinterval`, used as the report age. */
  age = 2;

  constructor(sub: HidSubdriver, items: readonly HidData[], cache: HidReportCache, state: DriverState, log: NutLog, conv: HidConversionContext) {
    this.#sub = sub;
    this.#items = items;
    this.#cache = cache;
    this.#state = state;
    this.#log = log;
    // MGE's conversions withdraw variables and read the status words; callers may override
    // (Ever's conversions decode the raw report buffers)
    this.#conv = { delInfo: (name) => state.delInfo(name), statusHas: (word) => this.status.has(word), reportBuffer: (id) => cache.buffer(id), ...conv };
    this.#rows = sub.mapping.map((row) => ({ row, data: undefined }));
  }

  /** HIDGetItemData(): the Feature object at a row's path (Input with interruptonly). */
  #resolve(path: string): HidData | undefined {
    const parsed = stringToPath(path, this.#sub.usageTable);
    return findObjectByPath(this.#items, parsed.path, this.#cache.interruptOnly ? HID_ITEM_INPUT : HID_ITEM_FEATURE);
  }

  /** find_nut_info(): a row that resolved, by name (case-insensitive as strcasecmp). */
  findRow(name: string, predicate: (r: ActiveRow) => boolean = () => true): ActiveRow | undefined {
    const key = name.toLowerCase();
    return this.#rows.find((r) => r.data !== undefined && r.row.name.toLowerCase() === key && predicate(r));
  }

  /** ups_infoval_set(): 1 when a variable was set, 0 for status words / alarms, -1 when ignored. */
  applyValue(row: HidMappingRow, value: number): -1 | 0 | 1 {
    if (row.lookup !== undefined) {
      const text = lookupToNut(row.lookup, value, this.#conv);
      if (text === undefined) {
        this.#log.debug(5, `Lookup [${formatPrintfG(value)}] failed for [${row.name}]`);
        return -1;
      }
      if (row.name.startsWith("BOOL")) {
        this.status.apply(text);
        return 0;
      }
      if (row.name.startsWith("ups.alarm")) {
        this.#state.alarmSet(text);
        return 0;
      }
      this.#state.setInfo(row.name, text);
    } else {
      this.#state.setInfo(row.name, formatHidValue(row.format, value));
    }
    return 1;
  }

  /** hid_ups_walk(): false when the device must be reconnected. */
  walk(mode: WalkMode): boolean {
    for (const active of this.#rows) {
      const { row } = active;
      if (mode === "init") {
        if (active.data === undefined) {
          active.data = this.#resolve(row.path);
          if (active.data === undefined) continue;
          if (row.flags & HU_FLAG_ABSENT) {
            if (this.#state.getInfo(row.name) !== undefined) continue;
            this.#state.setInfo(row.name, row.format);
            this.#state.setFlags(row.name, row.stateFlags);
            if (row.stateFlags & ST_FLAG_STRING) this.#state.setAux(row.name, row.length);
            continue;
          }
          if (!row.name.startsWith("ups.alarm") && this.#state.getInfo(row.name) !== undefined) {
            active.data = undefined;
            continue;
          }
        }
      } else if (mode === "quick") {
        if (!(row.flags & HU_FLAG_QUICK_POLL)) continue;
      } else {
        if (row.flags & (HU_FLAG_ABSENT | HU_TYPE_CMD | HU_FLAG_STATIC)) continue;
        if (row.flags & HU_FLAG_SEMI_STATIC && !this.dataHasChanged) continue;
      }
      const data = active.data;
      if (data === undefined) continue;
      const got = this.#cache.read(data, this.age);
      if (!got.ok) {
        if (RECONNECT_CODES.has(got.error.code)) {
          if (got.error.code === "BUSY") this.#log.error("Got disconnected by another driver");
          return false;
        }
        continue;
      }
      this.#log.debug(2, `Path: ${row.path}, Type: ${hidDataTypeName(data.type)}, ReportID: 0x${data.reportId.toString(16).padStart(2, "0")}, Offset: ${data.offset}, Size: ${data.size}, Value: ${formatPrintfG(got.value)}`);
      if (row.flags & HU_TYPE_CMD) {
        this.#log.debug(3, `Adding command '${row.name}' using Path '${row.path}'`);
        this.#state.addCmd(row.name);
        continue;
      }
      if (this.applyValue(row, got.value) !== 1) continue;
      if (mode === "init") {
        this.#state.setFlags(row.name, row.stateFlags);
        if (row.stateFlags & ST_FLAG_STRING) this.#state.setAux(row.name, row.length);
        if (row.flags & HU_FLAG_ENUM && row.stateFlags & ST_FLAG_RW && row.lookup?.kind === "table") {
          // each entry the lookup accepts adds its own text (hu_find_infoval != NULL)
          for (const [hid, nut] of row.lookup.entries) {
            if (lookupToNut(row.lookup, hid, this.#conv) !== undefined) this.#state.addEnum(row.name, nut);
          }
        }
      }
    }
    return true;
  }

  /**
   * Interrupt events: each Input object's value is applied through the row mapped to the same
   * path as a Feature object (Input with interruptonly, and as a fallback).
   */
  applyEvents(events: readonly HidData[]): void {
    for (const event of events) {
      const got = this.#cache.read(event, this.age);
      if (!got.ok) continue;
      this.#log.debug(2, `Path: ${this.#pathText(event)}, Type: ${hidDataTypeName(event.type)}, ReportID: 0x${event.reportId.toString(16).padStart(2, "0")}, Offset: ${event.offset}, Size: ${event.size}, Value: ${formatPrintfG(got.value)}`);
      let found = findObjectByPath(this.#items, event.path, this.#cache.interruptOnly ? HID_ITEM_INPUT : HID_ITEM_FEATURE);
      if (found === undefined && !this.#cache.interruptOnly) found = findObjectByPath(this.#items, event.path, HID_ITEM_INPUT);
      if (found === undefined) {
        this.#log.debug(2, "Could not find event as either ITEM_INPUT or ITEM_FEATURE?");
        continue;
      }
      const active = this.#rows.find((r) => r.data === found);
      if (active === undefined) {
        this.#log.debug(3, "NUT doesn't use this HID object");
        continue;
      }
      this.applyValue(active.row, got.value);
    }
  }

  /** HIDGetDataItem(): the event's own path in names (subdriver table first), as 2.8.0 logs it. */
  #pathText(item: HidData): string {
    return pathToString(item.path, this.#sub.usageTable);
  }

  /** Writes `value` to a row's object; HANDLED, or FAILED when SET_REPORT failed. */
  #write(active: ActiveRow, value: number): HandlerStatus {
    const data = active.data;
    if (data === undefined) return STAT_INVALID;
    const result = this.#cache.write(data, value);
    if (result !== true || isHidIoError(result)) return STAT_FAILED;
    this.dataHasChanged = true;
    return STAT_HANDLED;
  }

  /** instcmd(): a TYPE_CMD row, with the composite fallbacks of 2.8.0. */
  async instCmd(cmdName: string, extra: string | undefined): Promise<HandlerStatus> {
    let name = cmdName;
    if (name.toLowerCase() === "beeper.off") {
      this.#log.warning("The 'beeper.off' command has been renamed to 'beeper.disable'");
      name = "beeper.disable";
    } else if (name.toLowerCase() === "beeper.on") {
      this.#log.warning("The 'beeper.on' command has been renamed to 'beeper.enable'");
      name = "beeper.enable";
    }
    const active = this.findRow(name);
    if (active === undefined) {
      const lower = name.toLowerCase();
      if (lower === "load.on") return this.instCmd("load.on.delay", "0");
      if (lower === "load.off") return this.instCmd("load.off.delay", "0");
      if (lower === "shutdown.return" || lower === "shutdown.stayoff") {
        if (this.#state.getInfo("ups.start.auto") !== undefined) await this.setVar("ups.start.auto", lower === "shutdown.return" ? "yes" : "no");
        const onDelay = lower === "shutdown.return" ? (this.#state.getInfo("ups.delay.start") ?? "") : "-1";
        let ret = await this.instCmd("load.on.delay", onDelay);
        if (ret !== STAT_HANDLED) return ret;
        await new Promise((resolve) => setTimeout(resolve, 125));
        ret = await this.instCmd("load.off.delay", this.#state.getInfo("ups.delay.shutdown") ?? "");
        return ret;
      }
      this.#log.debug(2, `instcmd: info element unavailable ${name}`);
      return STAT_INVALID;
    }
    if (!(active.row.flags & HU_TYPE_CMD)) {
      this.#log.debug(2, `instcmd: ${name} is not an instant command`);
      return STAT_INVALID;
    }
    const text = extra !== undefined && extra !== "" ? extra : active.row.format;
    const value = active.row.lookup !== undefined ? lookupFromNut(active.row.lookup, text, this.#conv) : cAtol(text);
    this.#log.debug(3, `instcmd: using Path '${active.row.path}'`);
    const status = this.#write(active, value);
    if (status !== STAT_HANDLED) this.#log.debug(1, `instcmd: FAILED`);
    return status;
  }

  /** setvar(): RW rows; ABSENT rows are driver-side values. */
  async setVar(varName: string, value: string): Promise<HandlerStatus> {
    const active = this.findRow(varName, (r) => !(r.row.flags & HU_TYPE_CMD));
    if (active === undefined) return STAT_UNKNOWN;
    if (!(active.row.stateFlags & ST_FLAG_RW)) return STAT_UNKNOWN;
    if (active.row.flags & HU_FLAG_ABSENT) {
      this.#state.setInfo(active.row.name, value);
      return STAT_HANDLED;
    }
    const hid = active.row.lookup !== undefined ? lookupFromNut(active.row.lookup, value, this.#conv) : cAtol(value);
    const status = this.#write(active, hid);
    return status === STAT_HANDLED ? STAT_HANDLED : STAT_UNKNOWN;
  }
}

/** C's atol(): leading blanks, optional sign, digits; anything else stops (0 when none). */
export function cAtol(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m?.[1] === undefined ? 0 : Number(BigInt.asIntN(64, BigInt(m[1])));
}
