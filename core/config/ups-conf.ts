/**
 * ups.conf, as upsd, the drivers and upsdrvctl read it in NUT 2.8.0: the line grammar of
 * common/upsconf.c conf_args(), then what each program does with the keys (server/conf.c,
 * drivers/main.c, drivers/upsdrvctl.c). Keys are matched case-sensitively, as those programs
 * use strcmp(). Driver-specific variables are kept as entries and not validated here.
 *
 * Pure: no I/O.
 */
import { cAtoi, nutStrToInt, parseCLong } from "./c-numbers.ts";
import { readConfLines } from "./conf-lines.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";

/** One `key = value` line (value present) or one `flag` line (value absent). */
export interface UpsConfEntry {
  key: string;
  value?: string;
  /** Physical line of the entry. */
  line: number;
}

/** How the drivers write to upsd's socket (`synchronous`); anything but yes/auto reads as no. */
export type UpsConfSynchronous = "yes" | "no" | "auto";

/**
 * One UPS: every entry of every `[name]` header spelled exactly like this one, in file order
 * (NUT merges a repeated header into the same UPS), plus the values NUT's programs take from
 * them (the last line wins, as in NUT).
 */
export interface UpsSection {
  name: string;
  /** Physical line of the first `[name]` header. */
  line: number;
  entries: UpsConfEntry[];
  driver?: string;
  port?: string;
  desc?: string;
  /** upsdrvctl shutdown order: 0 first, then 1, 2…; -1 never. */
  sdorder: number;
  /** upsdrvctl start timeout for this UPS; absent = the global one. */
  maxstartdelay?: number;
  /** upsdrvctl 2.8.3+: start attempts for this UPS. */
  maxretry?: number;
  /** upsdrvctl 2.8.3+: delay between start attempts for this UPS. */
  retrydelay?: number;
  pollinterval?: number;
  synchronous?: UpsConfSynchronous;
  user?: string;
  group?: string;
  debugMin?: number;
  /** `nolock` flag: the driver skips port locking. */
  nolock: boolean;
  /** `ignorelb` flag: the driver derives LB from battery.charge/runtime.low. */
  ignorelb: boolean;
}

/** The global settings (before the first section) with NUT 2.8.0's defaults applied. */
export interface UpsConfGlobalSettings {
  chroot?: string;
  driverpath?: string;
  /** Read by upsd 2.8.1+ and drivers 2.8.3+ only. */
  statepath?: string;
  maxstartdelay: number;
  maxretry: number;
  retrydelay: number;
  nowait: boolean;
  pollinterval: number;
  synchronous: UpsConfSynchronous;
  user?: string;
  group?: string;
  debugMin?: number;
}

/** A parsed ups.conf. */
export interface UpsConf {
  /** Entries before the first section header, in file order. */
  globals: UpsConfEntry[];
  /** Sections in order of their first header. */
  sections: UpsSection[];
  globalSettings: UpsConfGlobalSettings;
}

/** Defaults of the global settings in NUT 2.8.0 (drivers/upsdrvctl.c, drivers/main.c). */
export const UPS_CONF_GLOBAL_DEFAULTS: Readonly<UpsConfGlobalSettings> = Object.freeze({
  maxstartdelay: 45,
  maxretry: 1,
  retrydelay: 5,
  nowait: false,
  pollinterval: 2,
  synchronous: "auto",
});

type Emit = (line: number, severity: ConfigDiagnostic["severity"], message: string) => void;

/** What NUT 2.8.0 does with a value key written as a bare flag (NULL value in C). */
const BARE_GLOBAL: Readonly<Record<string, { severity: ConfigDiagnostic["severity"]; effect: string }>> = {
  chroot: { severity: "fatal", effect: "the drivers crash on it" },
  driverpath: { severity: "fatal", effect: "upsdrvctl crashes on it" },
  maxstartdelay: { severity: "fatal", effect: "upsdrvctl crashes on it" },
  maxretry: { severity: "fatal", effect: "upsdrvctl crashes on it" },
  retrydelay: { severity: "fatal", effect: "upsdrvctl crashes on it" },
  pollinterval: { severity: "fatal", effect: "the drivers crash on it" },
  synchronous: { severity: "fatal", effect: "the drivers crash on it" },
  user: { severity: "fatal", effect: "the drivers crash on it" },
  group: { severity: "fatal", effect: "the drivers crash on it" },
  statepath: { severity: "error", effect: "NUT ignores it" },
  LIBUSB_DEBUG: { severity: "error", effect: "NUT ignores it" },
};

