import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import {
  NET_ERROR_TOKENS,
  NutProtocolError,
  UpscliError,
  isNetErrorToken,
  parseErrLine,
  upscliErrorText,
} from "../protocol/net-error.ts";
import { NutClient, NutInsufficientDataError, ReplyLineReader, buildCommand, parseReplyLine } from "./nut-client.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("ReplyLineReader splits the byte stream as upscli_readline()", () => {
  const stream = 'BEGIN LIST VAR u\nVAR u a "1"\r\nVAR u b "x y"\nEND LIST VAR u\nOK\n';
  const expected = ["BEGIN LIST VAR u", 'VAR u a "1"\r', 'VAR u b "x y"', "END LIST VAR u", "OK"];

  test("whole stream at once", () => {
    expect(new ReplyLineReader().push(enc(stream)).map(dec)).toEqual(expected);
  });

  test("every two-chunk split gives the same lines", () => {
    const bytes = enc(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = new ReplyLineReader();
      const lines = [...r.push(bytes.subarray(0, cut)), ...r.push(bytes.subarray(cut))];
      expect(lines.map(dec)).toEqual(expected);
      expect(r.pending).toBe(0);
    }
  });

  test("one byte at a time", () => {
    const r = new ReplyLineReader();
    const lines: Uint8Array[] = [];
    for (const b of enc(stream)) lines.push(...r.push(Uint8Array.of(b)));
    expect(lines.map(dec)).toEqual(expected);
  });

  test("a line of 511 bytes without LF ends there; the rest is the next line", () => {
    const r = new ReplyLineReader();
    const long = "x".repeat(600);
    const lines = r.push(enc(`${long}\nVER\n`)).map(dec);
    expect(lines).toEqual(["x".repeat(511), "x".repeat(89), "VER"]);
    // exactly 511 bytes then LF: the LF is read as an empty next line
    expect(new ReplyLineReader().push(enc(`${"y".repeat(511)}\n`)).map(dec)).toEqual(["y".repeat(511), ""]);
  });

  test("same lines as a byte-at-a-time reference over 5,000 seeded streams and chunkings (small buffer limits included)", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const reference = (bytes: Uint8Array, max: number): string[] => {
      const out: string[] = [];
      let line: number[] = [];
      for (const b of bytes) {
        if (b === 0x0a) {
          out.push(String.fromCharCode(...line));
          line = [];
          continue;
        }
        line.push(b);
        if (line.length >= max) {
          out.push(String.fromCharCode(...line));
          line = [];
        }
      }
      return out;
    };
    for (let run = 0; run < 5000; run++) {
      const max = [1, 2, 5, 511][rand(4)]!;
      const bytes = Uint8Array.from({ length: rand(60) }, () => (rand(4) === 0 ? 0x0a : 0x61 + rand(3)));
      const r = new ReplyLineReader(max);
      const got: string[] = [];
      for (let at = 0; at < bytes.length; ) {
        const n = 1 + rand(8);
        // the same buffer is reused by the caller: the reader must have copied what it keeps
        const chunk = bytes.slice(at, at + n);
        got.push(...r.push(chunk).map((l) => String.fromCharCode(...l)));
        chunk.fill(0x7a);
        at += n;
      }
      expect(got).toEqual(reference(bytes, max));
    }
  });

  test("a partial line waits for its LF", () => {
    const r = new ReplyLineReader();
    expect(r.push(enc("VAR u x "))).toEqual([]);
    expect(r.pending).toBe(8);
    expect(r.push(enc('"1"\n')).map(dec)).toEqual(['VAR u x "1"']);
  });
});

