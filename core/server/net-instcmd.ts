/**
 * INSTCMD, with server/netinstcmd.c's checks in its order (net-protocol.md §2.4): arguments
 * (the parameter is taken only when exactly 3 words follow INSTCMD), UPS, driver freshness, the
 * command must be listed by the driver, the user's instcmds right, then the request goes to the
 * driver with the command name as typed.
 */
import { sendError, upsAvailable } from "./net-reply.ts";
import { newTrackingId } from "./tracking.ts";
import { checkInstcmd } from "./user-auth.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** net_instcmd(): the INSTCMD command (`args` are the words after INSTCMD). */
export function netInstcmd(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  const [upsName, cmdName] = args;
  if (upsName === undefined || cmdName === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  const param = args.length === 3 ? args[2] : undefined;
  const trackingId = session.tracking ? newTrackingId() : undefined;
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  if (!upsAvailable(ups, session)) return;
  if (!ups.source.tree.hasCmd(cmdName)) {
    sendError(session, "CMD-NOT-SUPPORTED");
    return;
  }
  const denied = checkInstcmd(ctx.users, session.username, session.password, cmdName);
  if (denied !== undefined) {
    if (denied !== "not-allowed") ctx.log.notice(`INSTCMD refused for ${session.username ?? "(null)"}@${session.addr} on UPS [${ups.name}]: ${denied}`);
    sendError(session, "ACCESS-DENIED");
    return;
  }
  const tracked = trackingId !== undefined && ctx.tracking.add(trackingId, ctx.now());
  ctx.log.info(
    `Instant command: ${session.username ?? "(null)"}@${session.addr} did ${cmdName}${param !== undefined ? ` with value ${param}` : ""} on ${ups.name} (tracking ID: ${tracked ? trackingId : "disabled"})`,
  );
  const sent = ups.source.instCmd(cmdName, param, tracked ? trackingId : undefined);
  if (!sent) {
    ctx.log.info("Set command send failed");
    sendError(session, "INSTCMD-FAILED");
    return;
  }
  session.send(tracked ? `OK TRACKING ${trackingId}\n` : "OK\n");
}