/** Globals some NUT 2.8.x program reads (drivers/main.c do_global_args, upsdrvctl, upsd). */
const KNOWN_GLOBALS = new Set([...Object.keys(BARE_GLOBAL), "nowait", "debug_min"]);

/**
 * Section keys that need a value, and what 2.8.0 does with them bare: upsd and upsdrvctl
 * xstrdup()/atoi() the NULL value and crash; drivers/main.c main_arg() passes any bare name
 * but nolock/ignorelb to the driver table, which exits on names it does not know.
 */
const BARE_SECTION: Readonly<Record<string, string>> = {
  driver: "upsd and upsdrvctl crash on it",
  port: "upsd and upsdrvctl crash on it",
  desc: "upsd crashes on it",
  sdorder: "upsdrvctl crashes on it",
  maxstartdelay: "upsdrvctl crashes on it",
};
const MAIN_VALUE_KEYS = new Set(["user", "group", "sddelay", "synchronous", "debug_min", "pollinterval", "maxretry", "retrydelay"]);

/** The UPS named exactly `name`, as a driver's `-a name` and upsdrvctl look it up (strcmp). */
export function findUpsSection(config: UpsConf, name: string): UpsSection | undefined {
  return config.sections.find((s) => s.name === name);
}

/**
 * The UPSes upsd 2.8.0 serves, in its LIST UPS order (file order on first load): complete
 * sections only, and of names equal but for case only the last one (server/conf.c
 * upsconf_add() walks its prepended list and ups_create() refuses a name already in use).
 */
export function upsdSections(config: UpsConf): UpsSection[] {
  return servedByUpsd(config.sections);
}

function isComplete(section: UpsSection): boolean {
  return section.entries.length > 0 && section.driver !== undefined && section.port !== undefined;
}

function servedByUpsd(sections: readonly UpsSection[]): UpsSection[] {
  const complete = sections.filter(isComplete);
  const taken = new Set<string>();
  const served: UpsSection[] = [];
  for (let i = complete.length - 1; i >= 0; i--) {
    const section = complete[i]!;
    const folded = section.name.toLowerCase();
    if (taken.has(folded)) continue;
    taken.add(folded);
    served.unshift(section);
  }
  return served;
}

/** Parses ups.conf text or bytes; `file` names it in the diagnostics. */
export function parseUpsConf(input: Uint8Array | string, file: string): { config: UpsConf; diagnostics: ConfigDiagnostic[] } {
  const read = readConfLines(input, file);
  const diagnostics: ConfigDiagnostic[] = [...read.diagnostics];
  const emit: Emit = (line, severity, message) => diagnostics.push({ file, line, severity, message });

  const globals: UpsConfEntry[] = [];
  const sections: UpsSection[] = [];
  let current: UpsSection | undefined;

  for (const { words, line } of read.lines) {
    const first = words[0]!;
    // conf_args(): a first word in brackets is a header, whatever follows it on the line
    if (first.startsWith("[") && first.endsWith("]")) {
      const name = first.slice(1, -1);
      const existing = sections.find((s) => s.name === name);
      if (existing) {
        emit(line, "warning", `section [${name}] was already started on line ${existing.line}: NUT adds these entries to it`);
        current = existing;
      } else {
        current = { name, line, entries: [], sdorder: 0, nolock: false, ignorelb: false };
        sections.push(current);
      }
      if (words.length > 1) emit(line, "error", `ignored after the section header: ${words.slice(1).join(" ")}`);
      continue;
    }
    let entry: UpsConfEntry | undefined;
    if (words.length === 1) {
      entry = { key: first, line };
    } else if (words.length >= 3 && words[1] === "=") {
      entry = { key: first, value: words[2]!, line };
      if (words.length > 3) {
        emit(line, "error", `only "${words[2]}" is the value of ${first}: NUT ignores "${words.slice(3).join(" ")}" (quote a value that has spaces)`);
      }
    } else if (first.startsWith("[") && words.some((w) => w.endsWith("]"))) {
      emit(line, "error", `ignored: "${words.join(" ")}" is not a section header (a section name cannot contain spaces)`);
    } else {
      emit(line, "error", `ignored: ${words.join(" ")} (NUT reads only "[name]", "flag" and "key = value" lines)`);
    }
    if (entry === undefined) continue;
    if (current) current.entries.push(entry);
    else globals.push(entry);
  }

  const globalSettings = readGlobals(globals, emit);
  for (const section of sections) readSection(section, emit);
  checkSections(sections, emit);

  diagnostics.sort((a, b) => a.line - b.line);
  return { config: { globals, sections, globalSettings }, diagnostics };
}

