import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DUMMY_MAX_VALUE_LEN, parseDevFile } from "./dev-file.ts";

// Expectations from drivers/dummy-ups.c parse_data_file() at v2.8.0; the edge-cases.dev results
// were checked against Debian's dummy-ups (see dumpall-oracle.test.ts).

const here = import.meta.dir;

describe("parseDevFile on edge-cases.dev", () => {
  const r = parseDevFile(readFileSync(join(here, "testdata/edge-cases.dev")));

  test("steps", () => {
    expect(r.steps).toEqual([
      { kind: "set", line: 2, name: "ups.mfr", value: 'Acme "Power" \\ Inc' },
      { kind: "set", line: 3, name: "ups.id", value: "a#b c d" },
      // the rest of line 4 after the `#` in quotes is a line of its own
      { kind: "set", line: 4, name: 'y"', value: "trailing" },
      { kind: "set", line: 5, name: "weird", value: "value" },
      { kind: "set", line: 6, name: "ups.serial", value: "value" },
      { kind: "delete", line: 7, name: "ups.firmware" },
      { kind: "status", line: 8, name: "ups.status", tokens: ["OB", "LB"] },
      { kind: "set", line: 9, name: "ALARM", value: "something bad" },
      { kind: "set", line: 10, name: "battery.charge", value: "50" },
      { kind: "set", line: 11, name: "Battery.Charge", value: "60" },
      { kind: "set", line: 12, name: "ups.test.result", value: "DONE" },
      { kind: "set", line: 13, name: "ups.test.result", value: "done" },
      { kind: "set", line: 14, name: "input.voltage", value: "230 = 1" },
      { kind: "set", line: 15, name: "ambient.temperature", value: "21.5" },
      { kind: "set", line: 16, name: "outlet.1.desc", value: "spaced word" },
      { kind: "set", line: 17, name: "ups.load", value: "42" },
      { kind: "set", line: 19, name: "outlet.10.desc", value: "ten" },
      { kind: "set", line: 20, name: "outlet.2.desc", value: "two" },
      { kind: "set", line: 21, name: "outlet_x", value: "underscore" },
      { kind: "set", line: 22, name: "outlet-y", value: "dash" },
      { kind: "set", line: 23, name: "OUTLET.A", value: "upper" },
      { kind: "set", line: 24, name: "", value: "orphan" },
      { kind: "set", line: 25, name: "ups.contacts", value: "caf ok" },
      { kind: "set", line: 26, name: "ups.location", value: "tabhere" },
      { kind: "set", line: 27, name: "device.description", value: "x".repeat(DUMMY_MAX_VALUE_LEN - 1) },
      { kind: "set", line: 30, name: "ups.beeper.status", value: "never closedups.delay.start: 5" },
    ]);
  });

  test("diagnostics and skipped lines", () => {
    expect(r.diagnostics.map((d) => d.line)).toEqual([4, 6, 24, 25, 26, 27, 30, 31]);
    expect(r.diagnostics[0]!.message).toContain("Unbalanced word due to unescaped # in quotes");
    expect(r.diagnostics[1]!.message).toContain('reuses the previous line\'s value "value"');
    expect(r.diagnostics[3]!.message).toContain("0xc3 0xa9");
    expect(r.diagnostics[6]!.message).toContain("newline inside quotes");
    expect(r.skipped).toEqual([
      { line: 28, name: "driver.parameter.port" },
      { line: 29, name: "driver.name" },
    ]);
  });
});

