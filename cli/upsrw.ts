/**
 * `upsrw`: NUT 2.8.0's clients/upsrw.c — list a UPS's writable variables with their types and
 * values, or set one (`-s var=value`, or `-s var` and the value asked for) as a user of
 * upsd.users (`-u`, `-p`, asked for when missing), optionally waiting for the driver's result
 * (`-w`, `-t`). nut-ts adds `-j` for the listing (JSON, see core/client/listing-json.ts);
 * everything else prints what 2.8.0 prints, where 2.8.0 prints it (results on stderr).
 */
import { ClientFatalError } from "../core/client/client-fatal.ts";
import { errorJson, rwListJson } from "../core/client/listing-json.ts";
import { fetchRwListing, rwVariableText, rwVariableView } from "../core/client/rw-listing.ts";
import { DEFAULT_TRACKING_TIMEOUT, SET_VAR_TEXTS, enableTracking, runAction, sendCredentials } from "../core/client/tracked-action.ts";
import { type UpsConnection, connectToUps } from "../core/client/ups-connection.ts";
import { encodeConfWord } from "../core/config/tokenizer.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { CStdoutBuffer } from "../core/system/c-stdio.ts";
import { isTerminal } from "../core/system/is-terminal.ts";
import { Getopt } from "./getopt.ts";
import { type TrackedActionOptions, applyTrackedActionOption } from "./tracked-action-options.ts";
import type { ProgramIo } from "./program-io.ts";

/** 2.8.0's `+hls:p:t:u:wV`, and `j`. */
const OPTSTRING = "+hls:p:t:u:wVj";

/** usage() of upsrw.c in 2.8.0, byte for byte (tabs included). */
function usage(prog: string): string {
  return (
    `Network UPS Tools ${prog} ${UPS_VERSION}\n\n` +
    `usage: ${prog} [-h]\n` +
    `       ${prog} [-s <variable>] [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups>\n\n` +
    "Demo program to set variables within UPS hardware.\n" +
    "\n" +
    "  -h            display this help text\n" +
    "  -s <variable>\tspecify variable to be changed\n" +
    "\t\tuse -s VAR=VALUE to avoid prompting for value\n" +
    "  -l            show all possible read/write variables.\n" +
    "  -u <username> set username for command authentication\n" +
    "  -p <password> set password for command authentication\n" +
    "  -w            wait for the completion of setting by the driver\n" +
    "                and return its actual result from the device\n" +
    `  -t <timeout>\tset a timeout when using -w (in seconds, default: ${DEFAULT_TRACKING_TIMEOUT})\n` +
    "\n" +
    "  <ups>         UPS identifier - <upsname>[@<hostname>[:<port>]]\n" +
    "\n" +
    "Call without -s to show all possible read/write variables (same as -l).\n"
  );
}

interface Request extends TrackedActionOptions {
  setvar?: string;
}

/** `upsrw`: lists or sets writable variables. */
export async function main(args: string[], io: ProgramIo): Promise<number> {
  // printf() output is C-buffered: it meets stderr text in a shared file where 2.8.0's does
  const stdout = new CStdoutBuffer((text) => io.stdout(text), (await isTerminal(1)) ? "line" : "full");
  try {
    return await run(args, io, stdout);
  } finally {
    stdout.flush();
  }
}

async function run(args: string[], io: ProgramIo, stdout: CStdoutBuffer): Promise<number> {
  const request: Request = { json: false, tracking: false, timeoutSeconds: DEFAULT_TRACKING_TIMEOUT };
  const parser = new Getopt(args, OPTSTRING, io.name);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    const shared = applyTrackedActionOption(request, r.opt, r.arg);
    if (shared === "handled") continue;
    if (shared !== "unknown") {
      io.stderr(shared.error);
      return 1;
    }
    switch (r.opt) {
      case "s":
        request.setvar = r.arg!;
        break;
      case "l":
        if (request.setvar !== undefined) {
          io.stderr("Listing mode requested, overriding setvar specified earlier!\n");
          delete request.setvar;
        }
        break;
      case "V":
        stdout.write(`Network UPS Tools ${io.name} ${UPS_VERSION}\n`);
        return 0;
      default:
        stdout.write(usage(io.name));
        return 0;
    }
  }
  const operands = parser.operands();
  if (operands.length < 1) {
    stdout.write(usage(io.name));
    return 0;
  }
  const listing = request.setvar === undefined;
  let connection: UpsConnection | undefined;
  try {
    connection = await connectToUps(operands[0]!);
    if (request.setvar !== undefined) await setVariable(connection, request.setvar, request, io, stdout);
    else await listVariables(connection, request.json, stdout);
    return 0;
  } catch (err) {
    if (!(err instanceof ClientFatalError)) throw err;
    if (request.json && listing) stdout.write(errorJson(err.detail));
    io.stderr(err.stderrText);
    return 1;
  } finally {
    await connection?.client.close();
  }
}

async function listVariables(connection: UpsConnection, json: boolean, stdout: CStdoutBuffer): Promise<void> {
  const reports = await fetchRwListing(connection.client, connection.upsname);
  if (json) {
    stdout.write(rwListJson(reports.map(rwVariableView)));
    return;
  }
  for (const report of reports) {
    const { text, fatal } = rwVariableText(report);
    stdout.write(text);
    if (fatal !== undefined) throw fatal;
  }
}

/** do_setvar(): user, password and value (asked for in that order), log in, then SET VAR. */
async function setVariable(connection: UpsConnection, setvar: string, request: Request, io: ProgramIo, stdout: CStdoutBuffer): Promise<void> {
  const { client, upsname } = connection;
  const eq = setvar.indexOf("=");
  const name = eq >= 0 ? setvar.slice(0, eq) : setvar;
  let { username, password } = request;
  let value = eq >= 0 ? setvar.slice(eq + 1) : undefined;
  if (username === undefined || password === undefined || value === undefined) {
    // the questions (and node:fs for stdin) are loaded only when there is something to ask
    const prompt = await import("../core/client/credential-prompt.ts");
    const stdin = await prompt.StdinLines.open();
    username ??= prompt.promptUsername(stdout, stdin, "login");
    password ??= await prompt.getpass("Password: ", { stdin, stderr: (text) => io.stderr(text) });
    value ??= prompt.promptValue(setvar, stdout, stdin);
  }
  await sendCredentials(client, username, password);
  // checked only after logging in, as 2.8.0 does
  if (!name.includes(".")) throw new ClientFatalError("Error: old variable names are not supported");
  if (request.tracking) await enableTracking(client, SET_VAR_TEXTS);
  const result = await runAction(client, `SET VAR ${upsname} ${name} "${encodeConfWord(value)}"`, SET_VAR_TEXTS, {
    enabled: request.tracking,
    timeoutSeconds: request.timeoutSeconds,
  });
  io.stderr(`${result}\n`);
}
