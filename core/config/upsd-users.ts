/**
 * upsd.users, as server/user.c user_parse_arg() reads it in NUT 2.8.0, quirks included: field
 * names are case-insensitive, user names and passwords are not, every word after `=` is a
 * value of its own, and after a duplicate `[name]` the fields keep going to the user before it.
 *
 * Pure: no I/O.
 */
import { readConfLines } from "./conf-lines.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";

/** The upsmon role a user was given with `upsmon …`. */
export type UpsmonRole = "primary" | "secondary";

/** One `[name]` section. */
export interface UpsdUser {
  name: string;
  /** Physical line of the `[name]` header. */
  line: number;
  password?: string;
  passwordLine?: number;
  /** Granted actions, lower-case (upsd compares them case-insensitively). */
  actions: Set<string>;
  /** Allowed instant commands, first spelling kept; `all` (any case) allows every one. */
  instcmds: string[];
  /** Strongest role given by `upsmon …` lines. */
  upsmon?: UpsmonRole;
}

/** A parsed upsd.users. */
export interface UpsdUsers {
  /** Users in file order. */
  users: UpsdUser[];
}

/** The user named exactly `name` (upsd compares user names with strcmp). */
export function findUpsdUser(config: UpsdUsers, name: string): UpsdUser | undefined {
  return config.users.find((u) => u.name === name);
}

/**
 * True when upsmon can log in as `user` with that role: a password, the LOGIN action, and for
 * a primary the PRIMARY or MASTER action (server/netuser.c do_net_primary() accepts either).
 */
export function userHasUpsmonRights(user: UpsdUser, role: UpsmonRole): boolean {
  if (user.password === undefined || !user.actions.has("login")) return false;
  return role === "secondary" || user.actions.has("primary") || user.actions.has("master");
}

type Severity = ConfigDiagnostic["severity"];

/** Parses upsd.users text or bytes; `file` names it in the diagnostics. */
export function parseUpsdUsers(input: Uint8Array | string, file: string): { config: UpsdUsers; diagnostics: ConfigDiagnostic[] } {
  const read = readConfLines(input, file);
  const diagnostics: ConfigDiagnostic[] = [...read.diagnostics];
  const users: UpsdUser[] = [];
  /** user.c's curr_user: not moved by a duplicate header. */
  let current: UpsdUser | undefined;
  /** Set after a duplicate header until the quirk has been pointed out once. */
  let duplicateOf: string | undefined;

  for (const { words, line } of read.lines) {
    // the same message more than once per line (one per value word) would only be noise
    const said = new Set<string>();
    const emit = (severity: Severity, message: string): void => {
      if (said.has(message)) return;
      said.add(message);
      diagnostics.push({ file, line, severity, message });
    };
    /** The field lands on `current`; tells once when that is the duplicate-header quirk. */
    const target = (): UpsdUser | undefined => {
      if (current && duplicateOf !== undefined) {
        emit("warning", `this goes to user ${current.name}: NUT keeps filling the previous user after the duplicate [${duplicateOf}]`);
        duplicateOf = undefined;
      }
      return current;
    };
    const addAction = (action: string): void => {
      const user = target();
      if (!user) emit("error", "Ignoring action definition outside user section");
      else user.actions.add(action.toLowerCase());
    };
    const setUpsmonType = (type: string, severityIfUnknown: Severity): void => {
      const lower = type.toLowerCase();
      let role: UpsmonRole;
      if (lower === "primary" || lower === "master") {
        // "master" is the action upsd checks for the PRIMARY/MASTER command
        for (const action of ["login", "master", "fsd"]) addAction(action);
        role = "primary";
      } else if (lower === "secondary" || lower === "slave") {
        addAction("login");
        role = "secondary";
      } else {
        emit(severityIfUnknown, `Unknown upsmon type ${type}`);
        return;
      }
      if (current && current.upsmon !== "primary") current.upsmon = role;
    };
    const parseVar = (user: UpsdUser, name: string, value: string): void => {
      switch (name.toLowerCase()) {
        case "password":
          if (user.password !== undefined) {
            emit("error", `Ignoring duplicate password for ${user.name}`);
          } else {
            user.password = value;
            user.passwordLine = line;
          }
          return;
        case "instcmds":
          if (!user.instcmds.some((c) => c.toLowerCase() === value.toLowerCase())) user.instcmds.push(value);
          return;
        case "actions":
          user.actions.add(value.toLowerCase());
          return;
        case "allowfrom":
          emit("warning", "allowfrom in upsd.users is no longer used");
          return;
        case "upsmon":
          setUpsmonType(value, "error");
          return;
        default:
          emit("error", `Unrecognized user setting ${name}`);
      }
    };
    /** user.c parse_rest(): the field applies to each value word in turn. */
    const parseRest = (name: string, values: readonly string[]): void => {
      if (!current) {
        emit("error", `ignored: ${words.join(" ")} (outside any [user] section)`);
        return;
      }
      const user = target()!;
      for (const value of values) parseVar(user, name, value);
    };

    const first = words[0]!;
    if (first.toLowerCase() === "user") {
      emit("error", `ignored: ${words.join(" ")} (the old "user" line format is no longer read)`);
      continue;
    }
    // a word holding "=" (quoted or escaped, since the tokenizer splits a bare one off)
    const eq = first.indexOf("=");
    if (eq >= 0) {
      parseRest(first.slice(0, eq), [first.slice(eq + 1), ...words.slice(1)]);
      continue;
    }
    if (first.startsWith("[") && first.endsWith("]")) {
      const name = first.slice(1, -1);
      if (users.some((u) => u.name === name)) {
        emit("error", `Ignoring duplicate user ${name}`);
        duplicateOf = name;
      } else {
        current = { name, line, actions: new Set(), instcmds: [] };
        users.push(current);
        duplicateOf = undefined;
      }
      if (words.length > 1) emit("error", `ignored after the section header: ${words.slice(1).join(" ")}`);
      continue;
    }
    const isUpsmon = first.toLowerCase() === "upsmon";
    if (isUpsmon && words.length >= 2) {
      // user.c runs this check before the `=` form: "upsmon = primary" first tries type "="
      const hasValueAfter = words[1] === "=" && words.length >= 3;
      setUpsmonType(words[1]!, hasValueAfter ? "warning" : "error");
      if (words.length > 2 && words[1] !== "=") emit("warning", `upsmon: NUT ignores "${words.slice(2).join(" ")}"`);
    }
    if (words.length >= 3 && words[1] === "=") {
      parseRest(first, words.slice(2));
      continue;
    }
    if (!isUpsmon || words.length < 2) emit("error", `ignored: ${words.join(" ")} (NUT reads only "[user]", "field = value" and "upsmon <role>" lines)`);
  }

  for (const user of users) {
    if (user.password === undefined) {
      diagnostics.push({ file, line: user.line, severity: "warning", message: `user ${user.name} has no password: upsd never lets it log in` });
    }
  }
  diagnostics.sort((a, b) => a.line - b.line);
  return { config: { users }, diagnostics };
}

