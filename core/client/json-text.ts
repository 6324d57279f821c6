/**
 * JSON strings the way NUT's json_print_esc() (common/strjson.c, NUT 2.8.5+) writes them, for
 * every `-j` output of the clients: `"` and `\` escaped, \b \f \n \r \t as such, the other
 * control characters below 0x20 as `\u00XX` (lower-case hex), everything else as it is (DEL and
 * non-ASCII included). Pure: no I/O.
 */

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** The escaped text, without the surrounding quotes (what json_print_esc() prints). */
export function jsonEscape(text: string): string {
  return text.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `"<escaped>"`: one JSON string. */
export function jsonQuote(text: string): string {
  return `"${jsonEscape(text)}"`;
}
