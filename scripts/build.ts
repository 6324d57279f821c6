// Builds dist/nut, the one multicall binary, with the flags DEVELOPERS.md requires:
// no .env/bunfig autoload (a root daemon must not read them from its cwd), bytecode + ESM
// (fast start, top-level await allowed), embedded sourcemap (readable stack traces).
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const root = join(import.meta.dir, "..");
// NUT_TS_OUTFILE builds elsewhere (parallel work trees must not overwrite each other's binary)
const outfile = process.env.NUT_TS_OUTFILE ?? join(root, "dist", "nut");
const outDir = dirname(outfile);
mkdirSync(outDir, { recursive: true });
// the chunk maps carry a content hash in their names: without this every build adds a set
for (const name of readdirSync(outDir)) if (name.endsWith(".js.map") || name === `${basename(outfile)}.map`) rmSync(join(outDir, name));
const args = [
  "build", "--compile",
  "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
  "--bytecode", "--format=esm", "--sourcemap",
  // one chunk per lazily imported program: without it the bundler hoists every program's
  // imports (node:fs, node:net …) to the entry and each start pays for all of them
  "--splitting",
  join(root, "cli", "main.ts"),
  "--outfile", outfile,
];
const started = performance.now();
const proc = Bun.spawnSync([process.execPath, ...args], { cwd: root, stdout: "pipe", stderr: "pipe" });
if (proc.exitCode !== 0) {
  process.stderr.write(proc.stdout.toString() + proc.stderr.toString());
  process.stderr.write(`build: bun build failed with status ${proc.exitCode}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`build: ${outfile} (${Math.round(performance.now() - started)} ms)\n`);
}