describe("parseReplyLine() splits words as pconf_line()", () => {
  const cases: [string, string[]][] = [
    ['VAR ups ups.status "OL CHRG"', ["VAR", "ups", "ups.status", "OL CHRG"]],
    ['VAR fake ups.id "a\\"b\\\\c"', ["VAR", "fake", "ups.id", 'a"b\\c']],
    ['VAR u v "a\\#b"', ["VAR", "u", "v", "a#b"]],
    ['VAR u v ""', ["VAR", "u", "v", ""]],
    ["UPS dummy \"Test \\\"quoted\\\" box\"", ["UPS", "dummy", 'Test "quoted" box']],
    ['RANGE u v "280" "290"', ["RANGE", "u", "v", "280", "290"]],
    ['VAR u v "unterminated', ["VAR", "u", "v", "unterminated"]],
    ['VAR u v "a#b" tail', ["VAR", "u", "v", "a"]],
    ["OK\r", ["OK"]],
    ["TYPE u v RW STRING:16", ["TYPE", "u", "v", "RW", "STRING:16"]],
    ["", []],
    ["  ", []],
  ];
  for (const [line, words] of cases) {
    test(JSON.stringify(line), () => expect(parseReplyLine(line)).toEqual(words));
  }

  test("a NUL byte ends the C string", () => {
    expect(parseReplyLine(Uint8Array.from([...enc("VAR u v x"), 0, ...enc(" more")]))).toEqual(["VAR", "u", "v", "x"]);
  });
});

describe("buildCommand() quotes as build_cmd()", () => {
  test("arguments are escaped; only those with a space are quoted", () => {
    expect(buildCommand("GET", ["VAR", "ups", "ups.status"])).toBe("GET VAR ups ups.status\n");
    expect(buildCommand("GET", ["VAR", "my ups", "x"])).toBe('GET VAR "my ups" x\n');
    expect(buildCommand("LIST", ["ENUM", "u", 'a"b#c\\d'])).toBe('LIST ENUM u a\\"b\\#c\\\\d\n');
    expect(buildCommand("GET", ["VAR", "u", 'a "b"'])).toBe('GET VAR u "a \\"b\\""\n');
    // a TAB is not a space to strchr(arg, ' ')
    expect(buildCommand("GET", ["VAR", "u", "a\tb"])).toBe("GET VAR u a\tb\n");
  });
});

describe("ERR replies map to libupsclient's texts", () => {
  // clients-cli.md §1.3 (upsd_errlist + upscli_errlist of clients/upsclient.c)
  const texts: Record<string, string> = {
    "VAR-NOT-SUPPORTED": "Variable not supported by UPS",
    "UNKNOWN-UPS": "Unknown UPS",
    "ACCESS-DENIED": "Access denied",
    "PASSWORD-REQUIRED": "Password required",
    "PASSWORD-INCORRECT": "Password incorrect",
    "MISSING-ARGUMENT": "Missing argument",
    "DATA-STALE": "Data stale",
    "VAR-UNKNOWN": "Variable unknown",
    "ALREADY-LOGGED-IN": "Already logged in",
    "ALREADY-SET-PASSWORD": "Already set password",
    "UNKNOWN-TYPE": "Unknown variable type",
    "UNKNOWN-VAR": "Unknown variable",
    READONLY: "Read-only variable",
    "TOO-LONG": "New value is too long",
    "INVALID-VALUE": "Invalid value for variable",
    "SET-FAILED": "Set command failed",
    "UNKNOWN-INSTCMD": "Unknown instant command",
    "INSTCMD-FAILED": "Instant command failed",
    "CMD-NOT-SUPPORTED": "Instant command not supported",
    "INVALID-USERNAME": "Invalid username",
    "ALREADY-SET-USERNAME": "Already set username",
    "UNKNOWN-COMMAND": "Unknown command",
    "INVALID-PASSWORD": "Invalid password",
    "USERNAME-REQUIRED": "Username required",
    "DRIVER-NOT-CONNECTED": "Driver not connected",
  };

  test("every token of the protocol", () => {
    for (const token of NET_ERROR_TOKENS) {
      const err = parseErrLine(`ERR ${token}`);
      expect(err).toBeInstanceOf(NutProtocolError);
      expect(err!.token).toBe(token);
      expect(err!.reply).toBe(`ERR ${token}`);
      expect(err!.message).toBe(texts[token] ?? "Unknown error");
    }
  });

  test("mapped tokens not sent by 2.8.0 and unmapped ones", () => {
    expect(parseErrLine("ERR INVALID-ARGUMENT")!.message).toBe("Unknown error");
    expect(parseErrLine("ERR FEATURE-NOT-CONFIGURED")!.code).toBe("UNKNOWN");
    expect(parseErrLine("ERR SOMETHING-NEW")!.token).toBe("SOMETHING-NEW");
    expect(isNetErrorToken("SOMETHING-NEW")).toBe(false);
    expect(isNetErrorToken("DATA-STALE")).toBe(true);
  });

  test("matching is on the prefix after ERR, extra words allowed", () => {
    const err = parseErrLine("ERR DATA-STALE something extra")!;
    expect(err.token).toBe("DATA-STALE");
    expect(err.message).toBe("Data stale");
    expect(parseErrLine("OK")).toBeUndefined();
    expect(parseErrLine('VAR u v "ERR"')).toBeUndefined();
  });

  test("the server side builds the same error from a token", () => {
    const err = new NutProtocolError("UNKNOWN-UPS");
    expect(err.reply).toBe("ERR UNKNOWN-UPS");
    expect(err.message).toBe("Unknown UPS");
    expect(err).toBeInstanceOf(UpscliError);
  });

  test("local error texts", () => {
    expect(upscliErrorText("CONNFAILURE", "Connection refused")).toBe("Connection failure: Connection refused");
    expect(upscliErrorText("SRVDISC")).toBe("Server disconnected");
    expect(upscliErrorText("SSLFAIL")).toBe("SSL is not available");
    expect(new UpscliError("NOSUCHHOST").message).toBe("No such host");
    expect(new UpscliError("SSLERR", { detail: "peer disconnected" }).message).toBe("SSL error: peer disconnected");
  });
});

