/**
 * The byte stream under one upsd client connection, as ClientConnection sees it: what upsd's
 * read()/write() on a client fd do, plus the STARTTLS switch. Kept apart from the listener so
 * that the connection logic does not depend on which socket API carries it (Bun's native TCP
 * sockets here; node:net or an in-process pipe elsewhere).
 */
import type { SecureContext } from "node:tls";

/** What a transport reports to its connection. */
export interface TransportEvents {
  /** Received bytes (decrypted after STARTTLS). */
  data(bytes: Uint8Array): void;
  /** The peer closed its sending side. */
  end(): void;
  /** The connection is gone (after end, error or close()). */
  close(): void;
  /** A read, write or TLS failure; close follows. */
  error(err: Error): void;
  /** The TLS handshake after STARTTLS finished. */
  secure?(): void;
}

/** One client's byte stream. */
export interface ClientTransport {
  readonly remoteAddress: string;
  /** Bytes accepted by write() that the kernel has not taken yet (a client that does not read). */
  readonly unsentBytes: number;
  /** Sets the receiver of the transport's events (once, right after accepting). */
  attach(events: TransportEvents): void;
  /** Queues bytes; they go out in order, as fast as the peer reads. */
  write(bytes: Uint8Array): void;
  /** write() of a protocol text, one byte per character (latin1, as upsd's C strings). */
  writeText(text: string): void;
  /**
   * From now on the stream is TLS, server side: bytes written before this call go out in
   * plaintext first; bytes received after it are handshake and then encrypted data.
   */
  startTls(context: SecureContext): void;
  /** Sends what is queued, then closes (FIN). */
  end(): void;
  /** Closes at once, dropping what is queued. */
  destroy(): void;
}
