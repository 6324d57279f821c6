/**
 * Status tracking of SET VAR / INSTCMD (protocol 1.3), as server/upsd.c keeps it in 2.8.0:
 * ids are UUIDv4 in uppercase, entries start PENDING, the driver's `TRACKING <id> <int>` stores
 * its handler status, `GET TRACKING <id>` maps it to a reply line, and entries older than
 * TRACKINGDELAY seconds are purged. Ids come from a real random source (2.8.0 used an unseeded
 * rand(), so every start produced the same ids).
 */
import { randomUUID } from "node:crypto";

/** upsd's status of a request the driver has not answered yet (STAT_PENDING). */
export const TRACKING_PENDING = -1;

interface Entry {
  status: number;
  /** Seconds (time()) when the request was forwarded. */
  requestTime: number;
}

/** A fresh tracking id: `XXXXXXXX-XXXX-4XXX-YXXX-XXXXXXXXXXXX`, uppercase hex (nut_uuid_v4()). */
export function newTrackingId(): string {
  return randomUUID().toUpperCase();
}

/** The reply line of `GET TRACKING <id>` for a stored status (2.8.0's tracking_get(): 4 and unknown values are ERR UNKNOWN). */
export function trackingStatusText(status: number | undefined): string {
  switch (status) {
    case TRACKING_PENDING:
      return "PENDING";
    case 0:
      return "SUCCESS";
    case 2:
      return "ERR INVALID-ARGUMENT";
    case 3:
      return "ERR FAILED";
    default:
      return "ERR UNKNOWN";
  }
}

/** Every tracked request of the server (ids are global: any tracking connection may ask). */
export class TrackingTable {
  readonly #entries = new Map<string, Entry>();
  /** tracking_enabled: set by the first SET TRACKING ON, never cleared in 2.8.0. */
  enabled = false;

  /** Number of stored entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** tracking_add(): records a new PENDING request; ignored while tracking was never enabled. */
  add(id: string, nowSeconds: number): boolean {
    if (!this.enabled) return false;
    this.#entries.set(id.toUpperCase(), { status: TRACKING_PENDING, requestTime: nowSeconds });
    return true;
  }

  /** tracking_set(): the driver's result for `id` (case-insensitive); false when unknown. */
  set(id: string, status: number): boolean {
    const entry = this.#entries.get(id.toUpperCase());
    if (!entry) return false;
    entry.status = status;
    return true;
  }

  /** tracking_get(): the reply line for `id`. */
  get(id: string): string {
    return trackingStatusText(this.#entries.get(id.toUpperCase())?.status);
  }

  /** tracking_cleanup(): drops entries older than `delaySeconds`. */
  cleanup(nowSeconds: number, delaySeconds: number): void {
    for (const [id, entry] of this.#entries) {
      if (nowSeconds - entry.requestTime > delaySeconds) this.#entries.delete(id);
    }
  }
}
