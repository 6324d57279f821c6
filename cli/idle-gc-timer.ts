/**
 * Bun adds an idle-GC timer of its own that wakes a process every second for as long as its
 * heap keeps changing, which a daemon's poll loop always does: measured here with `perf stat`
 * on an idle dummy-ups at pollinterval 2, 104 ms of CPU per 30 s with it and 62 ms without
 * (Debian's C driver: 7 ms). The runtime reads BUN_GC_TIMER_DISABLE once, before any of our
 * code runs, so a daemon re-executes itself once with it set: same PID, same argv, same
 * environment plus that variable (its children inherit it and do not re-execute). JavaScriptCore's
 * own allocation-paced collections still run.
 */
export const IDLE_GC_TIMER_ENV = "BUN_GC_TIMER_DISABLE";

/** Re-executes the compiled binary without Bun's idle-GC timer, unless that is already so. */
export function reexecWithoutIdleGcTimer(): void {
  if (process.env[IDLE_GC_TIMER_ENV] !== undefined) return;
  // only the compiled binary: under `bun cli/main.ts` argv[1] is a script to keep
  if (!process.argv[1]?.startsWith("/$bunfs/")) return;
  if (typeof process.execve !== "function") return;
  // Bun warns that execve is experimental: not a line to add to every daemon's stderr
  process.emitWarning = () => undefined;
  try {
    process.execve(process.execPath.startsWith("/") ? process.execPath : "/proc/self/exe", [process.argv0, ...process.argv.slice(2)], { ...process.env, [IDLE_GC_TIMER_ENV]: "1" });
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
