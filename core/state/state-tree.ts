/**
 * NUT's shared state store (common/state.c + include/state.h + include/extstate.h): the variable
 * tree and instant-command list that both a driver (drivers/dstate.c) and upsd (server/sstate.c)
 * keep per device. Same semantics, same quirks, same iteration order; no I/O.
 *
 * Strings are treated as C byte strings: one JS char per byte (what ConfTokenizer produces).
 */

import { cAtoi, cAtol } from "../config/c-numbers.ts";

/** No flag set (ST_FLAG_NONE). */
export const ST_FLAG_NONE = 0x0000;
/** Writable variable (ST_FLAG_RW). */
export const ST_FLAG_RW = 0x0001;
/** String variable; its aux is the maximum length (ST_FLAG_STRING; not STRING implies NUMBER). */
export const ST_FLAG_STRING = 0x0002;
/** Numeric variable (ST_FLAG_NUMBER). */
export const ST_FLAG_NUMBER = 0x0004;
/** Driver-internal: set by `override.*`, makes later value changes and deletion no-ops (ST_FLAG_IMMUTABLE). */
export const ST_FLAG_IMMUTABLE = 0x0008;

/** Size of NUT's value buffers (ST_MAX_VALUE_LEN): stored escaped values and driver values hold at most 255 chars. */
export const ST_MAX_VALUE_LEN = 256;

/** One integer range of a variable (range_t). */
export interface StateRange {
  readonly min: number;
  readonly max: number;
}

/** Read-only view of one variable of the tree (st_tree_t). */
export interface StateVariable {
  /** Name as spelled when the variable was created (later case variants update this node). */
  readonly name: string;
  /** The literal value last stored (node->raw). */
  readonly value: string;
  /** pconf_encode()d value, cut to 255 chars without splitting an escape pair (node->val). */
  readonly escapedValue: string;
  /** ST_FLAG_* bits. */
  readonly flags: number;
  /** Auxiliary number: maximum length of a STRING variable (0 = none). */
  readonly aux: number;
  /** Enum values in insertion order, stored pconf_encode()d as state_addenum() keeps them. */
  readonly enums: readonly string[];
  /** Ranges in insertion order. */
  readonly ranges: readonly StateRange[];
}

interface Node {
  name: string;
  value: string;
  escapedValue: string;
  flags: number;
  aux: number;
  enums: string[];
  ranges: StateRange[];
}

/** C's tolower() in the C locale. */
function lowerByte(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** Compares two names as C's strcasecmp() does in the C locale (only A-Z fold); the order of the state tree. */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = lowerByte(a.charCodeAt(i)) - lowerByte(b.charCodeAt(i));
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** True when two strings are equal for C's strcasecmp(). */
export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && compareNames(a, b) === 0;
}

/**
 * pconf_encode() into a buffer of `destSize` bytes (common/parseconf.c): backslash before `\`, `"`
 * and `#`, stopping when the buffer is full and never writing half an escape pair.
 */
export function pconfEncode(src: string, destSize: number = ST_MAX_VALUE_LEN): string {
  if (destSize < 1) return "";
  const maxLen = destSize - 1;
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "\\" || ch === '"' || ch === "#") {
      if (out.length >= maxLen - 1) return out;
      out += "\\";
    }
    if (out.length >= maxLen) return out;
    out += ch;
  }
  return out;
}

/** Cuts a value to what a C buffer of `size` bytes holds (vsnprintf into char[size]), as dstate_setinfo() does with 256. */
export function truncateToBuffer(value: string, size: number = ST_MAX_VALUE_LEN): string {
  return value.length > size - 1 ? value.slice(0, Math.max(0, size - 1)) : value;
}

/** The flag words NUT writes for `flags`, in its fixed order RW, STRING, NUMBER (IMMUTABLE has no word). */
export function flagWords(flags: number): string[] {
  const words: string[] = [];
  if (flags & ST_FLAG_RW) words.push("RW");
  if (flags & ST_FLAG_STRING) words.push("STRING");
  if (flags & ST_FLAG_NUMBER) words.push("NUMBER");
  return words;
}

