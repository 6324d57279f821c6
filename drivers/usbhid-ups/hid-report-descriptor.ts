// NUT's own HID report descriptor parser (drivers/hidparser.c of NUT 2.8.0), reproduced with its
// quirks because usbhid-ups' object list, offsets and report lengths must match Debian's driver:
// no usage ranges, no push/pop, one object per usage (usage-less fields produce no object but
// still advance the offset), 8-bit offset counters that wrap, every field of report ID 0 at offset
// 0, Report Count 0 meaning 256 fields, LogMax re-read as unsigned when below LogMin.
// Where the C code would read or write out of bounds (path deeper than 10, more than 50 usages,
// End Collection at top level, more than 500 report slots) we stop with a partial result and an
// error instead of emulating memory corruption. Pure: bytes in, objects out; never throws.

/** Main item types as NUT stores them in HIDData_t.Type (item tag byte & 0xFC). */
export const HID_ITEM_INPUT = 0x80;
export const HID_ITEM_OUTPUT = 0x90;
export const HID_ITEM_FEATURE = 0xb0;

/** Attribute byte value NUT refuses to write (HIDSetDataValue: exactly 0x01, Constant). */
export const HID_ATTR_CONSTANT = 0x01;

// hidtypes.h limits
const PATH_SIZE = 10;
const USAGE_TAB_SIZE = 50;
const MAX_REPORT = 500;
const REPORT_DSC_SIZE = 6144;

const ITEM_SIZE = [0, 1, 2, 4] as const;

/** One parsed object: NUT's HIDData_t. */
export interface HidData {
  /** Usage path: 32-bit nodes `(page << 16) | usage`, index nodes `0x00FF0000 | n`. */
  readonly path: readonly number[];
  readonly reportId: number;
  /** Bit offset within the report (without the ID byte); an 8-bit counter as in NUT. */
  readonly offset: number;
  /** Size in bits (8-bit). */
  readonly size: number;
  /** HID_ITEM_INPUT, HID_ITEM_OUTPUT or HID_ITEM_FEATURE. */
  readonly type: number;
  /** Main item data byte (0x02 Data,Var,Abs; 0x03 Constant …). */
  readonly attribute: number;
  /** Unit code, unsigned 32-bit. */
  readonly unit: number;
  /** Unit exponent, int8 after NUT's 4-bit sign fix. */
  readonly unitExp: number;
  readonly logMin: number;
  readonly logMax: number;
  readonly phyMin: number;
  readonly phyMax: number;
  readonly havePhyMin: boolean;
  readonly havePhyMax: boolean;
}

export interface HidParseLogLine {
  readonly level: "warning" | "error";
  readonly message: string;
}

export interface ParsedReportDescriptor {
  /** Objects in descriptor order (NUT's pDesc->item, at most 500). */
  readonly items: readonly HidData[];
  /** Report length in bytes per report ID (index 0..255), without the ID byte (pDesc->replen). */
  readonly reportLength: readonly number[];
  /** What NUT logs through upslogx while parsing, in order. */
  readonly log: readonly HidParseLogLine[];
  /** Set when parsing stopped where NUT's C code would misbehave (out-of-bounds access) or when
   * no object was found (NUT's Parse_ReportDesc returns NULL); items hold what came before. */
  readonly error?: string;
}

/** Byte length of the buffer usbhid-ups keeps for a report: descriptor length + ID byte. */
export function reportBufferLength(desc: ParsedReportDescriptor, reportId: number): number {
  return (desc.reportLength[reportId] ?? 0) + 1;
}

/** HIDDataType(): the name usbhid-ups prints for an object's type. */
export function hidDataTypeName(type: number): "Feature" | "Input" | "Output" | "Unknown" {
  if (type === HID_ITEM_FEATURE) return "Feature";
  if (type === HID_ITEM_INPUT) return "Input";
  if (type === HID_ITEM_OUTPUT) return "Output";
  return "Unknown";
}

/** FormatValue(): sign-extend by the item's byte size; size 0 gives the raw (0) value. */
function formatValue(value: number, bytes: number): number {
  if (bytes === 1) return (value << 24) >> 24;
  if (bytes === 2) return (value << 16) >> 16;
  if (bytes === 4) return value | 0;
  return value;
}

class ParseStop extends Error {}

interface MutableData {
  reportId: number;
  size: number;
  unit: number;
  unitExp: number;
  logMin: number;
  logMax: number;
  phyMin: number;
  phyMax: number;
  havePhyMin: boolean;
  havePhyMax: boolean;
}

/**
 * Parse a report descriptor the way NUT 2.8.0's Parse_ReportDesc() does.
 * Bytes past the end of a truncated final item read as 0 (NUT reads its zeroed buffer).
 */
