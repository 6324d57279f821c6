import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { UPSD_CONF_DEFAULTS, isValidListenAddress, isValidListenPort, parseUpsdConf } from "./upsd-conf.ts";

const FILE = "/etc/nut/upsd.conf";

function parse(text: string) {
  return parseUpsdConf(text, FILE);
}

function rows(diagnostics: readonly ConfigDiagnostic[]): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(FILE);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

describe("parseUpsdConf() on Debian's sample", () => {
  test("Debian's upsd.conf (comments only) gives upsd's defaults and no diagnostics", () => {
    const path = copyDebianSample("upsd.conf");
    const { config, diagnostics } = parseUpsdConf(readFileSync(path), path);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      maxAge: 15,
      trackingDelay: 3600,
      allowNoDevice: false,
      allowNotAllListeners: false,
      listen: [],
      certRequest: 0,
      disableWeakSsl: false,
    });
  });
});

describe("parseUpsdConf() directives (server/conf.c parse_upsd_conf_args)", () => {
  test("every directive with a valid value", () => {
    const { config, diagnostics } = parse(
      [
        "MAXAGE 30",
        "TRACKINGDELAY 600",
        "ALLOW_NO_DEVICE true",
        "ALLOW_NOT_ALL_LISTENERS Yes",
        "MAXCONN 1024",
        "STATEPATH /run/nut-alt",
        'DATAPATH "/usr/share/nut data"',
        "LISTEN 127.0.0.1 3493",
        "LISTEN ::1",
        "LISTEN * 3494",
        "LISTEN ups.example.com 40000",
        "CERTFILE /etc/nut/upsd.pem",
        "CERTPATH /etc/nut/nssdb",
        'CERTIDENT "My Server" "s3cr\\"t"',
        "CERTREQUEST 2",
        "DISABLE_WEAK_SSL on",
        "debug_min 3",
        "",
      ].join("\n"),
    );
    expect(rows(diagnostics)).toEqual([]);
    expect(config).toEqual({
      maxAge: 30,
      trackingDelay: 600,
      allowNoDevice: true,
      allowNotAllListeners: true,
      maxConn: 1024,
      statePath: "/run/nut-alt",
      dataPath: "/usr/share/nut data",
      listen: [
        { address: "127.0.0.1", port: "3493", line: 8 },
        { address: "::1", port: "3493", line: 9 },
        { address: "*", port: "3494", line: 10 },
        { address: "ups.example.com", port: "40000", line: 11 },
      ],
      certFile: "/etc/nut/upsd.pem",
      certPath: "/etc/nut/nssdb",
      certIdent: { name: "My Server", password: 's3cr"t' },
      certRequest: 2,
      disableWeakSsl: true,
      debugMin: 3,
    });
  });

  test("booleans: words in any case, and for ALLOW_* any number (non-zero = true)", () => {
    const values: [string, boolean][] = [
      ["ALLOW_NO_DEVICE 0", false],
      ["ALLOW_NO_DEVICE 2", true],
      ["ALLOW_NO_DEVICE 10abc", true],
      ["ALLOW_NO_DEVICE OFF", false],
      ["ALLOW_NO_DEVICE on", true],
      ["ALLOW_NO_DEVICE No", false],
      ["ALLOW_NO_DEVICE TRUE", true],
    ];
    for (const [line, expected] of values) {
      const { config, diagnostics } = parse(`${line}\n`);
      expect([line, config.allowNoDevice]).toEqual([line, expected]);
      expect(rows(diagnostics)).toEqual([]);
    }
    expect(parse("DISABLE_WEAK_SSL FALSE\n").config.disableWeakSsl).toBe(false);
    expect(parse("DISABLE_WEAK_SSL 1\n").config.disableWeakSsl).toBe(true);
  });

  test("CERTREQUEST accepts NO/REQUEST/REQUIRE (2.8.5) and digits", () => {
    expect(parse("CERTREQUEST REQUEST\n").config.certRequest).toBe(1);
    expect(parse("CERTREQUEST NO\n").config.certRequest).toBe(0);
    expect(parse("CERTREQUEST REQUIRE\n").config.certRequest).toBe(2);
    expect(parse("CERTREQUEST 1\n").config.certRequest).toBe(1);
  });

  test("ACCEPT, REJECT and ACL are obsolete: accepted with NUT's warning", () => {
    const { config, diagnostics } = parse("ACCEPT localhost\nREJECT all\nACL all 0.0.0.0/0\n");
    expect(config).toEqual({ ...UPSD_CONF_DEFAULTS, listen: [] });
    expect(rows(diagnostics)).toEqual([
      [1, "warning", "ACCEPT in upsd.conf is no longer supported - switch to LISTEN"],
      [2, "warning", "REJECT in upsd.conf is no longer supported - switch to LISTEN"],
      [3, "warning", "ACL in upsd.conf is no longer supported - switch to LISTEN"],
    ]);
  });

  test("LISTEN keeps file order and the line of each", () => {
    const { config } = parse("# first\nLISTEN 192.0.2.1\n\nLISTEN 127.0.0.1 3495\nMAXAGE 20\nLISTEN ::1 3495\n");
    expect(config.listen).toEqual([
      { address: "192.0.2.1", port: "3493", line: 2 },
      { address: "127.0.0.1", port: "3495", line: 4 },
      { address: "::1", port: "3495", line: 6 },
    ]);
  });
});

