/**
 * A driver's published state (NUT's drivers/dstate.c minus the sockets): the variable tree and
 * command list, the stale flag, and the ups.status / ups.alarm builders every driver uses.
 * Every effective change is announced to the listeners as the driver-socket message NUT would
 * broadcast; a change that does not change anything announces nothing, as in NUT.
 */
import { cAtol } from "../../core/config/c-numbers.ts";
import type { DriverMessage } from "../../core/protocol/sock-protocol.ts";
import {
  ST_FLAG_IMMUTABLE,
  ST_FLAG_NUMBER,
  ST_MAX_VALUE_LEN,
  StateTree,
  flagWords,
  truncateToBuffer,
} from "../../core/state/state-tree.ts";
import type { NutLog } from "../../core/system/nut-log.ts";

/** Receives every message the state broadcasts. */
export type StateListener = (message: DriverMessage) => void;

/** dstate.c's state of one driver. */
export class DriverState {
  readonly tree = new StateTree();
  #stale = true;
  #listeners = new Set<StateListener>();
  #statusBuf = "";
  #alarmBuf = "";
  #alarmActive = false;
  #ignoreLb = false;
  readonly #log: NutLog;

  constructor(log: NutLog) {
    this.#log = log;
  }

  /** Subscribes to broadcasts; returns the unsubscribe function. */
  listen(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #send(message: DriverMessage): void {
    for (const listener of this.#listeners) listener(message);
  }

  /** True until the driver first calls dataOk(), and after dataStale(). */
  get stale(): boolean {
    return this.#stale;
  }

  /** dstate_setinfo(): values are cut to 255 bytes, as vsnprintf into char[256] does. */
  setInfo(name: string, value: string): boolean {
    const v = truncateToBuffer(value, ST_MAX_VALUE_LEN);
    const changed = this.tree.setInfo(name, v);
    if (changed) this.#send({ type: "SETINFO", name, value: v });
    return changed;
  }

  /** dstate_getinfo(): the stored value (NUT returns the escaped form). */
  getInfo(name: string): string | undefined {
    return this.tree.getEscapedValue(name);
  }

  /** dstate_delinfo(). */
  delInfo(name: string): boolean {
    const changed = this.tree.delInfo(name);
    if (changed) this.#send({ type: "DELINFO", name });
    return changed;
  }

  /** dstate_addenum(). */
  addEnum(name: string, value: string): boolean {
    const v = truncateToBuffer(value, ST_MAX_VALUE_LEN);
    const changed = this.tree.addEnum(name, v);
    if (changed) this.#send({ type: "ADDENUM", name, value: v });
    return changed;
  }

  /** dstate_delenum(). */
  delEnum(name: string, value: string): boolean {
    const changed = this.tree.delEnum(name, value);
    if (changed) this.#send({ type: "DELENUM", name, value });
    return changed;
  }

  /** dstate_addrange(): a new range also adds the NUMBER flag. */
  addRange(name: string, min: number, max: number): boolean {
    const changed = this.tree.addRange(name, min, max);
    if (changed) {
      this.#send({ type: "ADDRANGE", name, min, max });
      this.addFlags(name, ST_FLAG_NUMBER);
    }
    return changed;
  }

  /** dstate_delrange(). */
  delRange(name: string, min: number, max: number): boolean {
    const changed = this.tree.delRange(name, min, max);
    if (changed) this.#send({ type: "DELRANGE", name, min, max });
    return changed;
  }

  /** dstate_setflags(): refused (and logged) for a missing or immutable variable. */
  setFlags(name: string, flags: number): void {
    const current = this.tree.getFlags(name);
    if (current === undefined) {
      this.#log.error(`dstate_setflags: base variable (${name}) does not exist`);
      return;
    }
    if (current & ST_FLAG_IMMUTABLE) {
      this.#log.warning(`dstate_setflags: base variable (${name}) is immutable`);
      return;
    }
    if (current === flags) return;
    this.tree.setFlagBits(name, flags);
    this.#send({ type: "SETFLAGS", name, flags: flagWords(flags) });
  }

  /** dstate_addflags(). */
  addFlags(name: string, add: number): void {
    const current = this.tree.getFlags(name);
    if (current === undefined) {
      this.#log.error(`dstate_addflags: cannot get flags of '${name}'`);
      return;
    }
    if ((current & add) === add) return;
    this.setFlags(name, current | add);
  }

  /**
   * Marks a variable immutable (`override.*` in ups.conf): later setInfo() calls change nothing.
   * NUT announces it as a SETFLAGS without flag words, which upsd ignores.
   */
  setImmutable(name: string): void {
    const current = this.tree.getFlags(name);
    if (current === undefined || current & ST_FLAG_IMMUTABLE) return;
    const flags = current | ST_FLAG_IMMUTABLE;
    this.tree.setFlagBits(name, flags);
    this.#send({ type: "SETFLAGS", name, flags: flagWords(flags) });
  }

  /** dstate_setaux(). */
  setAux(name: string, aux: number): void {
    const current = this.tree.getAux(name);
    if (current === undefined) {
      this.#log.error(`dstate_setaux: base variable (${name}) does not exist`);
      return;
    }
    if (current === aux) return;
    this.tree.setAux(name, aux);
    this.#send({ type: "SETAUX", name, aux });
  }

  /** dstate_addcmd(). */
  addCmd(name: string): void {
    if (this.tree.addCmd(name)) this.#send({ type: "ADDCMD", name });
  }

  /** dstate_delcmd(). */
  delCmd(name: string): boolean {
    const changed = this.tree.delCmd(name);
    if (changed) this.#send({ type: "DELCMD", name });
    return changed;
  }

  /** dstate_dataok(): only the transition is announced. */
  dataOk(): void {
    if (!this.#stale) return;
    this.#stale = false;
    this.#send({ type: "DATAOK" });
  }

  /** dstate_datastale(): only the transition is announced. */
  dataStale(): void {
    if (this.#stale) return;
    this.#stale = true;
    this.#send({ type: "DATASTALE" });
  }

  /** status_init(): starts a new ups.status (and notes the ignorelb flag). */
  statusInit(): void {
    if (this.tree.has("driver.flag.ignorelb")) this.#ignoreLb = true;
    this.#statusBuf = "";
  }

  /** status_set(): appends one token verbatim (2.8.0: no de-duplication); LB is dropped with ignorelb. */
  statusSet(token: string): void {
    if (this.#ignoreLb && token.toUpperCase() === "LB") {
      this.#log.debug(2, "status_set: ignoring LB flag from device");
      return;
    }
    this.#statusBuf = truncateToBuffer(this.#statusBuf.length > 0 ? `${this.#statusBuf} ${token}` : token, ST_MAX_VALUE_LEN);
  }

  /** status_commit(): publishes ups.status, LB derived with ignorelb, `ALARM ` prefixed while an alarm is set. */
  statusCommit(): void {
    if (this.#ignoreLb) {
      const below = (value: string, low: string): boolean => {
        const v = this.getInfo(value);
        const l = this.getInfo(low);
        return v !== undefined && l !== undefined && cAtol(v) < cAtol(l);
      };
      if (below("battery.charge", "battery.charge.low") || below("battery.runtime", "battery.runtime.low")) {
        this.#statusBuf = truncateToBuffer(`${this.#statusBuf} LB`, ST_MAX_VALUE_LEN);
      }
    }
    // 2.8.0 writes "ALARM %s" even for an empty buffer, leaving a trailing space
    this.setInfo("ups.status", this.#alarmActive ? `ALARM ${this.#statusBuf}` : this.#statusBuf);
  }

  /** alarm_init(). */
  alarmInit(): void {
    this.#alarmActive = false;
    this.#alarmBuf = "";
  }

  /** alarm_set(): appends one alarm text. */
  alarmSet(text: string): void {
    this.#alarmBuf = truncateToBuffer(this.#alarmBuf.length > 0 ? `${this.#alarmBuf} ${text}` : text, ST_MAX_VALUE_LEN);
  }

  /** alarm_commit(): publishes (or deletes) ups.alarm and arms the ALARM status prefix. */
  alarmCommit(): void {
    if (this.#alarmBuf.length > 0) {
      this.setInfo("ups.alarm", this.#alarmBuf);
      this.#alarmActive = true;
    } else {
      this.delInfo("ups.alarm");
      this.#alarmActive = false;
    }
  }
}
