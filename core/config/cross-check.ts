/**
 * The checks no single NUT reader makes: references from one config file to another, and what
 * the files say about the machine (scripts that must exist, modes that leak passwords). Pure:
 * the facts about files come in through `FileFacts`, so `nut check-config` supplies the real
 * file system and tests can supply anything.
 */
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import type { NutConf } from "./nut-conf.ts";
import { type UpsConf, upsdSections } from "./ups-conf.ts";
import type { UpsdConf } from "./upsd-conf.ts";
import { type UpsdUsers, findUpsdUser, userHasUpsmonRights } from "./upsd-users.ts";
import type { UpsmonConf } from "./upsmon-conf.ts";
import type { UpsschedConf } from "./upssched-conf.ts";

/** One parsed file and the name it is reported under. */
export interface ParsedFile<T> {
  file: string;
  config: T;
}

/** Every config file found in one directory, parsed. */
export interface ConfigSet {
  upsConf?: ParsedFile<UpsConf>;
  upsdConf?: ParsedFile<UpsdConf>;
  upsdUsers?: ParsedFile<UpsdUsers>;
  upsmonConf?: ParsedFile<UpsmonConf>;
  upsschedConf?: ParsedFile<UpsschedConf>;
  nutConf?: ParsedFile<NutConf>;
}

/** What the cross-checks need to know about the machine. */
export interface FileFacts {
  /** Permission bits of a file, or undefined if it does not exist. */
  mode(path: string): number | undefined;
  /** True if the path is a regular file the current user could execute. */
  isExecutable(path: string): boolean;
  exists(path: string): boolean;
  /** Names and addresses under which this machine's upsd is reached (localhost, its hostname …). */
  localHosts: readonly string[];
}

const LOOPBACK = ["localhost", "127.0.0.1", "::1", "localhost.localdomain", "ip6-localhost"];

function firstWord(command: string): string | undefined {
  return command.trim().split(/\s+/)[0];
}

/** Runs every cross-file check; the diagnostics come in file then line order. */
export function crossCheck(set: ConfigSet, facts: FileFacts): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  checkModes(set, facts, out);
  checkMonitors(set, facts, out);
  checkUpsmonCommands(set, facts, out);
  checkUpssched(set, facts, out);
  checkMode(set, out);
  return out;
}

function checkModes(set: ConfigSet, facts: FileFacts, out: ConfigDiagnostic[]): void {
  // upsd logs "<file> is world readable" for both (server/upsd.c check_perms())
  if (set.upsdUsers) {
    const mode = facts.mode(set.upsdUsers.file);
    if (mode !== undefined && (mode & 0o007) !== 0) {
      out.push({
        file: set.upsdUsers.file, line: 0, severity: "error",
        message: `readable by every user (mode ${(mode & 0o777).toString(8).padStart(4, "0")}) but it holds passwords: chmod o-rwx (upsd warns "is world readable")`,
      });
    }
  }
  if (set.upsdConf) {
    const mode = facts.mode(set.upsdConf.file);
    if (mode !== undefined && (mode & 0o007) !== 0) {
      out.push({
        file: set.upsdConf.file, line: 0, severity: "warning",
        message: `readable by every user (mode ${(mode & 0o777).toString(8).padStart(4, "0")}): upsd warns "is world readable"`,
      });
    }
  }
}

function isLocal(host: string, set: ConfigSet, facts: FileFacts): boolean {
  const h = host.toLowerCase();
  if (LOOPBACK.includes(h) || facts.localHosts.some((l) => l.toLowerCase() === h)) return true;
  return set.upsdConf?.config.listen.some((l) => l.address.toLowerCase() === h) ?? false;
}

function checkMonitors(set: ConfigSet, facts: FileFacts, out: ConfigDiagnostic[]): void {
  const upsmon = set.upsmonConf;
  if (!upsmon) return;
  const served = set.upsConf ? upsdSections(set.upsConf.config) : undefined;
  for (const m of upsmon.config.monitors) {
    if (m.nameError !== undefined || !isLocal(m.host, set, facts)) continue;
    const at = { file: upsmon.file, line: m.line };
    if (served && !served.some((s) => s.name.toLowerCase() === m.upsname.toLowerCase())) {
      out.push({ ...at, severity: "error", message: `MONITOR ${m.system}: UPS "${m.upsname}" is not defined in ${set.upsConf!.file} (upsd answers ERR UNKNOWN-UPS)` });
    }
    const users = set.upsdUsers;
    if (!users) continue;
    const user = findUpsdUser(users.config, m.user);
    if (!user) {
      out.push({ ...at, severity: "error", message: `MONITOR ${m.system}: user "${m.user}" is not defined in ${users.file} (login fails with ERR ACCESS-DENIED)` });
      continue;
    }
    if (user.password === undefined) {
      out.push({ ...at, severity: "error", message: `MONITOR ${m.system}: user "${m.user}" has no password in ${users.file}:${user.line}, so it can never log in` });
      continue;
    }
    if (user.password !== m.password) {
      out.push({ ...at, severity: "error", message: `MONITOR ${m.system}: the password differs from user "${m.user}" in ${users.file}:${user.passwordLine ?? user.line} (login fails with ERR ACCESS-DENIED)` });
    }
    if (!userHasUpsmonRights(user, m.role)) {
      const need = m.role === "primary" ? "upsmon primary" : "upsmon secondary (or primary)";
      out.push({ ...at, severity: "error", message: `MONITOR ${m.system} is ${m.role} but user "${m.user}" (${users.file}:${user.line}) lacks "${need}"` });
    }
  }
}

