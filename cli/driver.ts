/**
 * The one front of every driver (NUT's nutupsdrv command line, drivers/main.c main()): banner,
 * getopt over the 2.8 option string, -h/-L/-V, then the framework runs the driver.
 */
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import type { DriverDefinition } from "../drivers/framework/driver.ts";
import { type DriverArgEvent, type DriverCommandLine, runDriver } from "../drivers/framework/run-driver.ts";
import { loadDriver } from "./driver-registry.ts";
import { Getopt } from "./getopt.ts";
import type { ProgramIo, ProgramMain } from "./program-io.ts";

/** 2.8.0's option string plus -c/-P of 2.8.1+ (control of a running instance). */
const OPTSTRING = "+a:s:kDFBd:hx:Lqr:u:g:Vi:c:P:";

function helpText(def: DriverDefinition): string {
  let text =
    `\nusage: ${def.name} (-a <id>|-s <id>) [OPTIONS]\n` +
    "  -a <id>        - autoconfig using ups.conf section <id>\n" +
    "                 - note: -x after -a overrides ups.conf settings\n\n" +
    "  -s <id>        - configure directly from cmd line arguments\n" +
    "                 - note: must specify all driver parameters with successive -x\n" +
    "                 - note: at least 'port' variable should be set\n" +
    "                 - note: to explore the current values on a device from an\n" +
    "                   unprivileged user account (with sufficient media access in\n" +
    "                   the OS - e.g. to query networked devices), you can specify\n" +
    "                   '-d 1' argument and `export NUT_STATEPATH=/tmp` beforehand\n\n" +
    "  -V             - print version, then exit\n" +
    "  -L             - print parseable list of driver variables\n" +
    "  -D             - raise debugging level (and stay foreground by default)\n" +
    "  -d <count>     - dump data to stdout after 'count' updates loop and exit\n" +
    "  -F             - stay foregrounded even if no debugging is enabled\n" +
    "  -B             - stay backgrounded even if debugging is bumped\n" +
    "  -q             - raise log level threshold\n" +
    "  -h             - display this help\n" +
    "  -k             - force shutdown\n" +
    "  -i <int>       - poll interval\n" +
    "  -r <dir>       - chroot to <dir>\n" +
    "  -u <user>      - switch to <user> (if started as root)\n" +
    "  -g <group>     - set pipe access to <group> (if started as root)\n" +
    "  -x <var>=<val> - set driver variable <var> to <val>\n" +
    "                 - example: -x cable=940-0095B\n\n";
  if (def.variables.length > 0) {
    text += "Acceptable values for -x or ups.conf in this driver:\n\n";
    for (const v of def.variables) {
      text += `${v.description.padStart(40)} : -x ${v.name}${v.kind === "value" ? "=<value>" : ""}\n`;
    }
  }
  return text + (def.help ?? "");
}

/** C's atoi() on an option argument. */
function atoi(text: string): number {
  const m = /^\s*[+-]?\d+/.exec(text);
  return m ? Number.parseInt(m[0], 10) : 0;
}

/** The `main` of the program named `name`, for the programs table. */
export function driverMain(name: string): ProgramMain {
  return async (args: string[], io: ProgramIo): Promise<number> => {
    const def = await loadDriver(name);
    if (!def) {
      io.stderr(`${name}: not implemented yet in this nut-ts build\n`);
      return 1;
    }
    io.stdout(`Network UPS Tools - ${def.description} ${def.version} (${UPS_VERSION})\n`);
    for (const sub of def.subdriverInfo ?? []) io.stdout(`${sub.name} ${sub.version}\n`);
    if (def.experimental) io.stdout("Warning: This is an experimental driver.\nSome features may not function correctly.\n\n");

    const cmd: DriverCommandLine = { events: [], debug: 0, foreground: 0, background: false, kill: false, rawArgs: args };
    const events: DriverArgEvent[] = cmd.events;
    const parser = new Getopt(args, OPTSTRING, name);
    for (let r = parser.next(); r !== undefined; r = parser.next()) {
      if (r.error !== undefined) io.stderr(r.error);
      const arg = r.arg ?? "";
      switch (r.opt) {
        case "a":
          events.push({ kind: "a", name: arg });
          break;
        case "s":
          events.push({ kind: "s", name: arg });
          break;
        case "x":
          events.push({ kind: "x", arg });
          break;
        case "F":
          cmd.foreground++;
          cmd.background = false;
          break;
        case "B":
          cmd.background = true;
          cmd.foreground = 0;
          break;
        case "D":
          cmd.debug++;
          break;
        case "d":
          cmd.dumpCount = atoi(arg);
          break;
        case "i":
          cmd.pollInterval = atoi(arg);
          break;
        case "k":
          cmd.kill = true;
          break;
        case "q":
          break;
        case "r":
          cmd.chroot = arg;
          break;
        case "u":
          cmd.user = arg;
          break;
        case "g":
          cmd.group = arg;
          break;
        case "c":
          cmd.control = arg;
          break;
        case "P":
          cmd.controlPid = atoi(arg);
          break;
        case "L":
          io.stdout(def.variables.map((v) => `${v.kind === "value" ? "VALUE" : "FLAG"} ${v.name} "${v.description}"\n`).join(""));
          return 0;
        case "h":
          io.stdout(helpText(def));
          return 0;
        case "V":
          return 0;
        default:
          io.stderr("Error: unknown option -?. Try -h for help.\n");
          return 1;
      }
    }
    if (parser.operands().length > 0) {
      io.stderr("Error: too many non-option arguments. Try -h for help.\n");
      return 1;
    }
    return runDriver(def, cmd, io);
  };
}
