/**
 * Running CMDSCRIPT as NUT 2.8.0-2.8.5 do (clients/upssched.c exec_cmd()): system() of
 * "<CMDSCRIPT> <arg>" — the argument is not quoted, so the shell splits and expands it
 * (`EXECUTE "a b"` gives the script two arguments) — waiting for it to end, and logging a
 * non-zero status. Standard streams are inherited (the /dev/null of the timer daemon, or those
 * of the upssched that runs an EXECUTE).
 */
import { constants } from "node:os";
import type { NutLog } from "../system/nut-log.ts";

/** The shell command line system() gets. */
export function cmdScriptCommandLine(cmdScript: string, arg: string): string {
  return `${cmdScript} ${arg}`;
}

function signalNumber(signal: string | number): number {
  if (typeof signal === "number") return signal;
  return (constants.signals as Record<string, number | undefined>)[signal] ?? 0;
}

/** Runs `/bin/sh -c "<cmdScript> <arg>"` with `env` and waits for it; returns its wait status summary. */
export async function runCmdScript(
  cmdScript: string,
  arg: string,
  env: Readonly<Record<string, string>>,
  log: NutLog,
): Promise<{ exitCode: number | null; signal: number | null }> {
  const line = cmdScriptCommandLine(cmdScript, arg);
  log.debug(4, `exec_cmd: calling: ${line}`);
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn(["/bin/sh", "-c", line], { argv0: "sh", env: { ...env }, stdin: "inherit", stdout: "inherit", stderr: "inherit" });
  } catch {
    log.error(`Execute command failure: ${line}`);
    return { exitCode: null, signal: null };
  }
  const exitCode = await proc.exited;
  const signal = proc.signalCode === null || proc.signalCode === undefined ? null : signalNumber(proc.signalCode);
  if (signal !== null) {
    log.warning(`exec_cmd(${line}) terminated with signal ${signal}`);
  } else if (exitCode !== 0) {
    log.info(`exec_cmd(${line}) returned ${exitCode}`);
  }
  log.info(`Execute command "${line}" OK`);
  return { exitCode: signal !== null ? null : exitCode, signal };
}
