// Bounded, seeded fuzz test of upsd's request tokenizer (NetRequestTokenizer): random byte
// strings biased towards what parseconf treats specially (quotes, `#`, `\`, `=`, LF, spaces,
// control and non-ASCII bytes, long words, many words) are cut into read() chunks in several ways
// and fed to the tokenizer. It must never throw, must only ever yield lines of ≤ 32 words of
// ≤ 512 chars in 0x20-0x7F, and must produce exactly what NUT's rules (net-protocol.md §1.1) say
// for that chunking: an independent, unbounded reference model of parseconf (limits applied
// afterwards) that drops the rest of a read() chunk on "# inside quotes". Where no parse error
// happens, the result must not depend on the chunking at all.
import { describe, expect, test } from "bun:test";
import { NET_ARG_LIMIT, NET_PARSE_ERROR, NET_READ_CHUNK, NET_WORD_LIMIT, NetRequestTokenizer, readChunks } from "./net-request.ts";
import { prng } from "../../test/harness/prng.ts";

/** Number of generated inputs (each fed in at least three chunkings). */
const INPUTS = 20_000;
const SEED = 0x4e555431; // "NUT1"

const latin1 = (s: string): number[] => [...Buffer.from(s, "latin1")];

/** One random input: a sequence of biased fragments. */
function generate(rand: () => number): Uint8Array {
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const out: number[] = [];
  // mostly short inputs, some spanning several 512-byte reads
  const target = rand() < 0.8 ? int(200) : int(3000);
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
  const fragments: (() => number[])[] = [
    () => [0x22], // "
    () => [0x23], // #
    () => [0x5c], // \
    () => [0x3d], // =
    () => [0x0a], // LF
    () => [0x0a],
    () => [0x20],
    () => [0x20],
    () => [pick([0x09, 0x0b, 0x0c, 0x0d])], // other isspace bytes
    () => [int(0x20)], // control bytes, NUL included
    () => [0x7f],
    () => [0x80 + int(0x80)], // non-ASCII byte
    () => latin1("\xc3\xa9"), // UTF-8 é
    () => [0xff, 0xfe, 0xc0], // invalid UTF-8
    () => latin1(pick(["GET", "VAR", "LIST", "VER", "SET", "ups.status", "fake", "USERNAME", "\\\"", '""', '"a b"'])),
    () => Array.from({ length: 1 + int(12) }, () => letters.charCodeAt(int(letters.length))),
    () => Array.from({ length: 1 + int(12) }, () => letters.charCodeAt(int(letters.length))),
    // long words around and past the 512-char limit, sometimes with specials inside
    () => Array.from({ length: 400 + int(1200) }, () => (rand() < 0.01 ? pick([0x22, 0x5c, 0x80, 0x00]) : 0x78)),
    // many words on one line (past the 32-word limit)
    () => latin1(Array.from({ length: 20 + int(40) }, (_, i) => `w${i}`).join(" ")),
  ];
  while (out.length < target) out.push(...pick(fragments)());
  return Uint8Array.from(out);
}