describe("parseUpsdConf() diagnostics", () => {
  test("non-numeric values: NUT's messages, directive ignored", () => {
    const { config, diagnostics } = parse(
      "MAXAGE abc\nTRACKINGDELAY -5\nMAXCONN lots\nALLOW_NO_DEVICE maybe\nALLOW_NOT_ALL_LISTENERS y\nDISABLE_WEAK_SSL 2\nCERTREQUEST maybe\nDEBUG_MIN -1\nDEBUG_MIN 2x\nMAXAGE \"\"\n",
    );
    expect(config).toEqual({ ...UPSD_CONF_DEFAULTS, listen: [] });
    expect(rows(diagnostics)).toEqual([
      [1, "error", "MAXAGE has non numeric value (abc)!"],
      [2, "error", "TRACKINGDELAY has non numeric value (-5)!"],
      [3, "error", "MAXCONN has non numeric value (lots)!"],
      [4, "error", "ALLOW_NO_DEVICE has non numeric and non boolean value (maybe)!"],
      [5, "error", "ALLOW_NOT_ALL_LISTENERS has non numeric and non boolean value (y)!"],
      [6, "error", "DISABLE_WEAK_SSL has non boolean value (2)!"],
      [7, "error", "CERTREQUEST has non numeric value (maybe)!"],
      [8, "error", "DEBUG_MIN has non numeric or negative value in upsd.conf"],
      [9, "error", "DEBUG_MIN has non numeric or negative value in upsd.conf"],
      [10, "error", "MAXAGE has non numeric value ()!"],
    ]);
  });

  test("a leading digit is enough for NUT (atoi): the rest is reported as a warning", () => {
    const { config, diagnostics } = parse("MAXAGE 20s\nMAXCONN 100x\nTRACKINGDELAY 99999999999\n");
    expect(config.maxAge).toBe(20);
    expect(config.maxConn).toBe(100);
    // (int)strtol(): 99999999999 & 0xffffffff as signed = 1215752191
    expect(config.trackingDelay).toBe(1215752191);
    expect(rows(diagnostics)).toEqual([
      [1, "warning", 'MAXAGE value "20s" is not a plain integer: NUT reads it as 20'],
      [2, "warning", 'MAXCONN value "100x" is not a plain integer: NUT reads it as 100'],
      [3, "warning", 'TRACKINGDELAY value "99999999999" is not a plain integer: NUT reads it as 1215752191'],
    ]);
  });

  test("unknown, short and wrong-case lines: invalid directive with all the words", () => {
    const { diagnostics } = parse("LISTEN\nmaxage 5\nBOGUS a b\nCERTIDENT upsd\nACL onlyname\nMAXAGE\n");
    expect(rows(diagnostics)).toEqual([
      [1, "error", "invalid directive LISTEN"],
      [2, "error", "invalid directive maxage 5"],
      [3, "error", "invalid directive BOGUS a b"],
      [4, "error", "invalid directive CERTIDENT upsd"],
      [5, "error", "invalid directive ACL onlyname"],
      [6, "error", "invalid directive MAXAGE"],
    ]);
  });

  test("extra words are dropped by NUT and reported; a repeated directive keeps the last value", () => {
    const { config, diagnostics } = parse("MAXAGE 10 20\nLISTEN 127.0.0.1 3493 extra\nMAXAGE 25\nCERTIDENT a b c\n");
    expect(config.maxAge).toBe(25);
    expect(config.listen).toEqual([{ address: "127.0.0.1", port: "3493", line: 2 }]);
    expect(config.certIdent).toEqual({ name: "a", password: "b" });
    expect(rows(diagnostics)).toEqual([
      [1, "warning", 'MAXAGE: NUT ignores "20"'],
      [2, "warning", 'LISTEN: NUT ignores "extra"'],
      [3, "warning", "MAXAGE is set again (first on line 1): the last value wins"],
      [4, "warning", 'CERTIDENT: NUT ignores "c"'],
    ]);
  });

  test("LISTEN addresses and ports upsd cannot use, and a repeated LISTEN", () => {
    const { config, diagnostics } = parse(
      "LISTEN [::1] 3493\nLISTEN bad_host! 3493\nLISTEN 127.0.0.1 70000\nLISTEN 127.0.0.1 nut\nLISTEN 127.0.0.1 0\nLISTEN ::1\nLISTEN ::1 3493\n",
    );
    expect(config.listen.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows(diagnostics)).toEqual([
      [1, "fatal", 'LISTEN address "[::1]" is not an IP address or host name: upsd exits (getaddrinfo: Name or service not known)'],
      [2, "fatal", 'LISTEN address "bad_host!" is not an IP address or host name: upsd exits (getaddrinfo: Name or service not known)'],
      [3, "error", 'invalid LISTEN port "70000" (must be a number in 1-65535)'],
      [4, "error", 'invalid LISTEN port "nut" (must be a number in 1-65535)'],
      [5, "error", 'invalid LISTEN port "0" (must be a number in 1-65535)'],
      [7, "error", 'LISTEN ::1 3493 repeats line 6: upsd cannot bind the same address twice ("not listening on ::1 port 3493")'],
    ]);
  });

  test("tokenizer problems come through with their lines", () => {
    const { config, diagnostics } = parse('MAXAGE 20\nSTATEPATH "/run/#nut"\nDATAPATH /x');
    expect(config.maxAge).toBe(20);
    expect(config.dataPath).toBe("/x");
    expect(rows(diagnostics)).toEqual([
      [2, "error", "Parse error: Unbalanced word due to unescaped # in quotes (NUT skips this line and reads the rest of it as a new line)"],
      [2, "error", 'invalid directive nut"'],
    ]);
  });
});

