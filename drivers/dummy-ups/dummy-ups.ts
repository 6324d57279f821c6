/**
 * dummy-ups: NUT's simulation and repeater driver (drivers/dummy-ups.c, 2.8.0 behaviour). In
 * dummy modes it publishes a `.dev`/`.seq` definition file, once or in a loop with TIMER pauses;
 * in repeater mode it mirrors a UPS of another upsd. Any variable can be SET, as in NUT.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ST_FLAG_RW, ST_FLAG_STRING } from "../../core/state/state-tree.ts";
import { type Driver, type DriverContext, type DriverDefinition, type HandlerStatus, STAT_HANDLED, STAT_UNKNOWN } from "../framework/driver.ts";
import { type DevStep, parseDevFile } from "./dev-file.ts";
import { DUMMY_INIT_VALUES, DUMMY_KNOWN_VARIABLES } from "./dummy-ups-variables.ts";
import { RepeaterSource } from "./repeater-source.ts";

type Mode = "dummy-loop" | "dummy-once" | "repeater";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** setvar() of dummy-ups.c: status through the status helpers, empty deletes, flags from the table. */
export function dummySetVar(ctx: DriverContext, name: string, value: string): HandlerStatus {
  const state = ctx.state;
  if (name.startsWith("ups.status")) {
    // 2.8.0: the whole value is one status token, so "OB LB" set by upsrw stays one string
    state.statusInit();
    state.statusSet(value);
    state.statusCommit();
    return STAT_HANDLED;
  }
  if (value === "") {
    state.delInfo(name);
    return STAT_HANDLED;
  }
  state.setInfo(name, value);
  const known = DUMMY_KNOWN_VARIABLES.find(([n]) => n.toLowerCase() === name.toLowerCase());
  if (known) {
    state.setFlags(known[0], known[1]);
    if (known[1] & ST_FLAG_STRING) state.setAux(known[0], known[2]);
  } else {
    state.setFlags(name, ST_FLAG_STRING | ST_FLAG_RW);
    state.setAux(name, 32);
  }
  return STAT_HANDLED;
}

