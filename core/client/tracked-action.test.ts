import { describe, expect, test } from "bun:test";
import { UpscliError } from "../protocol/net-error.ts";
import type { NutReply } from "./nut-client.ts";
import { type ActionClient, INSTCMD_TEXTS, SET_VAR_TEXTS, type TrackingClock, enableTracking, parseUnsignedInt, runAction, sendCredentials } from "./tracked-action.ts";

const ID = "8E5B4B55-3B4D-4B4E-9C3B-000000000001";

/** Answers each request line from `script` in order (a string, or an error to fail with); logs every line. */
function scripted(script: (string | Error)[], log: { line: string; timeoutMs?: number }[] = []): ActionClient {
  return {
    request: async (line, options = {}): Promise<NutReply> => {
      log.push(options.timeoutMs === undefined ? { line } : { line, timeoutMs: options.timeoutMs });
      const next = script.shift();
      if (next === undefined) throw new Error(`unexpected request ${line}`);
      if (next instanceof Error) throw next;
      return { line: next, words: next.split(" ") };
    },
  };
}

/** A clock whose sleeps advance time instantly. */
function fakeClock(): TrackingClock & { slept: number } {
  let now = 1000;
  const clock = {
    slept: 0,
    nowSeconds: () => now,
    sleep: async (ms: number) => {
      clock.slept += ms;
      now += ms / 1000;
    },
  };
  return clock;
}

describe("credentials and tracking", () => {
  test("USERNAME and PASSWORD are sent raw and their replies not judged", async () => {
    const log: { line: string }[] = [];
    await sendCredentials(scripted(["OK", "ERR INVALID-ARGUMENT"], log), "admin", "pass word");
    expect(log.map((l) => l.line)).toEqual(["USERNAME admin", "PASSWORD pass word"]);
  });

  test("transport failures name the step", async () => {
    await expect(sendCredentials(scripted([new UpscliError("SRVDISC")]), "a", "b")).rejects.toThrow("Set username failed: Server disconnected");
    await expect(sendCredentials(scripted(["OK", new UpscliError("DRVNOTCONN")]), "a", "b")).rejects.toThrow("Can't set password: Driver not connected");
    await expect(enableTracking(scripted([new UpscliError("WRITE", { detail: "Broken pipe" })]), SET_VAR_TEXTS)).rejects.toThrow(
      "Can't enable set variable status tracking: Write error: Broken pipe",
    );
  });

  test("SET TRACKING ON must be answered OK", async () => {
    await enableTracking(scripted(["OK"]), INSTCMD_TEXTS);
    await expect(enableTracking(scripted(["ERR UNKNOWN-COMMAND"]), INSTCMD_TEXTS)).rejects.toThrow(
      "Enabling command status tracking failed. upsd answered: ERR UNKNOWN-COMMAND",
    );
  });
});

describe("runAction()", () => {
  const off = { enabled: false, timeoutSeconds: 10 };

  test("OK… is the result; anything else is `Unexpected response from upsd`", async () => {
    expect(await runAction(scripted(["OK"]), "INSTCMD u load.off", INSTCMD_TEXTS, off)).toBe("OK");
    await expect(runAction(scripted(["ERR CMD-NOT-SUPPORTED"]), "INSTCMD u x.y", INSTCMD_TEXTS, off)).rejects.toThrow(
      "Unexpected response from upsd: ERR CMD-NOT-SUPPORTED",
    );
    await expect(runAction(scripted([new UpscliError("SRVDISC")]), "SET VAR u a \"1\"", SET_VAR_TEXTS, off)).rejects.toThrow(
      "Set variable failed: Server disconnected",
    );
    await expect(runAction(scripted([new UpscliError("INVALIDARG")]), "INSTCMD u a b\nc", INSTCMD_TEXTS, off)).rejects.toThrow(
      "Can't send instant command: Invalid argument",
    );
  });

  test("without -w an `OK TRACKING` reply is printed as it is", async () => {
    expect(await runAction(scripted([`OK TRACKING ${ID}`]), "INSTCMD u a.b", INSTCMD_TEXTS, off)).toBe(`OK TRACKING ${ID}`);
  });

  test("-w polls GET TRACKING once a second until not PENDING; the result even if ERR", async () => {
    const log: { line: string; timeoutMs?: number }[] = [];
    const clock = fakeClock();
    const result = await runAction(scripted([`OK TRACKING ${ID}`, "PENDING", "PENDING", "ERR UNKNOWN"], log), "INSTCMD u a.b", INSTCMD_TEXTS, {
      enabled: true,
      timeoutSeconds: 10,
      clock,
    });
    expect(result).toBe("ERR UNKNOWN");
    expect(log).toEqual([{ line: "INSTCMD u a.b" }, ...Array(3).fill({ line: `GET TRACKING ${ID}`, timeoutMs: 10_000 })]);
    expect(clock.slept).toBe(2000);
  });

  test("-w gives up after -t seconds, and a reply without a well-formed id is not followed", async () => {
    const clock = fakeClock();
    const pending = Array<string>(10).fill("PENDING");
    await expect(runAction(scripted([`OK TRACKING ${ID}`, ...pending]), "X", INSTCMD_TEXTS, { enabled: true, timeoutSeconds: 3, clock })).rejects.toThrow(
      "Can't receive status tracking information: timeout",
    );
    expect(clock.slept).toBe(3000);
    await expect(runAction(scripted([`OK TRACKING ${ID}`]), "X", INSTCMD_TEXTS, { enabled: true, timeoutSeconds: 0, clock })).rejects.toThrow(
      "Can't receive status tracking information: timeout",
    );
    expect(await runAction(scripted(["OK TRACKING short"]), "X", INSTCMD_TEXTS, { enabled: true, timeoutSeconds: 3, clock })).toBe("OK TRACKING short");
    await expect(runAction(scripted([`OK TRACKING ${ID}`, new UpscliError("SRVDISC")]), "X", INSTCMD_TEXTS, { enabled: true, timeoutSeconds: 3, clock })).rejects.toThrow(
      "Can't receive status tracking information: Server disconnected",
    );
  });
});

describe("parseUnsignedInt() is NUT's str_to_uint()", () => {
  const cases: [string, ReturnType<typeof parseUnsignedInt>][] = [
    ["5", { ok: true, value: 5 }],
    [" 5", { ok: true, value: 5 }],
    ["5 \t", { ok: true, value: 5 }],
    ["0", { ok: true, value: 0 }],
    ["4294967295", { ok: true, value: 4294967295 }],
    ["4294967296", { ok: false, error: "Numerical result out of range" }],
    ["99999999999999999999999", { ok: false, error: "Numerical result out of range" }],
    ["", { ok: false, error: "Invalid argument" }],
    ["abc", { ok: false, error: "Invalid argument" }],
    ["-1", { ok: false, error: "Invalid argument" }],
    ["+3", { ok: false, error: "Invalid argument" }],
    ["0x10", { ok: false, error: "Invalid argument" }],
    ["1 2", { ok: false, error: "Invalid argument" }],
  ];
  for (const [text, expected] of cases) test(JSON.stringify(text), () => expect(parseUnsignedInt(text)).toEqual(expected));
});
