// upssched from the compiled binary (invoked as `upssched`): the timer daemon it re-runs itself
// for, real CMDSCRIPT runs recorded in a marker file. Each case has its own temp dir and runs
// concurrently with the others (the idle-exit case alone takes ~17 s); every daemon left is
// killed by PID at the end of its case.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { killProcessesWithEnv, processAlive, processesWithEnv } from "../harness/process-env.ts";
import { tempDir } from "../harness/temp-dir.ts";

interface Ran {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every case's dir, for the cleanup after a case that timed out (its `using` never ran). */
const allDirs = new Set<{ path: string; [Symbol.dispose](): void }>();
afterAll(() => {
  for (const dir of allDirs) {
    killProcessesWithEnv("NUT_CONFPATH", dir.path);
    dir[Symbol.dispose]();
  }
});

/** One upssched case: a config dir, a marker file, and a way to run upssched there. */
class Case {
  readonly dir: { path: string; [Symbol.dispose](): void };
  readonly marker: string;
  readonly pipeFn: string;

  constructor(ats: string[]) {
    this.dir = tempDir("upssched-e2e-");
    allDirs.add(this.dir);
    this.marker = join(this.dir.path, "marker");
    this.pipeFn = join(this.dir.path, "pipe");
    const script = join(this.dir.path, "cmd.sh");
    writeFileSync(script, `#!/bin/sh\necho "$#:$*|$UPSNAME|$NOTIFYTYPE|$NOTIFYMSG" >> '${this.marker}'\n`, { mode: 0o755 });
    const head = [`CMDSCRIPT ${script}`, `PIPEFN ${this.pipeFn}`, `LOCKFN ${join(this.dir.path, "lock")}`];
    writeFileSync(join(this.dir.path, "upssched.conf"), `${[...head, ...ats].join("\n")}\n`);
  }

  /** Runs upssched (async, so that concurrent cases do not wait for each other), 20 s at most. */
  async run(event: { UPSNAME?: string; NOTIFYTYPE?: string }, args: string[] = []): Promise<Ran> {
    const proc = Bun.spawn([NUT_BINARY, ...args], {
      argv0: "upssched",
      env: { PATH: "/usr/bin:/bin", NUT_CONFPATH: this.dir.path, ...event },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: 20_000,
      killSignal: "SIGKILL",
    });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { exitCode, stdout, stderr };
  }

  /** The marker lines: `<argc>:<args>|<UPSNAME>|<NOTIFYTYPE>|<NOTIFYMSG>`. */
  lines(): string[] {
    return existsSync(this.marker) ? readFileSync(this.marker, "utf8").split("\n").filter((l) => l !== "") : [];
  }

  daemons(): number[] {
    return processesWithEnv("NUT_CONFPATH", this.dir.path);
  }

  [Symbol.dispose](): void {
    killProcessesWithEnv("NUT_CONFPATH", this.dir.path);
    this.dir[Symbol.dispose]();
  }
}

const OK: Ran = { exitCode: 0, stdout: "", stderr: "" };

test.concurrent("START-TIMER fires after its seconds; -l lists it meanwhile; PIPEFN is 0660", async () => {
  using c = new Case(["AT ONBATT * START-TIMER onbatt 8"]);
  const t0 = performance.now();
  expect(await c.run({ UPSNAME: "ups1@localhost", NOTIFYTYPE: "ONBATT" }, ["UPS ups1@localhost on battery"])).toEqual(OK);
  expect(statSync(c.pipeFn).mode & 0o777).toBe(0o660);
  const list = await c.run({}, ["-l"]);
  expect(list.exitCode).toBe(0);
  expect(list.stdout).toMatch(/^onbatt\t\d+\t[0-8]\tONBATT\tups1@localhost\tUPS ups1@localhost on battery\n$/);
  // the request reached the daemon after t0: nothing may fire before t0 + 8 s
  await Bun.sleep(Math.max(0, 7700 - (performance.now() - t0)));
  expect(c.lines()).toEqual([]);
  expect(await eventually(() => c.lines().length > 0, 10_000)).toBe(true);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(7900);
  expect(c.lines()).toEqual(["1:onbatt|ups1@localhost|ONBATT|UPS ups1@localhost on battery"]);
  // fired: the listing is empty now
  expect(await c.run({}, ["-l"])).toEqual(OK);
}, 40_000);

test.concurrent("CANCEL-TIMER before expiry prevents it", async () => {
  using c = new Case(["AT ONBATT * START-TIMER onbatt 8", "AT ONLINE * CANCEL-TIMER onbatt"]);
  const t0 = performance.now();
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "ONBATT" })).toEqual(OK);
  expect((await c.run({}, ["-l"])).stdout).toMatch(/^onbatt\t/);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "online" })).toEqual(OK);
  // otherwise the timer may have fired first and the case proves nothing
  expect(performance.now() - t0).toBeLessThan(7500);
  expect((await c.run({}, ["-l"])).stdout).toBe("");
  await Bun.sleep(Math.max(0, 9000 - (performance.now() - t0)));
  expect(c.lines()).toEqual([]);
}, 40_000);

