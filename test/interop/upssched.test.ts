// upssched: Debian's /sbin/upssched 2.8.0 and ours driven through the same upssched.conf and
// the same events (START-TIMER, CANCEL-TIMER with and without a command, EXECUTE), each in its
// own temp dir, side by side: CMDSCRIPT must be invoked with the same arguments in the same
// order. The script's environment differs by design and is checked as such:
// - 2.8.0 ignores the notification text (argv[1]); ours (2.8.5) exports it as NOTIFYMSG;
// - 2.8.0 runs a timer's CMDSCRIPT with the UPSNAME/NOTIFYTYPE of the upssched that spawned the
//   daemon, ours (2.8.5) with those of the event that started the timer.
// The scenario keeps a daemon running whenever an upssched could fork a new one that ends while
// that upssched still reads the config: 2.8.0's forked daemon then exit()s with the config's
// FILE still open, glibc seeks the shared file offset back, and the parent reads the rest of
// upssched.conf twice (observed: an EXECUTE run twice). Ours has no such defect.
// Debian's daemon is a fork of its upssched; whatever is left of either implementation's daemon
// is found by its environment (NUT_CONFPATH of the case's dir) and killed by PID at the end.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { killProcessesWithEnv } from "../harness/process-env.ts";
import { tempDir } from "../harness/temp-dir.ts";

/** Where Debian's nut-client puts it (`dpkg -L nut-client | grep upssched`). */
const DEBIAN_UPSSCHED = "/sbin/upssched";

const CONF = [
  "AT ONBATT * EXECUTE onbatt-now",
  "AT ONBATT * START-TIMER onbatt 5",
  "AT ONLINE * CANCEL-TIMER onbatt online-late",
  "AT ONLINE * EXECUTE online-now",
  "AT LOWBATT * CANCEL-TIMER nosuch",
  'AT LOWBATT * EXECUTE "two words"',
  "AT COMMBAD * START-TIMER keep 30",
  "AT REPLBATT * START-TIMER short 1",
  "AT COMMOK * CANCEL-TIMER keep",
];

/** Every side's dir, for the cleanup after a run that timed out (its `using` never ran). */
const allDirs = new Set<{ path: string; [Symbol.dispose](): void }>();
afterAll(() => {
  for (const dir of allDirs) {
    killProcessesWithEnv("NUT_CONFPATH", dir.path);
    dir[Symbol.dispose]();
  }
});

/** One implementation's run of the scenario, in its own dir. */
class Side {
  readonly dir = tempDir("upssched-interop-");
  readonly marker = join(this.dir.path, "marker");

  constructor(readonly command: string[], readonly argv0?: string) {
    allDirs.add(this.dir);
    const script = join(this.dir.path, "cmd.sh");
    writeFileSync(script, `#!/bin/sh\necho "$#:$*|$UPSNAME|$NOTIFYTYPE|$NOTIFYMSG" >> '${this.marker}'\n`, { mode: 0o755 });
    const head = [`CMDSCRIPT ${script}`, `PIPEFN ${join(this.dir.path, "pipe")}`, `LOCKFN ${join(this.dir.path, "lock")}`];
    writeFileSync(join(this.dir.path, "upssched.conf"), `${[...head, ...CONF].join("\n")}\n`);
  }

  /** upsmon's call: UPSNAME and NOTIFYTYPE set, the message as the argument. */
  async event(upsName: string, notifyType: string, message: string): Promise<number> {
    const proc = Bun.spawn([...this.command, message], {
      ...(this.argv0 !== undefined ? { argv0: this.argv0 } : {}),
      env: { PATH: "/usr/bin:/bin", NUT_CONFPATH: this.dir.path, UPSNAME: upsName, NOTIFYTYPE: notifyType },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
      timeout: 30_000,
      killSignal: "SIGKILL",
    });
    return proc.exited;
  }

  lines(): string[] {
    return existsSync(this.marker) ? readFileSync(this.marker, "utf8").split("\n").filter((l) => l !== "") : [];
  }

