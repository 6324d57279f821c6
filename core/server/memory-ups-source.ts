/**
 * A UpsSource held in memory: the tree, connection and staleness are set directly, requests for
 * the driver are recorded. For tests of the verbs and the server, and as the shape a driver
 * hosted in upsd's own process would take.
 */
import { StateTree } from "../state/state-tree.ts";
import type { TrackingListener, UpsSource } from "./ups-source.ts";

/** A request upsd passed to the "driver". */
export type MemoryRequest =
  | { kind: "SET"; name: string; value: string; tracking?: string }
  | { kind: "INSTCMD"; name: string; param?: string; tracking?: string };

/** An in-memory UpsSource. */
export class MemoryUpsSource implements UpsSource {
  readonly name: string;
  readonly tree = new StateTree();
  connected = true;
  stale = false;
  /** False makes setVar/instCmd fail as a broken driver socket does. */
  writable = true;
  readonly requests: MemoryRequest[] = [];
  refreshes = 0;
  closed = false;
  readonly #listeners: TrackingListener[] = [];

  constructor(name: string) {
    this.name = name;
  }

  refresh(_now: number): void {
    this.refreshes++;
  }

  setVar(name: string, value: string, tracking?: string): boolean {
    if (!this.writable) return false;
    this.requests.push({ kind: "SET", name, value, ...(tracking !== undefined ? { tracking } : {}) });
    return true;
  }

  instCmd(name: string, param?: string, tracking?: string): boolean {
    if (!this.writable) return false;
    this.requests.push({ kind: "INSTCMD", name, ...(param !== undefined ? { param } : {}), ...(tracking !== undefined ? { tracking } : {}) });
    return true;
  }

  onTracking(listener: TrackingListener): void {
    this.#listeners.push(listener);
  }

  /** Delivers a driver's `TRACKING <id> <status>`. */
  reportTracking(id: string, status: number): void {
    for (const l of this.#listeners) l(id, status);
  }

  close(): void {
    this.closed = true;
    this.connected = false;
  }
}
