/**
 * Signalling a running daemon through its PID file (common.c sendsignalfn(), sendsignalpid(),
 * parsepid()): `upsd -c`, `upsmon -c` and the already-running probes, with NUT's messages.
 */
import { readFileSync } from "node:fs";
import type { NutLog } from "../core/system/nut-log.ts";
import type { ProgramIo } from "./program-io.ts";

/** common.c parsepid(): strtol() of the text (0 when it has no digits). */
export function parsePid(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** sendsignalpid(): 0 on success; errors are printed as NUT does (perror "kill"). */
export function sendSignalPid(pid: number, signal: NodeJS.Signals | 0, log: NutLog, io: ProgramIo): number {
  if (pid < 2 || pid > 4194304) {
    log.notice(`Ignoring invalid pid number ${pid}`);
    return -1;
  }
  try {
    process.kill(pid, 0);
    if (signal !== 0) process.kill(pid, signal);
    return 0;
  } catch (err) {
    io.stderr(`kill: ${(err as { code?: string }).code === "EPERM" ? "Operation not permitted" : "No such process"}\n`);
    return -1;
  }
}

/** sendsignalfn(): -3 no PID file, -2 unreadable, -1 failed, 0 sent. */
export function sendSignalFile(file: string, signal: NodeJS.Signals | 0, log: NutLog, io: ProgramIo): number {
  let text: string;
  try {
    text = readFileSync(file, "latin1");
  } catch (err) {
    log.notice(`fopen ${file}: ${(err as { code?: string }).code === "EACCES" ? "Permission denied" : "No such file or directory"}`);
    return -3;
  }
  if (text === "") {
    log.notice(`Failed to read pid from ${file}`);
    return -2;
  }
  const pid = parsePid(text);
  return pid >= 0 ? sendSignalPid(pid, signal, log, io) : -1;
}


/** The daemon named by `-P pid` when given, else by its PID file (sendsignal / sendsignalfn). */
export function signalDaemon(pidFile: string, pid: number | undefined, signal: NodeJS.Signals | 0, log: NutLog, io: ProgramIo): number {
  return pid === undefined ? sendSignalFile(pidFile, signal, log, io) : sendSignalPid(pid, signal, log, io);
}

/** What upsd and upsmon print (on stdout, as NUT's printf) when a running copy answers signal 0. */
export function alreadyRunningText(progname: string): string {
  return `Fatal error: A previous ${progname} instance is already running!\nEither stop the previous instance first, or use the 'reload' command.\n`;
}
