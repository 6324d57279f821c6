/**
 * Which buses nut-scanner offers, decided the way NUT 2.8.0's nutscan_init() decides it: look
 * for each optional library by file-name prefix in NUT's fixed list of library folders
 * (common.c get_libname()). Doing the same search makes `-h` and `-a` list exactly what
 * Debian's nut-scanner lists on the same host. Only USB is scanned by this build; the scan
 * front prints NUT's "library not found" line for the other buses when asked to scan them.
 */
import { readdirSync, realpathSync } from "node:fs";

/** Buses whose availability depends on a library (OLDNUT via libupsclient, too). */
export interface ScannerLibraries {
  usb: string | undefined;
  snmp: string | undefined;
  xmlHttp: string | undefined;
  avahi: string | undefined;
  ipmi: string | undefined;
  upsclient: string | undefined;
}

/** The Debian multiarch triplet NUT's LIBDIR and host alias carry. */
function multiarch(): string {
  return process.arch === "arm64" ? "aarch64-linux-gnu" : process.arch === "x64" ? "x86_64-linux-gnu" : `${process.arch}-linux-gnu`;
}

/** common.c search_paths[] as Debian's 64-bit build fills it (index = the number NUT logs). */
export function librarySearchPaths(): string[] {
  const triplet = multiarch();
  const libdir = `/lib/${triplet}`;
  return [
    libdir, `/usr${libdir}`, `/usr/local${libdir}`,
    "/usr/lib/64", "/usr/lib64", "/usr/lib", "/lib/64", "/lib64", "/lib",
    "/usr/local/lib/64", "/usr/local/lib64", "/usr/local/lib",
    `/usr/lib/${triplet}`, `/usr/lib/gcc/${triplet}`,
  ];
}

/** upsdebugx(): the level a line needs, and the current level (to skip building unseen lines). */
export interface LibraryDebug {
  readonly level: number;
  print(level: number, message: string): void;
}

/** Directory listings, read once per run: several libraries are looked for in the same folders. */
const listings = new Map<string, string[] | undefined>();

function listing(dir: string): string[] | undefined {
  if (!listings.has(dir)) {
    try {
      listings.set(dir, readdirSync(dir));
    } catch {
      listings.set(dir, undefined);
    }
  }
  return listings.get(dir);
}

/** get_libname(): the real path of the first directory entry starting with `base`, or undefined. */
export function findLibrary(base: string, debug: LibraryDebug, paths: readonly string[] = librarySearchPaths()): string | undefined {
  let found: string | undefined;
  for (let index = 0; index < paths.length && found === undefined; index++) {
    const dir = paths[index]!;
    const names = listing(dir);
    if (names === undefined) continue;
    debug.print(2, `Looking for lib ${base} in directory #${index} : ${dir}`);
    for (const name of names) {
      // one line per directory entry: built only when it will be printed
      if (debug.level >= 5) debug.print(5, `Comparing lib ${base} with dirpath ${name}`);
      if (!name.startsWith(base)) continue;
      const candidate = `${dir}/${name}`;
      try {
        found = realpathSync(candidate);
      } catch {
        found = undefined;
      }
      debug.print(2, `Candidate path for lib ${base} is ${candidate} (realpath ${found ?? "NULL"})`);
      if (found !== undefined) break;
    }
  }
  debug.print(1, `Looking for lib ${base}, found ${found ?? "NULL"}`);
  return found;
}

/** nutscan_init()'s library probes, in its order (with their debug lines). */
export function detectScannerLibraries(debug: LibraryDebug, paths?: readonly string[]): ScannerLibraries {
  const find = (base: string) => findLibrary(base, debug, paths);
  const usb = find("libusb-1.0.so");
  const snmp = find("libnetsnmp.so");
  const xmlHttp = find("libneon.so") ?? find("libneon-gnutls.so");
  const avahi = find("libavahi-client.so");
  const ipmi = find("libfreeipmi.so");
  const upsclient = find("libupsclient.so");
  return { usb, snmp, xmlHttp, avahi, ipmi, upsclient };
}
