import { describe, expect, test } from "bun:test";
import { tokenizeConfig } from "../config/tokenizer.ts";
import {
  formatCDoubleG,
  formatTimerListing,
  formatUpsschedRequest,
  parseUpsschedRequest,
  readTimerListing,
  socketPathProblem,
} from "./upssched-protocol.ts";
import { UpsschedTimerTable } from "./upssched-timer-table.ts";

/** The words the daemon's parseconf context makes of one request line. */
function words(line: string): string[] {
  const lines = tokenizeConfig(line).lines;
  expect(lines.length).toBe(1);
  return lines[0]!.words;
}

describe("parseUpsschedRequest()", () => {
  test("2.8.0's three-word START and two- or three-word CANCEL", () => {
    expect(parseUpsschedRequest(words('START "onbatt" "30"\n'))).toEqual({ kind: "start", shared: false, name: "onbatt", interval: "30" });
    expect(parseUpsschedRequest(words('CANCEL "onbatt"\n'))).toEqual({ kind: "cancel", matched: false, name: "onbatt" });
    expect(parseUpsschedRequest(words('CANCEL "onbatt" "online"\n'))).toEqual({ kind: "cancel", matched: false, name: "onbatt", command: "online" });
  });

  test("2.8.5's six-word forms carry the event", () => {
    const origin = { notifyType: "ONBATT", upsName: "ups@host", notifyMsg: "UPS ups@host on battery" };
    expect(parseUpsschedRequest(words('START-SHARED "t" "5" "ONBATT" "ups@host" "UPS ups@host on battery"\n'))).toEqual({
      kind: "start",
      shared: true,
      name: "t",
      interval: "5",
      origin,
    });
    expect(parseUpsschedRequest(words('CANCEL-MATCHED "t" "" "ONBATT" "ups@host" "UPS ups@host on battery"\n'))).toEqual({
      kind: "cancel",
      matched: true,
      name: "t",
      command: "",
      origin,
    });
    expect(parseUpsschedRequest(words('LIST-TIMERS "" "" "" "" ""\n'))).toEqual({ kind: "list" });
  });

  test("anything else is unknown (ERR UNKNOWN)", () => {
    for (const line of ['START "t"\n', "CANCEL\n", "\n", "start t 5\n", "FOO a b c\n", 'START-SHARED "t"\n']) {
      expect(parseUpsschedRequest(words(line))).toBeUndefined();
    }
  });
});

describe("formatUpsschedRequest()", () => {
  test("quotes and escapes every argument as pconf_encode() does, absent ones as empty words", () => {
    const origin = { notifyType: "ONBATT", upsName: "u@h", notifyMsg: 'say "hi" # \\' };
    const line = formatUpsschedRequest("CANCEL", "a b", undefined, origin);
    expect(line).toBe('CANCEL "a b" "" "ONBATT" "u@h" "say \\"hi\\" \\# \\\\"\n');
    // and the daemon reads back what was meant
    expect(parseUpsschedRequest(words(line))).toEqual({ kind: "cancel", matched: false, name: "a b", command: "", origin });
  });

  test("START round trip", () => {
    const origin = { notifyType: "LOWBATT", upsName: "x", notifyMsg: "" };
    expect(parseUpsschedRequest(words(formatUpsschedRequest("START", "t", "15", origin)))).toEqual({
      kind: "start",
      shared: false,
      name: "t",
      interval: "15",
      origin,
    });
  });
});

describe("LIST-TIMERS", () => {
  test("formatCDoubleG() prints whole numbers as printf %g does", () => {
    expect([0, 1, -3, 27, 999_999, 1_000_000, 1_234_567, -2_500_000, 86_400_000].map(formatCDoubleG)).toEqual([
      "0",
      "1",
      "-3",
      "27",
      "999999",
      "1e+06",
      "1.23457e+06",
      "-2.5e+06",
      "8.64e+07",
    ]);
  });

  test("the answer lists NAME, expiry, seconds left, NOTIFYTYPEs, UPSNAMEs and NOTIFYMSGs", () => {
    const table = new UpsschedTimerTable();
    const clock = { monotonicMs: 0, wallMs: 1_700_000_000_000 };
    table.start("t1", 30, { upsName: "a", notifyType: "ONBATT", notifyMsg: "m1" }, clock);
    table.startShared("t1", 30, { upsName: "b", notifyType: "ONBATT", notifyMsg: "m2" }, clock);
    table.start("t2", 5, undefined, clock);
    const answer = formatTimerListing(table.timers, 1_700_000_002_900);
    expect(answer).toBe(
      "BEGIN LIST TIMERS\n" + "t1\t1700000030\t28\tONBATT\ta,b\tm1.\tm2\n" + 't2\t1700000005\t3\t""\t""\t""\n' + "END LIST TIMERS\n" + "OK\n",
    );
    expect(readTimerListing(answer)).toBe("t1\t1700000030\t28\tONBATT\ta,b\tm1.\tm2\n" + 't2\t1700000005\t3\t""\t""\t""\n');
    expect(readTimerListing(formatTimerListing([], 0))).toBe("");
  });

  test("readTimerListing() waits for the closing OK", () => {
    expect(readTimerListing("BEGIN LIST TIMERS\nt\t1\t1\n")).toBeUndefined();
    expect(readTimerListing("BEGIN LIST TIMERS\nEND LIST TIMERS\n")).toBeUndefined();
    expect(readTimerListing("BEGIN LIST TIMERS\nEND LIST TIMERS\nOK\n\0")).toBe("");
  });
});

test("socketPathProblem(): sun_path holds 107 bytes and a terminator", () => {
  expect(socketPathProblem(`/${"a".repeat(106)}`)).toBeUndefined();
  expect(socketPathProblem(`/${"a".repeat(107)}`)).toBe(
    `Can't create a unix domain socket: pathname '/${"a".repeat(107)}' is too long (108) for 'struct sockaddr_un->sun_path' on this system (108)`,
  );
});
