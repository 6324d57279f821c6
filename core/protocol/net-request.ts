/**
 * Splitting the request bytes of one upsd client connection into lines of words, the way
 * server/upsd.c client_readline() feeds each byte of a read() to parseconf's pconf_char():
 * the state machine of common/parseconf.c (the same as ConfTokenizer's, reproduced here because
 * a network peer must not be able to grow memory: nothing is recorded per dropped byte, a word
 * keeps at most 512 chars and a line at most 32 words), and NUT's handling of the one parse error
 * ("Unbalanced word due to unescaped # in quotes"): no reply, and the rest of that read() chunk
 * (at most NET_READ_CHUNK bytes) is thrown away. Pure: no I/O.
 */

/** upsd reads a client at most this many bytes at a time (char buf[SMALLBUF] in client_readline()). */
export const NET_READ_CHUNK = 512;
/** Words after the 32nd of a line are dropped (PCONF_DEFAULT_ARG_LIMIT). */
export const NET_ARG_LIMIT = 32;
/** Characters after the 512th of a word are dropped (PCONF_DEFAULT_WORDLEN_LIMIT). */
export const NET_WORD_LIMIT = 512;

/** parseconf's only parse error text. */
export const NET_PARSE_ERROR = "Unbalanced word due to unescaped # in quotes";

const FINDWORDSTART = 1;
const FINDEOL = 2;
const QUOTECOLLECT = 3;
const QC_LITERAL = 4;
const COLLECT = 5;
const COLLECTLITERAL = 6;

const LF = 0x0a;
const HASH = 0x23;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const EQUALS = 0x3d;

/** C isspace() in the C locale: space, TAB, LF, VT, FF, CR. */
function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** What one read() chunk produced. */
export interface NetChunkResult {
  /** Complete request lines, in order; a line may have 0 words (upsd answers ERR UNKNOWN-COMMAND). */
  lines: string[][];
  /** Set when the chunk hit a parse error; the bytes after it in this chunk were discarded. */
  error?: string;
  /** Bytes outside 0x20-0x7F that were dropped from words (NUT logs each one). */
  discarded: number;
}

/** The per-connection request tokenizer (one pconf context per client, as in upsd). */
export class NetRequestTokenizer {
  #state = FINDWORDSTART;
  #words: string[] = [];
  #word: number[] = [];

  /**
   * Feeds one read() chunk (callers cut input into NET_READ_CHUNK pieces, as upsd's read() does)
   * and returns the lines it completed; on a parse error the rest of the chunk is ignored.
   */
  feedChunk(chunk: Uint8Array): NetChunkResult {
    const result: NetChunkResult = { lines: [], discarded: 0 };
    for (let i = 0; i < chunk.length; i++) {
      const outcome = this.#push(chunk[i]!, result);
      if (outcome === "line") {
        result.lines.push(this.#words);
        this.#words = [];
      } else if (outcome === "error") {
        this.#words = [];
        this.#word = [];
        this.#state = FINDWORDSTART;
        result.error = NET_PARSE_ERROR;
        return result;
      }
    }
    return result;
  }

  #addChar(byte: number, result: NetChunkResult): void {
    // CVE-2012-2944: parseconf keeps only 0x20..0x7F, but the word is still started
    if (byte < 0x20 || byte > 0x7f) {
      result.discarded++;
      return;
    }
    if (this.#word.length < NET_WORD_LIMIT) this.#word.push(byte);
  }

  #endOfWord(): void {
    if (this.#words.length < NET_ARG_LIMIT) this.#words.push(String.fromCharCode(...this.#word));
    this.#word = [];
  }

  #findWordStart(byte: number, result: NetChunkResult): "line" | undefined {
    if (byte === LF) return "line";
    if (byte === HASH) {
      this.#state = FINDEOL;
      return undefined;
    }
    if (isSpace(byte)) return undefined;
    if (byte === BACKSLASH) {
      this.#state = COLLECTLITERAL;
      return undefined;
    }
    if (byte === QUOTE) {
      this.#state = QUOTECOLLECT;
      return undefined;
    }
    this.#addChar(byte, result);
    if (byte === EQUALS) {
      this.#endOfWord();
      return undefined;
    }
    this.#state = COLLECT;
    return undefined;
  }

  #push(byte: number, result: NetChunkResult): "line" | "error" | undefined {
    switch (this.#state) {
      case FINDWORDSTART:
        return this.#findWordStart(byte, result);
      case FINDEOL:
        if (byte !== LF) return undefined;
        this.#state = FINDWORDSTART;
        return "line";
      case QUOTECOLLECT:
        if (byte === HASH) return "error";
        if (byte === QUOTE) {
          this.#endOfWord();
          this.#state = FINDWORDSTART;
        } else if (byte === BACKSLASH) {
          this.#state = QC_LITERAL;
        } else {
          this.#addChar(byte, result);
        }
        return undefined;
      case QC_LITERAL:
        if (byte !== LF) this.#addChar(byte, result);
        this.#state = QUOTECOLLECT;
        return undefined;
      case COLLECT:
        if (byte === HASH) {
          this.#endOfWord();
          this.#state = FINDEOL;
          return undefined;
        }
        if (byte === LF) {
          this.#endOfWord();
          this.#state = FINDWORDSTART;
          return "line";
        }
        if (isSpace(byte)) {
          this.#endOfWord();
          this.#state = FINDWORDSTART;
          return undefined;
        }
        if (byte === EQUALS) {
          this.#endOfWord();
          this.#state = FINDWORDSTART;
          return this.#findWordStart(byte, result);
        }
        if (byte === BACKSLASH) {
          this.#state = COLLECTLITERAL;
          return undefined;
        }
        this.#addChar(byte, result);
        return undefined;
      case COLLECTLITERAL:
        if (byte !== LF) this.#addChar(byte, result);
        this.#state = COLLECT;
        return undefined;
      default:
        throw new Error(`NetRequestTokenizer reached impossible state ${this.#state}`);
    }
  }
}

/** Cuts received bytes into the pieces upsd's read() would see (NET_READ_CHUNK bytes at most). */
export function readChunks(data: Uint8Array): Uint8Array[] {
  if (data.length <= NET_READ_CHUNK) return [data];
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += NET_READ_CHUNK) chunks.push(data.subarray(i, i + NET_READ_CHUNK));
  return chunks;
}
