// Checks cli/getopt.ts against glibc's own getopt(): a tiny C program is compiled with `cc` at
// test time, runs getopt() over the same argv and prints every result; both transcripts must be
// equal. No cc → the tests fail (never skip): CI images have gcc, as NUT's build needs it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Getopt, getopt } from "./getopt.ts";
import { prng } from "../test/harness/prng.ts";

const PROGNAME = "prog";

// _GNU_SOURCE: NUT's binaries link glibc's GNU getopt (permuting by default); without it
// <unistd.h> redirects getopt to __posix_getopt, which never permutes.
// Output: one line per getopt() result, glibc's own messages interleaved on the same
// unbuffered stream (stderr is dup'ed onto stdout), then the words left at argv[optind…].
const C_SOURCE = `
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  char *args[256];
  int n = 0, c;
  setvbuf(stdout, NULL, _IONBF, 0);
  dup2(1, 2);
  args[n++] = "${PROGNAME}";
  for (int i = 2; i < argc && n < 255; i++) args[n++] = argv[i];
  args[n] = NULL;
  for (;;) {
    optarg = NULL;
    c = getopt(n, args, argv[1]);
    if (c == -1) break;
    printf("R %d", c);
    if (c == '?' || c == ':') printf(" optopt=%d", optopt);
    if (optarg != NULL) printf(" arg=[%s]", optarg);
    printf("\\n");
  }
  for (int i = optind; i < n; i++) printf("O [%s]\\n", args[i]);
  return 0;
}
`;

let workDir = "";
let glibcGetopt = "";

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "nut-getopt-"));
  writeFileSync(join(workDir, "getopt-oracle.c"), C_SOURCE);
  glibcGetopt = join(workDir, "getopt-oracle");
  let proc: ReturnType<typeof Bun.spawnSync>;
  try {
    proc = Bun.spawnSync(["cc", "-std=gnu99", "-D_GNU_SOURCE", "-o", glibcGetopt, join(workDir, "getopt-oracle.c")], {
      stdout: "pipe",
      stderr: "pipe",
      timeout: 60_000,
    });
  } catch (e) {
    throw new Error(`cli/getopt.test.ts needs a C compiler named "cc" to build its glibc oracle: ${String(e)}`);
  }
  if (proc.exitCode !== 0) {
    throw new Error(`cc failed to build the glibc getopt oracle:\n${proc.stderr?.toString()}`);
  }
});

afterAll(() => {
  if (workDir !== "") rmSync(workDir, { recursive: true, force: true });
});

/** glibc's transcript for one argv. */
function glibc(optstring: string, args: readonly string[], posixlyCorrect = false): string {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "POSIXLY_CORRECT") env[k] = v;
  if (posixlyCorrect) env.POSIXLY_CORRECT = "1";
  const proc = Bun.spawnSync([glibcGetopt, optstring, ...args], { env, stdout: "pipe", stderr: "pipe", timeout: 10_000 });
  if (proc.exitCode !== 0) throw new Error(`getopt oracle failed (${proc.exitCode}): ${proc.stderr.toString()}`);
  return proc.stdout.toString();
}

/** Our transcript, in the oracle's format. */
function ours(optstring: string, args: readonly string[], posixlyCorrect = false): string {
  const all = getopt(args, optstring, PROGNAME, { posixlyCorrect });
  let out = "";
  for (const r of all.options) {
    out += r.error ?? "";
    out += `R ${r.opt.codePointAt(0)}`;
    if (r.optopt !== undefined) out += ` optopt=${r.optopt.codePointAt(0)}`;
    if (r.arg !== undefined) out += ` arg=[${r.arg}]`;
    out += "\n";
  }
  for (const o of all.operands) out += `O [${o}]\n`;
  return out;
}

const DRIVER = "+a:s:kDFBd:hx:Lqr:u:g:Vi:c:P:";
const UPSDRVCTL = "+htu:r:DdV";
const UPSC = "+DhlLcVW:jA:";

