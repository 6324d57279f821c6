/**
 * NUT's upslogx()/upsdebugx() for drivers (common/common.c): messages go to stderr in the
 * foreground; with a debug level of 1 or more every line gets the seconds since the first
 * logged line and a TAB (`   0.000315\t`), and debug lines also `[D<level>] `.
 */
export interface DriverLog {
  /** Current debug level (-D count, or debug_min). */
  readonly debugLevel: number;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Printed only when the debug level is at least `level`. */
  debug(level: number, message: string): void;
}

/** A DriverLog writing lines through `write` (stderr in the foreground). */
export class StderrDriverLog implements DriverLog {
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
