import { describe, expect, test } from "bun:test";
import { ConfTokenizer, UNBALANCED_QUOTE_HASH, tokenizeConfig } from "../config/tokenizer.ts";
import { ST_FLAG_IMMUTABLE, ST_FLAG_NUMBER, ST_FLAG_RW, ST_FLAG_STRING, StateTree } from "../state/state-tree.ts";
import {
  SOCK_MESSAGE_SINCE,
  ST_SOCK_BUF_LEN,
  SockLineReader,
  dumpAll,
  dumpValue,
  formatSockMessage,
  parseSockLine,
} from "./sock-protocol.ts";
import type { SockMessage, SockParseResult } from "./sock-protocol.ts";

const enc = new TextEncoder();

/** Words of one formatted line, read back with NUT's tokenizer. */
function wordsOf(line: string): string[] {
  const lines = tokenizeConfig(line).lines;
  expect(lines).toHaveLength(1);
  return lines[0]!.words;
}

function parsed(words: string[]): SockParseResult {
  return parseSockLine(words);
}

// One of each, with values that need escaping where the protocol carries free text.
const ALL_MESSAGES: SockMessage[] = [
  { type: "SETINFO", name: "ups.mfr", value: 'a"b\\c#d e' },
  { type: "SETINFO", name: "ups.id", value: "" },
  { type: "DELINFO", name: "ups.temperature" },
  { type: "ADDENUM", name: "input.transfer.low", value: "95 #x" },
  { type: "DELENUM", name: "input.transfer.low", value: "98" },
  { type: "ADDRANGE", name: "input.transfer.low", min: -5, max: 100 },
  { type: "DELRANGE", name: "input.transfer.low", min: 95, max: 100 },
  { type: "SETAUX", name: "ups.id", aux: 8 },
  { type: "SETFLAGS", name: "ups.id", flags: ["RW", "STRING"] },
  { type: "SETFLAGS", name: "x", flags: ["NUMBER"] },
  { type: "ADDCMD", name: "load.off" },
  { type: "DELCMD", name: "load.on" },
  { type: "DUMPDONE" },
  { type: "PONG" },
  { type: "DATAOK" },
  { type: "DATASTALE" },
  { type: "TRACKING", id: "2DDC5036-F665-4D29-BE4C-0374D091D263", status: 0 },
  { type: "TRACKING", id: "abc", status: -1 },
  { type: "PID", pid: "1234" },
  { type: "OK", text: "Goodbye" },
  { type: "DUMPALL" },
  { type: "PING" },
  { type: "SET", name: "ups.id", value: 'Data "room" #1' },
  { type: "SET", name: "ups.id", value: "x", tracking: "1bd31808-cb49-4aec-9d75-d056e6f018d2" },
  { type: "INSTCMD", name: "panel.test.start" },
  { type: "INSTCMD", name: "load.off", param: "10" },
  { type: "INSTCMD", name: "load.on", tracking: "id-1" },
  { type: "INSTCMD", name: "load.on", param: 'a"#', tracking: "id-2" },
  { type: "NOBROADCAST" },
  { type: "BROADCAST" },
  { type: "BROADCAST", level: 0 },
  { type: "BROADCAST", level: 1 },
  { type: "DUMPVALUE", name: "ups.status" },
  { type: "DUMPSTATUS" },
  { type: "GETPID" },
  { type: "LOGOUT" },
];

describe("round trip: formatSockMessage then parseSockLine", () => {
  test("covers every message type", () => {
    const types = new Set(ALL_MESSAGES.map((m) => m.type));
    expect([...types].sort() as string[]).toEqual(Object.keys(SOCK_MESSAGE_SINCE).sort());
  });
  for (const msg of ALL_MESSAGES) {
    test(formatSockMessage(msg).trimEnd(), () => {
      const line = formatSockMessage(msg);
      expect(line.endsWith("\n")).toBe(true);
      const direction = ["DUMPALL", "PING", "SET", "INSTCMD", "NOBROADCAST", "BROADCAST", "DUMPVALUE", "DUMPSTATUS", "GETPID", "LOGOUT"].includes(msg.type) ? "server" : "driver";
      expect(parseSockLine(wordsOf(line), direction)).toEqual({ ok: true, message: msg });
      expect(parseSockLine(wordsOf(line))).toEqual({ ok: true, message: msg });
    });
  }
});

