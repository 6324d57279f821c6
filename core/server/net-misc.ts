/**
 * VER, NETVER/PROTVER, HELP and FSD (server/netmisc.c).
 */
import { serverInfoText } from "./net-get.ts";
import { sendError } from "./net-reply.ts";
import { checkAction } from "./user-auth.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** The network protocol version of NUT 2.8.x (NUT_NETVERSION). */
export const NUT_NETVERSION = "1.3";

/** VER. */
export function netVer(_ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 0) sendError(session, "INVALID-ARGUMENT");
  else session.send(`${serverInfoText()}\n`);
}

/** NETVER and its 2.8.0 alias PROTVER. */
export function netNetver(_ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 0) sendError(session, "INVALID-ARGUMENT");
  else session.send(`${NUT_NETVERSION}\n`);
}

/** HELP: 2.8.0's text (PRIMARY, MASTER, FSD, NETVER and PROTVER are not listed). */
export function netHelp(_ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 0) sendError(session, "INVALID-ARGUMENT");
  else session.send("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n");
}

/** FSD <ups>: sets the UPS's latch (the driver is not told); needs the FSD action. */
export function netFsd(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 1) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  const ups = ctx.findUps(args[0]!);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  const denied = checkAction(ctx.users, session.username, session.password, "FSD");
  if (denied !== undefined) {
    if (denied !== "not-allowed") ctx.log.notice(`FSD refused for ${session.username ?? "(null)"}@${session.addr} on UPS [${ups.name}]: ${denied}`);
    sendError(session, "ACCESS-DENIED");
    return;
  }
  ctx.log.info(`Client ${session.username ?? "(null)"}@${session.addr} set FSD on UPS [${ups.name}]`);
  ups.fsd = true;
  session.send("OK FSD-SET\n");
}
