/**
 * NUT's one tokenizer (common/parseconf.c): config files, the network protocol, the driver
 * socket and upssched's pipe all split lines into words with it. This is the same byte-level
 * state machine, as a push tokenizer, so that every edge case NUT users rely on (or trip over)
 * behaves identically: `=` as a word of its own, `#` comments, quotes, backslash escapes,
 * line continuation, the 0x20-0x7F character filter and the word and argument limits.
 *
 * Pure: no I/O.
 */

/** Words after the 32nd on one line are dropped (PCONF_DEFAULT_ARG_LIMIT). */
export const PCONF_ARG_LIMIT = 32;
/** Characters past the 512th of one word are dropped (PCONF_DEFAULT_WORDLEN_LIMIT). */
export const PCONF_WORDLEN_LIMIT = 512;

/** The one parse error parseconf knows. */
export const UNBALANCED_QUOTE_HASH = "Unbalanced word due to unescaped # in quotes";

/** One logical line as parseconf hands it to a reader. */
export interface ConfLine {
  /** The words, at most PCONF_ARG_LIMIT of them. */
  words: string[];
  /** Physical (1-based) line on which this logical line started. */
  line: number;
  /**
   * NUT's own counter (ctx->linenum): one per logical line, so it lags behind the physical
   * line after continuations and runs ahead after a parse error. NUT prints this one.
   */
  nutLine: number;
  /** Set when the line ended in a parse error; NUT's readers skip such a line. */
  error?: string;
  /** Physical line of the byte that caused `error`. */
  errorLine?: number;
}

/** A byte that parseconf silently dropped while building a word. */
export interface DiscardedChar {
  line: number;
  byte: number;
}

const STATE_FINDWORDSTART = 1;
const STATE_FINDEOL = 2;
const STATE_QUOTECOLLECT = 3;
const STATE_QC_LITERAL = 4;
const STATE_COLLECT = 5;
const STATE_COLLECTLITERAL = 6;
const STATE_ENDOFLINE = 7;
const STATE_PARSEERR = 8;

const LF = 0x0a;
const HASH = 0x23;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const EQUALS = 0x3d;

const ASCII_TEXT = new TextDecoder();

/**
 * True when `chunk` is whole lines (it ends with LF) of bytes that parseconf takes literally
 * (printable ASCII but for the quote, backslash, hash and equals sign), separated by spaces.
 */
function isPlainLines(chunk: Uint8Array): boolean {
  if (chunk.length === 0 || chunk[chunk.length - 1] !== LF) return false;
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i]!;
    if (byte >= 0x21 && byte <= 0x7e) {
      if (byte === QUOTE || byte === HASH || byte === EQUALS || byte === BACKSLASH) return false;
    } else if (byte !== 0x20 && byte !== LF) {
      return false;
    }
  }
  return true;
}

/** C's isspace() in the C locale. */
function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * Push tokenizer with parseconf's semantics. Feed bytes; complete logical lines come back.
 * `end()` applies the end-of-file rule of pconf_file_next().
 */
export class ConfTokenizer {
  #state = STATE_FINDWORDSTART;
  #words: string[] = [];
  #word: number[] = [];
  /** True once the current word has been started (even if every byte of it was filtered). */
  #physLine = 1;
  #lineStart = 1;
  #nutLine = 0;
  #lineOpen = false;
  #discarded: DiscardedChar[] = [];
  #discardedCount = 0;
  readonly #recordDiscarded: boolean;
  readonly #argLimit: number;
  readonly #wordLimit: number;

  /**
   * `recordDiscarded: false` only counts the bytes the filter drops: a network peer must not be
   * able to grow a list without bound (upsd's and the drivers' sockets use that).
   */
  constructor(options: { argLimit?: number; wordLimit?: number; recordDiscarded?: boolean } = {}) {
    this.#argLimit = options.argLimit ?? PCONF_ARG_LIMIT;
    this.#wordLimit = options.wordLimit ?? PCONF_WORDLEN_LIMIT;
    this.#recordDiscarded = options.recordDiscarded ?? true;
  }

  /** How many bytes the character filter dropped so far. */
  get discardedCount(): number {
    return this.#discardedCount;
  }

