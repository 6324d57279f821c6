/**
 * TZif zone files (RFC 8536; /usr/share/zoneinfo, /etc/localtime) read the way glibc's tzfile.c
 * uses them for localtime(): the 64-bit data block of version 2+ files (the 32-bit one of
 * version 1), the local time types, and the footer TZ string that governs every time after the
 * last transition. Leap-second records are skipped (the `right/` zones are then off by their
 * accumulated leap seconds). Pure: no I/O.
 */
import { type PosixTz, type ZoneState, parsePosixTz, posixTzState } from "./posix-tz.ts";

/** One local time type of the file. */
type LocalTimeType = ZoneState;

/** A zone read from a TZif file. */
export interface TzifZone {
  /** Transition instants (UTC seconds), ascending. */
  transitions: number[];
  /** Index into `types` of the type that starts at each transition. */
  transitionTypes: number[];
  types: LocalTimeType[];
  /** The footer's rule, for times at or after the last transition (absent: the last type stays). */
  footer?: PosixTz;
}

const MAGIC = "TZif";

/** Reads the six counts of a header at `at`. */
function readHeader(view: DataView, at: number): { version: number; isutcnt: number; isstdcnt: number; leapcnt: number; timecnt: number; typecnt: number; charcnt: number } | undefined {
  if (view.byteLength < at + 44) return undefined;
  const magic = String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
  if (magic !== MAGIC) return undefined;
  const version = view.getUint8(at + 4);
  const count = (i: number): number => view.getUint32(at + 20 + 4 * i);
  return { version, isutcnt: count(0), isstdcnt: count(1), leapcnt: count(2), timecnt: count(3), typecnt: count(4), charcnt: count(5) };
}

type Header = NonNullable<ReturnType<typeof readHeader>>;

/** Size of a data block with `timeSize`-byte times. */
function blockSize(h: Header, timeSize: number): number {
  return h.timecnt * timeSize + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
}

/** The C string at `at` of the abbreviation characters. */
function cString(bytes: Uint8Array, at: number, end: number): string {
  let p = at;
  while (p < end && bytes[p] !== 0) p++;
  return new TextDecoder("latin1").decode(bytes.subarray(at, p));
}

/** Parses a TZif file; undefined when it is not one (glibc then reads TZ as a POSIX string). */
export function parseTzif(bytes: Uint8Array): TzifZone | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = readHeader(view, 0);
  if (!first) return undefined;
  let header = first;
  let at = 44;
  let timeSize = 4;
  if (first.version >= 0x32) {
    // version 2+: skip the 32-bit block, read the second header and the 64-bit block
    const second = readHeader(view, 44 + blockSize(first, 4));
    if (!second) return undefined;
    header = second;
    at = 44 + blockSize(first, 4) + 44;
    timeSize = 8;
  }
  if (bytes.byteLength < at + blockSize(header, timeSize)) return undefined;
  if (header.typecnt === 0) return undefined;
  const transitions: number[] = [];
  for (let i = 0; i < header.timecnt; i++) {
    transitions.push(timeSize === 8 ? Number(view.getBigInt64(at + 8 * i)) : view.getInt32(at + 4 * i));
  }
  at += header.timecnt * timeSize;
  const transitionTypes: number[] = [];
  for (let i = 0; i < header.timecnt; i++) {
    const type = view.getUint8(at + i);
    if (type >= header.typecnt) return undefined;
    transitionTypes.push(type);
  }
  at += header.timecnt;
  const typesAt = at;
  const charsAt = typesAt + header.typecnt * 6;
  const types: LocalTimeType[] = [];
  for (let i = 0; i < header.typecnt; i++) {
    const base = typesAt + 6 * i;
    const index = view.getUint8(base + 5);
    if (index >= header.charcnt) return undefined;
    types.push({ utcOffset: view.getInt32(base), isDst: view.getUint8(base + 4) !== 0, abbreviation: cString(bytes, charsAt + index, charsAt + header.charcnt) });
  }
  at = charsAt + header.charcnt + header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt;
  const zone: TzifZone = { transitions, transitionTypes, types };
  if (timeSize === 8 && bytes[at] === 0x0a) {
    const end = bytes.indexOf(0x0a, at + 1);
    const spec = new TextDecoder("latin1").decode(bytes.subarray(at + 1, end < 0 ? bytes.byteLength : end));
    // glibc ignores an empty footer
    if (spec !== "") zone.footer = parsePosixTz(spec);
  }
  return zone;
}

/**
 * __tzfile_compute(): before the first transition the first standard-time type (or type 0), at
 * or after the last one the footer rule (or the last transition's type), otherwise the type of
 * the latest transition not after the instant.
 */
export function tzifState(zone: TzifZone, epochSeconds: number): ZoneState {
  const { transitions, transitionTypes, types } = zone;
  const n = transitions.length;
  if (n === 0 || epochSeconds < transitions[0]!) {
    const std = types.find((t) => !t.isDst) ?? types[0]!;
    return { ...std };
  }
  if (epochSeconds >= transitions[n - 1]!) {
    if (zone.footer) return posixTzState(zone.footer, epochSeconds);
    return { ...types[transitionTypes[n - 1]!]! };
  }
  let lo = 0;
  let hi = n - 1;
  // invariant: transitions[lo] <= t < transitions[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (transitions[mid]! <= epochSeconds) lo = mid;
    else hi = mid;
  }
  return { ...types[transitionTypes[lo]!]! };
}
