/**
 * SET VAR and SET TRACKING, with server/netset.c's checks in its order (net-protocol.md §2.3,
 * §2.5): arguments, UPS, driver freshness, the SET right, the variable, RW, STRING length, ENUM,
 * RANGE, then the request goes to the driver.
 */
import { cAtoi } from "../config/c-numbers.ts";
import { ST_FLAG_RW, ST_FLAG_STRING } from "../state/state-tree.ts";
import { sameWord, sendError, upsAvailable } from "./net-reply.ts";
import { newTrackingId } from "./tracking.ts";
import { checkAction } from "./user-auth.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** set_var(): validate and forward `SET <var> "<value>"[ TRACKING <id>]`. */
function setVar(ctx: UpsdContext, session: NetSession, upsName: string, varName: string, value: string, trackingId: string | undefined): void {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  if (!upsAvailable(ups, session)) return;
  const denied = checkAction(ctx.users, session.username, session.password, "SET");
  if (denied !== undefined) {
    if (denied !== "not-allowed") ctx.log.notice(`SET refused for ${session.username ?? "(null)"}@${session.addr} on UPS [${ups.name}]: ${denied}`);
    sendError(session, "ACCESS-DENIED");
    return;
  }
  const node = ups.source.tree.get(varName);
  if (!node) {
    sendError(session, "VAR-NOT-SUPPORTED");
    return;
  }
  if ((node.flags & ST_FLAG_RW) === 0) {
    sendError(session, "READONLY");
    return;
  }
  if (node.flags & ST_FLAG_STRING) {
    if (node.aux < 1) {
      ctx.log.warning(`UPS [${ups.name}]: auxdata for ${varName} is invalid`);
      sendError(session, "SET-FAILED");
      return;
    }
    if (node.aux < value.length) {
      sendError(session, "TOO-LONG");
      return;
    }
  }
  // enum values are stored escaped and compared with the raw value, as NUT does
  if (node.enums.length > 0 && !node.enums.includes(value)) {
    sendError(session, "INVALID-VALUE");
    return;
  }
  if (node.ranges.length > 0) {
    const n = cAtoi(value);
    if (!node.ranges.some((r) => n >= r.min && n <= r.max)) {
      sendError(session, "INVALID-VALUE");
      return;
    }
  }
  const tracked = trackingId !== undefined && ctx.tracking.add(trackingId, ctx.now());
  ctx.log.info(`Set variable: ${session.username ?? "(null)"}@${session.addr} set ${varName} on ${ups.name} to ${value} (tracking ID: ${tracked ? trackingId : "disabled"})`);
  const sent = ups.source.setVar(varName, value, tracked ? trackingId : undefined);
  if (!sent) {
    ctx.log.info("Set command send failed");
    sendError(session, "SET-FAILED");
    return;
  }
  session.send(tracked ? `OK TRACKING ${trackingId}\n` : "OK\n");
}

/** net_set(): the SET command (`args` are the words after SET). */
export function netSet(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  const [sub, a1, a2, a3] = args;
  if (sub === undefined || a1 === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "VAR")) {
    if (a2 === undefined || a3 === undefined) {
      sendError(session, "INVALID-ARGUMENT");
      return;
    }
    setVar(ctx, session, a1, a2, a3, session.tracking ? newTrackingId() : undefined);
    return;
  }
  if (sameWord(sub, "TRACKING")) {
    if (sameWord(a1, "ON")) {
      ctx.tracking.enabled = true;
      session.tracking = true;
    } else if (sameWord(a1, "OFF")) {
      // the server-wide flag stays on: 2.8.0's tracking_disable() never clears it
      session.tracking = false;
    } else {
      sendError(session, "INVALID-ARGUMENT");
      return;
    }
    session.send("OK\n");
    return;
  }
  sendError(session, "INVALID-ARGUMENT");
}