  /** Bytes that the character filter dropped so far (NUT prints "addchar: discarding …"). */
  get discarded(): readonly DiscardedChar[] {
    return this.#discarded;
  }

  /**
   * Feeds one read() chunk the way a NUT daemon's socket reader does (upsd's client_readline(),
   * pconf_char() per byte): the lines it completes, stopping after a line with a parse error, the
   * rest of the chunk being thrown away (the next chunk starts a fresh line).
   */
  feedChunk(chunk: Uint8Array): ConfLine[] {
    if (!this.#lineOpen && isPlainLines(chunk)) return this.#plainLines(chunk);
    const out: ConfLine[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const line = this.#push(chunk[i]!);
      if (!line) continue;
      out.push(line);
      if (line.error !== undefined) break;
    }
    return out;
  }

  /**
   * The common case of a network request (`GET VAR ups ups.status\n`): whole lines of plain
   * words separated by single-byte spaces. The state machine would end in the same place; this
   * only skips its per-byte bookkeeping (upsd answers one such line per request).
   */
  #plainLines(chunk: Uint8Array): ConfLine[] {
    const out: ConfLine[] = [];
    // ASCII only here, so UTF-8 decoding gives the latin1 text, in one native call
    const text = ASCII_TEXT.decode(chunk);
    let start = 0;
    while (start < text.length) {
      const end = text.indexOf("\n", start);
      const words: string[] = [];
      let wordStart = start;
      for (let i = start; i <= end; i++) {
        if (i < end && text.charCodeAt(i) !== 0x20) continue;
        if (i > wordStart && (this.#argLimit === 0 || words.length < this.#argLimit)) {
          words.push(text.slice(wordStart, this.#wordLimit !== 0 ? Math.min(i, wordStart + this.#wordLimit) : i));
        }
        wordStart = i + 1;
      }
      this.#nutLine++;
      out.push({ words, line: this.#physLine, nutLine: this.#nutLine });
      this.#physLine++;
      start = end + 1;
    }
    this.#state = STATE_FINDWORDSTART;
    this.#words = [];
    this.#word = [];
    return out;
  }

  /** Feeds bytes and returns every logical line they complete. */
  feed(input: Uint8Array): ConfLine[] {
    const out: ConfLine[] = [];
    for (let i = 0; i < input.length; i++) {
      const line = this.#push(input[i]!);
      if (line) out.push(line);
    }
    return out;
  }

  /**
   * End of input: a pending line is delivered only if it already holds a finished word
   * (pconf_file_next), so a last line of a single word without a final LF is lost, as in NUT.
   * Returns that line if any, and the lost word (if one was being built and is dropped).
   */
  end(): { line?: ConfLine; lostWord?: { line: number; word: string } } {
    if (!this.#lineOpen) return {};
    this.#lineOpen = false;
    const pendingWord = this.#word.length > 0 ? String.fromCharCode(...this.#word) : undefined;
    if (this.#words.length !== 0) {
      if (this.#word.length > 0) this.#endOfWord();
      const line = this.#finish();
      this.#word = [];
      return { line };
    }
    this.#word = [];
    this.#state = STATE_FINDWORDSTART;
    return pendingWord !== undefined ? { lostWord: { line: this.#lineStart, word: pendingWord } } : {};
  }

  #startLine(): void {
    this.#nutLine++;
    this.#words = [];
    this.#state = STATE_FINDWORDSTART;
    this.#lineStart = this.#physLine;
    this.#lineOpen = true;
  }

  #finish(error?: string, errorLine?: number): ConfLine {
    const line: ConfLine = { words: this.#words, line: this.#lineStart, nutLine: this.#nutLine };
    if (error !== undefined) {
      line.error = error;
      line.errorLine = errorLine ?? this.#lineStart;
    }
    this.#words = [];
    this.#lineOpen = false;
    return line;
  }

  #push(byte: number): ConfLine | undefined {
    if (!this.#lineOpen) this.#startLine();
    const lineOfByte = this.#physLine;
    if (byte === LF) this.#physLine++;
    this.#state = this.#step(byte, lineOfByte);
    if (this.#state === STATE_ENDOFLINE) return this.#finish();
    if (this.#state === STATE_PARSEERR) return this.#finish(UNBALANCED_QUOTE_HASH, lineOfByte);
    return undefined;
  }

  #addChar(byte: number, line: number): void {
    // CVE-2012-2944: parseconf keeps only 0x20..0x7F
    if (byte < 0x20 || byte > 0x7f) {
      this.#discardedCount++;
      if (this.#recordDiscarded) this.#discarded.push({ line, byte });
      return;
    }
    if (this.#wordLimit !== 0 && this.#word.length >= this.#wordLimit) return;
    this.#word.push(byte);
  }

  #endOfWord(): void {
    if (this.#argLimit === 0 || this.#words.length < this.#argLimit) {
      this.#words.push(String.fromCharCode(...this.#word));
    }
    this.#word = [];
  }

  #findWordStart(byte: number, line: number): number {
    if (byte === LF) return STATE_ENDOFLINE;
    if (byte === HASH) return STATE_FINDEOL;
    if (isSpace(byte)) return STATE_FINDWORDSTART;
    if (byte === BACKSLASH) return STATE_COLLECTLITERAL;
    if (byte === QUOTE) return STATE_QUOTECOLLECT;
    this.#addChar(byte, line);
    if (byte === EQUALS) {
      this.#endOfWord();
      return STATE_FINDWORDSTART;
    }
    return STATE_COLLECT;
  }

  #step(byte: number, line: number): number {
    switch (this.#state) {
      case STATE_FINDWORDSTART:
        return this.#findWordStart(byte, line);
      case STATE_FINDEOL:
        return byte === LF ? STATE_ENDOFLINE : STATE_FINDEOL;
      case STATE_QUOTECOLLECT:
        if (byte === HASH) {
          this.#endOfWord();
          return STATE_PARSEERR;
        }
        if (byte === QUOTE) {
          this.#endOfWord();
          return STATE_FINDWORDSTART;
        }
        if (byte === BACKSLASH) return STATE_QC_LITERAL;
        this.#addChar(byte, line);
        return STATE_QUOTECOLLECT;
      case STATE_QC_LITERAL:
        if (byte !== LF) this.#addChar(byte, line);
        return STATE_QUOTECOLLECT;
      case STATE_COLLECT:
        if (byte === HASH) {
          this.#endOfWord();
          return STATE_FINDEOL;
        }
        if (byte === LF) {
          this.#endOfWord();
          return STATE_ENDOFLINE;
        }
        if (isSpace(byte)) {
          this.#endOfWord();
          return STATE_FINDWORDSTART;
        }
        if (byte === EQUALS) {
          this.#endOfWord();
          this.#findWordStart(byte, line);
          return STATE_FINDWORDSTART;
        }
        if (byte === BACKSLASH) return STATE_COLLECTLITERAL;
        this.#addChar(byte, line);
        return STATE_COLLECT;
      case STATE_COLLECTLITERAL:
        if (byte !== LF) this.#addChar(byte, line);
        return STATE_COLLECT;
      default:
        throw new Error(`Tokenizer reached impossible state ${this.#state}`);
    }
  }
}

/** The whole of a config file, tokenized. */
export interface TokenizedConfig {
  lines: ConfLine[];
  discarded: readonly DiscardedChar[];
  /** A last single word without a final LF, which NUT silently ignores. */
  lostWord?: { line: number; word: string };
}

/** Tokenizes a whole file the way pconf_file_begin() + pconf_file_next() read it. */
export function tokenizeConfig(input: Uint8Array | string): TokenizedConfig {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const tokenizer = new ConfTokenizer();
  const lines = tokenizer.feed(bytes);
  const tail = tokenizer.end();
  if (tail.line) lines.push(tail.line);
  const result: TokenizedConfig = { lines, discarded: tokenizer.discarded };
  if (tail.lostWord) result.lostWord = tail.lostWord;
  return result;
}

/** NUT's pconf_encode(): backslash before every `\`, `"` and `#`; nothing else is escaped. */
export function encodeConfWord(value: string): string {
  return value.replace(/[\\"#]/g, (c) => `\\${c}`);
}
