// BunTcpStream, the net.Socket stand-in on Bun's sockets: connect errors, writes and their
// completion (also past the socket buffer), the end of the connection, against servers on 127.0.0.1.
import { afterEach, describe, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { BunTcpStream } from "./bun-tcp-stream.ts";

let server: TCPSocketListener<undefined> | undefined;
afterEach(() => {
  server?.stop(true);
  server = undefined;
});

/** A server that hands every received chunk to `onData` (which may answer through the socket). */
function listen(onData: (s: import("bun").Socket<undefined>, data: Buffer) => void, onOpen?: (s: import("bun").Socket<undefined>) => void): number {
  server = Bun.listen<undefined>({ hostname: "127.0.0.1", port: 0, socket: { data: onData, ...(onOpen ? { open: onOpen } : {}) } });
  return server.port;
}

/** Resolves once `check` holds, polled every 5 ms for at most 5 s. */
async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 1000 && !check(); i++) await Bun.sleep(5);
  return check();
}

describe("BunTcpStream", () => {
  test("a refused connection rejects with the errno name", async () => {
    const port = listen(() => {});
    server!.stop(true);
    server = undefined;
    const err = (await BunTcpStream.connect("127.0.0.1", port).catch((e: unknown) => e)) as { code?: string };
    expect(err.code).toBe("ECONNREFUSED");
  });

  test("writes reach the peer, its replies come back as data, `done` runs once written", async () => {
    const port = listen((s, d) => s.write(`echo ${d.toString()}`));
    const stream = await BunTcpStream.connect("127.0.0.1", port);
    let received = "";
    stream.on("data", (chunk) => (received += chunk.toString()));
    let done = false;
    expect(stream.writable).toBe(true);
    stream.write("héllo\n", () => (done = true));
    expect(await until(() => received === "echo héllo\n")).toBe(true);
    expect(done).toBe(true);
    stream.destroy();
    expect(stream.destroyed).toBe(true);
    expect(stream.writable).toBe(false);
  });

  test("a write larger than the socket buffer is queued and completed on drain", async () => {
    let got = 0;
    const port = listen((_s, d) => (got += d.length));
    const stream = await BunTcpStream.connect("127.0.0.1", port);
    const big = "x".repeat(8 * 1024 * 1024);
    let done = false;
    stream.write(big, () => (done = true));
    expect(await until(() => done && got === big.length)).toBe(true);
    stream.destroy();
  });

  test("the peer closing: end, then close exactly once; once() listeners run once", async () => {
    const port = listen(() => {}, (s) => s.end());
    const stream = await BunTcpStream.connect("127.0.0.1", port);
    const events: string[] = [];
    stream.on("end", () => events.push("end"));
    stream.on("close", () => events.push("close"));
    stream.once("close", () => events.push("close-once"));
    expect(await until(() => events.includes("close"))).toBe(true);
    stream.closed();
    expect(events.filter((e) => e.startsWith("close"))).toEqual(["close", "close-once"]);
    expect(events[0]).toBe("end");
    expect(stream.destroyed).toBe(true);
  });

  test("off() removes a listener", async () => {
    const port = listen((s, d) => s.write(d));
    const stream = await BunTcpStream.connect("127.0.0.1", port);
    let a = "";
    let b = "";
    const la = (chunk: Buffer): void => {
      a += chunk.toString();
    };
    stream.on("data", la);
    stream.on("data", (chunk) => (b += chunk.toString()));
    stream.off("data", la);
    stream.write("x");
    expect(await until(() => b === "x")).toBe(true);
    expect(a).toBe("");
    stream.destroy();
  });

  test("a write after destroy() reports EPIPE as a write error", async () => {
    const port = listen(() => {});
    const stream = await BunTcpStream.connect("127.0.0.1", port);
    stream.destroy();
    const errors: Error[] = [];
    stream.on("error", (e) => errors.push(e));
    expect(stream.write("x")).toBe(false);
    expect(await until(() => errors.length === 1)).toBe(true);
    expect((errors[0] as Error & { code?: string; syscall?: string }).code).toBe("EPIPE");
    expect((errors[0] as Error & { syscall?: string }).syscall).toBe("write");
  });
});
