/**
 * upsmon.conf reader: NUT 2.8.0's directives plus those added up to 2.8.5, with the values,
 * defaults and messages of clients/upsmon.c (parse_conf_arg(), addups(), set_notifymsg(),
 * set_notifyflag() and the start-up checks in main()). Pure: no I/O.
 */
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { cAtoi, nutStrToInt, parseCLong } from "./c-numbers.ts";
import { readConfLines } from "./conf-lines.ts";
import { NUT_DEFAULT_PORT, parseUpsSystemName } from "./ups-system-name.ts";

/** Every notify type upsmon 2.8.5 knows, in its notifylist order (clients/upsmon.h). */
export const NOTIFY_TYPES = [
  "ONLINE",
  "ONBATT",
  "LOWBATT",
  "FSD",
  "COMMOK",
  "COMMBAD",
  "SHUTDOWN",
  "SHUTDOWN_HOSTSYNC",
  "REPLBATT",
  "NOCOMM",
  "NOPARENT",
  "CAL",
  "NOTCAL",
  "OFF",
  "NOTOFF",
  "BYPASS",
  "NOTBYPASS",
  "ECO",
  "NOTECO",
  "ALARM",
  "NOTALARM",
  "OVER",
  "NOTOVER",
  "TRIM",
  "NOTTRIM",
  "BOOST",
  "NOTBOOST",
  "OTHER",
  "NOTOTHER",
  "SUSPEND_STARTING",
  "SUSPEND_FINISHED",
] as const;

/** A notify type name, as upsmon passes it in NOTIFYTYPE. */
export type NotifyType = (typeof NOTIFY_TYPES)[number];

/** The NOTIFYFLAG flags (matched case-sensitively by upsmon). */
export const NOTIFY_FLAGS = ["SYSLOG", "WALL", "EXEC", "IGNORE"] as const;

/** One NOTIFYFLAG flag. */
export type NotifyFlag = (typeof NOTIFY_FLAGS)[number];

/** The stock message of each notify type (NUT 2.8.5 notifylist); `%s` stands for the UPS. */
export const DEFAULT_NOTIFY_MESSAGES: Readonly<Record<NotifyType, string>> = Object.freeze({
  ONLINE: "UPS %s on line power",
  ONBATT: "UPS %s on battery",
  LOWBATT: "UPS %s battery is low",
  FSD: "UPS %s: forced shutdown in progress",
  COMMOK: "Communications with UPS %s established",
  COMMBAD: "Communications with UPS %s lost",
  SHUTDOWN: "Auto logout and shutdown proceeding",
  SHUTDOWN_HOSTSYNC: "Shutdown initiated; primary system is waiting for secondaries to log out or time out",
  REPLBATT: "UPS %s battery needs to be replaced",
  NOCOMM: "UPS %s is unavailable",
  NOPARENT: "upsmon parent process died - shutdown impossible",
  CAL: "UPS %s: calibration in progress",
  NOTCAL: "UPS %s: calibration finished",
  OFF: "UPS %s: administratively OFF or asleep",
  NOTOFF: "UPS %s: no longer administratively OFF or asleep",
  BYPASS: "UPS %s: on bypass (powered, not protecting)",
  NOTBYPASS: "UPS %s: no longer on bypass",
  ECO: "UPS %s: in ECO mode (as defined by vendor)",
  NOTECO: "UPS %s: no longer in ECO mode",
  ALARM: "UPS %s: one or more active alarms: [%s]",
  NOTALARM: "UPS %s is no longer in an alarm state (no active alarms)",
  OVER: "UPS %s: overloaded",
  NOTOVER: "UPS %s: no longer overloaded",
  TRIM: "UPS %s: trimming incoming voltage",
  NOTTRIM: "UPS %s: no longer trimming incoming voltage",
  BOOST: "UPS %s: boosting incoming voltage",
  NOTBOOST: "UPS %s: no longer boosting incoming voltage",
  OTHER: "UPS %s: has at least one unclassified status token: [%s]",
  NOTOTHER: "UPS %s has no unclassified status tokens anymore",
  SUSPEND_STARTING: "OS is entering sleep/suspend/hibernate mode",
  SUSPEND_FINISHED:
    "OS just finished sleep/suspend/hibernate mode, de-activating obsolete UPS readings to avoid an unfortunate shutdown",
});

