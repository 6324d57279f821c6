/**
 * The network client every nut-ts client uses (upsc, upscmd, upsrw, upslog, upsmon, the dummy-ups
 * repeater): NUT's libupsclient (clients/upsclient.c) over node:net/node:tls. It connects like
 * upscli_tryconnect() (every address of the host, STARTTLS the way upscli_sslinit() does it),
 * reads replies like upscli_readline() (lines of at most 511 bytes) and splits them with parseconf
 * like pconf_line(), checks GET and LIST replies like upscli_get() / upscli_list_start() /
 * upscli_list_next(), builds GET/LIST commands like build_cmd() and the other commands the way
 * upsc, upscmd, upsrw and upsmon print them. Errors are UpscliError / NutProtocolError carrying
 * libupsclient's texts. The protocol has no request ids, so requests may be pipelined: a FIFO of
 * pending requests takes the replies in order.
 */
// node:net, node:tls and node:dns are loaded only when needed: each costs a Bun program several
// ms of start-up (node:net ~20), and a plaintext session or one with unverified STARTTLS (upsc)
// runs on Bun's own sockets (BunTcpStream) instead
import type { Socket as NetSocket } from "node:net";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import { BunTcpStream, type BunTlsOptions } from "./bun-tcp-stream.ts";
import { ipFamily } from "./ip-literal.ts";
import { parseCLong } from "../config/c-numbers.ts";
import { ConfTokenizer, encodeConfWord } from "../config/tokenizer.ts";
import { NUT_DEFAULT_PORT } from "../config/ups-system-name.ts";
import { UpscliError, parseErrLine } from "../protocol/net-error.ts";
import type { UpscliErrorCode } from "../protocol/net-error.ts";

/** libupsclient's line buffer (UPSCLI_NETBUF_LEN): a reply line holds at most 511 bytes. */
export const UPSCLI_NETBUF_LEN = 512;
/** upscli_readline()'s wait for data (DEFAULT_NETWORK_TIMEOUT, 5 s, include/common.h). */
export const DEFAULT_NETWORK_TIMEOUT_MS = 5000;

/** glibc's strerror() texts for the errno codes a socket can report (what NUT prints). */
const STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: "Connection refused",
  ETIMEDOUT: "Connection timed out",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
  EHOSTDOWN: "Host is down",
  ENETDOWN: "Network is down",
  ECONNRESET: "Connection reset by peer",
  ECONNABORTED: "Software caused connection abort",
  EPIPE: "Broken pipe",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EADDRINUSE: "Address already in use",
  EAFNOSUPPORT: "Address family not supported by protocol",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EINVAL: "Invalid argument",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  ENOBUFS: "No buffer space available",
  ENOMEM: "Cannot allocate memory",
  ENOTCONN: "Transport endpoint is not connected",
  EBADF: "Bad file descriptor",
};

/** strerror() of a Node system error (its `code`), falling back to Node's own message. */
function strerror(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && STRERROR[code] !== undefined) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

/** One reply line: its text (C string: cut at the first NUL) and its words as pconf_line() splits them. */
export interface NutReply {
  line: string;
  words: string[];
}

/**
 * pconf_line() on one received line (no LF): parseconf's word rules, a word still being built at
 * the end is kept, a parse error (`#` inside quotes) keeps the words before it. Text after a NUL
 * byte is ignored, as the C string ends there.
 */
export function parseReplyLine(line: Uint8Array | string): string[] {
  let bytes = typeof line === "string" ? new TextEncoder().encode(line) : line;
  const nul = bytes.indexOf(0);
  if (nul >= 0) bytes = bytes.subarray(0, nul);
  const tokenizer = new ConfTokenizer();
  const lines = tokenizer.feed(bytes);
  if (lines[0] !== undefined) return lines[0].words;
  const tail = tokenizer.end();
  if (tail.line) return tail.line.words;
  return tail.lostWord ? [tail.lostWord.word] : [];
}

/**
 * Splits a byte stream into reply lines the way upscli_readline() reads them: up to LF (dropped),
 * or 511 bytes when no LF comes first (the rest then starts the next line). Chunks may be split
 * anywhere.
 */
export class ReplyLineReader {
  /** Pieces of the line being received (copies: the caller may reuse its chunks). */
  #partial: Uint8Array[] = [];
  #partialLength = 0;
  readonly #max: number;

  constructor(maxLineBytes = UPSCLI_NETBUF_LEN - 1) {
    this.#max = maxLineBytes;
  }

