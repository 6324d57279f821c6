// upsc's front in-process: options, argument errors, and its handling of the server's replies
// against a scripted server on 127.0.0.1 (texts from NUT 2.8.0's clients/upsc.c and
// clients/upsclient.c; -j from NUT 2.8.5+). test/interop/upsc.test.ts compares with Debian's upsc.
import { afterEach, describe, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { NUT_COMPAT_VERSION } from "../core/protocol/nut-version.ts";
import { eventually } from "../test/harness/eventually.ts";
import type { ProgramIo } from "./program-io.ts";
import { main } from "./upsc.ts";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function upsc(args: string[]): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const io: ProgramIo = { name: "upsc", env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Replies of the scripted server to one request line (undefined: close the connection). */
type Script = (line: string) => string | undefined;

let server: TCPSocketListener<{ buf: string }> | undefined;
const received: string[] = [];

/** A server answering every line through `script`; returns its port. */
function serve(script: Script): number {
  received.length = 0;
  server = Bun.listen<{ buf: string }>({
    hostname: "127.0.0.1",
    port: 0,
    data: { buf: "" },
    socket: {
      open(s) {
        s.data = { buf: "" };
      },
      data(s, chunk) {
        s.data.buf += chunk.toString("latin1");
        for (let nl = s.data.buf.indexOf("\n"); nl >= 0; nl = s.data.buf.indexOf("\n")) {
          const line = s.data.buf.slice(0, nl);
          s.data.buf = s.data.buf.slice(nl + 1);
          received.push(line);
          const reply = script(line);
          if (reply === undefined) {
            s.end();
            return;
          }
          s.write(reply);
        }
      },
    },
  });
  return server.port;
}

afterEach(() => {
  server?.stop(true);
  server = undefined;
});

const INIT = "Init SSL without certificate database\n";

/** A upsd without TLS: STARTTLS declined, LIST VAR from `list`, GET VAR from `vars`. */
function upsd(list: string[], extra: Script = () => undefined): Script {
  return (line) => {
    if (line === "STARTTLS") return "ERR FEATURE-NOT-CONFIGURED\n";
    if (line === "LIST VAR ups") return `BEGIN LIST VAR ups\n${list.join("\n")}${list.length ? "\n" : ""}END LIST VAR ups\n`;
    return extra(line) ?? "ERR UNKNOWN-COMMAND\n";
  };
}

describe("options", () => {
  test("-h: 2.8.0's help with 2.8.5's -j line, exit 0", async () => {
    const r = await upsc(["-h"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toStartWith(`Network UPS Tools upsc ${NUT_COMPAT_VERSION}`);
    expect(r.stdout).toContain("\nusage: upsc -l | -L [<hostname>[:port]]\n       upsc <ups> [<variable>]\n       upsc -c <ups>\n");
    expect(r.stdout).toContain("\nDemo program to display UPS variables.\n\nOption:\n  -j         - display output in JSON format\n\nFirst form (lists UPSes):\n");
    expect(r.stdout).toEndWith("  -c         - lists each client connected on <ups>, one per line.\n  <ups>      - upsd server, <upsname>[@<hostname>[:<port>]] form\n");
  });

  test("an unknown option: glibc's message, then the help, exit 0", async () => {
    const r = await upsc(["-z", "ups"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("upsc: invalid option -- 'z'\n");
    expect(r.stdout).toContain("usage: upsc");
  });

  test("-V: 2.8.0's (mis-named) version line on stderr, exit 0", async () => {
    const r = await upsc(["-V"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: expect.stringMatching(new RegExp(`^Network UPS Tools upscmd ${NUT_COMPAT_VERSION}\\S*\\n$`)) });
  });
});

describe("bad arguments", () => {
  const usage = "Error: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]\n";

  test("no UPS: the usage error alone", async () => {
    expect(await upsc([])).toEqual({ code: 1, stdout: "", stderr: usage });
  });

  test("upscli_splitname's message first, then upsc's", async () => {
    expect(await upsc(["ups@host:notaport"])).toEqual({ code: 1, stdout: "", stderr: `upscli_splitaddr: no port specified after ':' separator\n${usage}` });
    expect(await upsc([""])).toEqual({ code: 1, stdout: "", stderr: `upscli_splitname: can't parse empty string\n${usage}` });
    expect(await upsc(["ups@[::1"])).toEqual({ code: 1, stdout: "", stderr: `upscli_splitaddr: missing closing bracket in [domain literal]\n${usage}` });
  });

  test("`@` (2.8.0 crashes on it): an error like the others", async () => {
    expect(await upsc(["@"])).toEqual({ code: 1, stdout: "", stderr: `upscli_splitname: got empty upsname string\n${usage}` });
    expect(await upsc(["ups@[]"])).toEqual({ code: 1, stdout: "", stderr: `upscli_splitaddr: empty hostname\n${usage}` });
  });

  test("-l with a bad host", async () => {
    const r = await upsc(["-l", "host:0"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "upscli_splitaddr: no port specified after ':' separator\nError: invalid hostname.\nRequired format: [hostname[:port]]\n" });
  });

  test("-j: the same failures also as a JSON error object on stdout", async () => {
    const r = await upsc(["-j", "ups@host:notaport"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`upscli_splitaddr: no port specified after ':' separator\n${usage}`);
    expect(r.stdout).toBe('{"error": "invalid UPS definition.\\nRequired format: upsname[@hostname[:port]]"}\n');
    expect(JSON.parse(r.stdout)).toEqual({ error: "invalid UPS definition.\nRequired format: upsname[@hostname[:port]]" });
  });
});

describe("against a scripted server", () => {
  test("connection refused", async () => {
    const port = serve(() => undefined);
    server!.stop(true);
    server = undefined;
    expect(await upsc([`ups@127.0.0.1:${port}`])).toEqual({ code: 1, stdout: "", stderr: "Error: Connection failure: Connection refused\n" });
    expect(await upsc(["-j", "-l", `127.0.0.1:${port}`])).toEqual({
      code: 1,
      stdout: '{"error": "Connection failure: Connection refused"}\n',
      stderr: "Error: Connection failure: Connection refused\n",
    });
  });

  test("all variables: STARTTLS tried, LIST VAR, LOGOUT at the end", async () => {
    const port = serve(upsd(['VAR ups battery.charge "100"', 'VAR ups ups.mfr "A \\"B\\""', 'VAR ups ups.status "OL CHRG"']));
    expect(await upsc([`ups@127.0.0.1:${port}`])).toEqual({ code: 0, stdout: 'battery.charge: 100\nups.mfr: A "B"\nups.status: OL CHRG\n', stderr: INIT });
    // LOGOUT is sent on the way out, its reply never read
    expect(await eventually(() => received.length === 3)).toBe(true);
    expect(received).toEqual(["STARTTLS", "LIST VAR ups", "LOGOUT"]);
    const json = await upsc(["-j", `ups@127.0.0.1:${port}`]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('{\n  "battery.charge": "100",\n  "ups.mfr": "A \\"B\\"",\n  "ups.status": "OL CHRG"\n}\n');
    expect(JSON.parse(json.stdout)).toEqual({ "battery.charge": "100", "ups.mfr": 'A "B"', "ups.status": "OL CHRG" });
  });

  test("one variable: GET VAR; a name without a dot is refused after connecting", async () => {
    const port = serve(upsd([], (l) => (l === "GET VAR ups ups.status" ? 'VAR ups ups.status "OL"\n' : l.startsWith("GET VAR") ? "ERR VAR-NOT-SUPPORTED\n" : undefined)));
    expect(await upsc([`ups@127.0.0.1:${port}`, "ups.status"])).toEqual({ code: 0, stdout: "OL\n", stderr: INIT });
    expect(await upsc(["-j", `ups@127.0.0.1:${port}`, "ups.status"])).toEqual({ code: 0, stdout: '"OL"\n', stderr: INIT });
    expect(await upsc([`ups@127.0.0.1:${port}`, "no.such"])).toEqual({ code: 1, stdout: "", stderr: `${INIT}Error: Variable not supported by UPS\n` });
    expect(await upsc(["-j", `ups@127.0.0.1:${port}`, "no.such"])).toEqual({
      code: 1,
      stdout: '{"error": "Variable not supported by UPS"}\n',
      stderr: `${INIT}Error: Variable not supported by UPS\n`,
    });
    expect(await upsc([`ups@127.0.0.1:${port}`, "status"])).toEqual({ code: 1, stdout: "", stderr: `${INIT}Error: old-style variable names are not supported\n` });
  });

  test("a failure after BEGIN LIST ends the list: what came before is printed, exit 0", async () => {
    const port = serve(upsd(['VAR ups a.b "1"', "ERR DATA-STALE"]));
    expect(await upsc([`ups@127.0.0.1:${port}`])).toEqual({ code: 0, stdout: "a.b: 1\n", stderr: INIT });
    // an item of another query: the list stops there
    const port2 = serve(upsd(['VAR ups a.b "1"', 'VAR other c.d "2"', 'VAR ups e.f "3"']));
    expect(await upsc([`ups@127.0.0.1:${port2}`])).toEqual({ code: 0, stdout: "a.b: 1\n", stderr: INIT });
  });

  test("a short item: insufficient data, exit 1, the items before it printed", async () => {
    const port = serve(upsd(['VAR ups a.b "1"', "VAR ups c.d"]));
    const error = "insufficient data (got 3 args, need at least 4)";
    expect(await upsc([`ups@127.0.0.1:${port}`])).toEqual({ code: 1, stdout: "a.b: 1\n", stderr: `${INIT}Error: ${error}\n` });
    expect(await upsc(["-j", `ups@127.0.0.1:${port}`])).toEqual({ code: 1, stdout: `{\n  "a.b": "1"  "error": "${error}"\n}\n`, stderr: `${INIT}Error: ${error}\n` });
  });

  test("LIST refused at its start; UNKNOWN-COMMAND read as an old upsd", async () => {
    const port = serve((l) => (l === "STARTTLS" ? "ERR FEATURE-NOT-CONFIGURED\n" : l === "LIST VAR ups" ? "ERR DATA-STALE\n" : "ERR UNKNOWN-COMMAND\n"));
    expect(await upsc([`ups@127.0.0.1:${port}`])).toEqual({ code: 1, stdout: "", stderr: `${INIT}Error: Data stale\n` });
    expect(await upsc(["-j", `ups@127.0.0.1:${port}`])).toEqual({ code: 1, stdout: '{\n  "error": "Data stale"\n}\n', stderr: `${INIT}Error: Data stale\n` });
    expect(await upsc(["-l", `127.0.0.1:${port}`])).toEqual({ code: 1, stdout: "", stderr: `${INIT}Error: upsd is too old to support this query\n` });
    expect(await upsc(["-j", "-c", `ups@127.0.0.1:${port}`])).toEqual({
      code: 1,
      stdout: '{"error": "upsd is too old to support this query"}\n',
      stderr: `${INIT}Error: upsd is too old to support this query\n`,
    });
    expect(await upsc([`ups@127.0.0.1:${port}`, "ups.status"])).toEqual({ code: 1, stdout: "", stderr: `${INIT}Error: variable unknown (old upsd detected)\n` });
  });

  test("-l, -L and -c, plain and JSON", async () => {
    const port = serve((l) => {
      if (l === "STARTTLS") return "ERR FEATURE-NOT-CONFIGURED\n";
      if (l === "LIST UPS") return 'BEGIN LIST UPS\nUPS a "Box \\"A\\""\nUPS b "Description unavailable"\nEND LIST UPS\n';
      if (l === "LIST CLIENT a") return "BEGIN LIST CLIENT a\nCLIENT a 127.0.0.1\nCLIENT a ::1\nEND LIST CLIENT a\n";
      return "ERR UNKNOWN-UPS\n";
    });
    const host = `127.0.0.1:${port}`;
    expect(await upsc(["-l", host])).toEqual({ code: 0, stdout: "a\nb\n", stderr: INIT });
    expect(await upsc(["-L", host])).toEqual({ code: 0, stdout: 'a: Box "A"\nb: Description unavailable\n', stderr: INIT });
    expect(await upsc(["-c", `a@${host}`])).toEqual({ code: 0, stdout: "127.0.0.1\n::1\n", stderr: INIT });
    expect(await upsc(["-j", "-l", host])).toEqual({ code: 0, stdout: '[\n  "a",\n  "b"\n]\n', stderr: INIT });
    expect(await upsc(["-j", "-L", host])).toEqual({ code: 0, stdout: '{\n  "a": "Box \\"A\\"",\n  "b": "Description unavailable"\n}\n', stderr: INIT });
    expect(await upsc(["-j", "-c", `a@${host}`])).toEqual({ code: 0, stdout: '[\n  "127.0.0.1",\n  "::1"\n]\n', stderr: INIT });
    expect(await upsc(["-c", `z@${host}`])).toEqual({ code: 1, stdout: "", stderr: `${INIT}Error: Unknown UPS\n` });
  });

  test("the server hangs up on STARTTLS: libupsclient's notice, then the error", async () => {
    const port = serve(() => undefined);
    expect(await upsc([`ups@127.0.0.1:${port}`])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INIT}Error while connecting to NUT server 127.0.0.1, disconnect\nError: Server disconnected\n`,
    });
  });
});
