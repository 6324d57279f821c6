/**
 * A problem found in a config file, located by file and physical line. Readers collect these
 * instead of printing, so each program decides how to show them (NUT's log line, or
 * `nut check-config`'s `FILE:LINE: message`).
 */
export interface ConfigDiagnostic {
  file: string;
  /** Physical 1-based line; 0 when the problem concerns the file as a whole. */
  line: number;
  /**
   * "fatal": the NUT program reading this file refuses to start; "error": NUT ignores the
   * line or value (a silent or logged loss of configuration); "warning": accepted, but
   * probably not what was meant.
   */
  severity: "fatal" | "error" | "warning";
  message: string;
}

/** `FILE:LINE: message` (or `FILE: message` for whole-file problems). */
export function formatDiagnostic(d: ConfigDiagnostic): string {
  return d.line > 0 ? `${d.file}:${d.line}: ${d.message}` : `${d.file}: ${d.message}`;
}
