/**
 * clone: a second view of a UPS that another local driver serves (NUT's drivers/clone.c,
 * 2.8.0 behaviour). It reads the other driver's socket like upsd does and republishes its
 * variables, adding an outlet of its own: shutdown.return / shutdown.stayoff arm timers that
 * switch the real driver's outlet off (`load.off = <command>`) and back on (`load.on`).
 */
import { type Socket, connect } from "node:net";
import { join } from "node:path";
import { cAtol } from "../../core/config/c-numbers.ts";
import { SockLineReader } from "../../core/protocol/sock-protocol.ts";
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { type Driver, type DriverContext, type DriverDefinition, type HandlerStatus, STAT_HANDLED, STAT_UNKNOWN } from "../framework/driver.ts";

/** Seconds of silence before the other driver counts as gone (clone.c calls sstate_dead(15)). */
const MAXAGE = 15;

/** C's printf("%g"): six significant digits, no trailing zeros. */
export function formatG(value: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : Number.isNaN(value) ? "nan" : "-inf";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = value.toExponential(5).split("e") as [string, string];
    const m = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    const e = Number(exp);
    return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const fixed = value.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/** glibc's strerror() texts for what connecting to a unix socket can fail with (clone.c logs them). */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  ECONNREFUSED: "Connection refused",
  EACCES: "Permission denied",
  ENOTDIR: "Not a directory",
  ENOTSOCK: "Socket operation on non-socket",
  EAGAIN: "Resource temporarily unavailable",
};

function strerror(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined ? STRERROR[code] : undefined) ?? err.message;
}

/** C's strtod() on a leading number (0 when there is none). */
function strtod(text: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
  return m ? Number(m[0]) : 0;
}

