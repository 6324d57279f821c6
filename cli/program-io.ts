/**
 * What a program front gets from the dispatcher instead of touching `process` itself, so
 * fronts are testable in-process and an all-in-one mode can host several of them.
 */
export interface ProgramIo {
  /** The name the program was invoked as (`upsc`, `nut`, …). */
  readonly name: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The signature every program front exports as `main`; it returns the exit status. */
export type ProgramMain = (args: string[], io: ProgramIo) => Promise<number>;

type Sink = ReturnType<typeof Bun.stdout.writer>;

/**
 * Writes to fd 1 or 2 through Bun's FileSink: process.stdout costs ~20 ms of start-up here
 * (it builds Node's stream machinery), a FileSink almost nothing. Each write is flushed at once
 * so that a daemon's log lines appear as they happen. A closed pipe (`upsc … | head -1`) ends
 * the writing silently instead of throwing at every line.
 */
function sinkWriter(open: () => Sink): { write(text: string): void; flush(): Promise<void> } {
  let sink: Sink | undefined;
  let broken = false;
  let pending: Promise<unknown> = Promise.resolve();
  return {
    write(text) {
      if (broken) return;
      try {
        sink ??= open();
        sink.write(text);
        const flushed = sink.flush();
        if (flushed instanceof Promise) pending = flushed.catch(() => (broken = true));
      } catch {
        broken = true;
      }
    },
    async flush() {
      await pending;
    },
  };
}

const stdoutWriter = sinkWriter(() => Bun.stdout.writer());
const stderrWriter = sinkWriter(() => Bun.stderr.writer());

/** A ProgramIo on the real process streams. */
export function processIo(name: string): ProgramIo {
  return {
    name,
    env: process.env,
    stdout: (text) => stdoutWriter.write(text),
    stderr: (text) => stderrWriter.write(text),
  };
}

/** Waits until everything written through processIo() has reached the kernel. */
export async function flushProcessIo(): Promise<void> {
  await Promise.all([stdoutWriter.flush(), stderrWriter.flush()]);
}
