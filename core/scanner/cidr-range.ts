/**
 * nut-scanner's `-m IP/mask` (nutscan_cidr_to_ip() of NUT 2.8.0): the first and last address of
 * the network, for IPv4 and IPv6 literals. NUT resolves host names with getaddrinfo(); this
 * build takes address literals only (a name yields no range, as an unresolvable one does in NUT).
 */
import { isIPv4, isIPv6 } from "node:net";

export type CidrRange =
  | { kind: "range"; start: string; stop: string }
  /** NUT's upsdebugx(0) warning, or undefined where NUT just returns no range. */
  | { kind: "none"; warning?: string }
  /** fatalx: "Bad netmask: <mask>". */
  | { kind: "fatal"; message: string };

/** C atoi: optional blanks and sign, then digits; anything else stops it. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m === null ? 0 : Number.parseInt(m[1]!, 10) | 0;
}

export function cidrToRange(cidr: string): CidrRange {
  // strtok_r on "/": empty fields are skipped
  const tokens = cidr.split("/").filter((t) => t !== "");
  const first = tokens[0];
  if (first === undefined) return { kind: "none", warning: `WARNING: nutscan_cidr_to_ip failed to parse first_ip from cidr=${cidr}` };
  const mask = tokens[1];
  if (mask === undefined) return { kind: "none", warning: `WARNING: nutscan_cidr_to_ip failed to parse mask from cidr=${cidr} (first_ip=${first})` };
  const maskVal = atoi(mask);
  if (maskVal < 1) return { kind: "fatal", message: `Bad netmask: ${mask}` };
  if (isIPv4(first)) {
    const start = first.split(".").reduce((acc, part) => (acc * 256 + Number(part)) >>> 0, 0);
    // 2.8.0 shifts a 32-bit value by mask-1: shifts of 32 or more wrap as on x86 (count mod 32)
    const bit = ((0x80000000 >>> ((maskVal - 1) % 32)) - 1) >>> 0;
    const ntoa = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
    return { kind: "range", start: ntoa((start & ~bit) >>> 0), stop: ntoa((start | bit) >>> 0) };
  }
  if (isIPv6(first)) {
    const bytes = ipv6Bytes(first);
    const start = [...bytes];
    const stop = [...bytes];
    const maskByte = Math.trunc(maskVal / 8);
    if (maskByte < 16) {
      for (let i = maskByte + 1; i < 16; i++) {
        stop[i] = 0xff;
        start[i] = 0;
      }
      const bit = (0x100 >> maskVal % 8) - 1;
      stop[maskByte] = stop[maskByte]! | bit;
      start[maskByte] = start[maskByte]! & ~bit & 0xff;
    }
    return { kind: "range", start: ipv6Text(start), stop: ipv6Text(stop) };
  }
  return { kind: "none" };
}

function ipv6Bytes(text: string): number[] {
  let head = text;
  let tail = "";
  const dbl = text.indexOf("::");
  if (dbl >= 0) {
    head = text.slice(0, dbl);
    tail = text.slice(dbl + 2);
  }
  const groups = (part: string): number[] => {
    if (part === "") return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (g.includes(".")) {
        const v4 = g.split(".").map(Number);
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const h = groups(head);
  const t = groups(tail);
  const words = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** inet_ntop's IPv6 text: lower-case hex, the longest run (≥ 2) of zero groups as "::". */
function ipv6Text(bytes: number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (bestLen < 2) return hex(words);
  return `${hex(words.slice(0, bestAt))}::${hex(words.slice(bestAt + bestLen))}`;
}
