// Enforces the dependency direction of the layout (the rules README.md lists under Layout):
// pure layers import no I/O, only ffi/ touches bun:ffi, process boundaries of NUT stay
// boundaries (upsd never imports a driver, upsmon reaches upsd only through the client).
// Also: no default exports and no index.ts barrels. Exits 1 listing every violation.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const root = resolve(join(import.meta.dir, ".."));
const FOLDERS = ["cli", "core", "drivers", "ffi", "test", "scripts"];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const PURE = ["core/config", "core/state", "core/protocol"];
const under = (file: string, folder: string): boolean => file === folder || file.startsWith(`${folder}/`);
const isPure = (f: string): boolean => PURE.some((p) => under(f, p));
const driverName = (f: string): string | undefined => {
  const m = /^drivers\/([^/]+)\//.exec(f);
  return m && m[1] !== "framework" && m[1] !== "transport" ? m[1] : undefined;
};

/** Why `from` may not import `target` (a repo-relative path or a bare specifier), or undefined. */
export function violation(from: string, target: string, bare: boolean, isTest: boolean): string | undefined {
  if (target === "bun:ffi" && !under(from, "ffi")) return "only ffi/ may import bun:ffi";
  if (isTest || under(from, "test") || under(from, "scripts")) {
    return !bare && under(target, "cli") && !under(from, "test") && !under(from, "scripts") && !under(from, "cli") ? "nothing outside cli/ imports cli/" : undefined;
  }
  if (bare) {
    if (isPure(from)) return `pure layer ${from.split("/").slice(0, 2).join("/")} may not import "${target}"`;
    if (under(from, "ffi") && target !== "bun:ffi") return `ffi/ may import only bun:ffi, not "${target}"`;
    return undefined;
  }
  if (under(target, "test")) return "only tests import test/";
  if (under(target, "cli") && !under(from, "cli")) return "nothing outside cli/ imports cli/";
  if (under(target, "scripts")) return "nothing imports scripts/";
  if (isPure(from) && !isPure(target)) return `pure layer may not import ${target}`;
  if (under(target, "ffi") && !under(from, "ffi") && !under(from, "drivers/transport")) return "only drivers/transport imports ffi/";
  if (under(from, "ffi") && !under(target, "ffi")) return "ffi/ imports only ffi/";
  if (under(from, "core/server") && (under(target, "drivers") || under(target, "core/monitor") || under(target, "core/scanner"))) {
    return "upsd (core/server) talks to drivers only through the socket protocol";
  }
  if (under(from, "core/monitor") && (under(target, "core/server") || under(target, "drivers"))) {
    return "upsmon (core/monitor) reaches upsd only through core/client";
  }
  if (under(from, "core/client") && (under(target, "core/server") || under(target, "core/monitor") || under(target, "drivers"))) {
    return "core/client is below the programs";
  }
  if (under(from, "core/scanner") && under(target, "drivers") && !under(target, "drivers/transport") && !/\/usb-ids\.ts$/.test(target)) {
    return "core/scanner may use only drivers/transport and the drivers' usb-ids.ts data";
  }
  const a = driverName(from);
  const b = driverName(target);
  const sharedData = under(from, "core/scanner") && /\/usb-ids\.ts$/.test(target);
  if (b !== undefined && a !== b && !under(from, "cli") && !sharedData) return `drivers/${b} is private to that driver`;
  if ((under(target, "drivers/framework") || under(target, "drivers/transport")) && !under(from, "drivers") && !under(from, "cli") && !under(from, "core/scanner")) {
    return "driver internals are for drivers";
  }
  return undefined;
}

function check(): string[] {
  const transpiler = new Bun.Transpiler({ loader: "ts" });
  const problems: string[] = [];
  const files = FOLDERS.flatMap((f) => {
    try {
      return walk(join(root, f), []);
    } catch {
      return [];
    }
  });
  for (const abs of files) {
    const from = relative(root, abs).split(sep).join("/");
    const isTest = /\.test\.ts$/.test(from) || /\.suite\.ts$/.test(from);
    const source = readFileSync(abs, "utf8");
    if (/\/index\.tsx?$/.test(from)) problems.push(`${from}: no index.ts barrels: import the file that defines the thing`);
    if (/^\s*export\s+default\b/m.test(source)) problems.push(`${from}: no default exports`);
    let imports: { path: string }[];
    try {
      imports = transpiler.scanImports(source);
    } catch (err) {
      problems.push(`${from}: cannot scan imports: ${(err as Error).message}`);
      continue;
    }
    for (const { path } of imports) {
      const target = path.startsWith(".") ? relative(root, resolve(dirname(abs), path)).split(sep).join("/") : path;
      const why = violation(from, target, !path.startsWith("."), isTest);
      if (why) problems.push(`${from}: imports ${path}: ${why}`);
    }
  }
  return problems;
}

if (import.meta.main) {
  const problems = check();
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exitCode = 1;
  else console.log("check-imports: every import follows the layer rules");
}
