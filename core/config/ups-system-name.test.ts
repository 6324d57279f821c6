import { describe, expect, test } from "bun:test";
import { NUT_DEFAULT_PORT, parseUpsSystemName } from "./ups-system-name.ts";

describe("parseUpsSystemName() accepts what NUT 2.8.0's upscli_splitname() accepts", () => {
  // Expected parts from config/clients-cli.md §1.1 and clients/upsclient.c at v2.8.0.
  const cases: [string, string, string, number][] = [
    ["ups", "ups", "localhost", 3493],
    ["ups@host", "ups", "host", 3493],
    ["ups@host:3494", "ups", "host", 3494],
    ["ups@[::1]", "ups", "::1", 3493],
    ["ups@[::1]:3494", "ups", "::1", 3494],
    ["su700@bigbox:5678", "su700", "bigbox", 5678],
    ["ups@192.0.2.1:65535", "ups", "192.0.2.1", 65535],
    ["ups@host:1", "ups", "host", 1],
    // strtol: trailing junk after the digits is ignored, leading blanks and '+' accepted
    ["ups@host:3494abc", "ups", "host", 3494],
    ["ups@host: +12", "ups", "host", 12],
    // after the literal's ']' only a ':' introduces a port
    ["ups@[fe80::1%eth0]x", "ups", "fe80::1%eth0", 3493],
    // 2.8.0's strtok reads the host of "ups@:3494" as "3494"
    ["ups@:3494", "ups", "3494", 3494],
    // a second '@' belongs to the host
    ["ups@host@x", "ups", "host@x", 3493],
  ];
  for (const [input, upsname, host, port] of cases) {
    test(JSON.stringify(input), () => {
      expect(parseUpsSystemName(input)).toEqual({ ok: true, upsname, host, port });
    });
  }

  test("the default port is upsd's 3493", () => {
    expect(NUT_DEFAULT_PORT).toBe(3493);
  });
});

describe("parseUpsSystemName() accepts with a warning what NUT 2.8.5 refuses", () => {
  test("a leading @ is skipped by 2.8.0's strtok: UPS named after the host", () => {
    expect(parseUpsSystemName("@127.0.0.1")).toEqual({
      ok: true,
      upsname: "127.0.0.1",
      host: "127.0.0.1",
      port: 3493,
      warning: "upscli_splitname: got empty upsname string",
    });
  });

  test("a port without a host makes the whole text the UPS name on localhost", () => {
    expect(parseUpsSystemName("ups:3494")).toEqual({
      ok: true,
      upsname: "ups:3494",
      host: "localhost",
      port: 3493,
      warning: "upscli_splitname: port specified, but not a hostname",
    });
  });
});

describe("parseUpsSystemName() refuses with NUT's stderr text", () => {
  const noPort = "upscli_splitaddr: no port specified after ':' separator";
  const cases: [string, string, string][] = [
    ["", "upscli_splitname: can't parse empty string", ""],
    ["ups@", "upscli_splitaddr: can't parse empty string", "ups"],
    ["ups@host:", noPort, "ups"],
    ["ups@host:0", noPort, "ups"],
    ["ups@host:65536", noPort, "ups"],
    ["ups@host:99999", noPort, "ups"],
    ["ups@host:abc", noPort, "ups"],
    ["ups@host:-1", noPort, "ups"],
    ["ups@[::1]:", noPort, "ups"],
    ["ups@[::1]:x", noPort, "ups"],
    ["ups@::1", noPort, "ups"],
    ["ups@[::1", "upscli_splitaddr: missing closing bracket in [domain literal]", "ups"],
    // 2.8.0 crashes on these (strdup(NULL)); upsc prints nothing and dies
    ["@", "upscli_splitname: got empty upsname string", ""],
    ["@@", "upscli_splitname: got empty upsname string", ""],
    ["ups@[]", "upscli_splitaddr: empty hostname", "ups"],
    ["ups@:", "upscli_splitaddr: empty hostname", "ups"],
  ];
  for (const [input, error, upsname] of cases) {
    test(JSON.stringify(input), () => {
      expect(parseUpsSystemName(input)).toEqual({ ok: false, error, upsname });
    });
  }

  test("only the first 511 characters count, as NUT copies into a 512-byte buffer", () => {
    const long = `ups@host:${"1".repeat(600)}`;
    // 511 characters keep "ups@host:" and 502 ones: far beyond 65535
    expect(parseUpsSystemName(long)).toEqual({ ok: false, error: noPort, upsname: "ups" });
    const name = "u".repeat(600);
    const r = parseUpsSystemName(name);
    expect(r.ok && r.upsname.length).toBe(511);
  });
});
