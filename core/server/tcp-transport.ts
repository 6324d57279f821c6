/**
 * upsd's TCP listeners and client streams on Bun's native sockets (Bun.listen). node:net costs
 * about 3.5 µs more per request here (its stream machinery runs for every read and write), and
 * upsd answers one short line per request, so that overhead is most of the difference to NUT's
 * C upsd; node:net sockets also weigh several kB more per idle client.
 *
 * Bun's socket write() takes what the kernel accepts and returns the count: the rest is queued
 * here and sent on `drain`. STARTTLS: Bun cannot turn an accepted socket into a TLS server
 * itself, so node:tls runs over a Duplex whose input is the socket's bytes and whose output is
 * the same queue.
 */
import { Duplex } from "node:stream";
import { type SecureContext, TLSSocket } from "node:tls";
import type { Socket, TCPSocketListener } from "bun";
import type { ClientTransport, TransportEvents } from "./client-transport.ts";

const ASCII = /^[\x00-\x7f]*$/;

/** Where a listener hands its accepted connections. */
export type AcceptTransport = (transport: ClientTransport) => void;

/** What is kept per Bun socket (socket.data). */
interface SocketSlot {
  transport?: BunTcpTransport;
}

/** A client stream over one accepted Bun socket. */
export class BunTcpTransport implements ClientTransport {
  readonly remoteAddress: string;
  #socket: Socket<SocketSlot>;
  #events: TransportEvents | undefined;
  /** Raw bytes the kernel did not take yet, in order. */
  #queue: Uint8Array[] = [];
  #queued = 0;
  #endWhenDrained = false;
  #closed = false;
  /** After STARTTLS: the TLS server and the Duplex feeding it the socket's bytes. */
  #tls: { secure: TLSSocket; raw: RawSocketDuplex } | undefined;

  constructor(socket: Socket<SocketSlot>) {
    this.#socket = socket;
    this.remoteAddress = socket.remoteAddress;
  }

  get unsentBytes(): number {
    return this.#queued + (this.#tls?.secure.writableLength ?? 0);
  }

  attach(events: TransportEvents): void {
    this.#events = events;
  }

  write(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (this.#tls) this.#tls.secure.write(bytes);
    else this.writeRaw(bytes);
  }

  writeText(text: string): void {
    // Bun encodes strings as UTF-8, the same bytes as latin1 for ASCII (what upsd nearly always
    // sends), and skips a Buffer per reply
    if (this.#tls || this.#queue.length > 0 || !ASCII.test(text)) {
      this.write(Buffer.from(text, "latin1"));
      return;
    }
    if (this.#closed) return;
    const n = this.#socket.write(text);
    if (n >= text.length) return;
    const rest = Buffer.from(text.slice(Math.max(0, n)), "latin1");
    this.#queue.push(rest);
    this.#queued += rest.length;
  }

  /** Writes bytes as they are on the wire (plaintext, or TLS records from the TLS layer). */
  writeRaw(bytes: Uint8Array): void {
    if (this.#closed) return;
    let rest = bytes;
    if (this.#queue.length === 0) {
      const n = this.#socket.write(bytes);
      if (n >= bytes.length) return;
      rest = bytes.subarray(Math.max(0, n));
    }
    this.#queue.push(rest);
    this.#queued += rest.length;
  }

  startTls(context: SecureContext): void {
    if (this.#tls || this.#closed) return;
    const raw = new RawSocketDuplex(this);
    const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
    this.#tls = { secure, raw };
    secure.on("data", (data: Buffer) => this.#events?.data(data));
    secure.on("secure", () => this.#events?.secure?.());
    secure.on("end", () => this.#events?.end());
    secure.on("error", (err: Error) => {
      this.#events?.error(err);
      this.destroy();
    });
  }

  end(): void {
    if (this.#closed) return;
    if (this.#tls) {
      // close_notify goes through the queue; the Duplex's final then ends the socket
      this.#tls.secure.end();
      return;
    }
    this.endRaw();
  }

  /** FIN once the queue is empty. */
  endRaw(): void {
    if (this.#closed) return;
    if (this.#queued === 0) this.#socket.end();
    else this.#endWhenDrained = true;
  }

  destroy(): void {
    if (this.#closed) return;
    this.#socket.terminate();
    this.#closedBySocket();
  }

  // ---- called by the listener's socket handlers

  onData(data: Uint8Array): void {
    if (this.#closed) return;
    if (this.#tls) this.#tls.raw.push(Buffer.from(data));
    else this.#events?.data(data);
  }

  onDrain(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const n = this.#socket.write(head);
      if (n <= 0) return;
      this.#queued -= Math.min(n, head.length);
      if (n < head.length) {
        this.#queue[0] = head.subarray(n);
        return;
      }
      this.#queue.shift();
    }
    if (this.#endWhenDrained) {
      this.#endWhenDrained = false;
      this.#socket.end();
    }
  }

  onEnd(): void {
    if (this.#closed) return;
    if (this.#tls) this.#tls.raw.push(null);
    else this.#events?.end();
  }

  onError(err: Error): void {
    if (this.#closed) return;
    this.#events?.error(err);
  }

  onClose(): void {
    this.#closedBySocket();
  }

  #closedBySocket(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#queued = 0;
    if (this.#tls) {
      this.#tls.raw.push(null);
      this.#tls.secure.destroy();
    }
    this.#events?.close();
  }
}

/** The socket as node:tls wants it: a Duplex of raw bytes. */
class RawSocketDuplex extends Duplex {
  readonly #transport: BunTcpTransport;

  constructor(transport: BunTcpTransport) {
    super();
    this.#transport = transport;
  }

  override _read(): void {
    // bytes are pushed as the socket delivers them
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#transport.writeRaw(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#transport.endRaw();
    callback();
  }
}

/** A bound TCP listener. */
export interface TcpListener {
  readonly port: number;
  stop(): void;
}

/**
 * Binds host:port and hands every accepted connection to `accept`. Throws the bind error (with
 * its `code`, e.g. EADDRINUSE) when the address cannot be bound.
 */
export function listenTcp(host: string, port: number, ipv6Only: boolean, accept: AcceptTransport): TcpListener {
  const listener: TCPSocketListener<SocketSlot> = Bun.listen<SocketSlot>({
    hostname: host,
    port,
    exclusive: true,
    ...(ipv6Only ? { ipv6Only: true } : {}),
    socket: {
      open(socket) {
        socket.setNoDelay(true);
        const transport = new BunTcpTransport(socket);
        socket.data = { transport };
        accept(transport);
      },
      data: (socket, data) => socket.data.transport?.onData(data),
      drain: (socket) => socket.data.transport?.onDrain(),
      end: (socket) => socket.data.transport?.onEnd(),
      error: (socket, err) => socket.data.transport?.onError(err),
      close: (socket) => socket.data.transport?.onClose(),
    },
  });
  return {
    port: listener.port,
    // connections already accepted stay: upsd closes them itself, after their last reply
    stop: () => listener.stop(),
  };
}
