import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** The NUT DDL device dumps copied into test/fixtures/nut-ddl (see its README for the source). */
export const DDL_DIR = resolve(import.meta.dir, "../fixtures/nut-ddl");

/** Every `.dev` file under `dir` (default: the whole DDL), sorted by path. */
export function ddlDevFiles(dir: string = DDL_DIR): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...ddlDevFiles(path));
    else if (path.endsWith(".dev")) out.push(path);
  }
  return out.sort();
}
