/**
 * `upsdrvctl [OPTIONS] (start | stop | shutdown) [<ups>]`: NUT 2.8.0's drivers/upsdrvctl.c
 * main() up to its option loop — banner, getopt, help — then drivers/framework/upsdrvctl.ts.
 *
 * Options are 2.8.0's `-h -t -u <user> -r <dir> -D -d -V`, plus 2.8.5's `-F` / `-FF` / `-B`
 * (passed on to the started drivers), which 2.8.0 would refuse with its help text.
 */
import { resolveNutPaths } from "../core/config/nut-paths.ts";
import { UPS_VERSION } from "../core/protocol/nut-version.ts";
import { CStdoutBuffer } from "../core/system/c-stdio.ts";
import { isTerminal } from "../core/system/is-terminal.ts";
import { type UpsdrvctlRequest, runUpsdrvctl, runsFromSource, systemHost } from "../drivers/framework/upsdrvctl.ts";
import { Getopt } from "./getopt.ts";
import type { ProgramIo } from "./program-io.ts";
import { findProgram } from "./programs.ts";

/** upsdrvctl.c's getopt string (2.8.0 `+htu:r:DdV`) with 2.8.5's F and B. */
const OPTSTRING = "+htu:r:DdVFB";

/** The help text of upsdrvctl.c help() in 2.8.0, byte for byte (tabs and all). */
function helpText(prog: string): string {
  return (
    "Starts and stops UPS drivers via ups.conf.\n\n" +
    `usage: ${prog} [OPTIONS] (start | stop | shutdown) [<ups>]\n\n` +
    "  -h\t\t\tdisplay this help\n" +
    "  -r <path>\t\tdrivers will chroot to <path>\n" +
    "  -t\t\t\ttesting mode - prints actions without doing them\n" +
    "  -u <user>\t\tdrivers started will switch from root to <user>\n" +
    "  -D            \traise debugging level\n" +
    "  -d            \tpass debugging level from upsdrvctl to driver\n" +
    "  start\t\t\tstart all UPS drivers in ups.conf\n" +
    "  start\t<ups>\t\tonly start driver for UPS <ups>\n" +
    "  stop\t\t\tstop all UPS drivers in ups.conf\n" +
    "  stop <ups>\t\tonly stop driver for UPS <ups>\n" +
    "  shutdown\t\tshutdown all UPS drivers in ups.conf\n" +
    "  shutdown <ups>\tonly shutdown UPS <ups>\n"
  );
}

/** The multicall binary runs its own drivers when ups.conf has no driverpath. */
function hasDriver(name: string): boolean {
  return findProgram(name)?.kind === "driver";
}

/** `upsdrvctl`: starts, stops and shuts down the drivers of ups.conf. */
export async function main(args: string[], io: ProgramIo): Promise<number> {
  // C stdio: line-buffered on a terminal, else written at exit (or per 4 KiB)
  const stdout = new CStdoutBuffer((text) => io.stdout(text), (await isTerminal(1)) ? "line" : "full");
  try {
    return await run(args, io, stdout);
  } finally {
    stdout.flush();
  }
}

async function run(args: string[], io: ProgramIo, stdout: CStdoutBuffer): Promise<number> {
  // 2.8.0: "Network UPS Tools - UPS driver controller 2.8.0"; UPS_VERSION is 2.8.0-nut-ts-<ours>
  stdout.write(`Network UPS Tools - UPS driver controller ${UPS_VERSION}\n`);

  const request: Omit<UpsdrvctlRequest, "command"> = {
    testMode: false,
    debugLevel: 0,
    debugPassthrough: false,
  };
  const parser = new Getopt(args, OPTSTRING, io.name);
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    if (r.error !== undefined) io.stderr(r.error);
    switch (r.opt) {
      case "r":
        request.chroot = r.arg!;
        break;
      case "t":
        request.testMode = true;
        break;
      case "u":
        request.user = r.arg!;
        break;
      case "V":
        return 0;
      case "D":
        request.debugLevel++;
        break;
      case "d":
        request.debugPassthrough = true;
        break;
      case "F":
        // 2.8.5: -F foreground, a second -F (-FF) foreground with a PID file
        request.foreground = request.foreground !== undefined && request.foreground > 0 ? 2 : 1;
        break;
      case "B":
        request.foreground = 0;
        break;
      default:
        // -h and anything getopt refused: the help, exit 0 (as 2.8.0)
        stdout.write(helpText(io.name));
        return 0;
    }
  }
  const [command, upsName] = parser.operands();
  if (command === undefined) {
    stdout.write(helpText(io.name));
    return 0;
  }

  const paths = resolveNutPaths(io.env);
  const execPath = process.execPath;
  const host = systemHost({
    stdout,
    stderr: (text) => io.stderr(text),
    env: io.env,
    confPath: confPath(io.env, paths.confPath),
    altPidPath: paths.altPidPath,
    own: {
      execPath,
      ...(runsFromSource(execPath) && Bun.main !== "" ? { script: Bun.main } : {}),
      hasDriver,
    },
  });
  return runUpsdrvctl({ ...request, command, ...(upsName !== undefined ? { upsName } : {}) }, host);
}

/**
 * common.c confpath(): NUT_CONFPATH when set, even empty (unlike the state paths, 2.8.0 does
 * not test it for ""), else the compiled-in path.
 */
function confPath(env: Readonly<Record<string, string | undefined>>, fallback: string): string {
  return env.NUT_CONFPATH ?? fallback;
}
