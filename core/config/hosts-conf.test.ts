import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { parseHostsConf } from "./hosts-conf.ts";

const FILE = "/etc/nut/hosts.conf";

function parse(lines: string[]) {
  return parseHostsConf(`${lines.join("\n")}\n`, FILE);
}

function rows(diagnostics: readonly ConfigDiagnostic[], file = FILE): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(file);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

describe("parseHostsConf() on Debian's sample", () => {
  test("Debian's hosts.conf sets nothing: only the no-MONITOR warning", () => {
    const path = copyDebianSample("hosts.conf");
    const { config, diagnostics } = parseHostsConf(readFileSync(path), path);
    expect(config).toEqual({ monitors: [], customTemplateList: [], customTemplateSingle: [] });
    expect(rows(diagnostics, path)).toEqual([[0, "warning", 'no MONITOR line: upsstats shows "Error: no hosts to monitor"']]);
  });

  test("the sample's own third example breaks: `#` inside quotes is a parseconf error", () => {
    const path = copyDebianSample("hosts.conf");
    const text = readFileSync(path, "utf8").replace(/^# (MONITOR \S+@.*)$/gm, "$1");
    const { config, diagnostics } = parseHostsConf(text, path);
    // MONITOR matrix@shs-server.example.edu "Sierra High School data room #1": parseconf stops
    // at the '#', NUT skips the line and reads `1"` as a line of its own
    expect(rows(diagnostics, path)).toEqual([
      [29, "error", "Parse error: Unbalanced word due to unescaped # in quotes (NUT skips this line and reads the rest of it as a new line)"],
      [29, "error", 'unknown directive 1": the CGI programs ignore this line'],
    ]);
    expect(config.monitors.map((m) => [m.system, m.description, m.upsname, m.host, m.port, m.line])).toEqual([
      ["myups@localhost", "Local UPS", "myups", "localhost", 3493, 27],
      ["su2200@10.64.1.1", "Finance department", "su2200", "10.64.1.1", 3493, 28],
    ]);
    const fixed = parseHostsConf(text.replace("room #1", "room \\#1"), path);
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.config.monitors[2]).toMatchObject({ system: "matrix@shs-server.example.edu", description: "Sierra High School data room #1", line: 29 });
  });
});

describe("parseHostsConf() directives", () => {
  test("MONITOR entries and 2.8.5's CUSTOM_TEMPLATE_LIST/SINGLE", () => {
    const { config, diagnostics } = parse([
      'MONITOR myups@localhost "Local UPS"',
      'MONITOR ups2@[::1]:3494 "IPv6 box"',
      "CUSTOM_TEMPLATE_LIST upsstats-modern-list.html",
      'CUSTOM_TEMPLATE_SINGLE "upsstats-modern-single.html"',
    ]);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      monitors: [
        { system: "myups@localhost", description: "Local UPS", upsname: "myups", host: "localhost", port: 3493, line: 1 },
        { system: "ups2@[::1]:3494", description: "IPv6 box", upsname: "ups2", host: "::1", port: 3494, line: 2 },
      ],
      customTemplateList: [{ file: "upsstats-modern-list.html", line: 3 }],
      customTemplateSingle: [{ file: "upsstats-modern-single.html", line: 4 }],
    });
  });
});

describe("parseHostsConf() diagnostics", () => {
  test("lines the CGIs skip silently", () => {
    const { config, diagnostics } = parse([
      'MONITOR ok@host "ok"',
      "MONITOR alone@host",
      "MONITOR",
      'monitor x@host "lower case"',
      "FOO bar",
      "CUSTOM_TEMPLATE_LIST",
    ]);
    expect(rows(diagnostics)).toEqual([
      [2, "error", "MONITOR needs a UPS and a description: the CGI programs ignore this line"],
      [3, "error", "MONITOR needs a UPS and a description: the CGI programs ignore this line"],
      [4, "error", 'unknown directive monitor x@host lower case: the CGI programs ignore this line'],
      [5, "error", "unknown directive FOO bar: the CGI programs ignore this line"],
      [6, "error", "CUSTOM_TEMPLATE_LIST needs a file name: the CGI programs ignore this line"],
    ]);
    expect(config.monitors.map((m) => m.system)).toEqual(["ok@host"]);
  });

  test("unquoted descriptions, duplicates and unusable UPS names", () => {
    const { config, diagnostics } = parse([
      "MONITOR a@host Local UPS",
      'MONITOR a@host "again"',
      'MONITOR b@host: "no port"',
      'MONITOR c:3493 "no host"',
    ]);
    expect(rows(diagnostics)).toEqual([
      [1, "warning", "MONITOR uses two arguments: the CGI programs ignore the rest (UPS); quote a description that contains spaces"],
      [2, "warning", "MONITOR [a@host] is already listed on line 1: upsstats shows it twice and the CGIs use the first description"],
      [3, "error", `MONITOR [b@host:]: upscli_splitaddr: no port specified after ':' separator: upsimage answers "Invalid UPS definition"`],
      [4, "warning", "MONITOR [c:3493]: upscli_splitname: port specified, but not a hostname (NUT 2.8.5 and later refuse this name)"],
    ]);
    expect(config.monitors.map((m) => [m.system, m.description])).toEqual([
      ["a@host", "Local"],
      ["a@host", "again"],
      ["b@host:", "no port"],
      ["c:3493", "no host"],
    ]);
    expect(config.monitors[2]).toMatchObject({ upsname: "b", host: "", nameError: "upscli_splitaddr: no port specified after ':' separator" });
  });

  test("templates upsstats would refuse to open", () => {
    const { config, diagnostics } = parse([
      'MONITOR a@host "a"',
      "CUSTOM_TEMPLATE_LIST ../evil.html",
      "CUSTOM_TEMPLATE_SINGLE sub\\\\x.html",
      "CUSTOM_TEMPLATE_SINGLE single.txt",
      'CUSTOM_TEMPLATE_LIST ""',
      "CUSTOM_TEMPLATE_LIST list.htm extra",
    ]);
    expect(rows(diagnostics)).toEqual([
      [2, "error", "CUSTOM_TEMPLATE_LIST [../evil.html]: upsstats only opens templates directly in the configuration directory (no / or \\)"],
      [3, "error", "CUSTOM_TEMPLATE_SINGLE [sub\\x.html]: upsstats only opens templates directly in the configuration directory (no / or \\)"],
      [4, "error", 'CUSTOM_TEMPLATE_SINGLE [single.txt]: upsstats only opens templates whose name contains ".htm"'],
      [5, "error", "CUSTOM_TEMPLATE_LIST with an empty file name is ignored"],
      [6, "warning", "CUSTOM_TEMPLATE_LIST uses one argument: upsstats ignores the rest (extra)"],
    ]);
    expect(config.customTemplateList).toEqual([{ file: "list.htm", line: 6 }]);
    expect(config.customTemplateSingle).toEqual([]);
  });
});
