import { readFileSync, readdirSync } from "node:fs";

/**
 * PIDs of the processes whose environment holds `name=value` (from /proc/<pid>/environ), this
 * process excluded. Tests find the background processes a program left (upssched's timer
 * daemon, Debian's or ours, carries the NUT_CONFPATH of its test's temp dir) to stop them by PID.
 */
export function processesWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue;
    }
    if (environ.split("\0").includes(wanted)) pids.push(pid);
  }
  return pids;
}

/** True while `pid` exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return !/^\d+ \(.*\) Z /s.test(stat);
  } catch {
    return false;
  }
}

/** SIGKILLs every process whose environment holds `name=value`; returns the PIDs it killed. */
export function killProcessesWithEnv(name: string, value: string): number[] {
  const pids = processesWithEnv(name, value);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
