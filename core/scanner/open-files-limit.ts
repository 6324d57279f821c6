/**
 * The soft and hard RLIMIT_NOFILE, which NUT 2.8.0's nut-scanner uses to cap its scan threads
 * (3 descriptors kept in reserve). Read from /proc/self/limits: Bun has no getrlimit().
 */
import { readFileSync } from "node:fs";

export interface OpenFilesLimit {
  soft: bigint;
  hard: bigint;
}

/** undefined when the limits cannot be read (NUT then keeps its defaults). */
export function openFilesLimit(): OpenFilesLimit | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/self/limits", "latin1");
  } catch {
    return undefined;
  }
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (m === null) return undefined;
  const value = (s: string) => (s === "unlimited" ? 0xffffffffffffffffn : BigInt(s));
  return { soft: value(m[1]!), hard: value(m[2]!) };
}

/** Descriptors 2.8.0 reserves (stdin, stdout, stderr) when deriving the thread limit. */
export const RESERVE_FD_COUNT = 3n;
/** DEFAULT_THREAD of 2.8.0. */
export const DEFAULT_MAX_THREADS = 512n;

/** The thread limit 2.8.0 starts with: 512, lowered to the soft limit minus the reserve. */
export function initialMaxThreads(limit: OpenFilesLimit | undefined): bigint {
  if (limit === undefined) return DEFAULT_MAX_THREADS;
  const cur = limit.soft;
  if (cur > 0n && cur > RESERVE_FD_COUNT && DEFAULT_MAX_THREADS > cur - RESERVE_FD_COUNT) {
    return cur > RESERVE_FD_COUNT + 1n ? cur - RESERVE_FD_COUNT : cur;
  }
  return DEFAULT_MAX_THREADS;
}