export function parseReportDescriptor(desc: Uint8Array): ParsedReportDescriptor {
  const items: HidData[] = [];
  const replen: number[] = new Array<number>(256).fill(0);
  const log: HidParseLogLine[] = [];
  const size = desc.length;

  // parser state (HIDParser_t)
  let pos = 0; // uint16 in NUT; descriptors are at most 6144 bytes there, so it cannot wrap
  let item = 0;
  let value = 0; // uint32
  let count = 0; // uint8
  let reportCount = 0; // uint8
  let uPage = 0; // uint16
  const usageTab: number[] = new Array<number>(USAGE_TAB_SIZE).fill(0);
  let usageSize = 0;
  const pathNodes: number[] = new Array<number>(PATH_SIZE).fill(0);
  let pathSize = 0;
  // OffsetTab[MAX_REPORT][id, type, offset]
  const slotId = new Uint8Array(MAX_REPORT);
  const slotType = new Uint8Array(MAX_REPORT);
  const slotOffset = new Uint8Array(MAX_REPORT);
  const data: MutableData = {
    reportId: 0, size: 0, unit: 0, unitExp: 0, logMin: 0, logMax: 0, phyMin: 0, phyMax: 0,
    havePhyMin: false, havePhyMax: false,
  };

  const resetLocalState = (): void => {
    usageSize = 0;
    usageTab.fill(0);
  };

  // UsageTab[USAGE_TAB_SIZE] is directly followed by the uint8 UsageSize in NUT's struct, so the
  // one out-of-bounds read its shift loop does (index 50) yields UsageSize itself.
  const shiftUsages = (): void => {
    if (usageSize > 0) {
      for (let j = 0; j < usageSize; j++) usageTab[j] = j + 1 < USAGE_TAB_SIZE ? usageTab[j + 1] ?? 0 : usageSize;
      usageSize--;
    }
  };

  const reportOffsetSlot = (id: number, type: number): number => {
    for (let p = 0; p < MAX_REPORT; p++) {
      if (slotId[p] === 0) {
        slotId[p] = id;
        slotType[p] = type;
        slotOffset[p] = 0;
      }
      if (slotId[p] !== id || slotType[p] !== type) continue;
      return p;
    }
    throw new ParseStop(`more than ${MAX_REPORT} (report ID, type) pairs: NUT's GetReportOffset has no slot left`);
  };

  const pushPath = (node: number): void => {
    if (pathSize >= PATH_SIZE) throw new ParseStop(`HID path deeper than ${PATH_SIZE} nodes`);
    pathNodes[pathSize] = node >>> 0;
    pathSize++;
  };

  /** HIDParse(): 1 = object, 0 = usage-less field, -1 = end; `field` receives the field. */
  const hidParse = (): { found: number; field?: HidData } => {
    let found = -1;
    let field: HidData | undefined;
    while (found < 0 && pos < size) {
      if (count === 0) {
        item = desc[pos++] ?? 0;
        value = 0;
        const n = ITEM_SIZE[item & 0x03] ?? 0;
        for (let i = 0; i < n; i++) value += (desc[pos + i] ?? 0) * 2 ** (8 * i);
        pos += n;
      }
      const n = ITEM_SIZE[item & 0x03] ?? 0;
      switch (item & 0xfc) {
        case 0x04: // Usage Page
          uPage = value & 0xffff;
          break;
        case 0x08: // Usage
          if (usageSize >= USAGE_TAB_SIZE) throw new ParseStop(`more than ${USAGE_TAB_SIZE} usages before a main item`);
          usageTab[usageSize] = (item & 0x03) > 2 ? value >>> 0 : ((uPage << 16) | (value & 0xffff)) >>> 0;
          usageSize++;
          break;
        case 0xa0: // Collection
          pushPath(usageTab[0] ?? 0);
          shiftUsages();
          if (value >= 0x80) pushPath(0x00ff0000 | (value & 0x7f));
          resetLocalState();
          break;
        case 0xc0: // End Collection
          if (pathSize === 0) throw new ParseStop("End Collection without an open Collection");
          pathSize--;
          if (((pathNodes[pathSize] ?? 0) & 0xffff0000) === 0x00ff0000) {
            if (pathSize === 0) throw new ParseStop("End Collection without an open Collection");
            pathSize--;
          }
          resetLocalState();
          break;
        case 0xb0:
        case 0x80:
        case 0x90: {
          found = usageTab[0] !== 0 ? 1 : 0;
          if (count === 0) count = reportCount;
          pushPath(usageTab[0] ?? 0);
          shiftUsages();
          const type = item & 0xfc;
          const slot = reportOffsetSlot(data.reportId, type);
          field = {
            path: pathNodes.slice(0, pathSize),
            reportId: data.reportId,
            offset: slotOffset[slot] ?? 0,
            size: data.size,
            type,
            attribute: value & 0xff,
            unit: data.unit,
            unitExp: data.unitExp,
            logMin: data.logMin,
            logMax: data.logMax,
            phyMin: data.phyMin,
            phyMax: data.phyMax,
            havePhyMin: data.havePhyMin,
            havePhyMax: data.havePhyMax,
          };
          const slot2 = reportOffsetSlot(data.reportId, type);
          slotOffset[slot2] = ((slotOffset[slot2] ?? 0) + data.size) & 0xff;
          pathSize--;
          count = (count - 1) & 0xff; // Report Count 0 wraps: 256 fields
          if (count === 0) resetLocalState();
          break;
        }
        case 0x84: // Report ID
          data.reportId = value & 0xff;
          break;
        case 0x74: // Report Size
          data.size = value & 0xff;
          break;
        case 0x94: // Report Count
          reportCount = value & 0xff;
          break;
        case 0x54: { // Unit Exponent: int8, 4-bit two's complement for 8..15
          let e = (value << 24) >> 24;
          if (e > 7) e = ((e | 0xf0) << 24) >> 24;
          data.unitExp = e;
          break;
        }
        case 0x64: // Unit
          data.unit = value >>> 0;
          break;
        case 0x14: // Logical Minimum
          data.logMin = formatValue(value, n);
          break;
        case 0x24: // Logical Maximum
          data.logMax = formatValue(value, n);
          if (data.logMax < data.logMin) {
            log.push({
              level: "warning",
              message: `HIDParse: LogMax is less than LogMin. Vendor HID report descriptor may be incorrect; interpreting LogMax ${data.logMax} as ${value >>> 0} in ReportID: 0x${hex2(data.reportId)}`,
            });
            data.logMax = value >>> 0;
          }
          break;
        case 0x34: // Physical Minimum
          data.phyMin = formatValue(value, n);
          data.havePhyMin = true;
          break;
        case 0x44: // Physical Maximum
          data.phyMax = formatValue(value, n);
          data.havePhyMax = true;
          break;
        case 0xfc: // Long item: skip its data bytes
          pos += value & 0xff;
          break;
        default: // Usage Min/Max, designators, strings, delimiters, Push/Pop: ignored
          break;
      }
    }
    if (pathSize >= PATH_SIZE) log.push({ level: "error", message: "HIDParse: HID path too long" });
    if (size >= REPORT_DSC_SIZE) log.push({ level: "error", message: "HIDParse: Report descriptor too big" });
    if (usageSize >= USAGE_TAB_SIZE) log.push({ level: "error", message: "HIDParse: HID Usage too high" });
    return field === undefined ? { found } : { found, field };
  };

  let error: string | undefined;
  try {
    while (items.length < MAX_REPORT) {
      const { found, field } = hidParse();
      if (found < 0 || field === undefined) break;
      // every field counts for the report length, usage-less ones too
      const bytes = (field.offset + field.size + 7) >> 3;
      if (bytes > (replen[field.reportId] ?? 0)) replen[field.reportId] = bytes;
      if (found === 1) items.push(field);
    }
    if (items.length === MAX_REPORT && pos < size) {
      log.push({ level: "error", message: "ERROR in Parse_ReportDesc: Too many HID objects" });
    }
  } catch (e) {
    if (!(e instanceof ParseStop)) throw e;
    error = `malformed report descriptor at byte ${pos}: ${e.message}`;
  }
  if (error === undefined && items.length === 0) error = "report descriptor holds no HID object";
  const result: ParsedReportDescriptor = { items, reportLength: replen, log };
  return error === undefined ? result : { ...result, error };
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/**
 * FindObject_with_Path(): the first object of `type` whose path starts with `path` (NUT compares
 * only `path.length` nodes, so a shorter requested path is a prefix match).
 */
export function findObjectByPath(items: readonly HidData[], path: readonly number[], type: number): HidData | undefined {
  outer: for (const item of items) {
    if (item.type !== type || item.path.length < path.length) continue;
    for (let i = 0; i < path.length; i++) if (item.path[i] !== (path[i] ?? 0) >>> 0) continue outer;
    return item;
  }
  return undefined;
}

/** FindObject_with_ID_Node(): the first object of a report whose last path node is `node` (fix-ups use it). */
export function findObjectByIdNode(items: readonly HidData[], reportId: number, node: number): HidData | undefined {
  return items.find((item) => item.reportId === reportId && item.path.length > 0 && item.path[item.path.length - 1] === node >>> 0);
}
