/**
 * The command table and dispatcher of upsd (server/netcmds.h, upsd.c parse_net() and
 * check_command()): the first word picks the verb case-insensitively; verbs flagged FLAG_USER
 * need USERNAME, then PASSWORD, to have been sent (their values are checked later, by the verb);
 * the verb gets the remaining words.
 */
import { netGet } from "./net-get.ts";
import { netInstcmd } from "./net-instcmd.ts";
import { netList } from "./net-list.ts";
import { netFsd, netHelp, netNetver, netVer } from "./net-misc.ts";
import { sameWord, sendError } from "./net-reply.ts";
import { netSet } from "./net-set.ts";
import { netStartTls } from "./net-ssl.ts";
import { netLogin, netLogout, netMaster, netPassword, netPrimary, netUsername } from "./net-user.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** A verb handler: the words after the command word. */
export type NetVerb = (ctx: UpsdContext, session: NetSession, args: readonly string[]) => void;

/** One row of netcmds[]. */
export interface NetCommand {
  readonly name: string;
  readonly run: NetVerb;
  /** FLAG_USER: USERNAME and PASSWORD must have been sent first. */
  readonly needsUser: boolean;
}

/** netcmds[] of NUT 2.8.0, in its order. */
export const NET_COMMANDS: readonly NetCommand[] = Object.freeze([
  { name: "VER", run: netVer, needsUser: false },
  { name: "NETVER", run: netNetver, needsUser: false },
  { name: "PROTVER", run: netNetver, needsUser: false },
  { name: "HELP", run: netHelp, needsUser: false },
  { name: "STARTTLS", run: netStartTls, needsUser: false },
  { name: "GET", run: netGet, needsUser: false },
  { name: "LIST", run: netList, needsUser: false },
  { name: "USERNAME", run: netUsername, needsUser: false },
  { name: "PASSWORD", run: netPassword, needsUser: false },
  { name: "LOGIN", run: netLogin, needsUser: true },
  { name: "LOGOUT", run: netLogout, needsUser: false },
  { name: "PRIMARY", run: netPrimary, needsUser: true },
  { name: "MASTER", run: netMaster, needsUser: true },
  { name: "FSD", run: netFsd, needsUser: true },
  { name: "SET", run: netSet, needsUser: true },
  { name: "INSTCMD", run: netInstcmd, needsUser: true },
]);

/** The table by exact name: clients send verbs in capitals, so most lookups end here. */
const BY_NAME: ReadonlyMap<string, NetCommand> = new Map(NET_COMMANDS.map((c) => [c.name, c]));

/** parse_net(): answers one request line (its words). */
export function dispatchRequest(ctx: UpsdContext, session: NetSession, words: readonly string[]): void {
  const first = words[0];
  const command = first === undefined ? undefined : (BY_NAME.get(first) ?? NET_COMMANDS.find((c) => sameWord(c.name, first)));
  if (!command) {
    sendError(session, "UNKNOWN-COMMAND");
    return;
  }
  if (command.needsUser) {
    if (session.username === undefined) {
      ctx.log.debug(1, "check_command: client not logged in yet");
      sendError(session, "USERNAME-REQUIRED");
      return;
    }
    if (session.password === undefined) {
      ctx.log.debug(1, "check_command: client not logged in yet");
      sendError(session, "PASSWORD-REQUIRED");
      return;
    }
  }
  command.run(ctx, session, words.slice(1));
}