/** Cuts `data` at random positions into pieces of at most `max` bytes. */
function randomChunks(data: Uint8Array, rand: () => number, max: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; ) {
    const n = 1 + Math.floor(rand() * Math.min(max, data.length - i));
    chunks.push(data.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

interface Fed {
  lines: string[][];
  errors: number;
}

/** Feeds `chunks` to one tokenizer, checking the limits on everything it yields. */
function feed(chunks: readonly Uint8Array[]): Fed {
  const t = new NetRequestTokenizer();
  const fed: Fed = { lines: [], errors: 0 };
  for (const chunk of chunks) {
    const r = t.feedChunk(chunk);
    if (r.error !== undefined) {
      if (r.error !== NET_PARSE_ERROR) throw new Error(`unexpected error text ${r.error}`);
      fed.errors++;
    }
    if (!(r.discarded >= 0 && r.discarded <= chunk.length)) throw new Error(`discarded ${r.discarded} of ${chunk.length}`);
    for (const line of r.lines) {
      if (line.length > NET_ARG_LIMIT) throw new Error(`line of ${line.length} words`);
      for (const word of line) {
        if (word.length > NET_WORD_LIMIT) throw new Error(`word of ${word.length} chars`);
        if (!/^[\x20-\x7f]*$/.test(word)) throw new Error(`word with a byte outside 0x20-0x7F: ${JSON.stringify(word)}`);
      }
      fed.lines.push(line);
    }
  }
  return fed;
}

/**
 * NUT's rules written down independently of the implementation: parseconf's states with
 * unbounded words, the limits (first 512 chars of a word, first 32 words of a line) applied when
 * a line is complete; `#` inside quotes drops the line in progress and the rest of its read().
 */
function reference(chunks: readonly Uint8Array[]): Fed {
  const fed: Fed = { lines: [], errors: 0 };
  type Mode = "start" | "comment" | "quoted" | "quotedEscape" | "word" | "wordEscape";
  let mode: Mode = "start";
  let words: string[] = [];
  let word = "";
  const keep = (b: number): string => (b >= 0x20 && b <= 0x7f ? String.fromCharCode(b) : "");
  const finishWord = (): void => {
    words.push(word);
    word = "";
  };
  const finishLine = (): void => {
    fed.lines.push(words.slice(0, NET_ARG_LIMIT).map((w) => w.slice(0, NET_WORD_LIMIT)));
    words = [];
  };
  const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
  const atStart = (b: number): void => {
    if (b === 0x0a) finishLine();
    else if (b === 0x23) mode = "comment";
    else if (isSpace(b)) mode = "start";
    else if (b === 0x5c) mode = "wordEscape";
    else if (b === 0x22) mode = "quoted";
    else if (b === 0x3d) {
      word = "=";
      finishWord();
      mode = "start";
    } else {
      word = keep(b); // a dropped byte still starts a (possibly empty) word
      mode = "word";
    }
  };
  for (const chunk of chunks) {
    for (const b of chunk) {
      if (mode === "start") atStart(b);
      else if (mode === "comment") {
        if (b === 0x0a) {
          finishLine();
          mode = "start";
        }
      } else if (mode === "quoted") {
        if (b === 0x23) {
          fed.errors++;
          words = [];
          word = "";
          mode = "start";
          break; // the rest of this read() is thrown away
        }
        if (b === 0x22) {
          finishWord();
          mode = "start";
        } else if (b === 0x5c) mode = "quotedEscape";
        else word += keep(b);
      } else if (mode === "quotedEscape") {
        if (b !== 0x0a) word += keep(b);
        mode = "quoted";
      } else if (mode === "wordEscape") {
        if (b !== 0x0a) word += keep(b);
        mode = "word";
      } else if (b === 0x23) {
        finishWord();
        mode = "comment";
      } else if (b === 0x0a) {
        finishWord();
        finishLine();
        mode = "start";
      } else if (isSpace(b)) {
        finishWord();
        mode = "start";
      } else if (b === 0x3d) {
        finishWord();
        mode = "start";
        atStart(b);
      } else if (b === 0x5c) mode = "wordEscape";
      else word += keep(b);
    }
  }
  return fed;
}

describe("NetRequestTokenizer fuzz", () => {
  test(
    `${INPUTS} seeded inputs: limits hold, never throws, chunking follows NUT's read() rules`,
    () => {
      const rand = prng(SEED);
      let totalBytes = 0;
      let withError = 0;
      let longWords = 0;
      let wideLines = 0;
      let totalLines = 0;
      for (let n = 0; n < INPUTS; n++) {
        const data = generate(rand);
        totalBytes += data.length;
        const chunkings: Uint8Array[][] = [
          readChunks(data), // one TCP segment cut the way upsd's read() cuts it
          randomChunks(data, rand, NET_READ_CHUNK), // arbitrary segments, each at most one read()
          randomChunks(data, rand, 1 + Math.floor(rand() * 16)), // a slow client
        ];
        // TCP segments of any size, each then cut into 512-byte reads (what ClientConnection does)
        chunkings.push(randomChunks(data, rand, 4 * NET_READ_CHUNK).flatMap((segment) => readChunks(segment)));
        if (data.length <= 300) chunkings.push(randomChunks(data, rand, 1)); // byte at a time
        let first: Fed | undefined;
        for (const chunks of chunkings) {
          let got: Fed;
          try {
            got = feed(chunks);
          } catch (err) {
            throw new Error(`input #${n} (${data.length} bytes, starting ${Buffer.from(data.subarray(0, 64)).toString("hex")}): ${(err as Error).message}`);
          }
          const want = reference(chunks);
          if (!Bun.deepEquals(got, want)) {
            expect({ input: n, chunks: chunks.map((c) => c.length), got }).toEqual({ input: n, chunks: chunks.map((c) => c.length), got: want });
          }
          // without a parse error, state carries over read() boundaries: chunking cannot matter
          if (first === undefined) first = got;
          else if (first.errors === 0 && got.errors === 0 && !Bun.deepEquals(first.lines, got.lines)) {
            expect({ input: n, lines: got.lines }).toEqual({ input: n, lines: first.lines });
          }
          if (first.errors === 0) expect(got.errors).toBe(0);
        }
        if (first!.errors > 0) withError++;
        totalLines += first!.lines.length;
        if (first!.lines.some((l) => l.some((w) => w.length === NET_WORD_LIMIT))) longWords++;
        if (first!.lines.some((l) => l.length === NET_ARG_LIMIT)) wideLines++;
      }
      console.log(`fuzz: ${INPUTS} inputs, ${totalBytes} bytes, ${totalLines} lines, ${withError} with a parse error, ${longWords} with a 512-char word, ${wideLines} with 32 words`);
      // the generator really reached the interesting cases
      expect(withError).toBeGreaterThan(INPUTS / 20);
      expect(longWords).toBeGreaterThan(100);
      expect(wideLines).toBeGreaterThan(100);
      expect(totalLines).toBeGreaterThan(INPUTS);
      expect(totalBytes).toBeGreaterThan(INPUTS * 100);
    },
    120_000,
  );

  test("the reference model agrees with the spec's observed examples", () => {
    const b = (s: string): Uint8Array => Buffer.from(s, "latin1");
    expect(reference([b('GET VAR fake "a#b"\nVER\n')])).toEqual({ lines: [], errors: 1 });
    expect(reference([b('GET VAR "a#'), b('b" x\n')])).toEqual({ lines: [['b"', "x"]], errors: 1 });
    expect(reference([b("SET VAR u v x=y\nVER \x01\nVER \x0b\nSET VAR u v a#b\n")]).lines).toEqual([
      ["SET", "VAR", "u", "v", "x", "=", "y"],
      ["VER", ""],
      ["VER"],
      ["SET", "VAR", "u", "v", "a"],
    ]);
    expect(reference([b('A "x\ny" \\n\n')]).lines).toEqual([["A", "xy", "n"]]);
    for (const data of [b('GET VAR fake "a#b"\nVER\n'), b("SET VAR u v x=y\n\"\\#\" \xc3\xa9\n")]) {
      expect(feed(readChunks(data))).toEqual(reference(readChunks(data)));
    }
  });
});
