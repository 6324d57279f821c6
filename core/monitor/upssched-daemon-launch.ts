/**
 * Starting upssched's timer daemon. NUT forks the upssched that needs it; Bun cannot fork, so
 * the binary re-runs itself as `upssched` (argv0 decides the program) with the daemon's settings
 * in a private environment variable, detached in its own session, stdin and stdout on /dev/null
 * and stderr too unless debugging (2.8.5 keeps stderr open then). The environment is otherwise
 * the invoking upssched's, as a forked child's would be.
 */
import { basename } from "node:path";
import type { SpawnedUpsschedDaemon } from "./upssched-client.ts";

/** Set in the daemon's environment; its value holds the settings (JSON). */
export const UPSSCHED_DAEMON_ENV = "NUT_TS_UPSSCHED_DAEMON";

/** What the daemon takes over from the upssched that starts it. */
export interface UpsschedDaemonSettings {
  pipeFn: string;
  lockFn: string;
  cmdScript: string;
  debugLevel: number;
}

/** The settings of a re-run daemon, or undefined when `env` is not a daemon's. */
export function readDaemonSettings(env: Readonly<Record<string, string | undefined>>): UpsschedDaemonSettings | undefined {
  const text = env[UPSSCHED_DAEMON_ENV];
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<UpsschedDaemonSettings>;
    if (typeof value.pipeFn !== "string" || typeof value.lockFn !== "string" || typeof value.cmdScript !== "string") return undefined;
    return { pipeFn: value.pipeFn, lockFn: value.lockFn, cmdScript: value.cmdScript, debugLevel: Number(value.debugLevel) || 0 };
  } catch {
    return undefined;
  }
}

/** The environment of the daemon: the invoker's plus the settings. */
export function daemonEnvironment(settings: UpsschedDaemonSettings, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  out[UPSSCHED_DAEMON_ENV] = JSON.stringify(settings);
  return out;
}

/** Starts the daemon in the background; the caller waits for PIPEFN to accept. */
export function spawnUpsschedDaemon(settings: UpsschedDaemonSettings, env: Readonly<Record<string, string | undefined>>): SpawnedUpsschedDaemon {
  // under `bun cli/main.ts` (tests from source) the program is a subcommand of the script
  const fromSource = basename(process.execPath).startsWith("bun") && Bun.main !== "";
  const argv = fromSource ? [process.execPath, Bun.main, "upssched"] : [process.execPath];
  const child = Bun.spawn(argv, {
    ...(fromSource ? {} : { argv0: "upssched" }),
    env: daemonEnvironment(settings, env),
    stdin: "ignore",
    stdout: "ignore",
    stderr: settings.debugLevel > 0 ? "inherit" : "ignore",
    detached: true,
  });
  child.unref();
  return { exited: child.exited };
}