class DummyUps implements Driver {
  readonly #ctx: DriverContext;
  #mode: Mode = "dummy-loop";
  /** The definition file's steps while a pass is open (NUT's ctx != NULL). */
  #steps: DevStep[] | undefined;
  #next = 0;
  /** Seconds since the epoch before which a TIMER keeps the pass paused (-1: none). */
  #nextUpdate = -1;
  #fileMtime: number | undefined;
  #repeater: RepeaterSource | undefined;

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
  }

  /** The definition file: absolute, or relative to the config directory (2.8.0 rule). */
  get #file(): string {
    const port = this.#ctx.devicePath;
    return port.startsWith("/") ? port : join(this.#ctx.paths.confPath, port);
  }

  #mtime(): number | undefined {
    try {
      return Math.floor(statSync(this.#file).mtimeMs / 1000);
    } catch {
      return undefined;
    }
  }

  initUps(): void {
    const { state, devicePath } = this.#ctx;
    const mode = state.getInfo("driver.parameter.mode");
    if ((mode === undefined && devicePath.includes("@")) || mode === "repeater") {
      this.#mode = "repeater";
      state.setInfo("driver.parameter.mode", "repeater");
      return;
    }
    if (mode === "dummy-loop" || mode === "dummy") this.#mode = "dummy-loop";
    else if (mode === "dummy-once") this.#mode = "dummy-once";
    else if (devicePath.endsWith(".seq")) this.#mode = "dummy-loop";
    else if (devicePath.endsWith(".dev")) this.#mode = "dummy-once";
    else {
      // NUT keeps the pre-2.8.0 mode name when it had to guess
      this.#mode = "dummy-loop";
      state.setInfo("driver.parameter.mode", "dummy");
      this.#fileMtime = this.#mtime();
      return;
    }
    state.setInfo("driver.parameter.mode", this.#mode);
    this.#fileMtime = this.#mtime();
  }

  async initInfo(): Promise<void> {
    const { state } = this.#ctx;
    if (this.#mode === "repeater") {
      this.#repeater = new RepeaterSource(this.#ctx, (name, value) => dummySetVar(this.#ctx, name, value));
      await this.#repeater.start();
    } else {
      for (const [name, value] of DUMMY_INIT_VALUES) {
        const [, flags, aux] = DUMMY_KNOWN_VARIABLES.find(([n]) => n === name)!;
        state.setInfo(name, value);
        state.setFlags(name, flags);
        state.setAux(name, aux);
      }
      this.#parse();
      state.dataOk();
    }
    // a forwarding repeater lists exactly the upstream's commands (repeater-source.ts)
    if (!this.#repeater?.forwarding) state.addCmd("load.off");
  }

  /** parse_data_file(): continue the open pass (or start one) until a TIMER or the end. */
  #parse(): void {
    const now = Math.floor(Date.now() / 1000);
    if (now < this.#nextUpdate) {
      this.#ctx.log.debug(1, "leaving (paused)...");
      return;
    }
    if (this.#steps === undefined) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(this.#file);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const reason = e.code === "ENOENT" ? "No such file or directory" : e.code === "EACCES" ? "Permission denied" : e.message;
        this.#ctx.fatal(`Can't open dummy-ups definition file ${this.#file}: Can't open ${this.#file}: ${reason}`);
      }
      const parsed = parseDevFile(bytes);
      for (const d of parsed.diagnostics) this.#ctx.log.debug(2, `${this.#file}:${d.line}: ${d.message}`);
      this.#steps = parsed.steps;
      this.#next = 0;
    }
    this.#nextUpdate = -1;
    const { state } = this.#ctx;
    while (this.#next < this.#steps.length) {
      const step = this.#steps[this.#next++]!;
      if (step.kind === "timer") {
        this.#nextUpdate = Math.floor(Date.now() / 1000) + step.seconds;
        this.#ctx.log.debug(1, `suspending execution for ${step.seconds} seconds...`);
        break;
      }
      if (step.kind === "status") {
        state.statusInit();
        for (const token of step.tokens) state.statusSet(token);
        state.statusCommit();
      } else {
        dummySetVar(this.#ctx, step.name, step.kind === "set" ? step.value : "");
      }
    }
    if (this.#nextUpdate === -1) this.#steps = undefined;
  }

  async updateInfo(): Promise<void> {
    this.#ctx.log.debug(1, "upsdrv_updateinfo...");
    // dummy-ups.c sleeps one second at every update; the timing of .seq files depends on it
    await sleep(1000);
    const { state } = this.#ctx;
    switch (this.#mode) {
      case "dummy-loop":
        this.#parse();
        state.dataOk();
        return;
      case "dummy-once":
        if (this.#steps === undefined && this.#nextUpdate === -1) {
          const mtime = this.#mtime();
          if (mtime === undefined) this.#nextUpdate = 1;
          else if (mtime !== this.#fileMtime) {
            this.#ctx.log.debug(2, "upsdrv_updateinfo: input file was already read once to the end, but changed later - re-reading");
            this.#nextUpdate = 1;
            this.#fileMtime = mtime;
          }
        }
        if (this.#steps === undefined && this.#nextUpdate === -1) {
          state.dataOk();
        } else {
          this.#parse();
          state.dataOk();
        }
        return;
      case "repeater":
        // 2.8.0 only skips dataok on a failed read, so its relay never goes stale; ours does
        if (await this.#repeater!.update()) state.dataOk();
        else state.dataStale();
        return;
    }
  }

  shutdown(): void {
    this.#ctx.fatal("shutdown not supported");
  }

  async cleanup(): Promise<void> {
    await this.#repeater?.close();
  }

  instCmd(name: string, param: string | undefined): HandlerStatus | Promise<HandlerStatus> {
    if (this.#repeater) return this.#repeater.instCmd(name, param);
    this.#ctx.log.notice(`instcmd: unknown command [${name}] [${param ?? "(null)"}]`);
    return STAT_UNKNOWN;
  }

  setVar(name: string, value: string): HandlerStatus | Promise<HandlerStatus> {
    if (this.#repeater) return this.#repeater.setVar(name, value);
    this.#ctx.log.debug(2, `entering setvar(${name}, ${value})`);
    return dummySetVar(this.#ctx, name, value);
  }
}

/** The dummy-ups program. */
export const DUMMY_UPS: DriverDefinition = {
  name: "dummy-ups",
  description: "Device simulation and repeater driver",
  version: "0.15",
  variables: [
    { kind: "value", name: "mode", description: "Specify mode instead of guessing it from port value (dummy = dummy-loop, dummy-once, repeater)" },
    { kind: "value", name: "username", description: "Repeater mode: user name to log in to the upstream upsd (to pass SET and INSTCMD on)", sensitive: true },
    { kind: "value", name: "password", description: "Repeater mode: password of that user", sensitive: true },
  ],
  create: (ctx) => new DummyUps(ctx),
};
