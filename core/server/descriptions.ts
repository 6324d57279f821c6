/**
 * Variable and command descriptions for GET DESC / GET CMDDESC, read from `cmdvartab` as
 * server/desc.c desc_load() does: `VARDESC <var> "<text>"` and `CMDDESC <cmd> "<text>"` lines
 * (other lines and lines of fewer than 3 words ignored, a later line for the same name wins),
 * looked up case-insensitively. The copy embedded here is NUT 2.8.0's data/cmdvartab (the file
 * Debian's 2.8.0 package installs as /usr/share/nut/cmdvartab), used when no DATAPATH is set.
 */
import { tokenizeConfig } from "../config/tokenizer.ts";
import embeddedCmdvartab from "./cmdvartab" with { type: "text" };

/** The description tables of one cmdvartab. */
export class Descriptions {
  readonly #vars = new Map<string, string>();
  readonly #cmds = new Map<string, string>();

  /** Parses cmdvartab text; returns the tables and the parse errors desc_load() would log. */
  static parse(text: string | Uint8Array, file = "cmdvartab"): { descriptions: Descriptions; errors: string[] } {
    const descriptions = new Descriptions();
    const errors: string[] = [];
    for (const line of tokenizeConfig(text).lines) {
      if (line.error !== undefined) {
        errors.push(`Parse error: ${file}:${line.nutLine}: ${line.error}`);
        continue;
      }
      if (line.words.length < 3) continue;
      const [kind, name, desc] = line.words as [string, string, string];
      if (kind === "CMDDESC") descriptions.#cmds.set(name.toLowerCase(), desc);
      else if (kind === "VARDESC") descriptions.#vars.set(name.toLowerCase(), desc);
    }
    return { descriptions, errors };
  }

  /** NUT 2.8.0's cmdvartab, built into the binary. */
  static embedded(): Descriptions {
    return Descriptions.parse(embeddedCmdvartab).descriptions;
  }

  /** No descriptions at all (cmdvartab missing: "disabling descriptions"). */
  static none(): Descriptions {
    return new Descriptions();
  }

  /** The description of a variable, or undefined. */
  variable(name: string): string | undefined {
    return this.#vars.get(name.toLowerCase());
  }

  /** The description of an instant command, or undefined. */
  command(name: string): string | undefined {
    return this.#cmds.get(name.toLowerCase());
  }
}
