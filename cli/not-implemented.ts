import type { ProgramIo } from "./program-io.ts";

/** Front for a program whose issue has not landed yet: one line on stderr, exit 1. */
export async function main(_args: string[], io: ProgramIo): Promise<number> {
  io.stderr(`${io.name}: not implemented yet in this nut-ts build\n`);
  return 1;
}
