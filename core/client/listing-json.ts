/**
 * `-j` for the listings of upscmd and upsrw, a nut-ts addition (NUT has `-j` only on upsc, since
 * 2.8.5). Written in upsc -j's style: one JSON document on stdout, two spaces of indentation per
 * level, one member per line, strings escaped as json_print_esc() does, `{"error": "<message>"}`
 * on stdout (besides NUT's `Error: <message>` on stderr, exit 1) when the run fails.
 *
 * `upscmd -j -l <ups>`: an object of command name → description, in the server's order; null
 * where the description could not be read (the plain listing prints the bare name there).
 *
 *     {
 *       "load.off": "Turn off the load immediately",
 *       "test.battery.start": "Start a battery test"
 *     }
 *
 * `upsrw -j <ups>` (or `-j -l`): an object of variable name → object, in the server's order:
 *
 * - `description`: GET DESC, or null where it failed (plain: `Description unavailable`);
 * - `type`: `STRING`, `NUMBER`, `ENUM STRING`, `ENUM NUMBER`, `ENUM` (old upsd), `RANGE NUMBER`
 *   (the plain listing's `Type:` line), or null where GET TYPE failed or named no known type;
 * - `unrecognized`: type words upsrw does not know, when there are any;
 * - `max_length`: for STRING and ENUM STRING, a number;
 * - `value`: the current value (GET VAR), whenever `type` is not null;
 * - `options`: for ENUM types, the accepted values (array of strings);
 * - `ranges`: for RANGE NUMBER, the accepted ranges as `{"min": <n>, "max": <n>}` (numbers).
 *
 *     {
 *       "input.transfer.high": {
 *         "description": "High voltage transfer point (V)",
 *         "type": "RANGE NUMBER",
 *         "value": "260",
 *         "ranges": [{"min": 250, "max": 270}, {"min": 280, "max": 290}]
 *       },
 *       "input.transfer.low": {
 *         "description": "Low voltage transfer point (V)",
 *         "type": "ENUM NUMBER",
 *         "value": "180",
 *         "options": ["170", "180", "190"]
 *       },
 *       "ups.id": {
 *         "description": "UPS system identifier",
 *         "type": "STRING",
 *         "max_length": 20,
 *         "value": "a\"b\\c"
 *       }
 *     }
 *
 * An empty listing is `{`, an empty line, `}`, as upsc -j prints an empty object. Pure: no I/O.
 */
import type { CommandEntry } from "./command-listing.ts";
import { jsonQuote } from "./json-text.ts";
import type { RwVariableView } from "./rw-listing.ts";

/** upsc -j's object layout: members two spaces in, `,\n` between them, the closing brace on its own line. */
function objectText(members: readonly string[], indent: string): string {
  return `{\n${members.map((m) => `${indent}  ${m}`).join(",\n")}\n${indent}}`;
}

/** `upscmd -j -l`: command → description (null if unknown). */
export function commandListJson(entries: readonly CommandEntry[]): string {
  const members = entries.map((e) => `${jsonQuote(e.name)}: ${e.description === undefined ? "null" : jsonQuote(e.description)}`);
  return `${objectText(members, "")}\n`;
}

function variableJson(view: RwVariableView): string {
  const members = [`"description": ${view.description === undefined ? "null" : jsonQuote(view.description)}`];
  members.push(`"type": ${view.typeLabel === undefined ? "null" : jsonQuote(view.typeLabel)}`);
  const unrecognized = view.type?.unrecognized ?? [];
  if (unrecognized.length > 0) members.push(`"unrecognized": [${unrecognized.map(jsonQuote).join(", ")}]`);
  if (view.maxLength !== undefined) members.push(`"max_length": ${view.maxLength}`);
  if (view.value !== undefined) members.push(`"value": ${jsonQuote(view.value)}`);
  if (view.options !== undefined) members.push(`"options": [${view.options.map(jsonQuote).join(", ")}]`);
  if (view.ranges !== undefined) members.push(`"ranges": [${view.ranges.map((r) => `{"min": ${r.min}, "max": ${r.max}}`).join(", ")}]`);
  return objectText(members, "  ");
}

/** `upsrw -j`: variable → its description, type and value. */
export function rwListJson(views: readonly RwVariableView[]): string {
  return `${objectText(
    views.map((v) => `${jsonQuote(v.name)}: ${variableJson(v)}`),
    "",
  )}\n`;
}

/** What a failed `-j` run prints on stdout. */
export function errorJson(message: string): string {
  return `{"error": ${jsonQuote(message)}}\n`;
}