function checkUpsmonCommands(set: ConfigSet, facts: FileFacts, out: ConfigDiagnostic[]): void {
  const upsmon = set.upsmonConf;
  if (!upsmon) return;
  const c = upsmon.config;
  const notify = c.notifyCmd !== undefined ? firstWord(c.notifyCmd) : undefined;
  if (notify !== undefined && notify.startsWith("/") && !facts.isExecutable(notify)) {
    out.push({ file: upsmon.file, line: c.lines.NOTIFYCMD ?? 0, severity: "error", message: `NOTIFYCMD "${notify}" does not exist or is not executable: EXEC notifications would be lost` });
  }
  if (notify !== undefined && /(^|\/)upssched$/.test(notify) && !set.upsschedConf) {
    out.push({ file: upsmon.file, line: c.lines.NOTIFYCMD ?? 0, severity: "error", message: "NOTIFYCMD runs upssched but there is no upssched.conf beside upsmon.conf" });
  }
  const shutdown = c.shutdownCmd !== undefined ? firstWord(c.shutdownCmd) : undefined;
  if (shutdown !== undefined && shutdown.startsWith("/") && !facts.isExecutable(shutdown)) {
    out.push({ file: upsmon.file, line: c.lines.SHUTDOWNCMD ?? 0, severity: "error", message: `SHUTDOWNCMD "${shutdown}" does not exist or is not executable: the machine would not shut down` });
  }
  if (c.powerDownFlag !== undefined && c.powerDownFlag.startsWith("/")) {
    const dir = c.powerDownFlag.slice(0, c.powerDownFlag.lastIndexOf("/")) || "/";
    if (!facts.exists(dir)) {
      out.push({ file: upsmon.file, line: c.lines.POWERDOWNFLAG ?? 0, severity: "error", message: `POWERDOWNFLAG directory "${dir}" does not exist: the flag cannot be written at shutdown` });
    }
  }
}

function checkUpssched(set: ConfigSet, facts: FileFacts, out: ConfigDiagnostic[]): void {
  const sched = set.upsschedConf;
  if (!sched?.config.cmdScript) return;
  const script = firstWord(sched.config.cmdScript.value);
  if (script === undefined) return;
  if (!facts.exists(script)) {
    out.push({ file: sched.file, line: sched.config.cmdScript.line, severity: "error", message: `CMDSCRIPT "${script}" does not exist` });
  } else if (!facts.isExecutable(script)) {
    out.push({ file: sched.file, line: sched.config.cmdScript.line, severity: "error", message: `CMDSCRIPT "${script}" is not executable` });
  }
}

function checkMode(set: ConfigSet, out: ConfigDiagnostic[]): void {
  const nut = set.nutConf;
  if (!nut?.config.mode) return;
  const line = nut.config.variables.get("MODE")?.line ?? 0;
  const mode = nut.config.mode;
  if (mode === "standalone" || mode === "netserver") {
    if (!set.upsConf || upsdSections(set.upsConf.config).length === 0) {
      out.push({ file: nut.file, line, severity: "error", message: `MODE=${mode} starts drivers and upsd, but ups.conf defines no complete UPS section` });
    }
    if (!set.upsdUsers) out.push({ file: nut.file, line, severity: "error", message: `MODE=${mode} starts upsd, but there is no upsd.users (upsd refuses to start)` });
    if (!set.upsdConf) out.push({ file: nut.file, line, severity: "error", message: `MODE=${mode} starts upsd, but there is no upsd.conf (upsd refuses to start)` });
  }
  if (mode !== "none" && (!set.upsmonConf || set.upsmonConf.config.monitors.length === 0)) {
    out.push({ file: nut.file, line, severity: "warning", message: `MODE=${mode} starts upsmon, but upsmon.conf has no MONITOR line: nothing would be shut down` });
  }
}
