/**
 * The text of an upsmon notification (do_notify()): the NOTIFYMSG (or stock) format with its
 * first `%s` replaced by the UPS's MONITOR name (empty for events without a UPS) and, NUT 2.8.3+,
 * a second `%s` by the event's detail (alarm text, unclassified status words); `%%` is a percent
 * sign. NUT hands the format to printf, so other `%` sequences are undefined there; here they stay
 * as written. The result is cut to 511 bytes, NUT's buffer. Pure.
 */

/** snprintf() into char msg[SMALLBUF]. */
export const NOTIFY_TEXT_MAX = 511;

/** Expands a NOTIFYMSG format. */
export function formatNotifyText(format: string, system: string | undefined, extra: string | undefined): string {
  const args = [system ?? "", extra ?? ""];
  let used = 0;
  const text = format.replace(/%%|%s/g, (m) => (m === "%%" ? "%" : used < args.length ? args[used++]! : ""));
  return text.length > NOTIFY_TEXT_MAX ? text.slice(0, NOTIFY_TEXT_MAX) : text;
}

/**
 * The message as one double-quoted shell word: NUT 2.8.x runs `NOTIFYCMD "<message>"` through
 * /bin/sh without escaping, so a `"`, `$` or backquote in a UPS name or NOTIFYMSG broke the
 * command or ran something; these and `\` are escaped here.
 */
export function shellQuoted(text: string): string {
  return `"${text.replace(/["$`\\]/g, (c) => `\\${c}`)}"`;
}