/** Warns when a key gets a second, different value: NUT silently keeps the last one. */
function checkRepeats(entries: readonly UpsConfEntry[], where: string, emit: Emit): void {
  const seen = new Map<string, UpsConfEntry>();
  for (const entry of entries) {
    const previous = seen.get(entry.key);
    if (previous && previous.value !== undefined && entry.value !== undefined && previous.value !== entry.value) {
      emit(entry.line, "warning", `${entry.key} is set again${where} (first on line ${previous.line}): NUT uses the last value "${entry.value}"`);
    }
    seen.set(entry.key, entry);
  }
}

/**
 * An upsdrvctl/driver number read with atoi(): reports what NUT makes of a value that is not
 * a plain integer, and returns NUT's number.
 */
function readAtoi(entry: UpsConfEntry & { value: string }, emit: Emit): number {
  const parsed = parseCLong(entry.value);
  const value = cAtoi(entry.value);
  if (!parsed.digits) {
    emit(entry.line, "error", `invalid ${entry.key} value "${entry.value}": NUT reads it as ${value}`);
  } else if (!parsed.exact || BigInt(value) !== parsed.value) {
    emit(entry.line, "warning", `${entry.key} value "${entry.value}" is not a plain integer: NUT reads it as ${value}`);
  }
  return value;
}

function readSynchronous(entry: UpsConfEntry & { value: string }, emit: Emit): UpsConfSynchronous {
  // drivers/main.c: strcmp with "yes" and "auto", everything else means "no"
  if (entry.value === "yes" || entry.value === "auto" || entry.value === "no") return entry.value;
  emit(entry.line, "warning", `synchronous = "${entry.value}" reads as "no": NUT knows only "yes", "no" and "auto"`);
  return "no";
}

function hasValue(entry: UpsConfEntry): entry is UpsConfEntry & { value: string } {
  return entry.value !== undefined;
}

function readGlobals(entries: readonly UpsConfEntry[], emit: Emit): UpsConfGlobalSettings {
  const settings: UpsConfGlobalSettings = { ...UPS_CONF_GLOBAL_DEFAULTS };
  checkRepeats(entries, " globally", emit);
  for (const entry of entries) {
    const { line } = entry;
    // upsd 2.8.1+ and drivers 2.8.3+ compare STATEPATH with strcasecmp(); 2.8.0 ignores it
    const key = entry.key.toLowerCase() === "statepath" ? "statepath" : entry.key;
    if (!KNOWN_GLOBALS.has(key)) {
      emit(line, "warning", `unknown global directive "${key}": NUT ignores it (driver settings belong in a [ups] section)`);
      continue;
    }
    if (key === "nowait") {
      // upsdrvctl tests the name only
      if (hasValue(entry)) emit(line, "warning", `nowait is a flag: NUT sets it whatever the value ("${entry.value}")`);
      settings.nowait = true;
      continue;
    }
    if (key === "debug_min") {
      // drivers/main.c do_global_args(): str_to_int() and >= 0, else logged and ignored
      const level = hasValue(entry) ? nutStrToInt(entry.value) : undefined;
      if (level === undefined || level < 0) {
        emit(line, "error", "WARNING : Invalid debug_min value found in ups.conf global settings");
      } else {
        settings.debugMin = level;
      }
      continue;
    }
    if (!hasValue(entry)) {
      const bare = BARE_GLOBAL[key]!;
      emit(line, bare.severity, `"${key}" needs a value ("${key} = …"): ${bare.effect}`);
      continue;
    }
    switch (key) {
      case "chroot":
      case "driverpath":
      case "statepath":
      case "user":
      case "group":
        settings[key] = entry.value;
        break;
      case "maxstartdelay":
      case "retrydelay":
        settings[key] = readAtoi(entry, emit);
        break;
      case "maxretry": {
        settings.maxretry = readAtoi(entry, emit);
        // upsdrvctl.c start_driver(): `while (drv_maxretry > 0)` never runs for 0 or less
        if (settings.maxretry <= 0) emit(line, "error", `maxretry = ${settings.maxretry}: upsdrvctl never starts a driver (it needs at least 1)`);
        break;
      }
      case "pollinterval": {
        // drivers/main.c do_global_args(): fatalx() for a value <= 0
        const value = cAtoi(entry.value);
        if (value > 0) settings.pollinterval = readAtoi(entry, emit);
        else emit(line, "fatal", `Error: invalid pollinterval: ${value}`);
        break;
      }
      case "synchronous":
        settings.synchronous = readSynchronous(entry, emit);
        break;
      default:
        break; // LIBUSB_DEBUG: for the USB drivers, not typed here
    }
  }
  return settings;
}

