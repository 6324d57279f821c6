import { describe, expect, test } from "bun:test";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { ConfigSyntaxError } from "./config-syntax-error.ts";
import { parseHostsConf } from "./hosts-conf.ts";
import { parseNutConf } from "./nut-conf.ts";
import { parseUpsConf } from "./ups-conf.ts";
import { parseUpsdConf } from "./upsd-conf.ts";
import { parseUpsdUsers } from "./upsd-users.ts";
import { parseUpsmonConf } from "./upsmon-conf.ts";
import { parseUpsschedConf } from "./upssched-conf.ts";
import { ConfTokenizer, PCONF_ARG_LIMIT, PCONF_WORDLEN_LIMIT, tokenizeConfig } from "./tokenizer.ts";
import { prng } from "../../test/harness/prng.ts";

// Pieces biased toward what the tokenizer and the readers branch on.
const PIECES = [
  "\n", "\n", "\n", " ", " ", "\t", "\r", "=", "#", '"', "\\", "[", "]", "\\\n", '"#"', "@", ":",
  "MONITOR", "ups@localhost", "ups@[::1]:3493", "1", "0", "-5", "99999999999999999999", "primary", "secondary",
  "master", "slave", "user", "pass", "[ups]", "[monuser]", "driver", "port", "desc", "nolock", "override.ups.model",
  "default.battery.charge", "pollinterval", "LISTEN", "127.0.0.1", "::1", "*", "3493", "70000", "MAXAGE", "MAXCONN",
  "CERTFILE", "DISABLE_WEAK_SSL", "yes", "ACCEPT", "password", "actions", "SET", "FSD", "instcmds", "all", "upsmon",
  "allowfrom", "NOTIFYFLAG", "ONBATT", "SYSLOG+WALL+EXEC", "IGNORE", "NOTIFYMSG", "NOTIFYCMD", "SHUTDOWNCMD",
  "POWERDOWNFLAG", "MINSUPPLIES", "POLLFREQ", "DEADTIME", "HOSTSYNC", "RUN_AS_USER", "CERTVERIFY", "FORCESSL",
  "CERTHOST", "CMDSCRIPT", "PIPEFN", "LOCKFN", "AT", "START-TIMER", "CANCEL-TIMER", "EXECUTE", "DEBUG_MIN",
  "MODE=standalone", "MODE=", "export", "UPSD_OPTIONS='-D'", "'", "x".repeat(600),
];

function generate(rand: () => number): Uint8Array {
  const parts: number[] = [];
  const count = 1 + Math.floor(rand() * 40);
  for (let i = 0; i < count; i++) {
    if (rand() < 0.1) {
      parts.push(Math.floor(rand() * 256));
      continue;
    }
    const piece = PIECES[Math.floor(rand() * PIECES.length)]!;
    for (let j = 0; j < piece.length; j++) parts.push(piece.charCodeAt(j));
  }
  return new Uint8Array(parts);
}

const READERS: [string, (input: Uint8Array, file: string) => { diagnostics: ConfigDiagnostic[] }][] = [
  ["ups.conf", parseUpsConf],
  ["upsd.conf", parseUpsdConf],
  ["upsd.users", parseUpsdUsers],
  ["upsmon.conf", parseUpsmonConf],
  ["upssched.conf", parseUpsschedConf],
  ["hosts.conf", parseHostsConf],
  ["nut.conf", parseNutConf],
];

const INPUTS = 20_000;

describe(`config fuzz (${INPUTS} generated inputs, seeded)`, () => {
  test("the tokenizer never throws and keeps NUT's limits, whatever the chunking", () => {
    const rand = prng(0x5eed);
    for (let i = 0; i < INPUTS; i++) {
      const input = generate(rand);
      const whole = tokenizeConfig(input);
      for (const line of whole.lines) {
        expect(line.words.length).toBeLessThanOrEqual(PCONF_ARG_LIMIT);
        for (const w of line.words) {
          expect(w.length).toBeLessThanOrEqual(PCONF_WORDLEN_LIMIT);
          expect(/^[\x20-\x7f]*$/.test(w)).toBe(true);
        }
      }
      const split = Math.floor(rand() * (input.length + 1));
      const t = new ConfTokenizer();
      const chunked = [...t.feed(input.subarray(0, split)), ...t.feed(input.subarray(split))];
      const tail = t.end();
      if (tail.line) chunked.push(tail.line);
      expect(chunked).toEqual(whole.lines);
    }
  });

  for (const [file, parse] of READERS) {
    test(`${file}: the reader only ever reports its own diagnostics (never another exception)`, () => {
      const rand = prng(file.length * 7919);
      for (let i = 0; i < INPUTS; i++) {
        const input = generate(rand);
        const physicalLines = input.filter((b) => b === 10).length + 1;
        let result: { diagnostics: ConfigDiagnostic[] } | undefined;
        try {
          result = parse(input, file);
        } catch (err) {
          if (!(err instanceof ConfigSyntaxError)) {
            throw new Error(`seed input #${i} (${JSON.stringify(new TextDecoder().decode(input))}) threw ${String(err)}`);
          }
          continue;
        }
        for (const d of result.diagnostics) {
          expect(d.file).toBe(file);
          expect(Number.isInteger(d.line) && d.line >= 0 && d.line <= physicalLines).toBe(true);
          expect(d.message.length).toBeGreaterThan(0);
          expect(d.message.includes("\n")).toBe(false);
        }
      }
    });
  }
});
