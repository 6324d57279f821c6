/**
 * `upsc`: NUT 2.8.0's clients/upsc.c — `upsc <ups>[@<host>[:<port>]] [<variable>]`,
 * `upsc -l | -L [<host>[:<port>]]`, `upsc -c <ups>` — plus `-j` (JSON output) from NUT 2.8.5.
 * Output, error texts and exit codes are 2.8.0's, including what libupsclient logs on stderr
 * while it sets up TLS (Debian's NSS build: `Init SSL without certificate database` on every
 * connection).
 */
import { NutClient } from "../core/client/nut-client.ts";
import { NSS_INIT_LOG, tlsFailureLog, tlsSessionLog } from "../core/client/upscli-tls-log.ts";
import { UPSC_JSON, UPSC_PLAIN, type UpscListItem, type UpscOutput } from "../core/client/upsc-output.ts";
import { parseUpsSystemName } from "../core/config/ups-system-name.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { Getopt } from "./getopt.ts";
import type { ProgramIo } from "./program-io.ts";

/** upsc.c's getopt string in 2.8.0 (`+hlLcV`) with 2.8.5's `j`. */
const OPTSTRING = "+hlLcVj";

/**
 * usage() of 2.8.0, byte for byte, with 2.8.5's `-j` line inserted where 2.8.5's help has it
 * (an `Option:` paragraph before the first form).
 */
function helpText(prog: string): string {
  return (
    `Network UPS Tools upsc ${UPS_VERSION}\n\n` +
    `usage: ${prog} -l | -L [<hostname>[:port]]\n` +
    `       ${prog} <ups> [<variable>]\n` +
    `       ${prog} -c <ups>\n` +
    "\nDemo program to display UPS variables.\n\n" +
    "Option:\n" +
    "  -j         - display output in JSON format\n\n" +
    "First form (lists UPSes):\n" +
    "  -l         - lists each UPS on <hostname>, one per line.\n" +
    "  -L         - lists each UPS followed by its description (from ups.conf).\n" +
    "               Default hostname: localhost\n" +
    "\nSecond form (lists variables and values):\n" +
    "  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form\n" +
    "  <variable> - optional, display this variable only.\n" +
    "               Default: list all variables for <host>\n" +
    "\nThird form (lists clients connected to a device):\n" +
    "  -c         - lists each client connected on <ups>, one per line.\n" +
    "  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form\n"
  );
}

/** What the command line asks for. */
interface UpscRequest {
  /** -l / -L: list the UPSes of a server (`verbose`: with descriptions). */
  list?: { verbose: boolean };
  /** -c: list the clients of the UPS. */
  clients: boolean;
  output: UpscOutput;
  operands: string[];
}

/** A fatalx(): the message for `Error: …` on stderr, exit 1. */
class UpscFatal extends Error {}

/**
 * upsc's stdout, written at exit as C's fully buffered stdout reaches a pipe: after everything
 * written to stderr, so that a `2>&1` capture has NUT's order. (On a terminal C writes each line
 * at once; telling a terminal apart would cost node:tty, ~20 ms of start-up, for an order that
 * only differs after an `insufficient data` error.)
 */
class UpscStdout {
  readonly #io: ProgramIo;
  #buffer = "";

  constructor(io: ProgramIo) {
    this.#io = io;
  }

  write(text: string): void {
    this.#buffer += text;
  }

