import { describe, expect, test } from "bun:test";
import { GetoptLong, type LongOption } from "./getopt-long.ts";

const LONG: LongOption[] = [
  { name: "timeout", hasArg: "required", val: "t" },
  { name: "thread", hasArg: "required", val: "T" },
  { name: "usb_scan", hasArg: "none", val: "U" },
  { name: "quiet", hasArg: "none", val: "q" },
];

function all(args: string[]): string[] {
  const parser = new GetoptLong(args, "t:T:Uq", LONG, "prog");
  const out: string[] = [];
  for (let r = parser.next(); r !== undefined; r = parser.next()) out.push(r.error !== undefined ? `?${r.error.trim()}` : r.arg !== undefined ? `${r.opt}=${r.arg}` : r.opt);
  return out;
}

describe("getopt_long on top of Getopt", () => {
  test("exact names, unique prefixes, =value and next-word arguments", () => {
    expect(all(["--usb_scan", "--qu", "--timeout=5", "--thr", "7", "x", "-tU"])).toEqual(["U", "q", "t=5", "T=7", "t=U"]);
    expect(all(["--timeout="])).toEqual(["t="]);
  });
  test("a short option's argument is never read as a long option", () => {
    expect(all(["-t", "--usb_scan", "-q"])).toEqual(["t=--usb_scan", "q"]);
    expect(all(["--timeout", "--quiet"])).toEqual(["t=--quiet"]);
  });
  test("glibc's messages for refused long options, in order", () => {
    expect(all(["--t", "--usb_scan=1", "--nope=2", "--timeout"])).toEqual([
      "?prog: option '--t' is ambiguous; possibilities: '--timeout' '--thread'",
      "?prog: option '--usb_scan' doesn't allow an argument",
      "?prog: unrecognized option '--nope=2'",
      "?prog: option '--timeout' requires an argument",
    ]);
  });
  test("-- ends the options", () => {
    expect(all(["-q", "--", "--usb_scan"])).toEqual(["q"]);
  });
});
