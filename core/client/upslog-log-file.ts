/**
 * One upslog destination: a file opened for appending (fopen(name, "a")), or standard output
 * for `-`. Lines are written whole and at once (upslog fflush()es after each), and SIGHUP's
 * reopen closes the file and opens the name again, so that a log rotated away is followed by a
 * new file of the same name.
 */
import { closeSync, openSync, writeSync } from "node:fs";

/** glibc's strerror() texts for what opening or writing a log file can meet. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
  EDQUOT: "Disk quota exceeded",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  ETXTBSY: "Text file busy",
  EIO: "Input/output error",
};

/** strerror() of a Node file-system error. */
export function fileErrorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && STRERROR[code] !== undefined) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

/** A log destination that could not be opened: `could not open logfile <name>: <strerror>`. */
export class UpslogFileError extends Error {}

/** One log destination, shared by every UPS logging into the same name. */
export class UpslogLogFile {
  /** The name as given: a path, or `-` for standard output. */
  readonly name: string;
  readonly #writeStdout: (bytes: Uint8Array) => void;
  #fd: number | undefined;

  constructor(name: string, writeStdout: (bytes: Uint8Array) => void) {
    this.name = name;
    this.#writeStdout = writeStdout;
  }

  /** Whether this is standard output. */
  get isStdout(): boolean {
    return this.name === "-";
  }

  /** Whether open() has succeeded (and close() not been called since). */
  get isOpen(): boolean {
    return this.isStdout || this.#fd !== undefined;
  }

  /** fopen(name, "a"); throws UpslogFileError with NUT's text. */
  open(): void {
    if (this.isOpen) return;
    try {
      this.#fd = openSync(this.name, "a");
    } catch (err) {
      throw new UpslogFileError(`could not open logfile ${this.name}: ${fileErrorText(err)}`);
    }
  }

  /** reopen_log(): close and open the name again; throws UpslogFileError (`could not reopen …`). */
  reopen(): void {
    if (this.isStdout) return;
    this.close();
    try {
      this.#fd = openSync(this.name, "a");
    } catch (err) {
      throw new UpslogFileError(`could not reopen logfile ${this.name}: ${fileErrorText(err)}`);
    }
  }

  /** Writes one line's bytes (a failing write is dropped, as fprintf() to a full disk is). */
  write(bytes: Uint8Array): void {
    if (this.isStdout) {
      this.#writeStdout(bytes);
      return;
    }
    if (this.#fd === undefined) return;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done);
    } catch {
      // NUT ignores fprintf()'s result
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already unusable
    }
    this.#fd = undefined;
  }
}
