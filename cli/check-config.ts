import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { ConfigDiagnostic } from "../core/config/config-diagnostic.ts";
import { type ConfigSet, type FileFacts, crossCheck } from "../core/config/cross-check.ts";
import { parseHostsConf } from "../core/config/hosts-conf.ts";
import { resolveNutPaths } from "../core/config/nut-paths.ts";
import { parseNutConf } from "../core/config/nut-conf.ts";
import { parseUpsConf } from "../core/config/ups-conf.ts";
import { parseUpsdConf } from "../core/config/upsd-conf.ts";
import { parseUpsdUsers } from "../core/config/upsd-users.ts";
import { parseUpsmonConf } from "../core/config/upsmon-conf.ts";
import { parseUpsschedConf } from "../core/config/upssched-conf.ts";
import type { ProgramIo } from "./program-io.ts";

/** The files checked, in report order. */
const FILES = ["nut.conf", "ups.conf", "upsd.conf", "upsd.users", "upsmon.conf", "upssched.conf", "hosts.conf"] as const;

const realFacts: FileFacts = {
  mode(path) {
    try {
      return statSync(path).mode & 0o7777;
    } catch {
      return undefined;
    }
  },
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  exists: (path) => existsSync(path),
  localHosts: [hostname()],
};

function usage(io: ProgramIo): void {
  io.stdout(
    `Usage: ${io.name} check-config [--confpath DIR] [--strict]\n\n` +
      "Validates every NUT config file in DIR (default: $NUT_CONFPATH or /etc/nut) and the\n" +
      "references between them. Prints each problem as FILE:LINE: severity: message.\n" +
      "Exit status: 1 if any error was found (or any warning, with --strict), 0 otherwise.\n",
  );
}

/** `nut check-config [--confpath DIR] [--strict]`. */
export async function main(args: string[], io: ProgramIo, facts: FileFacts = realFacts): Promise<number> {
  let dir: string | undefined;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h" || arg === "--help") {
      usage(io);
      return 0;
    } else if (arg === "--strict") strict = true;
    else if (arg === "--confpath" || arg === "-c") {
      dir = args[++i];
      if (dir === undefined) {
        io.stderr(`${io.name} check-config: ${arg} needs a directory\n`);
        return 1;
      }
    } else if (arg.startsWith("--confpath=")) dir = arg.slice("--confpath=".length);
    else {
      io.stderr(`${io.name} check-config: unexpected argument "${arg}" (see --help)\n`);
      return 1;
    }
  }
  dir ??= resolveNutPaths(io.env).confPath;

  const diagnostics: ConfigDiagnostic[] = [];
  const set: ConfigSet = {};
  let found = 0;
  for (const name of FILES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    found++;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      diagnostics.push({ file, line: 0, severity: "error", message: `cannot be read: ${(err as Error).message}` });
      continue;
    }
    switch (name) {
      case "nut.conf": {
        const r = parseNutConf(bytes, file);
        set.nutConf = { file, config: r.config };
        diagnostics.push(...r.diagnostics);
        break;
      }
      case "ups.conf": {
        const r = parseUpsConf(bytes, file);
        set.upsConf = { file, config: r.config };
        diagnostics.push(...r.diagnostics);
        break;
      }
      case "upsd.conf": {
        const r = parseUpsdConf(bytes, file);
        set.upsdConf = { file, config: r.config };
        diagnostics.push(...r.diagnostics);
        break;
      }
      case "upsd.users": {
        const r = parseUpsdUsers(bytes, file);
        set.upsdUsers = { file, config: r.config };
        diagnostics.push(...r.diagnostics);
        break;
      }
      case "upsmon.conf": {
        const r = parseUpsmonConf(bytes, file);
        set.upsmonConf = { file, config: r.config };
        diagnostics.push(...r.diagnostics);
        break;
      }
      case "upssched.conf": {
        const r = parseUpsschedConf(bytes, file);
        set.upsschedConf = { file, config: r.config };
        diagnostics.push(...r.diagnostics);
        break;
      }
      case "hosts.conf":
        diagnostics.push(...parseHostsConf(bytes, file).diagnostics);
        break;
    }
  }
  if (found === 0) {
    io.stderr(`${io.name} check-config: no NUT config file (${FILES.join(", ")}) in ${dir}\n`);
    return 1;
  }
  diagnostics.push(...crossCheck(set, facts));

  const order = (file: string): number => FILES.findIndex((f) => file === join(dir!, f));
  diagnostics.sort((a, b) => order(a.file) - order(b.file) || a.line - b.line);
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "warning") warnings++;
    else errors++;
    const where = d.line > 0 ? `${d.file}:${d.line}` : d.file;
    // readers keep NUT's own texts, some of which start with the severity already
    const message = d.message.replace(/^(Fatal error|Warning|Error): /, "");
    io.stdout(`${where}: ${d.severity}: ${message}\n`);
  }
  io.stderr(`check-config: ${found} file(s) in ${dir}: ${errors} error(s), ${warnings} warning(s)\n`);
  return errors > 0 || (strict && warnings > 0) ? 1 : 0;
}