describe("formatSockMessage writes NUT's exact bytes", () => {
  const cases: [SockMessage, string][] = [
    [{ type: "SETINFO", name: "ups.status", value: "OL" }, 'SETINFO ups.status "OL"\n'],
    [{ type: "SETINFO", name: "ups.mfr", value: 'a"b\\c#d' }, 'SETINFO ups.mfr "a\\"b\\\\c\\#d"\n'],
    [{ type: "ADDENUM", name: "input.transfer.low", value: "95" }, 'ADDENUM input.transfer.low "95"\n'],
    [{ type: "ADDRANGE", name: "input.transfer.low", min: 95, max: 100 }, "ADDRANGE input.transfer.low 95 100\n"],
    [{ type: "SETFLAGS", name: "ups.id", flags: ["RW", "STRING"] }, "SETFLAGS ups.id RW STRING\n"],
    [{ type: "SETFLAGS", name: "device.model", flags: [] }, "SETFLAGS device.model\n"],
    [{ type: "SETAUX", name: "ups.id", aux: 8 }, "SETAUX ups.id 8\n"],
    [{ type: "TRACKING", id: "x", status: 3 }, "TRACKING x 3\n"],
    [{ type: "SET", name: "ups.id", value: "Data room", tracking: "T" }, 'SET ups.id "Data room" TRACKING T\n'],
    [{ type: "SET", name: "ups.id", value: "v", tracking: "" }, 'SET ups.id "v"\n'],
    // netinstcmd.c: parameter escaped but not quoted
    [{ type: "INSTCMD", name: "load.off", param: "a b#" }, "INSTCMD load.off a b\\#\n"],
    [{ type: "INSTCMD", name: "load.on", param: "10", tracking: "T" }, "INSTCMD load.on 10 TRACKING T\n"],
    [{ type: "DUMPALL" }, "DUMPALL\n"],
    [{ type: "OK", text: "Goodbye" }, "OK Goodbye\n"],
  ];
  for (const [msg, line] of cases) {
    test(JSON.stringify(line), () => {
      expect(formatSockMessage(msg)).toBe(line);
    });
  }

  test("lines are cut at 511 bytes, losing the LF, like snprintf into char[512]", () => {
    const line = formatSockMessage({ type: "SETINFO", name: "n".repeat(300), value: "v".repeat(300) });
    expect(line).toHaveLength(ST_SOCK_BUF_LEN - 1);
    expect(line.endsWith("\n")).toBe(false);
    const fits = formatSockMessage({ type: "SETINFO", name: "n", value: "v".repeat(510 - 12) });
    expect(fits).toHaveLength(511);
    expect(fits.endsWith('"\n')).toBe(true);
  });

  test("a parameter with a space cannot survive INSTCMD, as in NUT", () => {
    expect(parsed(wordsOf(formatSockMessage({ type: "INSTCMD", name: "x", param: "a b c" })))).toEqual({
      ok: false,
      error: { error: "malformed-instcmd" },
    });
  });
});

