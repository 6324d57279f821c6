import type { ProgramIo } from "./program-io.ts";

/** `nut check-config [--confpath DIR]` (filled in once the readers land). */
export async function main(_args: string[], io: ProgramIo): Promise<number> {
  io.stderr(`${io.name} check-config: not implemented yet\n`);
  return 1;
}
