import { expect, test } from "bun:test";
import { formatG } from "./clone.ts";

test("formatG() prints as C's %g", () => {
  for (const [v, s] of [[0, "0"], [20, "20"], [120.5, "120.5"], [1e6, "1e+06"], [123456, "123456"], [0.0001, "0.0001"], [0.00001, "1e-05"], [-3.25, "-3.25"], [1 / 3, "0.333333"]] as const) {
    expect(formatG(v)).toBe(s);
  }
});
