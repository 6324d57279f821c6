/**
 * `upscmd`: NUT 2.8.0's clients/upscmd.c — list a UPS's instant commands (`-l`) or run one, as a
 * user of upsd.users (`-u`, `-p`, asked for when missing), optionally waiting for the driver's
 * result (`-w`, `-t`). nut-ts adds `-j` for the listing (JSON, see core/client/listing-json.ts);
 * everything else prints what 2.8.0 prints, where 2.8.0 prints it (results on stderr).
 */
import { ClientFatalError } from "../core/client/client-fatal.ts";
import { commandListText, fetchCommandList } from "../core/client/command-listing.ts";
import { commandListJson, errorJson } from "../core/client/listing-json.ts";
import { DEFAULT_TRACKING_TIMEOUT, INSTCMD_TEXTS, enableTracking, runAction, sendCredentials } from "../core/client/tracked-action.ts";
import { type UpsConnection, connectToUps } from "../core/client/ups-connection.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { CStdoutBuffer } from "../core/system/c-stdio.ts";
import { isTerminal } from "../core/system/is-terminal.ts";
import { Getopt } from "./getopt.ts";
import { type TrackedActionOptions, applyTrackedActionOption } from "./tracked-action-options.ts";
import type { ProgramIo } from "./program-io.ts";

/** 2.8.0's `+lhu:p:t:wV`, and `j`. */
const OPTSTRING = "+lhu:p:t:wVj";

/** usage() of upscmd.c in 2.8.0, byte for byte (tabs included). */
function usage(prog: string): string {
  return (
    `Network UPS Tools upscmd ${UPS_VERSION}\n\n` +
    `usage: ${prog} [-h]\n` +
    `       ${prog} [-l <ups>]\n` +
    `       ${prog} [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups> <command> [<value>]\n\n` +
    "Administration program to initiate instant commands on UPS hardware.\n" +
    "\n" +
    "  -h\t\tdisplay this help text\n" +
    "  -l <ups>\tshow available commands on UPS <ups>\n" +
    "  -u <username>\tset username for command authentication\n" +
    "  -p <password>\tset password for command authentication\n" +
    "  -w            wait for the completion of command by the driver\n" +
    "                and return its actual result from the device\n" +
    `  -t <timeout>\tset a timeout when using -w (in seconds, default: ${DEFAULT_TRACKING_TIMEOUT})\n` +
    "\n" +
    "  <ups>\t\tUPS identifier - <upsname>[@<hostname>[:<port>]]\n" +
    "  <command>\tValid instant command - test.panel.start, etc.\n" +
    "  [<value>]\tAdditional data for command - number of seconds, etc.\n"
  );
}

interface Request extends TrackedActionOptions {
  list: boolean;
  operands: string[];
}

/** `upscmd`: lists or runs instant commands. */
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
  const request: Request = { list: false, json: false, tracking: false, timeoutSeconds: DEFAULT_TRACKING_TIMEOUT, operands: [] };
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
      case "l":
        request.list = true;
        break;
      case "V":
        // 2.8.0 prints its version through fatalx(EXIT_SUCCESS, …): on stderr
        io.stderr(`Network UPS Tools upscmd ${UPS_VERSION}\n`);
        return 0;
      default:
        stdout.write(usage(io.name));
        return 0;
    }
  }
  request.operands = parser.operands();
  if (request.operands.length < 1) {
    stdout.write(usage(io.name));
    return 0;
  }
  let connection: UpsConnection | undefined;
  try {
    connection = await connectToUps(request.operands[0]!);
    return await session(connection, request, io, stdout);
  } catch (err) {
    if (!(err instanceof ClientFatalError)) throw err;
    if (request.json && request.list) stdout.write(errorJson(err.detail));
    io.stderr(err.stderrText);
    return 1;
  } finally {
    await connection?.client.close();
  }
}

async function session(connection: UpsConnection, request: Request, io: ProgramIo, stdout: CStdoutBuffer): Promise<number> {
  const { client, upsname } = connection;
  if (request.list) {
    const entries = await fetchCommandList(client, upsname);
    stdout.write(request.json ? commandListJson(entries) : commandListText(upsname, entries));
    return 0;
  }
  const [, command, value] = request.operands;
  if (command === undefined) {
    stdout.write(usage(io.name));
    return 0;
  }
  if (!command.includes(".")) throw new ClientFatalError("Error: old command names are not supported");
  let { username, password } = request;
  if (username === undefined || password === undefined) {
    // the questions (and node:fs for stdin) are loaded only when there is something to ask
    const prompt = await import("../core/client/credential-prompt.ts");
    const stdin = await prompt.StdinLines.open();
    username ??= prompt.promptUsername(stdout, stdin, "fatal");
    password ??= await prompt.getpass("Password: ", { stdin, stderr: (text) => io.stderr(text) });
  }
  await sendCredentials(client, username, password);
  if (request.tracking) await enableTracking(client, INSTCMD_TEXTS);
  // sent raw, as 2.8.0 prints it: a value with spaces reaches upsd as several words
  const line = value === undefined ? `INSTCMD ${upsname} ${command}` : `INSTCMD ${upsname} ${command} ${value}`;
  const result = await runAction(client, line, INSTCMD_TEXTS, { enabled: request.tracking, timeoutSeconds: request.timeoutSeconds });
  io.stderr(`${result}\n`);
  return 0;
}
