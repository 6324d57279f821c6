/**
 * A driver socket server speaking just enough of NUT 2.8.0's driver side for upsd: DUMPALL
 * answered with a fixed dump (SETINFO / ADDENUM / ADDRANGE / SETFLAGS / ADDCMD … lines, ending
 * in DUMPDONE), PING with PONG, every other line recorded and, when it carries a TRACKING id,
 * answered `TRACKING <id> <status>` from `status(line)` (0 = success; null = never answered).
 * Gives a upsd UPSes that Debian's dummy-ups cannot describe: enumerations, ranges, string
 * lengths, commands of one's choice. Any number of upsds may connect to it at once.
 */
import { rmSync } from "node:fs";
import { type Server, type Socket, createServer } from "node:net";

export class FakeDriver {
  /** Lines received other than DUMPALL and PING. */
  readonly received: string[] = [];
  readonly #server: Server;
  readonly #path: string;
  readonly #sockets = new Set<Socket>();
  readonly #dump: string;
  readonly #status: (line: string) => number | null;

  /** Listens on the Unix socket `path` (`<STATEPATH>/<driver>-<ups>`). */
  constructor(path: string, dumpLines: readonly string[], status: (line: string) => number | null = () => 0) {
    this.#path = path;
    this.#dump = dumpLines.map((l) => `${l}\n`).join("");
    this.#status = status;
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      let buffer = "";
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => undefined);
      socket.on("data", (data) => {
        buffer += data.toString("latin1");
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          this.#answer(socket, line);
        }
      });
    });
    this.#server.listen(path);
  }

  #answer(socket: Socket, line: string): void {
    const words = line.split(" ");
    if (words[0] === "DUMPALL") {
      socket.write(this.#dump);
      return;
    }
    if (words[0] === "PING") {
      socket.write("PONG\n");
      return;
    }
    this.received.push(line);
    const t = words.indexOf("TRACKING");
    const status = t >= 0 ? this.#status(line) : null;
    if (status !== null) socket.write(`TRACKING ${words[t + 1]} ${status}\n`);
  }

  /** Closes every connection and the socket, and removes the socket file. */
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    rmSync(this.#path, { force: true });
  }
}
