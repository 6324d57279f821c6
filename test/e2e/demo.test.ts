import { expect, test } from "bun:test";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

test("nut demo serves the built-in UPS through dummy-ups and shows the power cut", { timeout: 40_000 }, () => {
  const r = runCommand([NUT_BINARY, "demo", "--seconds", "6"], { timeoutMs: 30_000 });
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
  const lines = r.stdout.split("\n");
  expect(lines).toContain("ups.status: OL");
  expect(lines).toContain("device.model: Back-UPS ES 525");
  expect(lines).toContain("driver.name: dummy-ups");
  expect(lines.some((l) => /^\[\+ ?\d+ s\] ups\.status: OB DISCHRG$/.test(l))).toBe(true);
});