describe("parseDevFile rules", () => {
  test("comments, blank lines, `name v` without colon, first-colon cut", () => {
    const r = parseDevFile("# c\n\n   \nbattery.charge 90\nweird:name: v\n#CMD:load.off\n");
    expect(r.steps).toEqual([
      { kind: "set", line: 4, name: "battery.charge", value: "90" },
      { kind: "set", line: 5, name: "weird", value: "v" },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  test("driver.* is skipped by a case-sensitive prefix test", () => {
    const r = parseDevFile("driver.name: x\nDriver.name: y\n");
    expect(r.skipped).toEqual([{ line: 1, name: "driver.name" }]);
    expect(r.steps).toEqual([{ kind: "set", line: 2, name: "Driver.name", value: "y" }]);
  });

  test("any name starting with ups.status goes through the status helpers, even without tokens", () => {
    expect(parseDevFile("ups.status: OL  CHRG\nups.status.x: OB\nups.status:\n").steps).toEqual([
      { kind: "status", line: 1, name: "ups.status", tokens: ["OL", "CHRG"] },
      { kind: "status", line: 2, name: "ups.status.x", tokens: ["OB"] },
      { kind: "status", line: 3, name: "ups.status", tokens: [] },
    ]);
  });

  test("TIMER: prefix test before the colon cut, atoi, and it ends a pass", () => {
    const r = parseDevFile("a: 1\nTIMER 5\nb:\nTIMERS: 7x\nc: 2\nTIMER -3\n");
    expect(r.steps).toEqual([
      { kind: "set", line: 1, name: "a", value: "1" },
      { kind: "timer", line: 2, seconds: 5 },
      // new pass: var_value is uninitialised in C; treated as empty = delete
      { kind: "delete", line: 3, name: "b" },
      { kind: "timer", line: 4, seconds: 7 },
      { kind: "set", line: 5, name: "c", value: "2" },
      { kind: "timer", line: 6, seconds: -3 },
    ]);
    expect(r.diagnostics).toEqual([{ line: 3, message: "no value for b (uninitialised buffer in NUT): treated as empty, which deletes it" }]);
  });

  test("the empty-value quirk reuses the last value of the pass, not a status line's", () => {
    const r = parseDevFile('ups.productid: 0000\nups.status: OL\nups.serial:\nx: ""\ny:\n');
    expect(r.steps).toEqual([
      { kind: "set", line: 1, name: "ups.productid", value: "0000" },
      { kind: "status", line: 2, name: "ups.status", tokens: ["OL"] },
      { kind: "set", line: 3, name: "ups.serial", value: "0000" },
      { kind: "delete", line: 4, name: "x" },
      { kind: "delete", line: 5, name: "y" },
    ]);
  });

  test("TIMER without a number reads parseconf's stale second word", () => {
    const r = parseDevFile("a: 12 b\nTIMER\n");
    expect(r.steps[1]).toEqual({ kind: "timer", line: 2, seconds: 12 });
    expect(r.diagnostics[0]!.message).toContain('stale word "12"');
    const none = parseDevFile("TIMER\n");
    expect(none.steps).toEqual([{ kind: "timer", line: 1, seconds: 0 }]);
    expect(none.diagnostics).toHaveLength(1);
  });

  test("a last one-word line without final LF is lost, as parseconf loses it", () => {
    const r = parseDevFile("a: 1\nups.serial:");
    expect(r.steps).toEqual([{ kind: "set", line: 1, name: "a", value: "1" }]);
    expect(r.diagnostics).toEqual([{ line: 2, message: 'last line "ups.serial:" has one word and no final newline: NUT ignores it' }]);
    expect(parseDevFile("a: 1").steps).toEqual([{ kind: "set", line: 1, name: "a", value: "1" }]);
  });

  test("values are joined with single spaces and cut at 127 chars", () => {
    const r = parseDevFile(`v:\t a   b\t\tc \nw: ${"y".repeat(100)} ${"z".repeat(100)}\n`);
    expect(r.steps[0]).toEqual({ kind: "set", line: 1, name: "v", value: "a b c" });
    expect(r.steps[1]).toEqual({ kind: "set", line: 2, name: "w", value: `${"y".repeat(100)} ${"z".repeat(26)}` });
  });

  test("string and bytes input agree", () => {
    const text = "a: é\n";
    expect(parseDevFile(text)).toEqual(parseDevFile(new TextEncoder().encode(text)));
  });
});

describe("real files", () => {
  test("evolution500.seq: three TIMERs after the base dump", () => {
    const r = parseDevFile(readFileSync(join(here, "testdata/evolution500.seq")));
    expect(r.diagnostics).toEqual([]);
    expect(r.steps.filter((s) => s.kind === "timer").map((s) => (s.kind === "timer" ? s.seconds : 0))).toEqual([300, 300, 60]);
    const statuses = r.steps.filter((s) => s.kind === "status").map((s) => (s.kind === "status" ? s.tokens.join(" ") : ""));
    expect(statuses).toEqual(["OL CHRG", "OB DISCHRG", "OB LB DISCHRG"]);
    expect(r.skipped.map((s) => s.name)).toEqual(["driver.name", "driver.parameter.port", "driver.version", "driver.version.data", "driver.version.internal"]);
  });

  test("epdu-managed.dev: NUT's own example hits the empty-value quirk (ups.macaddr gets ups.id's value)", () => {
    const r = parseDevFile(readFileSync(join(here, "testdata/epdu-managed.dev")));
    expect(r.diagnostics).toEqual([{ line: 64, message: 'no value for ups.macaddr: dummy-ups reuses the previous line\'s value "my_device234"' }]);
    expect(r.steps.find((s) => s.line === 64)).toEqual({ kind: "set", line: 64, name: "ups.macaddr", value: "my_device234" });
    expect(r.steps.length).toBeGreaterThan(50);
    expect(r.steps.every((s) => s.kind === "set" || s.kind === "status")).toBe(true);
  });

  test("every nut-ddl .dev file parses without throwing", () => {
    const root = resolve(here, "../../test/fixtures/nut-ddl");
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".dev")) files.push(p);
      }
    };
    walk(root);
    expect(files).toHaveLength(718);
    let steps = 0;
    for (const f of files) {
      const r = parseDevFile(readFileSync(f));
      steps += r.steps.length;
      for (const d of r.diagnostics) expect(d.line).toBeGreaterThan(0);
    }
    expect(steps).toBeGreaterThan(718 * 10);
  });
});
