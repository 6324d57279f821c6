/**
 * getopt_long(3) as glibc implements it, on top of the short-option Getopt: each `--name[=value]`
 * word is resolved against the long option table (exact name, else a unique prefix; several
 * prefix matches are ambiguous) and rewritten into its short option before Getopt sees the
 * words, so ordering, permutation and short-option errors stay Getopt's. A long option glibc
 * refuses becomes a private letter that comes back as "?" carrying glibc's message.
 */
import { Getopt, type GetoptResult } from "./getopt.ts";

export interface LongOption {
  readonly name: string;
  readonly hasArg: "none" | "required";
  /** The short letter it stands for. */
  readonly val: string;
}

/** A letter no NUT optstring uses: stands for "a long option glibc refused" in the rewritten words. */
const REFUSED = "\uE000";

export class GetoptLong {
  readonly #getopt: Getopt;
  readonly #refusals: string[] = [];

  constructor(args: readonly string[], optstring: string, longopts: readonly LongOption[], progname: string) {
    const words: string[] = [];
    const needsArg = (c: string) => {
      const at = optstring.indexOf(c);
      return at >= 0 && optstring[at + 1] === ":";
    };
    for (let i = 0; i < args.length; i++) {
      const word = args[i]!;
      if (word === "--") {
        words.push(...args.slice(i));
        break;
      }
      if (word.startsWith("--")) {
        const resolved = this.#resolve(word.slice(2), longopts, progname);
        if (typeof resolved === "string") {
          this.#refusals.push(resolved);
          words.push(`-${REFUSED}`);
          continue;
        }
        const { option, value } = resolved;
        if (option.hasArg === "none") {
          if (value !== undefined) {
            this.#refusals.push(`${progname}: option '--${option.name}' doesn't allow an argument\n`);
            words.push(`-${REFUSED}`);
          } else words.push(`-${option.val}`);
        } else if (value !== undefined) {
          words.push(`-${option.val}`, value);
        } else if (i + 1 < args.length) {
          words.push(`-${option.val}`, args[++i]!);
        } else {
          this.#refusals.push(`${progname}: option '--${option.name}' requires an argument\n`);
          words.push(`-${REFUSED}`);
        }
        continue;
      }
      words.push(word);
      if (word.length < 2 || !word.startsWith("-")) continue;
      // a short cluster whose last letter takes the next word as its argument
      for (let k = 1; k < word.length; k++) {
        const c = word[k]!;
        if (!needsArg(c)) continue;
        if (k === word.length - 1 && i + 1 < args.length) words.push(args[++i]!);
        break;
      }
    }
    this.#getopt = new Getopt(words, optstring + REFUSED, progname);
  }

  #resolve(body: string, longopts: readonly LongOption[], progname: string): { option: LongOption; value: string | undefined } | string {
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    const exact = longopts.find((o) => o.name === name);
    if (exact !== undefined) return { option: exact, value };
    const matches = longopts.filter((o) => o.name.startsWith(name));
    if (matches.length === 1) return { option: matches[0]!, value };
    if (matches.length > 1) {
      return `${progname}: option '--${body}' is ambiguous; possibilities:${matches.map((o) => ` '--${o.name}'`).join("")}\n`;
    }
    return `${progname}: unrecognized option '--${body}'\n`;
  }

  /** The next getopt_long() result, or undefined where it returns -1. */
  next(): GetoptResult | undefined {
    const result = this.#getopt.next();
    if (result?.opt !== REFUSED) return result;
    return { opt: "?", error: this.#refusals.shift()! };
  }
}