  flush(): void {
    if (this.#buffer !== "") this.#io.stdout(this.#buffer);
    this.#buffer = "";
  }
}

/** `upsc`: shows the variables, the UPSes or the clients of a NUT server. */
export async function main(args: string[], io: ProgramIo): Promise<number> {
  const stdout = new UpscStdout(io);
  try {
    return await run(args, io, stdout);
  } finally {
    stdout.flush();
  }
}

async function run(args: string[], io: ProgramIo, stdout: UpscStdout): Promise<number> {
  const request = parseCommandLine(args, io, stdout);
  if (typeof request === "number") return request;
  const { output } = request;
  const fatal = (message: string): number => {
    stdout.write(output.fatal(message));
    io.stderr(`Error: ${message}\n`);
    return 1;
  };

  const target = resolveTarget(request);
  if ("usage" in target) {
    if (target.error !== undefined) io.stderr(`${target.error}\n`);
    return fatal(target.usage);
  }

  let client: NutClient;
  let connected = false;
  try {
    client = await NutClient.connect({
      host: target.host,
      port: target.port,
      tls: { mode: "try" },
      onConnected: () => {
        connected = true;
        // upscli_sslinit() initializes NSS without a certificate database before STARTTLS
        io.stderr(NSS_INIT_LOG);
      },
    });
  } catch (err) {
    if (connected) io.stderr(tlsFailureLog(err, target.host));
    return fatal(messageOf(err));
  }
  if (client.ssl) io.stderr(tlsSessionLog(target.host));

  try {
    if (request.list) stdout.write(await listUpses(client, output, request.list.verbose));
    else if (request.clients) stdout.write(await listClients(client, output, target.upsname));
    else if (request.operands.length > 1) stdout.write(await printVar(client, output, target.upsname, request.operands[1]!));
    else stdout.write(await listVars(client, output, target.upsname));
    return 0;
  } catch (err) {
    // UpscFatal (upsc's own texts) and libupsclient's errors alike: `Error: <message>`
    if (!(err instanceof UpscListFailure)) return fatal(messageOf(err));
    stdout.write(err.stdout);
    io.stderr(`Error: ${err.message}\n`);
    return 1;
  } finally {
    // clean_exit(): upscli_disconnect() sends LOGOUT and closes, also after a fatalx()
    await client.close();
  }
}

/** Reads the options; a number is the exit status of a run that ends there (-h, -V). */
function parseCommandLine(args: string[], io: ProgramIo, stdout: UpscStdout): UpscRequest | number {
  let list: UpscRequest["list"];
  let clients = false;
  let output = UPSC_PLAIN;
  const parser = new Getopt(args, OPTSTRING, io.name);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    switch (r.opt) {
      case "L":
        list = { verbose: true };
        break;
      case "l":
        list ??= { verbose: false };
        break;
      case "c":
        clients = true;
        break;
      case "j":
        output = UPSC_JSON;
        break;
      case "V":
        // sic: 2.8.0's upsc calls itself upscmd here, on stderr through fatalx(EXIT_SUCCESS, …)
        io.stderr(`Network UPS Tools upscmd ${UPS_VERSION}\n`);
        return 0;
      default:
        // -h and any option getopt refused: the help, exit 0
        stdout.write(helpText(io.name));
        return 0;
    }
  }
  const request: UpscRequest = { clients, output, operands: parser.operands() };
  if (list !== undefined) request.list = list;
  return request;
}

/** Where to connect, and which UPS; or what upscli_splitname()/splitaddr() print on a bad argument. */
type UpscTarget = { upsname: string; host: string; port: number } | { error?: string; usage: string };

function resolveTarget(request: UpscRequest): UpscTarget {
  const [first] = request.operands;
  if (request.list) {
    // upscli_splitaddr(argv[0] ? argv[0] : "localhost"), reached through the `ups@host` parser with
    // a placeholder UPS name (which takes 2 bytes of its 511: only a 510-byte host reads differently)
    const parsed = parseUpsSystemName(`-@${first ?? "localhost"}`);
    if (!parsed.ok) return { error: parsed.error, usage: "invalid hostname.\nRequired format: [hostname[:port]]" };
    return { upsname: "", host: parsed.host, port: parsed.port };
  }
  const usage = "invalid UPS definition.\nRequired format: upsname[@hostname[:port]]";
  // upscli_splitname(NULL, …) fails without a message of its own
  if (first === undefined) return { usage };
  // 2.8.0 crashes (strdup of NULL) on an empty name or host such as `@` or `ups@:`; this is an error instead
  const parsed = parseUpsSystemName(first);
  if (!parsed.ok) return { error: parsed.error, usage };
  return { upsname: parsed.upsname, host: parsed.host, port: parsed.port };
}

