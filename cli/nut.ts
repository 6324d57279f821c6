import type { ProgramIo } from "./program-io.ts";
import { isLongRunning, reexecWithSlowIdleGcTimer } from "./idle-gc-timer.ts";
import { PROGRAMS, findProgram } from "./programs.ts";
import { versionLine } from "./version.ts";

/** Subcommands of `nut` itself, besides the programs. */
const OWN_COMMANDS: readonly { name: string; usage: string; summary: string }[] = [
  { name: "check-config", usage: "check-config [--confpath DIR]", summary: "validate every NUT config file and their cross-references" },
  { name: "install-links", usage: "install-links [--force] DIR", summary: "create a symlink in DIR for every program" },
  { name: "demo", usage: "demo [--seconds N]", summary: "run the toolkit on a built-in simulated UPS" },
];

function helpText(): string {
  const width = Math.max(...PROGRAMS.map((p) => p.name.length), ...OWN_COMMANDS.map((c) => c.usage.length));
  const lines = [
    versionLine().trimEnd(),
    "",
    "Usage: nut PROGRAM [ARGS...]   or, through a link named after it: PROGRAM [ARGS...]",
    "       nut --help | --version | --list",
    "",
    "Programs:",
    ...PROGRAMS.map((p) => `  ${p.name.padEnd(width)}  ${p.summary}`),
    "",
    "Commands:",
    ...OWN_COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
  ];
  return lines.join("\n");
}

/** The multicall front: `nut PROGRAM …`, `nut --help`, `nut --version` and nut's own commands. */
export async function main(args: string[], io: ProgramIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    io.stderr(helpText());
    return 1;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    io.stdout(helpText());
    return 0;
  }
  if (first === "--version" || first === "-V") {
    io.stdout(versionLine());
    return 0;
  }
  if (first === "--list") {
    io.stdout(PROGRAMS.map((p) => `${p.name}\n`).join(""));
    return 0;
  }
  if (first === "install-links") {
    const { installLinks } = await import("./install-links.ts");
    return installLinks(rest, io);
  }
  if (first === "demo") {
    const { main: demo } = await import("./demo.ts");
    return demo(rest, io);
  }
  if (first === "check-config") {
    const { main: checkConfig } = await import("./check-config.ts");
    return checkConfig(rest, io);
  }
  const program = findProgram(first);
  if (!program) {
    io.stderr(`${io.name}: unknown program or command "${first}" (see ${io.name} --help)\n`);
    return 127;
  }
  if (isLongRunning(program)) reexecWithSlowIdleGcTimer();
  const { main: run } = await program.load();
  return run(rest, { ...io, name: program.name });
}