/**
 * The NUT release that introduced each notify type (older upsmon rejects the name in
 * NOTIFYMSG/NOTIFYFLAG with a warning).
 */
export const NOTIFY_TYPE_SINCE: Readonly<Record<NotifyType, string>> = Object.freeze({
  ONLINE: "2.8.0",
  ONBATT: "2.8.0",
  LOWBATT: "2.8.0",
  FSD: "2.8.0",
  COMMOK: "2.8.0",
  COMMBAD: "2.8.0",
  SHUTDOWN: "2.8.0",
  SHUTDOWN_HOSTSYNC: "2.8.5",
  REPLBATT: "2.8.0",
  NOCOMM: "2.8.0",
  NOPARENT: "2.8.0",
  CAL: "2.8.0",
  NOTCAL: "2.8.2",
  OFF: "2.8.1",
  NOTOFF: "2.8.1",
  BYPASS: "2.8.1",
  NOTBYPASS: "2.8.1",
  ECO: "2.8.3",
  NOTECO: "2.8.3",
  ALARM: "2.8.3",
  NOTALARM: "2.8.3",
  OVER: "2.8.3",
  NOTOVER: "2.8.3",
  TRIM: "2.8.3",
  NOTTRIM: "2.8.3",
  BOOST: "2.8.3",
  NOTBOOST: "2.8.3",
  OTHER: "2.8.3",
  NOTOTHER: "2.8.3",
  SUSPEND_STARTING: "2.8.3",
  SUSPEND_FINISHED: "2.8.3",
});

/**
 * The flags of a notify type nobody configured: SYSLOG+WALL, except CAL which 2.8.0's
 * notifylist sets to SYSLOG only (2.8.5 made it SYSLOG+WALL like the rest; 2.8.0 is the oracle).
 */
export function defaultNotifyFlags(type: NotifyType): NotifyFlag[] {
  return type === "CAL" ? ["SYSLOG"] : ["SYSLOG", "WALL"];
}

/** The notify type named `name`, compared case-insensitively as upsmon and upssched do. */
export function findNotifyType(name: string): NotifyType | undefined {
  const upper = name.toUpperCase();
  return NOTIFY_TYPES.find((t) => t === upper);
}

/** One MONITOR line that upsmon accepted. */
export interface UpsmonMonitor {
  /** The identifier exactly as written (`ups@host:port`): upsmon's UPSNAME and `%s`. */
  system: string;
  upsname: string;
  host: string;
  port: number;
  powerValue: number;
  user: string;
  password: string;
  /** `primary`/`master` (any case) make a primary; any other word a secondary. */
  role: "primary" | "secondary";
  line: number;
  /**
   * Set when `system` cannot be split (upsmon then logs `Error: unable to split UPS name` but
   * still counts the power value, and can never connect); host is then empty.
   */
  nameError?: string;
}

/** The message and flags upsmon uses for one notify type. */
export interface UpsmonNotifySetting {
  message: string;
  /** Empty when every flag given was invalid: upsmon then does nothing, as with IGNORE. */
  flags: NotifyFlag[];
  /** Line of the NOTIFYMSG that set `message`, if any. */
  messageLine?: number;
  /** Line of the NOTIFYFLAG that set `flags`, if any. */
  flagsLine?: number;
}

/** One CERTHOST line (NSS builds: per-host certificate name and TLS policy). */
export interface UpsmonCertHost {
  /** Compared exactly with a MONITOR host (without port); the last matching line wins. */
  host: string;
  certName: string;
  /** Non-zero third argument. */
  certVerify: boolean;
  /** Non-zero fourth argument. */
  forceSsl: boolean;
  line: number;
}