/** A scripted upsd: each received line goes to `reply`, whose answer is written back raw. */
interface Scripted {
  port: number;
  received: string[];
  sockets: net.Socket[];
  close(): Promise<void>;
}

type Replier = (line: string, write: (text: string) => void, socket: net.Socket) => string | undefined | void;

interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
}

async function scripted(reply: Replier, options: { tls?: TlsMaterial | "decline"; host?: string } = {}): Promise<Scripted> {
  const received: string[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    let stream: net.Socket = socket;
    let buf = "";
    let upgraded = false;
    const write = (text: string): void => {
      stream.write(text);
    };
    const onData = (chunk: Buffer): void => {
      if (upgraded && stream === socket) return;
      buf += chunk.toString("latin1");
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        received.push(line);
        if (line === "STARTTLS" && options.tls !== undefined && stream === socket) {
          if (options.tls === "decline") {
            write("ERR FEATURE-NOT-CONFIGURED\n");
            continue;
          }
          const material = options.tls;
          upgraded = true;
          socket.write("OK STARTTLS\n", () => {
            const secure = new tls.TLSSocket(socket, { isServer: true, key: material.key, cert: material.cert });
            secure.on("error", () => {});
            stream = secure as net.Socket;
            secure.on("data", onData);
          });
          return;
        }
        const out = reply(line, write, socket);
        if (typeof out === "string") write(out);
      }
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const logoutOk = (line: string): string | undefined => (line === "LOGOUT" ? "OK Goodbye\n" : undefined);

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("NutClient against a scripted server", () => {
  test("a reply written one byte at a time", async () => {
    const srv = await scripted((line, _w, socket) => {
      if (line.startsWith("GET VAR")) {
        const bytes = Buffer.from('VAR ups ups.status "OL CHRG"\n');
        void (async () => {
          for (const b of bytes) {
            socket.write(Uint8Array.of(b));
            await Bun.sleep(1);
          }
        })();
      }
      return logoutOk(line);
    });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      expect(await c.getVar("ups", "ups.status")).toBe("OL CHRG");
    } finally {
      await srv.close();
    }
  });

  test("pipelined requests get their replies in order, even from one segment", async () => {
    const replies: Record<string, string> = {
      "GET VAR ups ups.status": 'VAR ups ups.status "OL"\n',
      "LIST VAR ups": 'BEGIN LIST VAR ups\nVAR ups a "1"\nVAR ups b "two words"\nEND LIST VAR ups\n',
      VER: "Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/\n",
      "GET NUMLOGINS ups": "NUMLOGINS ups 3\n",
      "LIST CMD ups": "BEGIN LIST CMD ups\nCMD ups load.off\nCMD ups Load.on\nEND LIST CMD ups\n",
    };
    let batch = "";
    const srv = await scripted((line, write) => {
      const r = replies[line];
      if (r === undefined) return logoutOk(line);
      batch += r;
      if (line === "LIST CMD ups") write(batch);
      return undefined;
    });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      const [status, vars, ver, logins, cmds] = await Promise.all([
        c.getVar("ups", "ups.status"),
        c.listVar("ups"),
        c.ver(),
        c.getNumLogins("ups"),
        c.listCmd("ups"),
      ]);
      expect(status).toBe("OL");
      expect(vars).toEqual([
        { name: "a", value: "1" },
        { name: "b", value: "two words" },
      ]);
      expect(ver).toBe("Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/");
      expect(logins).toBe(3);
      expect(cmds).toEqual(["load.off", "Load.on"]);
    } finally {
      await srv.close();
    }
  });

  test("the exact request lines NUT's programs send", async () => {
    const srv = await scripted((line) => {
      if (line.startsWith("GET VAR")) return 'VAR "my ups" x "1"\n';
      if (line.startsWith("INSTCMD")) return "OK\n";
      if (line.startsWith("SET VAR")) return "OK TRACKING 2DDC5036-F665-4D29-BE4C-0374D091D263\n";
      if (line.startsWith("LIST ENUM")) return 'BEGIN LIST ENUM u a\\#b\nENUM u a\\#b "x"\nEND LIST ENUM u a\\#b\n';
      if (line === "LOGOUT") return "OK Goodbye\n";
      return "OK\n";
    });
    try {
      const c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      await c.username("admin");
      await c.password("p@ss");
      await c.login("ups");
      expect(await c.getVar("my ups", "x")).toBe("1");
      expect(await c.listEnum("u", "a#b")).toEqual(["x"]);
      expect(await c.setVar("ups", "ups.id", 'x "y" #z \\w')).toEqual({
        line: "OK TRACKING 2DDC5036-F665-4D29-BE4C-0374D091D263",
        tracking: "2DDC5036-F665-4D29-BE4C-0374D091D263",
      });
      expect(await c.instCmd("ups", "load.off")).toEqual({ line: "OK" });
      await c.instCmd("ups", "test.battery.start", "1 2");
      await c.setTracking(true);
      await c.setTracking(false);
      await c.fsd("ups");
      expect(await c.logout()).toBe("OK Goodbye");
      await c.close();
      expect(srv.received).toEqual([
        "USERNAME admin",
        "PASSWORD p@ss",
        "LOGIN ups",
        'GET VAR "my ups" x',
        "LIST ENUM u a\\#b",
        'SET VAR ups ups.id "x \\"y\\" \\#z \\\\w"',
        "INSTCMD ups load.off",
        "INSTCMD ups test.battery.start 1 2",
        "SET TRACKING ON",
        "SET TRACKING OFF",
        "FSD ups",
        "LOGOUT",
      ]);
    } finally {
      await srv.close();
    }
  });

  test("close() sends LOGOUT without waiting and later calls say Driver not connected", async () => {
    const srv = await scripted(() => undefined);
    try {
      const c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      await c.close();
      await Bun.sleep(50);
      expect(srv.received).toEqual(["LOGOUT"]);
      expect(c.closed).toBe(true);
      const err = await caught(c.ver());
      expect(err).toBeInstanceOf(UpscliError);
      expect(err.message).toBe("Driver not connected");
    } finally {
      await srv.close();
    }
  });

  test("ERR replies throw NutProtocolError with libupsclient's text", async () => {
    const srv = await scripted((line) => {
      if (line.startsWith("GET VAR nope")) return "ERR UNKNOWN-UPS\n";
      if (line.startsWith("GET VAR ups")) return "ERR VAR-NOT-SUPPORTED\n";
      if (line.startsWith("LIST VAR")) return "ERR DATA-STALE\n";
      if (line.startsWith("LOGIN")) return "ERR ACCESS-DENIED\n";
      if (line.startsWith("INSTCMD")) return "ERR CMD-NOT-SUPPORTED\n";
      if (line === "NETVER") return "ERR UNKNOWN-COMMAND\n";
      return logoutOk(line);
    });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      const cases: [Promise<unknown>, string, string][] = [
        [c.getVar("nope", "x.y"), "UNKNOWN-UPS", "Unknown UPS"],
        [c.getVar("ups", "x.y"), "VAR-NOT-SUPPORTED", "Variable not supported by UPS"],
        [c.listVar("ups"), "DATA-STALE", "Data stale"],
        [c.login("ups"), "ACCESS-DENIED", "Access denied"],
        [c.instCmd("ups", "x"), "CMD-NOT-SUPPORTED", "Instant command not supported"],
        [c.netver(), "UNKNOWN-COMMAND", "Unknown command"],
      ];
      for (const [p, token, text] of cases) {
        const err = await caught(p);
        expect(err).toBeInstanceOf(NutProtocolError);
        expect((err as NutProtocolError).token).toBe(token);
        expect(err.message).toBe(text);
      }
      // still in step after errors
      expect(await c.logout()).toBe("OK Goodbye");
    } finally {
      await srv.close();
    }
  });

  test("replies that do not echo the query are protocol errors; the stream stays in step", async () => {
    const srv = await scripted((line) => {
      if (line === "GET VAR ups x.y") return 'VAR other x.y "1"\n';
      if (line === "LIST VAR ups") return 'BEGIN LIST VAR ups\nVAR ups a "1"\nVAR zzz b "2"\nEND LIST VAR ups\n';
      if (line === "LIST RW ups") return 'BEGIN LIST VAR ups\nEND LIST VAR ups\n';
      if (line === "LIST UPS") return "BEGIN LIST UPS\nUPS dummy\nEND LIST UPS\n";
      if (line === "SET TRACKING ON") return "WHAT\n";
      if (line === "GET VAR ups ok.var") return 'var UPS OK.VAR "fine"\n';
      return logoutOk(line);
    });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      expect((await caught(c.getVar("ups", "x.y"))).message).toBe("Protocol error");
      expect((await caught(c.listVar("ups"))).message).toBe("Protocol error");
      expect((await caught(c.listRw("ups"))).message).toBe("Protocol error");
      const short = await caught(c.listUps());
      expect(short).toBeInstanceOf(NutInsufficientDataError);
      expect(short.message).toBe("insufficient data (got 2 args, need at least 3)");
      const odd = await caught(c.setTracking(true));
      expect(odd.message).toBe("Invalid response from server");
      expect((odd as UpscliError).reply).toBe("WHAT");
      // verify_resp() compares case-insensitively
      expect(await c.getVar("ups", "ok.var")).toBe("fine");
    } finally {
      await srv.close();
    }
  });

  test("PRIMARY falls back to MASTER on any non-OK answer, as upsmon does", async () => {
    const srv = await scripted((line) => {
      if (line.startsWith("PRIMARY")) return "ERR UNKNOWN-COMMAND\n";
      if (line.startsWith("MASTER")) return "OK MASTER-GRANTED\n";
      return logoutOk(line);
    });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      expect(await c.primary("ups")).toBe("MASTER");
      expect(srv.received).toEqual(["PRIMARY ups", "MASTER ups"]);
    } finally {
      await srv.close();
    }
  });

  test("GET TRACKING results and GET TRACKING mode", async () => {
    const answers: Record<string, string> = {
      "GET TRACKING A": "PENDING\n",
      "GET TRACKING B": "SUCCESS\n",
      "GET TRACKING C": "ERR UNKNOWN\n",
      "GET TRACKING D": "ERR INVALID-ARGUMENT\n",
      "GET TRACKING E": "ERR FAILED\n",
      "GET TRACKING F": "ERR FEATURE-NOT-CONFIGURED\n",
      "GET TRACKING": "ON\n",
    };
    const srv = await scripted((line) => answers[line] ?? logoutOk(line));
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      expect((await c.getTracking("A")).status).toBe("PENDING");
      expect((await c.getTracking("B")).status).toBe("SUCCESS");
      expect(await c.getTracking("C")).toEqual({ status: "UNKNOWN", line: "ERR UNKNOWN" });
      expect((await c.getTracking("D")).status).toBe("INVALID-ARGUMENT");
      expect((await c.getTracking("E")).status).toBe("FAILED");
      const err = await caught(c.getTracking("F"));
      expect((err as NutProtocolError).token).toBe("FEATURE-NOT-CONFIGURED");
      expect(await c.getTrackingMode()).toBe(true);
    } finally {
      await srv.close();
    }
  });

  test("a line nobody asked for is read by the next request, as libupsclient's buffer does", async () => {
    const srv = await scripted((line, write) => {
      if (line === "VER") {
        write("1.3\n");
        write("VER-REPLY\n");
      }
      return logoutOk(line);
    });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      expect(await c.ver()).toBe("1.3");
      await Bun.sleep(50);
      expect(await c.help()).toBe("VER-REPLY");
    } finally {
      await srv.close();
    }
  });

  test("arguments with LF or NUL are refused before anything is sent", async () => {
    const srv = await scripted(logoutOk);
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      for (const p of [c.username("a\nLOGIN x"), c.getVar("u", "a\0b"), c.setVar("u", "v", "x\ny"), c.request("A\nB")]) {
        expect((await caught(p)).message).toBe("Invalid argument");
      }
      expect(srv.received).toEqual([]);
    } finally {
      await srv.close();
    }
  });

  test("a silent server: Server disconnected after the read timeout, then Driver not connected", async () => {
    const srv = await scripted(() => undefined);
    try {
      const c = await NutClient.connect({ host: "127.0.0.1", port: srv.port, readTimeoutMs: 200 });
      const started = Date.now();
      const err = (await caught(c.ver())) as UpscliError;
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(err.message).toBe("Server disconnected");
      expect(err.timedOut).toBe(true);
      expect((await caught(c.ver())).message).toBe("Driver not connected");
      await c.close();
    } finally {
      await srv.close();
    }
  });

  test("the server closing during a request, and while idle", async () => {
    const srv = await scripted((line, _w, socket) => {
      if (line === "VER") socket.end();
      return undefined;
    });
    try {
      const a = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      expect((await caught(a.ver())).message).toBe("Server disconnected");
      await a.close();

      const b = await NutClient.connect({ host: "127.0.0.1", port: srv.port });
      await Bun.sleep(30);
      srv.sockets.at(-1)!.end();
      await Bun.sleep(50);
      expect(b.closed).toBe(true);
      expect((await caught(b.help())).message).toBe("Server disconnected");
      expect((await caught(b.help())).message).toBe("Driver not connected");
      await b.close();
    } finally {
      await srv.close();
    }
  });

  test("connection refused and unknown host carry libupsclient's texts", async () => {
    const srv = await scripted(() => undefined);
    const port = srv.port;
    await srv.close();
    const refused = (await caught(NutClient.connect({ host: "127.0.0.1", port }))) as UpscliError;
    expect(refused.message).toBe("Connection failure: Connection refused");
    expect(refused.code).toBe("CONNFAILURE");
    const unknown = await caught(NutClient.connect({ host: "nonexistent.invalid", port }));
    expect(unknown.message).toBe("No such host");
    expect((await caught(NutClient.connect({ host: "::1", port, family: 4 }))).message).toBe("No such host");
  });

  test("IPv6 literal hosts", async () => {
    let srv: Scripted;
    try {
      srv = await scripted((line) => (line === "NETVER" ? "1.3\n" : logoutOk(line)), { host: "::1" });
    } catch {
      return; // no IPv6 loopback here
    }
    try {
      await using c = await NutClient.connect({ host: "::1", port: srv.port });
      expect(await c.netver()).toBe("1.3");
    } finally {
      await srv.close();
    }
  });
});