describe("parseSockLine accepts what NUT's receivers accept", () => {
  test("command words in any case; extra words ignored", () => {
    expect(parsed(["setinfo", "ups.status", "OL", "extra"])).toEqual({ ok: true, message: { type: "SETINFO", name: "ups.status", value: "OL" } });
    expect(parsed(["Pong", "x"])).toEqual({ ok: true, message: { type: "PONG" } });
    expect(parsed(["dumpall"])).toEqual({ ok: true, message: { type: "DUMPALL" } });
  });

  test("too few words (sstate.c parse_args thresholds)", () => {
    expect(parsed(["SETINFO", "ups.status"])).toEqual({ ok: false, error: { error: "too-few-arguments", command: "SETINFO", needed: 3, got: 2 } });
    expect(parsed(["ADDRANGE", "v", "1"])).toEqual({ ok: false, error: { error: "too-few-arguments", command: "ADDRANGE", needed: 4, got: 3 } });
    expect(parsed(["ADDCMD"])).toEqual({ ok: false, error: { error: "too-few-arguments", command: "ADDCMD", needed: 2, got: 1 } });
    // 2.8.0 drivers send a bare SETFLAGS for override.* variables; upsd ignores it
    expect(parsed(["SETFLAGS", "device.model"])).toEqual({ ok: false, error: { error: "too-few-arguments", command: "SETFLAGS", needed: 3, got: 2 } });
    expect(parsed(["DUMPVALUE"])).toEqual({ ok: false, error: { error: "too-few-arguments", command: "DUMPVALUE", needed: 2, got: 1 } });
    expect(parsed(["SET", "v"])).toEqual({ ok: false, error: { error: "too-few-arguments", command: "SET", needed: 3, got: 2 } });
  });

  test("unknown and empty lines; direction filter", () => {
    expect(parsed([])).toEqual({ ok: false, error: { error: "empty-line" } });
    expect(parsed(["FOO", "x"])).toEqual({ ok: false, error: { error: "unknown-command", command: "FOO" } });
    expect(parseSockLine(["PING"], "driver")).toEqual({ ok: false, error: { error: "unknown-command", command: "PING" } });
    expect(parseSockLine(["PONG"], "server")).toEqual({ ok: false, error: { error: "unknown-command", command: "PONG" } });
    expect(parseSockLine(["PONG"], "driver")).toEqual({ ok: true, message: { type: "PONG" } });
  });

  test("numbers are read with atoi/strtol", () => {
    expect(parsed(["ADDRANGE", "v", "12abc", "x"])).toEqual({ ok: true, message: { type: "ADDRANGE", name: "v", min: 12, max: 0 } });
    expect(parsed(["SETAUX", "v", " 32"])).toEqual({ ok: true, message: { type: "SETAUX", name: "v", aux: 32 } });
    expect(parsed(["TRACKING", "id", "PENDING"])).toEqual({ ok: true, message: { type: "TRACKING", id: "id", status: 0 } });
  });

  test("SET: TRACKING only with exactly 5 words; 4 or 6+ words ignore the extras", () => {
    expect(parsed(["SET", "v", "a b", "x"])).toEqual({ ok: true, message: { type: "SET", name: "v", value: "a b" } });
    expect(parsed(["SET", "v", "x", "y", "z"])).toEqual({ ok: false, error: { error: "unsupported-set-parameters", params: ["y", "z"] } });
    expect(parsed(["SET", "v", "x", "tracking", "id"])).toEqual({ ok: true, message: { type: "SET", name: "v", value: "x", tracking: "id" } });
    expect(parsed(["SET", "v", "x", "TRACKING", "id", "more"])).toEqual({ ok: true, message: { type: "SET", name: "v", value: "x" } });
  });

  test("INSTCMD word-count patterns", () => {
    expect(parsed(["INSTCMD", "c", "TRACKING"])).toEqual({ ok: true, message: { type: "INSTCMD", name: "c", param: "TRACKING" } });
    expect(parsed(["INSTCMD", "c", "p", "q"])).toEqual({ ok: false, error: { error: "malformed-instcmd" } });
    expect(parsed(["INSTCMD", "c", "p", "q", "r"])).toEqual({ ok: false, error: { error: "malformed-instcmd" } });
    expect(parsed(["INSTCMD", "c", "p", "TRACKING", "id", "x"])).toEqual({ ok: false, error: { error: "malformed-instcmd" } });
    expect(parsed(["INSTCMD", "c", "Tracking", "id"])).toEqual({ ok: true, message: { type: "INSTCMD", name: "c", tracking: "id" } });
  });

  test("BROADCAST level follows str_to_int (unparsable = no level = enable)", () => {
    expect(parsed(["BROADCAST", " -3 "])).toEqual({ ok: true, message: { type: "BROADCAST", level: -3 } });
    expect(parsed(["BROADCAST", "yes"])).toEqual({ ok: true, message: { type: "BROADCAST" } });
    expect(parsed(["BROADCAST", "99999999999"])).toEqual({ ok: true, message: { type: "BROADCAST" } });
  });

  test("OK keeps its text", () => {
    expect(parsed(["OK", "Goodbye"])).toEqual({ ok: true, message: { type: "OK", text: "Goodbye" } });
  });
});

function specTree(): StateTree {
  const t = new StateTree();
  t.setInfo("ups.status", "OL");
  t.setFlagBits("ups.status", ST_FLAG_RW | ST_FLAG_STRING);
  t.setAux("ups.status", 32);
  t.setInfo("device.type", "ups");
  t.setInfo("driver.name", "dummy-ups");
  t.setInfo("device.mfr", "Acme");
  t.setFlagBits("device.mfr", ST_FLAG_RW | ST_FLAG_STRING);
  t.setAux("device.mfr", 32);
  t.setInfo("battery.charge", "100");
  t.setFlagBits("battery.charge", ST_FLAG_RW);
  t.addCmd("load.off");
  return t;
}

