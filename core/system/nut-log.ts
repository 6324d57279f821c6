/**
 * NUT's upslogx()/upsdebugx() (common/common.c) for every daemon (drivers, upsd, upsmon): in the
 * foreground every message goes to stderr as one line; with a debug level of 1 or more each line is prefixed with the seconds since the
 * first logged line and a TAB (`   0.000315\t`), and debug lines also with `[D<level>] `.
 */

/** Where a daemon reports what it does. */
export interface NutLog {
  /** Current debug level (-D count, or DEBUG_MIN). */
  debugLevel: number;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Printed only when the debug level is at least `level`. */
  debug(level: number, message: string): void;
}

/** A NutLog writing lines through `write` (stderr in the foreground). */
export class StreamNutLog implements NutLog {
  debugLevel: number;
  readonly #write: (text: string) => void;
  #start: number | undefined;

  constructor(write: (text: string) => void, debugLevel = 0) {
    this.#write = write;
    this.debugLevel = debugLevel;
  }

  #emit(message: string, debugLevel?: number): void {
    let line = message;
    if (debugLevel !== undefined && debugLevel > 0) line = `[D${debugLevel}] ${line}`;
    if (this.debugLevel > 0) {
      const now = performance.now();
      this.#start ??= now;
      const elapsed = (now - this.#start) / 1000;
      const seconds = Math.floor(elapsed);
      const micros = Math.floor((elapsed - seconds) * 1e6);
      line = `${String(seconds).padStart(4)}.${String(micros).padStart(6, "0")}\t${line}`;
    }
    this.#write(`${line}\n`);
  }

  info(message: string): void {
    this.#emit(message);
  }
  notice(message: string): void {
    this.#emit(message);
  }
  warning(message: string): void {
    this.#emit(message);
  }
  error(message: string): void {
    this.#emit(message);
  }
  debug(level: number, message: string): void {
    if (this.debugLevel >= level) this.#emit(message, level);
  }
}

/** A log that keeps its lines in memory (tests). */
export class MemoryNutLog implements NutLog {
  debugLevel = 0;
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  notice(message: string): void {
    this.lines.push(message);
  }
  warning(message: string): void {
    this.lines.push(message);
  }
  error(message: string): void {
    this.lines.push(message);
  }
  debug(level: number, message: string): void {
    if (this.debugLevel >= level) this.lines.push(`[D${level}] ${message}`);
  }
}
