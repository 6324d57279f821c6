import { describe, expect, test } from "bun:test";
import { LocalTimeZone } from "../system/local-time.ts";
import {
  compileUpslogFormat,
  DEFAULT_UPSLOG_FORMAT,
  expandUpslogFormat,
  positionalUpslogFormat,
  type UpslogLineSource,
  upslogLineBytes,
} from "./upslog-format.ts";

const VARS: Record<string, string> = {
  "battery.charge": "100",
  "input.voltage": "230.5",
  "ups.load": "23",
  "ups.status": "OL CHRG",
  "ups.temperature": "30",
};

/** A source at 2023-11-14 22:13:20 UTC (1700000000) whose UPS has VARS; the lookups are recorded. */
function source(tz = "UTC0"): UpslogLineSource & { asked: string[] } {
  const asked: string[] = [];
  const zone = LocalTimeZone.fromPosixString(tz);
  return {
    asked,
    hostname: () => "box",
    upsHost: "fake@127.0.0.1:3493",
    pid: 4242,
    now: () => 1700000000,
    localtime: (t) => zone.localtime(t),
    getVar: async (name) => {
      asked.push(name);
      return VARS[name];
    },
  };
}

const expand = (format: string, tz?: string): Promise<string> => expandUpslogFormat(compileUpslogFormat(format), source(tz));

describe("upslog's format language (NUT 2.8.0 compile_format and run_flist)", () => {
  test("the default format", async () => {
    expect(await expand(DEFAULT_UPSLOG_FORMAT)).toBe("20231114 221320 100 230.5 23 [OL CHRG] 30 NA");
  });

  test("every escape", async () => {
    expect(await expand("%HOST% %UPSHOST% %PID% %ETIME% %TIME @H:@M% %VAR ups.load% %%")).toBe("box fake@127.0.0.1:3493 4242 1700000000 22:13 23 %");
  });

  test("names are matched case-insensitively by prefix, in NUT's table order", async () => {
    expect(await expand("%hostname% %Upshost% %pidfile% %TIMESTAMP @Y% %variable ups.status% %etime%")).toBe("box fake@127.0.0.1:3493 4242 2023 OL CHRG 1700000000");
    // ETIME is not a prefix match of TIME, nor HOS of HOST
    expect(await expand("%ETIMEX% %HOS% %UPS%")).toBe("1700000000 INVALID INVALID");
  });

  test("unknown escapes, variables without a dot or name, and an unclosed % are INVALID", async () => {
    const s = source();
    const line = await expandUpslogFormat(compileUpslogFormat("%FOO% %VAR battery% %VAR % %VAR% [%VAR nosuch.var%] %PID"), s);
    expect(line).toBe("INVALID INVALID INVALID INVALID [NA] INVALIDPID");
    // only the well-formed name reaches upsd
    expect(s.asked).toEqual(["nosuch.var"]);
  });

  test("NUT 2.8.0's observed line", async () => {
    expect(await expand("%UPSHOST% %ETIME% [%VAR ups.status%] %VAR nosuch.x% %VAR bad% %FOO% %% %TIME @H% %PID")).toBe(
      "fake@127.0.0.1:3493 1700000000 [OL CHRG] NA INVALID INVALID % 22 INVALIDPID",
    );
  });

  test("the argument is everything after the first space", async () => {
    expect(await expand("%TIME  @H%|%PID extra words%|%VAR ups.status %")).toBe(" 22|4242|NA");
  });

  test("%TIME% without a format (a crash in NUT 2.8.0) is INVALID", async () => {
    expect(await expand("a %TIME% b")).toBe("a INVALID b");
  });

  test("%TIME% uses the local time zone and every strftime conversion, @ standing for %", async () => {
    expect(await expand("%TIME @Y-@m-@d @H:@M:@S @Z @z @s @a @b @j@@%", "CET-1CEST,M3.5.0,M10.5.0/3")).toBe("2023-11-14 23:13:20 CET +0100 1700000000 Tue Nov 318%");
    expect(await expand("%TIME @c%", "<+0530>-5:30")).toBe("Wed Nov 15 03:43:20 2023");
  });

  test("a %TIME% longer than 511 bytes prints nothing", async () => {
    expect(await expand(`[%TIME ${"x".repeat(511)}%]`)).toBe(`[${"x".repeat(511)}]`);
    expect(await expand(`[%TIME ${"x".repeat(512)}%]`)).toBe("[]");
  });

  test("%% and plain text, including non-ASCII and an empty format", async () => {
    expect(await expand("100%% → 50%%")).toBe("100% → 50%");
    expect(await expand("")).toBe("");
    expect(await expand("%")).toBe("INVALID");
  });

  test("adjacent plain text is compiled into one step", () => {
    expect(compileUpslogFormat("ab%%c%PID%d")).toEqual([{ kind: "literal", text: "ab%c" }, { kind: "pid" }, { kind: "literal", text: "d" }]);
    expect(compileUpslogFormat("%TIME%%VAR x.y%")).toEqual([{ kind: "time" }, { kind: "var", arg: "x.y" }]);
  });

  test("a line is cut at 4095 bytes, then LF", () => {
    const short = upslogLineBytes("abc");
    expect(new TextDecoder().decode(short)).toBe("abc\n");
    const long = upslogLineBytes("é".repeat(3000));
    expect(long.length).toBe(4096);
    expect(long[4095]).toBe(0x0a);
  });

  test("the positional form's format: each word and a space", () => {
    expect(positionalUpslogFormat(["%VAR", "ups.status%", "x"])).toBe("%VAR ups.status% x ");
    expect(new TextEncoder().encode(positionalUpslogFormat(["y".repeat(5000)])).length).toBe(4095);
  });
});
