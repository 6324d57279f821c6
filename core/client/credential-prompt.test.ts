import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CStdoutBuffer } from "../system/c-stdio.ts";
import { StdinLines, getpass, loginName, promptUsername, promptValue } from "./credential-prompt.ts";

const dir = mkdtempSync(join(tmpdir(), "credential-prompt-"));
const opened: number[] = [];
afterAll(() => {
  for (const fd of opened) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** A StdinLines reading a file with `text` instead of fd 0. */
function stdinOf(text: string | Uint8Array): StdinLines {
  const path = join(dir, `in-${opened.length}`);
  writeFileSync(path, text);
  const fd = openSync(path, "r");
  opened.push(fd);
  return new StdinLines(fd);
}

/** A /dev/tty that cannot be opened: getpass() falls back to stdin and stderr. */
const NO_TERMINAL = join(dir, "no-such-terminal");

function captured(): { out: string[]; stdout: CStdoutBuffer } {
  const out: string[] = [];
  return { out, stdout: new CStdoutBuffer((t) => out.push(t), "full") };
}

describe("StdinLines reads as C's stdin FILE", () => {
  test("fgets(): through the LF, or size - 1 bytes; the rest is kept for the next read", () => {
    const stdin = stdinOf("admin\nsecret\nlast");
    expect(stdin.isTerminal).toBe(false);
    expect(stdin.fgets(512)).toBe("admin\n");
    expect(stdin.fgets(4)).toBe("sec");
    expect(stdin.getline()).toBe("ret\n");
    expect(stdin.getline()).toBe("last");
    expect(stdin.getline()).toBeUndefined();
    expect(stdin.fgets(512)).toBeUndefined();
  });

  test("bytes beyond one block and multi-byte text", () => {
    const long = "é".repeat(3000);
    const stdin = stdinOf(`${long}\nnext\n`);
    expect(stdin.getline()).toBe(`${long}\n`);
    expect(stdin.fgets(512)).toBe("next\n");
  });
});

describe("getpass() without a terminal reads stdin and prompts on stderr", () => {
  test("the line without its LF; the rest of the buffer stays for later questions", async () => {
    const stderr: string[] = [];
    const stdin = stdinOf("pw\nmore\n");
    expect(await getpass("Password: ", { stdin, stderr: (t) => stderr.push(t) }, NO_TERMINAL)).toBe("pw");
    expect(stderr).toEqual(["Password: "]);
    expect(stdin.fgets(512)).toBe("more\n");
  });

  test("end of input is an empty password; a last line without LF is kept whole", async () => {
    expect(await getpass("Password: ", { stdin: stdinOf(""), stderr: () => {} }, NO_TERMINAL)).toBe("");
    expect(await getpass("Password: ", { stdin: stdinOf("pw"), stderr: () => {} }, NO_TERMINAL)).toBe("pw");
  });
});

describe("promptUsername() and promptValue()", () => {
  const login = loginName();

  test("the prompt names the login name, which an empty answer picks", () => {
    expect(login).toBeDefined();
    const { out, stdout } = captured();
    expect(promptUsername(stdout, stdinOf("admin\n"), "fatal")).toBe("admin");
    expect(promptUsername(stdout, stdinOf("\n"), "fatal")).toBe(login!);
    stdout.flush();
    expect(out.join("")).toBe(`Username (${login}): Username (${login}): `);
  });

  test("end of input: upscmd gives up, upsrw takes the login name", () => {
    const { stdout } = captured();
    expect(() => promptUsername(stdout, stdinOf(""), "fatal")).toThrow("Error reading from stdin!");
    expect(promptUsername(stdout, stdinOf(""), "login")).toBe(login!);
  });

  test("an answer without a newline keeps its last character (2.8.0 cut it)", () => {
    const { stdout } = captured();
    expect(promptUsername(stdout, stdinOf("ab"), "fatal")).toBe("ab");
    expect(promptValue("ups.id", stdout, stdinOf("12345"))).toBe("12345");
  });

  test("promptValue() flushes its prompt before reading; end of input is an empty value", () => {
    const { out, stdout } = captured();
    expect(promptValue("ups.id", stdout, stdinOf("new value\n"))).toBe("new value");
    expect(out).toEqual(["Enter new value for ups.id: "]);
    expect(promptValue("ups.id", stdout, stdinOf(""))).toBe("");
  });
});
