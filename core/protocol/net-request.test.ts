import { describe, expect, test } from "bun:test";
import { NET_PARSE_ERROR, NetRequestTokenizer, readChunks } from "./net-request.ts";

const bytes = (s: string): Uint8Array => Buffer.from(s, "latin1");

describe("NetRequestTokenizer", () => {
  test("words, quotes, escapes, = and comments", () => {
    const t = new NetRequestTokenizer();
    expect(t.feedChunk(bytes('SET VAR u v x=y\nGET VAR "a b" c\\ d # rest\n\n  \t\r\n#c\nA "" B\n')).lines).toEqual([
      ["SET", "VAR", "u", "v", "x", "=", "y"],
      ["GET", "VAR", "a b", "c d"],
      [],
      [],
      [],
      ["A", "", "B"],
    ]);
  });

  test("a line may span chunks; a quote continues over LF", () => {
    const t = new NetRequestTokenizer();
    expect(t.feedChunk(bytes("GET VA")).lines).toEqual([]);
    expect(t.feedChunk(bytes('R "x\ny" z\n')).lines).toEqual([["GET", "VAR", "xy", "z"]]);
  });

  test("bytes outside 0x20-0x7F vanish but still start a word; VT is a separator", () => {
    const t = new NetRequestTokenizer();
    const r = t.feedChunk(bytes("VER \x01\nVER \x0b\nA\xc3\xa9B\n"));
    expect(r.lines).toEqual([["VER", ""], ["VER"], ["AB"]]);
    expect(r.discarded).toBe(3);
  });

  test("# inside quotes: no line, rest of the chunk dropped, next chunk starts fresh", () => {
    const t = new NetRequestTokenizer();
    const r = t.feedChunk(bytes('GET VAR fake "a#b"\nVER\n'));
    expect(r).toEqual({ lines: [], error: NET_PARSE_ERROR, discarded: 0 });
    expect(t.feedChunk(bytes('b" x\n')).lines).toEqual([['b"', "x"]]);
  });

  test("limits: 32 words, 512 chars per word", () => {
    const t = new NetRequestTokenizer();
    const [line] = t.feedChunk(bytes(`${"w ".repeat(40)}\n`)).lines;
    expect(line!.length).toBe(32);
    const [long] = t.feedChunk(bytes(`${"x".repeat(2000)}\n`)).lines;
    expect(long![0]!.length).toBe(512);
  });

  test("readChunks cuts at 512 bytes", () => {
    expect(readChunks(new Uint8Array(1100)).map((c) => c.length)).toEqual([512, 512, 76]);
    expect(readChunks(new Uint8Array(3)).length).toBe(1);
  });
});