/** Every directive name upsmon.conf knows. */
export type UpsmonDirective =
  | "MONITOR"
  | "MINSUPPLIES"
  | "SHUTDOWNCMD"
  | "SHUTDOWNEXIT"
  | "NOTIFYCMD"
  | "POWERDOWNFLAG"
  | "NOTIFYMSG"
  | "NOTIFYFLAG"
  | "POLLFREQ"
  | "POLLFREQALERT"
  | "POLLFAIL_LOG_THROTTLE_MAX"
  | "HOSTSYNC"
  | "DEADTIME"
  | "RBWARNTIME"
  | "NOCOMMWARNTIME"
  | "FINALDELAY"
  | "OFFDURATION"
  | "OVERDURATION"
  | "OBLBDURATION"
  | "ALARMCRITICAL"
  | "RUN_AS_USER"
  | "CERTPATH"
  | "CERTIDENT"
  | "CERTHOST"
  | "CERTVERIFY"
  | "FORCESSL"
  | "DEBUG_MIN";

/** upsmon.conf as upsmon would hold it after reading the file. */
export interface UpsmonConf {
  /** Accepted MONITOR lines in file order (duplicates, bad power values and old-style lines dropped). */
  monitors: UpsmonMonitor[];
  /** Sum of the accepted power values (upsmon's totalpv). */
  totalPowerValue: number;
  minSupplies: number;
  pollFreq: number;
  pollFreqAlert: number;
  hostSync: number;
  deadTime: number;
  rbWarnTime: number;
  noCommWarnTime: number;
  finalDelay: number;
  /** 2.8.1: seconds of OFF before the UPS counts as lost; 0 at once, negative never. */
  offDuration: number;
  /** 2.8.3: seconds of OVER while not communicating before critical; negative never. */
  overDuration: number;
  /** 2.8.3: seconds OB+LB must persist before critical; values below 1 become 0 (at once). */
  oblbDuration: number;
  /** 2.8.3: ALARM counts as volatile (only the value 1 enables it, as upsmon compares `== 1`). */
  alarmCritical: boolean;
  /** 2.8.1: poll-failure log throttle; -1 logs every failure. */
  pollFailLogThrottleMax: number;
  /** 2.8.1 SHUTDOWNEXIT: 0 exit at once (yes), -1 never (no), N seconds. */
  shutdownExit: number;
  shutdownCmd?: string;
  notifyCmd?: string;
  powerDownFlag?: string;
  runAsUser?: string;
  certPath?: string;
  certIdent?: { name: string; password: string };
  certHosts: UpsmonCertHost[];
  /** CERTVERIFY: upsmon only verifies when the value is exactly 1. */
  certVerify: boolean;
  /** FORCESSL: upsmon only requires TLS when the value is exactly 1. */
  forceSsl: boolean;
  debugMin?: number;
  notify: Record<NotifyType, UpsmonNotifySetting>;
  /** Line of the last accepted occurrence of each directive. */
  lines: Partial<Record<UpsmonDirective, number>>;
}

/** What upsmon runs with when upsmon.conf sets nothing (clients/upsmon.c globals). */
export function defaultUpsmonConf(): UpsmonConf {
  const notify = {} as Record<NotifyType, UpsmonNotifySetting>;
  for (const type of NOTIFY_TYPES) {
    notify[type] = { message: DEFAULT_NOTIFY_MESSAGES[type], flags: defaultNotifyFlags(type) };
  }
  return {
    monitors: [],
    totalPowerValue: 0,
    minSupplies: 1,
    pollFreq: 5,
    pollFreqAlert: 5,
    hostSync: 15,
    deadTime: 15,
    rbWarnTime: 43200,
    noCommWarnTime: 300,
    finalDelay: 5,
    offDuration: 30,
    overDuration: -1,
    oblbDuration: 0,
    alarmCritical: true,
    pollFailLogThrottleMax: -1,
    shutdownExit: 0,
    certHosts: [],
    certVerify: false,
    forceSsl: false,
    notify,
    lines: {},
  };
}