test.concurrent("CANCEL-TIMER with a command and no timer runs the command; without one starts no daemon", async () => {
  using c = new Case(["AT ONLINE * CANCEL-TIMER onbatt", "AT COMMOK * CANCEL-TIMER onbatt back-online"]);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "ONLINE" })).toEqual(OK);
  expect(existsSync(c.pipeFn)).toBe(false);
  expect(c.daemons()).toEqual([]);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "COMMOK" }, ["Communications with UPS u established"])).toEqual(OK);
  // answered only once the command has run
  expect(c.lines()).toEqual(["1:back-online|u|COMMOK|Communications with UPS u established"]);
  expect(existsSync(c.pipeFn)).toBe(true);
}, 40_000);

test.concurrent("EXECUTE runs at once, its argument split by the shell", async () => {
  using c = new Case(['AT ONBATT * EXECUTE "ups on battery"', "AT ONBATT other EXECUTE never"]);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "ONBATT" }, ["msg"])).toEqual(OK);
  expect(c.lines()).toEqual(["3:ups on battery|u|ONBATT|msg"]);
  expect(c.daemons()).toEqual([]);
}, 40_000);

test.concurrent("two events: START-TIMER appends two timers, START-TIMER-SHARED joins one", async () => {
  using c = new Case(["AT ONBATT * START-TIMER each 8", "AT ONBATT * START-TIMER-SHARED once 8"]);
  expect(await c.run({ UPSNAME: "a", NOTIFYTYPE: "ONBATT" }, ["UPS a on battery"])).toEqual(OK);
  expect(await c.run({ UPSNAME: "b", NOTIFYTYPE: "ONBATT" }, ["UPS b on battery"])).toEqual(OK);
  const list = (await c.run({}, ["-l"])).stdout.split("\n");
  expect(list.length).toBe(4);
  expect(list[0]).toMatch(/^each\t\d+\t[0-8]\tONBATT\ta\tUPS a on battery$/);
  expect(list[1]).toMatch(/^once\t\d+\t[0-8]\tONBATT\ta,b\tUPS a on battery\.\tUPS b on battery$/);
  expect(list[2]).toMatch(/^each\t\d+\t[0-8]\tONBATT\tb\tUPS b on battery$/);
  expect(list[3]).toBe("");
  expect(await eventually(() => c.lines().length === 3, 12_000)).toBe(true);
  await Bun.sleep(300);
  expect(c.lines().sort()).toEqual([
    "1:each|a|ONBATT|UPS a on battery",
    "1:each|b|ONBATT|UPS b on battery",
    "1:once|a,b|ONBATT|UPS a on battery.\tUPS b on battery",
  ]);
}, 40_000);

test.concurrent("the daemon leaves ~15 s after its last timer and removes PIPEFN", async () => {
  using c = new Case(["AT ONBATT * START-TIMER t 1"]);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "ONBATT" })).toEqual(OK);
  const daemons = c.daemons();
  expect(daemons.length).toBe(1);
  expect(await eventually(() => c.lines().length === 1, 5000)).toBe(true);
  // from when CMDSCRIPT wrote its line: the queue is empty from then on
  const fired = statSync(c.marker).mtimeMs;
  await Bun.sleep(Math.max(0, fired + 13_000 - Date.now()));
  expect(existsSync(c.pipeFn)).toBe(true);
  expect(await eventually(() => !existsSync(c.pipeFn), 8000)).toBe(true);
  const idle = Date.now() - fired;
  expect(idle).toBeGreaterThanOrEqual(15_000);
  expect(idle).toBeLessThan(19_000);
  expect(await eventually(() => !processAlive(daemons[0]!), 3000)).toBe(true);
}, 45_000);

test.concurrent("a PIPEFN left by a killed daemon is replaced by a new daemon", async () => {
  using c = new Case(["AT ONBATT * START-TIMER t 60", "AT LOWBATT * START-TIMER t 0"]);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "ONBATT" })).toEqual(OK);
  const [first] = c.daemons();
  expect(first).toBeNumber();
  process.kill(first!, "SIGKILL");
  expect(await eventually(() => !processAlive(first!), 3000)).toBe(true);
  expect(existsSync(c.pipeFn)).toBe(true);
  expect(await c.run({ UPSNAME: "u", NOTIFYTYPE: "LOWBATT" })).toEqual(OK);
  expect(await eventually(() => c.lines().length === 1, 5000)).toBe(true);
  expect(c.lines()).toEqual(["1:t|u|LOWBATT|"]);
  expect(c.daemons().filter((pid) => pid !== first).length).toBe(1);
}, 40_000);

test.concurrent("without UPSNAME and NOTIFYTYPE: error text on stdout, exit 1", async () => {
  using c = new Case([]);
  expect(await c.run({ UPSNAME: "u" })).toEqual({
    exitCode: 1,
    stdout: "Error: environment variables UPSNAME and NOTIFYTYPE must be set.\nThis program should only be run from upsmon(8).\n",
    stderr: "",
  });
  expect(await c.run({}, ["-l"])).toEqual({ exitCode: 1, stdout: "", stderr: "upssched timer is not running\n" });
}, 40_000);
