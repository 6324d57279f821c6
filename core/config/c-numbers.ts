/**
 * C number conversions as NUT's config readers use them (glibc, LP64), so that a value reads as
 * the same number here as in NUT: atoi()/atol() accept a prefix and stop at the first
 * non-digit, str_to_int() (common/str.c) accepts the whole word or nothing. Used wherever NUT
 * converts text to numbers: config readers, the state tree, the socket protocol.
 */

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** What strtol(text, &end, 10) sees. */
export interface CLongParse {
  /** The converted value, clamped to LONG_MIN..LONG_MAX as strtol does on overflow. */
  value: bigint;
  /** True when at least one digit was read. */
  digits: boolean;
  /** True when the digits are the whole word (after leading blanks) and did not overflow. */
  exact: boolean;
}

/** C's isspace() in the C locale. */
function isCSpace(ch: string): boolean {
  return ch === " " || (ch >= "\t" && ch <= "\r");
}

/** C's isdigit(). */
export function isCDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** glibc strtol(text, &end, 10): leading blanks, optional sign, then as many digits as there are. */
export function parseCLong(text: string): CLongParse {
  let i = 0;
  while (i < text.length && isCSpace(text[i]!)) i++;
  let negative = false;
  if (text[i] === "+" || text[i] === "-") {
    negative = text[i] === "-";
    i++;
  }
  const start = i;
  while (isCDigit(text[i])) i++;
  if (i === start) return { value: 0n, digits: false, exact: false };
  let value = BigInt(text.slice(start, i));
  if (negative) value = -value;
  let overflow = false;
  if (value > LONG_MAX) {
    value = LONG_MAX;
    overflow = true;
  } else if (value < LONG_MIN) {
    value = LONG_MIN;
    overflow = true;
  }
  return { value, digits: true, exact: !overflow && i === text.length };
}

/** glibc atoi(): (int)strtol(text, NULL, 10), so a huge value wraps as the C cast does. */
export function cAtoi(text: string): number {
  return Number(BigInt.asIntN(32, parseCLong(text).value));
}

/** glibc atol() on LP64, as a JS number (exact up to 2^53). */
export function cAtol(text: string): number {
  return Number(parseCLong(text).value);
}

/**
 * NUT's str_to_int(text, &n, 10): surrounding blanks trimmed, then the whole rest must be one
 * base-10 integer within int range; undefined where NUT's function returns 0 (failure).
 */
export function nutStrToInt(text: string): number | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isCSpace(text[start]!)) start++;
  while (end > start && isCSpace(text[end - 1]!)) end--;
  const trimmed = text.slice(start, end);
  if (trimmed === "") return undefined;
  const parsed = parseCLong(trimmed);
  if (!parsed.exact) return undefined;
  if (parsed.value < BigInt(INT_MIN) || parsed.value > BigInt(INT_MAX)) return undefined;
  return Number(parsed.value);
}
