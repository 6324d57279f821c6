/**
 * dummy-ups definition files (`.dev` dumps and `.seq` sequences), read the way NUT 2.8.0's
 * drivers/dummy-ups.c parse_data_file() reads them: parseconf lines, `TIMER n` pauses, the
 * `name:` cut, `driver.*` skipped, `ups.status` through the status helpers, everything else
 * through setvar(). The result is the list of actions the driver performs, in file order, plus
 * what NUT reports (or silently gets wrong) on the way. Pure: no I/O.
 */

import { ConfTokenizer } from "../../core/config/tokenizer.ts";
import { cAtoi } from "../../core/config/c-numbers.ts";

/** dummy-ups.c MAX_STRING_SIZE: values are joined into a char[128], so at most 127 chars survive. */
export const DUMMY_MAX_VALUE_LEN = 128;

/** One action of a definition file, with the physical line its logical line started on. */
export type DevStep =
  /** setvar(name, value) with a non-empty value: set, then apply the known-variable flags/aux. */
  | { kind: "set"; line: number; name: string; value: string }
  /** setvar(name, "") : dummy-ups deletes the variable (an empty `""` value, or the empty-value quirk). */
  | { kind: "delete"; line: number; name: string }
  /** A name starting with `ups.status`: status_init(), status_set() per token, status_commit() into ups.status. */
  | { kind: "status"; line: number; name: string; tokens: string[] }
  /** `TIMER n`: stop this pass; parsing resumes at the first update at least n (atoi) seconds later. */
  | { kind: "timer"; line: number; seconds: number };

/** A line NUT reports or mishandles, with its physical line number. */
export interface DevDiagnostic {
  line: number;
  message: string;
}

/** A line dummy-ups skips on purpose (debug `parse_data_file: skipping <name>`). */
export interface DevSkippedLine {
  line: number;
  name: string;
}

/** A parsed definition file. */
export interface DevFile {
  steps: DevStep[];
  diagnostics: DevDiagnostic[];
  /** `driver.*` lines, which dummy-ups never applies. */
  skipped: DevSkippedLine[];
}

function printable(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

/**
 * Parses a dummy-ups definition file. Lines with a parse error are reported and skipped (the rest
 * of such a physical line after the offending `#` is read as a new line, as parseconf does); every
 * other line is kept. The C buffer quirks are resolved here: a `name:` line without value reuses
 * the value of the previous non-status line of the same pass (a pass ends at each TIMER; at the
 * start of a pass the C buffer is uninitialised and we use ""), and `TIMER` without a number reads
 * the last second word parseconf stored (0 if none).
 */
export function parseDevFile(input: Uint8Array | string): DevFile {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const tokenizer = new ConfTokenizer();
  const lines = tokenizer.feed(bytes);
  const tail = tokenizer.end();
  if (tail.line) lines.push(tail.line);

  const steps: DevStep[] = [];
  const diagnostics: DevDiagnostic[] = [];
  const skipped: DevSkippedLine[] = [];

  const discardedByLine = new Map<number, number[]>();
  for (const d of tokenizer.discarded) {
    const list = discardedByLine.get(d.line) ?? [];
    list.push(d.byte);
    discardedByLine.set(d.line, list);
  }
  for (const [line, list] of discardedByLine) {
    const others = list.filter((b) => b !== 0x0a);
    if (others.length > 0) {
      diagnostics.push({ line, message: `characters outside 0x20-0x7F dropped (${others.map(printable).join(" ")})` });
    }
    if (others.length < list.length) {
      diagnostics.push({ line, message: "newline inside quotes dropped: the quoted word goes on with the next line" });
    }
  }

  // parseconf reuses its argument buffers: arglist[1] keeps the last second word stored (ctx lives for the whole file)
  let lastSecondWord: string | undefined;
  // parse_data_file()'s var_value: a stack buffer, so it only lives for one pass (until TIMER)
  let passValue: string | undefined;

  for (const cl of lines) {
    const words = cl.words;
    const line = cl.line;
    const staleSecond = lastSecondWord;
    if (words.length >= 2) lastSecondWord = words[1]!;
    if (cl.error !== undefined) {
      diagnostics.push({ line: cl.errorLine ?? line, message: `Parse error: ${cl.error} (NUT skips the words before the #; the rest of the line is read as a new line)` });
      continue;
    }
    const first = words[0];
    if (first === undefined) continue;

    if (first.startsWith("TIMER")) {
      let seconds: number;
      if (words.length >= 2) {
        seconds = cAtoi(words[1]!);
      } else {
        seconds = staleSecond === undefined ? 0 : cAtoi(staleSecond);
        diagnostics.push({
          line,
          message:
            staleSecond === undefined
              ? "TIMER without a delay (undefined behaviour in NUT); using 0"
              : `TIMER without a delay: NUT reads the stale word "${staleSecond}" instead; using ${seconds}`,
        });
      }
      steps.push({ kind: "timer", line, seconds });
      passValue = undefined;
      continue;
    }

    const colon = first.indexOf(":");
    const name = colon >= 0 ? first.slice(0, colon) : first;

    if (name.startsWith("driver.")) {
      skipped.push({ line, name });
      continue;
    }
    if (name === "") diagnostics.push({ line, message: "empty variable name (NUT creates a variable named \"\")" });

    if (name.startsWith("ups.status")) {
      steps.push({ kind: "status", line, name, tokens: words.slice(1) });
      continue;
    }

    let value: string;
    if (words.length >= 2) {
      const joined = words.slice(1).join(" ");
      value = joined.slice(0, DUMMY_MAX_VALUE_LEN - 1);
      if (joined.length > value.length) {
        diagnostics.push({ line, message: `value longer than ${DUMMY_MAX_VALUE_LEN - 1} characters cut` });
      }
      passValue = value;
    } else if (passValue !== undefined) {
      value = passValue;
      diagnostics.push({ line, message: `no value for ${name}: dummy-ups reuses the previous line's value "${value}"` });
    } else {
      value = "";
      diagnostics.push({ line, message: `no value for ${name} (uninitialised buffer in NUT): treated as empty, which deletes it` });
    }

    if (value === "") steps.push({ kind: "delete", line, name });
    else steps.push({ kind: "set", line, name, value });
  }

  if (tail.lostWord) {
    diagnostics.push({
      line: tail.lostWord.line,
      message: `last line "${tail.lostWord.word}" has one word and no final newline: NUT ignores it`,
    });
  }

  diagnostics.sort((a, b) => a.line - b.line);
  return { steps, diagnostics, skipped };
}
