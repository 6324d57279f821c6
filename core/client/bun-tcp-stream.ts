/**
 * A TCP connection on Bun's native sockets (Bun.connect, and upgradeTLS() for STARTTLS) behind
 * the few net.Socket methods NutClient uses: `on`/`once`/`off` for data, end, close and error,
 * `write` with a completion callback, `destroy`, `pause`, `setNoDelay`.
 *
 * Why: importing node:net (or node:tls, node:tty: anything built on node:stream) costs a Bun
 * program ~20 ms of start-up, more than the rest of a upsc run; Bun.connect is a global and
 * costs nothing to load. NutClient uses this for plaintext sessions and for STARTTLS without
 * certificate verification (upsc, upslog, the dummy-ups repeater), and node:tls where the
 * server's certificate must be checked.
 */
import type { Socket } from "bun";

/** The events a BunTcpStream emits, with their listeners' signatures (net.Socket's). */
interface StreamEvents {
  data: (chunk: Buffer) => void;
  end: () => void;
  close: () => void;
  error: (err: Error) => void;
}
type Event = keyof StreamEvents;
type Listener = (arg?: unknown) => void;

/** A write waiting for the socket to drain; `done` runs once its last byte is handed over. */
interface QueuedWrite {
  bytes: Uint8Array;
  done?: (() => void) | undefined;
}

/** TLS settings for startTls(): Bun's names for node:tls's options. */
export interface BunTlsOptions {
  rejectUnauthorized: boolean;
  serverName?: string;
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** An error of a Bun socket, with the `syscall` net.Socket errors carry (NutClient tells reads from writes by it). */
function withSyscall(err: Error, syscall: string): Error {
  const e = err as Error & { syscall?: string };
  e.syscall ??= syscall;
  return e;
}

/** The handlers a BunTcpStream gives Bun for its socket (plain or TLS). */
interface Handlers {
  data(socket: Socket<BunTcpStream | undefined>, data: Buffer): void;
  drain(socket: Socket<BunTcpStream | undefined>): void;
  end(socket: Socket<BunTcpStream | undefined>): void;
  close(socket: Socket<BunTcpStream | undefined>, error?: Error): void;
  error(socket: Socket<BunTcpStream | undefined>, error: Error): void;
}

const HANDLERS: Handlers = {
  data: (s, data) => s.data?.emit("data", data),
  drain: (s) => s.data?.flushQueue(),
  end: (s) => s.data?.emit("end"),
  close: (s, error) => {
    if (error) s.data?.emit("error", withSyscall(error, "read"));
    s.data?.closed();
  },
  error: (s, error) => s.data?.emit("error", withSyscall(error, "read")),
};

/** One side of a connection: the TCP socket, or the TLS session on top of it. */
export class BunTcpStream {
  #socket: Socket<BunTcpStream | undefined>;
  readonly #listeners = new Map<Event, Listener[]>();
  readonly #queue: QueuedWrite[] = [];
  #destroyed = false;
  #closeEmitted = false;

  private constructor(socket: Socket<BunTcpStream | undefined>) {
    this.#socket = socket;
    socket.data = this;
  }

