import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { UPSSCHED_COMMANDS, parseUpsschedConf } from "./upssched-conf.ts";

const FILE = "/etc/nut/upssched.conf";
const HEAD = ["CMDSCRIPT /usr/local/bin/upssched-cmd", "PIPEFN /run/nut/upssched/upssched.pipe", "LOCKFN /run/nut/upssched/upssched.lock"];

function parse(lines: string[]) {
  return parseUpsschedConf(`${lines.join("\n")}\n`, FILE);
}

function rows(diagnostics: readonly ConfigDiagnostic[], file = FILE): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(file);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

describe("parseUpsschedConf() on Debian's sample", () => {
  test("Debian's upssched.conf sets only CMDSCRIPT and parses cleanly", () => {
    const path = copyDebianSample("upssched.conf");
    const { config, diagnostics } = parseUpsschedConf(readFileSync(path), path);
    expect(rows(diagnostics, path)).toEqual([]);
    expect(config).toEqual({ cmdScript: { value: "/bin/upssched-cmd", line: 17 }, at: [] });
  });

  test("uncommenting the sample's PIPEFN, LOCKFN and example ATs gives a working file", () => {
    const path = copyDebianSample("upssched.conf");
    const text = readFileSync(path, "utf8").replace(/^# ((PIPEFN|LOCKFN) \/.*)$/gm, "$1").replace(/^# {3}(AT .*)$/gm, "$1");
    const { config, diagnostics } = parseUpsschedConf(text, path);
    expect(diagnostics).toEqual([]);
    expect(config.pipeFn).toEqual({ value: "/run/nut/upssched/upssched.pipe", line: 44 });
    expect(config.lockFn).toEqual({ value: "/run/nut/upssched/upssched.lock", line: 59 });
    expect(config.at.map((a) => [a.notifyType, a.upsName, a.command, a.args])).toEqual([
      ["COMMBAD", "*", "START-TIMER", ["upsgone", "10"]],
      ["ONBATT", "*", "START-TIMER", ["onbattwarn", "30"]],
      ["COMMOK", "myups@localhost", "CANCEL-TIMER", ["upsgone"]],
      ["ONLINE", "*", "CANCEL-TIMER", ["onbattwarn"]],
      ["ONLINE", "*", "EXECUTE", ["ups-back-on-line"]],
    ]);
  });
});

describe("parseUpsschedConf() directives", () => {
  test("CMDSCRIPT, PIPEFN, LOCKFN, DEBUG_MIN and every AT command", () => {
    const { config, diagnostics } = parse([
      ...HEAD,
      "DEBUG_MIN 2",
      "AT ONBATT * START-TIMER onbatt 30",
      "AT onbatt ups@host START-TIMER-SHARED shared 15",
      "AT ONLINE * CANCEL-TIMER onbatt",
      "AT ONLINE * CANCEL-TIMER onbatt online-too-late",
      "AT LOWBATT ups@host EXECUTE lowbatt",
    ]);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      cmdScript: { value: "/usr/local/bin/upssched-cmd", line: 1 },
      pipeFn: { value: "/run/nut/upssched/upssched.pipe", line: 2 },
      lockFn: { value: "/run/nut/upssched/upssched.lock", line: 3 },
      debugMin: { value: 2, line: 4 },
      at: [
        { notifyType: "ONBATT", upsName: "*", command: "START-TIMER", args: ["onbatt", "30"], line: 5 },
        { notifyType: "ONBATT", upsName: "ups@host", command: "START-TIMER-SHARED", args: ["shared", "15"], line: 6 },
        { notifyType: "ONLINE", upsName: "*", command: "CANCEL-TIMER", args: ["onbatt"], line: 7 },
        { notifyType: "ONLINE", upsName: "*", command: "CANCEL-TIMER", args: ["onbatt", "online-too-late"], line: 8 },
        { notifyType: "LOWBATT", upsName: "ups@host", command: "EXECUTE", args: ["lowbatt"], line: 9 },
      ],
    });
    expect([...UPSSCHED_COMMANDS]).toEqual(["START-TIMER", "START-TIMER-SHARED", "CANCEL-TIMER", "EXECUTE"]);
  });

  test("a later CMDSCRIPT replaces the earlier one", () => {
    const { config } = parse([...HEAD, "CMDSCRIPT /other"]);
    expect(config.cmdScript).toEqual({ value: "/other", line: 4 });
  });
});

