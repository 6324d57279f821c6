/**
 * `upsrw <ups>` (clients/upsrw.c print_rwlist(), print_rw(), do_type() and the do_* type blocks
 * in NUT 2.8.0): LIST RW, then per variable GET DESC, GET TYPE and, as the type asks, GET VAR and
 * LIST ENUM or LIST RANGE — the same requests in the same order as 2.8.0, one at a time: upsd
 * leaves Nagle's algorithm on, so pipelined replies would wait for delayed ACKs (~40 ms) where
 * a request per round trip takes a fraction of a millisecond on a LAN. The data is gathered
 * first and rendered afterwards (text or JSON), failures included.
 */
import { cAtoi, parseCLong } from "../config/c-numbers.ts";
import { ClientFatalError } from "./client-fatal.ts";
import { type ListingClient, getWord, insufficientData, listRefused } from "./command-listing.ts";

/**
 * What decides a variable's block, from the words of GET TYPE after the variable name (first
 * decisive word wins, compared case-insensitively): RANGE, `STRING:<n>`, NUMBER (ENUM seen before
 * those turns the last two into an enumeration); with ENUM but neither, a plain ENUM of an old
 * upsd; nothing decisive, no block.
 */
export type RwTypeBlock =
  | { kind: "range" }
  | { kind: "string"; maxLength: bigint }
  | { kind: "number" }
  | { kind: "enum"; base: "STRING" | "NUMBER" | "NONE"; maxLength: bigint }
  | { kind: "none" };

/** A variable's type: the words upsrw does not know (each printed as unrecognized) and its block. */
export interface RwType {
  unrecognized: string[];
  block: RwTypeBlock;
}

/** do_type()'s walk over the type words. */
export function classifyRwType(words: readonly string[]): RwType {
  const unrecognized: string[] = [];
  let isEnum = false;
  for (const word of words) {
    const upper = word.toUpperCase();
    if (upper === "ENUM") {
      isEnum = true;
      continue;
    }
    if (upper === "RANGE") return { unrecognized, block: { kind: "range" } };
    if (upper.startsWith("STRING:")) {
      const maxLength = parseCLong(word.slice(7)).value;
      return { unrecognized, block: isEnum ? { kind: "enum", base: "STRING", maxLength } : { kind: "string", maxLength } };
    }
    if (upper === "NUMBER") {
      return { unrecognized, block: isEnum ? { kind: "enum", base: "NUMBER", maxLength: 0n } : { kind: "number" } };
    }
    if (upper === "RW") continue;
    unrecognized.push(word);
  }
  return { unrecognized, block: isEnum ? { kind: "enum", base: "NONE", maxLength: 0n } : { kind: "none" } };
}

/** A LIST answered (its items' words) or refused. */
export type ListOutcome = { ok: true; items: string[][] } | { ok: false; error: unknown };

/** Everything the server said about one writable variable. */
export interface RwVariableReport {
  name: string;
  /** GET DESC; undefined when it failed. */
  description: string | undefined;
  /** GET TYPE; undefined when it failed (`Unknown type`). */
  type: RwType | undefined;
  /** GET VAR, asked when the block shows a value; undefined when it failed or was not asked. */
  value: string | undefined;
  /** LIST ENUM or LIST RANGE, for those blocks. */
  list?: ListOutcome;
}

