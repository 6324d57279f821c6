import { describe, expect, test } from "bun:test";
import { CStdoutBuffer } from "./c-stdio.ts";

describe("CStdoutBuffer", () => {
  test("line mode writes finished lines and keeps a prompt until flushed", () => {
    const out: string[] = [];
    const s = new CStdoutBuffer((t) => out.push(t), "line");
    s.write("Username (root): ");
    expect(out).toEqual([]);
    s.write("a\nb\nc");
    expect(out).toEqual(["Username (root): a\nb\n"]);
    s.flush();
    expect(out).toEqual(["Username (root): a\nb\n", "c"]);
    expect(s.lineBuffered).toBe(true);
  });

  test("full mode writes 4096-byte blocks, the rest at flush", () => {
    const out: string[] = [];
    const s = new CStdoutBuffer((t) => out.push(t), "full");
    s.write("x\n".repeat(1000));
    expect(out).toEqual([]);
    s.write("y".repeat(3000));
    expect(out.map((t) => t.length)).toEqual([4096]);
    s.flush();
    s.flush();
    expect(out.join("")).toBe("x\n".repeat(1000) + "y".repeat(3000));
    expect(out.length).toBe(2);
  });
});
