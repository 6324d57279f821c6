/**
 * The questions upscmd and upsrw ask when the command line lacks the user name, the password or
 * the new value: the answers come from stdin through a buffer shared by every question, as C's
 * stdin FILE shares one (fgets() for the user name and the value); the password comes from
 * getpass() as glibc implements it: from the controlling terminal (/dev/tty) with echo and
 * signals off and the prompt written there, or, without a terminal, from stdin with the prompt
 * on stderr. Echo is switched with stty(1) on the terminal's descriptor: the same termios calls
 * glibc makes, without a native binding.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import type { CStdoutBuffer } from "../system/c-stdio.ts";
import { isTerminal } from "../system/is-terminal.ts";
import { findSystemUserById } from "../system/system-user.ts";
import { ClientFatalError } from "./client-fatal.ts";

const LF = 0x0a;

/** The buffers upscmd and upsrw read their answers into (SMALLBUF): fgets() takes at most 511 bytes. */
const ANSWER_BUFFER = 512;

/** Reads one block from `fd`: the bytes, or undefined at end of file (or a descriptor that cannot be read). */
function readBlock(fd: number, size: number): Buffer | undefined {
  const block = Buffer.alloc(size);
  // bounded: a descriptor left non-blocking by another process is polled for at most a minute
  for (let tries = 0; tries < 12_000; tries++) {
    try {
      const n = readSync(fd, block, 0, size, null);
      return n > 0 ? block.subarray(0, n) : undefined;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === "EAGAIN" || code === "EWOULDBLOCK") {
        Bun.sleepSync(5);
        continue;
      }
      if (code === "EINTR") continue;
      return undefined;
    }
  }
  return undefined;
}

/** C's stdin FILE as fgets() and getline() read it: blocks of fd 0, what is read past a line kept for the next question. */
export class StdinLines {
  readonly #fd: number;
  readonly #terminal: boolean;
  #buf: Buffer = Buffer.alloc(0);
  #eof = false;

  /** Reads `fd`; `terminal` tells whether it is one (see open()). */
  constructor(fd = 0, terminal = false) {
    this.#fd = fd;
    this.#terminal = terminal;
  }

  /** Reads `fd` (stdin by default), finding out whether it is a terminal. */
  static async open(fd = 0): Promise<StdinLines> {
    return new StdinLines(fd, await isTerminal(fd));
  }

  /** Whether stdin is a terminal (C makes it line-buffered then, and flushes stdout before reading it). */
  get isTerminal(): boolean {
    return this.#terminal;
  }

  /** The descriptor read. */
  get fd(): number {
    return this.#fd;
  }

  #fill(): boolean {
    if (this.#eof) return false;
    const block = readBlock(this.#fd, 4096);
    if (block === undefined) {
      this.#eof = true;
      return false;
    }
    this.#buf = this.#buf.length === 0 ? block : Buffer.concat([this.#buf, block]);
    return true;
  }

  /** Takes `n` buffered bytes as text. */
  #take(n: number): string {
    const text = this.#buf.subarray(0, n).toString("utf8");
    this.#buf = this.#buf.subarray(n);
    return text;
  }

