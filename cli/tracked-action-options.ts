/**
 * The options upscmd and upsrw share (-u, -p, -t, -w, -j; NUT 2.8.5 gave both the same set):
 * one place for their meaning and for the -t conversion error text.
 */
import { parseUnsignedInt } from "../core/client/tracked-action.ts";

export interface TrackedActionOptions {
  json: boolean;
  tracking: boolean;
  timeoutSeconds: number;
  username?: string;
  password?: string;
}

/**
 * Applies one shared option: "handled", "unknown" when `opt` is not one of them, or the error
 * line to print (exit status 1) for a -t value that is no unsigned int.
 */
export function applyTrackedActionOption(options: TrackedActionOptions, opt: string | undefined, arg: string | undefined): "handled" | "unknown" | { error: string } {
  switch (opt) {
    case "u":
      options.username = arg!;
      return "handled";
    case "p":
      options.password = arg!;
      return "handled";
    case "t": {
      const timeout = parseUnsignedInt(arg!);
      if (!timeout.ok) return { error: `Could not convert the provided value for timeout ('-t' option) to unsigned int: ${timeout.error}\n` };
      options.timeoutSeconds = timeout.value;
      return "handled";
    }
    case "w":
      options.tracking = true;
      return "handled";
    case "j":
      options.json = true;
      return "handled";
    default:
      return "unknown";
  }
}