  has(args: string): boolean {
    return this.lines().some((l) => l.startsWith(`${args}|`));
  }

  /** The scenario; returns the marker lines. Guards fail the test when the machine was too slow to prove anything. */
  async scenario(): Promise<string[]> {
    const t1 = performance.now();
    expect(await this.event("u1", "ONBATT", "UPS u1 on battery")).toBe(0);
    // cancelled before its 5 s: never runs, and the command of the CANCEL does not run either
    expect(await this.event("u1", "ONLINE", "UPS u1 on line power")).toBe(0);
    expect(performance.now() - t1).toBeLessThan(4500);
    await Bun.sleep(Math.max(0, 6000 - (performance.now() - t1)));
    expect(this.has("1:onbatt")).toBe(false);
    // u3's long timer keeps one daemon (spawned by u3's event) running from here on
    expect(await this.event("u3", "COMMBAD", "Communications with UPS u3 lost")).toBe(0);
    // this time onbatt fires; the next CANCEL finds no timer and runs its command
    expect(await this.event("u1", "ONBATT", "UPS u1 on battery")).toBe(0);
    expect(await eventually(() => this.has("1:onbatt"), 12_000)).toBe(true);
    expect(await this.event("u1", "ONLINE", "UPS u1 on line power")).toBe(0);
    // a CANCEL without a command; EXECUTE's argument split by the shell
    expect(await this.event("u2", "LOWBATT", "UPS u2 battery is low")).toBe(0);
    expect(await this.event("u4", "REPLBATT", "UPS u4 battery needs to be replaced")).toBe(0);
    expect(await eventually(() => this.has("1:short"), 8000)).toBe(true);
    expect(await this.event("u3", "COMMOK", "Communications with UPS u3 established")).toBe(0);
    return this.lines();
  }

  [Symbol.dispose](): void {
    killProcessesWithEnv("NUT_CONFPATH", this.dir.path);
    this.dir[Symbol.dispose]();
  }
}

test.skipIf(!existsSync(DEBIAN_UPSSCHED))(
  "Debian's upssched and ours invoke CMDSCRIPT alike for START/CANCEL/EXECUTE",
  async () => {
    using debian = new Side([DEBIAN_UPSSCHED]);
    using ours = new Side([NUT_BINARY], "upssched");
    const [debianLines, ourLines] = await Promise.all([debian.scenario(), ours.scenario()]);
    const args = (lines: string[]) => lines.map((l) => l.split("|")[0]);
    const expected = ["1:onbatt-now", "1:online-now", "1:onbatt-now", "1:onbatt", "1:online-late", "1:online-now", "2:two words", "1:short"];
    expect(args(debianLines)).toEqual(expected);
    expect(args(ourLines)).toEqual(expected);

    const fields = (lines: string[], arg: string) => lines.find((l) => l.startsWith(`${arg}|`))!.split("|").slice(1);
    // EXECUTE: the event's UPSNAME and NOTIFYTYPE in both; NOTIFYMSG only in ours
    expect(fields(debianLines, "2:two words")).toEqual(["u2", "LOWBATT", ""]);
    expect(fields(ourLines, "2:two words")).toEqual(["u2", "LOWBATT", "UPS u2 battery is low"]);
    // a timer: ours has the event that started it, 2.8.0 the one that spawned its daemon (u3's)
    expect(fields(ourLines, "1:onbatt")).toEqual(["u1", "ONBATT", "UPS u1 on battery"]);
    expect(fields(debianLines, "1:onbatt")).toEqual(["u3", "COMMBAD", ""]);
    expect(fields(ourLines, "1:short")).toEqual(["u4", "REPLBATT", "UPS u4 battery needs to be replaced"]);
    expect(fields(debianLines, "1:short")).toEqual(["u3", "COMMBAD", ""]);
    // the CANCEL's command: ours has the cancelling event
    expect(fields(ourLines, "1:online-late")).toEqual(["u1", "ONLINE", "UPS u1 on line power"]);
  },
  120_000,
);