  /** fgets(buf, size): through the first LF (kept) or `size - 1` bytes; undefined at end of file with nothing read. */
  fgets(size: number): string | undefined {
    const max = size - 1;
    for (;;) {
      const lf = this.#buf.indexOf(LF);
      if (lf >= 0 && lf < max) return this.#take(lf + 1);
      if (this.#buf.length >= max) return this.#take(max);
      if (!this.#fill()) return this.#buf.length > 0 ? this.#take(this.#buf.length) : undefined;
    }
  }

  /** getline(): through the first LF (kept), however long; undefined at end of file with nothing read. */
  getline(): string | undefined {
    return this.fgets(Number.MAX_SAFE_INTEGER);
  }
}

/** getpwuid(getuid())->pw_name: the login name upscmd and upsrw offer as the default user. */
export function loginName(): string | undefined {
  const uid = process.getuid?.();
  return uid === undefined ? undefined : findSystemUserById(uid)?.name;
}

/** tcgetattr() + tcsetattr() without ECHO and ISIG; the saved settings, or undefined when `fd` is no terminal. */
async function echoOff(fd: number): Promise<string | undefined> {
  if (!(await isTerminal(fd))) return undefined;
  try {
    const saved = Bun.spawnSync(["stty", "-g"], { stdin: fd, stdout: "pipe", stderr: "ignore" });
    if (!saved.success) return undefined;
    const off = Bun.spawnSync(["stty", "-echo", "-isig"], { stdin: fd, stdout: "ignore", stderr: "ignore" });
    return off.success ? saved.stdout.toString().trim() : undefined;
  } catch {
    // no stty: read with echo on, as glibc does when tcgetattr() fails
    return undefined;
  }
}

function restoreTerminal(fd: number, saved: string): void {
  try {
    Bun.spawnSync(["stty", saved], { stdin: fd, stdout: "ignore", stderr: "ignore" });
  } catch {
    // nothing more can be done for the terminal
  }
}

/** getline() on the terminal's own descriptor (canonical mode hands over one line per read). */
function readTerminalLine(fd: number): string | undefined {
  const parts: Buffer[] = [];
  for (;;) {
    const block = readBlock(fd, 4096);
    if (block === undefined) break;
    parts.push(block);
    if (block.includes(LF)) break;
  }
  if (parts.length === 0) return undefined;
  const bytes = Buffer.concat(parts);
  const lf = bytes.indexOf(LF);
  return bytes.subarray(0, lf >= 0 ? lf + 1 : bytes.length).toString("utf8");
}

/** What getpass() returns for a line read: the text without its LF, "" at end of file. */
function finishLine(line: string | undefined, echoWasOff: boolean, write: (text: string) => void): string {
  if (line === undefined) return "";
  if (!line.endsWith("\n")) return line;
  // the newline the user typed was not echoed
  if (echoWasOff) write("\n");
  return line.slice(0, -1);
}

/** Where getpass() talks when there is no controlling terminal. */
export interface PasswordFallback {
  stdin: StdinLines;
  stderr(text: string): void;
}

/** glibc getpass(prompt): the controlling terminal if there is one, else stdin and stderr. */
export async function getpass(prompt: string, fallback: PasswordFallback, terminalPath = "/dev/tty"): Promise<string> {
  let fd: number | undefined;
  try {
    fd = openSync(terminalPath, "r+");
  } catch {
    fd = undefined;
  }
  if (fd === undefined) {
    const saved = await echoOff(fallback.stdin.fd);
    try {
      fallback.stderr(prompt);
      return finishLine(fallback.stdin.getline(), saved !== undefined, fallback.stderr);
    } finally {
      if (saved !== undefined) restoreTerminal(fallback.stdin.fd, saved);
    }
  }
  const tty = fd;
  const saved = await echoOff(tty);
  const write = (text: string): void => {
    try {
      writeSync(tty, text);
    } catch {
      // a terminal that cannot be written still gets read
    }
  };
  try {
    write(prompt);
    return finishLine(readTerminalLine(tty), saved !== undefined, write);
  } finally {
    if (saved !== undefined) restoreTerminal(tty, saved);
    closeSync(tty);
  }
}

/** An answer without the newline that ended it (2.8.0 cuts the last character even when it is none). */
function withoutNewline(line: string): string {
  return line.endsWith("\n") ? line.slice(0, -1) : line;
}

/**
 * `Username (<login>): ` on stdout and a line of stdin; an empty answer means the login name. At
 * end of input upscmd gives up (`Error reading from stdin!`, `eof: "fatal"`) while upsrw takes the
 * login name (`eof: "login"`).
 */
export function promptUsername(stdout: CStdoutBuffer, stdin: StdinLines, eof: "fatal" | "login"): string {
  const login = loginName();
  stdout.write(login === undefined ? "Username: " : `Username (${login}): `);
  // glibc flushes a line-buffered stdout before it reads a terminal
  if (stdin.isTerminal && stdout.lineBuffered) stdout.flush();
  const line = stdin.fgets(ANSWER_BUFFER);
  if (line === undefined && eof === "fatal") throw new ClientFatalError("Error reading from stdin!");
  const answer = withoutNewline(line ?? "");
  if (answer !== "") return answer;
  if (login === undefined) throw new ClientFatalError("No username available - even tried getpwuid");
  return login;
}

/** upsrw's `Enter new value for <var>: ` on stdout (flushed) and a line of stdin; "" at end of input. */
export function promptValue(name: string, stdout: CStdoutBuffer, stdin: StdinLines): string {
  stdout.write(`Enter new value for ${name}: `);
  stdout.flush();
  return withoutNewline(stdin.fgets(ANSWER_BUFFER) ?? "");
}