describe("dumpAll", () => {
  test("the driver-socket.md §4.1 excerpt, in order", () => {
    expect(dumpAll(specTree()).join("")).toBe(
      [
        'SETINFO battery.charge "100"',
        "SETFLAGS battery.charge RW",
        'SETINFO device.mfr "Acme"',
        "SETAUX device.mfr 32",
        "SETFLAGS device.mfr RW STRING",
        'SETINFO device.type "ups"',
        'SETINFO driver.name "dummy-ups"',
        'SETINFO ups.status "OL"',
        "SETAUX ups.status 32",
        "SETFLAGS ups.status RW STRING",
        "ADDCMD load.off",
        "DATAOK",
        "DUMPDONE",
        "",
      ].join("\n"),
    );
  });

  test("per variable: SETINFO, ADDENUMs, ADDRANGEs, SETAUX, SETFLAGS; stale dumps start with DATASTALE and lack DATAOK", () => {
    const t = new StateTree();
    t.setInfo("input.transfer.low", 'x"y');
    t.addEnum("input.transfer.low", "170");
    t.addEnum("input.transfer.low", 'a"b');
    t.addRange("input.transfer.low", 160, 180);
    t.addRange("input.transfer.low", 1, 2);
    t.setAux("input.transfer.low", 3);
    t.setFlagBits("input.transfer.low", ST_FLAG_NUMBER | ST_FLAG_RW);
    t.setInfo("device.model", "OVR");
    t.setFlagBits("device.model", ST_FLAG_IMMUTABLE);
    t.setAux("device.model", 32);
    t.addCmd("shutdown.return");
    t.addCmd("beeper.off");
    expect(dumpAll(t, { stale: true })).toEqual([
      "DATASTALE\n",
      'SETINFO device.model "OVR"\n',
      "SETAUX device.model 32\n",
      "SETFLAGS device.model\n",
      'SETINFO input.transfer.low "x\\"y"\n',
      'ADDENUM input.transfer.low "170"\n',
      'ADDENUM input.transfer.low "a\\"b"\n',
      "ADDRANGE input.transfer.low 160 180\n",
      "ADDRANGE input.transfer.low 1 2\n",
      "SETAUX input.transfer.low 3\n",
      "SETFLAGS input.transfer.low RW NUMBER\n",
      "ADDCMD beeper.off\n",
      "ADDCMD shutdown.return\n",
      "DUMPDONE\n",
    ]);
  });

  test("an empty tree is just DATAOK/DUMPDONE", () => {
    expect(dumpAll(new StateTree())).toEqual(["DATAOK\n", "DUMPDONE\n"]);
  });

  test("dumpValue (2.8.3 DUMPVALUE/DUMPSTATUS)", () => {
    const t = specTree();
    expect(dumpValue(t, "UPS.STATUS")).toEqual([
      'SETINFO ups.status "OL"\n',
      "SETAUX ups.status 32\n",
      "SETFLAGS ups.status RW STRING\n",
      "DATAOK\n",
      "DUMPDONE\n",
    ]);
    expect(dumpValue(t, "nope", { stale: true })).toEqual(["DATASTALE\n", "DUMPDONE\n"]);
  });

  test("every dumped line parses back and rebuilds the same tree (upsd's view)", () => {
    const t = specTree();
    t.addEnum("battery.charge", "50");
    t.addRange("battery.charge", 0, 100);
    const copy = new StateTree();
    const reader = new SockLineReader();
    for (const line of reader.push(enc.encode(dumpAll(t).join("")))) {
      const r = parseSockLine(line.words, "driver");
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const m = r.message;
      if (m.type === "SETINFO") copy.setInfo(m.name, m.value);
      else if (m.type === "ADDENUM") copy.addEnum(m.name, m.value);
      else if (m.type === "ADDRANGE") copy.addRange(m.name, m.min, m.max);
      else if (m.type === "SETAUX") copy.setAux(m.name, m.aux);
      else if (m.type === "SETFLAGS") copy.setFlags(m.name, m.flags);
      else if (m.type === "ADDCMD") copy.addCmd(m.name);
    }
    expect(copy.variables()).toEqual(t.variables());
    expect(copy.commands()).toEqual(t.commands());
  });
});

describe("SockLineReader", () => {
  const stream = 'SETINFO ups.status "OB LB"\nSETINFO ups.mfr "a\\"b"\nPONG\nDUMPDONE\n';
  const expected = [["SETINFO", "ups.status", "OB LB"], ["SETINFO", "ups.mfr", 'a"b'], ["PONG"], ["DUMPDONE"]];

  test("chunks split at every position give the same lines", () => {
    const bytes = enc.encode(stream);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 7) {
        const r = new SockLineReader();
        const got = [...r.push(bytes.subarray(0, a)), ...r.push(bytes.subarray(a, b)), ...r.push(bytes.subarray(b))];
        expect(got.map((l) => l.words)).toEqual(expected);
      }
    }
  });

  test("a parse error drops the rest of its chunk; the next chunk starts fresh", () => {
    const r = new SockLineReader();
    const first = r.push(enc.encode('SETINFO a "x#y"\nPING\nSETINFO b "2"\n'));
    expect(first.map((l) => [l.words, l.error])).toEqual([[["SETINFO", "a", "x"], UNBALANCED_QUOTE_HASH]]);
    const second = r.push(enc.encode("PING\n"));
    expect(second.map((l) => l.words)).toEqual([["PING"]]);
  });

  test("a comment # outside quotes is not an error, and the chunk continues", () => {
    const r = new SockLineReader();
    expect(r.push(enc.encode("PING # hello\nPONG\n")).map((l) => l.words)).toEqual([["PING"], ["PONG"]]);
  });

  test("matches a plain ConfTokenizer when there is no error", () => {
    const bytes = enc.encode(stream);
    expect(new SockLineReader().push(bytes)).toEqual(new ConfTokenizer().feed(bytes));
  });
});
