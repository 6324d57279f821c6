/**
 * Splitting the request bytes of one upsd client connection into lines of words, the way
 * server/upsd.c client_readline() feeds each byte of a read() to parseconf's pconf_char():
 * ConfTokenizer in its bounded mode (nothing recorded per dropped byte, a word keeps at most 512
 * chars and a line at most 32 words), and NUT's handling of the one parse error
 * ("Unbalanced word due to unescaped # in quotes"): no reply, and the rest of that read() chunk
 * (at most NET_READ_CHUNK bytes) is thrown away. Pure: no I/O.
 */

import { ConfTokenizer, UNBALANCED_QUOTE_HASH } from "../config/tokenizer.ts";

/** upsd reads a client at most this many bytes at a time (char buf[SMALLBUF] in client_readline()). */
export const NET_READ_CHUNK = 512;
/** Words after the 32nd of a line are dropped (PCONF_DEFAULT_ARG_LIMIT). */
export const NET_ARG_LIMIT = 32;
/** Characters after the 512th of a word are dropped (PCONF_DEFAULT_WORDLEN_LIMIT). */
export const NET_WORD_LIMIT = 512;

/** parseconf's only parse error text. */
export const NET_PARSE_ERROR = UNBALANCED_QUOTE_HASH;

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
  readonly #tokenizer = new ConfTokenizer({ argLimit: NET_ARG_LIMIT, wordLimit: NET_WORD_LIMIT, recordDiscarded: false });

  /**
   * Feeds one read() chunk (callers cut input into NET_READ_CHUNK pieces, as upsd's read() does)
   * and returns the lines it completed; on a parse error the rest of the chunk is ignored.
   */
  feedChunk(chunk: Uint8Array): NetChunkResult {
    const before = this.#tokenizer.discardedCount;
    const result: NetChunkResult = { lines: [], discarded: 0 };
    for (const line of this.#tokenizer.feedChunk(chunk)) {
      if (line.error !== undefined) result.error = NET_PARSE_ERROR;
      else result.lines.push(line.words);
    }
    result.discarded = this.#tokenizer.discardedCount - before;
    return result;
  }
}

/** Cuts received bytes into the pieces upsd's read() would see (NET_READ_CHUNK bytes at most). */
export function readChunks(data: Uint8Array): Uint8Array[] {
  if (data.length <= NET_READ_CHUNK) return [data];
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += NET_READ_CHUNK) chunks.push(data.subarray(i, i + NET_READ_CHUNK));
  return chunks;
}
