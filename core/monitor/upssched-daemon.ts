/**
 * upssched's timer daemon (clients/upssched.c start_daemon() and the server functions): listens
 * on the unix socket PIPEFN (old file removed, created under umask 0007, then chmod 0660,
 * backlog 16), answers each request line `OK` or `ERR UNKNOWN`, runs CMDSCRIPT <timer> when a
 * timer expires, and leaves (removing PIPEFN) once it has had no timers for 15 seconds.
 *
 * Differences from NUT, on purpose:
 * - event driven instead of a 1-second select() loop, so a closed client connection is simply
 *   dropped (2.8.0 spun on it at 100 % CPU and then left as soon as its queue emptied) and a
 *   timer fires on time rather than on the next whole second;
 * - CMDSCRIPT runs one at a time in order, as NUT's synchronous system() does, but without
 *   stopping the daemon from answering requests meanwhile (NUT's clients waited); only a
 *   CANCEL that runs its command is answered after the command, as in NUT;
 * - a CANCEL's command gets the cancelling event's UPSNAME/NOTIFYTYPE/NOTIFYMSG (2.8.0 passed
 *   those of the event that spawned the daemon, 2.8.5 none at all).
 */
import { chmodSync, unlinkSync } from "node:fs";
import { type Server, type Socket, createServer } from "node:net";
import { parseCLong } from "../config/c-numbers.ts";
import { ConfTokenizer } from "../config/tokenizer.ts";
import type { NutLog } from "../system/nut-log.ts";
import { runCmdScript } from "./upssched-cmdscript.ts";
import {
  UPSSCHED_ERR_UNKNOWN,
  UPSSCHED_OK,
  type UpsschedRequest,
  formatTimerListing,
  parseUpsschedRequest,
  socketPathProblem,
} from "./upssched-protocol.ts";
import { type TimerOrigin, UpsschedTimerTable, timerEnvironment } from "./upssched-timer-table.ts";

/** EMPTY_WAIT passes of about a second each: how long the daemon waits without timers. */
export const UPSSCHED_IDLE_EXIT_MS = 15_000;
/** US_LISTEN_BACKLOG. */
const LISTEN_BACKLOG = 16;
/** Longest single sleep between checks, so a far timer never overflows setTimeout. */
const MAX_SLEEP_MS = 60_000;

/** How to run one daemon. */
export interface UpsschedDaemonOptions {
  pipeFn: string;
  lockFn: string;
  cmdScript: string;
  /**
   * Environment CMDSCRIPT starts from; the timer's (or the cancelling event's) UPSNAME,
   * NOTIFYTYPE and NOTIFYMSG are added, any others of those names removed.
   */
  env: Readonly<Record<string, string | undefined>>;
  log: NutLog;
  /** Default UPSSCHED_IDLE_EXIT_MS. */
  idleExitMs?: number;
  /** Runs CMDSCRIPT (default runCmdScript()); tests record the calls instead. */
  runScript?: (arg: string, env: Record<string, string>) => Promise<unknown>;
}

/** A fatal start-up problem, with NUT's text. */
export class UpsschedDaemonError extends Error {}

const EVENT_VARIABLES = ["UPSNAME", "NOTIFYTYPE", "NOTIFYMSG"];

/** One event's fields in the shape timerEnvironment() takes (empty ones left out). */
function originLists(o: TimerOrigin): Parameters<typeof timerEnvironment>[0] {
  const one = (v: string): string[] => (v !== "" ? [v] : []);
  return { upsNames: one(o.upsName), notifyTypes: one(o.notifyType), notifyMsgs: one(o.notifyMsg) };
}

/** The daemon, from listen() until it leaves. */
export class UpsschedDaemon {
  readonly #options: UpsschedDaemonOptions;
  readonly #log: NutLog;
  readonly #table = new UpsschedTimerTable();
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #scripts: Promise<void> = Promise.resolve();
  #pendingScripts = 0;
  #stopped = false;
  #resolveStopped: () => void = () => undefined;
  /** Resolves once the daemon has left (idle exit or stop()). */
  readonly stopped: Promise<void>;

