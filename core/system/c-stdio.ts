/**
 * C's buffered stdout for the programs that print with printf() (upscmd, upsrw, upsdrvctl): line-buffered on
 * a terminal, otherwise kept until 4096 bytes are pending or the program exits. It decides the
 * order in which stdout and stderr text meet when both go to one file (`upscmd … >log 2>&1`):
 * upscmd's `Username (root): ` prompt lands after its `OK` there, as with NUT.
 */

/** BUFSIZ-sized blocks, what glibc uses for a pipe or a regular file (st_blksize 4096). */
const BLOCK = 4096;

/** A stdio output stream over a sink that writes at once. */
export class CStdoutBuffer {
  readonly #sink: (text: string) => void;
  readonly #mode: "line" | "full";
  #pending = "";

  constructor(sink: (text: string) => void, mode: "line" | "full") {
    this.#sink = sink;
    this.#mode = mode;
  }

  /** Whether this stream is line-buffered (a terminal). */
  get lineBuffered(): boolean {
    return this.#mode === "line";
  }

  /** printf(): appends, then writes what the buffering mode would write now. */
  write(text: string): void {
    this.#pending += text;
    if (this.#mode === "line") {
      const end = this.#pending.lastIndexOf("\n") + 1;
      if (end > 0) {
        this.#sink(this.#pending.slice(0, end));
        this.#pending = this.#pending.slice(end);
      }
      return;
    }
    // characters stand in for bytes: the texts are ASCII but for values a UPS reports
    while (this.#pending.length >= BLOCK) {
      this.#sink(this.#pending.slice(0, BLOCK));
      this.#pending = this.#pending.slice(BLOCK);
    }
  }

  /** Writes around the buffer, as another process sharing the same fd 1 would. */
  writeThrough(text: string): void {
    if (text !== "") this.#sink(text);
  }

  /** What is buffered and not yet written (a forked child holds a copy of it). */
  pending(): string {
    return this.#pending;
  }

  /** fflush() and exit(): writes what is pending. */
  flush(): void {
    if (this.#pending === "") return;
    const text = this.#pending;
    this.#pending = "";
    this.#sink(text);
  }
}