class Clone implements Driver {
  readonly #ctx: DriverContext;
  #socket: Socket | undefined;
  #reader = new SockLineReader();
  #dumpDone = false;
  #lastHeard = 0;
  #lastPing = 0;
  #lastConnFail = 0;
  #lastPoll = 0;
  #status = "WAIT";
  #online = true;
  #outlet = true;
  #timerShutdown = -1;
  #timerStart = -1;
  #offDelay = 120;
  #onDelay = 30;
  #charge = { act: 0, low: 0 };
  #runtime = { act: 0, low: 0 };

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
  }

  get #path(): string {
    return join(this.#ctx.paths.statePath, this.#ctx.devicePath);
  }

  #now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** sstate_connect(): connect, ask for a dump, show WAIT until it comes. */
  async #connect(): Promise<void> {
    const path = this.#path;
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ path });
      s.once("connect", () => resolve(s));
      s.once("error", (err) => {
        const now = this.#now();
        // rate-limit complaints, as clone.c does
        if (now - this.#lastConnFail >= 60) {
          this.#lastConnFail = now;
          this.#ctx.log.error(`Can't connect to UPS [${this.#ctx.devicePath}]: ${strerror(err)}`);
        }
        resolve(undefined);
      });
    });
    if (!socket) return;
    this.#socket = socket;
    this.#reader = new SockLineReader();
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("close", () => {
      if (this.#socket === socket) this.#socket = undefined;
    });
    socket.on("error", (err) => this.#ctx.log.warning(`Read from UPS [${this.#ctx.devicePath}] failed: ${strerror(err)}`));
    socket.write("DUMPALL\n");
    this.#lastHeard = this.#now();
    this.#dumpDone = false;
    this.#ctx.state.setInfo("ups.status", "WAIT");
    this.#ctx.log.info(`Connected to UPS [${this.#ctx.devicePath}]`);
  }

  #disconnect(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #send(line: string): void {
    if (!this.#socket || this.#socket.destroyed) return;
    this.#socket.write(line);
  }

  #receive(chunk: Uint8Array): void {
    for (const line of this.#reader.push(chunk)) {
      if (line.error !== undefined) {
        this.#ctx.log.notice(`Parse error on sock: ${line.error}`);
        this.#disconnect();
        return;
      }
      if (this.#parseArgs(line.words)) this.#lastHeard = this.#now();
    }
  }

  /** parse_args() of clone.c: mirror the other driver, keeping its driver.* and timers out. */
  #parseArgs(words: readonly string[]): boolean {
    const state = this.#ctx.state;
    const [cmd, name, value] = words;
    if (cmd === undefined) return false;
    const c = cmd.toUpperCase();
    if (c === "PONG") return true;
    if (c === "DUMPDONE") {
      this.#dumpDone = true;
      return true;
    }
    if (c === "DATASTALE") {
      state.dataStale();
      return true;
    }
    if (c === "DATAOK") {
      state.dataOk();
      return true;
    }
    if (name === undefined) return false;
    if (c === "DELINFO") {
      state.delInfo(name);
      return true;
    }
    if (value === undefined || c !== "SETINFO") return false;
    const lower = name.toLowerCase();
    if (lower.startsWith("driver.") || lower === "battery.charge.low" || lower === "battery.runtime.low" || lower.startsWith("ups.delay.") || lower.startsWith("ups.timer.")) {
      return true;
    }
    if (lower === "ups.status") {
      this.#status = value;
      this.#online = value.includes("OL");
      if (this.#timerShutdown > 0) {
        state.setInfo("ups.status", `FSD ${this.#status}`);
        return true;
      }
    }
    if (lower === "battery.charge") {
      this.#charge.act = strtod(value);
      state.setInfo("battery.charge.low", formatG(this.#charge.low));
      state.setFlags("battery.charge.low", ST_FLAG_RW | ST_FLAG_STRING);
      state.setAux("battery.charge.low", 3);
    }
    if (lower === "battery.runtime") {
      this.#runtime.act = strtod(value);
      state.setInfo("battery.runtime.low", formatG(this.#runtime.low));
      state.setFlags("battery.runtime.low", ST_FLAG_RW | ST_FLAG_STRING);
      state.setAux("battery.runtime.low", 4);
    }
    state.setInfo(name, value);
    return true;
  }

  /** sstate_dead(): stale data, or silence past MAXAGE (with a PING after a third of it). */
  #dead(): boolean {
    if (!this.#socket) return true;
    if (this.#dumpDone && this.#ctx.state.stale) return true;
    const now = this.#now();
    const elapsed = now - this.#lastHeard;
    const third = Math.floor(MAXAGE / 3);
    if (elapsed > third && now - this.#lastPing > third) {
      this.#send("PING\n");
      this.#lastPing = now;
    }
    return elapsed > MAXAGE;
  }

  async initUps(): Promise<void> {
    await this.#connect();
  }

  initInfo(): void {
    const { state, getVal } = this.#ctx;
    this.#lastPoll = this.#now();
    state.addCmd("shutdown.return");
    state.addCmd("shutdown.stayoff");
    const off = getVal("offdelay");
    if (off !== undefined) this.#offDelay = cAtol(off);
    const on = getVal("ondelay");
    if (on !== undefined) this.#onDelay = cAtol(on);
    const minCharge = getVal("mincharge");
    if (minCharge !== undefined) this.#charge.low = strtod(minCharge);
    const minRuntime = getVal("minruntime");
    if (minRuntime !== undefined) this.#runtime.low = strtod(minRuntime);
    state.setInfo("ups.delay.shutdown", String(this.#offDelay));
    state.setInfo("ups.delay.start", String(this.#onDelay));
    state.setInfo("ups.timer.shutdown", String(this.#timerShutdown));
    state.setInfo("ups.timer.start", String(this.#timerStart));
  }

  async updateInfo(): Promise<void> {
    const now = this.#now();
    if (this.#dead()) {
      this.#disconnect();
      await this.#connect();
      return;
    }
    const { state, getVal, log } = this.#ctx;
    const elapsed = now - this.#lastPoll;
    if (this.#timerShutdown >= 0) {
      this.#timerShutdown -= elapsed;
      if (this.#timerShutdown < 0) {
        this.#timerShutdown = -1;
        this.#outlet = false;
        const cmd = getVal("load.off");
        if (cmd !== undefined) this.#send(`INSTCMD ${cmd}\n`);
      }
    } else if (this.#timerStart >= 0) {
      if (this.#online) this.#timerStart -= elapsed;
      else this.#timerStart = this.#onDelay;
      if (this.#timerStart < 0) {
        this.#timerStart = -1;
        this.#outlet = true;
        const cmd = getVal("load.on");
        if (cmd !== undefined) this.#send(`INSTCMD ${cmd}\n`);
        state.setInfo("ups.status", this.#status);
      }
    } else if (!this.#online && this.#outlet) {
      if (this.#charge.act < this.#charge.low) {
        log.info("Battery charge low");
        this.instCmd("shutdown.return", undefined);
      } else if (this.#runtime.act < this.#runtime.low) {
        log.info("Battery runtime low");
        this.instCmd("shutdown.return", undefined);
      }
    }
    state.setInfo("ups.timer.shutdown", String(this.#timerShutdown));
    state.setInfo("ups.timer.start", String(this.#timerStart));
    this.#lastPoll = now;
  }

  shutdown(): void {
    this.#ctx.fatal("shutdown not supported");
  }

  cleanup(): void {
    this.#disconnect();
  }

  instCmd(name: string, param: string | undefined): HandlerStatus {
    const { state, getVal } = this.#ctx;
    const statusVar = getVal("load.status");
    const outletState = statusVar !== undefined ? state.getInfo(statusVar) : undefined;
    if (outletState !== undefined) {
      const v = outletState.toLowerCase();
      if (v === "off" || v === "no") this.#outlet = false;
      if (v === "on" || v === "yes") this.#outlet = true;
    }
    const lower = name.toLowerCase();
    if (lower === "shutdown.return" || lower === "shutdown.stayoff") {
      if (this.#outlet && this.#timerShutdown < 0) {
        this.#timerShutdown = this.#offDelay;
        state.setInfo("ups.status", `FSD ${this.#status}`);
      }
      this.#timerStart = lower === "shutdown.return" ? this.#onDelay : -1;
      return STAT_HANDLED;
    }
    this.#ctx.log.notice(`instcmd: unknown command [${name}] [${param ?? "(null)"}]`);
    return STAT_UNKNOWN;
  }

  setVar(name: string, value: string): HandlerStatus {
    const lower = name.toLowerCase();
    if (lower === "battery.charge.low") {
      this.#charge.low = strtod(value);
      this.#ctx.state.setInfo("battery.charge.low", formatG(this.#charge.low));
      return STAT_HANDLED;
    }
    if (lower === "battery.runtime.low") {
      this.#runtime.low = strtod(value);
      this.#ctx.state.setInfo("battery.runtime.low", formatG(this.#runtime.low));
      return STAT_HANDLED;
    }
    this.#ctx.log.notice(`setvar: unknown variable [${name}]`);
    return STAT_UNKNOWN;
  }
}

/** The clone program. */
export const CLONE: DriverDefinition = {
  name: "clone",
  description: "Clone UPS driver",
  version: "0.03",
  experimental: true,
  variables: [
    { kind: "value", name: "offdelay", description: "Delay before outlet shutdown (seconds)" },
    { kind: "value", name: "ondelay", description: "Delay before outlet startup (seconds)" },
    { kind: "value", name: "mincharge", description: "Remaining battery level when UPS switches to LB (percent)" },
    { kind: "value", name: "minruntime", description: "Remaining battery runtime when UPS switches to LB (seconds)" },
    { kind: "value", name: "load.off", description: "Command to switch off outlet" },
    { kind: "value", name: "load.on", description: "Command to switch on outlet" },
    { kind: "value", name: "load.status", description: "Variable that indicates outlet is on/off" },
  ],
  create: (ctx) => new Clone(ctx),
};
