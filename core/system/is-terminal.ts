/**
 * isatty() for the start-up path of short-lived programs: loading node:tty costs ~15 ms of a
 * compiled program's start (node:fs ~5 ms), so node:tty is loaded only for a character device
 * that may be a terminal. Pipes and regular files (every scripted run) and the memory devices
 * /dev/null, /dev/zero … (character major 1) are answered by one fstat() through Bun.file().
 */

/** Linux's character major of /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom. */
const MEMORY_DEVICES_MAJOR = 1;

/** Whether `fd` is a terminal. */
export async function isTerminal(fd: number): Promise<boolean> {
  try {
    const st = await Bun.file(fd).stat();
    if (!st.isCharacterDevice() || ((st.rdev >> 8) & 0xfff) === MEMORY_DEVICES_MAJOR) return false;
  } catch {
    return false;
  }
  const { isatty } = await import("node:tty");
  return isatty(fd);
}
