// `npm test`: builds dist/nut (the e2e tests run the compiled binary), runs the whole suite with
// bun test, then prints `N passed, N failed` from the JUnit report, the line CI reads.
// bun test's own exit status is kept.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const build = Bun.spawnSync([process.execPath, join(root, "scripts", "build.ts")], { cwd: root, stdout: "inherit", stderr: "inherit" });
if (build.exitCode !== 0) {
  process.stdout.write("0 passed, 1 failed\n");
  process.exit(1);
}
const outDir = join(root, ".test-output");
const report = join(outDir, "junit.xml");
mkdirSync(outDir, { recursive: true });
rmSync(report, { force: true });
const run = Bun.spawnSync(
  [process.execPath, "test", "--timeout=120000", "--reporter=junit", `--reporter-outfile=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdout: "inherit", stderr: "inherit", env: process.env },
);
let summary = "0 passed, 1 failed";
try {
  const xml = readFileSync(report, "utf8");
  const root = /<testsuites\b([^>]*)>/.exec(xml)?.[1] ?? "";
  const attr = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? "0");
  const tests = attr("tests");
  const failed = attr("failures") + attr("errors");
  const skipped = attr("skipped");
  summary = `${tests - failed - skipped} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : "");
  if (tests === 0) summary = "0 passed, 1 failed";
} catch {
  process.stderr.write(`test: no JUnit report at ${report}\n`);
}
process.stdout.write(`${summary}\n`);
process.exitCode = run.exitCode === 0 && !summary.startsWith("0 passed, 1") ? 0 : 1;
