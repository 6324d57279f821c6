/**
 * The short-lived upssched's side of PIPEFN (clients/upssched.c try_connect(), check_parent(),
 * sendcmd()): connect to the timer daemon, start one when there is none (unless the request is
 * a CANCEL without a command: with no daemon there is nothing to cancel), send the request line
 * and wait for `OK`, with NUT's 30 attempts and its log texts. LOCKFN, created with
 * O_CREAT|O_EXCL, keeps two upsscheds started at the same moment from both spawning a daemon.
 */
import { closeSync, constants, openSync, unlinkSync } from "node:fs";
import { type Socket, createConnection } from "node:net";
import type { NutLog } from "../system/nut-log.ts";
import { type UpsschedRequestName, formatUpsschedRequest, readTimerListing, socketPathProblem } from "./upssched-protocol.ts";
import type { TimerOrigin } from "./upssched-timer-table.ts";

/** MAX_TRIES. */
const MAX_TRIES = 30;
/** The pause between lock attempts (usleep(250000)). */
const LOCK_RETRY_MS = 250;
/**
 * How long a freshly spawned daemon gets to start listening (NUT waits for its readiness pipe
 * without a limit; a loaded machine can take seconds to start a process).
 */
const DAEMON_START_MS = 30_000;
/** How often the client looks whether the daemon listens yet. */
const DAEMON_POLL_MS = 25;
/**
 * How long `upssched -l` waits for the listing. Other requests wait as long as it takes, as in
 * NUT: a CANCEL whose command runs is answered when the command has finished, and repeating
 * the request would run the command twice.
 */
const LISTING_TIMEOUT_MS = 10_000;

/** A daemon the client started: the client stops waiting for it once it has exited. */
export interface SpawnedUpsschedDaemon {
  readonly exited: Promise<unknown>;
}

/** What the client needs. */
export interface UpsschedClientOptions {
  pipeFn: string;
  lockFn: string;
  log: NutLog;
  /** Starts a timer daemon in the background (called while this client holds LOCKFN). */
  spawnDaemon: () => SpawnedUpsschedDaemon;
}

/** A fatalx() of the client: the message for stderr, exit 1. */
export class UpsschedClientFatal extends Error {}

/** glibc strerror() texts for what the lock file can fail with. */
const STRERROR: Readonly<Record<string, string>> = {
  EEXIST: "File exists",
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOTDIR: "Not a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
};

function strerror(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && STRERROR[code] !== undefined) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

/** check_unix_socket_filename(): a path sockaddr_un cannot hold is fatal. */
function checkSocketPath(path: string): void {
  const problem = socketPathProblem(path);
  if (problem !== undefined) throw new UpsschedClientFatal(problem);
}

/** try_connect(): a connected socket, or undefined when nobody listens at `path`. */
function tryConnect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      socket.on("error", () => undefined);
      resolve(socket);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(undefined);
    });
  });
}

/**
 * Writes `request` and collects the answer until `complete` says it is whole, the daemon closes
 * the connection, or `timeoutMs` (if given) pass. The socket is closed afterwards.
 */
function exchange(
  socket: Socket,
  request: string,
  complete: (answer: string) => boolean,
  timeoutMs?: number,
): Promise<{ written: boolean; answer: string }> {
  return new Promise((resolve) => {
    let answer = "";
    let written = false;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ written, answer });
    };
    const timer = timeoutMs !== undefined ? setTimeout(finish, timeoutMs) : undefined;
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      if (complete(answer)) finish();
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(request, (err) => {
      if (err) finish();
      else written = true;
    });
  });
}

/** get_lock(): creates LOCKFN exclusively (mode 0); the error when it cannot. */
function takeLock(path: string): { ok: true } | { ok: false; error: unknown } {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_CREAT | constants.O_EXCL, 0));
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * check_parent(): a socket connected to the daemon, "unnecessary" for a CANCEL without a
 * command when no daemon runs, or "started" when a daemon was spawned but did not listen in time.
 */
async function checkParent(options: UpsschedClientOptions, cancelOnly: boolean): Promise<Socket | "unnecessary" | "started"> {
  let lastError: unknown;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const socket = await tryConnect(options.pipeFn);
    if (socket) return socket;
    if (cancelOnly) return "unnecessary";
    const lock = takeLock(options.lockFn);
    if (lock.ok) {
      const daemon = options.spawnDaemon();
      let ended = false;
      void daemon.exited.then(() => (ended = true));
      const deadline = performance.now() + DAEMON_START_MS;
      while (!ended && performance.now() < deadline) {
        await Bun.sleep(DAEMON_POLL_MS);
        const connected = await tryConnect(options.pipeFn);
        if (connected) return connected;
      }
      if (ended) options.log.debug(1, "timer daemon exited before it listened");
      return "started";
    }
    lastError = lock.error;
    // someone else holds the lock: another upssched starting the daemon, or a stale lock
    try {
      unlinkSync(options.lockFn);
    } catch {
      // gone already
    }
    await Bun.sleep(LOCK_RETRY_MS);
  }
  throw new UpsschedClientFatal(`Failed to connect to parent and failed to create parent: ${strerror(lastError)}`);
}

/**
 * sendcmd(): `verb` with its arguments and the event, to the daemon (started if need be); resolves
 * once the daemon answered OK, throws UpsschedClientFatal after MAX_TRIES failed attempts.
 */
export async function sendUpsschedRequest(
  options: UpsschedClientOptions,
  verb: Exclude<UpsschedRequestName, "LIST-TIMERS">,
  arg1: string,
  arg2: string | undefined,
  origin: TimerOrigin,
): Promise<void> {
  checkSocketPath(options.pipeFn);
  const request = formatUpsschedRequest(verb, arg1, arg2, origin);
  // an empty command can never run, so it does not need a daemon either
  const cancelOnly = verb === "CANCEL" && (arg2 === undefined || arg2 === "");
  for (let i = 0; i < MAX_TRIES; i++) {
    const parent = await checkParent(options, cancelOnly);
    if (parent === "unnecessary") return;
    if (parent === "started") {
      await Bun.sleep(LOCK_RETRY_MS);
      continue;
    }
    const { written, answer } = await exchange(parent, request, (a) => a.includes("\n"));
    if (!written) {
      options.log.error("write failed, trying again");
      continue;
    }
    if (answer.length < 2) {
      options.log.error("read confirmation failed, trying again");
      continue;
    }
    if (answer.startsWith("OK")) return;
    options.log.error(`read confirmation got [${answer}]`);
  }
  throw new UpsschedClientFatal("Unable to connect to daemon and unable to start daemon");
}

/** `upssched -l` (2.8.5): the daemon's timer lines, as printed; never starts a daemon. */
export async function listUpsschedTimers(options: Omit<UpsschedClientOptions, "spawnDaemon">, origin: TimerOrigin): Promise<string> {
  checkSocketPath(options.pipeFn);
  const socket = await tryConnect(options.pipeFn);
  if (!socket) {
    options.log.debug(1, `failed to use PIPEFN='${options.pipeFn}'`);
    throw new UpsschedClientFatal("upssched timer is not running");
  }
  const { written, answer } = await exchange(socket, formatUpsschedRequest("LIST-TIMERS", undefined, undefined, origin), (a) => readTimerListing(a) !== undefined, LISTING_TIMEOUT_MS);
  const listing = readTimerListing(answer);
  if (listing !== undefined) return listing;
  options.log.error(written ? "read confirmation failed, daemon must have ended" : "write failed, daemon must have ended");
  throw new UpsschedClientFatal("Unable to connect to daemon or connection was broken during listing");
}