const INT_MAX = 2147483647;
const UINT_MAX = 4294967295n;

/** Directives whose value is free text: extra words silently cut a command or message short. */
const TEXT_DIRECTIVES = new Set(["SHUTDOWNCMD", "NOTIFYCMD", "NOTIFYMSG"]);

/** How many arguments each directive uses (parse_conf_arg()). */
const ARG_COUNT: Readonly<Record<UpsmonDirective, number>> = {
  SHUTDOWNCMD: 1,
  SHUTDOWNEXIT: 1,
  POWERDOWNFLAG: 1,
  NOTIFYCMD: 1,
  POLLFREQ: 1,
  POLLFREQALERT: 1,
  POLLFAIL_LOG_THROTTLE_MAX: 1,
  OFFDURATION: 1,
  OVERDURATION: 1,
  OBLBDURATION: 1,
  HOSTSYNC: 1,
  DEADTIME: 1,
  MINSUPPLIES: 1,
  RBWARNTIME: 1,
  NOCOMMWARNTIME: 1,
  FINALDELAY: 1,
  RUN_AS_USER: 1,
  CERTPATH: 1,
  CERTVERIFY: 1,
  FORCESSL: 1,
  ALARMCRITICAL: 1,
  DEBUG_MIN: 1,
  NOTIFYMSG: 2,
  NOTIFYFLAG: 2,
  CERTIDENT: 2,
  CERTHOST: 4,
  MONITOR: 5,
};

function isDirective(name: string): name is UpsmonDirective {
  return Object.hasOwn(ARG_COUNT, name);
}

/**
 * Reads upsmon.conf. The config holds what upsmon would run with; diagnostics carry NUT's own
 * text where it has one. Severity: "fatal" where upsmon exits, "error" where it drops a line or
 * value, "warning" where it accepts something that is probably a mistake.
 */