/** Hand-picked argvs: the ways people (and scripts) actually write NUT command lines. */
const CASES: readonly { optstring: string; args: string[]; posixly?: boolean }[] = [
  { optstring: DRIVER, args: ["-a", "ups"] },
  { optstring: DRIVER, args: ["-aups"] },
  { optstring: DRIVER, args: ["-DDD", "-a", "ups"] },
  { optstring: DRIVER, args: ["-Fa", "ups"] },
  { optstring: DRIVER, args: ["-Faups", "-k"] },
  { optstring: DRIVER, args: ["-a"] },
  { optstring: DRIVER, args: ["-Da"] },
  { optstring: DRIVER, args: ["-z"] },
  { optstring: DRIVER, args: ["-zD", "-y", "-a", "x"] },
  { optstring: DRIVER, args: ["-x", "-secret-", "-a", "ups"] },
  { optstring: DRIVER, args: ["-a", "--", "-k"] },
  { optstring: DRIVER, args: ["--", "-a", "ups"] },
  { optstring: DRIVER, args: ["-a", "ups", "extra", "-k"] },
  { optstring: DRIVER, args: ["-", "-k"] },
  { optstring: DRIVER, args: ["-k", "-", "-D"] },
  { optstring: DRIVER, args: ["-:"] },
  { optstring: DRIVER, args: ["-+"] },
  { optstring: DRIVER, args: ["--a"] },
  { optstring: DRIVER, args: ["---"] },
  { optstring: DRIVER, args: [""] },
  { optstring: DRIVER, args: ["-a", ""] },
  { optstring: DRIVER, args: ["-x", "port=/dev/ttyS0", "-s", "id", "-x", "a b"] },
  { optstring: UPSDRVCTL, args: ["start"] },
  { optstring: UPSDRVCTL, args: ["-t", "-u", "root", "start", "ups1"] },
  { optstring: UPSDRVCTL, args: ["-DDd", "shutdown", "-t"] },
  { optstring: UPSDRVCTL, args: ["-tu"] },
  { optstring: UPSDRVCTL, args: ["-z", "-q", "start"] },
  { optstring: UPSDRVCTL, args: ["-r/chroot", "-uroot", "stop"] },
  { optstring: UPSC, args: ["ups@localhost", "ups.status"] },
  { optstring: UPSC, args: ["-l", "localhost"] },
  { optstring: UPSC, args: ["-W", "5", "-j", "ups"] },
  { optstring: UPSC, args: ["-W"] },
  { optstring: UPSC, args: ["-Wx", "-A"] },
  // glibc's default (permute) mode, ":" and "-" prefixes, optional arguments
  { optstring: "ab:c", args: ["x", "-a", "y", "-b", "z", "w", "--", "-c", "v"] },
  { optstring: "ab:c", args: ["x", "-ab", "y", "z"] },
  { optstring: "ab:c", args: ["x", "-a", "y"], posixly: true },
  { optstring: "ab:c", args: ["x", "--", "y"] },
  { optstring: "ab:c", args: ["x", "-b"] },
  { optstring: ":ab:c", args: ["-b"] },
  { optstring: ":ab:c", args: ["-z", "-b"] },
  { optstring: "+:ab:", args: ["-b", "-q"] },
  { optstring: "-ab:", args: ["x", "-a", "y", "--", "z"] },
  { optstring: "-:ab:", args: ["x", "-b"] },
  { optstring: "a::b", args: ["-a", "x", "-ay", "-ba"] },
  { optstring: "a::b", args: ["-ba", "x"] },
  { optstring: ":+a", args: ["-+", "-a"] },
  { optstring: "W;a", args: ["-W", "foo", "-a"] },
  { optstring: "a-b", args: ["-a-b", "-"] },
  { optstring: "ab:", args: ["-a", "-b", "--"] },
];

describe("getopt() against glibc", () => {
  test("the C oracle really is glibc's getopt (it reports an invalid option)", () => {
    expect(glibc(DRIVER, ["-z"])).toBe(`${PROGNAME}: invalid option -- 'z'\nR 63 optopt=122\n`);
  });

  for (const c of CASES) {
    test(`${c.posixly === true ? "POSIXLY_CORRECT " : ""}"${c.optstring}" ${JSON.stringify(c.args)}`, () => {
      expect(ours(c.optstring, c.args, c.posixly)).toBe(glibc(c.optstring, c.args, c.posixly));
    });
  }

  test("250 random argvs over random optstrings give glibc's results", () => {
    const random = prng(0x5eed_2025);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const letters = "abcdkDFqxV:;+-W";
    const optstring = (): string => {
      let s = pick(["", "", "+", "-", ":", "+:", "-:"]);
      const n = 1 + Math.floor(random() * 6);
      for (let i = 0; i < n; i++) s += pick([..."abcdkDFqxVW"]) + pick(["", "", ":", "::"]);
      return s;
    };
    const word = (): string => {
      const kind = random();
      if (kind < 0.15) return pick(["-", "--", "", "---", "-:", "-;", "-+"]);
      if (kind < 0.35) return pick(["ups", "start", "x", "a b", "-secret-", "value=1"]);
      let s = "-";
      const n = 1 + Math.floor(random() * 4);
      for (let i = 0; i < n; i++) s += pick([...letters]);
      return s;
    };
    const mismatches: string[] = [];
    for (let i = 0; i < 250; i++) {
      const os = i < 100 ? pick([DRIVER, UPSDRVCTL, UPSC]) : optstring();
      const args = Array.from({ length: Math.floor(random() * 7) }, word);
      const posixly = random() < 0.1;
      const expected = glibc(os, args, posixly);
      const actual = ours(os, args, posixly);
      if (actual !== expected) mismatches.push(`#${i} "${os}" ${JSON.stringify(args)} posixly=${posixly}\nglibc:\n${expected}ours:\n${actual}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("Getopt as an iterator", () => {
  test("stopping at the first '?' leaves the later errors unprinted, as a C loop that exits", () => {
    const parser = new Getopt(["-z", "-y"], UPSDRVCTL, "upsdrvctl");
    expect(parser.next()).toEqual({ opt: "?", optopt: "z", error: "upsdrvctl: invalid option -- 'z'\n" });
  });

  test("operands() before the end is a programming error", () => {
    const parser = new Getopt(["-t", "start"], UPSDRVCTL, "upsdrvctl");
    expect(() => parser.operands()).toThrow();
    expect(parser.next()).toEqual({ opt: "t" });
    expect(parser.next()).toBeUndefined();
    expect(parser.operands()).toEqual(["start"]);
  });
});