  /** Feeds received bytes and returns every line they complete. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let start = 0;
    while (start < chunk.length) {
      const room = this.#max - this.#partialLength;
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      // a line that fills the buffer before its LF is cut there, as upscli_readline() does
      if (end - start >= room) {
        out.push(this.#take(chunk.subarray(start, start + room)));
        start += room;
        continue;
      }
      if (nl === -1) {
        this.#partial.push(chunk.slice(start));
        this.#partialLength += chunk.length - start;
        break;
      }
      out.push(this.#take(chunk.subarray(start, nl)));
      start = nl + 1;
    }
    return out;
  }

  /** The line so far plus `last`, as one new array; the line is then empty. */
  #take(last: Uint8Array): Uint8Array {
    if (this.#partialLength === 0) return last.slice();
    const line = new Uint8Array(this.#partialLength + last.length);
    let at = 0;
    for (const piece of this.#partial) {
      line.set(piece, at);
      at += piece.length;
    }
    line.set(last, at);
    this.#partial = [];
    this.#partialLength = 0;
    return line;
  }

  /** Bytes received after the last complete line. */
  get pending(): number {
    return this.#partialLength;
  }
}

/**
 * build_cmd(): `<cmd> <arg> …` + LF where every argument is pconf_encode()d (`\`, `"`, `#`
 * escaped) and wrapped in double quotes only when it contains a space. libupsclient builds GET
 * and LIST requests this way.
 */
export function buildCommand(cmd: string, args: readonly string[]): string {
  let line = cmd;
  for (const arg of args) {
    const enc = encodeConfWord(arg);
    line += arg.includes(" ") ? ` "${enc}"` : ` ${enc}`;
  }
  return `${line}\n`;
}

/** A request line may not carry LF (it would end the line early) or NUL (C strings end there). */
function checkArgs(args: readonly string[]): void {
  for (const arg of args) {
    if (/[\n\0]/.test(arg)) throw new UpscliError("INVALIDARG");
  }
}

/** verify_resp(): the answer starts with the query words, compared case-insensitively. */
function verifyResp(query: readonly string[], answer: readonly string[]): boolean {
  return query.every((q, i) => answer[i] !== undefined && answer[i].toLowerCase() === q.toLowerCase());
}

/** A reply that has fewer words than the caller needs; the text is upsc's (`Error: <message>`). */
export class NutInsufficientDataError extends Error {
  readonly got: number;
  readonly need: number;

  constructor(got: number, need: number) {
    super(`insufficient data (got ${got} args, need at least ${need})`);
    this.name = "NutInsufficientDataError";
    this.got = got;
    this.need = need;
  }
}

/** TLS settings for a connection: upscli_connect()'s TRYSSL/REQSSL/CERTVERIF flags and upsmon's CERT* settings. */
export interface NutTlsOptions {
  /**
   * `try`: send STARTTLS, continue in plaintext if the server declines (upsc, upslog, upsmon,
   * dummy-ups repeater); `require`: fail with `SSL is not available` unless TLS is set up
   * (upsmon FORCESSL 1); `off`: never send STARTTLS (2.8.0 upscmd and upsrw).
   */
  mode: "try" | "require" | "off";
  /** Verify the server certificate (CERTVERIFY 1); without it any certificate is accepted. */
  verify?: boolean;
  /** Trusted CA certificates (PEM), for `verify`. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Name the certificate must carry (CERTHOST's certificate name); default: the host as given. */
  certName?: string;
  /** Client certificate (PEM), sent if the server asks for one (CERTIDENT). */
  cert?: string | Buffer;
  /** Private key of `cert` (PEM). */
  key?: string | Buffer;
}

/** Where and how to connect. */
export interface NutConnectOptions {
  /** Host name or address literal (IPv6 without brackets); every address it resolves to is tried in order. */
  host: string;
  /** TCP port (default 3493). */
  port?: number;
  /** Bound on each connect attempt, in ms (none: the OS decides, as upscli_connect()). */
  timeoutMs?: number;
  /** How long a reply may be silent, in ms (default 5000, as upscli_readline()). */
  readTimeoutMs?: number;
  /** Only IPv4 (4) or only IPv6 (6) addresses (UPSCLI_CONN_INET / INET6). */
  family?: 4 | 6;
  /** STARTTLS behaviour; default `off`. */
  tls?: NutTlsOptions;
  /**
   * Called once the TCP connection is up, before STARTTLS: where libupsclient logs its TLS
   * set-up (upsc prints `Init SSL without certificate database` there).
   */
  onConnected?: () => void;
}

/** One `UPS <name> "<desc>"` item of LIST UPS. */
export interface NutUpsEntry {
  name: string;
  description: string;
}

/** What listUntilFailure() read: the items, and the failure that ended the list early, if one did. */
export interface NutPartialList {
  items: string[][];
  failure?: Error;
}

/** One `VAR`/`RW` item: a variable and its value. */
export interface NutVarEntry {
  name: string;
  value: string;
}

/** One `RANGE <ups> <var> "<min>" "<max>"` item, as sent (upsd prints integers). */
export interface NutRange {
  min: string;
  max: string;
}

/** Reply to SET VAR or INSTCMD: the line, and the tracking id when tracking is on. */
export interface NutTrackedReply {
  line: string;
  tracking?: string;
}

/** Result of `GET TRACKING <id>`: PENDING, SUCCESS, or the ERR word of a finished or unknown id. */
export interface NutTrackingResult {
  status: "PENDING" | "SUCCESS" | "UNKNOWN" | "INVALID-ARGUMENT" | "FAILED";
  line: string;
}

/** The `ERR` words that are results of GET TRACKING rather than failures (netget.c). */
const TRACKING_ERR_RESULTS = ["UNKNOWN", "INVALID-ARGUMENT", "FAILED"] as const;

/** A request waiting for its reply lines; `consume` returns true once it needs no more lines. */
interface Pending {
  consume(line: Uint8Array): boolean;
  reject(err: Error): void;
  timeoutMs: number;
  /** STARTTLS: on `OK STARTTLS` stop reading plaintext so that TLS can take over the socket. */
  haltOnOkStartTls?: boolean;
}

/** What NutClient needs of a connection: net.Socket, tls.TLSSocket and BunTcpStream all have it. */
interface Stream {
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  once(event: "close", listener: () => void): unknown;
  off(event: "data", listener: (chunk: Buffer) => void): unknown;
  off(event: "end" | "close", listener: () => void): unknown;
  off(event: "error", listener: (err: Error) => void): unknown;
  write(text: string, done?: () => void): boolean;
  destroy(): unknown;
  pause(): unknown;
  readonly destroyed: boolean;
  readonly writable: boolean;
}

/** A connection to upsd. */
export class NutClient {
  /** The host as given to connect(). */
  readonly host: string;
  /** The TCP port. */
  readonly port: number;
  #socket: Stream;
  #raw: NetSocket | BunTcpStream;
  #tls = false;
  #reader = new ReplyLineReader();
  #pending: Pending[] = [];
  #unclaimed: Uint8Array[] = [];
  #state: "open" | "eof" | "closed" = "open";
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #readTimeoutMs: number;
  readonly #closedPromise: Promise<void>;
  #resolveClosed: () => void = () => {};
  #listeners: { stream: Stream; data: (b: Buffer) => void; end: () => void; error: (e: Error) => void } | undefined;