export function parseUpsmonConf(
  input: Uint8Array | string,
  file: string,
): { config: UpsmonConf; diagnostics: ConfigDiagnostic[] } {
  const { lines, diagnostics } = readConfLines(input, file);
  const config = defaultUpsmonConf();
  const report = (line: number, severity: ConfigDiagnostic["severity"], message: string): void => {
    diagnostics.push({ file, line, severity, message });
  };

  /** atoi() of a number argument, warning when it is not a plain integer. */
  const intArg = (name: string, value: string, line: number): number => {
    const n = cAtoi(value);
    if (nutStrToInt(value) === undefined) {
      report(line, "warning", `${name} value [${value}] is not an integer: upsmon reads it as ${n}`);
    }
    return n;
  };
  /** POLLFREQ & co: negative values are dropped with upsmon's message. */
  const nonNegative = (name: string, value: string, line: number, set: (n: number) => void): boolean => {
    const n = intArg(name, value, line);
    if (n < 0) {
      report(line, "error", `Ignoring invalid ${name} value: ${n}`);
      return false;
    }
    set(n);
    return true;
  };
  /** CERTVERIFY & co: upsmon tests `== 1`. */
  const oneIsOn = (name: string, value: string, line: number): boolean => {
    const n = intArg(name, value, line);
    if (n !== 0 && n !== 1) {
      report(line, "warning", `${name} value [${value}] is neither 0 nor 1: upsmon treats it as 0 (off)`);
    }
    return n === 1;
  };

  for (const confLine of lines) {
    const words = confLine.words;
    const line = confLine.line;
    const name = words[0]!;
    // parse_conf_arg(): DEBUG_MIN is the one name compared case-insensitively
    const directive = name.toUpperCase() === "DEBUG_MIN" ? "DEBUG_MIN" : name;
    const invalid = (): void => {
      let message = `invalid directive ${words.join(" ")}`;
      if (!isDirective(directive) && isDirective(name.toUpperCase())) {
        message += ` (directive names are case-sensitive: ${name.toUpperCase()})`;
      }
      report(line, "error", message);
    };
    if (!isDirective(directive)) {
      invalid();
      continue;
    }
    const wanted = ARG_COUNT[directive];
    const args = words.length - 1;
    if (directive === "MONITOR" && args === 4) {
      report(
        line,
        "fatal",
        "Unable to use old-style MONITOR line without a username: convert it and add a username to upsd.users - see the documentation (Fatal error: unusable configuration)",
      );
      continue;
    }
    if (args < wanted) {
      invalid();
      continue;
    }
    if (args > wanted) {
      const extra = words.slice(wanted + 1).join(" ");
      report(
        line,
        TEXT_DIRECTIVES.has(directive) ? "error" : "warning",
        `${directive} uses ${wanted === 1 ? "one argument" : `${wanted} arguments`}: upsmon ignores the rest (${extra})${TEXT_DIRECTIVES.has(directive) ? "; quote a value that contains spaces" : ""}`,
      );
    }
    const a1 = words[1]!;
    let accepted = true;
    switch (directive) {
      case "SHUTDOWNCMD":
        config.shutdownCmd = a1;
        if (a1.trim() === "") report(line, "warning", "SHUTDOWNCMD is empty: upsmon would run nothing at shutdown");
        break;
      case "NOTIFYCMD":
        config.notifyCmd = a1;
        break;
      case "POWERDOWNFLAG":
        config.powerDownFlag = a1;
        break;
      case "RUN_AS_USER":
        config.runAsUser = a1;
        break;
      case "CERTPATH":
        config.certPath = a1;
        break;
      case "SHUTDOWNEXIT": {
        const lower = a1.toLowerCase();
        if (lower === "on" || lower === "yes" || lower === "true") config.shutdownExit = 0;
        else if (lower === "off" || lower === "no" || lower === "false") config.shutdownExit = -1;
        else {
          const n = nutStrToInt(a1);
          if (n === undefined) report(line, "warning", "SHUTDOWNEXIT value not recognized, defaulting to 'yes'");
          config.shutdownExit = n ?? 0;
        }
        break;
      }
      case "POLLFREQ":
        accepted = nonNegative(directive, a1, line, (n) => (config.pollFreq = n));
        break;
      case "POLLFREQALERT":
        accepted = nonNegative(directive, a1, line, (n) => (config.pollFreqAlert = n));
        break;
      case "MINSUPPLIES":
        accepted = nonNegative(directive, a1, line, (n) => (config.minSupplies = n));
        break;
      case "FINALDELAY":
        accepted = nonNegative(directive, a1, line, (n) => (config.finalDelay = n));
        break;
      case "POLLFAIL_LOG_THROTTLE_MAX": {
        const n = intArg(directive, a1, line);
        // the man page calls negative values "standard behaviour", i.e. the default anyway
        if (n < 0 || n === INT_MAX) {
          report(line, "warning", `Ignoring invalid POLLFAIL_LOG_THROTTLE_MAX value: ${n}`);
          accepted = false;
        } else config.pollFailLogThrottleMax = n;
        break;
      }
      case "HOSTSYNC":
        config.hostSync = intArg(directive, a1, line);
        break;
      case "DEADTIME":
        config.deadTime = intArg(directive, a1, line);
        break;
      case "RBWARNTIME":
        config.rbWarnTime = intArg(directive, a1, line);
        break;
      case "NOCOMMWARNTIME":
        config.noCommWarnTime = intArg(directive, a1, line);
        break;
      case "OFFDURATION":
        config.offDuration = intArg(directive, a1, line);
        break;
      case "OVERDURATION":
        config.overDuration = intArg(directive, a1, line);
        break;
      case "OBLBDURATION": {
        const n = intArg(directive, a1, line);
        config.oblbDuration = n < 1 ? 0 : n;
        break;
      }
      case "CERTVERIFY":
        config.certVerify = oneIsOn(directive, a1, line);
        break;
      case "FORCESSL":
        config.forceSsl = oneIsOn(directive, a1, line);
        break;
      case "ALARMCRITICAL":
        config.alarmCritical = oneIsOn(directive, a1, line);
        break;
      case "DEBUG_MIN": {
        const n = nutStrToInt(a1);
        if (n === undefined || n < 0) {
          report(line, "error", "WARNING : Invalid DEBUG_MIN value found in upsmon.conf global settings");
          accepted = false;
        } else config.debugMin = n;
        break;
      }
      case "NOTIFYMSG":
        accepted = setNotifyMessage(config, a1, words[2]!, line, report);
        break;
      case "NOTIFYFLAG":
        accepted = setNotifyFlags(config, a1, words[2]!, line, report);
        break;
      case "CERTIDENT":
        config.certIdent = { name: a1, password: words[2]! };
        break;
      case "CERTHOST":
        config.certHosts.push({
          host: a1,
          certName: words[2]!,
          certVerify: intArg("CERTHOST certverify", words[3]!, line) !== 0,
          forceSsl: intArg("CERTHOST forcessl", words[4]!, line) !== 0,
          line,
        });
        break;
      case "MONITOR":
        accepted = addMonitor(config, words, line, report);
        break;
    }
    if (accepted) config.lines[directive] = line;
  }

  checkWholeFile(config, file, report);
  // file-level findings (line 0) after the per-line ones
  diagnostics.sort((a, b) => (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER));
  return { config, diagnostics };
}

