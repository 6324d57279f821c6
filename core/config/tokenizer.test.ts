import { describe, expect, test } from "bun:test";
import { ConfTokenizer, PCONF_ARG_LIMIT, PCONF_WORDLEN_LIMIT, UNBALANCED_QUOTE_HASH, encodeConfWord, tokenizeConfig } from "./tokenizer.ts";

function words(input: string): string[][] {
  return tokenizeConfig(input).lines.map((l) => l.words);
}

describe("tokenizeConfig() splits words as NUT's parseconf", () => {
  // Expected words as NUT's common/parseconf.c splits them (its state machine, v2.8.0).
  const cases: [string, string[][]][] = [
    ["MONITOR ups@host 1 user pass primary\n", [["MONITOR", "ups@host", "1", "user", "pass", "primary"]]],
    ['SHUTDOWNCMD "/sbin/shutdown -h +0"\n', [["SHUTDOWNCMD", "/sbin/shutdown -h +0"]]],
    ['desc = "Web \\"main\\" UPS"\n', [["desc", "=", 'Web "main" UPS']]],
    ["driver=usbhid-ups\n", [["driver", "=", "usbhid-ups"]]],
    ["driver =usbhid-ups\n", [["driver", "=", "usbhid-ups"]]],
    ["driver= usbhid-ups\n", [["driver", "=", "usbhid-ups"]]],
    ["password = 123=123\n", [["password", "=", "123", "=", "123"]]],
    ['password = "123=123"\n', [["password", "=", "123=123"]]],
    ["password = 123\\=123\n", [["password", "=", "123=123"]]],
    ["identity = my#1ups\n", [["identity", "=", "my"]]],
    ["identity = my\\#1ups\n", [["identity", "=", "my#1ups"]]],
    ["path = c:\\\\dir\n", [["path", "=", "c:\\dir"]]],
    ['a = ""\n', [["a", "=", ""]]],
    ['ab"c d"\n', [['ab"c', 'd"']]],
    ['"abc"def\n', [["abc", "def"]]],
    ["foo \\\nbar\n", [["foo", "bar"]]],
    ["foo \\\n bar\n", [["foo", "", "bar"]]],
    ["[myups]\n", [["[myups]"]]],
    ["[my ups]\n", [["[my", "ups]"]]],
    ["# only a comment\n\n   \t\n", [[], [], []]],
    ["a\r\nb\n", [["a"], ["b"]]],
    ['q "a\nb"\n', [["q", "ab"]]],
    ['q "a\\\nb"\n', [["q", "ab"]]],
    ["=\n", [["="]]],
    ["a==b\n", [["a", "=", "=", "b"]]],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)}`, () => {
      expect(words(input)).toEqual(expected);
    });
  }
});

describe("tokenizeConfig() errors and losses", () => {
  test("# inside quotes is a parse error and the rest of the physical line becomes a new line", () => {
    const { lines } = tokenizeConfig('x = "a#b"\nnext\n');
    expect(lines).toEqual([
      { words: ["x", "=", "a"], line: 1, nutLine: 1, error: UNBALANCED_QUOTE_HASH, errorLine: 1 },
      { words: ['b"'], line: 1, nutLine: 2 },
      { words: ["next"], line: 2, nutLine: 3 },
    ]);
  });

  test("a last one-word line without LF is lost, as NUT loses `nolock`", () => {
    const t = tokenizeConfig("[ups]\nnolock");
    expect(t.lines.map((l) => l.words)).toEqual([["[ups]"]]);
    expect(t.lostWord).toEqual({ line: 2, word: "nolock" });
  });

  test("a last line of two words without LF is kept", () => {
    const t = tokenizeConfig("port = auto");
    expect(t.lines.map((l) => l.words)).toEqual([["port", "=", "auto"]]);
    expect(t.lostWord).toBeUndefined();
  });

  test("bytes outside 0x20-0x7F are dropped from words and reported with their line", () => {
    const t = tokenizeConfig('a\n"x\ty"\n\x01 z\n');
    expect(t.lines.map((l) => l.words)).toEqual([["a"], ["xy"], ["", "z"]]);
    expect(t.discarded).toEqual([{ line: 2, byte: 9 }, { line: 3, byte: 1 }]);
  });

  test("non-ASCII bytes in comments are not reported", () => {
    expect(tokenizeConfig(new Uint8Array([0x23, 0xc3, 0xa9, 0x0a])).discarded).toEqual([]);
  });

  test("physical and NUT line numbers diverge after a continuation", () => {
    const t = tokenizeConfig("a \\\nb\nc\n");
    expect(t.lines.map((l) => [l.words, l.line, l.nutLine])).toEqual([
      [["a", "b"], 1, 1],
      [["c"], 3, 2],
    ]);
  });

  test(`words past the ${PCONF_ARG_LIMIT}th are dropped and words are cut at ${PCONF_WORDLEN_LIMIT} chars`, () => {
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    expect(words(`${many}\n`)[0]).toHaveLength(PCONF_ARG_LIMIT);
    expect(words(`${"x".repeat(600)}\n`)[0]![0]).toBe("x".repeat(PCONF_WORDLEN_LIMIT));
  });
});

describe("ConfTokenizer.feed()", () => {
  test("gives the same lines whatever the chunking", () => {
    const text = 'MONITOR "my ups"@h 1 u "p\\"w" primary\n# c\nx = "a#b"\nfoo \\\nbar\n';
    const bytes = new TextEncoder().encode(text);
    const whole = tokenizeConfig(bytes).lines;
    for (let split = 1; split < bytes.length; split++) {
      const t = new ConfTokenizer();
      const lines = [...t.feed(bytes.subarray(0, split)), ...t.feed(bytes.subarray(split))];
      expect(lines).toEqual(whole);
    }
  });
});

describe("encodeConfWord()", () => {
  test("escapes exactly backslash, quote and hash", () => {
    expect(encodeConfWord('a\\b"c#d e=f')).toBe('a\\\\b\\"c\\#d e=f');
  });
  test("round-trips through the tokenizer inside quotes", () => {
    for (const value of ['Web "main" UPS', "c:\\dir", "lab #1", "", "a=b"]) {
      expect(words(`k "${encodeConfWord(value)}"\n`)).toEqual([["k", value]]);
    }
  });
});

describe("ConfTokenizer.feedChunk() plain-line fast path", () => {
  // feed() always runs the per-byte state machine; feedChunk() skips it for plain lines
  const alphabet = ["a", "Z", "0", ".", "_", "-", " ", " ", "\n", "@", "~", "\t", '"', "#", "=", "\\", "\x7f", "\x01"];
  test("gives what the state machine gives, limits and line numbers included, over 20,000 seeded inputs", () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let plain = 0;
    for (let run = 0; run < 20_000; run++) {
      const argLimit = [0, 2, 32][rand(3)]!;
      const wordLimit = [0, 3, 512][rand(3)]!;
      const fast = new ConfTokenizer({ argLimit, wordLimit, recordDiscarded: false });
      const slow = new ConfTokenizer({ argLimit, wordLimit, recordDiscarded: false });
      for (let chunkNo = 0; chunkNo < 3; chunkNo++) {
        // mostly plain chunks, so that the fast path runs often
        const pool = rand(4) === 0 ? alphabet : alphabet.slice(0, 9);
        let text = Array.from({ length: rand(40) }, () => pool[rand(pool.length)]!).join("");
        if (rand(3) !== 0) text += "\n";
        const bytes = new TextEncoder().encode(text);
        if (/^[^"#=\\\t\x7f\x01]*\n$/.test(text)) plain++;
        expect(fast.feedChunk(bytes)).toEqual(slow.feed(bytes));
      }
    }
    expect(plain).toBeGreaterThan(5_000);
  });
});
