// Builds dist/nut, the one multicall binary, with the flags DEVELOPERS.md requires:
// no .env/bunfig autoload (a root daemon must not read them from its cwd), bytecode + ESM
// (fast start, top-level await allowed), embedded sourcemap (readable stack traces).
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const outfile = join(root, "dist", "nut");
mkdirSync(join(root, "dist"), { recursive: true });
// the chunk maps carry a content hash in their names: without this every build adds a set
for (const name of readdirSync(join(root, "dist"))) if (name.endsWith(".map")) rmSync(join(root, "dist", name));
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
