import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { NUT_CONF_VARIABLES, NUT_MODES, parseNutConf } from "./nut-conf.ts";

const FILE = "/etc/nut/nut.conf";

function parse(lines: string[]) {
  return parseNutConf(`${lines.join("\n")}\n`, FILE);
}

function rows(diagnostics: readonly ConfigDiagnostic[], file = FILE): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(file);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

/** What /bin/sh leaves in the variables after sourcing `text` (the oracle for the lexer). */
function sourceWithSh(text: string, names: string[]): Record<string, string | null> {
  const dir = mkdtempSync(join(tmpdir(), "nut-conf-"));
  const file = join(dir, "nut.conf");
  writeFileSync(file, text);
  const script = `. "$1" >/dev/null 2>&1; shift; for v in "$@"; do eval "if [ -n \\"\\\${$v+x}\\" ]; then printf '%s=%s\\\\0' \\"$v\\" \\"\\$$v\\"; fi"; done`;
  let out: string;
  try {
    out = execFileSync("/bin/sh", ["-c", script, "sh", file, ...names], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result: Record<string, string | null> = Object.fromEntries(names.map((n) => [n, null]));
  for (const entry of out.split("\0")) {
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    result[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return result;
}

/** The variables the reader found, in the same shape. */
function values(text: string, names: string[]): Record<string, string | null> {
  const { config } = parseNutConf(text, FILE);
  return Object.fromEntries(names.map((n) => [n, config.variables.get(n)?.value ?? null]));
}

describe("parseNutConf() on Debian's sample", () => {
  test("Debian's nut.conf sets MODE=none and nothing else", () => {
    const path = copyDebianSample("nut.conf");
    const { config, diagnostics } = parseNutConf(readFileSync(path), path);
    expect(rows(diagnostics, path)).toEqual([]);
    expect(config.mode).toBe("none");
    expect([...config.variables]).toEqual([["MODE", { value: "none", line: 33, exported: false }]]);
  });

  test("uncommenting the sample's ALLOW_NO_DEVICE pair sets and exports it", () => {
    const path = copyDebianSample("nut.conf");
    const text = readFileSync(path, "utf8").replace(/^#(ALLOW_NO_DEVICE=true|export ALLOW_NO_DEVICE)$/gm, "$1");
    const { config, diagnostics } = parseNutConf(text, path);
    expect(diagnostics).toEqual([]);
    expect(config.variables.get("ALLOW_NO_DEVICE")).toEqual({ value: "true", line: 38, exported: true });
  });
});

describe("parseNutConf() shell syntax", () => {
  const NAMES = ["MODE", "UPSD_OPTIONS", "UPSMON_OPTIONS", "POWEROFF_WAIT", "NUT_DEBUG_LEVEL"];
  const cases: [string, string][] = [
    ["plain", "MODE=standalone\n"],
    ["double quotes with escapes", 'UPSD_OPTIONS="-D -u \\"nut\\" \\\\x \\q"\nMODE=none\n'],
    ["single quotes keep everything", "UPSMON_OPTIONS='-D $HOME \\n'\n"],
    ["mixed quoting in one word", "UPSD_OPTIONS=-a\" b \"'c d'\\ e\n"],
    ["empty values", 'MODE=\nUPSD_OPTIONS=""\nUPSMON_OPTIONS=\'\'\n'],
    ["comments and blank lines", "# MODE=none\n\n   # x\nMODE=netclient # trailing comment\nPOWEROFF_WAIT=15m#not-a-comment\n"],
    ["several assignments on a line, and ;", "MODE=netserver UPSD_OPTIONS=-D; UPSMON_OPTIONS=-p\n"],
    ["export forms", "export MODE=standalone\nNUT_DEBUG_LEVEL=2\nexport NUT_DEBUG_LEVEL\n"],
    ["line continuation", "UPSD_OPTIONS=-D\\\n-F\nMODE=\\\nnone\n"],
    ["quotes across lines", 'UPSD_OPTIONS="-D\n-F"\nMODE=none\n'],
    ["later assignment wins", "MODE=none\nMODE=standalone\n"],
    ["no final newline", "MODE=netclient"],
    ["CRLF line ends keep the CR", "MODE=none\r\n"],
  ];
  for (const [name, text] of cases) {
    test(`${name}: the same values as /bin/sh`, () => {
      expect(values(text, NAMES)).toEqual(sourceWithSh(text, NAMES));
    });
  }

  test("values and lines of every variable", () => {
    const { config, diagnostics } = parse([
      "MODE=standalone",
      'UPSD_OPTIONS="-D -u nut"',
      "UPSMON_OPTIONS='-p'",
      "",
      "POWEROFF_WAIT=3600s",
      "export NUT_DEBUG_LEVEL=1",
      "POWEROFF_QUIET=true",
      "ALLOW_NO_DEVICE=true",
      "export ALLOW_NO_DEVICE",
    ]);
    expect(rows(diagnostics)).toEqual([
      [6, "warning", `"export NUT_DEBUG_LEVEL=…" is not guaranteed to work (nut.conf(5)): systemd's EnvironmentFile= does not know export; write the assignment and "export NAME" on separate lines`],
    ]);
    expect(config.mode).toBe("standalone");
    expect(Object.fromEntries(config.variables)).toEqual({
      MODE: { value: "standalone", line: 1, exported: false },
      UPSD_OPTIONS: { value: "-D -u nut", line: 2, exported: false },
      UPSMON_OPTIONS: { value: "-p", line: 3, exported: false },
      POWEROFF_WAIT: { value: "3600s", line: 5, exported: false },
      NUT_DEBUG_LEVEL: { value: "1", line: 6, exported: true },
      POWEROFF_QUIET: { value: "true", line: 7, exported: false },
      ALLOW_NO_DEVICE: { value: "true", line: 8, exported: true },
    });
  });

  test("every MODE value is accepted", () => {
    expect([...NUT_MODES]).toEqual(["none", "standalone", "netserver", "netclient"]);
    for (const mode of NUT_MODES) {
      const { config, diagnostics } = parse([`MODE=${mode}`]);
      expect(diagnostics).toEqual([]);
      expect(config.mode).toBe(mode);
    }
  });

  test("every variable nut.conf(5) 2.8.5 documents is known", () => {
    for (const name of ["MODE", "ALLOW_NO_DEVICE", "ALLOW_NOT_ALL_LISTENERS", "UPSD_OPTIONS", "UPSMON_OPTIONS", "POWEROFF_WAIT", "POWEROFF_QUIET", "NUT_DEBUG_LEVEL", "NUT_DEBUG_PID", "NUT_DEBUG_PROCNAME", "NUT_DEBUG_SYSLOG", "NUT_IGNORE_CHECKPROCNAME", "NUT_QUIET_INIT_UPSNOTIFY"]) {
      expect(NUT_CONF_VARIABLES).toContain(name);
    }
  });
});

describe("parseNutConf() diagnostics", () => {
  test("spaces around = make the shell run a command [checked with /bin/sh]", () => {
    const text = "MODE = standalone\nMODE =standalone\nMODE= standalone\n";
    const { config, diagnostics } = parseNutConf(text, FILE);
    const hint = "(nut.conf(5): you MUST NOT use spaces around the equal sign)";
    expect(rows(diagnostics)).toEqual([
      [1, "error", `spaces around "=": the shell runs "MODE" as a command and does not set MODE ${hint}`],
      [2, "error", `spaces around "=": the shell runs "MODE" as a command and does not set MODE ${hint}`],
      [3, "error", `spaces around "=": the shell runs "standalone" as a command and does not set MODE ${hint}`],
      [0, "error", "MODE is not set: Debian's upsd and upsmon wrappers exit 1 (nut.conf(5): MODE is required)"],
    ]);
    expect(config.variables.size).toBe(0);
    expect(sourceWithSh(text, ["MODE"])).toEqual({ MODE: null });
  });

  test("commands and temporary assignments", () => {
    const { config, diagnostics } = parse(["MODE=none", "echo hello", "UPSD_OPTIONS=-D upsd", "[ -x /x ] && MODE=standalone"]);
    expect(rows(diagnostics)).toEqual([
      [2, "error", 'not a variable assignment: the shell runs "echo" as a command'],
      [3, "error", 'the shell runs "upsd" as a command with UPSD_OPTIONS set only for it: nut.conf should hold plain VAR=value assignments'],
      [4, "error", 'shell syntax "&" in "&&": nut.conf should hold plain VAR=value assignments'],
      [4, "error", 'not a variable assignment: the shell runs "[" as a command'],
    ]);
    expect([...config.variables.keys()]).toEqual(["MODE"]);
  });

  test("unknown or missing MODE: Debian's wrappers exit 1", () => {
    expect(rows(parse(["MODE=server"]).diagnostics)).toEqual([
      [1, "error", 'unknown MODE "server": Debian\'s upsd and upsmon wrappers exit 1 (use none, standalone, netserver or netclient)'],
    ]);
    expect(rows(parse(["MODE=None"]).diagnostics)).toEqual([
      [1, "error", 'unknown MODE "None": Debian\'s upsd and upsmon wrappers exit 1 (use none, standalone, netserver or netclient)'],
    ]);
    expect(rows(parse(["MODE="]).diagnostics)).toEqual([
      [1, "error", 'unknown MODE "": Debian\'s upsd and upsmon wrappers exit 1 (use none, standalone, netserver or netclient)'],
    ]);
    const crlf = parseNutConf("MODE=none\r\n", FILE);
    expect(rows(crlf.diagnostics)).toEqual([
      [1, "error", 'unknown MODE "none\\r": Debian\'s upsd and upsmon wrappers exit 1 (use none, standalone, netserver or netclient)'],
    ]);
    expect(Object.hasOwn(crlf.config, "mode")).toBe(false);
    expect(rows(parse(["UPSD_OPTIONS=-D"]).diagnostics)).toEqual([
      [0, "error", "MODE is not set: Debian's upsd and upsmon wrappers exit 1 (nut.conf(5): MODE is required)"],
    ]);
  });

  test("unknown variables, shell expansion, a bad POWEROFF_WAIT", () => {
    const { config, diagnostics } = parse(["MODE=none", "MODES=standalone", 'UPSD_OPTIONS="-u $USER"', "UPSMON_OPTIONS='$literal'", "POWEROFF_WAIT=forever"]);
    expect(rows(diagnostics)).toEqual([
      [2, "warning", "unknown variable MODES: nothing in NUT reads it"],
      [3, "warning", "UPSD_OPTIONS uses shell expansion ($ or `): systemd's EnvironmentFile= takes it literally (nut.conf(5): only verbatim assignments)"],
      [5, "warning", 'POWEROFF_WAIT "forever" is not a sleep(1) duration such as 15m or 3600s'],
    ]);
    expect(config.variables.get("UPSD_OPTIONS")?.value).toBe("-u $USER");
    expect(config.variables.get("UPSMON_OPTIONS")?.value).toBe("$literal");
  });

  test("an unterminated quote makes sourcing fail", () => {
    const { config, diagnostics } = parse(["MODE=standalone", 'UPSD_OPTIONS="-D', "UPSMON_OPTIONS=-p"]);
    expect(rows(diagnostics)).toEqual([
      [2, "fatal", 'unterminated " quote: sourcing nut.conf fails with a shell syntax error, so the init scripts and wrappers stop'],
    ]);
    expect(config.mode).toBe("standalone");
    expect(config.variables.has("UPSMON_OPTIONS")).toBe(false);
  });

  test("export of a bad name", () => {
    expect(rows(parse(["MODE=none", "export 1X"]).diagnostics)).toEqual([[2, "error", 'export: "1X" is not a valid variable name']]);
  });
});
