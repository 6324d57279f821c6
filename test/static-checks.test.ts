import { expect, test } from "bun:test";
import { join } from "node:path";
import { runCommand } from "./harness/nut-binary.ts";

const root = join(import.meta.dir, "..");
const bun = process.execPath;

test("tsc --noEmit reports no type error", () => {
  const r = runCommand([join(root, "node_modules", ".bin", "tsc"), "--noEmit", "-p", root], { cwd: root, timeoutMs: 120_000 });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
});

test("every import follows the layer rules (scripts/check-imports.ts)", () => {
  const r = runCommand([bun, join(root, "scripts", "check-imports.ts")], { cwd: root, timeoutMs: 60_000 });
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
});