describe("STARTTLS", () => {
  let dir: string;
  let good: TlsMaterial;
  let rogue: TlsMaterial;

  function selfSigned(name: string, subject: string, san: string): TlsMaterial {
    const key = join(dir, `${name}.key`);
    const cert = join(dir, `${name}.pem`);
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", key, "-out", cert, "-days", "2", "-subj", subject, "-addext", `subjectAltName=${san}`,
    ], { stdio: "ignore" });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "nut-client-tls-"));
    good = selfSigned("good", "/CN=localhost", "DNS:localhost,IP:127.0.0.1");
    rogue = selfSigned("rogue", "/CN=rogue", "DNS:rogue");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const answer = (line: string): string | undefined => {
    if (line === "GET VAR ups ups.status") return 'VAR ups ups.status "OL"\n';
    if (line === "STARTTLS") return "ERR ALREADY-SSL-MODE\n";
    return logoutOk(line);
  };

  test("try: OK STARTTLS, then the session runs inside TLS", async () => {
    const srv = await scripted(answer, { tls: good });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "try" } });
      expect(c.ssl).toBe(true);
      expect(await c.getVar("ups", "ups.status")).toBe("OL");
      expect(srv.received).toEqual(["STARTTLS", "GET VAR ups ups.status"]);
    } finally {
      await srv.close();
    }
  });

  test("verify against the right CA and name; a wrong CA fails", async () => {
    const srv = await scripted(answer, { tls: good });
    try {
      await using ok = await NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "require", verify: true, ca: good.cert } });
      expect(ok.ssl).toBe(true);
      expect(await ok.getVar("ups", "ups.status")).toBe("OL");
      await using named = await NutClient.connect({
        host: "127.0.0.1",
        port: srv.port,
        tls: { mode: "require", verify: true, ca: good.cert, certName: "localhost" },
      });
      expect(named.ssl).toBe(true);

      const wrongCa = await caught(NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "require", verify: true, ca: rogue.cert } }));
      expect(wrongCa.message).toBe("SSL is not available");
      const wrongName = await caught(
        NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "try", verify: true, ca: good.cert, certName: "other" } }),
      );
      expect(wrongName).toBeInstanceOf(UpscliError);
      expect((wrongName as UpscliError).code).toBe("UNKNOWN");
      expect(wrongName.cause).toBeDefined();
    } finally {
      await srv.close();
    }
  });

  test("without verify any certificate is accepted", async () => {
    const srv = await scripted(answer, { tls: rogue });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "try" } });
      expect(c.ssl).toBe(true);
      expect(await c.getVar("ups", "ups.status")).toBe("OL");
    } finally {
      await srv.close();
    }
  });

  test("a declined STARTTLS: try continues in plaintext, require fails", async () => {
    const srv = await scripted(answer, { tls: "decline" });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "try" } });
      expect(c.ssl).toBe(false);
      expect(await c.getVar("ups", "ups.status")).toBe("OL");
      const forced = (await caught(NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "require" } }))) as UpscliError;
      expect(forced.message).toBe("SSL is not available");
      expect(forced.code).toBe("SSLFAIL");
      const verifying = (await caught(NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "try", verify: true } }))) as UpscliError;
      expect(verifying.code).toBe("UNKNOWN");
    } finally {
      await srv.close();
    }
  });

  test("mode off sends no STARTTLS", async () => {
    const srv = await scripted(answer, { tls: good });
    try {
      await using c = await NutClient.connect({ host: "127.0.0.1", port: srv.port, tls: { mode: "off" } });
      expect(await c.getVar("ups", "ups.status")).toBe("OL");
      expect(srv.received).toEqual(["GET VAR ups ups.status"]);
    } finally {
      await srv.close();
    }
  });
});
