/**
 * Changes what a dummy-ups driver in `.dev` mode reports. NUT 2.8.0's dummy-ups reads a `.dev`
 * file once and re-reads it only when the file's mtime *seconds* change (drivers/dummy-ups.c,
 * MODE_DUMMY_ONCE), so two writes within one second would lose the second: every write here
 * moves the mtime at least one whole second past the previous one.
 */
import { statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** `key: value` lines of a `.dev` file, in order. */
export type DevValues = Readonly<Record<string, string>>;

/** The `.dev` text for `values`. */
export function devText(values: DevValues): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
}

/** Writes `<confPath>/<ups>.dev` so that the driver picks it up on its next update. */
export function writeDummyDev(confPath: string, ups: string, values: DevValues): void {
  const file = join(confPath, `${ups}.dev`);
  let previous = 0;
  try {
    previous = Math.floor(statSync(file).mtimeMs / 1000);
  } catch {
    // first write
  }
  writeFileSync(file, devText(values));
  const seconds = Math.max(Math.floor(Date.now() / 1000), previous + 1);
  utimesSync(file, seconds, seconds);
}
