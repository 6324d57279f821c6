/**
 * nut.conf reader. No NUT C program parses nut.conf: Debian's init scripts and its
 * /usr/sbin/upsd and /usr/sbin/upsmon wrappers source it with /bin/sh, and the systemd units
 * read it with EnvironmentFile=. So this is a small POSIX-shell lexer (quotes, backslashes,
 * comments, `;` and newlines) that reports what the shell would do with each command, and
 * what nut.conf(5) says not to rely on. Pure: no I/O.
 */
import type { ConfigDiagnostic } from "./config-diagnostic.ts";

/** The MODE values Debian's wrappers accept. */
export const NUT_MODES = ["none", "standalone", "netserver", "netclient"] as const;

/** Which NUT daemons are meant to run (nut.conf MODE). */
export type NutMode = (typeof NUT_MODES)[number];

/**
 * Variables something reads from nut.conf: the init scripts (MODE, *_OPTIONS, POWEROFF_*) and
 * the NUT programs, which get it as their environment through systemd (nut.conf(5) 2.8.5 and
 * the environment variables of config-files.md §2.2).
 */
export const NUT_CONF_VARIABLES: readonly string[] = Object.freeze([
  "MODE",
  "UPSD_OPTIONS",
  "UPSMON_OPTIONS",
  "POWEROFF_WAIT",
  "POWEROFF_QUIET",
  "ALLOW_NO_DEVICE",
  "ALLOW_NOT_ALL_LISTENERS",
  "NUT_DEBUG_LEVEL",
  "NUT_DEBUG_PID",
  "NUT_DEBUG_PROCNAME",
  "NUT_DEBUG_SYSLOG",
  "NUT_IGNORE_CHECKPROCNAME",
  "NUT_IGNORE_NOWAIT",
  "NUT_QUIET_INIT_UPSNOTIFY",
  "NUT_QUIET_INIT_SSL",
  "NUT_QUIET_INIT_BANNER",
  "NUT_QUIET_INIT_LISTENER",
  "NUT_DEFAULT_CONNECT_TIMEOUT",
  "NUT_CONFPATH",
  "NUT_STATEPATH",
  "NUT_ALTPIDPATH",
  "NUT_PIDPATH",
  "LIBUSB_DEBUG",
]);

/** One variable nut.conf sets. */
export interface NutConfVariable {
  /** After quote removal; `$…` is kept literally (systemd does not expand it). */
  value: string;
  /** Line of the assignment that set this value (the last one wins). */
  line: number;
  /** Exported by the shell (`export VAR` or `export VAR=value`), so sourcing scripts pass it on. */
  exported: boolean;
}

/** nut.conf as the shell would leave it. */
export interface NutConf {
  /** MODE when it holds one of the accepted values. */
  mode?: NutMode;
  /** Every variable assigned, by name (MODE included). */
  variables: Map<string, NutConfVariable>;
}

/** One shell word: its text after quote removal and what the raw text contained. */
interface ShellWord {
  text: string;
  line: number;
  /** The `NAME=` part was written unquoted, so the shell takes the word as an assignment. */
  assignment: boolean;
  /** `$` or a backquote outside single quotes. */
  expands: boolean;
}

interface ShellCommand {
  words: ShellWord[];
  line: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGNMENT_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Splits shell text into simple commands; syntax the lexer does not model is reported. */
function lexShell(text: string, report: Report): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let line = 1;
  let i = 0;
  const endCommand = (): void => {
    if (words.length > 0) commands.push({ words, line: words[0]!.line });
    words = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "\n" || c === ";") {
      endCommand();
      if (c === "\n") line++;
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "\\" && text[i + 1] === "\n") {
      i += 2;
      line++;
      continue;
    }
    // a word: runs until an unquoted blank, newline or ';'
    const start = i;
    const startLine = line;
    let value = "";
    let raw = "";
    let expands = false;
    let unsupported: string | undefined;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === " " || ch === "\t" || ch === "\n" || ch === ";") break;
      if (ch === "\\") {
        if (text[i + 1] === "\n") {
          line++;
          i += 2;
          continue;
        }
        if (i + 1 < text.length) {
          value += text[i + 1];
          raw += "\\\\";
        }
        i += 2;
        continue;
      }
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return unterminated(commands, report, startLine, "'");
        const quoted = text.slice(i + 1, close);
        line += countNewlines(quoted);
        value += quoted;
        raw += "''";
        i = close + 1;
        continue;
      }
      if (ch === '"') {
        let j = i + 1;
        let closed = false;
        while (j < text.length) {
          const q = text[j]!;
          if (q === '"') {
            closed = true;
            break;
          }
          if (q === "\\" && j + 1 < text.length) {
            const next = text[j + 1]!;
            // inside double quotes a backslash only escapes $ ` " \ and newline
            if (next === "\n") line++;
            else if ("$`\"\\".includes(next)) value += next;
            else value += q + next;
            j += 2;
            continue;
          }
          if (q === "$" || q === "`") expands = true;
          if (q === "\n") line++;
          value += q;
          j++;
        }
        if (!closed) return unterminated(commands, report, startLine, '"');
        raw += '""';
        i = j + 1;
        continue;
      }
      if (ch === "$" || ch === "`") expands = true;
      if ("|&<>()".includes(ch)) unsupported ??= ch;
      value += ch;
      raw += ch;
      i++;
    }
    if (unsupported !== undefined) {
      report(startLine, "error", `shell syntax "${unsupported}" in ${JSON.stringify(text.slice(start, i))}: nut.conf should hold plain VAR=value assignments`);
    }
    words.push({ text: value, line: startLine, assignment: ASSIGNMENT_PREFIX.test(raw), expands });
  }
  endCommand();
  return commands;
}

