/**
 * upslog's main loop (clients/upslog.c main() after start-up): every interval, for each UPS in
 * order, reconnect if the connection is gone (2.8.0 reconnects without STARTTLS), evaluate the
 * format and append the line to the UPS's log file; with an interval above 30 s the connection is
 * closed between polls. Timing is NUT's: whole seconds of time() and sleep(), the first line at
 * once, and a signal cuts the current sleep short: SIGUSR1 just logs now, SIGHUP reopens the log
 * files before logging, SIGINT/SIGQUIT/SIGTERM log once more and end the loop.
 */
import type { LocalTimeZone } from "../system/local-time.ts";
import type { NutClient } from "./nut-client.ts";
import { expandUpslogFormat, type UpslogFormatItem, upslogLineBytes } from "./upslog-format.ts";
import type { UpslogLogFile } from "./upslog-log-file.ts";

/** One monitored UPS and where its lines go. */
export interface UpslogSystem {
  /** The UPS as given (`ups@host:port`), which `%UPSHOST%` prints. */
  readonly spec: string;
  readonly upsname: string;
  readonly host: string;
  readonly port: number;
  readonly logFile: UpslogLogFile;
  /** The connection, when there is one. */
  client?: NutClient | undefined;
}

/** What the loop needs from its surroundings. */
export interface UpslogMonitorOptions {
  readonly systems: readonly UpslogSystem[];
  readonly format: readonly UpslogFormatItem[];
  /** Seconds between polls (`-i`; atoi(), so possibly 0 or negative: then no sleeping at all). */
  readonly interval: number;
  readonly pid: number;
  readonly timeZone: LocalTimeZone;
  hostname(): string;
  /** upslogx(): a message for stderr (foreground) or nowhere (background). */
  log(message: string): void;
  /** upscli_connect() for a reconnect; rejects when it fails. */
  connect(system: UpslogSystem): Promise<NutClient>;
  /** The clock, in ms (default Date.now). */
  now?: () => number;
}

/** The loop of one upslog process. */
export class UpslogMonitor {
  readonly #options: UpslogMonitorOptions;
  readonly #now: () => number;
  #exitSignal: number | undefined;
  #reopenSignal: number | undefined;
  #wake: (() => void) | undefined;

  constructor(options: UpslogMonitorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** SIGINT/SIGQUIT/SIGTERM: one more line, then the loop ends. */
  requestExit(signal: number): void {
    this.#exitSignal = signal;
    this.#wake?.();
  }

  /** SIGHUP: reopen the log files before the next line (logged at once if sleeping). */
  requestReopen(signal: number): void {
    this.#reopenSignal = signal;
    this.#wake?.();
  }

  /** SIGUSR1: log now if sleeping. */
  wake(): void {
    this.#wake?.();
  }

  /** time(). */
  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** sleep(): ends early when a signal arrives during it (a signal before it is not remembered). */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = undefined;
    });
  }

  /**
   * Runs until an exit signal; returns that signal's number. Throws UpslogFileError when a log
   * file cannot be reopened (NUT exits with status 1 then).
   */
  async run(): Promise<number> {
    const interval = this.#options.interval;
    let nextPoll = 0;
    while (this.#exitSignal === undefined) {
      const now = this.#seconds();
      if (nextPoll > now) {
        await this.#sleep((nextPoll - now) * 1000);
        nextPoll += interval;
      } else {
        nextPoll = now + interval;
      }
      if (this.#reopenSignal !== undefined) {
        this.#options.log(`Signal ${this.#reopenSignal}: reopening log file`);
        this.#reopenSignal = undefined;
        this.#reopenLogFiles();
      }
      await this.pollOnce();
      // no sleep with an interval of 0 or less: let signals in between the lines
      if (interval <= 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#options.log(`Signal ${this.#exitSignal}: exiting`);
    return this.#exitSignal;
  }

  /** reopen_log() for every distinct destination. */
  #reopenLogFiles(): void {
    const files = new Set(this.#options.systems.map((s) => s.logFile));
    for (const file of files) {
      if (file.isStdout) this.#options.log("logging to stdout");
      else file.reopen();
    }
  }

  /** One round: every UPS's line. */
  async pollOnce(): Promise<void> {
    for (const system of this.#options.systems) {
      if (system.client === undefined || system.client.closed) {
        try {
          system.client = await this.#options.connect(system);
        } catch {
          // as upscli_connect() in the loop: failures are silent, the variables read NA
          system.client = undefined;
        }
      }
      const line = await expandUpslogFormat(this.#options.format, {
        hostname: () => this.#options.hostname(),
        upsHost: system.spec,
        pid: this.#options.pid,
        now: () => this.#seconds(),
        localtime: (t) => this.#options.timeZone.localtime(t),
        getVar: (name) => getVar(system, name),
      });
      system.logFile.write(upslogLineBytes(line));
      if (this.#options.interval > 30) await disconnect(system);
    }
  }

  /** The end of main(): close the files (not stdout) and the connections. */
  async close(): Promise<void> {
    for (const file of new Set(this.#options.systems.map((s) => s.logFile))) file.close();
    await Promise.all(this.#options.systems.map(disconnect));
  }
}

/** getvar(): the value of `GET VAR`, or undefined (NA) for any failure. */
async function getVar(system: UpslogSystem, name: string): Promise<string | undefined> {
  const client = system.client;
  if (client === undefined || client.closed) return undefined;
  try {
    const words = await client.get(["VAR", system.upsname, name]);
    return words[3] ?? "";
  } catch {
    return undefined;
  }
}

/** upscli_disconnect(). */
async function disconnect(system: UpslogSystem): Promise<void> {
  const client = system.client;
  system.client = undefined;
  await client?.close();
}
