/**
 * Runs a command on a simulated USB HID UPS: test/sim/hidups_sim.py builds a umockdev testbed
 * with the device(s) and answers every usbdevfs ioctl of the command's libusb (a static
 * umockdev recording cannot answer HID control transfers; the header of hidups_sim.py says
 * how it works). The command sees the device only through libusb.
 * The simulator forwards SIGTERM to the command; both are stopped by PID.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

/** The system python: python3-gi (GObject introspection for umockdev) lives there, not in pyenv's. */
export const SYSTEM_PYTHON = "/usr/bin/python3";
export const HIDUPS_SIM = join(import.meta.dir, "..", "sim", "hidups_sim.py");

/** A profile name of hidups_sim.py: apc, eaton, cyberpower, tripplite or one of test/sim/hid_profiles/. */
export type UsbSimProfile = string;

export interface UsbSimOptions {
  /** One device per profile, on bus 001 as devices 002, 003 … (hub ports 1, 2 …). Default ["apc"]. */
  profiles?: UsbSimProfile[];
  /** JSON model overrides, re-read when its mtime changes (`{"_disconnected": true}` = unplugged). */
  stateFile?: string;
  /** JSONL log of every transfer the command made. */
  logFile?: string;
  env?: Record<string, string | undefined>;
}

/** Why the simulator cannot run here, or undefined when it can (umockdev + its GI typelib). */
export function usbSimUnavailable(): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} is missing`;
  const probe = Bun.spawnSync([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('UMockdev', '1.0'); from gi.repository import UMockdev"], {
    stdout: "ignore",
    stderr: "pipe",
  });
  if (probe.exitCode !== 0) return `umockdev GI bindings missing (apt-get install umockdev gir1.2-umockdev-1.0 python3-gi): ${probe.stderr.toString().trim().split("\n").pop()}`;
  return undefined;
}

/** Throws the reason when the simulator cannot run: a test that needs it fails visibly. */
export function requireUsbSim(): void {
  const why = usbSimUnavailable();
  if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
}

function simArgv(command: string[], options: UsbSimOptions): string[] {
  const argv = [SYSTEM_PYTHON, HIDUPS_SIM, "--profile", (options.profiles ?? ["apc"]).join(",")];
  if (options.stateFile !== undefined) argv.push("--state", options.stateFile);
  if (options.logFile !== undefined) argv.push("--log", options.logFile);
  return [...argv, "--", ...command];
}

/** A command running under the simulator. */
export interface UsbSimRun {
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  /** SIGTERM to the simulator (it forwards to the command), SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number>;
}

/** Starts `command` under the simulator; the caller must `stop()` it (or await `proc.exited`). */
export function startUnderUsbSim(command: string[], options: UsbSimOptions = {}): UsbSimRun {
  const proc = Bun.spawn(simArgv(command, options), {
    env: { ...process.env, ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return {
    proc,
    async stop(graceMs = 3000): Promise<number> {
      if (proc.exitCode === null && proc.signalCode === null) {
        process.kill(proc.pid, "SIGTERM");
        const timer = setTimeout(() => {
          if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, "SIGKILL");
        }, graceMs);
        await proc.exited;
        clearTimeout(timer);
      }
      return proc.exitCode ?? 128;
    },
  };
}

export interface UsbSimResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` to completion under the simulator, killing it after `timeoutMs`. */
export async function runUnderUsbSim(command: string[], options: UsbSimOptions = {}, timeoutMs = 30_000): Promise<UsbSimResult> {
  const run = startUnderUsbSim(command, options);
  const timer = setTimeout(() => void run.stop(), timeoutMs);
  try {
    const [stdout, stderr] = await Promise.all([new Response(run.proc.stdout).text(), new Response(run.proc.stderr).text()]);
    const exitCode = await run.proc.exited;
    return { exitCode, stdout, stderr };
  } finally {
    clearTimeout(timer);
    await run.stop();
  }
}
