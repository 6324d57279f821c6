import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { type UpsdUser, findUpsdUser, parseUpsdUsers, userHasUpsmonRights } from "./upsd-users.ts";

const FILE = "/etc/nut/upsd.users";

function parse(text: string) {
  return parseUpsdUsers(text, FILE);
}

function rows(diagnostics: readonly ConfigDiagnostic[]): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(FILE);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

/** A user as plain data, for toEqual. */
function plain(user: UpsdUser | undefined) {
  if (!user) return undefined;
  return { ...user, actions: [...user.actions].sort() };
}

describe("parseUpsdUsers() on Debian's sample", () => {
  test("Debian's upsd.users (comments only) defines no user and has no diagnostics", () => {
    const path = copyDebianSample("upsd.users");
    const { config, diagnostics } = parseUpsdUsers(readFileSync(path), path);
    expect(diagnostics).toEqual([]);
    expect(config.users).toEqual([]);
  });
});

describe("parseUpsdUsers() fields (server/user.c)", () => {
  test("the documented forms", () => {
    const { config, diagnostics } = parse(
      [
        "[admin]",
        '\tpassword = "pa ss\\#1"',
        "\tactions = SET",
        "\tactions = fsd",
        "\tinstcmds = test.battery.start test.battery.stop",
        "\tinstcmds = TEST.BATTERY.START",
        "",
        "[monmaster]",
        "\tpassword=mp",
        "\tupsmon primary",
        "",
        "[monslave]",
        "\tPassword = sp",
        "\tUPSMON slave",
        "[all]",
        "\tpassword = x",
        "\tinstcmds = ALL",
        "",
      ].join("\n"),
    );
    expect(rows(diagnostics)).toEqual([]);
    expect(config.users.map(plain)).toEqual([
      {
        name: "admin",
        line: 1,
        password: "pa ss#1",
        passwordLine: 2,
        actions: ["fsd", "set"],
        instcmds: ["test.battery.start", "test.battery.stop"],
      },
      { name: "monmaster", line: 8, password: "mp", passwordLine: 9, actions: ["fsd", "login", "master"], instcmds: [], upsmon: "primary" },
      { name: "monslave", line: 12, password: "sp", passwordLine: 13, actions: ["login"], instcmds: [], upsmon: "secondary" },
      { name: "all", line: 15, password: "x", passwordLine: 16, actions: [], instcmds: ["ALL"] },
    ]);
  });

  test("every word after = is a value: actions = SET FSD grants both", () => {
    const { config, diagnostics } = parse("[u]\npassword = p\nactions = SET FSD Primary\n");
    expect([...findUpsdUser(config, "u")!.actions]).toEqual(["set", "fsd", "primary"]);
    expect(rows(diagnostics)).toEqual([]);
  });

  test("upsmon master and secondary give the same actions as primary and slave", () => {
    const { config } = parse("[a]\npassword = p\nupsmon master\n[b]\npassword = p\nupsmon secondary\n");
    expect(plain(findUpsdUser(config, "a"))!.actions).toEqual(["fsd", "login", "master"]);
    expect(findUpsdUser(config, "a")!.upsmon).toBe("primary");
    expect(plain(findUpsdUser(config, "b"))!.actions).toEqual(["login"]);
    expect(findUpsdUser(config, "b")!.upsmon).toBe("secondary");
  });

  test('"upsmon = primary" works but NUT first logs "Unknown upsmon type ="', () => {
    const { config, diagnostics } = parse("[m]\npassword = p\nupsmon = primary\n");
    expect(findUpsdUser(config, "m")!.upsmon).toBe("primary");
    expect(plain(findUpsdUser(config, "m"))!.actions).toEqual(["fsd", "login", "master"]);
    expect(rows(diagnostics)).toEqual([[3, "warning", "Unknown upsmon type ="]]);
  });

  test("a quoted or escaped word holding = is the compressed form: field=value", () => {
    const { config, diagnostics } = parse('[u]\n"password=a=b"\nactions\\=set fsd\n');
    const u = findUpsdUser(config, "u")!;
    expect(u.password).toBe("a=b");
    expect([...u.actions]).toEqual(["set", "fsd"]);
    expect(rows(diagnostics)).toEqual([]);
  });

  test("user names are case-sensitive: [Admin] and [admin] are two users", () => {
    const { config, diagnostics } = parse("[Admin]\npassword = a\n[admin]\npassword = b\n");
    expect(config.users.map((u) => [u.name, u.password])).toEqual([
      ["Admin", "a"],
      ["admin", "b"],
    ]);
    expect(findUpsdUser(config, "ADMIN")).toBeUndefined();
    expect(rows(diagnostics)).toEqual([]);
  });
});

