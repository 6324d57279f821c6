/**
 * The contract between the driver framework (run-driver.ts, NUT's drivers/main.c) and one
 * driver (NUT's upsdrv_* hooks, docs/new-drivers.txt). The framework owns the command line,
 * ups.conf, the socket, the poll loop and signals; a driver only talks to its device and
 * publishes what it reads through `ctx.state`.
 */
import type { NutPaths } from "../../core/config/nut-paths.ts";
import type { NutLog } from "../../core/system/nut-log.ts";
import type { DriverState } from "./driver-state.ts";

/** Results of SET and INSTCMD handlers (drivers/upshandler.h), sent back as TRACKING values. */
export const STAT_HANDLED = 0;
export const STAT_UNKNOWN = 1;
export const STAT_INVALID = 2;
export const STAT_FAILED = 3;
export const STAT_CONVERSION_FAILED = 4;
export type HandlerStatus = 0 | 1 | 2 | 3 | 4;

/** One `-x` / ups.conf name a driver accepts (NUT's addvar()). */
export interface DriverVariable {
  kind: "value" | "flag";
  name: string;
  description: string;
  /** Not published as driver.parameter.* (passwords, SNMP communities). */
  sensitive?: boolean;
}

/** Thrown by a driver (through ctx.fatal) to end the program with one line, as NUT's fatalx(). */
export class DriverFatalError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "DriverFatalError";
    this.exitCode = exitCode;
  }
}

/** What a running driver can use. */
export interface DriverContext {
  /** The program name (driver name in NUT's spelling), e.g. `dummy-ups`. */
  readonly progName: string;
  /** The ups.conf section or `-s` name. */
  readonly upsName: string;
  /** `port` from ups.conf or `-x port=`. */
  readonly devicePath: string;
  readonly state: DriverState;
  readonly log: NutLog;
  readonly paths: NutPaths;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Seconds between updateInfo() calls. */
  readonly pollInterval: number;
  /** The value of a driver variable (-x or ups.conf), matched case-insensitively as getval(). */
  getVal(name: string): string | undefined;
  /** True if a driver variable or flag was given (testvar()). */
  testVar(name: string): boolean;
  /** Ends the driver with `message` on stderr/syslog and exit status 1 (fatalx). */
  fatal(message: string): never;
}

/**
 * One driver instance. The hooks follow docs/new-drivers.txt: initUps opens the device and does
 * no detection (shutdown may come right after); initInfo is the last place to give up;
 * updateInfo does one pass, returns within a few seconds and never ends the program (it marks
 * data stale and retries instead); shutdown is attempted even when detection failed.
 */
export interface Driver {
  initUps(): Promise<void> | void;
  initInfo(): Promise<void> | void;
  updateInfo(): Promise<void> | void;
  shutdown(): Promise<void> | void;
  cleanup?(): Promise<void> | void;
  instCmd?(name: string, param: string | undefined): Promise<HandlerStatus> | HandlerStatus;
  setVar?(name: string, value: string): Promise<HandlerStatus> | HandlerStatus;
}

/** A driver program: its identity, its `-x` table and how to create an instance. */
export interface DriverDefinition {
  /** NUT's progname for it (also the ups.conf `driver` value). */
  name: string;
  /** NUT's DRIVER_NAME, shown in the banner. */
  description: string;
  /** NUT's DRIVER_VERSION (driver.version.internal). */
  version: string;
  experimental?: boolean;
  /** upsdrv_info.subdrv_info: "<name> <version>" lines under the banner (the USB layer of the USB drivers). */
  subdriverInfo?: readonly { name: string; version: string }[];
  /** The `-x` variables, in makevartable() order. */
  variables: readonly DriverVariable[];
  /** Extra text of `-h` after the variable table (upsdrv_help()). */
  help?: string;
  create(ctx: DriverContext): Driver;
}