  /**
   * connect() to an address literal. Rejects with Bun's error (its `code` is the errno name,
   * ECONNREFUSED…) or, after `timeoutMs`, with an ETIMEDOUT error.
   */
  static async connect(address: string, port: number, timeoutMs?: number): Promise<BunTcpStream> {
    const connecting = Bun.connect<BunTcpStream | undefined>({ hostname: address, port, data: undefined, socket: HANDLERS });
    if (timeoutMs === undefined) return new BunTcpStream(await connecting);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error("connect timed out"), { code: "ETIMEDOUT", syscall: "connect" })), timeoutMs);
    });
    try {
      return new BunTcpStream(await Promise.race([connecting, timeout]));
    } catch (err) {
      // a connection that comes up after the timeout is not wanted any more
      connecting.then((s) => s.terminate(), () => {});
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  get writable(): boolean {
    // readyState 1: established
    return !this.#destroyed && this.#socket.readyState === 1;
  }

  on<E extends Event>(event: E, listener: StreamEvents[E]): this {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as Listener);
    this.#listeners.set(event, list);
    return this;
  }

  once<E extends Event>(event: E, listener: StreamEvents[E]): this {
    const wrapper = (arg?: unknown): void => {
      this.#listeners.set(event, (this.#listeners.get(event) ?? []).filter((l) => l !== wrapper));
      (listener as Listener)(arg);
    };
    const list = this.#listeners.get(event) ?? [];
    list.push(wrapper);
    this.#listeners.set(event, list);
    return this;
  }

  off<E extends Event>(event: E, listener: StreamEvents[E]): this {
    const list = this.#listeners.get(event);
    if (list) this.#listeners.set(event, list.filter((l) => l !== listener));
    return this;
  }

  /** @internal Called by the socket handlers. */
  emit(event: Event, arg?: unknown): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(arg);
  }

  /** @internal The socket is gone: `close` once. */
  closed(): void {
    this.#destroyed = true;
    if (this.#closeEmitted) return;
    this.#closeEmitted = true;
    this.emit("close");
  }

  setNoDelay(on: boolean): this {
    this.#socket.setNoDelay(on);
    return this;
  }

  /** Reads stop mattering after `OK STARTTLS`: NutClient detaches its listeners, TLS takes the socket over. */
  pause(): this {
    return this;
  }

  /** Writes `text` as UTF-8 (as net.Socket does); `done` once it is all handed to the kernel. */
  write(text: string, done?: () => void): boolean {
    if (this.#destroyed) {
      queueMicrotask(() => this.emit("error", withSyscall(Object.assign(new Error("write after end"), { code: "EPIPE" }), "write")));
      return false;
    }
    this.#queue.push({ bytes: Buffer.from(text, "utf8"), done });
    this.flushQueue();
    return this.#queue.length === 0;
  }

  /** @internal Hands queued bytes to the socket as far as it takes them (called again on drain). */
  flushQueue(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const written = this.#socket.write(head.bytes);
      if (written < 0) {
        this.#queue.length = 0;
        this.emit("error", withSyscall(Object.assign(new Error("Broken pipe"), { code: "EPIPE" }), "write"));
        return;
      }
      if (written < head.bytes.length) {
        head.bytes = head.bytes.subarray(written);
        return;
      }
      this.#queue.shift();
      head.done?.();
    }
  }

  /** Closes the connection (FIN after what was written); `close` follows. */
  destroy(): this {
    if (this.#destroyed) return this;
    this.#destroyed = true;
    this.#queue.length = 0;
    this.#socket.end();
    return this;
  }

  /**
   * STARTTLS: runs the TLS handshake on this connection and resolves with the TLS session as a
   * new stream (this one then only reports the connection's close). Rejects when the handshake
   * fails or the connection ends first.
   */
  startTls(options: BunTlsOptions): Promise<BunTcpStream> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const tlsOptions: Record<string, unknown> = { rejectUnauthorized: options.rejectUnauthorized };
      if (options.serverName !== undefined) tlsOptions.serverName = options.serverName;
      if (options.ca !== undefined) tlsOptions.ca = options.ca;
      if (options.cert !== undefined) tlsOptions.cert = options.cert;
      if (options.key !== undefined) tlsOptions.key = options.key;
      let secure: BunTcpStream | undefined;
      const [, tlsSocket] = this.#socket.upgradeTLS<BunTcpStream | undefined>({
        data: undefined,
        tls: tlsOptions,
        socket: {
          ...HANDLERS,
          handshake: (_s, success, authorizationError) => {
            // Bun reports an unverified certificate as an unsuccessful handshake, even when told to accept it
            const accepted = options.rejectUnauthorized ? success && authorizationError === null : success || authorizationError !== null;
            if (accepted) {
              settled = true;
              resolve(secure!);
            } else {
              fail(authorizationError ?? new Error("TLS handshake failed"));
            }
          },
          error: (s, error) => {
            fail(error);
            HANDLERS.error(s, error);
          },
          close: (s, error) => {
            fail(error ?? new Error("connection closed during the TLS handshake"));
            HANDLERS.close(s, error);
          },
        },
      });
      secure = new BunTcpStream(tlsSocket);
    });
  }
}
