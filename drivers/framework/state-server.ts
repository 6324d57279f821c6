/**
 * The driver side of the driver-socket protocol (NUT's dstate.c sock_arg()/sock_read()): any
 * number of peers, each getting DUMPALL on request, every broadcast change, PONG for PING and
 * TRACKING replies for SET/INSTCMD. Peers are abstract (`StatePeer`), so the same server serves
 * the unix socket (unix-state-socket.ts) and, later, an upsd hosted in the same process.
 */
import { type ServerCommand, type SockParseError, SockLineReader, dumpAll, dumpValue, formatSockMessage, parseSockLine } from "../../core/protocol/sock-protocol.ts";
import type { NutLog } from "../../core/system/nut-log.ts";
import type { DriverState } from "./driver-state.ts";
import type { HandlerStatus } from "./driver.ts";

/** One connected client of the driver (upsd, upsdrvctl, a clone driver …). */
export interface StatePeer {
  /** Queues text for the peer; false means the peer is gone or hopelessly behind. */
  send(text: string): boolean;
  /** Closes the connection (the server calls this after LOGOUT or a failed send). */
  close(): void;
}

/** What the driver does with SET and INSTCMD; absent handlers are logged as NUT logs them. */
export interface StateHandlers {
  instCmd?(name: string, param: string | undefined): Promise<HandlerStatus> | HandlerStatus;
  setVar?(name: string, value: string): Promise<HandlerStatus> | HandlerStatus;
}

/** A peer attached to the server: feed it what the peer sent, detach it when it is gone. */
export interface StateSession {
  receive(bytes: Uint8Array): void;
  detach(): void;
}

interface SessionState {
  peer: StatePeer;
  reader: SockLineReader;
  broadcast: boolean;
  queue: Promise<void>;
  closed: boolean;
}

/** Serves one DriverState to any number of peers. */
export class StateServer {
  readonly #state: DriverState;
  readonly #handlers: StateHandlers;
  readonly #log: NutLog;
  readonly #sessions = new Set<SessionState>();
  readonly #unsubscribe: () => void;

  constructor(state: DriverState, handlers: StateHandlers, log: NutLog) {
    this.#state = state;
    this.#handlers = handlers;
    this.#log = log;
    this.#unsubscribe = state.listen((message) => {
      const line = formatSockMessage(message);
      for (const s of this.#sessions) if (s.broadcast) this.#sendTo(s, line);
    });
  }

  /** Number of attached peers. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Attaches a new peer. */
  attach(peer: StatePeer): StateSession {
    const s: SessionState = { peer, reader: new SockLineReader(), broadcast: true, queue: Promise.resolve(), closed: false };
    this.#sessions.add(s);
    this.#log.debug(3, "new connection on socket");
    return {
      receive: (bytes) => {
        if (s.closed) return;
        for (const line of s.reader.push(bytes)) {
          if (line.error !== undefined) {
            this.#log.notice(`Parse error on sock: ${line.error}`);
            continue;
          }
          if (line.words.length === 0) continue;
          // lines are handled strictly in order: a SET must finish before the next line runs
          s.queue = s.queue.then(() => this.#handle(s, line.words)).catch((err: unknown) => {
            this.#log.error(`socket command failed: ${String(err)}`);
          });
        }
      },
      detach: () => this.#drop(s),
    };
  }

  /** Detaches every peer and stops listening to the state. */
  close(): void {
    this.#unsubscribe();
    for (const s of [...this.#sessions]) {
      this.#drop(s);
      s.peer.close();
    }
  }

  #drop(s: SessionState): void {
    s.closed = true;
    this.#sessions.delete(s);
  }

  #sendTo(s: SessionState, text: string): boolean {
    if (s.closed) return false;
    if (s.peer.send(text)) return true;
    // dstate.c: a failed or short write disconnects that peer (upsd reconnects and re-dumps)
    this.#log.debug(0, "WARNING: write to socket failed, disconnecting");
    this.#drop(s);
    s.peer.close();
    return false;
  }

  #unknown(words: readonly string[], error?: SockParseError): void {
    if (error?.error === "malformed-instcmd") this.#log.notice("Malformed INSTCMD request");
    if (error?.error === "unsupported-set-parameters") {
      this.#log.notice(`Got SET ${words[1] ?? ""} with unsupported parameters (${error.params[0]}/${error.params[1]})`);
    }
    this.#log.info("Unknown command on socket: ");
    words.forEach((w, i) => this.#log.info(`arg ${i}: ${w}`));
  }

  async #handle(s: SessionState, words: string[]): Promise<void> {
    if (s.closed) return;
    const parsed = parseSockLine(words, "server");
    if (!parsed.ok) {
      this.#unknown(words, parsed.error);
      return;
    }
    const command = parsed.message as ServerCommand;
    switch (command.type) {
      case "DUMPALL":
        this.#sendTo(s, dumpAll(this.#state.tree, { stale: this.#state.stale }).join(""));
        return;
      case "DUMPVALUE":
      case "DUMPSTATUS": {
        const name = command.type === "DUMPVALUE" ? command.name : "ups.status";
        this.#sendTo(s, dumpValue(this.#state.tree, name, { stale: this.#state.stale }).join(""));
        return;
      }
      case "PING":
        this.#sendTo(s, "PONG\n");
        return;
      case "NOBROADCAST":
        s.broadcast = false;
        return;
      case "BROADCAST":
        s.broadcast = command.level === undefined || command.level > 0;
        return;
      case "GETPID":
        this.#sendTo(s, `PID ${process.pid}\n`);
        return;
      case "LOGOUT":
        this.#sendTo(s, "OK Goodbye\n");
        this.#drop(s);
        s.peer.close();
        return;
      case "INSTCMD": {
        if (!this.#handlers.instCmd) {
          this.#log.notice("Got INSTCMD, but driver lacks a handler");
          return;
        }
        const status = await this.#handlers.instCmd(command.name, command.param);
        if (command.tracking !== undefined) this.#sendTo(s, `TRACKING ${command.tracking} ${status}\n`);
        return;
      }
      case "SET": {
        if (!this.#handlers.setVar) {
          this.#log.notice("Got SET, but driver lacks a handler");
          return;
        }
        const status = await this.#handlers.setVar(command.name, command.value);
        if (command.tracking !== undefined) this.#sendTo(s, `TRACKING ${command.tracking} ${status}\n`);
        return;
      }
    }
  }
}
