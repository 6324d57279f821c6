/**
 * Daemons going to the background (NUT's background() in common/common.c, with 2.8.1's
 * readiness pipe). Bun cannot fork, so the program re-executes itself detached; the parent
 * relays the child's stderr until the child writes its readiness token on stdout, then exits
 * 0, so that whoever started it (upsdrvctl, an init script) knows the daemon is up.
 */
import { basename } from "node:path";

/** Set in the re-executed child's environment to the program's name. */
const BACKGROUND_ENV = "NUT_TS_BACKGROUND";
/**
 * What the child writes on stdout when ready: text no program prints otherwise (NUT's single
 * "G" was found in usbhid-ups' banner, "Generic HID driver", and a failing child passed for ready).
 */
const READY_TOKEN = "\u0000nut-ts-ready\u0000";

/** Where the parent writes and what environment it passes on. */
export interface BackgroundIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  stderr(text: string): void;
}

/** True in the re-executed child of `program`. */
export function isBackgroundChild(env: Readonly<Record<string, string | undefined>>, program: string): boolean {
  return env[BACKGROUND_ENV] === program;
}

/** Tells the waiting parent that the daemon is ready (call once, in the child). */
export function signalReady(stdout: (text: string) => void): void {
  stdout(READY_TOKEN);
}

/**
 * Re-executes `program` with `args` detached and waits until it is ready; returns the exit
 * status the parent should end with (0 when ready, the child's status if it ended first).
 */
export async function runInBackground(program: string, args: readonly string[], io: BackgroundIo): Promise<number> {
  // under `bun cli/main.ts` (tests from source) the program is a subcommand of the script
  const fromSource = basename(process.execPath).startsWith("bun") && Bun.main !== "";
  const argv = fromSource ? [process.execPath, Bun.main, program, ...args] : [process.execPath, ...args];
  const child = Bun.spawn(argv, {
    ...(fromSource ? {} : { argv0: program }),
    env: { ...io.env, [BACKGROUND_ENV]: program } as Record<string, string>,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const errors = child.stderr.getReader();
  const relay = (async () => {
    for (;;) {
      const { value, done } = await errors.read();
      if (done) break;
      io.stderr(new TextDecoder().decode(value));
    }
  })().catch(() => undefined);
  const output = child.stdout.getReader();
  let ready = false;
  let seen = "";
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await output.read();
    if (done) break;
    // the token may arrive split over reads; only its length's worth of the past matters
    seen = (seen + decoder.decode(value, { stream: true })).slice(-(READY_TOKEN.length + 4096));
    if (seen.includes(READY_TOKEN)) {
      ready = true;
      break;
    }
  }
  if (ready) {
    // let go of the child entirely, or its pipes keep this process alive
    await Promise.all([errors.cancel().catch(() => undefined), output.cancel().catch(() => undefined)]);
    child.unref();
    return 0;
  }
  await relay;
  return (await child.exited) || 1;
}
