import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { UPS_CONF_GLOBAL_DEFAULTS, findUpsSection, parseUpsConf, upsdSections } from "./ups-conf.ts";

const FILE = "/etc/nut/ups.conf";

function parse(text: string) {
  return parseUpsConf(text, FILE);
}

/** The diagnostics as [line, severity, message] rows, for exact comparison. */
function rows(diagnostics: readonly ConfigDiagnostic[]): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(FILE);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

describe("parseUpsConf() on Debian's sample", () => {
  test("Debian's ups.conf parses without errors and sets the global maxretry = 3", () => {
    const path = copyDebianSample("ups.conf");
    const { config, diagnostics } = parseUpsConf(readFileSync(path), path);
    expect(diagnostics).toEqual([]);
    expect(config.globals).toEqual([{ key: "maxretry", value: "3", line: 80 }]);
    expect(config.sections).toEqual([]);
    expect(config.globalSettings).toEqual({ ...UPS_CONF_GLOBAL_DEFAULTS, maxretry: 3 });
  });
});

describe("parseUpsConf() grammar (common/upsconf.c conf_args)", () => {
  test("sections, key = value in every spacing, flags, quoted values with escapes", () => {
    const { config, diagnostics } = parse(
      [
        "# comment",
        "maxretry = 3",
        "nowait",
        "[myups]",
        "\tdriver=usbhid-ups",
        "\tport =auto",
        '\tdesc = "Web \\"main\\" UPS \\#1 C:\\\\ups"',
        "\tnolock",
        "\toverride.battery.charge.low = 30",
        "\tdefault.input.voltage.nominal= 230",
        '\tvendorid = "0463"',
        "[other]",
        "driver = dummy-ups",
        "port = other.dev",
        "",
      ].join("\n"),
    );
    expect(rows(diagnostics)).toEqual([]);
    expect(config.globals).toEqual([
      { key: "maxretry", value: "3", line: 2 },
      { key: "nowait", line: 3 },
    ]);
    expect(config.globalSettings).toEqual({ ...UPS_CONF_GLOBAL_DEFAULTS, maxretry: 3, nowait: true });
    expect(config.sections.map((s) => [s.name, s.line])).toEqual([
      ["myups", 4],
      ["other", 12],
    ]);
    const myups = findUpsSection(config, "myups")!;
    expect(myups.entries).toEqual([
      { key: "driver", value: "usbhid-ups", line: 5 },
      { key: "port", value: "auto", line: 6 },
      { key: "desc", value: 'Web "main" UPS #1 C:\\ups', line: 7 },
      { key: "nolock", line: 8 },
      { key: "override.battery.charge.low", value: "30", line: 9 },
      { key: "default.input.voltage.nominal", value: "230", line: 10 },
      { key: "vendorid", value: "0463", line: 11 },
    ]);
    expect(myups).toMatchObject({ driver: "usbhid-ups", port: "auto", desc: 'Web "main" UPS #1 C:\\ups', nolock: true, ignorelb: false, sdorder: 0 });
    expect(findUpsSection(config, "MYUPS")).toBeUndefined();
  });

  test("typed section and global values", () => {
    const { config, diagnostics } = parse(
      [
        "chroot = /var/empty",
        "driverpath = /usr/lib/nut",
        "statepath = /run/nut2",
        "maxstartdelay = 60",
        "retrydelay = 2",
        "pollinterval = 10",
        "synchronous = yes",
        "user = nut",
        "group = dialout",
        "debug_min = 2",
        "LIBUSB_DEBUG = 3",
        "[u]",
        "driver = blazer_ser",
        "port = /dev/ttyS0",
        "sdorder = -1",
        "pollinterval = 5",
        "synchronous = auto",
        "user = root",
        "group = root",
        "debug_min = 1",
        "ignorelb",
        "",
      ].join("\n"),
    );
    expect(rows(diagnostics)).toEqual([]);
    expect(config.globalSettings).toEqual({
      chroot: "/var/empty",
      driverpath: "/usr/lib/nut",
      statepath: "/run/nut2",
      maxstartdelay: 60,
      maxretry: 1,
      retrydelay: 2,
      nowait: false,
      pollinterval: 10,
      synchronous: "yes",
      user: "nut",
      group: "dialout",
      debugMin: 2,
    });
    expect(findUpsSection(config, "u")).toMatchObject({
      driver: "blazer_ser",
      port: "/dev/ttyS0",
      sdorder: -1,
      pollinterval: 5,
      synchronous: "auto",
      user: "root",
      group: "root",
      debugMin: 1,
      ignorelb: true,
      nolock: false,
    });
  });

  test("a header is the first word in brackets even with more words; the rest is reported", () => {
    const { config, diagnostics } = parse("[ups] driver = x\nport = p\n");
    expect(config.sections.map((s) => s.name)).toEqual(["ups"]);
    expect(config.sections[0]!.entries).toEqual([{ key: "port", value: "p", line: 2 }]);
    expect(rows(diagnostics)).toEqual([
      [1, "error", "ignored after the section header: driver = x"],
      [1, "error", "Warning: ignoring incomplete configuration for UPS [ups]"],
    ]);
  });

  test("two-word lines, lines without `=` and a bracketed name with a space are ignored, reported as errors", () => {
    const { config, diagnostics } = parse("[a]\ndriver = d\nport = p\ndriver usbhid-ups\ndesc x y\n[my ups]\nsdorder = 2\n");
    const a = findUpsSection(config, "a")!;
    // NUT keeps adding to [a] since "[my ups]" is no header
    expect(a.entries.map((e) => e.key)).toEqual(["driver", "port", "sdorder"]);
    expect(a.sdorder).toBe(2);
    expect(rows(diagnostics)).toEqual([
      [4, "error", 'ignored: driver usbhid-ups (NUT reads only "[name]", "flag" and "key = value" lines)'],
      [5, "error", 'ignored: desc x y (NUT reads only "[name]", "flag" and "key = value" lines)'],
      [6, "error", 'ignored: "[my ups]" is not a section header (a section name cannot contain spaces)'],
    ]);
  });

  test("words after the value are dropped: an unquoted desc keeps its first word", () => {
    const { config, diagnostics } = parse("[a]\ndriver = d\nport = p\ndesc = Server room UPS\n");
    expect(config.sections[0]!.desc).toBe("Server");
    expect(rows(diagnostics)).toEqual([
      [4, "error", 'only "Server" is the value of desc: NUT ignores "room UPS" (quote a value that has spaces)'],
    ]);
  });

  test("keys are case-sensitive: Driver is not driver", () => {
    const { config, diagnostics } = parse("[a]\nDriver = d\nport = p\n");
    expect(config.sections[0]!.driver).toBeUndefined();
    expect(config.sections[0]!.entries[0]).toEqual({ key: "Driver", value: "d", line: 2 });
    expect(rows(diagnostics)).toEqual([[1, "error", "Warning: ignoring incomplete configuration for UPS [a]"]]);
  });

  test("tokenizer problems come through with their lines", () => {
    const { config, diagnostics } = parse('[a]\ndriver = d\nport = p\ndesc = "lab #1"\n[b]\ndriver = d\nport = q\nnolock');
    expect(rows(diagnostics)).toEqual([
      [4, "error", "Parse error: Unbalanced word due to unescaped # in quotes (NUT skips this line and reads the rest of it as a new line)"],
      [8, "error", 'last line "nolock" has no newline at the end: NUT ignores it'],
    ]);
    // the rest of line 4 (`1"`) became a flag of [a], as in NUT
    expect(findUpsSection(config, "a")!.entries.at(-1)).toEqual({ key: '1"', line: 4 });
    expect(findUpsSection(config, "b")!.nolock).toBe(false);
  });
});

