/**
 * nut-scanner's output formats (tools/nut-scanner/nutscan-display.c): NUT 2.8.0's ups.conf
 * sections (`-N`, the default) numbered by one counter for the whole run and the parsable
 * one-line-per-device form (`-P`); and later NUT's `-Q` (2.8.1+), the ups.conf sections
 * followed by its sanity-check warnings as comments. Values are printed raw between double
 * quotes.
 */
import type { NutscanDevice } from "./nutscan-device.ts";

/** Formats one scan type's devices as text for stdout. */
export interface NutscanDisplay {
  format(devices: readonly NutscanDevice[]): string;
}

/** `[nutdev<N>]` sections; N counts on across calls (2.8.0 keeps it in a static). */
export class UpsConfDisplay implements NutscanDisplay {
  #next = 1;

  /** The number the next section gets. */
  get nextNumber(): number {
    return this.#next;
  }

  format(devices: readonly NutscanDevice[]): string {
    let text = "";
    for (const device of devices) {
      text += `[nutdev${this.#next++}]\n\tdriver = "${device.driver}"\n\tport = "${device.port}"\n`;
      for (const option of device.options) {
        text += option.value === undefined ? `\t${option.name}\n` : `\t${option.name} = "${option.value}"\n`;
      }
    }
    return text;
  }
}

/** `TYPE:driver="…",port="…",opt="…"` lines, no whitespace added (scripts parse it). */
export class ParsableDisplay implements NutscanDisplay {
  format(devices: readonly NutscanDevice[]): string {
    let text = "";
    for (const device of devices) {
      text += `${device.type}:driver="${device.driver}",port="${device.port}"`;
      for (const option of device.options) text += option.value === undefined ? `,${option.name}` : `,${option.name}="${option.value}"`;
      text += "\n";
    }
    return text;
  }
}

/** SMALLBUF / LARGEBUF of NUT's common.h: the serial key and the section list are cut to these. */
const SMALLBUF = 512;
const LARGEBUF = 1024;

/**
 * nutscan_display_sanity_check_serial of later NUT: within one scan type's devices, the
 * sections (by their numbers) sharing each serial option value, in first-seen order; devices
 * without a serial option take no part. Returns the `# WARNING` comments NUT prints for empty
 * or missing values, trailing blanks, all-same characters and values several sections share.
 */
export function serialSanityWarnings(devices: readonly NutscanDevice[], firstNumber: number, debug: (level: number, message: string) => void = () => {}): string {
  const fn = "nutscan_display_sanity_check_serial";
  if (devices.length === 0) return "";
  debug(3, `${fn}: checking serial numbers for ${devices.length} device configuration(s)`);
  const sections = new Map<string, string>();
  devices.forEach((device, i) => {
    const name = `nutdev${firstNumber + i}`;
    const serial = device.options.find((o) => o.name === "serial");
    if (serial === undefined) return;
    // a bare option (NULL value) and an empty one get placeholder keys
    const key = (serial.value === undefined ? "<null>" : serial.value === "" ? "<empty>" : serial.value).slice(0, SMALLBUF - 1);
    const seen = sections.get(key);
    if (seen !== undefined) {
      debug(3, `${fn}: duplicate entry for serial '${key}' of '${name}': ${seen}`);
      // snprintfcat: what does not fit the buffer is cut
      sections.set(key, `${seen},${name}`.slice(0, LARGEBUF - 1));
    } else {
      debug(3, `${fn}: new entry for serial '${key}' of ${name}`);
      sections.set(key, name.slice(0, LARGEBUF - 1));
    }
  });
  let text = "";
  for (const [key, list] of sections) {
    if (key === "<null>" || key === "<empty>") {
      text += `\n# WARNING: ${key} "serial" reported in some devices: ${list}\n`;
      continue;
    }
    // NUT prints this one without a closing newline: the next comment starts a fresh line anyway
    if (key.endsWith(" ") || key.endsWith("\t")) {
      text += `\n# WARNING: trailing blank space in "serial" value "${key}" reported in device configuration(s): ${list}`;
    }
    const first = key.charCodeAt(0);
    if (key.split("").every((c) => c === key[0])) {
      // %c of the first char and %02X of it as a (signed) char promoted to int
      const hex = (first < 0x80 ? first : (0xffffff00 | first) >>> 0).toString(16).toUpperCase().padStart(2, "0");
      text += `\n# WARNING: all-same character "serial" with ${key.length} copies of '${key[0]}' (0x${hex}) reported in some devices: ${list}\n`;
    }
    if (list.includes(",")) {
      text +=
        `\n# WARNING: same "serial" value "${key}" reported in several device configurations ` +
        "(maybe okay if multiple drivers for same device, likely a vendor bug if reported by same driver " +
        `for many devices): ${list}\n`;
    }
  }
  return text;
}

/**
 * `-Q` (NUT 2.8.1+, nutscan_display_ups_conf_with_sanity_check): each scan type's ups.conf
 * sections as `-N` prints them (same counter, 2.8.0's `[nutdev<N>]` names), then the serial
 * sanity warnings for that type's devices. Later NUT (2.8.2+) names sections
 * `[nutdev-<type><N>]`; here the names stay those of this build's `-N` so that the warnings
 * name the sections printed above them.
 */
export class SanityCheckDisplay implements NutscanDisplay {
  readonly #conf = new UpsConfDisplay();
  readonly #debug: (level: number, message: string) => void;

  constructor(debug: (level: number, message: string) => void = () => {}) {
    this.#debug = debug;
  }

  format(devices: readonly NutscanDevice[]): string {
    const type = devices[0]?.type ?? "<NULL>";
    for (const fn of ["nutscan_display_ups_conf_with_sanity_check", "nutscan_display_ups_conf"]) this.#debug(2, `${fn}: ${type}`);
    const first = this.#conf.nextNumber;
    const sections = this.#conf.format(devices);
    for (const fn of ["nutscan_display_sanity_check", "nutscan_display_sanity_check_serial"]) this.#debug(2, `${fn}: ${type}`);
    return sections + serialSanityWarnings(devices, first, this.#debug);
  }
}