/** Flag bits for SETFLAGS words as state_setflags() reads them: RW/STRING/NUMBER in any case, others ignored. */
export function parseFlagWords(words: readonly string[]): number {
  let flags = ST_FLAG_NONE;
  for (const w of words) {
    if (equalsIgnoreCase(w, "RW")) flags |= ST_FLAG_RW;
    else if (equalsIgnoreCase(w, "STRING")) flags |= ST_FLAG_STRING;
    else if (equalsIgnoreCase(w, "NUMBER")) flags |= ST_FLAG_NUMBER;
  }
  return flags;
}

/**
 * The state of one device: variables kept sorted by case-insensitive name (state.c's binary tree,
 * walked in order) and instant commands in a case-insensitively sorted list. Method return values
 * mirror state.c's: true when something changed (so the caller broadcasts), false otherwise.
 */
export class StateTree {
  readonly #nodes = new Map<string, Node>();
  /** Keys (lower-cased names) in strcasecmp order: the in-order walk of NUT's tree. */
  #order: string[] = [];
  #commands: string[] = [];

  /** Number of variables. */
  get size(): number {
    return this.#nodes.size;
  }

  #key(name: string): string {
    // names are nearly always lower case already: no new string then
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) return name.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x20));
    }
    return name;
  }

  #find(name: string): Node | undefined {
    return this.#nodes.get(this.#key(name));
  }

  /** Index of the first key not below `key` (compareNames on lower-cased keys is plain code-unit order). */
  #lowerBound(key: string): number {
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(this.#order[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The variable named `name` (any letter case), as state_tree_find() finds it. */
  get(name: string): StateVariable | undefined {
    return this.#find(name);
  }

  /** True when the variable exists. */
  has(name: string): boolean {
    return this.#nodes.has(this.#key(name));
  }

  /** The literal (unescaped) value. */
  getValue(name: string): string | undefined {
    return this.#find(name)?.value;
  }

  /**
   * The escaped value, which is what state_getinfo()/dstate_getinfo() return in C (so a driver
   * copying one variable into another through dstate_getinfo() escapes twice).
   */
  getEscapedValue(name: string): string | undefined {
    return this.#find(name)?.escapedValue;
  }

  /** ST_FLAG_* bits, or undefined when the variable does not exist (C returns -1). */
  getFlags(name: string): number | undefined {
    return this.#find(name)?.flags;
  }

  /** Aux value, or undefined when the variable does not exist (C returns -1). */
  getAux(name: string): number | undefined {
    return this.#find(name)?.aux;
  }

  /** All variables in NUT's dump order (in-order walk of the strcasecmp-keyed tree). */
  variables(): StateVariable[] {
    return this.#order.map((k) => this.#nodes.get(k)!);
  }

  /**
   * state_setinfo(): create the variable or change its value. No change when the new value equals
   * the stored one ignoring case (C quirk: `ol` after `OL` is dropped) or the variable is IMMUTABLE.
   */
  setInfo(name: string, value: string): boolean {
    const key = this.#key(name);
    const node = this.#nodes.get(key);
    if (node) {
      if (equalsIgnoreCase(node.value, value)) return false;
      if (node.flags & ST_FLAG_IMMUTABLE) return false;
      node.value = value;
      node.escapedValue = pconfEncode(value);
      return true;
    }
    this.#nodes.set(key, {
      name,
      value,
      escapedValue: pconfEncode(value),
      flags: ST_FLAG_NONE,
      aux: 0,
      enums: [],
      ranges: [],
    });
    this.#order.splice(this.#lowerBound(key), 0, key);
    return true;
  }

  /** state_delinfo(): remove a variable with its enums and ranges; IMMUTABLE ones survive (NUT issue #737). */
  delInfo(name: string): boolean {
    const key = this.#key(name);
    const node = this.#nodes.get(key);
    if (!node || node.flags & ST_FLAG_IMMUTABLE) return false;
    this.#nodes.delete(key);
    this.#order.splice(this.#lowerBound(key), 1);
    return true;
  }

  /**
   * state_addenum(): append an enum value, stored pconf_encode()d (255 chars max); false when the
   * variable does not exist (NUT logs it) or the encoded value is already listed (exact compare).
   */
  addEnum(name: string, value: string): boolean {
    const node = this.#find(name);
    if (!node) return false;
    const enc = pconfEncode(value);
    if (node.enums.includes(enc)) return false;
    node.enums.push(enc);
    return true;
  }

  /**
   * state_delenum(): remove the first enum whose stored (escaped) form equals `value` ignoring
   * case; `value` is compared as given, not encoded, exactly as NUT does.
   */
  delEnum(name: string, value: string): boolean {
    const node = this.#find(name);
    if (!node) return false;
    const i = node.enums.findIndex((e) => equalsIgnoreCase(e, value));
    if (i < 0) return false;
    node.enums.splice(i, 1);
    return true;
  }

  /**
   * state_addrange(): append a range. Refused when min > max, when the variable does not exist, or
   * (C quirk) when an existing range has the same min OR the same max.
   */
  addRange(name: string, min: number, max: number): boolean {
    if (min > max) return false;
    const node = this.#find(name);
    if (!node) return false;
    if (node.ranges.some((r) => r.min === min || r.max === max)) return false;
    node.ranges.push({ min, max });
    return true;
  }

  /** state_delrange(): remove the first range whose min OR max matches (same quirk as addRange). */
  delRange(name: string, min: number, max: number): boolean {
    const node = this.#find(name);
    if (!node) return false;
    const i = node.ranges.findIndex((r) => r.min === min || r.max === max);
    if (i < 0) return false;
    node.ranges.splice(i, 1);
    return true;
  }

  /**
   * state_setaux() / dstate_setaux(): set the aux number (a string is read with strtol, as upsd
   * reads SETAUX); false when the variable is missing or the value is unchanged.
   */
  setAux(name: string, aux: number | string): boolean {
    const node = this.#find(name);
    if (!node) return false;
    const n = typeof aux === "string" ? cAtol(aux) : Math.trunc(aux);
    if (node.aux === n) return false;
    node.aux = n;
    return true;
  }

  /**
   * state_setflags() (upsd's SETFLAGS): replace all flags by the recognised words, which also
   * clears IMMUTABLE; false only when the variable does not exist.
   */
  setFlags(name: string, words: readonly string[]): boolean {
    const node = this.#find(name);
    if (!node) return false;
    node.flags = parseFlagWords(words);
    return true;
  }

  /**
   * Assign flag bits directly, as dstate_setflags() does on the node; true when they changed.
   * dstate_setflags() first refuses IMMUTABLE variables: that guard is the driver layer's job.
   */
  setFlagBits(name: string, flags: number): boolean {
    const node = this.#find(name);
    if (!node || node.flags === flags) return false;
    node.flags = flags;
    return true;
  }

  /** state_addcmd(): insert a command in case-insensitive order; false for a duplicate (any case). */
  addCmd(name: string): boolean {
    let i = 0;
    for (; i < this.#commands.length; i++) {
      const c = compareNames(this.#commands[i]!, name);
      if (c > 0) break;
      if (c === 0) return false;
    }
    this.#commands.splice(i, 0, name);
    return true;
  }

  /** state_delcmd(): remove a command (any letter case). */
  delCmd(name: string): boolean {
    const i = this.#commands.findIndex((c) => compareNames(c, name) === 0);
    if (i < 0) return false;
    this.#commands.splice(i, 1);
    return true;
  }

  /** True when the command is listed (case-insensitive, as upsd checks INSTCMD). */
  hasCmd(name: string): boolean {
    return this.#commands.some((c) => compareNames(c, name) === 0);
  }

  /** Instant commands in NUT's order (case-insensitively sorted, first spelling kept). */
  commands(): readonly string[] {
    return this.#commands.slice();
  }

  /** Drop every variable and command (state_infofree + state_cmdfree, as upsd does on disconnect). */
  clear(): void {
    this.#nodes.clear();
    this.#order = [];
    this.#commands = [];
  }
}
