// upssched's front in-process: options, environment and config errors, EXECUTE, and CANCEL
// without a daemon (texts from NUT 2.8.5's clients/upssched.c). Timers need the daemon, which
// the binary re-runs itself for: test/e2e/upssched.test.ts covers them.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UPSSCHED_DAEMON_ENV, daemonEnvironment, readDaemonSettings } from "../core/monitor/upssched-daemon-launch.ts";
import { tempDir } from "../test/harness/temp-dir.ts";
import type { ProgramIo } from "./program-io.ts";
import { main } from "./upssched.ts";

async function upssched(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: ProgramIo = { name: "upssched", env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const dirs: { [Symbol.dispose](): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d[Symbol.dispose]();
});

/** A config dir with CMDSCRIPT appending its arguments and event to `marker`. */
function confDir(lines: string[]): { path: string; marker: string } {
  const dir = tempDir("upssched-cli-");
  dirs.push(dir);
  const marker = join(dir.path, "marker");
  const script = join(dir.path, "cmd.sh");
  writeFileSync(script, `#!/bin/sh\necho "$#:$*|$UPSNAME|$NOTIFYTYPE|$NOTIFYMSG" >> ${marker}\n`, { mode: 0o755 });
  const head = [`CMDSCRIPT ${script}`, `PIPEFN ${join(dir.path, "pipe")}`, `LOCKFN ${join(dir.path, "lock")}`];
  writeFileSync(join(dir.path, "upssched.conf"), `${[...head, ...lines].join("\n")}\n`);
  return { path: dir.path, marker };
}

const HELP =
  "upssched: upsmon's scheduling helper for offset timers\n" +
  "Practical behavior is managed by UPSNAME and NOTIFYTYPE envvars\n" +
  "\nUsage: upssched [OPTIONS] [NOTIFYMSG]\n\n" +
  "  -D\t\traise debugging level (NOTE: keeps reporting when daemonized)\n" +
  "  -V\t\tdisplay the version of this software\n" +
  "  -h\t\tdisplay this help\n" +
  "  -l\t\tdisplay currently pending timers (if any)\n" +
  "\nFor more information please Read The Fine Manual ('man 8 upssched') and/or see\n" +
  "\thttps://www.networkupstools.org/docs/man/upssched.html\n" +
  "Also check documentation and samples of upsmon.conf\n";

describe("upssched options and environment", () => {
  test("-h prints 2.8.5's help, exit 0; -V prints nothing without debugging", async () => {
    expect(await upssched(["-h"], {})).toEqual({ code: 0, stdout: HELP, stderr: "" });
    expect(await upssched(["-V"], {})).toEqual({ code: 0, stdout: "", stderr: "" });
    const v = await upssched(["-D", "-V"], {});
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(/^ {3}0\.\d{6}\t\[D1\] Network UPS Tools version 2\.8\.0-nut-ts-\S+\n$/);
  });

  test("an unknown option: getopt's message, then NUT's fatal line, exit 1", async () => {
    expect(await upssched(["-x"], {})).toEqual({
      code: 1,
      stdout: "",
      stderr: "upssched: invalid option -- 'x'\nError: unknown option -?. Try -h for help.\n",
    });
  });

  test("without UPSNAME or NOTIFYTYPE: 2.8.5's two lines on stdout, exit 1", async () => {
    const expected = {
      code: 1,
      stdout: "Error: environment variables UPSNAME and NOTIFYTYPE must be set.\nThis program should only be run from upsmon(8).\n",
      stderr: "",
    };
    expect(await upssched([], {})).toEqual(expected);
    expect(await upssched(["msg"], { UPSNAME: "u" })).toEqual(expected);
    expect(await upssched([], { NOTIFYTYPE: "ONBATT" })).toEqual(expected);
  });

  test("a missing upssched.conf is fatal", async () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(await upssched([], { UPSNAME: "u", NOTIFYTYPE: "ONBATT", NUT_CONFPATH: dir.path })).toEqual({
      code: 1,
      stdout: "",
      stderr: `Can't open ${dir.path}/upssched.conf: No such file or directory\n`,
    });
  });
});