describe("isValidListenAddress()", () => {
  test("accepts IPv4, IPv6, *, localhost and host names", () => {
    for (const addr of [
      "127.0.0.1",
      "0.0.0.0",
      "255.255.255.255",
      "192.0.2.10",
      "::",
      "::1",
      "fe80::1%eth0",
      "2001:db8::8a2e:370:7334",
      "2001:0db8:0000:0000:0000:ff00:0042:8329",
      "1:2:3:4:5:6:7::",
      "::ffff:192.0.2.1",
      "64:ff9b::192.0.2.33",
      "*",
      "localhost",
      "ups-server",
      "nut.example.org",
      "nut.example.org.",
      "a1.b-2.c3",
    ]) {
      expect([addr, isValidListenAddress(addr)]).toEqual([addr, true]);
    }
  });

  test("rejects bracketed, malformed and out-of-range forms", () => {
    for (const addr of [
      "",
      "[::1]",
      "256.1.1.1",
      "1.2.3",
      "01.2.3.4",
      "1.2.3.4.5",
      "300.1.1.1",
      ":::",
      "1::2::3",
      "12345::1",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "::ffff:999.1.1.1",
      "fe80::1%",
      "-host",
      "host-",
      "bad_host",
      "a..b",
      "**",
      "host name",
      `${"a".repeat(64)}.com`,
    ]) {
      expect([addr, isValidListenAddress(addr)]).toEqual([addr, false]);
    }
  });
});

describe("isValidListenPort()", () => {
  test("1-65535 in decimal digits only", () => {
    expect(["1", "3493", "65535", "03493"].map(isValidListenPort)).toEqual([true, true, true, true]);
    expect(["0", "65536", "70000", "", "nut", "-1", "+80", " 80", "123456"].map(isValidListenPort)).toEqual([
      false, false, false, false, false, false, false, false, false,
    ]);
  });
});
