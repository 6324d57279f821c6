/**
 * USERNAME, PASSWORD, LOGIN, LOGOUT, PRIMARY and MASTER (server/netuser.c). USERNAME and
 * PASSWORD are stored blindly (checked only when a command uses them); LOGIN counts the
 * connection on the UPS; PRIMARY/MASTER are access checks that accept either action.
 */
import { sendError } from "./net-reply.ts";
import { checkAction } from "./user-auth.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** USERNAME <name>. */
export function netUsername(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 1) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (session.username !== undefined) {
    ctx.log.info(`Client ${session.username ?? "(null)"}@${session.addr} tried to set a username twice`);
    sendError(session, "ALREADY-SET-USERNAME");
    return;
  }
  session.username = args[0]!;
  session.send("OK\n");
}

/** PASSWORD <password>. */
export function netPassword(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 1) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (session.password !== undefined) {
    ctx.log.info(
      session.username !== undefined
        ? `Client ${session.username ?? "(null)"}@${session.addr} tried to set a password twice`
        : `Client on ${session.addr} tried to set a password twice`,
    );
    sendError(session, "ALREADY-SET-PASSWORD");
    return;
  }
  session.password = args[0]!;
  session.send("OK\n");
}

/** LOGIN <ups>: one per connection; needs the LOGIN action. */
export function netLogin(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 1) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (session.loginUps !== undefined) {
    ctx.log.info(`Client ${session.username ?? "(null)"}@${session.addr} tried to login twice`);
    sendError(session, "ALREADY-LOGGED-IN");
    return;
  }
  const ups = ctx.findUps(args[0]!);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  const denied = checkAction(ctx.users, session.username, session.password, "LOGIN");
  if (denied !== undefined) {
    ctx.log.notice(`Login refused for ${session.username ?? "(null)"}@${session.addr} on UPS [${ups.name}]: ${denied}`);
    sendError(session, "ACCESS-DENIED");
    return;
  }
  ups.numLogins++;
  session.loginUps = ups.name;
  ctx.log.info(`User ${session.username ?? "(null)"}@${session.addr} logged into UPS [${ups.name}]${session.ssl ? " (SSL)" : ""}`);
  session.send("OK\n");
}

/** LOGOUT: `OK Goodbye`, then the server closes the connection. */
export function netLogout(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (args.length !== 0) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (session.loginUps !== undefined) {
    ctx.log.info(`User ${session.username ?? "(null)"}@${session.addr} logged out from UPS [${session.loginUps}]${session.ssl ? " (SSL)" : ""}`);
  }
  session.send("OK Goodbye\n");
  session.closing = true;
}

/** do_net_primary(): true when the PRIMARY or MASTER action is held (the reply is the caller's). */
function primaryAllowed(ctx: UpsdContext, session: NetSession, args: readonly string[]): boolean {
  if (args.length !== 1) {
    sendError(session, "INVALID-ARGUMENT");
    return false;
  }
  const ups = ctx.findUps(args[0]!);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return false;
  }
  const primary = checkAction(ctx.users, session.username, session.password, "PRIMARY");
  if (primary !== undefined && checkAction(ctx.users, session.username, session.password, "MASTER") !== undefined) {
    if (primary !== "not-allowed") ctx.log.notice(`PRIMARY refused for ${session.username ?? "(null)"}@${session.addr} on UPS [${ups.name}]: ${primary}`);
    sendError(session, "ACCESS-DENIED");
    return false;
  }
  return true;
}

/** PRIMARY <ups> (NUT 2.8.0+). */
export function netPrimary(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  if (primaryAllowed(ctx, session, args)) session.send("OK PRIMARY-GRANTED\n");
}

/** MASTER <ups> (deprecated alias of PRIMARY). */
export function netMaster(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  ctx.log.debug(1, `WARNING: Client ${session.username ?? "(null)"}@${session.addr} requested MASTER level for device ${args[0] ?? "<null>"} - which is deprecated in favor of PRIMARY since NUT 2.8.0`);
  if (primaryAllowed(ctx, session, args)) session.send("OK MASTER-GRANTED\n");
}
