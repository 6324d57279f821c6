/**
 * POSIX extended regular expressions (regcomp with REG_EXTENDED, as glibc reads them) translated
 * to JavaScript RegExp source. NUT's USB matchers take regexes from ups.conf, so the same text
 * must mean the same thing here: bracket expressions with [:class:] names and a literal
 * backslash, `.` matching newlines, `\<`/`\>` word edges.
 */

const CLASSES: Readonly<Record<string, string>> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

/** Thrown for a regex regcomp would reject (or that has no JS equivalent); the message is NUT's fatal line. */
export class PosixRegexError extends Error {
  readonly pattern: string;
  /** Why it was rejected (for debug output; NUT prints only the pattern). */
  readonly reason: string;
  constructor(pattern: string, reason: string) {
    super(`invalid regular expression: ${pattern}`);
    this.name = "PosixRegexError";
    this.pattern = pattern;
    this.reason = reason;
  }
}

/** Escapes one literal character for use inside a JS character class. */
function classLiteral(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates the bracket expression starting at `pattern[start] === "["`; returns [source, next index]. */
function translateBracket(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (pattern[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  for (;;) {
    const ch = pattern[i];
    if (ch === undefined) throw new PosixRegexError(pattern, "unmatched [");
    if (ch === "]" && !first) return [`${out}]`, i + 1];
    first = false;
    if (ch === "[" && (pattern[i + 1] === ":" || pattern[i + 1] === "." || pattern[i + 1] === "=")) {
      const kind = pattern[i + 1] as string;
      const end = pattern.indexOf(`${kind}]`, i + 2);
      if (end < 0) throw new PosixRegexError(pattern, `unmatched [${kind}`);
      const name = pattern.slice(i + 2, end);
      if (kind === ":") {
        const set = CLASSES[name];
        if (set === undefined) throw new PosixRegexError(pattern, `unknown class [:${name}:]`);
        out += set;
      } else {
        if (name.length !== 1) throw new PosixRegexError(pattern, `unsupported collating element [${kind}${name}${kind}]`);
        out += classLiteral(name);
      }
      i = end + 2;
      continue;
    }
    // A "-" is a range operator between two ends, literal first or last: JS reads it the same way
    // once the ends are escaped, so only the ends need care.
    out += ch === "-" ? "-" : classLiteral(ch);
    i++;
  }
}

/** JS RegExp source equivalent to the POSIX ERE `pattern`. */
export function posixEreToJs(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i] as string;
    if (ch === "[") {
      const [source, next] = translateBracket(pattern, i);
      out += source;
      i = next;
      continue;
    }
    if (ch === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) throw new PosixRegexError(pattern, "trailing backslash");
      if ("wWsSbB".includes(next) || /[1-9]/.test(next)) out += `\\${next}`;
      else if (next === "<") out += "\\b(?=\\w)";
      else if (next === ">") out += "\\b(?<=\\w)";
      else if (next === "`") out += "^";
      else if (next === "'") out += "$";
      else out += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      i += 2;
      continue;
    }
    // A "{" that does not open a valid interval is literal in glibc's ERE, as in JS's Annex B.
    out += ch === "/" ? "\\/" : ch;
    i++;
  }
  return out;
}

/**
 * Compiles `pattern` as regcomp(REG_EXTENDED | REG_ICASE) would, anchored so that `test` tells
 * whether the regex matches the WHOLE string (NUT requires the match to span the value).
 */
export function compileWholeMatchIcase(pattern: string): RegExp {
  const source = posixEreToJs(pattern);
  try {
    return new RegExp(`^(?:${source})$`, "is");
  } catch (error) {
    throw new PosixRegexError(pattern, error instanceof Error ? error.message : String(error));
  }
}