type Report = (line: number, severity: ConfigDiagnostic["severity"], message: string) => void;

/** addups(): power value, duplicate check, role and the name split. */
function addMonitor(config: UpsmonConf, words: string[], line: number, report: Report): boolean {
  const [, system, pvs, user, password, type] = words as [string, string, string, string, string, string];
  const parsed = parseCLong(pvs).value;
  if (parsed < 0n || parsed > UINT_MAX) {
    report(line, "error", `UPS [${system}]: ignoring invalid power value [${pvs}]`);
    return false;
  }
  if (nutStrToInt(pvs) === undefined) {
    report(line, "warning", `UPS [${system}]: power value [${pvs}] is not an integer: upsmon reads it as ${parsed}`);
  }
  const pv = Number(parsed);
  if (config.monitors.some((m) => m.system === system)) {
    report(line, "error", `Warning: ignoring duplicate UPS [${system}]`);
    return false;
  }
  const lowerType = type.toLowerCase();
  const role = lowerType === "primary" || lowerType === "master" ? "primary" : "secondary";
  if (role === "secondary" && lowerType !== "secondary" && lowerType !== "slave") {
    report(line, "warning", `UPS [${system}]: type [${type}] is neither primary nor secondary: upsmon treats it as secondary`);
  }
  // upsmon sends USERNAME/PASSWORD unquoted, so a blank inside either breaks the login
  for (const [what, value] of [["username", user], ["password", password]] as const) {
    if (/\s/.test(value) || value === "") {
      report(line, "warning", `UPS [${system}]: ${what} [${value}] is empty or contains blanks: upsmon sends it unquoted and the login fails`);
    }
  }
  const monitor: UpsmonMonitor = {
    system,
    upsname: "",
    host: "",
    port: NUT_DEFAULT_PORT,
    powerValue: pv,
    user,
    password,
    role,
    line,
  };
  const split = parseUpsSystemName(system);
  if (split.ok) {
    monitor.upsname = split.upsname;
    monitor.host = split.host;
    monitor.port = split.port;
    if (split.warning !== undefined) {
      report(line, "warning", `UPS [${system}]: ${split.warning} (NUT 2.8.5 and later refuse this name)`);
    }
  } else {
    monitor.upsname = split.upsname;
    monitor.nameError = split.error;
    report(line, "error", `Error: unable to split UPS name [${system}] (${split.error})`);
  }
  config.monitors.push(monitor);
  config.totalPowerValue += pv;
  return true;
}

