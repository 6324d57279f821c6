/**
 * STARTTLS (server/netssl.c net_starttls()): `ERR ALREADY-SSL-MODE` inside TLS, `ERR
 * FEATURE-NOT-CONFIGURED` without a certificate (what Debian's upsd answers by default, and
 * what every NUT client takes as "go on in plaintext"), else `OK STARTTLS` and the handshake.
 */
import { sendError } from "./net-reply.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** STARTTLS (arguments are ignored). */
export function netStartTls(ctx: UpsdContext, session: NetSession, _args: readonly string[]): void {
  if (session.ssl) {
    sendError(session, "ALREADY-SSL-MODE");
    return;
  }
  if (!ctx.startTls) {
    sendError(session, "FEATURE-NOT-CONFIGURED");
    return;
  }
  if (session.send("OK STARTTLS\n")) ctx.startTls.upgrade(session);
}
