/**
 * How a driver takes its settings (NUT's drivers/main.c main_arg(), storeval(),
 * do_global_args(), do_upsconf_args()): the ups.conf globals and its own section, and `-x`
 * arguments, applied in command-line order so that a later definition wins. Settings are
 * published on the fly as driver.parameter.* / driver.flag.*, as NUT does.
 */
import { cAtoi, nutStrToInt } from "../../core/config/c-numbers.ts";
import type { UpsConf } from "../../core/config/ups-conf.ts";
import type { NutLog } from "../../core/system/nut-log.ts";
import type { DriverState } from "./driver-state.ts";
import { type DriverVariable, DriverFatalError } from "./driver.ts";

/** Thrown for an unknown -x / ups.conf name: NUT prints its text on stdout and exits 0 (sic). */
export class UnknownDriverVariableError extends Error {
  readonly stdout: string;
  constructor(name: string, isFlag: boolean) {
    const text =
      `\nFatal error: '${name}' is not a valid ${isFlag ? "flag" : "variable name"} for this driver.\n\n` +
      "Look in the man page or call this driver with -h for a list of\nvalid variable names and flags.\n";
    super(text.trim());
    this.stdout = text;
  }
}

interface StoredVariable extends DriverVariable {
  value?: string;
  found: boolean;
}

/** The settings main.c keeps, as they stand after all arguments. */
export class DriverConfig {
  upsName: string | undefined;
  upsNameFound = false;
  devicePath: string | undefined;
  pollInterval = 2;
  /** 1 yes, 0 no, -1 auto (main.c do_synchronous). */
  synchronous = -1;
  user: string | undefined;
  userFromCommandLine = false;
  group: string | undefined;
  groupFromCommandLine = false;
  chroot: string | undefined;
  lockPort = true;
  debugMinGlobal = -1;
  debugMinDriver = -1;
  readonly #vars: StoredVariable[];
  readonly #state: DriverState;
  readonly #log: NutLog;
  readonly #progName: string;

  constructor(progName: string, variables: readonly DriverVariable[], state: DriverState, log: NutLog) {
    this.#progName = progName;
    this.#vars = variables.map((v) => ({ ...v, found: false }));
    this.#state = state;
    this.#log = log;
  }

  /** getval(): case-insensitive. */
  getVal(name: string): string | undefined {
    return this.#vars.find((v) => v.name.toLowerCase() === name.toLowerCase())?.value;
  }

  /** testvar(). */
  testVar(name: string): boolean {
    return this.#vars.find((v) => v.name.toLowerCase() === name.toLowerCase())?.found ?? false;
  }