  constructor(options: UpsschedDaemonOptions) {
    this.#options = options;
    this.#log = options.log;
    this.stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
  }

  /** Client connections currently open. */
  get connectionCount(): number {
    return this.#sockets.size;
  }

  /** The pending timers (for tests and listings). */
  get table(): UpsschedTimerTable {
    return this.#table;
  }

  /** open_sock(), then the lock is dropped; throws UpsschedDaemonError with NUT's texts. */
  async listen(): Promise<void> {
    const path = this.#options.pipeFn;
    const tooLong = socketPathProblem(path);
    if (tooLong !== undefined) throw new UpsschedDaemonError(tooLong);
    try {
      unlinkSync(path);
    } catch {
      // nothing to remove
    }
    const server = createServer((socket) => this.#accept(socket));
    const oldMask = process.umask(0o007);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ path, backlog: LISTEN_BACKLOG }, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      throw new UpsschedDaemonError(`bind ${path} failed: ${(err as Error).message}`);
    } finally {
      process.umask(oldMask);
    }
    this.#server = server;
    try {
      chmodSync(path, 0o660);
    } catch (err) {
      server.close();
      throw new UpsschedDaemonError(`chmod(${path}, 0660) failed: ${(err as Error).message}`);
    }
    this.#log.info("Timer daemon started");
    try {
      unlinkSync(this.#options.lockFn);
    } catch {
      // the lock was not ours, or is gone already
    }
    this.#reschedule();
  }

  /** Leaves now: PIPEFN removed, connections closed, pending timers dropped. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#idle);
    // unconditionally, as NUT does (and Bun's server.close() unlinks the path by name anyway)
    try {
      if (this.#server) unlinkSync(this.#options.pipeFn);
    } catch {
      // already gone
    }
    for (const s of this.#sockets) s.destroy();
    this.#server?.close();
    // a CMDSCRIPT still running is waited for, as NUT would have finished it first
    void this.#scripts.then(() => this.#resolveStopped());
  }

  #accept(socket: Socket): void {
    if (this.#stopped) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    const tokenizer = new ConfTokenizer({ recordDiscarded: false });
    // answers leave in request order, even when one waits for its CANCEL command to finish
    let answers: Promise<void> = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      for (const line of tokenizer.feed(chunk)) {
        if (line.error !== undefined) {
          this.#log.notice(`Parse error on sock: ${line.error}`);
          continue;
        }
        const answer = this.#handle(line.words);
        answers = answers.then(async () => this.#reply(socket, await answer));
      }
    });
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", (err) => this.#log.debug(2, `client connection error: ${err.message}`));
  }

  #reply(socket: Socket, text: string): void {
    if (!socket.destroyed) socket.write(text);
  }

  /**
   * sock_arg(): carries out one request line and returns the answer. A CANCEL that runs its
   * command is answered once the command has finished, as NUT's synchronous system() does, so
   * that upssched goes on to its next AT only afterwards.
   */
  #handle(words: string[]): string | Promise<string> {
    const request = parseUpsschedRequest(words);
    if (request === undefined) {
      this.#log.info("Unknown command on socket: ");
      words.forEach((w, i) => this.#log.info(`arg ${i}: ${w}`));
      return UPSSCHED_ERR_UNKNOWN;
    }
    switch (request.kind) {
      case "list":
        return formatTimerListing(this.#table.timers, Date.now());
      case "start":
        this.#start(request);
        break;
      case "cancel": {
        const ran = this.#cancel(request);
        if (ran) return ran.then(() => UPSSCHED_OK);
        break;
      }
    }
    return UPSSCHED_OK;
  }

  #start(request: Extract<UpsschedRequest, { kind: "start" }>): void {
    // start_timer(): strtol(ofsstr, NULL, 10)
    const offset = parseCLong(request.interval).value;
    if (offset < 0n) {
      this.#log.info("bogus offset for timer, ignoring");
      return;
    }
    const seconds = Number(offset);
    const clock = { monotonicMs: performance.now(), wallMs: Date.now() };
    const o = request.origin;
    const details = `${request.name}\t[${o?.notifyType ?? "(null)"}]\t[${o?.upsName ?? "(null)"}]\t[${o?.notifyMsg ?? "(null)"}]`;
    if (request.shared) {
      const { timer, joined } = this.#table.startShared(request.name, seconds, o, clock);
      if (joined) {
        const left = Math.round((timer.dueMs - clock.monotonicMs) / 1000);
        this.#log.info(`Append data to shared timer: ${details}\t(will elapse in ${left} seconds)`);
      } else {
        this.#log.info(`New timer: ${details}\t(will elapse in ${seconds} seconds)`);
      }
    } else {
      this.#table.start(request.name, seconds, o, clock);
      this.#log.info(`New timer: ${details}\t(will elapse in ${seconds} seconds)`);
    }
    this.#reschedule();
  }

