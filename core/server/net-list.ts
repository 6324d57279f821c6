/**
 * LIST: UPS, VAR, RW, CMD, CLIENT, ENUM, RANGE, with server/netlist.c's dispatch order, checks,
 * framing (`BEGIN LIST <SUB> <args>` … `END LIST <SUB> <args>`, the sub-command always in
 * uppercase, the names as the client typed them) and item order (net-protocol.md §4).
 */
import { encodeConfWord } from "../config/tokenizer.ts";
import { ST_FLAG_RW } from "../state/state-tree.ts";
import { sameWord, sendError, upsAvailable } from "./net-reply.ts";
import type { NetSession, ServedUps, UpsdContext } from "./upsd-context.ts";

/** get_ups_ptr() + ups_available(), the prologue of every per-UPS list but CLIENT. */
function availableUps(ctx: UpsdContext, session: NetSession, upsName: string): ServedUps | undefined {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return undefined;
  }
  return upsAvailable(ups, session) ? ups : undefined;
}

/** Sends the framed list; a failed write abandons the rest, as sendback() failing does. */
function sendList(session: NetSession, head: string, items: Iterable<string>): void {
  if (!session.send(`BEGIN LIST ${head}\n`)) return;
  for (const item of items) if (!session.send(item)) return;
  session.send(`END LIST ${head}\n`);
}

/** LIST UPS: ups.conf order; "Description unavailable" when there is no desc. */
function listUps(ctx: UpsdContext, session: NetSession): void {
  sendList(
    session,
    "UPS",
    ctx.upsList().map((u) => (u.desc !== undefined ? `UPS ${u.name} "${encodeConfWord(u.desc)}"\n` : `UPS ${u.name} "Description unavailable"\n`)),
  );
}

/** LIST VAR / LIST RW: the tree in case-insensitive name order; FSD prefix in VAR only. */
function listVars(ctx: UpsdContext, session: NetSession, upsName: string, rw: boolean): void {
  const ups = availableUps(ctx, session, upsName);
  if (!ups) return;
  const items: string[] = [];
  for (const node of ups.source.tree.variables()) {
    if (rw) {
      if (node.flags & ST_FLAG_RW) items.push(`RW ${upsName} ${node.name} "${node.escapedValue}"\n`);
    } else {
      const fsd = ups.fsd && sameWord(node.name, "ups.status") ? "FSD " : "";
      items.push(`VAR ${upsName} ${node.name} "${fsd}${node.escapedValue}"\n`);
    }
  }
  sendList(session, `${rw ? "RW" : "VAR"} ${upsName}`, items);
}

/** LIST CMD: commands in case-insensitive order. */
function listCmd(ctx: UpsdContext, session: NetSession, upsName: string): void {
  const ups = availableUps(ctx, session, upsName);
  if (!ups) return;
  sendList(session, `CMD ${upsName}`, ups.source.tree.commands().map((c) => `CMD ${upsName} ${c}\n`));
}

/** LIST ENUM / LIST RANGE: the driver's insertion order; an empty list is fine. */
function listEnumOrRange(ctx: UpsdContext, session: NetSession, kind: "ENUM" | "RANGE", upsName: string, varName: string): void {
  const ups = availableUps(ctx, session, upsName);
  if (!ups) return;
  const node = ups.source.tree.get(varName);
  if (!node) {
    sendError(session, "VAR-NOT-SUPPORTED");
    return;
  }
  const items =
    kind === "ENUM"
      ? node.enums.map((e) => `ENUM ${upsName} ${varName} "${e}"\n`)
      : node.ranges.map((r) => `RANGE ${upsName} ${varName} "${r.min}" "${r.max}"\n`);
  sendList(session, `${kind} ${upsName} ${varName}`, items);
}

/** LIST CLIENT: logged-in connections of that UPS, newest first; no freshness check. */
function listClients(ctx: UpsdContext, session: NetSession, upsName: string): void {
  const ups = ctx.findUps(upsName);
  if (!ups) {
    sendError(session, "UNKNOWN-UPS");
    return;
  }
  const items: string[] = [];
  for (const client of ctx.clients()) {
    if (client.loginUps !== undefined && sameWord(client.loginUps, ups.name)) items.push(`CLIENT ${client.loginUps} ${client.addr}\n`);
  }
  sendList(session, `CLIENT ${upsName}`, items);
}

/** net_list(): the LIST command (`args` are the words after LIST). */
export function netList(ctx: UpsdContext, session: NetSession, args: readonly string[]): void {
  const [sub, a1, a2] = args;
  if (sub === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "UPS")) return listUps(ctx, session);
  if (a1 === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "VAR")) return listVars(ctx, session, a1, false);
  if (sameWord(sub, "RW")) return listVars(ctx, session, a1, true);
  if (sameWord(sub, "CMD")) return listCmd(ctx, session, a1);
  if (sameWord(sub, "CLIENT")) return listClients(ctx, session, a1);
  if (a2 === undefined) {
    sendError(session, "INVALID-ARGUMENT");
    return;
  }
  if (sameWord(sub, "ENUM")) return listEnumOrRange(ctx, session, "ENUM", a1, a2);
  if (sameWord(sub, "RANGE")) return listEnumOrRange(ctx, session, "RANGE", a1, a2);
  sendError(session, "INVALID-ARGUMENT");
}
