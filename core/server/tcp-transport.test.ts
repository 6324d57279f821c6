import { afterEach, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type Socket, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, createSecureContext } from "node:tls";
import { eventually } from "../../test/harness/eventually.ts";
import type { ClientTransport, TransportEvents } from "./client-transport.ts";
import { type TcpListener, listenTcp } from "./tcp-transport.ts";

const listeners: TcpListener[] = [];
const clients: Socket[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const l of listeners.splice(0)) l.stop();
});

/** A listener on a free loopback port whose accepted transports arrive in order. */
function listen(): { port: number; next(): Promise<ClientTransport> } {
  const waiting: Array<(t: ClientTransport) => void> = [];
  const ready: ClientTransport[] = [];
  const listener = listenTcp("127.0.0.1", 0, false, (t) => {
    const w = waiting.shift();
    if (w) w(t);
    else ready.push(t);
  });
  listeners.push(listener);
  return {
    port: listener.port,
    next: () => new Promise((resolve) => (ready.length > 0 ? resolve(ready.shift()!) : waiting.push(resolve))),
  };
}

function client(port: number): Socket {
  const socket = connect(port, "127.0.0.1");
  clients.push(socket);
  return socket;
}

/** Events recorded by a transport's connection. */
function record(t: ClientTransport): { data: string[]; log: string[]; closed: Promise<void> } {
  const data: string[] = [];
  const log: string[] = [];
  let closed!: () => void;
  const p = new Promise<void>((r) => (closed = r));
  const events: TransportEvents = {
    data: (b) => data.push(Buffer.from(b).toString("latin1")),
    end: () => log.push("end"),
    error: (e) => log.push(`error ${e.message}`),
    close: () => {
      log.push("close");
      closed();
    },
    secure: () => log.push("secure"),
  };
  t.attach(events);
  return { data, log, closed: p };
}

const allOf = (socket: Socket): Promise<Buffer> =>
  new Promise((resolve) => {
    const parts: Buffer[] = [];
    socket.on("data", (d: Buffer) => parts.push(d));
    socket.on("end", () => resolve(Buffer.concat(parts)));
  });

describe("Bun TCP transport of upsd's clients", () => {
  test("delivers received bytes, and the peer's end, then close", async () => {
    const server = listen();
    const socket = client(server.port);
    const t = await server.next();
    expect(t.remoteAddress).toBe("127.0.0.1");
    const rec = record(t);
    socket.write("GET VAR ups ups.status\n");
    await Bun.sleep(50);
    socket.end();
    await rec.closed;
    expect(rec.data.join("")).toBe("GET VAR ups ups.status\n");
    expect(rec.log).toEqual(["end", "close"]);
  });

  test("a peer that does not read: bytes are queued, counted, and all arrive in order once it reads, before the FIN", async () => {
    const server = listen();
    const socket = client(server.port);
    socket.pause();
    const t = await server.next();
    record(t);
    const block = Buffer.alloc(64 * 1024);
    const total = 80;
    for (let i = 0; i < total; i++) {
      block.fill(i % 251);
      t.write(Buffer.from(block));
    }
    t.writeText("end of text é\n");
    expect(t.unsentBytes).toBeGreaterThan(0);
    t.end();
    const received = allOf(socket);
    socket.resume();
    const all = await received;
    expect(all.length).toBe(total * block.length + "end of text é\n".length);
    for (let i = 0; i < total; i++) expect(all[i * block.length + 1234]).toBe(i % 251);
    expect(all.subarray(total * block.length).toString("latin1")).toBe("end of text é\n");
    expect(t.unsentBytes).toBe(0);
  });

  test("destroy() drops what is queued and closes at once", async () => {
    const server = listen();
    const socket = client(server.port);
    socket.pause();
    const t = await server.next();
    const rec = record(t);
    for (let i = 0; i < 64; i++) t.write(Buffer.alloc(64 * 1024));
    t.destroy();
    await rec.closed;
    expect(t.unsentBytes).toBe(0);
  });

  test("a second listener on the same address fails with the bind error's code", () => {
    const server = listen();
    let code: unknown;
    try {
      listeners.push(listenTcp("127.0.0.1", server.port, false, () => undefined));
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    expect(code).toBe("EADDRINUSE");
  });

  test("STARTTLS: plaintext written before goes first, then TLS both ways, then close_notify and FIN", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nut-tls-"));
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "1", "-subj", "/CN=upsd-test"], { stdio: "ignore" });
      const pem = Buffer.concat([await Bun.file(join(dir, "c.pem")).bytes(), await Bun.file(join(dir, "k.pem")).bytes()]);
      const context = createSecureContext({ cert: pem, key: pem });
      const server = listen();
      const socket = client(server.port);
      const t = await server.next();
      const rec = record(t);
      socket.write("STARTTLS\n");
      const plain = new Promise<string>((resolve) => socket.once("data", (d: Buffer) => resolve(d.toString())));
      await eventually(() => rec.data.join("") === "STARTTLS\n");
      t.writeText("OK STARTTLS\n");
      t.startTls(context);
      expect(await plain).toBe("OK STARTTLS\n");
      const secure = tlsConnect({ socket, rejectUnauthorized: false });
      await new Promise<void>((resolve) => secure.once("secureConnect", () => resolve()));
      expect(secure.getPeerCertificate().subject?.CN).toBe("upsd-test");
      secure.write("GET VAR ups ups.status\n");
      await eventually(() => rec.data.join("") === "STARTTLS\nGET VAR ups ups.status\n");
      expect(rec.log).toContain("secure");
      const answer = new Promise<string>((resolve) => secure.once("data", (d: Buffer) => resolve(d.toString())));
      t.writeText('VAR ups ups.status "OL"\n');
      expect(await answer).toBe('VAR ups ups.status "OL"\n');
      const ended = new Promise<void>((resolve) => secure.once("end", () => resolve()));
      t.end();
      await ended;
      secure.destroy();
      await rec.closed;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
