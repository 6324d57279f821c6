/**
 * hosts.conf reader: the list of UPSes the CGI programs (upsstats, upsimage, upsset) may
 * contact, after clients/upsstats.c load_hosts_conf(), clients/cgilib.c checkhost() and
 * clients/upsset.c upslist_arg(); CUSTOM_TEMPLATE_LIST/SINGLE are 2.8.5's upsstats templates.
 * NUT itself skips every line it does not understand without a word; this reader says why.
 * Pure: no I/O.
 */
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import { readConfLines } from "./conf-lines.ts";
import { NUT_DEFAULT_PORT, parseUpsSystemName } from "./ups-system-name.ts";

/** One MONITOR line of hosts.conf. */
export interface HostsMonitor {
  /** As written; the CGIs compare it exactly with the `host=` query parameter. */
  system: string;
  description: string;
  upsname: string;
  host: string;
  port: number;
  line: number;
  /** Set when `system` cannot be split: upsimage answers "Invalid UPS definition". */
  nameError?: string;
}

/** One allowed custom upsstats template (2.8.5). */
export interface HostsTemplate {
  file: string;
  line: number;
}

/** hosts.conf as the CGI programs read it. */
export interface HostsConf {
  /** In file order; duplicates are kept, as upsstats lists them all. */
  monitors: HostsMonitor[];
  customTemplateList: HostsTemplate[];
  customTemplateSingle: HostsTemplate[];
}

/** Reads hosts.conf; "error" marks lines the CGIs ignore or cannot use. */
export function parseHostsConf(
  input: Uint8Array | string,
  file: string,
): { config: HostsConf; diagnostics: ConfigDiagnostic[] } {
  const { lines, diagnostics } = readConfLines(input, file);
  const config: HostsConf = { monitors: [], customTemplateList: [], customTemplateSingle: [] };
  const report = (line: number, severity: ConfigDiagnostic["severity"], message: string): void => {
    diagnostics.push({ file, line, severity, message });
  };

  for (const { words, line } of lines) {
    const name = words[0]!;
    if (name === "CUSTOM_TEMPLATE_LIST" || name === "CUSTOM_TEMPLATE_SINGLE") {
      if (words.length < 2) {
        report(line, "error", `${name} needs a file name: the CGI programs ignore this line`);
        continue;
      }
      if (words.length > 2) {
        report(line, "warning", `${name} uses one argument: upsstats ignores the rest (${words.slice(2).join(" ")})`);
      }
      const template = words[1]!;
      // upsstats display_template(): no path separators, and ".htm" somewhere in the name
      if (template === "") report(line, "error", `${name} with an empty file name is ignored`);
      else if (/[/\\]/.test(template)) {
        report(line, "error", `${name} [${template}]: upsstats only opens templates directly in the configuration directory (no / or \\)`);
      } else if (!template.includes(".htm")) {
        report(line, "error", `${name} [${template}]: upsstats only opens templates whose name contains ".htm"`);
      } else {
        (name === "CUSTOM_TEMPLATE_LIST" ? config.customTemplateList : config.customTemplateSingle).push({ file: template, line });
      }
      continue;
    }
    if (name !== "MONITOR") {
      report(line, "error", `unknown directive ${words.join(" ")}: the CGI programs ignore this line`);
      continue;
    }
    if (words.length < 3) {
      report(line, "error", `MONITOR needs a UPS and a description: the CGI programs ignore this line`);
      continue;
    }
    const system = words[1]!;
    if (words.length > 3) {
      report(line, "warning", `MONITOR uses two arguments: the CGI programs ignore the rest (${words.slice(3).join(" ")}); quote a description that contains spaces`);
    }
    const previous = config.monitors.find((m) => m.system === system);
    if (previous) {
      report(line, "warning", `MONITOR [${system}] is already listed on line ${previous.line}: upsstats shows it twice and the CGIs use the first description`);
    }
    const monitor: HostsMonitor = { system, description: words[2]!, upsname: "", host: "", port: NUT_DEFAULT_PORT, line };
    const split = parseUpsSystemName(system);
    monitor.upsname = split.upsname;
    if (split.ok) {
      monitor.host = split.host;
      monitor.port = split.port;
      if (split.warning !== undefined) report(line, "warning", `MONITOR [${system}]: ${split.warning} (NUT 2.8.5 and later refuse this name)`);
    } else {
      monitor.nameError = split.error;
      report(line, "error", `MONITOR [${system}]: ${split.error}: upsimage answers "Invalid UPS definition"`);
    }
    config.monitors.push(monitor);
  }

  if (config.monitors.length === 0) {
    report(0, "warning", 'no MONITOR line: upsstats shows "Error: no hosts to monitor"');
  }
  diagnostics.sort((a, b) => (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER));
  return { config, diagnostics };
}
