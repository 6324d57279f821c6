import { isLongRunning, reexecWithSlowIdleGcTimer } from "./idle-gc-timer.ts";
import { readInvocation } from "./invocation.ts";
import { flushProcessIo, processIo } from "./program-io.ts";
import { findProgram } from "./programs.ts";

// The entry of the compiled binary (busybox's shape): find the invoked name, load that one
// program lazily, run it, set the exit code. No flag parsing and no config loading here.
// The exit code is set, never process.exit(): that would cut off output still in a pipe.
const { name, args } = readInvocation(process.argv0, process.argv);
const program = findProgram(name);
if (program) {
  if (isLongRunning(program)) reexecWithSlowIdleGcTimer();
  const { main } = await program.load();
  process.exitCode = await main(args, processIo(name));
} else if (name.startsWith("nut")) {
  const { main } = await import("./nut.ts");
  process.exitCode = await main(args, processIo(name));
} else {
  processIo(name).stderr(`${name}: applet not found\n`);
  // POSIX "command not found", as busybox answers an unknown applet
  process.exitCode = 127;
}
await flushProcessIo();
