/**
 * errno and strerror of the C library, for the few NUT messages built with fatal_with_errno()
 * after a libusb call (nut-scanner's "No USB device found: <strerror(errno)>"): libusb leaves
 * errno as its last system call set it, and NUT prints whatever that is.
 */
import { dlopen, FFIType, read } from "bun:ffi";

const LIBC = "libc.so.6";

let libc: ReturnType<typeof load> | undefined;

function load() {
  return dlopen(LIBC, {
    __errno_location: { args: [], returns: FFIType.ptr },
    strerror: { args: [FFIType.i32], returns: FFIType.cstring },
  });
}

/** The calling thread's errno now (read it right after the native call of interest). */
export function currentErrno(): number {
  libc ??= load();
  const location = libc.symbols.__errno_location();
  return location === null ? 0 : read.i32(location, 0);
}

/** strerror(3) of the C library: 11 → "Resource temporarily unavailable". */
export function strerror(errno: number): string {
  libc ??= load();
  return String(libc.symbols.strerror(errno));
}
