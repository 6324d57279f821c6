/**
 * upssched.conf reader, after clients/upssched.c (conf_arg(), parse_at(), and the timer daemon's
 * handling of the requests an AT sends) of NUT 2.8.0, plus DEBUG_MIN and START-TIMER-SHARED
 * from 2.8.5. upssched acts on each AT while reading; this reader checks every AT as if it
 * matched, so problems show up before the event that would reveal them. Pure: no I/O.
 */
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { nutStrToInt, parseCLong } from "./c-numbers.ts";
import { readConfLines } from "./conf-lines.ts";
import { findNotifyType } from "./upsmon-conf.ts";

/** The AT commands upssched knows (START-TIMER-SHARED since 2.8.5). */
export const UPSSCHED_COMMANDS = ["START-TIMER", "START-TIMER-SHARED", "CANCEL-TIMER", "EXECUTE"] as const;

/** One AT command. */
export type UpsschedCommand = (typeof UPSSCHED_COMMANDS)[number];

/** A directive value and the line that set it. */
export interface LocatedValue<T> {
  value: T;
  line: number;
}

/** One usable AT line. */
export interface UpsschedAt {
  /** Upper-cased (upssched compares it with NOTIFYTYPE case-insensitively). */
  notifyType: string;
  /** `*` matches any UPS; otherwise compared case-sensitively with UPSNAME (the MONITOR system). */
  upsName: string;
  command: UpsschedCommand;
  /**
   * The arguments upssched uses: [timer, seconds] for START-TIMER(-SHARED), [timer] or
   * [timer, command] for CANCEL-TIMER, [command] for EXECUTE.
   */
  args: string[];
  line: number;
}

/** upssched.conf as upssched reads it. */
export interface UpsschedConf {
  cmdScript?: LocatedValue<string>;
  pipeFn?: LocatedValue<string>;
  lockFn?: LocatedValue<string>;
  debugMin?: LocatedValue<number>;
  /** Usable AT lines in file order (upssched runs every matching one, in this order). */
  at: UpsschedAt[];
}

/** What CMDSCRIPT gets through system() unquoted, so the shell would split or interpret it. */
const SHELL_SPECIAL = /[\s;&|$`<>()'"\\*?[\]#~{}!]/;

function findCommand(name: string): UpsschedCommand | undefined {
  return UPSSCHED_COMMANDS.find((c) => c === name);
}

/**
 * Reads upssched.conf. Severity: "fatal" where upssched exits, "error" where a line or an AT
 * does nothing (or fails when its event comes), "warning" for likely mistakes it accepts.
 */
export function parseUpsschedConf(
  input: Uint8Array | string,
  file: string,
): { config: UpsschedConf; diagnostics: ConfigDiagnostic[] } {
  const { lines, diagnostics } = readConfLines(input, file);
  const config: UpsschedConf = { at: [] };
  const report = (line: number, severity: ConfigDiagnostic["severity"], message: string): void => {
    diagnostics.push({ file, line, severity, message });
  };
  let missingReported = false;

  for (const { words, line } of lines) {
    const name = words[0]!;
    const invalid = (): void => report(line, "error", `invalid directive ${words.join(" ")}`);
    // conf_arg(): everything needs at least one argument
    if (words.length < 2) {
      invalid();
      continue;
    }
    const value = words[1]!;
    if (name === "CMDSCRIPT" || name === "PIPEFN" || name === "LOCKFN" || name === "DEBUG_MIN") {
      if (words.length > 2) {
        report(line, "warning", `${name} uses one argument: upssched ignores the rest (${words.slice(2).join(" ")})`);
      }
      if (name === "CMDSCRIPT") config.cmdScript = { value, line };
      else if (name === "PIPEFN") config.pipeFn = { value, line };
      else if (name === "LOCKFN") config.lockFn = { value, line };
      else {
        // 2.8.5 ignores a DEBUG_MIN it cannot read, silently
        const level = nutStrToInt(value);
        if (level !== undefined) config.debugMin = { value: level, line };
        else report(line, "error", `invalid DEBUG_MIN value [${value}]: upssched ignores it`);
      }
      continue;
    }
    // AT needs <notifytype> <upsname> <command> <arg1>; shorter lines are invalid directives
    if (name !== "AT" || words.length < 5) {
      invalid();
      continue;
    }
    // parse_at() checks these first, whether or not the AT matches the event
    if (!missingReported) {
      const missing =
        config.cmdScript === undefined ? "CMDSCRIPT" : config.pipeFn === undefined ? "PIPEFN" : config.lockFn === undefined ? "LOCKFN" : undefined;
      if (missing !== undefined) {
        report(line, "fatal", `${missing} must be set before any ATs in the config file!`);
        missingReported = true;
      }
    }
    const at = parseAt(words, line, report);
    if (at) config.at.push(at);
  }

  diagnostics.sort((a, b) => (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER));
  return { config, diagnostics };
}

type Report = (line: number, severity: ConfigDiagnostic["severity"], message: string) => void;

/** parse_at() and what the daemon makes of the request it sends. */
function parseAt(words: string[], line: number, report: Report): UpsschedAt | undefined {
  const [, typeName, upsName, commandName, arg1] = words as [string, string, string, string, string];
  const arg2 = words[5];
  const command = findCommand(commandName);
  if (command === undefined) {
    let message = `Invalid command: ${commandName}`;
    if (commandName === "CANCEL-TIMER-MATCHED") message += " (documented for 2.8.5, but upssched rejects it)";
    report(line, "error", message);
    return undefined;
  }
  if (words.length > 6) {
    report(line, "warning", `AT takes at most two command arguments: upssched ignores the rest (${words.slice(6).join(" ")})`);
  }
  const type = findNotifyType(typeName);
  if (type === undefined) {
    report(line, "warning", `unknown notify type [${typeName}]: this AT never matches`);
  }
  const at: UpsschedAt = { notifyType: type ?? typeName.toUpperCase(), upsName, command, args: [arg1], line };
  const shellCheck = (what: string, text: string): void => {
    if (SHELL_SPECIAL.test(text)) {
      report(line, "warning", `${what} [${text}] contains blanks or shell characters: upssched passes it to CMDSCRIPT through the shell unquoted`);
    }
  };

  switch (command) {
    case "START-TIMER":
    case "START-TIMER-SHARED": {
      if (arg2 === undefined) {
        // the daemon answers the two-word START with ERR UNKNOWN and upssched gives up
        report(line, "error", `${command} needs a timer name and an interval: the timer daemon rejects the request`);
        return undefined;
      }
      // start_timer(): strtol(ofsstr, NULL, 10)
      const parsed = parseCLong(arg2);
      const seconds = parsed.value;
      if (!parsed.exact) {
        report(line, "warning", `timer interval [${arg2}] is not an integer: the timer daemon reads it as ${seconds}`);
      }
      if (seconds < 0n) {
        report(line, "error", `negative timer interval [${arg2}]: the timer daemon logs "bogus offset for timer, ignoring"`);
        return undefined;
      }
      shellCheck("timer name", arg1);
      at.args.push(arg2);
      break;
    }
    case "CANCEL-TIMER":
      if (arg2 !== undefined) {
        at.args.push(arg2);
        if (arg2 !== "") shellCheck("command", arg2);
      }
      break;
    case "EXECUTE":
      if (arg1 === "") {
        report(line, "error", "Empty EXECUTE command argument");
        return undefined;
      }
      if (arg2 !== undefined) report(line, "warning", `EXECUTE takes one argument: upssched ignores [${arg2}]`);
      shellCheck("command", arg1);
      break;
  }
  return at;
}
