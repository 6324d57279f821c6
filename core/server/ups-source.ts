/**
 * What upsd knows about one UPS, whoever feeds it. upsd (the protocol side) reads only this;
 * the unix-socket link to a driver process (driver-link.ts, NUT's server/sstate.c) is one
 * implementation, and a driver hosted in upsd's own process (a later all-in-one mode) will be
 * another. Invariants every implementation keeps:
 *
 * - `tree` is the driver's variable tree and command list as last reported; it is empty while
 *   `connected` is false (upsd then answers ERR DRIVER-NOT-CONNECTED) and holds `ups.status`
 *   "WAIT" between a (re)connection and the first data.
 * - `stale` follows NUT 2.8.0's rules (DATASTALE after the dump is done, or silence longer than
 *   MAXAGE) and is re-evaluated by `refresh()`, which upsd calls at least every 2 s.
 * - `setVar`/`instCmd` return false when the request could not be passed to the driver (upsd then
 *   answers ERR SET-FAILED / ERR INSTCMD-FAILED); a given tracking id comes back later through
 *   the `onTracking` callback with the driver's handler status (driver-socket.md §5).
 */
import type { StateTree } from "../state/state-tree.ts";

/** Receives the result of a tracked SET/INSTCMD. */
export type TrackingListener = (id: string, status: number) => void;

/** One UPS as upsd sees it. */
export interface UpsSource {
  /** The ups.conf section name. */
  readonly name: string;
  /** The driver's variables and commands (empty while not connected). */
  readonly tree: StateTree;
  readonly connected: boolean;
  /** True when clients must get ERR DATA-STALE. */
  readonly stale: boolean;
  /** Connects if needed, pings a silent driver, and updates `stale` (NUT's sstate_dead()). */
  refresh(now: number): void;
  setVar(name: string, value: string, tracking?: string): boolean;
  instCmd(name: string, param?: string, tracking?: string): boolean;
  onTracking(listener: TrackingListener): void;
  /** Disconnects and stops reconnecting. */
  close(): void;
}
