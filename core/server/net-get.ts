/**
 * GET: TRACKING, NUMLOGINS, UPSDESC, VAR, TYPE, DESC, CMDDESC, with server/netget.c's dispatch
 * order, checks and exact reply texts (net-protocol.md §3).
 */
import { encodeConfWord } from "../config/tokenizer.ts";
import { UPS_VERSION } from "../protocol/nut-version.ts";
import { ST_FLAG_RW, ST_FLAG_STRING } from "../state/state-tree.ts";
import { sameWord, sendError, upsAvailable } from "./net-reply.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** The VER line without its LF, also served as `server.info` (netmisc.c net_ver()). */
export function serverInfoText(): string {
  return `Network UPS Tools upsd ${UPS_VERSION} - http://www.networkupstools.org/`;
}

/** GET NUMLOGINS <ups>. */
function getNumLogins(ctx: UpsdContext, session: NetSession, upsName: string): void {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  if (!upsAvailable(ups, session)) return;
  session.send(`NUMLOGINS ${upsName} ${ups.numLogins}\n`);
}

/** GET UPSDESC <ups>: no freshness check; "Unavailable" (not "Description unavailable") without desc. */
function getUpsDesc(ctx: UpsdContext, session: NetSession, upsName: string): void {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  session.send(ups.desc !== undefined ? `UPSDESC ${upsName} "${encodeConfWord(ups.desc)}"\n` : `UPSDESC ${upsName} "Unavailable"\n`);
}

/** GET DESC / GET CMDDESC: the variable or command need not exist. */
function getDescription(ctx: UpsdContext, session: NetSession, kind: "DESC" | "CMDDESC", upsName: string, name: string): void {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  if (!upsAvailable(ups, session)) return;
  const text = kind === "DESC" ? ctx.descriptions.variable(name) : ctx.descriptions.command(name);
  session.send(`${kind} ${upsName} ${name} "${text ?? "Description unavailable"}"\n`);
}

/** GET TYPE <ups> <var>: `RW`, `ENUM`, `RANGE`, then `STRING:<aux>` or `NUMBER`. */
function getType(ctx: UpsdContext, session: NetSession, upsName: string, varName: string): void {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  if (!upsAvailable(ups, session)) return;
  const node = ups.source.tree.get(varName);
  if (!node) {
    sendError(session, "VAR-NOT-SUPPORTED");
    return;
  }
  let line = `TYPE ${upsName} ${varName}`;
  if (node.flags & ST_FLAG_RW) line += " RW";
  if (node.enums.length > 0) line += " ENUM";
  if (node.ranges.length > 0) line += " RANGE";
  line += node.flags & ST_FLAG_STRING ? ` STRING:${node.aux}` : " NUMBER";
  session.send(`${line}\n`);
}

/** GET VAR <any> server.*: the UPS name is not checked; the variable is echoed lowercase. */
function getServerVar(session: NetSession, upsName: string, varName: string): void {
  if (sameWord(varName, "server.info")) {
    session.send(`VAR ${upsName} server.info "${serverInfoText()}"\n`);
  } else if (sameWord(varName, "server.version")) {
    session.send(`VAR ${upsName} server.version "${UPS_VERSION}"\n`);
  } else {
    sendError(session, "VAR-NOT-SUPPORTED");
  }
}

/** GET VAR <ups> <var>: the FSD latch shows as `FSD ` before ups.status. */
function getVar(ctx: UpsdContext, session: NetSession, upsName: string, varName: string): void {
  if (sameWord(varName.slice(0, 7), "server.")) {
    getServerVar(session, upsName, varName);
    return;
  }
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  if (!upsAvailable(ups, session)) return;
  const value = ups.source.tree.getEscapedValue(varName);
  if (value === undefined) {
    sendError(session, "VAR-NOT-SUPPORTED");
    return;
  }
  const fsd = ups.fsd && sameWord(varName, "ups.status") ? "FSD " : "";
  session.send(`VAR ${upsName} ${varName} "${fsd}${value}"\n`);
}

/** net_get(): the GET command (`args` are the words after GET). */
export function netGet(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  const [sub, a1, a2] = args;
  if (sub === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "TRACKING")) {
    if (a1 === undefined) session.send(session.tracking ? "ON\n" : "OFF\n");
    else if (session.tracking) session.send(`${ctx.tracking.get(a1)}\n`);
    else sendError(session, "FEATURE-NOT-CONFIGURED");
    return;
  }
  if (a1 === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "NUMLOGINS")) return getNumLogins(ctx, session, a1);
  if (sameWord(sub, "UPSDESC")) return getUpsDesc(ctx, session, a1);
  if (a2 === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "VAR")) return getVar(ctx, session, a1, a2);
  if (sameWord(sub, "TYPE")) return getType(ctx, session, a1, a2);
  if (sameWord(sub, "DESC")) return getDescription(ctx, session, "DESC", a1, a2);
  if (sameWord(sub, "CMDDESC")) return getDescription(ctx, session, "CMDDESC", a1, a2);
  sendError(session, "INVALID-ARGUMENT");
}