function countNewlines(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === "\n") n++;
  return n;
}

function unterminated(commands: ShellCommand[], report: Report, line: number, quote: string): ShellCommand[] {
  report(line, "fatal", `unterminated ${quote} quote: sourcing nut.conf fails with a shell syntax error, so the init scripts and wrappers stop`);
  return commands;
}

type Report = (line: number, severity: ConfigDiagnostic["severity"], message: string) => void;

/**
 * Reads nut.conf as `/bin/sh` would source it. Severity: "fatal" when sourcing fails, "error"
 * where the shell runs a command instead of assigning or MODE makes the wrappers exit 1,
 * "warning" for unknown variables and syntax that systemd's EnvironmentFile= may read differently.
 */
export function parseNutConf(input: Uint8Array | string, file: string): { config: NutConf; diagnostics: ConfigDiagnostic[] } {
  const text = typeof input === "string" ? input : new TextDecoder().decode(input);
  const diagnostics: ConfigDiagnostic[] = [];
  const report: Report = (line, severity, message) => diagnostics.push({ file, line, severity, message });
  const variables = new Map<string, NutConfVariable>();
  const exportedNames = new Set<string>();

  const assign = (word: ShellWord, exported: boolean): void => {
    const eq = word.text.indexOf("=");
    const name = word.text.slice(0, eq);
    const value = word.text.slice(eq + 1);
    if (word.expands) {
      report(word.line, "warning", `${name} uses shell expansion ($ or \`): systemd's EnvironmentFile= takes it literally (nut.conf(5): only verbatim assignments)`);
    }
    if (!NUT_CONF_VARIABLES.includes(name)) report(word.line, "warning", `unknown variable ${name}: nothing in NUT reads it`);
    variables.set(name, { value, line: word.line, exported: exported || exportedNames.has(name) });
    if (exported) exportedNames.add(name);
  };

  for (const { words, line } of lexShell(text, report)) {
    const first = words[0]!;
    if (first.text === "export" && !first.assignment) {
      for (const word of words.slice(1)) {
        if (word.assignment) {
          report(word.line, "warning", `"export ${word.text.slice(0, word.text.indexOf("="))}=…" is not guaranteed to work (nut.conf(5)): systemd's EnvironmentFile= does not know export; write the assignment and "export NAME" on separate lines`);
          assign(word, true);
        } else if (NAME.test(word.text)) {
          exportedNames.add(word.text);
          const existing = variables.get(word.text);
          if (existing) existing.exported = true;
        } else report(word.line, "error", `export: ${JSON.stringify(word.text)} is not a valid variable name`);
      }
      continue;
    }
    const assignments = words.findIndex((w) => !w.assignment);
    if (assignments === -1) {
      for (const word of words) assign(word, false);
      continue;
    }
    const command = words[assignments]!;
    const name = assignments === 0 ? first.text : first.text.slice(0, first.text.indexOf("="));
    const spacedEquals =
      (assignments === 0 && NAME.test(first.text) && words[1]?.text.startsWith("=") === true) ||
      (assignments === 1 && first.text.endsWith("="));
    if (spacedEquals) {
      report(line, "error", `spaces around "=": the shell runs ${JSON.stringify(command.text)} as a command and does not set ${name} (nut.conf(5): you MUST NOT use spaces around the equal sign)`);
    } else if (assignments > 0) {
      report(line, "error", `the shell runs ${JSON.stringify(command.text)} as a command with ${name} set only for it: nut.conf should hold plain VAR=value assignments`);
    } else {
      report(line, "error", `not a variable assignment: the shell runs ${JSON.stringify(command.text)} as a command`);
    }
  }

  const config: NutConf = { variables };
  const mode = variables.get("MODE");
  if (mode === undefined) {
    report(0, "error", "MODE is not set: Debian's upsd and upsmon wrappers exit 1 (nut.conf(5): MODE is required)");
  } else {
    const known = NUT_MODES.find((m) => m === mode.value);
    if (known === undefined) {
      report(mode.line, "error", `unknown MODE ${JSON.stringify(mode.value)}: Debian's upsd and upsmon wrappers exit 1 (use none, standalone, netserver or netclient)`);
    } else config.mode = known;
  }
  const wait = variables.get("POWEROFF_WAIT");
  if (wait !== undefined && !/^(\d+(\.\d*)?|\.\d+)[smhd]?$/.test(wait.value)) {
    report(wait.line, "warning", `POWEROFF_WAIT ${JSON.stringify(wait.value)} is not a sleep(1) duration such as 15m or 3600s`);
  }
  diagnostics.sort((a, b) => (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER));
  return { config, diagnostics };
}