describe("parseUpsdUsers() diagnostics and quirks", () => {
  test("a duplicate user is ignored and the fields after it go to the previous user", () => {
    // observed with Debian's upsd 2.8.0: u2 was granted PRIMARY and FSD, u1 was not
    const { config, diagnostics } = parse("[u1]\npassword = p1\n[u2]\npassword = p2\n[u1]\nupsmon primary\nPASSWORD = again\n");
    expect(plain(findUpsdUser(config, "u1"))).toEqual({ name: "u1", line: 1, password: "p1", passwordLine: 2, actions: [], instcmds: [] });
    expect(plain(findUpsdUser(config, "u2"))).toEqual({
      name: "u2",
      line: 3,
      password: "p2",
      passwordLine: 4,
      actions: ["fsd", "login", "master"],
      instcmds: [],
      upsmon: "primary",
    });
    expect(rows(diagnostics)).toEqual([
      [5, "error", "Ignoring duplicate user u1"],
      [6, "warning", "this goes to user u2: NUT keeps filling the previous user after the duplicate [u1]"],
      [7, "error", "Ignoring duplicate password for u2"],
    ]);
  });

  test("a second password, and a password of two words (the second is a duplicate)", () => {
    const { config, diagnostics } = parse("[u]\npassword = my secret\npassword = other\n");
    expect(findUpsdUser(config, "u")).toMatchObject({ password: "my", passwordLine: 2 });
    expect(rows(diagnostics)).toEqual([
      [2, "error", "Ignoring duplicate password for u"],
      [3, "error", "Ignoring duplicate password for u"],
    ]);
  });

  test("allowfrom, unknown fields and unknown upsmon types", () => {
    const { config, diagnostics } = parse("[u]\npassword = p\nallowfrom = localhost\nbogus = 1 2\nupsmon observer\nupsmon =\n");
    expect(plain(findUpsdUser(config, "u"))!.actions).toEqual([]);
    expect(findUpsdUser(config, "u")!.upsmon).toBeUndefined();
    expect(rows(diagnostics)).toEqual([
      [3, "warning", "allowfrom in upsd.users is no longer used"],
      [4, "error", "Unrecognized user setting bogus"],
      [5, "error", "Unknown upsmon type observer"],
      [6, "error", "Unknown upsmon type ="],
    ]);
  });

  test("fields before any section: upsmon logs NUT's message, the others are silently lost", () => {
    const { config, diagnostics } = parse("upsmon primary\npassword = p\nactions = SET\n[u]\npassword = q\n");
    expect(config.users.map(plain)).toEqual([{ name: "u", line: 4, password: "q", passwordLine: 5, actions: [], instcmds: [] }]);
    expect(rows(diagnostics)).toEqual([
      [1, "error", "Ignoring action definition outside user section"],
      [2, "error", "ignored: password = p (outside any [user] section)"],
      [3, "error", "ignored: actions = SET (outside any [user] section)"],
    ]);
  });

  test("lines NUT does not read: old user format, two words, no =, words after a header", () => {
    const { config, diagnostics } = parse("user old pw\n[u] password = x\npassword x\nactions SET FSD\n[\n");
    expect(config.users.map((u) => u.name)).toEqual(["u"]);
    expect(rows(diagnostics)).toEqual([
      [1, "error", 'ignored: user old pw (the old "user" line format is no longer read)'],
      [2, "error", "ignored after the section header: password = x"],
      [2, "warning", "user u has no password: upsd never lets it log in"],
      [3, "error", 'ignored: password x (NUT reads only "[user]", "field = value" and "upsmon <role>" lines)'],
      [4, "error", 'ignored: actions SET FSD (NUT reads only "[user]", "field = value" and "upsmon <role>" lines)'],
      [5, "error", 'ignored: [ (NUT reads only "[user]", "field = value" and "upsmon <role>" lines)'],
    ]);
  });

  test("tokenizer problems come through with their lines", () => {
    const { config, diagnostics } = parse('[u]\npassword = "a#b"\nupsmon secondary');
    expect(findUpsdUser(config, "u")!.password).toBeUndefined();
    expect(rows(diagnostics)).toEqual([
      [1, "warning", "user u has no password: upsd never lets it log in"],
      [2, "error", "Parse error: Unbalanced word due to unescaped # in quotes (NUT skips this line and reads the rest of it as a new line)"],
      [2, "error", 'ignored: b" (NUT reads only "[user]", "field = value" and "upsmon <role>" lines)'],
    ]);
    expect(findUpsdUser(config, "u")!.upsmon).toBe("secondary");
  });
});

describe("userHasUpsmonRights()", () => {
  const { config } = parse(
    [
      "[prim]",
      "password = p",
      "upsmon primary",
      "[sec]",
      "password = p",
      "upsmon secondary",
      "[byactions]",
      "password = p",
      "actions = LOGIN PRIMARY",
      "[nopass]",
      "upsmon primary",
      "[masteronly]",
      "password = p",
      "actions = MASTER",
      "",
    ].join("\n"),
  );
  const rights = (name: string) => [userHasUpsmonRights(findUpsdUser(config, name)!, "primary"), userHasUpsmonRights(findUpsdUser(config, name)!, "secondary")];

  test("primary needs password, login and master or primary; secondary needs password and login", () => {
    expect(rights("prim")).toEqual([true, true]);
    expect(rights("sec")).toEqual([false, true]);
    expect(rights("byactions")).toEqual([true, true]);
    expect(rights("nopass")).toEqual([false, false]);
    expect(rights("masteronly")).toEqual([false, false]);
  });
});
