/**
 * `upscmd -l <ups>` (clients/upscmd.c listcmds() and print_cmd() in NUT 2.8.0): LIST CMD, then
 * GET CMDDESC of every command, one request at a time as 2.8.0 sends them (pipelining them would
 * be slower: upsd's replies then wait on Nagle's algorithm and the client's delayed ACKs).
 */
import { UpscliError } from "../protocol/net-error.ts";
import { ClientFatalError } from "./client-fatal.ts";
import type { NutClient } from "./nut-client.ts";

/** What the listing needs of a connection (a NutClient, or a fake in tests). */
export type ListingClient = Pick<NutClient, "get" | "list">;

/** One instant command and its description (undefined when GET CMDDESC failed). */
export interface CommandEntry {
  name: string;
  description: string | undefined;
}

/**
 * The fatal a refused LIST ends upscmd and upsrw with: upsd too old for LIST (UNKNOWN-COMMAND),
 * or libupsclient's text for anything else.
 */
export function listRefused(err: unknown): ClientFatalError {
  if (err instanceof UpscliError && err.code === "UNKCOMMAND") {
    return new ClientFatalError("Error: upsd is too old to support this query", { cause: err });
  }
  return new ClientFatalError(`Error: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** upsc's, upscmd's and upsrw's text for a list item with too few words. */
export function insufficientData(got: number, need: number): ClientFatalError {
  return new ClientFatalError(`Error: insufficient data (got ${got} args, need at least ${need})`);
}

/** `GET <query…>`'s word at `index`, or undefined when the GET failed or the word is missing. */
export async function getWord(client: ListingClient, query: readonly string[], index: number): Promise<string | undefined> {
  try {
    return (await client.get(query))[index];
  } catch {
    return undefined;
  }
}

/** The commands of `ups` with their descriptions, in the server's order; throws ClientFatalError as upscmd fails. */
export async function fetchCommandList(client: ListingClient, ups: string): Promise<CommandEntry[]> {
  let items: string[][];
  try {
    items = await client.list(["CMD", ups]);
  } catch (err) {
    throw listRefused(err);
  }
  // every name is read before any description is asked for
  for (const item of items) if (item.length < 3) throw insufficientData(item.length, 3);
  const names = items.map((item) => item[2]!);
  const entries: CommandEntry[] = [];
  for (const name of names) entries.push({ name, description: await getWord(client, ["CMDDESC", ups, name], 3) });
  return entries;
}

/** The listing as 2.8.0 prints it: a header naming the UPS, an empty line, `<cmd> - <desc>` (or `<cmd>`) lines. */
export function commandListText(ups: string, entries: readonly CommandEntry[]): string {
  let text = `Instant commands supported on UPS [${ups}]:\n\n`;
  for (const e of entries) text += e.description === undefined ? `${e.name}\n` : `${e.name} - ${e.description}\n`;
  return text;
}
