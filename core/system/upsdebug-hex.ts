/**
 * NUT's upsdebug_hex() (common/common.c): "<msg>: (<n> bytes) =>" followed by the bytes as
 * " %02x", cut into a new line whenever the line so far is longer than 72 characters; the
 * continuation lines keep their leading space. Returns the lines to hand to upsdebugx.
 */
export function upsdebugHexLines(message: string, bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let line = `${message}: (${bytes.length} bytes) =>`;
  // NUT tracks the length returned by its last snprintf, which stays above 72 after a flush
  let length = line.length;
  for (const byte of bytes) {
    if (length > 72) {
      lines.push(line);
      line = "";
    }
    line += ` ${byte.toString(16).padStart(2, "0")}`;
    length = line.length;
  }
  lines.push(line);
  return lines;
}

/** upsdebug_hex(level, message, bytes) through `debug`, formatted only when `enabled(level)`. */
export function upsdebugHex(debug: (level: number, message: string) => void, enabled: (level: number) => boolean, level: number, message: string, bytes: Uint8Array): void {
  if (!enabled(level)) return;
  for (const line of upsdebugHexLines(message, bytes)) debug(level, line);
}
