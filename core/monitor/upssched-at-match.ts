/**
 * Which AT lines of upssched.conf an event runs (clients/upssched.c parse_at()): UPSNAME equal
 * to the AT's <upsname> (case-sensitive) or the AT's <upsname> is `*`, and NOTIFYTYPE equal to
 * the AT's <notifytype> ignoring ASCII case; every match runs, in file order. Pure.
 */
import type { UpsschedAt } from "../config/upssched-conf.ts";

/** What upsmon hands upssched through its environment (and 2.8.5's message argument). */
export interface UpsschedEvent {
  upsName: string;
  notifyType: string;
  /** The NOTIFYMSG text (argv[1]); empty when none was given. */
  notifyMsg: string;
}

/** C's toupper() per character in the C locale: only a-z change. */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** True when `at` applies to `event`. */
export function atMatches(at: Pick<UpsschedAt, "notifyType" | "upsName">, event: Pick<UpsschedEvent, "upsName" | "notifyType">): boolean {
  if (at.upsName !== event.upsName && at.upsName !== "*") return false;
  return asciiUpper(at.notifyType) === asciiUpper(event.notifyType);
}

/** The ATs `event` runs, in file order. */
export function matchingAts(ats: readonly UpsschedAt[], event: Pick<UpsschedEvent, "upsName" | "notifyType">): UpsschedAt[] {
  return ats.filter((at) => atMatches(at, event));
}
