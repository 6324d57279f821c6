/**
 * A NUT sandbox (test/harness/debian-nut.ts) whose UPS is served by a usbhid-ups driver (ours
 * or Debian's 2.8.0) running under the USB simulator (test/harness/usb-sim.ts): the driver
 * command is wrapped in hidups_sim.py, which forwards SIGTERM to it, so stopping the sandbox
 * stops both by PID. upsd is ours or Debian's. The simulator's transfer log is parsed here too.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEBIAN_UPSD, type NutSandbox, type SandboxUser, startNutSandbox } from "./debian-nut.ts";
import { NUT_BINARY } from "./nut-binary.ts";
import { HIDUPS_SIM, SYSTEM_PYTHON, type UsbSimProfile } from "./usb-sim.ts";

export const DEBIAN_USBHID_UPS = "/lib/nut/usbhid-ups";
/** The UPS name every USB sandbox uses. */
export const USB_SANDBOX_UPS = "ups";

export type Implementation = "ours" | "debian";

export interface UsbSandboxOptions {
  profile: UsbSimProfile;
  driver: Implementation;
  upsd: Implementation;
  /** Initial simulator state (written to the sandbox's state file, which tests may rewrite). */
  state?: Readonly<Record<string, unknown>>;
  /** More ups.conf settings of the UPS (e.g. pollinterval). */
  settings?: Readonly<Record<string, string>>;
  users?: readonly SandboxUser[];
  readyTimeoutMs?: number;
}

/** A running USB sandbox: the NUT sandbox plus the simulator's state and log files. */
export interface UsbSandbox {
  readonly nut: NutSandbox;
  /** The simulator's state file (rewrite it with setState). */
  readonly stateFile: string;
  /** The simulator's JSONL transfer log. */
  readonly logFile: string;
  /** `ups@127.0.0.1:<port>`. */
  readonly upsId: string;
  /** Replaces the simulator's state (the file is re-read when its mtime changes). */
  setState(state: Readonly<Record<string, unknown>>): void;
  stop(): Promise<void>;
}

/** One control transfer of the simulator log. */
export interface SimControlTransfer {
  setup: string;
  out: string | null;
  resp: string | null;
  stall: boolean;
}

/** Every control transfer of a simulator log, in order (interrupt and fault records left out). */
export function simControlTransfers(logFile: string): SimControlTransfer[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Partial<SimControlTransfer>)
    .filter((r): r is SimControlTransfer => typeof r.setup === "string");
}

/** The HID SET_REPORTs (bmRequestType 0x21, bRequest 0x09) of a simulator log: `<report id> <bytes>`. */
export function simSetReports(logFile: string): string[] {
  return simControlTransfers(logFile)
    .filter((t) => t.setup.startsWith("2109"))
    .map((t) => `${t.setup.slice(4, 6)} ${t.out ?? ""}${t.stall ? " STALL" : ""}`);
}

/** A driver command line for a UPS of the sandbox, wrapped in the simulator. */
function simulatedDriver(options: UsbSandboxOptions, stateFile: string, logFile: string): string[] {
  const driver = options.driver === "ours" ? [NUT_BINARY, "usbhid-ups"] : [DEBIAN_USBHID_UPS];
  return [SYSTEM_PYTHON, HIDUPS_SIM, "--profile", options.profile, "--state", stateFile, "--log", logFile, "--", ...driver, "-a", USB_SANDBOX_UPS, "-F", "-u", "root"];
}

/** Starts upsd with one usbhid-ups driver on one simulated device; ready once upsc lists its data. */
export async function startUsbSandbox(options: UsbSandboxOptions): Promise<UsbSandbox> {
  let stateFile = "";
  let logFile = "";
  const nut = await startNutSandbox({
    ups: [{ name: USB_SANDBOX_UPS, driver: "usbhid-ups", port: "auto", ...(options.settings !== undefined ? { settings: options.settings } : {}) }],
    users: options.users ?? [{ name: "admin", password: "pw", actions: ["SET", "FSD"], instcmds: ["all"] }],
    driverCommand: (_ups, paths) => {
      stateFile = join(paths.root, "sim-state.json");
      logFile = join(paths.root, "sim-log.jsonl");
      writeFileSync(stateFile, JSON.stringify(options.state ?? {}));
      return simulatedDriver(options, stateFile, logFile);
    },
    upsdCommand: () => (options.upsd === "ours" ? [NUT_BINARY, "upsd", "-F", "-u", "root"] : [DEBIAN_UPSD, "-F", "-u", "root"]),
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
  });
  return {
    nut,
    stateFile,
    logFile,
    upsId: nut.upsId(USB_SANDBOX_UPS),
    setState(state) {
      writeFileSync(stateFile, JSON.stringify(state));
    },
    stop: () => nut.stop(),
  };
}