  private constructor(socket: NetSocket | BunTcpStream, host: string, port: number, readTimeoutMs: number) {
    this.host = host;
    this.port = port;
    this.#socket = socket;
    this.#raw = socket;
    this.#readTimeoutMs = readTimeoutMs;
    this.#closedPromise = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    (socket as Stream).once("close", () => this.#resolveClosed());
    this.#attach(socket);
  }

  /**
   * Connects like upscli_tryconnect(): resolves the host (`No such host`), tries each address
   * (`Connection failure: <strerror>` from the last one failing), then STARTTLS per `tls`.
   */
  static async connect(options: NutConnectOptions): Promise<NutClient> {
    const port = options.port ?? NUT_DEFAULT_PORT;
    const readTimeoutMs = options.readTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS;
    const addresses = await resolveHost(options.host, options.family);
    // node:tls checks certificates (checkServerIdentity on the configured name); Bun's sockets do the rest
    const native = options.tls === undefined || options.tls.mode === "off" || (options.tls.mode === "try" && options.tls.verify !== true);
    let lastError = new UpscliError("UNKNOWN");
    let socket: NetSocket | BunTcpStream | undefined;
    for (const address of addresses) {
      try {
        socket = native ? await connectOneNative(address.address, port, options.timeoutMs) : await connectOne(address.address, address.family, port, options.timeoutMs);
        break;
      } catch (err) {
        lastError = err as UpscliError;
      }
    }
    if (socket === undefined) throw lastError;
    const client = new NutClient(socket, options.host, port, readTimeoutMs);
    options.onConnected?.();
    const tlsOptions = options.tls;
    if (tlsOptions !== undefined && tlsOptions.mode !== "off") await client.#negotiateTls(tlsOptions);
    return client;
  }

  /** Whether the session runs inside TLS (upscli_ssl()). */
  get ssl(): boolean {
    return this.#tls;
  }

  /** Whether the connection is closed (by close(), an error, or the server). */
  get closed(): boolean {
    return this.#state !== "open";
  }

  /**
   * upscli_tryconnect()'s TLS part. `require` turns any failure into `SSL is not available`;
   * `try` goes on in plaintext when the server answers anything but `OK STARTTLS`, except with
   * `verify` (then, as in NUT, the connection is dropped with error UNKNOWN); a failed handshake
   * drops the connection (UNKNOWN: NUT sets no error number there; the TLS error is the cause).
   */
  async #negotiateTls(options: NutTlsOptions): Promise<void> {
    const force = options.mode === "require";
    const verify = options.verify === true;
    let reply: NutReply;
    try {
      reply = await this.#enqueueLine("STARTTLS\n", this.#readTimeoutMs, true);
    } catch (err) {
      await this.#abort();
      throw force ? new UpscliError("SSLFAIL", { cause: err }) : err;
    }
    if (!reply.line.startsWith("OK STARTTLS")) {
      if (force || verify) {
        await this.#abort();
        throw new UpscliError(force ? "SSLFAIL" : "UNKNOWN", { reply: reply.line });
      }
      // any other answer (ERR FEATURE-NOT-CONFIGURED, …): go on in plaintext
      return;
    }
    try {
      await this.#upgrade(options, verify);
    } catch (err) {
      await this.#abort();
      throw new UpscliError(force ? "SSLFAIL" : "UNKNOWN", { cause: err });
    }
  }

