import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { type ConfLine, tokenizeConfig } from "./tokenizer.ts";

/** The usable lines of a config file, and what the tokenizer had to say about the rest. */
export interface ConfLines {
  /** Lines with at least one word and no parse error, in file order. */
  lines: ConfLine[];
  diagnostics: ConfigDiagnostic[];
}

/**
 * Tokenizes a config file the way every NUT reader loops over pconf_file_next(): lines with a
 * parse error are reported and skipped, empty lines dropped. Also reports what NUT loses
 * silently (filtered bytes, a final one-word line without a newline), since those are the
 * mistakes a user cannot see.
 */
export function readConfLines(input: Uint8Array | string, file: string): ConfLines {
  const tokenized = tokenizeConfig(input);
  const diagnostics: ConfigDiagnostic[] = [];
  const lines: ConfLine[] = [];
  for (const line of tokenized.lines) {
    if (line.error !== undefined) {
      diagnostics.push({
        file,
        line: line.errorLine ?? line.line,
        severity: "error",
        message: `Parse error: ${line.error} (NUT skips this line and reads the rest of it as a new line)`,
      });
      continue;
    }
    if (line.words.length > 0) lines.push(line);
  }
  for (const d of tokenized.discarded) {
    diagnostics.push({
      file,
      line: d.line,
      severity: "warning",
      message: `invalid character 0x${d.byte.toString(16).padStart(2, "0")} discarded (only printable ASCII is kept inside words)`,
    });
  }
  if (tokenized.lostWord) {
    diagnostics.push({
      file,
      line: tokenized.lostWord.line,
      severity: "error",
      message: `last line "${tokenized.lostWord.word}" has no newline at the end: NUT ignores it`,
    });
  }
  diagnostics.sort((a, b) => a.line - b.line);
  return { lines, diagnostics };
}
