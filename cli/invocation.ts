import { basename } from "node:path";

/** How the binary was invoked: the program name and the arguments meant for it. */
export interface Invocation {
  /** Basename of argv[0]: `upsc` through a symlink, `nut` for the multicall form. */
  name: string;
  args: string[];
}

/**
 * Reads the invoked name. In a `bun build --compile` executable `process.argv[0]` is the literal
 * "bun" and `argv[1]` a virtual /$bunfs path, while `process.argv0` keeps the name the binary was
 * started under (symlink, hard link, copy, `exec -a`). Under `bun cli/main.ts` argv0 is "bun",
 * which we treat as the multicall name.
 */
export function readInvocation(argv0: string, argv: readonly string[]): Invocation {
  let name = basename(argv0);
  if (name === "bun" || name === "bun.exe") name = "nut";
  return { name, args: argv.slice(2) };
}