describe("parseUpsschedConf() diagnostics", () => {
  test("an AT before CMDSCRIPT is fatal with NUT's text, once [obs]", () => {
    const { diagnostics } = parse(["AT ONBATT * EXECUTE x", "AT ONBATT * EXECUTE y", ...HEAD]);
    expect(rows(diagnostics)).toEqual([[1, "fatal", "CMDSCRIPT must be set before any ATs in the config file!"]]);
  });

  test("PIPEFN, then LOCKFN, are checked in that order [obs]", () => {
    expect(rows(parse([HEAD[0]!, "AT ONBATT * EXECUTE x"]).diagnostics)).toEqual([
      [2, "fatal", "PIPEFN must be set before any ATs in the config file!"],
    ]);
    expect(rows(parse([HEAD[0]!, HEAD[1]!, "AT ONBATT * EXECUTE x"]).diagnostics)).toEqual([
      [3, "fatal", "LOCKFN must be set before any ATs in the config file!"],
    ]);
  });

  test("short lines and unknown directives are invalid directives; a short AT is not fatal [obs]", () => {
    const { diagnostics } = parse(["CMDSCRIPT /bin/true", "AT ONBATT", "AT ONBATT * EXECUTE", "PIPEFN", "at ONBATT * EXECUTE x", "FOO bar baz qux quux"]);
    expect(rows(diagnostics)).toEqual([
      [2, "error", "invalid directive AT ONBATT"],
      [3, "error", "invalid directive AT ONBATT * EXECUTE"],
      [4, "error", "invalid directive PIPEFN"],
      [5, "error", "invalid directive at ONBATT * EXECUTE x"],
      [6, "error", "invalid directive FOO bar baz qux quux"],
    ]);
  });

  test("unknown AT commands: `Invalid command: x`, CANCEL-TIMER-MATCHED included", () => {
    const { config, diagnostics } = parse([...HEAD, "AT ONBATT * START-TIMERS t 5", "AT ONLINE * CANCEL-TIMER-MATCHED t", "AT ONLINE * execute x"]);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "Invalid command: START-TIMERS"],
      [5, "error", "Invalid command: CANCEL-TIMER-MATCHED (documented for 2.8.5, but upssched rejects it)"],
      [6, "error", "Invalid command: execute"],
    ]);
    expect(config.at).toEqual([]);
  });

  test("an unknown notify type never matches", () => {
    const { config, diagnostics } = parse([...HEAD, "AT ONBATTERY * EXECUTE x"]);
    expect(rows(diagnostics)).toEqual([[4, "warning", "unknown notify type [ONBATTERY]: this AT never matches"]]);
    expect(config.at[0]?.notifyType).toBe("ONBATTERY");
  });

  test("START-TIMER without an interval, with a negative or non-numeric one", () => {
    const { config, diagnostics } = parse([
      ...HEAD,
      "AT ONBATT * START-TIMER t",
      "AT ONBATT * START-TIMER-SHARED t",
      "AT ONBATT * START-TIMER t -5",
      "AT ONBATT * START-TIMER t 10s",
      "AT ONBATT * START-TIMER t soon",
    ]);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "START-TIMER needs a timer name and an interval: the timer daemon rejects the request"],
      [5, "error", "START-TIMER-SHARED needs a timer name and an interval: the timer daemon rejects the request"],
      [6, "error", 'negative timer interval [-5]: the timer daemon logs "bogus offset for timer, ignoring"'],
      [7, "warning", "timer interval [10s] is not an integer: the timer daemon reads it as 10"],
      [8, "warning", "timer interval [soon] is not an integer: the timer daemon reads it as 0"],
    ]);
    expect(config.at.map((a) => a.args)).toEqual([
      ["t", "10s"],
      ["t", "soon"],
    ]);
  });

  test("EXECUTE with an empty or a second argument; shell-special arguments", () => {
    const { config, diagnostics } = parse([
      ...HEAD,
      'AT ONBATT * EXECUTE ""',
      "AT ONBATT * EXECUTE one two",
      'AT ONBATT * EXECUTE "hello world"',
      'AT ONBATT * START-TIMER "a;b" 5',
      'AT ONLINE * CANCEL-TIMER t "late $x"',
    ]);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "Empty EXECUTE command argument"],
      [5, "warning", "EXECUTE takes one argument: upssched ignores [two]"],
      [6, "warning", "command [hello world] contains blanks or shell characters: upssched passes it to CMDSCRIPT through the shell unquoted"],
      [7, "warning", "timer name [a;b] contains blanks or shell characters: upssched passes it to CMDSCRIPT through the shell unquoted"],
      [8, "warning", "command [late $x] contains blanks or shell characters: upssched passes it to CMDSCRIPT through the shell unquoted"],
    ]);
    expect(config.at.map((a) => a.args)).toEqual([["one"], ["hello world"], ["a;b", "5"], ["t", "late $x"]]);
  });

  test("words past the second command argument, and past a one-word directive", () => {
    const { diagnostics } = parse([...HEAD, "AT ONBATT * START-TIMER t 5 extra more", "LOCKFN /a /b"]);
    expect(rows(diagnostics)).toEqual([
      [4, "warning", "AT takes at most two command arguments: upssched ignores the rest (extra more)"],
      [5, "warning", "LOCKFN uses one argument: upssched ignores the rest (/b)"],
    ]);
  });

  test("an unreadable DEBUG_MIN is ignored", () => {
    const { config, diagnostics } = parse([...HEAD, "DEBUG_MIN high"]);
    expect(rows(diagnostics)).toEqual([[4, "error", "invalid DEBUG_MIN value [high]: upssched ignores it"]]);
    expect(Object.hasOwn(config, "debugMin")).toBe(false);
  });
});