  /** cancel_timer(); returns the run of the command when it runs one. */
  #cancel(request: Extract<UpsschedRequest, { kind: "cancel" }>): Promise<void> | undefined {
    const o = request.origin;
    const removed = this.#table.cancel(request.name, request.matched && o ? { upsName: o.upsName, notifyType: o.notifyType } : undefined);
    for (let i = 0; i < removed.length; i++) {
      this.#log.info(o && o.notifyMsg !== "" ? `Cancelling timer: ${request.name}: ${o.notifyMsg}` : `Cancelling timer: ${request.name}`);
    }
    if (removed.length === 0 && request.command !== undefined && request.command !== "") {
      // "not necessarily an error": the timer already fired (or never ran), so the command runs
      this.#log.info(`Cancel ${request.name}, event: ${request.command}`);
      const ran = this.#runScript(request.command, o ? originLists(o) : undefined);
      this.#reschedule();
      return ran;
    }
    this.#reschedule();
    return undefined;
  }

  /** Arms the wake-up for the next due timer, or the idle exit when there is none. */
  #reschedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.#table.nextDueMs();
    if (next === undefined) {
      if (this.#pendingScripts === 0 && this.#idle === undefined) {
        this.#idle = setTimeout(() => {
          this.#log.info("Timer queue empty, exiting");
          this.stop();
        }, this.#options.idleExitMs ?? UPSSCHED_IDLE_EXIT_MS);
      }
      return;
    }
    clearTimeout(this.#idle);
    this.#idle = undefined;
    const wait = Math.min(Math.max(0, next - performance.now()), MAX_SLEEP_MS);
    this.#timer = setTimeout(() => this.#fire(), Math.ceil(wait));
  }

  /** checktimers(): every due timer runs CMDSCRIPT <name>, in queue order, and is removed. */
  #fire(): void {
    for (const timer of this.#table.takeExpired(performance.now())) {
      this.#log.info(`Event: ${timer.name} `);
      this.#runScript(timer.name, timer);
    }
    this.#reschedule();
  }

  /** Queues one CMDSCRIPT run after those already queued; resolves when it has finished. */
  #runScript(arg: string, origin: Parameters<typeof timerEnvironment>[0] | undefined): Promise<void> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#options.env)) if (v !== undefined && !EVENT_VARIABLES.includes(k)) env[k] = v;
    if (origin) Object.assign(env, timerEnvironment(origin));
    const run = this.#options.runScript ?? ((a: string, e: Record<string, string>) => runCmdScript(this.#options.cmdScript, a, e, this.#log));
    this.#pendingScripts++;
    clearTimeout(this.#idle);
    this.#idle = undefined;
    const done = this.#scripts
      .then(() => run(arg, env))
      .catch((err: unknown) => this.#log.error(`Execute command failure: ${String(err)}`))
      .then(() => {
        this.#pendingScripts--;
        this.#reschedule();
      });
    this.#scripts = done;
    return done;
  }
}
