/**
 * Reply helpers shared by the verb files: send_err() and ups_available() of server/upsd.c.
 */
import type { NetErrorToken } from "../protocol/net-error.ts";
import type { NetSession, ServedUps } from "./upsd-context.ts";

/** send_err(): `ERR <token>`. */
export function sendError(session: NetSession, token: NetErrorToken): boolean {
  return session.send(`ERR ${token}\n`);
}

/**
 * ups_available(): the driver must be connected (else ERR DRIVER-NOT-CONNECTED) and its data
 * fresh (else ERR DATA-STALE); the error has been sent when this returns false.
 */
export function upsAvailable(ups: ServedUps, session: NetSession): boolean {
  if (!ups.source.connected) {
    sendError(session, "DRIVER-NOT-CONNECTED");
    return false;
  }
  if (ups.source.stale) {
    sendError(session, "DATA-STALE");
    return false;
  }
  return true;
}

/** C's strcasecmp() equality (ASCII letters only fold). */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}
