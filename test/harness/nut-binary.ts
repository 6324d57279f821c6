import { existsSync } from "node:fs";
import { join } from "node:path";

/** Path of the compiled multicall binary that `npm test` builds first. */
/** dist/nut, or NUT_TS_BINARY (a binary built with NUT_TS_OUTFILE, for parallel work). */
export const NUT_BINARY = process.env.NUT_TS_BINARY ?? join(import.meta.dir, "..", "..", "dist", "nut");

/** Result of one bounded program run. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion with a hard time limit (the process is killed past it), so a
 * hung program fails its test instead of hanging the suite.
 */
export function runCommand(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; argv0?: string; stdin?: string } = {},
): RunResult {
  if (argv[0] === NUT_BINARY && !existsSync(NUT_BINARY)) {
    throw new Error(`${NUT_BINARY} is missing: run "npm run build" (npm test builds it first)`);
  }
  const proc = Bun.spawnSync(argv, {
    cwd: options.cwd ?? process.cwd(),
    env: (options.env ?? process.env) as Record<string, string>,
    stdout: "pipe",
    stderr: "pipe",
    stdin: options.stdin !== undefined ? Buffer.from(options.stdin) : "ignore",
    timeout: options.timeoutMs ?? 20_000,
    killSignal: "SIGKILL",
    ...(options.argv0 !== undefined ? { argv0: options.argv0 } : {}),
  });
  return {
    exitCode: proc.exitCode ?? (proc.signalCode ? 128 : -1),
    stdout: proc.stdout.toString(),
    stderr: proc.stderr.toString(),
  };
}