async function listOutcome(client: ListingClient, query: readonly string[]): Promise<ListOutcome> {
  try {
    return { ok: true, items: await client.list(query) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function fetchVariable(client: ListingClient, ups: string, name: string): Promise<RwVariableReport> {
  const description = await getWord(client, ["DESC", ups, name], 3);
  const report: RwVariableReport = { name, description, type: undefined, value: undefined };
  let typeWords: string[];
  try {
    typeWords = (await client.get(["TYPE", ups, name])).slice(3);
  } catch {
    return report;
  }
  report.type = classifyRwType(typeWords);
  const kind = report.type.block.kind;
  if (kind === "none") return report;
  report.value = await getWord(client, ["VAR", ups, name], 3);
  // without a value upsrw stops before listing the options
  if (report.value === undefined) return report;
  if (kind === "enum") report.list = await listOutcome(client, ["ENUM", ups, name]);
  if (kind === "range") report.list = await listOutcome(client, ["RANGE", ups, name]);
  return report;
}

/** LIST RW of `ups` and what each variable needs; throws ClientFatalError where upsrw fails before printing. */
export async function fetchRwListing(client: ListingClient, ups: string): Promise<RwVariableReport[]> {
  let items: string[][];
  try {
    items = await client.list(["RW", ups]);
  } catch (err) {
    throw listRefused(err);
  }
  for (const item of items) if (item.length < 4) throw insufficientData(item.length, 4);
  const reports: RwVariableReport[] = [];
  for (const item of items) {
    const report = await fetchVariable(client, ups, item[2]!);
    reports.push(report);
    // upsrw exits at the first variable it cannot show: nothing after it is asked for
    if (rwVariableText(report).fatal !== undefined) break;
  }
  return reports;
}

/** The fatal of a block whose current value could not be read (`do_string: can't get …`). */
function noValue(block: string, name: string): ClientFatalError {
  return new ClientFatalError(`${block}: can't get current value of ${name}`);
}

/** The fatal of a refused LIST ENUM / LIST RANGE (`Error: <text>`). */
function listFailed(error: unknown): ClientFatalError {
  return new ClientFatalError(`Error: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The parts of a variable a listing shows, resolved as upsrw resolves them. */
export interface RwVariableView {
  name: string;
  /** undefined: GET DESC failed. */
  description: string | undefined;
  /** `STRING`, `NUMBER`, `ENUM STRING`, `ENUM NUMBER`, `ENUM`, `RANGE NUMBER`; undefined without a block. */
  typeLabel?: string;
  /** undefined: GET TYPE failed. */
  type: RwType | undefined;
  maxLength?: bigint;
  value?: string;
  /** ENUM values, as sent. */
  options?: string[];
  /** RANGE bounds, read with atoi() as upsrw prints them. */
  ranges?: { min: number; max: number }[];
}

/** Text printed, and the fatal that ends upsrw after it, if any. */
export interface RwText {
  text: string;
  fatal?: ClientFatalError;
}

/** One variable as 2.8.0 prints it: `[name]`, description, type block, empty line (or the fatal cutting it short). */
export function rwVariableText(report: RwVariableReport): RwText {
  const head = `[${report.name}]\n${report.description ?? "Description unavailable"}\n`;
  const block = typeBlockText(report);
  if (block.fatal !== undefined) return { text: head + block.text, fatal: block.fatal };
  return { text: `${head}${block.text}\n` };
}

/** The items of an ENUM/RANGE block's LIST. */
function blockItems(report: RwVariableReport): { items: string[][] } | { fatal: ClientFatalError } {
  const list = report.list;
  if (list === undefined) return { items: [] };
  return list.ok ? { items: list.items } : { fatal: listFailed(list.error) };
}

/** do_type() and the block it picks. */
function typeBlockText(report: RwVariableReport): RwText {
  const type = report.type;
  if (type === undefined) return { text: "Unknown type\n" };
  let text = type.unrecognized.map((w) => `Type: ${w} (unrecognized)\n`).join("");
  const stop = (fatal: ClientFatalError): RwText => ({ text, fatal });
  const block = type.block;
  const value = report.value;
  switch (block.kind) {
    case "none":
      return { text };
    case "string":
      if (value === undefined) return stop(noValue("do_string", report.name));
      return { text: `${text}Type: STRING\nMaximum length: ${block.maxLength}\nValue: ${value}\n` };
    case "number":
      if (value === undefined) return stop(noValue("do_number", report.name));
      return { text: `${text}Type: NUMBER\nValue: ${value}\n` };
    case "enum": {
      if (value === undefined) return stop(noValue("do_enum", report.name));
      const list = blockItems(report);
      if ("fatal" in list) return stop(list.fatal);
      text += block.base === "NONE" ? "Type: ENUM\n" : `Type: ENUM ${block.base}\n`;
      if (block.base === "STRING") text += `Maximum length: ${block.maxLength}\n`;
      for (const item of list.items) {
        if (item.length < 4) return stop(insufficientData(item.length, 4));
        text += `Option: "${item[3]}"${item[3] === value ? " SELECTED" : ""}\n`;
      }
      return { text };
    }
    case "range": {
      if (value === undefined) return stop(noValue("do_range", report.name));
      const list = blockItems(report);
      if ("fatal" in list) return stop(list.fatal);
      const current = cAtoi(value);
      text += "Type: RANGE NUMBER\n";
      for (const item of list.items) {
        // 2.8.0 needs 5 words but its message says 4
        if (item.length < 5) return stop(insufficientData(item.length, 4));
        const min = cAtoi(item[3]!);
        const max = cAtoi(item[4]!);
        text += `Option: "${min}-${max}"${current >= min && current <= max ? " SELECTED" : ""}\n`;
      }
      return { text };
    }
  }
}

function itemsOrThrow(report: RwVariableReport): string[][] {
  const list = blockItems(report);
  if ("fatal" in list) throw list.fatal;
  return list.items;
}

/** The same resolution as the text, as data for `-j`: throws ClientFatalError where the text would stop. */
export function rwVariableView(report: RwVariableReport): RwVariableView {
  const view: RwVariableView = { name: report.name, description: report.description, type: report.type };
  const block = report.type?.block;
  if (block === undefined || block.kind === "none") return view;
  const blockName = { string: "do_string", number: "do_number", enum: "do_enum", range: "do_range" }[block.kind];
  if (report.value === undefined) throw noValue(blockName, report.name);
  view.value = report.value;
  switch (block.kind) {
    case "string":
      view.typeLabel = "STRING";
      view.maxLength = block.maxLength;
      break;
    case "number":
      view.typeLabel = "NUMBER";
      break;
    case "enum":
      view.typeLabel = block.base === "NONE" ? "ENUM" : `ENUM ${block.base}`;
      if (block.base === "STRING") view.maxLength = block.maxLength;
      view.options = itemsOrThrow(report).map((item) => {
        if (item.length < 4) throw insufficientData(item.length, 4);
        return item[3]!;
      });
      break;
    case "range":
      view.typeLabel = "RANGE NUMBER";
      view.ranges = itemsOrThrow(report).map((item) => {
        if (item.length < 5) throw insufficientData(item.length, 4);
        return { min: cAtoi(item[3]!), max: cAtoi(item[4]!) };
      });
      break;
  }
  return view;
}