  /** main_arg(): names handled by the framework itself (case-sensitive); false if not one of them. */
  #mainArg(name: string, value: string | undefined): boolean {
    if (name === "nolock") {
      this.lockPort = false;
      this.#state.setInfo("driver.flag.nolock", "enabled");
      return true;
    }
    if (name === "ignorelb") {
      this.#state.setInfo("driver.flag.ignorelb", "enabled");
      return true;
    }
    if (value === undefined) return false;
    switch (name) {
      case "port":
        this.devicePath = value;
        this.#state.setInfo("driver.parameter.port", value);
        return true;
      case "user":
        if (!this.userFromCommandLine) this.user = value;
        return true;
      case "group":
        if (!this.groupFromCommandLine) this.group = value;
        return true;
      case "sddelay":
        this.#log.info("Obsolete value sddelay found in ups.conf");
        return true;
      case "synchronous":
        this.synchronous = value === "yes" ? 1 : value === "auto" ? -1 : 0;
        return true;
      // for upsdrvctl and upsd only; 2.8.3+ drivers ignore the per-UPS upsdrvctl settings too
      // (2.8.0 drivers exited on them, a trap NUT itself removed)
      case "sdorder":
      case "desc":
      case "maxstartdelay":
      case "maxretry":
      case "retrydelay":
        return true;
      case "debug_min": {
        const level = nutStrToInt(value);
        if (level !== undefined && level >= 0) this.debugMinDriver = level;
        else this.#log.info("WARNING : Invalid debug_min value found in ups.conf for the driver");
        return true;
      }
      case "pollinterval": {
        // `-x pollinterval=` is 2.8.1+; the section form was always accepted
        const interval = cAtoi(value);
        if (interval <= 0) throw new DriverFatalError(`Error: UPS [${this.upsName ?? ""}]: invalid pollinterval: ${interval}`);
        this.pollInterval = interval;
        return true;
      }
    }
    return false;
  }

  /** storeval(): override.* / default.* or a name of the driver's table. */
  #storeVal(name: string, value: string | undefined): void {
    const lower = name.toLowerCase();
    if (lower.startsWith("override.")) {
      const target = name.slice("override.".length);
      // a bare `override.x` makes C format a NULL string
      this.#state.setInfo(target, value ?? "(null)");
      this.#state.setImmutable(target);
      return;
    }
    if (lower.startsWith("default.")) {
      this.#state.setInfo(name.slice("default.".length), value ?? "(null)");
      return;
    }
    const v = this.#vars.find((x) => x.name.toLowerCase() === lower);
    if (!v) throw new UnknownDriverVariableError(name, value === undefined);
    if (value !== undefined) v.value = value;
    else delete v.value;
    if (!v.sensitive) {
      if (value !== undefined) this.#state.setInfo(`driver.parameter.${name}`, value);
      else this.#state.setInfo(`driver.flag.${name}`, "enabled");
    }
    v.found = true;
  }

  /** A `-x name[=value]` argument (splitxarg()). */
  applyCommandLine(arg: string): void {
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (this.#mainArg(name, value)) return;
    this.#storeVal(name, value);
  }

  /** do_global_args(): only a few globals concern a driver; the rest are ignored. */
  #globalArg(name: string, value: string | undefined): void {
    if (value === undefined) return;
    switch (name) {
      case "pollinterval": {
        const interval = cAtoi(value);
        if (interval <= 0) throw new DriverFatalError(`Error: invalid pollinterval: ${interval}`);
        this.pollInterval = interval;
        return;
      }
      case "chroot":
        this.chroot = value;
        return;
      case "user":
        if (!this.userFromCommandLine) this.user = value;
        return;
      case "group":
        if (!this.groupFromCommandLine) this.group = value;
        return;
      case "synchronous":
        this.synchronous = value === "yes" ? 1 : value === "auto" ? -1 : 0;
        return;
      case "debug_min": {
        const level = nutStrToInt(value);
        if (level !== undefined && level >= 0) this.debugMinGlobal = level;
        else this.#log.info("WARNING : Invalid debug_min value found in ups.conf global settings");
        return;
      }
    }
  }

  /**
   * `-a name`: the globals, then every line of the section called exactly `name`
   * (do_upsconf_args()). Throws if no such section exists.
   */
  applyUpsConf(conf: UpsConf, name: string): void {
    this.upsName = name;
    for (const g of conf.globals) this.#globalArg(g.key, g.value);
    for (const section of conf.sections) {
      if (section.name !== name) continue;
      this.upsNameFound = true;
      for (const e of section.entries) {
        if (this.#mainArg(e.key, e.value)) continue;
        if (e.value === undefined) {
          this.#state.setInfo(`driver.flag.${e.key}`, "enabled");
          this.#storeVal(e.key, undefined);
          continue;
        }
        if (e.key === "driver") {
          if (e.value !== this.#progName) {
            throw new DriverFatalError(`Error: UPS [${name}] is for driver ${e.value}, but I'm ${this.#progName}!\n`);
          }
          continue;
        }
        this.#storeVal(e.key, e.value);
      }
    }
    if (!this.upsNameFound) throw new DriverFatalError(`Error: Section ${name} not found in ups.conf`);
  }

  /** The debug level after debug_min (a section's value wins over the global one). */
  effectiveDebugLevel(commandLine: number): number {
    const fromConf = this.debugMinDriver >= 0 ? this.debugMinDriver : this.debugMinGlobal;
    return Math.max(commandLine, fromConf);
  }
}
