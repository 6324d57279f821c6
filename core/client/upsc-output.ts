/**
 * What upsc prints on stdout, in its two formats: NUT 2.8.0's plain lines (clients/upsc.c) and
 * the JSON of `-j` (NUT 2.8.5+, clients/upsc.c and common/strjson.c on master). Both are written
 * out piece by piece exactly as the C program prints them, including JSON that a failure leaves
 * unbalanced or without a comma: scripts that parse upsc's JSON see the same bytes as with NUT.
 * Pure: no I/O.
 */
import { jsonEscape, jsonQuote as quoted } from "./json-text.ts";

/** One item of a list, as upsc prints it (a variable and its value, a UPS and its description…). */
export interface UpscListItem {
  name: string;
  value: string;
}

/** The stdout side of every upsc outcome; the stderr side (`Error: …`) is the same in both formats. */
export interface UpscOutput {
  /**
   * fatalx_error_json_simple(): what goes to stdout before `Error: <message>` goes to stderr,
   * for failures outside a list (bad arguments, connection, GET, a list refused at its start).
   */
  fatal(message: string): string;
  /** printvar(): the value of one variable; undefined prints as C's printf("%s", NULL) does. */
  value(value: string | undefined): string;
  /**
   * list_vars(): the variables read; `insufficient` is the error text of a short item that ended
   * the list (the items before it are printed).
   */
  vars(items: readonly UpscListItem[], insufficient?: string): string;
  /** list_vars() when LIST VAR failed at its start: the only list whose opening precedes the request. */
  varsRefused(message: string): string;
  /** list_upses(): UPS names (`-l`) or names and descriptions (`-L`, `verbose`). */
  upses(items: readonly UpscListItem[], verbose: boolean, insufficient?: string): string;
  /** list_clients(): the addresses of the clients logged into the UPS. */
  clients(addresses: readonly string[], insufficient?: string): string;
}

/** NUT 2.8.0's plain output: nothing extra on failures, one line per item. */
export const UPSC_PLAIN: UpscOutput = {
  fatal: () => "",
  value: (value) => `${value ?? "(null)"}\n`,
  vars: (items) => items.map((i) => `${i.name}: ${i.value}\n`).join(""),
  varsRefused: () => "",
  upses: (items, verbose) => items.map((i) => (verbose ? `${i.name}: ${i.value}\n` : `${i.name}\n`)).join(""),
  clients: (addresses) => addresses.map((a) => `${a}\n`).join(""),
};

/** The items of a JSON list, two spaces in, separated by `,\n`, the last one without newline. */
function members(parts: readonly string[]): string {
  return parts.map((p) => `  ${p}`).join(",\n");
}

/** upsc -j (NUT 2.8.5+): one JSON document on stdout per run, errors as `{"error": "…"}`. */
export const UPSC_JSON: UpscOutput = {
  fatal: (message) => `{"error": ${quoted(message)}}\n`,
  // json_print_esc(NULL) prints `null`, between the quotes upsc has already printed
  value: (value) => `"${value === undefined ? "null" : jsonEscape(value)}"\n`,
  vars: (items, insufficient) => {
    const body = members(items.map((i) => `${quoted(i.name)}: ${quoted(i.value)}`));
    // the error member follows the last item without a comma, as upsc prints it
    if (insufficient !== undefined) return `{\n${body}  "error": "${insufficient}"\n}\n`;
    return `{\n${body}\n}\n`;
  },
  varsRefused: (message) => `{\n  "error": ${quoted(message)}\n}\n`,
  upses: (items, verbose, insufficient) => {
    const body = members(items.map((i) => (verbose ? `${quoted(i.name)}: ${quoted(i.value)}` : quoted(i.name))));
    const [open, close] = verbose ? ["{", "}"] : ["[", "]"];
    if (insufficient !== undefined) {
      return `${open}\n${body}  ${verbose ? "" : "{"}"error": "${insufficient}"\n}\n${verbose ? "" : "]\n"}`;
    }
    return `${open}\n${body}\n${close}\n`;
  },
  clients: (addresses, insufficient) => {
    const body = members(addresses.map(quoted));
    if (insufficient !== undefined) return `[\n${body}  {"error": "${insufficient}"\n}\n]\n`;
    return `[\n${body}\n]\n`;
  },
};
