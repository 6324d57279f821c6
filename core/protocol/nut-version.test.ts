import { expect, test } from "bun:test";
import pkg from "../../package.json" with { type: "json" };
import { NUT_TS_VERSION, UPS_VERSION } from "./nut-version.ts";

test("NUT_TS_VERSION is package.json's version", () => {
  expect(NUT_TS_VERSION).toBe(pkg.version);
  expect(UPS_VERSION).toBe(`2.8.0-nut-ts-${pkg.version}`);
});
