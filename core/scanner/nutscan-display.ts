/**
 * nut-scanner's two output formats of NUT 2.8.0 (tools/nut-scanner/nutscan-display.c):
 * ups.conf sections (`-N`, the default) numbered by one counter for the whole run, and the
 * parsable one-line-per-device form (`-P`). Values are printed raw between double quotes.
 */
import type { NutscanDevice } from "./nutscan-device.ts";

/** Formats one scan type's devices as text for stdout. */
export interface NutscanDisplay {
  format(devices: readonly NutscanDevice[]): string;
}

/** `[nutdev<N>]` sections; N counts on across calls (2.8.0 keeps it in a static). */
export class UpsConfDisplay implements NutscanDisplay {
  #next = 1;

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
