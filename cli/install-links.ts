import { lstatSync, realpathSync, statSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { ProgramIo } from "./program-io.ts";
import { PROGRAMS } from "./programs.ts";

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * `nut install-links [--force] DIR` (busybox --install): one symlink per program in DIR,
 * pointing at this binary. An existing link to this binary is kept; any other file is left
 * alone and reported unless --force.
 */
export async function installLinks(args: string[], io: ProgramIo, binary = process.execPath): Promise<number> {
  let force = false;
  const operands: string[] = [];
  for (const arg of args) {
    if (arg === "--force" || arg === "-f") force = true;
    else if (arg.startsWith("-") && arg !== "-") {
      io.stderr(`${io.name} install-links: unknown option "${arg}"\n`);
      return 1;
    } else operands.push(arg);
  }
  const dir = operands[0];
  if (dir === undefined || operands.length > 1) {
    io.stderr(`Usage: ${io.name} install-links [--force] DIR\n`);
    return 1;
  }
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a directory");
  } catch (err) {
    io.stderr(`${io.name} install-links: cannot use "${dir}": ${(err as Error).message}\n`);
    return 1;
  }
  let failures = 0;
  for (const program of PROGRAMS) {
    const link = join(dir, program.name);
    let exists = true;
    try {
      lstatSync(link);
    } catch {
      exists = false;
    }
    if (exists) {
      if (sameFile(link, binary) && lstatSync(link).isSymbolicLink()) continue;
      if (!force) {
        io.stderr(`${io.name} install-links: ${link} exists and is not a link to ${binary}: left alone (use --force to replace it)\n`);
        failures++;
        continue;
      }
      unlinkSync(link);
    }
    try {
      symlinkSync(binary, link);
    } catch (err) {
      io.stderr(`${io.name} install-links: cannot create ${link}: ${(err as Error).message}\n`);
      failures++;
    }
  }
  return failures === 0 ? 0 : 1;
}