/** A failure in the middle of a list: its message for stderr and the stdout the list printed so far. */
class UpscListFailure extends Error {
  readonly stdout: string;

  constructor(message: string, stdout: string) {
    super(message);
    this.stdout = stdout;
  }
}

/** The texts of the errors of libupsclient, and of anything else that escaped it. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether the server answered the request as an upsd that predates it (ERR UNKNOWN-COMMAND). */
function isOldUpsd(err: unknown): boolean {
  return (err as { code?: unknown }).code === "UNKCOMMAND";
}

/** `insufficient data …`, for an item shorter than the words upsc reads from it. */
function insufficient(got: number, need: number): string {
  return `insufficient data (got ${got} args, need at least ${need})`;
}

/**
 * The items of a LIST as upsc's loop reads them: a failure of the list start is fatal (UNKNOWN-COMMAND
 * explained as an old upsd), a failure after it just ends the list.
 */
async function readList(client: NutClient, query: string[]): Promise<string[][]> {
  try {
    return (await client.listUntilFailure(query)).items;
  } catch (err) {
    throw new UpscFatal(isOldUpsd(err) ? "upsd is too old to support this query" : messageOf(err));
  }
}

/** Takes items until one has fewer than `need` words; returns them with that item's error. */
function takeComplete(items: readonly string[][], need: number): { complete: readonly string[][]; error?: string } {
  const short = items.findIndex((words) => words.length < need);
  if (short < 0) return { complete: items };
  return { complete: items.slice(0, short), error: insufficient(items[short]!.length, need) };
}

/** printvar(): `GET VAR <ups> <var>`. */
async function printVar(client: NutClient, output: UpscOutput, upsname: string, name: string): Promise<string> {
  if (!name.includes(".")) throw new UpscFatal("old-style variable names are not supported");
  let answer: string[];
  try {
    answer = await client.get(["VAR", upsname, name]);
  } catch (err) {
    throw new UpscFatal(isOldUpsd(err) ? "variable unknown (old upsd detected)" : messageOf(err));
  }
  return output.value(answer[3]);
}

/** list_vars(): `LIST VAR <ups>`, `<var>: <value>` per variable. */
async function listVars(client: NutClient, output: UpscOutput, upsname: string): Promise<string> {
  let items: string[][];
  try {
    items = await readList(client, ["VAR", upsname]);
  } catch (err) {
    // the JSON object is opened before the request, so its failure is reported inside it
    throw new UpscListFailure(messageOf(err), output.varsRefused(messageOf(err)));
  }
  const { complete, error } = takeComplete(items, 4);
  const vars: UpscListItem[] = complete.map((w) => ({ name: w[2]!, value: w[3]! }));
  if (error !== undefined) throw new UpscListFailure(error, output.vars(vars, error));
  return output.vars(vars);
}

/** list_upses(): `LIST UPS`, the names (`-l`) or names and descriptions (`-L`). */
async function listUpses(client: NutClient, output: UpscOutput, verbose: boolean): Promise<string> {
  const { complete, error } = takeComplete(await readList(client, ["UPS"]), 3);
  const upses: UpscListItem[] = complete.map((w) => ({ name: w[1]!, value: w[2]! }));
  if (error !== undefined) throw new UpscListFailure(error, output.upses(upses, verbose, error));
  return output.upses(upses, verbose);
}

/** list_clients(): `LIST CLIENT <ups>`, one address per line. */
async function listClients(client: NutClient, output: UpscOutput, upsname: string): Promise<string> {
  const { complete, error } = takeComplete(await readList(client, ["CLIENT", upsname]), 3);
  const addresses = complete.map((w) => w[2]!);
  if (error !== undefined) throw new UpscListFailure(error, output.clients(addresses, error));
  return output.clients(addresses);
}