describe("upssched.conf processing", () => {
  test("an AT before CMDSCRIPT/PIPEFN/LOCKFN is fatal, on stdout and stderr", async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir.path, "upssched.conf"), "CMDSCRIPT /bin/true\nAT ONLINE * EXECUTE x\n");
    expect(await upssched([], { UPSNAME: "u", NOTIFYTYPE: "LOWBATT", NUT_CONFPATH: dir.path })).toEqual({
      code: 1,
      stdout: "PIPEFN must be set before any ATs in the config file!\n",
      stderr: "PIPEFN must be set before any ATs in the config file!\n",
    });
  });

  test("EXECUTE runs CMDSCRIPT at once, unquoted, with the event's environment", async () => {
    const { path, marker } = confDir([
      "AT ONBATT * EXECUTE first",
      'AT onbatt ups1 EXECUTE "two words"',
      "AT ONBATT other EXECUTE never",
      "AT ONLINE * EXECUTE never",
    ]);
    const r = await upssched(["UPS ups1 on battery"], { UPSNAME: "ups1", NOTIFYTYPE: "ONBATT", NUT_CONFPATH: path, PATH: "/usr/bin:/bin" });
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(marker, "utf8")).toBe("1:first|ups1|ONBATT|UPS ups1 on battery\n2:two words|ups1|ONBATT|UPS ups1 on battery\n");
  });

  test("CANCEL-TIMER without a command and no daemon does nothing (no daemon started)", async () => {
    const { path, marker } = confDir(["AT ONLINE * CANCEL-TIMER t", "AT ONLINE * EXECUTE after"]);
    const r = await upssched([], { UPSNAME: "u", NOTIFYTYPE: "ONLINE", NUT_CONFPATH: path, PATH: "/usr/bin:/bin" });
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(existsSync(join(path, "pipe"))).toBe(false);
    expect(existsSync(join(path, "lock"))).toBe(false);
    expect(readFileSync(marker, "utf8")).toBe("1:after|u|ONLINE|\n");
  });

  test("-l needs no event but a daemon: fatal when none runs", async () => {
    const { path } = confDir([]);
    expect(await upssched(["-l"], { NUT_CONFPATH: path })).toEqual({ code: 1, stdout: "", stderr: "upssched timer is not running\n" });
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir.path, "upssched.conf"), "CMDSCRIPT /bin/true\n");
    expect(await upssched(["-l"], { NUT_CONFPATH: dir.path })).toEqual({
      code: 1,
      stdout: "",
      stderr: "upssched.conf: invalid configuration for timer listing: lacks PIPEFN\n",
    });
  });

  test("-D logs to stderr", async () => {
    const { path } = confDir(["BOGUS", "AT ONBATT * EXECUTE x"]);
    const r = await upssched(["-D"], { UPSNAME: "u", NOTIFYTYPE: "ONBATT", NUT_CONFPATH: path, PATH: "/usr/bin:/bin" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("\t[D1] Handling NOTIFYTYPE='ONBATT' for UPSNAME='u'\n");
    expect(r.stderr).toContain("upssched.conf:4: invalid directive BOGUS\n");
    expect(r.stderr).toContain("\tExecuting command: x\n");
  });
});

describe("daemon settings in the environment", () => {
  test("round trip, and anything else is not a daemon", () => {
    const settings = { pipeFn: "/run/p", lockFn: "/run/l", cmdScript: "/bin/cmd", debugLevel: 2 };
    const env = daemonEnvironment(settings, { PATH: "/bin", UNSET: undefined });
    expect(env.PATH).toBe("/bin");
    expect("UNSET" in env).toBe(false);
    expect(readDaemonSettings(env)).toEqual(settings);
    expect(readDaemonSettings({})).toBeUndefined();
    expect(readDaemonSettings({ [UPSSCHED_DAEMON_ENV]: "{" })).toBeUndefined();
    expect(readDaemonSettings({ [UPSSCHED_DAEMON_ENV]: '{"pipeFn":"/p"}' })).toBeUndefined();
  });
});