/** set_notifymsg(), plus a look at the printf conversions upsmon will feed the message to. */
function setNotifyMessage(config: UpsmonConf, typeName: string, message: string, line: number, report: Report): boolean {
  const type = findNotifyType(typeName);
  if (type === undefined) {
    report(line, "error", `'${typeName}' is not a valid notify event name`);
    return false;
  }
  config.notify[type].message = message;
  config.notify[type].messageLine = line;
  // 2.8.0 hands the message to printf with the UPS name as the only argument
  const conversions = message.match(/%(%|[^%]?)/g) ?? [];
  const bad = conversions.filter((c) => c !== "%%" && c !== "%s");
  if (bad.length > 0) {
    const listed = bad.map((c) => `[${c}]`).join(" ");
    report(line, "warning", `NOTIFYMSG ${type}: printf conversion ${listed} that upsmon cannot fill: write %% for a literal %`);
  }
  const maxS = type === "ALARM" || type === "OTHER" ? 2 : 1;
  if (conversions.filter((c) => c === "%s").length > maxS) {
    report(line, "warning", `NOTIFYMSG ${type}: more than ${maxS} %s: upsmon has only ${maxS === 1 ? "the UPS name" : "the UPS name and one detail"} to put there`);
  }
  return true;
}

/** set_notifyflag(): replaces the type's flags with the valid ones of `flags`. */
function setNotifyFlags(config: UpsmonConf, typeName: string, flagText: string, line: number, report: Report): boolean {
  const type = findNotifyType(typeName);
  if (type === undefined) {
    report(line, "error", `Warning: invalid notify type [${typeName}]`);
    return false;
  }
  const flags: NotifyFlag[] = [];
  for (const piece of flagText.split("+")) {
    const flag = NOTIFY_FLAGS.find((f) => f === piece);
    if (flag === undefined) report(line, "error", `Invalid notify flag: [${piece}]`);
    else if (!flags.includes(flag)) flags.push(flag);
  }
  if (flags.includes("IGNORE") && flags.length > 1) {
    report(line, "warning", `NOTIFYFLAG ${type}: IGNORE wins over ${flags.filter((f) => f !== "IGNORE").join("+")}: upsmon does nothing for this event`);
  }
  config.notify[type].flags = flags;
  config.notify[type].flagsLine = line;
  return true;
}

/** What upsmon checks once the whole file is read (main(), do_upsconf_args()). */
function checkWholeFile(config: UpsmonConf, file: string, report: Report): void {
  if (config.monitors.length === 0) {
    report(0, "warning", "no usable MONITOR line: upsmon has no UPS to watch");
  }
  if (config.shutdownCmd === undefined) report(0, "warning", "Warning: no shutdown command defined!");
  if (config.powerDownFlag === undefined) {
    // logged by 2.8.5 at every start: without it a primary cannot have the UPS power-cycled
    report(0, "warning", `No POWERDOWNFLAG value was configured in ${file}!`);
  }
  if (config.notifyCmd === undefined) {
    // IGNORE wins over EXEC, so only types that would really execute count
    const exec = NOTIFY_TYPES.filter((t) => config.notify[t].flags.includes("EXEC") && !config.notify[t].flags.includes("IGNORE"));
    if (exec.length > 0) {
      const first = Math.min(...exec.map((t) => config.notify[t].flagsLine ?? 0));
      report(first, "warning", `NOTIFYFLAG EXEC for ${exec.join(", ")} but no NOTIFYCMD: upsmon has nothing to run`);
    }
  }
  if (config.certVerify && config.certPath === undefined) {
    report(
      config.lines.CERTVERIFY ?? 0,
      "error",
      "Configuration error: CERTVERIFY is set, but CERTPATH isn't: upsmon refuses every connection",
    );
  }
  if (config.totalPowerValue < config.minSupplies) {
    report(
      0,
      "fatal",
      `Fatal error: insufficient power configured! Sum of power values (${config.totalPowerValue}) is less than MINSUPPLIES (${config.minSupplies})`,
    );
  }
}
