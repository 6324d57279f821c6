// Decoding and encoding one HID object's value in a report buffer, as NUT 2.8.0 does it
// (hidparser.c GetValue/SetValue, libhid.c logical_to_physical, physical_to_logical,
// get_unit_expo, exponent). The buffer is the whole report: byte 0 is the report ID, the
// object's bits start at bit offset + 8. C `long` is 64-bit here (Debian amd64), so raw bit
// arithmetic runs on bigint with x86 semantics where NUT relies on them. Pure: no I/O.
import { HID_ATTR_CONSTANT, type HidData } from "./hid-report-descriptor.ts";

type ValueFields = Pick<HidData, "offset" | "size" | "logMin" | "logMax">;
type ConversionFields = Pick<HidData, "logMin" | "logMax" | "phyMin" | "phyMax" | "havePhyMin" | "havePhyMax">;
type UnitFields = Pick<HidData, "unit" | "unitExp">;

/** NUT's HIDUnits table: unit code → the exponent its value is already scaled by. */
const UNIT_EXPONENT_BIAS: ReadonlyMap<number, number> = new Map([
  [0x00000000, 0], // none, percent
  [0x00f0d121, 7], // volt
  [0x00100001, 0], // ampere
  [0x0000d121, 7], // VA, watt
  [0x00001001, 0], // second
  [0x00010001, 0], // kelvin
  [0x0000f001, 0], // hertz
  [0x00101001, 0], // ampere-second
]);

/** 1 + position of the highest set bit, 0 for 0 (hidparser.c hibit). */
function hibit(x: bigint): number {
  let res = 0;
  while (x > 0n) {
    x >>= 1n;
    res++;
  }
  return res;
}

/** x86-64 `1L << n`: the shift count is taken modulo 64. */
function bit(n: number): bigint {
  return BigInt.asIntN(64, 1n << BigInt(n & 63));
}

/** Raw bits of the object (LSB first), summed as NUT does; bytes past the buffer read as 0. */
function rawBits(report: Uint8Array, item: Pick<HidData, "offset" | "size">): bigint {
  let value = 0n;
  let b = item.offset + 8;
  for (let weight = 0; weight < item.size; weight++, b++) {
    if (((report[b >> 3] ?? 0) & (1 << (b & 7))) !== 0) value = BigInt.asIntN(64, value + bit(weight));
  }
  return value;
}

/**
 * GetValue(): the logical value of an object — raw bits, high bits beyond the logical range
 * dropped, sign-extended when LogMin < 0, then clamped to [LogMin, LogMax].
 */
export function getLogicalValue(report: Uint8Array, item: ValueFields): number {
  const logMin = BigInt(item.logMin);
  const logMax = BigInt(item.logMax);
  const magMax = logMax >= 0n ? logMax : -(logMax + 1n);
  const magMin = logMin >= 0n ? logMin : -(logMin + 1n);
  const signbit = bit(hibit(magMax > magMin ? magMax : magMin));
  const mask = BigInt.asUintN(64, (signbit - 1n) | (logMin < 0n ? signbit : 0n));
  let value = BigInt.asIntN(64, BigInt.asUintN(64, rawBits(report, item)) & mask);
  if (logMin < 0n && (BigInt.asUintN(64, value) & BigInt.asUintN(64, signbit)) !== 0n) {
    value = BigInt.asIntN(64, value | BigInt.asIntN(64, ~mask));
  }
  if (value < logMin) value = logMin;
  else if (value > logMax) value = logMax;
  return Number(value);
}

/** SetValue(): patch the low `size` bits of `value` into the report at the object's bits. */
export function setLogicalValue(report: Uint8Array, item: Pick<HidData, "offset" | "size">, value: bigint | number): void {
  const v = BigInt.asIntN(64, BigInt(value));
  let b = item.offset + 8;
  for (let weight = 0; weight < item.size; weight++, b++) {
    const index = b >> 3;
    if (index >= report.length) continue; // NUT would write past its buffer; we drop those bits
    const old = report[index] ?? 0;
    report[index] = (v & bit(weight)) !== 0n ? old | (1 << (b & 7)) : old & ~(1 << (b & 7));
  }
}

/** Whether NUT uses the physical range: both given, not both 0, and both ranges increasing. */
function physicalRangeUsable(item: ConversionFields): boolean {
  if (!item.havePhyMax || !item.havePhyMin || (item.phyMax === 0 && item.phyMin === 0)) return false;
  return item.phyMax > item.phyMin && item.logMax > item.logMin;
}

/** logical_to_physical(): linear map onto [PhyMin, PhyMax], clamped; identity when unusable. */
export function logicalToPhysical(item: ConversionFields, logical: number): number {
  if (!physicalRangeUsable(item)) return logical;
  const factor = (item.phyMax - item.phyMin) / (item.logMax - item.logMin);
  const physical = (logical - item.logMin) * factor + item.phyMin;
  if (physical > item.phyMax) return item.phyMax;
  if (physical < item.phyMin) return item.phyMin;
  return physical;
}

/** C's `(long)double` on x86-64: truncation, and 0x8000000000000000 for NaN or out of range. */
function toLong(x: number): bigint {
  if (!Number.isFinite(x) || x >= 2 ** 63 || x < -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(x));
}

/**
 * physical_to_logical(): inverse map, truncated toward zero and clamped to [LogMin, LogMax] —
 * only when the physical range is usable; otherwise just truncated (so -1 stays -1).
 */
export function physicalToLogical(item: ConversionFields, physical: number): bigint {
  if (!physicalRangeUsable(item)) return toLong(physical);
  const factor = (item.logMax - item.logMin) / (item.phyMax - item.phyMin);
  const logical = BigInt.asIntN(64, toLong((physical - item.phyMin) * factor) + BigInt(item.logMin));
  if (logical > BigInt(item.logMax)) return BigInt(item.logMax);
  if (logical < BigInt(item.logMin)) return BigInt(item.logMin);
  return logical;
}

/** get_unit_expo(): UnitExp minus the bias NUT's unit table gives the unit (7 for V, VA, W). */
export function unitExponent(item: UnitFields): number {
  const e = item.unitExp - (UNIT_EXPONENT_BIAS.get(item.unit) ?? 0);
  return (e << 24) >> 24; // int8_t arithmetic
}

/** exponent(a, b): a^b by repeated multiplication, exactly as NUT rounds it (0.1·0.1 ≠ 0.01). */
export function powerOf(a: number, b: number): number {
  let r = 1;
  if (b > 0) for (let i = 0; i < b; i++) r = a * r;
  else if (b < 0) for (let i = 0; i < -b; i++) r = (1 / a) * r;
  return r;
}

/** HIDGetDataValue() without the I/O: the physical, unit-scaled value of an object in `report`. */
export function decodeItemValue(report: Uint8Array, item: HidData): number {
  const logical = getLogicalValue(report, item);
  return logicalToPhysical(item, logical) * powerOf(10, unitExponent(item));
}

/**
 * HIDSetDataValue() without the I/O: patch `value` (physical, unit-scaled) into the cached
 * `report` buffer, which the caller then sends whole with SET_REPORT. False (nothing changed)
 * for objects whose attribute byte is exactly Constant, as NUT refuses those.
 */
export function encodeItemValue(report: Uint8Array, item: HidData, value: number): boolean {
  if (item.attribute === HID_ATTR_CONSTANT) return false;
  const physical = value / powerOf(10, unitExponent(item));
  setLogicalValue(report, item, physicalToLogical(item, physical));
  return true;
}
