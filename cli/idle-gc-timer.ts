/**
 * Bun adds an idle-GC timer of its own that wakes a process every second for as long as its
 * heap keeps changing, which a daemon's poll loop always does: measured here with `perf stat`
 * on an idle dummy-ups at pollinterval 2, 104 ms of CPU per 30 s with it, 62 ms without it and
 * 67 ms with it every 10 s (Debian's C driver: 7 ms). Turned off completely, memory freed after a
 * busy spell is never given back (upsd kept ~70 MB after serving 1,000 clients instead of ~55), so
 * daemons run it every 10 s. The runtime reads BUN_GC_TIMER_INTERVAL once, before any of our code
 * runs, so a daemon re-executes itself once with it set: same PID, same argv, same environment
 * plus that variable (its children inherit it and do not re-execute).
 */
export const IDLE_GC_TIMER_ENV = "BUN_GC_TIMER_INTERVAL";
/** Milliseconds between two runs of Bun's idle-GC timer in a daemon. */
export const DAEMON_IDLE_GC_INTERVAL_MS = 10_000;

/** Re-executes the compiled binary with a slower idle-GC timer, unless a setting is there already. */
export function reexecWithSlowIdleGcTimer(): void {
  if (process.env[IDLE_GC_TIMER_ENV] !== undefined || process.env.BUN_GC_TIMER_DISABLE !== undefined) return;
  // only the compiled binary: under `bun cli/main.ts` argv[1] is a script to keep
  if (!process.argv[1]?.startsWith("/$bunfs/")) return;
  if (typeof process.execve !== "function") return;
  // Bun warns that execve is experimental: not a line to add to every daemon's stderr
  process.emitWarning = () => undefined;
  try {
    process.execve(process.execPath.startsWith("/") ? process.execPath : "/proc/self/exe", [process.argv0, ...process.argv.slice(2)], {
      ...process.env,
      [IDLE_GC_TIMER_ENV]: String(DAEMON_IDLE_GC_INTERVAL_MS),
    });
  } catch {
    // execve failed (e.g. the binary was replaced on disk): run on with the timer
  }
}

/**
 * Programs that run for long: the drivers and servers, but not upssched, which upsmon runs once
 * per event (its timer daemon is started with the variable set already).
 */
export function isLongRunning(program: { name: string; kind: string }): boolean {
  return (program.kind === "server" || program.kind === "driver") && program.name !== "upssched";
}
