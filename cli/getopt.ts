/**
 * getopt(3) as glibc implements it (posix/getopt.c), for the short-option strings NUT's
 * programs pass it: `+a:s:kDFBd:hx:Lqr:u:g:Vi:c:P:` (drivers), `+htu:r:DdV` (upsdrvctl 2.8.0),
 * `+DhlLcVW:jA:` (upsc) and friends. Reproduced, because NUT users type these command lines:
 *
 * - grouped flags (`-DDD`, `-Fa ups`), an argument attached (`-aups`) or in the next word
 *   (`-a ups`, even `-a -secret-` or `-a --`), `x::` optional arguments (attached only);
 * - ordering from the optstring's first character: `+` stops at the first operand, `-` returns
 *   operands in place as option "\x01", otherwise glibc's default "permute" mode (operands are
 *   collected and options after them still parsed) unless POSIXLY_CORRECT is asked for;
 * - `--` ends the options and is dropped; a lone `-` is an operand;
 * - errors as glibc prints them (`<prog>: invalid option -- 'z'`, `<prog>: option requires an
 *   argument -- 'a'`), answered with "?" (or ":" for a missing argument when the optstring,
 *   after its +/- prefix, starts with ":", which also silences the messages).
 *
 * Not reproduced: long options (getopt() has none; `W;` is therefore an ordinary letter as in
 * glibc's getopt()), and bytes: glibc works on bytes, this on Unicode code points, so a
 * non-ASCII letter in an option cluster gets one "invalid option" instead of one per byte.
 * NUT's optstrings are ASCII, so only the text of that message can differ.
 *
 * Usage, mirroring the C loop (stop at the first result you do not want to go past, as NUT's
 * programs do when they print help and exit; later errors are then never printed):
 *
 * ```ts
 * const parser = new Getopt(args, "+htu:r:DdV", io.name);
 * for (let r = parser.next(); r !== undefined; r = parser.next()) {
 *   if (r.error !== undefined) io.stderr(r.error);
 *   switch (r.opt) { … }
 * }
 * const operands = parser.operands();
 * ```
 */

/** One value returned by a getopt() call. */
export interface GetoptResult {
  /**
   * The option letter; "?" for an unknown letter or a missing argument; ":" for a missing
   * argument when the optstring starts with ":"; "\x01" for an operand in "-" mode.
   */
  opt: string;
  /** optarg: the option's argument, or the operand in "-" mode; absent when NULL. */
  arg?: string;
  /** optopt: the offending letter, set for "?" and ":" only. */
  optopt?: string;
  /** The line glibc writes to stderr for this result (with its newline), if it writes one. */
  error?: string;
}

/** Everything a whole getopt() loop sees: see {@link getopt}. */
export interface GetoptAll {
  /** The results in order, errors ("?"/":") included. */
  options: GetoptResult[];
  /** argv[optind…] after the loop, in the order glibc leaves them (permuted operands first). */
  operands: string[];
  /** The messages glibc would print, in order (each with its newline). */
  errors: string[];
}

/** Tuning of a {@link Getopt}. */
export interface GetoptOptions {
  /** As if POSIXLY_CORRECT were set: stop at the first operand even without a leading "+". */
  posixlyCorrect?: boolean;
}

type Ordering = "require" | "permute" | "in-order";

/** A "nonoption" for glibc: anything not starting with "-", and "-" itself. */
function isOperand(arg: string): boolean {
  return arg[0] !== "-" || arg.length === 1;
}

/** An iterator with the semantics of successive glibc getopt() calls over one argv. */
export class Getopt {
  readonly #args: readonly string[];
  readonly #progname: string;
  readonly #optstring: string;
  readonly #ordering: Ordering;
  readonly #printErrors: boolean;
  /** optind - 1: the index in args of the word being looked at. */
  #index = 0;
  /** The rest of the current option cluster (glibc's nextchar). */
  #cluster = "";
  /** Operands passed over in permute mode, in order (glibc moves them before optind). */
  readonly #skipped: string[] = [];
  #operands: string[] | undefined;