describe("parseUpsConf() diagnostics as upsd, the drivers and upsdrvctl see them", () => {
  test("a section lacking driver or port: upsd's warning on the header line; an empty section too", () => {
    const { config, diagnostics } = parse("[nodriver]\nport = p\n\n[noport]\ndriver = d\n[empty]\n[ok]\ndriver = d\nport = p\n");
    expect(rows(diagnostics)).toEqual([
      [1, "error", "Warning: ignoring incomplete configuration for UPS [nodriver]"],
      [4, "error", "Warning: ignoring incomplete configuration for UPS [noport]"],
      [6, "error", "ignored: section [empty] is empty (it needs driver and port)"],
    ]);
    expect(upsdSections(config).map((s) => s.name)).toEqual(["ok"]);
  });

  test("a repeated header merges into the first section, later values win", () => {
    const { config, diagnostics } = parse("[b]\ndesc = x\ndriver = d1\n[c]\ndriver = d\nport = p\n[b]\ndriver = d2\nport = p\n");
    expect(config.sections.map((s) => [s.name, s.line])).toEqual([
      ["b", 1],
      ["c", 4],
    ]);
    const b = findUpsSection(config, "b")!;
    expect(b).toMatchObject({ desc: "x", driver: "d2", port: "p" });
    expect(b.entries.map((e) => e.line)).toEqual([2, 3, 8, 9]);
    expect(rows(diagnostics)).toEqual([
      [7, "warning", "section [b] was already started on line 1: NUT adds these entries to it"],
      [8, "warning", 'driver is set again in [b] (first on line 3): NUT uses the last value "d2"'],
    ]);
  });

  test("names equal but for case: upsd keeps the last one and refuses the earlier one", () => {
    // observed with Debian's upsd 2.8.0: [default] then [Default] → "UPS name [default] is already in use!"
    const { config, diagnostics } = parse("[ups1]\ndriver = d\nport = a\n[x]\ndriver = d\nport = x\n[UPS1]\ndriver = d\nport = b\n");
    expect(rows(diagnostics)).toEqual([[1, "error", "UPS name [ups1] is already in use!"]]);
    expect(upsdSections(config).map((s) => s.name)).toEqual(["x", "UPS1"]);
  });

  test("an incomplete later twin does not take the name: upsd serves the earlier one", () => {
    const { config, diagnostics } = parse("[ups1]\ndriver = d\nport = a\n[UPS1]\ndriver = d\n");
    expect(rows(diagnostics)).toEqual([[4, "error", "Warning: ignoring incomplete configuration for UPS [UPS1]"]]);
    expect(upsdSections(config).map((s) => s.name)).toEqual(["ups1"]);
  });

  test('a section named "default" is accepted, with a warning about the documented reservation', () => {
    const { config, diagnostics } = parse("[default]\ndriver = d\nport = p\n");
    expect(upsdSections(config).map((s) => s.name)).toEqual(["default"]);
    expect(rows(diagnostics)).toEqual([
      [1, "warning", 'the section name "default" is reserved by the ups.conf documentation (NUT 2.8.0 treats it as any other name)'],
    ]);
  });

  test("pollinterval <= 0 is fatal for the drivers, with NUT's message (global and per UPS)", () => {
    const { config, diagnostics } = parse("pollinterval = 0\n[a]\ndriver = d\nport = p\npollinterval = -3\n");
    expect(rows(diagnostics)).toEqual([
      [1, "fatal", "Error: invalid pollinterval: 0"],
      [5, "fatal", "Error: UPS [a]: invalid pollinterval: -3"],
    ]);
    expect(config.globalSettings.pollinterval).toBe(2);
    expect(config.sections[0]!.pollinterval).toBeUndefined();
  });

  test("pollinterval = abc reads as 0 (atoi) and is fatal", () => {
    const { diagnostics } = parse("pollinterval = abc\n");
    expect(rows(diagnostics)).toEqual([[1, "fatal", "Error: invalid pollinterval: 0"]]);
  });

  test("numbers are read with atoi(): garbage, trailing text and overflow are reported with NUT's value", () => {
    const { config, diagnostics } = parse(
      "maxstartdelay = soon\nretrydelay = 10s\npollinterval = \"3 \"\n[a]\ndriver = d\nport = p\nsdorder = first\n[b]\ndriver = d\nport = q\nsdorder = 4294967297\n",
    );
    expect(rows(diagnostics)).toEqual([
      [1, "error", 'invalid maxstartdelay value "soon": NUT reads it as 0'],
      [2, "warning", 'retrydelay value "10s" is not a plain integer: NUT reads it as 10'],
      [3, "warning", 'pollinterval value "3 " is not a plain integer: NUT reads it as 3'],
      [7, "error", 'invalid sdorder value "first": NUT reads it as 0'],
      [11, "warning", 'sdorder value "4294967297" is not a plain integer: NUT reads it as 1'],
    ]);
    expect(config.globalSettings).toMatchObject({ maxstartdelay: 0, retrydelay: 10, pollinterval: 3 });
    expect(findUpsSection(config, "b")!.sdorder).toBe(1);
  });

  test("maxretry = 0 means upsdrvctl never starts a driver", () => {
    const { config, diagnostics } = parse("maxretry = 0\n");
    expect(config.globalSettings.maxretry).toBe(0);
    expect(rows(diagnostics)).toEqual([[1, "error", "maxretry = 0: upsdrvctl never starts a driver (it needs at least 1)"]]);
  });

  test("per-UPS maxstartdelay/maxretry/retrydelay are read, with the 2.8.0-2.8.2 driver exit warned", () => {
    const { config, diagnostics } = parse("[a]\ndriver = d\nport = p\nmaxstartdelay = 10\nmaxretry = 2\nretrydelay = 1\n");
    expect(config.sections[0]).toMatchObject({ maxstartdelay: 10, maxretry: 2, retrydelay: 1 });
    // observed: Debian's dummy-ups 2.8.0 prints this and exits with status 0
    expect(rows(diagnostics)).toEqual([
      [4, "warning", "maxstartdelay in a UPS section makes NUT 2.8.0-2.8.2 drivers exit (\"Fatal error: 'maxstartdelay' is not a valid variable name for this driver.\")"],
      [5, "warning", "maxretry in a UPS section makes NUT 2.8.0-2.8.2 drivers exit (\"Fatal error: 'maxretry' is not a valid variable name for this driver.\")"],
      [6, "warning", "retrydelay in a UPS section makes NUT 2.8.0-2.8.2 drivers exit (\"Fatal error: 'retrydelay' is not a valid variable name for this driver.\")"],
    ]);
  });

  test("sddelay is obsolete; synchronous values other than yes/no/auto read as no", () => {
    const { config, diagnostics } = parse("synchronous = on\n[a]\ndriver = d\nport = p\nsddelay = 30\nsynchronous = Yes\n");
    expect(config.globalSettings.synchronous).toBe("no");
    expect(config.sections[0]!.synchronous).toBe("no");
    expect(rows(diagnostics)).toEqual([
      [1, "warning", 'synchronous = "on" reads as "no": NUT knows only "yes", "no" and "auto"'],
      [5, "warning", "Obsolete value sddelay found in ups.conf"],
      [6, "warning", 'synchronous = "Yes" reads as "no": NUT knows only "yes", "no" and "auto"'],
    ]);
  });

  test("invalid debug_min: the drivers' messages, value ignored", () => {
    const { config, diagnostics } = parse("debug_min = -1\n[a]\ndriver = d\nport = p\ndebug_min = x\n");
    expect(config.globalSettings.debugMin).toBeUndefined();
    expect(config.sections[0]!.debugMin).toBeUndefined();
    expect(rows(diagnostics)).toEqual([
      [1, "error", "WARNING : Invalid debug_min value found in ups.conf global settings"],
      [5, "error", "WARNING : Invalid debug_min value found in ups.conf for the driver"],
    ]);
  });

  test("flags given a value are still set; value keys given as bare flags crash or stop NUT", () => {
    const { config, diagnostics } = parse("nowait = no\nmaxretry\ndebug_min\n[a]\ndriver\nport = p\nnolock = off\npollinterval\noverride.ups.model\n");
    expect(config.globalSettings.nowait).toBe(true);
    expect(config.globalSettings.maxretry).toBe(1);
    expect(config.sections[0]!.nolock).toBe(true);
    // observed with Debian's upsdrvctl and upsd 2.8.0: segmentation fault; dummy-ups publishes "(null)"
    expect(rows(diagnostics)).toEqual([
      [1, "warning", 'nowait is a flag: NUT sets it whatever the value ("no")'],
      [2, "fatal", '"maxretry" needs a value ("maxretry = …"): upsdrvctl crashes on it'],
      [3, "error", "WARNING : Invalid debug_min value found in ups.conf global settings"],
      [4, "error", "Warning: ignoring incomplete configuration for UPS [a]"],
      [5, "fatal", '"driver" needs a value ("driver = …"): upsd and upsdrvctl crash on it'],
      [7, "warning", 'nolock is a flag: NUT sets it whatever the value ("off")'],
      [8, "fatal", "Fatal error: 'pollinterval' is not a valid flag for this driver."],
      [9, "error", '"override.ups.model" needs a value: NUT sets ups.model to "(null)"'],
    ]);
  });

  test("unknown globals are ignored by NUT and reported as warnings; driver variables are not validated", () => {
    const { config, diagnostics } = parse("port = /dev/ttyS0\n[a]\ndriver = d\nport = p\nnot_a_real_option = 1\nbogusflag\n");
    expect(config.globals).toEqual([{ key: "port", value: "/dev/ttyS0", line: 1 }]);
    expect(config.sections[0]!.entries.slice(2)).toEqual([
      { key: "not_a_real_option", value: "1", line: 5 },
      { key: "bogusflag", line: 6 },
    ]);
    expect(rows(diagnostics)).toEqual([
      [1, "warning", 'unknown global directive "port": NUT ignores it (driver settings belong in a [ups] section)'],
    ]);
  });

  test("STATEPATH is read in any case (upsd 2.8.1+, drivers 2.8.3+); a bare per-UPS maxretry stops 2.8.0 drivers", () => {
    const { config, diagnostics } = parse("STATEPATH = /run/other\n[a]\ndriver = d\nport = p\nmaxretry\n");
    expect(config.globalSettings.statepath).toBe("/run/other");
    expect(config.sections[0]!.maxretry).toBeUndefined();
    expect(rows(diagnostics)).toEqual([[5, "fatal", "Fatal error: 'maxretry' is not a valid flag for this driver."]]);
  });

  test("a repeated global with another value: the last one wins", () => {
    const { config, diagnostics } = parse("maxretry = 2\nmaxretry = 3\nmaxretry = 3\n");
    expect(config.globalSettings.maxretry).toBe(3);
    expect(rows(diagnostics)).toEqual([[2, "warning", 'maxretry is set again globally (first on line 1): NUT uses the last value "3"']]);
  });
});
