/**
 * A scripted upsd for client tests: each request line received is answered by the first rule
 * that matches it (exact text or a RegExp), with one or more reply lines, or not at all; lines
 * nobody expects get `ERR UNKNOWN-COMMAND`. Every line received is recorded. Listens on a free
 * port of 127.0.0.1 until stop().
 */
import { type Server, type Socket, createServer } from "node:net";

/** What a rule answers: reply lines (LF added), or nothing (null: the request stays unanswered). */
export type FakeReply = string | readonly string[] | null;

/** One rule: the request it matches and the reply. */
export interface FakeRule {
  match: string | RegExp;
  reply: FakeReply | ((line: string) => FakeReply);
}

/** A running fake upsd. */
export class FakeUpsd {
  readonly port: number;
  /** Every request line, in order of arrival (all connections). */
  readonly received: string[] = [];
  /** The request lines of each connection, in order of connection. */
  readonly sessions: string[][] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(rules: readonly FakeRule[]): Promise<FakeUpsd> {
    let self: FakeUpsd | undefined;
    const server = createServer((socket) => {
      self!.#sockets.add(socket);
      socket.on("close", () => self!.#sockets.delete(socket));
      socket.on("error", () => {});
      const session: string[] = [];
      self!.sessions.push(session);
      let pending = "";
      socket.on("data", (chunk) => {
        pending += chunk.toString("utf8");
        for (let lf = pending.indexOf("\n"); lf >= 0; lf = pending.indexOf("\n")) {
          const line = pending.slice(0, lf);
          pending = pending.slice(lf + 1);
          self!.received.push(line);
          session.push(line);
          const rule = rules.find((r) => (typeof r.match === "string" ? r.match === line : r.match.test(line)));
          const reply = rule === undefined ? (line === "LOGOUT" ? "OK Goodbye" : "ERR UNKNOWN-COMMAND") : typeof rule.reply === "function" ? rule.reply(line) : rule.reply;
          if (reply === null) continue;
          const lines = typeof reply === "string" ? [reply] : reply;
          if (!socket.destroyed) socket.write(lines.map((l) => `${l}\n`).join(""));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    self = new FakeUpsd(server, port);
    return self;
  }

  /** `<ups>@127.0.0.1:<port>`. */
  upsId(ups: string): string {
    return `${ups}@127.0.0.1:${this.port}`;
  }

  /** Closes every connection and the listener. */
  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