  /**
   * `args` are the words after argv[0]; `progname` is argv[0] as it appears in the messages.
   */
  constructor(args: readonly string[], optstring: string, progname: string, options: GetoptOptions = {}) {
    this.#args = args;
    this.#progname = progname;
    let rest = optstring;
    if (rest.startsWith("-")) {
      this.#ordering = "in-order";
      rest = rest.slice(1);
    } else if (rest.startsWith("+")) {
      this.#ordering = "require";
      rest = rest.slice(1);
    } else {
      this.#ordering = options.posixlyCorrect === true ? "require" : "permute";
    }
    // glibc keeps a leading ":" in the string it searches; the letter ":" is refused explicitly
    this.#optstring = rest;
    this.#printErrors = !rest.startsWith(":");
  }

  /** The next getopt() result, or undefined where getopt() returns -1. */
  next(): GetoptResult | undefined {
    if (this.#operands !== undefined) return undefined;
    const args = this.#args;
    if (this.#cluster === "") {
      if (this.#ordering === "permute") {
        while (this.#index < args.length && isOperand(args[this.#index]!)) this.#skipped.push(args[this.#index++]!);
      }
      if (this.#index < args.length && args[this.#index] === "--") {
        this.#index++;
        return this.#finish(args.slice(this.#index));
      }
      if (this.#index === args.length) return this.#finish([]);
      const word = args[this.#index]!;
      if (isOperand(word)) {
        if (this.#ordering === "require") return this.#finish(args.slice(this.#index));
        this.#index++;
        return { opt: "\x01", arg: word };
      }
      this.#cluster = word.slice(1);
    }

    const c = String.fromCodePoint(this.#cluster.codePointAt(0)!);
    this.#cluster = this.#cluster.slice(c.length);
    // glibc increments optind when it starts on the last letter of a word
    if (this.#cluster === "") this.#index++;

    const at = this.#optstring.indexOf(c);
    if (at < 0 || c === ":" || c === ";") {
      return this.#error("?", c, `${this.#progname}: invalid option -- '${c}'\n`);
    }
    if (this.#optstring[at + 1] !== ":") return { opt: c };

    if (this.#optstring[at + 2] === ":") {
      // optional argument: only the rest of this word
      const rest = this.#cluster;
      this.#cluster = "";
      if (rest === "") return { opt: c };
      this.#index++;
      return { opt: c, arg: rest };
    }
    if (this.#cluster !== "") {
      const rest = this.#cluster;
      this.#cluster = "";
      this.#index++;
      return { opt: c, arg: rest };
    }
    if (this.#index === args.length) {
      const answer = this.#optstring.startsWith(":") ? ":" : "?";
      return this.#error(answer, c, `${this.#progname}: option requires an argument -- '${c}'\n`);
    }
    return { opt: c, arg: args[this.#index++]! };
  }

  /** argv[optind…] once next() has returned undefined (permuted operands first, as glibc). */
  operands(): string[] {
    if (this.#operands === undefined) throw new Error("Getopt.operands() called before the options were all read");
    return [...this.#operands];
  }

  #finish(rest: readonly string[]): undefined {
    this.#operands = [...this.#skipped, ...rest];
    return undefined;
  }

  #error(opt: "?" | ":", optopt: string, message: string): GetoptResult {
    return this.#printErrors ? { opt, optopt, error: message } : { opt, optopt };
  }
}

/** Runs a whole getopt() loop over `args` (the words after argv[0]) and collects what it saw. */
export function getopt(args: readonly string[], optstring: string, progname = "getopt", options: GetoptOptions = {}): GetoptAll {
  const parser = new Getopt(args, optstring, progname, options);
  const results: GetoptResult[] = [];
  const errors: string[] = [];
  for (let r = parser.next(); r !== undefined; r = parser.next()) {
    results.push(r);
    if (r.error !== undefined) errors.push(r.error);
  }
  return { options: results, operands: parser.operands(), errors };
}