  /**
   * The TLS handshake on the plaintext socket: Bun's upgradeTLS() on a BunTcpStream (no
   * verification), else tls.connect({ socket }) (Bun: never `new TLSSocket` on a client).
   */
  async #upgrade(options: NutTlsOptions, verify: boolean): Promise<void> {
    const expected = options.certName ?? this.host;
    const raw = this.#raw;
    if (raw instanceof BunTcpStream) {
      const tlsOptions: BunTlsOptions = { rejectUnauthorized: false };
      // SNI carries names only (RFC 6066)
      if (ipFamily(expected) === 0) tlsOptions.serverName = expected;
      if (options.cert !== undefined) tlsOptions.cert = options.cert;
      if (options.key !== undefined) tlsOptions.key = options.key;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("TLS handshake timed out")), this.#readTimeoutMs);
      });
      let secure: BunTcpStream;
      try {
        secure = await Promise.race([raw.startTls(tlsOptions), timeout]);
      } finally {
        clearTimeout(timer);
      }
      this.#useSecure(secure);
      return;
    }
    const tls = await import("node:tls");
    const tlsOptions: ConnectionOptions = {
      socket: raw,
      rejectUnauthorized: verify,
      checkServerIdentity: verify ? (_host, cert) => tls.checkServerIdentity(expected, cert) : () => undefined,
    };
    // SNI carries names only (RFC 6066)
    if (ipFamily(expected) === 0) tlsOptions.servername = expected;
    if (options.ca !== undefined) tlsOptions.ca = options.ca;
    if (options.cert !== undefined) tlsOptions.cert = options.cert;
    if (options.key !== undefined) tlsOptions.key = options.key;
    const secure = tls.connect(tlsOptions);
    // errors of the wrapped socket surface on the TLS socket; keep the raw one from throwing
    raw.on("error", () => {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        secure.destroy();
        reject(new Error("TLS handshake timed out"));
      }, this.#readTimeoutMs);
      secure.once("secureConnect", () => {
        clearTimeout(timer);
        resolve();
      });
      secure.once("error", (err) => {
        clearTimeout(timer);
        secure.destroy();
        reject(err);
      });
    });
    this.#useSecure(secure);
  }

  /** From now on the session runs on `secure`. */
  #useSecure(secure: Stream): void {
    this.#socket = secure;
    this.#tls = true;
    secure.once("close", () => this.#resolveClosed());
    this.#attach(secure);
  }

  #attach(stream: Stream): void {
    this.#detach();
    const data = (chunk: Buffer): void => this.#onData(chunk);
    const end = (): void => this.#onEnd();
    const error = (err: Error): void => this.#onError(err);
    stream.on("data", data);
    stream.on("end", end);
    stream.on("close", end);
    stream.on("error", error);
    this.#listeners = { stream, data, end, error };
  }

  #detach(): void {
    const l = this.#listeners;
    if (l === undefined) return;
    l.stream.off("data", l.data);
    l.stream.off("end", l.end);
    l.stream.off("close", l.end);
    l.stream.off("error", l.error);
    this.#listeners = undefined;
  }

  #onData(chunk: Buffer): void {
    if (this.#pending.length > 0) this.#armTimer();
    for (const line of this.#reader.push(chunk)) {
      const head = this.#pending[0];
      if (head === undefined) {
        // libupsclient keeps unread bytes in its buffer: the next request reads them first
        this.#unclaimed.push(line);
        continue;
      }
      if (this.#dispatch(head, line)) {
        // `OK STARTTLS`: whatever follows belongs to TLS (nothing does, in practice)
        this.#detach();
        this.#raw.pause();
        this.#reader = new ReplyLineReader();
        return;
      }
    }
  }

  /** Gives one line to the head request; returns true when reading must halt for STARTTLS. */
  #dispatch(head: Pending, line: Uint8Array): boolean {
    if (!head.consume(line)) return false;
    this.#pending.shift();
    if (this.#pending.length > 0) this.#armTimer();
    else this.#clearTimer();
    return head.haltOnOkStartTls === true && lineText(line).startsWith("OK STARTTLS");
  }

  #onEnd(): void {
    if (this.#state === "closed") return;
    if (this.#pending.length > 0) {
      this.#fail(this.#eofError());
      return;
    }
    this.#state = "eof";
  }

  #onError(err: Error): void {
    if (this.#state === "closed") return;
    const syscall = (err as { syscall?: unknown }).syscall;
    const error = this.#tls
      ? new UpscliError("SSLERR", { detail: err.message, cause: err })
      : new UpscliError(syscall === "write" ? "WRITE" : "READ", { detail: strerror(err), cause: err });
    this.#fail(error);
  }

  /** What a read returning 0 means: `Server disconnected`, or in TLS (OpenSSL build) `SSL error: peer disconnected`. */
  #eofError(): UpscliError {
    return this.#tls ? new UpscliError("SSLERR", { detail: "peer disconnected" }) : new UpscliError("SRVDISC");
  }

  #armTimer(): void {
    this.#clearTimer();
    const head = this.#pending[0];
    if (head === undefined) return;
    this.#timer = setTimeout(() => {
      // upscli_readline_timeout(): select() timing out reads as "no data", i.e. Server disconnected
      this.#fail(new UpscliError("SRVDISC", { timedOut: true }));
    }, head.timeoutMs);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** upscli_disconnect() after a failure: every waiting request gets the error, LOGOUT is attempted, the socket closes. */
  #fail(err: Error): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#clearTimer();
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) p.reject(err);
    this.#shutdown();
  }

  /** upscli_disconnect(): write `LOGOUT` (reply never read), then close at once. */
  #shutdown(): void {
    const socket = this.#socket;
    const raw = this.#raw;
    const destroy = (): void => {
      socket.destroy();
      raw.destroy();
    };
    if (socket.destroyed || !socket.writable) {
      destroy();
      return;
    }
    // a write that never completes (peer gone, TLS wedged) must not keep the socket open
    const fallback = setTimeout(destroy, 1000);
    fallback.unref();
    socket.write("LOGOUT\n", () => {
      clearTimeout(fallback);
      destroy();
    });
  }

  async #abort(): Promise<void> {
    this.#fail(new UpscliError("DRVNOTCONN"));
    await this.#waitClosed();
  }

  /** Waits for the socket's `close`, bounded: #shutdown() destroys it within a second anyway. */
  async #waitClosed(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    });
    await Promise.race([this.#closedPromise, bound]);
    clearTimeout(timer);
  }

  /** Queues `text` (one or more complete lines) and a request that takes its reply lines. */
  #enqueue(text: string, pending: Pending): void {
    if (this.#state === "closed") throw new UpscliError("DRVNOTCONN");
    if (this.#state === "eof") {
      // the server closed an idle connection: the next read finds EOF, then the client disconnects
      const err = this.#eofError();
      this.#fail(err);
      throw err;
    }
    this.#pending.push(pending);
    if (this.#pending.length === 1) this.#armTimer();
    this.#socket.write(text);
    while (this.#unclaimed.length > 0 && this.#pending.length > 0) {
      const line = this.#unclaimed.shift()!;
      this.#dispatch(this.#pending[0]!, line);
    }
  }

  /** Sends `text` and resolves with the next reply line. */
  #enqueueLine(text: string, timeoutMs: number, haltOnOkStartTls = false): Promise<NutReply> {
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        consume: (line) => {
          resolve(toReply(line));
          return true;
        },
        reject,
        timeoutMs,
      };
      if (haltOnOkStartTls) pending.haltOnOkStartTls = true;
      this.#enqueue(text, pending);
    });
  }

  /**
   * Sends one raw request line (LF added) and resolves with the reply line, unchecked: what
   * upscli_sendline() + upscli_readline() do for the commands NUT's programs print themselves.
   */
  async request(line: string, options: { timeoutMs?: number } = {}): Promise<NutReply> {
    checkArgs([line]);
    return this.#enqueueLine(`${line}\n`, options.timeoutMs ?? this.#readTimeoutMs);
  }

  /**
   * upscli_get(): sends `GET <query…>` (build_cmd quoting) and returns the reply's words, which
   * must start with the query words (else `Protocol error`); an ERR reply throws NutProtocolError.
   */
  async get(query: readonly string[]): Promise<string[]> {
    if (query.length < 1) throw new UpscliError("INVALIDARG");
    checkArgs(query);
    const reply = await this.#enqueueLine(buildCommand("GET", query), this.#readTimeoutMs);
    const err = parseErrLine(reply.line);
    if (err) throw err;
    if (reply.words.length < query.length || !verifyResp(query, reply.words)) {
      throw new UpscliError("PROTOCOL", { reply: reply.line });
    }
    return reply.words;
  }

  /**
   * upscli_list_start() + upscli_list_next(): sends `LIST <query…>`, checks the `BEGIN LIST
   * <query…>` line and returns the words of every item up to `END LIST`. Each item must start
   * with the query words (else `Protocol error`, raised once the list has ended so that the
   * replies stay in step).
   */
  async list(query: readonly string[]): Promise<string[][]> {
    const result = await this.#list(query, false);
    return result.items;
  }

  /**
   * The list loop of NUT's programs (`while (upscli_list_next(…) == 1)`): failures up to and
   * including the `BEGIN LIST` line throw as in list(), but a failure after it (an `ERR` line, an
   * item for another query, the server closing or going silent) only ends the list: the items
   * before it come back with the failure beside them, which upsc ignores (it prints what it got
   * and exits 0). Lines after a stray item are still read up to `END LIST`.
   */
  listUntilFailure(query: readonly string[]): Promise<NutPartialList> {
    return this.#list(query, true);
  }

  #list(query: readonly string[], untilFailure: boolean): Promise<NutPartialList> {
    if (query.length < 1) return Promise.reject(new UpscliError("INVALIDARG"));
    checkArgs(query);
    return new Promise((resolve, reject) => {
      const items: string[][] = [];
      let begun = false;
      let ended = false;
      let failure: Error | undefined;
      // untilFailure: the outcome is settled at the first failure after BEGIN LIST
      const endEarly = (err: Error): void => {
        if (ended) return;
        ended = true;
        resolve({ items: items.slice(), failure: err });
      };
      const pending: Pending = {
        consume: (bytes) => {
          const reply = toReply(bytes);
          const err = parseErrLine(reply.line);
          if (err) {
            if (untilFailure && begun) endEarly(err);
            else reject(err);
            return true;
          }
          const words = reply.words;
          if (!begun) {
            const isBegin = words.length >= 2 && words[0]!.toLowerCase() === "begin" && words[1]!.toLowerCase() === "list";
            if (!isBegin) {
              reject(new UpscliError("PROTOCOL", { reply: reply.line }));
              return true;
            }
            // a list for another query: fail, but only once its END LIST has been read
            if (!verifyResp(query, words.slice(2))) {
              failure = new UpscliError("PROTOCOL", { reply: reply.line });
              if (untilFailure) {
                ended = true;
                reject(failure);
              }
            }
            begun = true;
            return false;
          }
          if (words.length >= 2 && words[0] === "END" && words[1] === "LIST") {
            if (untilFailure) {
              if (!ended) resolve({ items });
              ended = true;
            } else if (failure) reject(failure);
            else resolve({ items });
            return true;
          }
          if (ended) return false;
          // NUT's programs pass upscli_list_next() the same query: `VAR <ups>` → `VAR <ups> <var> …`
          if (words.length < 1 || !verifyResp(query, words)) {
            const stray = new UpscliError("PROTOCOL", { reply: reply.line });
            if (untilFailure) endEarly(stray);
            else failure ??= stray;
          } else {
            items.push(words);
          }
          return false;
        },
        reject: (err) => {
          if (untilFailure && begun) endEarly(err);
          else reject(err);
        },
        timeoutMs: this.#readTimeoutMs,
      };
      try {
        this.#enqueue(buildCommand("LIST", query), pending);
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Sends a command NUT's programs print raw; `OK…` resolves, `ERR…` throws NutProtocolError, anything else `Invalid response from server`. */
  async #ok(words: readonly string[]): Promise<NutReply> {
    checkArgs(words);
    const reply = await this.#enqueueLine(`${words.join(" ")}\n`, this.#readTimeoutMs);
    if (reply.line.startsWith("OK")) return reply;
    throw parseErrLine(reply.line) ?? new UpscliError("INVRESP", { reply: reply.line });
  }

  /** `USERNAME <name>` (sent raw, as upsmon/upscmd/upsrw do). */
  async username(name: string): Promise<void> {
    await this.#ok(["USERNAME", name]);
  }

  /** `PASSWORD <password>` (sent raw: a password with a space fails, as in NUT). */
  async password(password: string): Promise<void> {
    await this.#ok(["PASSWORD", password]);
  }

  /** `LOGIN <ups>`: counts this connection in the UPS's NUMLOGINS. */
  async login(ups: string): Promise<void> {
    await this.#ok(["LOGIN", ups]);
  }

  /**
   * `PRIMARY <ups>`, retried as `MASTER <ups>` when the server answers anything but OK (upsmon's
   * apply_for_primary(): pre-2.8.0 servers only know MASTER). Returns the keyword granted.
   */
  async primary(ups: string): Promise<"PRIMARY" | "MASTER"> {
    checkArgs([ups]);
    const first = await this.request(`PRIMARY ${ups}`);
    if (first.line.startsWith("OK")) return "PRIMARY";
    await this.#ok(["MASTER", ups]);
    return "MASTER";
  }

  /** `FSD <ups>`: sets upsd's forced-shutdown flag for the UPS. */
  async fsd(ups: string): Promise<void> {
    await this.#ok(["FSD", ups]);
  }

  /** `LOGOUT`: returns the server's goodbye line; the server then closes the connection. */
  async logout(): Promise<string> {
    return (await this.#ok(["LOGOUT"])).line;
  }

  /** The word at `index` of a GET answer, or upsc's `insufficient data` error. */
  async #getWord(query: readonly string[], index: number): Promise<string> {
    const answer = await this.get(query);
    const word = answer[index];
    if (word === undefined) throw new NutInsufficientDataError(answer.length, index + 1);
    return word;
  }

  /** `GET VAR <ups> <var>`: the value, unescaped. */
  getVar(ups: string, name: string): Promise<string> {
    return this.#getWord(["VAR", ups, name], 3);
  }

  /** `GET TYPE <ups> <var>`: the type words, e.g. `["RW", "STRING:16"]`. */
  async getType(ups: string, name: string): Promise<string[]> {
    return (await this.get(["TYPE", ups, name])).slice(3);
  }

  /** `GET DESC <ups> <var>`: the variable's description (`Description unavailable` if none). */
  getDesc(ups: string, name: string): Promise<string> {
    return this.#getWord(["DESC", ups, name], 3);
  }

  /** `GET CMDDESC <ups> <cmd>`: the command's description. */
  getCmdDesc(ups: string, cmd: string): Promise<string> {
    return this.#getWord(["CMDDESC", ups, cmd], 3);
  }

  /** `GET UPSDESC <ups>`: the ups.conf `desc` (`Unavailable` if none). */
  getUpsDesc(ups: string): Promise<string> {
    return this.#getWord(["UPSDESC", ups], 2);
  }

  /** `GET NUMLOGINS <ups>`: connections logged into the UPS (read with strtol as upsmon does). */
  async getNumLogins(ups: string): Promise<number> {
    return Number(parseCLong(await this.#getWord(["NUMLOGINS", ups], 2)).value);
  }

  /** Runs a LIST and checks every item has at least `need` words (upsc's check). */
  async #listItems(query: readonly string[], need: number): Promise<string[][]> {
    const items = await this.list(query);
    for (const item of items) if (item.length < need) throw new NutInsufficientDataError(item.length, need);
    return items;
  }

  /** `LIST UPS`: every UPS and its description. */
  async listUps(): Promise<NutUpsEntry[]> {
    return (await this.#listItems(["UPS"], 3)).map((w) => ({ name: w[1]!, description: w[2]! }));
  }

  /** `LIST VAR <ups>`: every variable and value, in the server's order. */
  async listVar(ups: string): Promise<NutVarEntry[]> {
    return (await this.#listItems(["VAR", ups], 4)).map((w) => ({ name: w[2]!, value: w[3]! }));
  }

  /** `LIST RW <ups>`: the writable variables and their values. */
  async listRw(ups: string): Promise<NutVarEntry[]> {
    return (await this.#listItems(["RW", ups], 4)).map((w) => ({ name: w[2]!, value: w[3]! }));
  }

  /** `LIST CMD <ups>`: the instant command names. */
  async listCmd(ups: string): Promise<string[]> {
    return (await this.#listItems(["CMD", ups], 3)).map((w) => w[2]!);
  }

  /** `LIST ENUM <ups> <var>`: the accepted values of an enumerated variable. */
  async listEnum(ups: string, name: string): Promise<string[]> {
    return (await this.#listItems(["ENUM", ups, name], 4)).map((w) => w[3]!);
  }

  /** `LIST RANGE <ups> <var>`: the accepted ranges of a variable. */
  async listRange(ups: string, name: string): Promise<NutRange[]> {
    return (await this.#listItems(["RANGE", ups, name], 5)).map((w) => ({ min: w[3]!, max: w[4]! }));
  }

  /** `LIST CLIENT <ups>`: addresses of the connections logged into the UPS. */
  async listClient(ups: string): Promise<string[]> {
    return (await this.#listItems(["CLIENT", ups], 3)).map((w) => w[2]!);
  }

  /** Reads the tracking id out of `OK TRACKING <id>`. */
  static #tracked(reply: NutReply): NutTrackedReply {
    const result: NutTrackedReply = { line: reply.line };
    if (reply.words[0] === "OK" && reply.words[1] === "TRACKING" && reply.words[2] !== undefined) {
      result.tracking = reply.words[2];
    }
    return result;
  }

  /** `SET VAR <ups> <var> "<value>"` (value escaped and always quoted, as upsrw sends it). */
  async setVar(ups: string, name: string, value: string): Promise<NutTrackedReply> {
    checkArgs([value]);
    return NutClient.#tracked(await this.#ok(["SET", "VAR", ups, name, `"${encodeConfWord(value)}"`]));
  }

  /**
   * `INSTCMD <ups> <cmd> [<param>]`, every word raw as upscmd prints it: a parameter containing
   * a space reaches upsd as extra words, which 2.8.x drops.
   */
  async instCmd(ups: string, cmd: string, param?: string): Promise<NutTrackedReply> {
    const words = param === undefined ? ["INSTCMD", ups, cmd] : ["INSTCMD", ups, cmd, param];
    return NutClient.#tracked(await this.#ok(words));
  }

  /** `SET TRACKING ON|OFF` for this connection. */
  async setTracking(on: boolean): Promise<void> {
    await this.#ok(["SET", "TRACKING", on ? "ON" : "OFF"]);
  }

  /**
   * `GET TRACKING <id>`: `PENDING`, `SUCCESS`, or the result words of `ERR UNKNOWN` /
   * `ERR INVALID-ARGUMENT` / `ERR FAILED`; any other ERR (FEATURE-NOT-CONFIGURED when tracking is
   * off) throws. `timeoutMs` is upscmd's `-t` wait for the reply.
   */
  async getTracking(id: string, options: { timeoutMs?: number } = {}): Promise<NutTrackingResult> {
    const reply = await this.request(`GET TRACKING ${id}`, options);
    if (reply.line.startsWith("PENDING")) return { status: "PENDING", line: reply.line };
    if (reply.line.startsWith("SUCCESS")) return { status: "SUCCESS", line: reply.line };
    const err = parseErrLine(reply.line);
    const status = TRACKING_ERR_RESULTS.find((t) => t === err?.token);
    if (status !== undefined) return { status, line: reply.line };
    throw err ?? new UpscliError("INVRESP", { reply: reply.line });
  }

  /** `GET TRACKING`: whether tracking is on for this connection. */
  async getTrackingMode(): Promise<boolean> {
    const reply = await this.request("GET TRACKING");
    if (reply.line === "ON") return true;
    if (reply.line === "OFF") return false;
    throw parseErrLine(reply.line) ?? new UpscliError("INVRESP", { reply: reply.line });
  }

  /** A one-line informational command; an ERR reply throws. */
  async #info(cmd: string): Promise<string> {
    const reply = await this.request(cmd);
    const err = parseErrLine(reply.line);
    if (err) throw err;
    return reply.line;
  }

  /** `VER`: the server's version line. */
  ver(): Promise<string> {
    return this.#info("VER");
  }

  /** `NETVER`: the protocol version (`1.3`). */
  netver(): Promise<string> {
    return this.#info("NETVER");
  }

  /** `HELP`: the server's command list line. */
  help(): Promise<string> {
    return this.#info("HELP");
  }

  /**
   * upscli_disconnect(): sends `LOGOUT` without waiting for the reply and closes; requests still
   * waiting fail with `Driver not connected` (libupsclient's error for a closed connection).
   */
  async close(): Promise<void> {
    if (this.#state !== "closed") {
      this.#state = "closed";
      this.#clearTimer();
      const pending = this.#pending;
      this.#pending = [];
      for (const p of pending) p.reject(new UpscliError("DRVNOTCONN"));
      this.#shutdown();
    }
    await this.#waitClosed();
  }

  /** `await using client = await NutClient.connect(…)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function lineText(line: Uint8Array): string {
  const nul = line.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? line.subarray(0, nul) : line);
}

function toReply(line: Uint8Array): NutReply {
  return { line: lineText(line), words: parseReplyLine(line) };
}

/** getaddrinfo(): literal addresses as they are, names through the resolver in its order. */
async function resolveHost(host: string, family: 4 | 6 | undefined): Promise<{ address: string; family: number }[]> {
  const literal = ipFamily(host);
  if (literal !== 0) {
    if (family !== undefined && family !== literal) throw new UpscliError("NOSUCHHOST");
    return [{ address: host, family: literal }];
  }
  try {
    const { lookup } = await import("node:dns/promises");
    const found = await lookup(host, { all: true, verbatim: true, ...(family !== undefined ? { family } : {}) });
    if (found.length === 0) throw new UpscliError("NOSUCHHOST");
    return found;
  } catch (err) {
    if (err instanceof UpscliError) throw err;
    const code = (err as { code?: unknown }).code;
    // EAI_NONAME → No such host (upscli_tryconnect retries EAI_AGAIN forever; we give up)
    const upscliCode: UpscliErrorCode = code === "ENOTFOUND" || code === "EAI_AGAIN" ? "NOSUCHHOST" : "UNKNOWN";
    throw new UpscliError(upscliCode, { cause: err });
  }
}

/** One connect() attempt on Bun's sockets (see BunTcpStream); errors as connectOne()'s. */
async function connectOneNative(address: string, port: number, timeoutMs: number | undefined): Promise<BunTcpStream> {
  try {
    const stream = await BunTcpStream.connect(address, port, timeoutMs);
    stream.setNoDelay(true);
    return stream;
  } catch (err) {
    const timedOut = (err as { code?: unknown }).code === "ETIMEDOUT" && timeoutMs !== undefined;
    throw new UpscliError("CONNFAILURE", { detail: strerror(err), cause: err, ...(timedOut ? { timedOut } : {}) });
  }
}

/** One connect() attempt; a timeout reads as ETIMEDOUT, what a blocking connect() ends with. */
async function connectOne(address: string, family: number, port: number, timeoutMs: number | undefined): Promise<NetSocket> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, family });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onError = (err: Error): void => {
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      reject(new UpscliError("CONNFAILURE", { detail: strerror(err), cause: err }));
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      if (timer !== undefined) clearTimeout(timer);
      socket.off("error", onError);
      socket.setNoDelay(true);
      resolve(socket);
    });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        socket.off("error", onError);
        socket.on("error", () => {});
        socket.destroy();
        reject(new UpscliError("CONNFAILURE", { detail: STRERROR.ETIMEDOUT!, timedOut: true }));
      }, timeoutMs);
    }
  });
}
