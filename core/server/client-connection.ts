/**
 * One client connection of upsd (server/upsd.c client_connect(), client_readline(),
 * sendback(), client_disconnect()): received bytes are cut into the 512-byte pieces upsd's
 * read() takes and tokenized per connection; each complete line is answered through the verb
 * table, the reply to one request going out in one write (TCP_NODELAY is on). A client that
 * stops reading while it keeps sending is dropped once its unsent output passes a bound, rather
 * than letting it grow upsd's memory.
 */
import type { SecureContext } from "node:tls";
import { NetRequestTokenizer, readChunks } from "../protocol/net-request.ts";
import type { ClientTransport } from "./client-transport.ts";
import { dispatchRequest } from "./net-commands.ts";
import type { NetSession, UpsdContext } from "./upsd-context.ts";

/** Unsent reply bytes past which a client is disconnected. */
export const MAX_CLIENT_BACKLOG = 1024 * 1024;

/** What the server learns from a connection. */
export interface ClientEvents {
  /** Before each received piece of data is handled (upsd refreshes its drivers' state then). */
  beforeRequests(): void;
  /** The connection is gone; the server forgets it (declogins etc.). */
  closed(connection: ClientConnection): void;
}

/** A client connection and its session state (nut_ctype_t). */
export class ClientConnection implements NetSession {
  readonly addr: string;
  username?: string;
  password?: string;
  loginUps?: string;
  tracking = false;
  ssl = false;
  closing = false;
  /** time() of the last complete request line (or of the connection). */
  lastHeard: number;
  readonly #transport: ClientTransport;
  readonly #ctx: UpsdContext;
  readonly #events: ClientEvents;
  readonly #tokenizer = new NetRequestTokenizer();
  #pending: string[] = [];
  #closed = false;
  /** Set while a STARTTLS upgrade is replacing the stream: input after it in that read is dropped. */
  #switching = false;

  constructor(transport: ClientTransport, ctx: UpsdContext, events: ClientEvents) {
    this.#transport = transport;
    this.#ctx = ctx;
    this.#events = events;
    this.addr = transport.remoteAddress || "unknown";
    this.lastHeard = ctx.now();
    transport.attach({
      data: (bytes) => this.#onData(bytes),
      error: (err) => {
        this.#ctx.log.debug(2, `Disconnect ${this.addr} (read failure: ${err.message})`);
        this.close();
      },
      close: () => this.close(),
      end: () => {
        this.#ctx.log.debug(2, `Disconnect ${this.addr} (no data available)`);
        this.close();
      },
      secure: () => this.#ctx.log.info(`SSL handshake done successfully with client ${this.addr}`),
    });
  }

  /** True once the connection has been closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * STARTTLS: the queued plaintext reply (`OK STARTTLS`) goes out first, then the stream is
   * TLS; input after STARTTLS in the same read is dropped, as upsd's SSL_accept() takes over the fd.
   */
  startTls(context: SecureContext): void {
    this.#flush();
    this.ssl = true;
    this.#switching = true;
    this.#transport.startTls(context);
  }

  send(line: string): boolean {
    if (this.#closed) return false;
    this.#pending.push(line);
    return true;
  }

  /** Writes the queued reply lines in one write. */
  #flush(): void {
    if (this.#pending.length === 0 || this.#closed) return;
    const text = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join("");
    this.#pending = [];
    if (this.#ctx.log.debugLevel >= 2) this.#ctx.log.debug(2, `write: [${this.addr}] [${text.replace(/\n$/, "")}]`);
    this.#transport.writeText(text);
    if (this.#transport.unsentBytes > MAX_CLIENT_BACKLOG) {
      this.#ctx.log.notice(`Disconnect ${this.addr}: it does not read its replies (${this.#transport.unsentBytes} bytes unsent)`);
      this.close();
    }
  }

  #onData(data: Uint8Array): void {
    if (this.#closed) return;
    this.#events.beforeRequests();
    for (const chunk of readChunks(data)) {
      const result = this.#tokenizer.feedChunk(chunk);
      for (const words of result.lines) {
        if (this.#closed) return;
        // a line after LOGOUT in the same read renews last_heard, so upsd keeps the client
        this.lastHeard = this.#ctx.now();
        this.closing = false;
        dispatchRequest(this.#ctx, this, words);
        this.#flush();
        if (this.#switching) break;
      }
      if (result.error !== undefined) this.#ctx.log.notice(`Parse error on sock: ${result.error}`);
      if (this.#switching) break;
    }
    this.#switching = false;
    // LOGOUT: upsd drops the client at the top of its next loop, right after this read
    if (this.closing) this.close();
  }

  /** Idle check of upsd's main loop: true when it was closed for inactivity (> 60 s). */
  closeIfIdle(nowSeconds: number): boolean {
    if (nowSeconds - this.lastHeard > 60) {
      this.close();
      return true;
    }
    return false;
  }

  /** client_disconnect(): closes the socket and tells the server. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#ctx.log.debug(2, `Disconnect from ${this.addr}`);
    // LOGOUT's "OK Goodbye" is already queued in the socket: end() sends it before the FIN
    const transport = this.#transport;
    if (transport.unsentBytes > MAX_CLIENT_BACKLOG) {
      transport.destroy();
    } else {
      transport.end();
      // a peer that never reads would keep the half-closed socket forever
      setTimeout(() => transport.destroy(), 5000).unref();
    }
    this.#events.closed(this);
  }
}