function readSection(section: UpsSection, emit: Emit): void {
  checkRepeats(section.entries, ` in [${section.name}]`, emit);
  for (const entry of section.entries) {
    const { key, line } = entry;
    if (key === "nolock" || key === "ignorelb") {
      // drivers/main.c main_arg() tests these names before looking at the value
      if (hasValue(entry)) emit(line, "warning", `${key} is a flag: NUT sets it whatever the value ("${entry.value}")`);
      section[key] = true;
      continue;
    }
    if (!hasValue(entry)) {
      const crash = BARE_SECTION[key];
      if (crash !== undefined) {
        emit(line, "fatal", `"${key}" needs a value ("${key} = …"): ${crash}`);
      } else if (MAIN_VALUE_KEYS.has(key)) {
        emit(line, "fatal", `Fatal error: '${key}' is not a valid flag for this driver.`);
      } else if (/^(override|default)\./i.test(key)) {
        // drivers/main.c storeval(): dstate_setinfo(var, "%s", NULL) prints glibc's "(null)"
        emit(line, "error", `"${key}" needs a value: NUT sets ${key.replace(/^[^.]*\./, "")} to "(null)"`);
      }
      continue;
    }
    switch (key) {
      case "driver":
      case "port":
      case "desc":
      case "user":
      case "group":
        section[key] = entry.value;
        break;
      case "sdorder":
        section.sdorder = readAtoi(entry, emit);
        break;
      case "maxstartdelay":
      case "maxretry":
      case "retrydelay":
        section[key] = readAtoi(entry, emit);
        // 2.8.0-2.8.2 drivers/main.c main_arg() does not know these, so storeval() exits
        emit(line, "warning", `${key} in a UPS section makes NUT 2.8.0-2.8.2 drivers exit ("Fatal error: '${key}' is not a valid variable name for this driver.")`);
        break;
      case "pollinterval": {
        // drivers/main.c do_upsconf_args(): fatalx() for a value <= 0
        const value = cAtoi(entry.value);
        if (value > 0) section.pollinterval = readAtoi(entry, emit);
        else emit(line, "fatal", `Error: UPS [${section.name}]: invalid pollinterval: ${value}`);
        break;
      }
      case "synchronous":
        section.synchronous = readSynchronous(entry, emit);
        break;
      case "debug_min": {
        const level = nutStrToInt(entry.value);
        if (level === undefined || level < 0) emit(line, "error", "WARNING : Invalid debug_min value found in ups.conf for the driver");
        else section.debugMin = level;
        break;
      }
      case "sddelay":
        emit(line, "warning", "Obsolete value sddelay found in ups.conf");
        break;
      default:
        break; // for the driver: validated against its own variable table
    }
  }
}

/** upsd's checks (server/conf.c upsconf_add(), ups_create()), made on the merged sections. */
function checkSections(sections: readonly UpsSection[], emit: Emit): void {
  for (const section of sections) {
    if (section.entries.length === 0) {
      // upsd only learns of a section through its entries: an empty one is dropped silently
      emit(section.line, "error", `ignored: section [${section.name}] is empty (it needs driver and port)`);
    } else if (section.driver === undefined || section.port === undefined) {
      emit(section.line, "error", `Warning: ignoring incomplete configuration for UPS [${section.name}]`);
    }
    if (section.name === "default") {
      emit(section.line, "warning", 'the section name "default" is reserved by the ups.conf documentation (NUT 2.8.0 treats it as any other name)');
    }
  }
  // ups_create() refuses a name already in use (strcasecmp); the list is walked last-defined first
  const served = new Set(servedByUpsd(sections));
  for (const section of sections) {
    if (served.has(section) || !isComplete(section)) continue;
    emit(section.line, "error", `UPS name [${section.name}] is already in use!`);
  }
}
