/**
 * usbhid-ups -x explore (NUT 2.8.0's explore subdriver) and the HID tree NUT dumps at debug
 * level 1 (HIDDumpTree): our driver prints the same tree lines as Debian's —
 * - live, both drivers on the simulator's apc profile;
 * - on every descriptor of test/fixtures/usb-hid that has a Debian explore capture
 *   (`*.debian.explore.txt`, made by regenerate.sh through rdesc-sim.py: VID 1234, fixed
 *   GET_REPORT pattern), ours run the same way and filtered by the same extract-explore.py.
 * Compared: "N HID objects found", every `[D1] Path: …` object line (with its value, or without
 * when the report could not be read) and "Can't retrieve" lines, timestamps removed. Not
 * compared: the parser's HIDParse warnings and the D3 `Report[…]` buffer lines.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUT_BINARY } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { runUnderUsbSim, SYSTEM_PYTHON, usbSimUnavailable } from "../harness/usb-sim.ts";

const FIXTURES = join(import.meta.dir, "..", "fixtures", "usb-hid");
const RDESC_SIM = join(FIXTURES, "rdesc-sim.py");
const EXTRACT = join(FIXTURES, "extract-explore.py");
const DEBIAN_DRIVER = "/lib/nut/usbhid-ups";
const dir = tempDir("nut-usbhid-explore-");
afterAll(() => dir[Symbol.dispose]());

/** The tree lines of an (extracted or raw) log, timestamps dropped. */
function treeLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/^\s*\d+\.\d{6}\t/, ""))
    .filter((l) => /^\[D1\] (\d+ HID objects found|Path: )/.test(l) || /Can.t retrieve Report/.test(l));
}

/** extract-explore.py on a log, as the fixtures were made. */
function extract(log: string, name: string): string {
  const logFile = join(dir.path, `${name}.log`);
  writeFileSync(logFile, log);
  const proc = Bun.spawnSync(["python3", EXTRACT, logFile, join(dir.path, name)], { stdout: "pipe", stderr: "pipe", timeout: 20_000 });
  if (proc.exitCode !== 0) throw new Error(`extract-explore.py: ${proc.stderr.toString()}`);
  return readFileSync(join(dir.path, `${name}.explore.txt`), "utf8");
}

/** Runs the driver under rdesc-sim.py with one descriptor, bounded in time. */
async function underRdescSim(command: string[], rdescHex: string): Promise<string> {
  const proc = Bun.spawn([SYSTEM_PYTHON, RDESC_SIM, "--", ...command], {
    env: { ...process.env, RDESC_HEX: rdescHex },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: 60_000,
    killSignal: "SIGKILL",
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  return out + err;
}

/** Runs `jobs` at most `width` at a time (the machine has 2 CPUs, shared). */
async function pooled<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

describe("usbhid-ups -x explore: HID tree lines equal Debian's", () => {
  test("live on the simulator's apc profile (-DDD)", async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    const confDir = join(dir.path, "apc");
    mkdirSync(confDir, { recursive: true });
    writeFileSync(join(confDir, "ups.conf"), "[ex]\n\tdriver = usbhid-ups\n\tport = auto\n\tvendorid = 051d\n\texplore\n");
    const env = { NUT_CONFPATH: confDir, NUT_STATEPATH: confDir };
    const args = ["-a", "ex", "-u", "root", "-DDD", "-d", "1"];
    const [theirs, mine] = await Promise.all([
      runUnderUsbSim([DEBIAN_DRIVER, ...args], { env }, 60_000),
      runUnderUsbSim([NUT_BINARY, "usbhid-ups", ...args], { env }, 60_000),
    ]);
    const debian = treeLines(theirs.stdout + theirs.stderr);
    expect(debian[0]).toMatch(/^\[D1\] \d+ HID objects found$/);
    expect(debian.length).toBeGreaterThan(40);
    expect(mine.stdout).toContain("driver.version.data: EXPLORE HID 0.2");
    expect(treeLines(mine.stdout + mine.stderr)).toEqual(debian);
  }, 70_000);

  test("explore needs vendorid, as in 2.8.0 (foreground: -d 1)", () => {
    const confDir = join(dir.path, "novid");
    mkdirSync(confDir, { recursive: true });
    writeFileSync(join(confDir, "ups.conf"), "[ex]\n\tdriver = usbhid-ups\n\tport = auto\n\texplore\n");
    const run = (argv: string[]) => {
      const proc = Bun.spawnSync([...argv, "-a", "ex", "-u", "root", "-d", "1"], {
        env: { ...process.env, NUT_CONFPATH: confDir, NUT_STATEPATH: confDir },
        stdout: "pipe",
        stderr: "pipe",
        timeout: 20_000,
      });
      return { exitCode: proc.exitCode, stderr: proc.stderr.toString() };
    };
    const theirs = run([DEBIAN_DRIVER]);
    const mine = run([NUT_BINARY, "usbhid-ups"]);
    expect(theirs).toEqual({ exitCode: 1, stderr: 'must specify "vendorid" when using "explore"\n' });
    expect(mine).toEqual(theirs);
  });

  const names = [...new Bun.Glob("*.debian.explore.txt").scanSync(FIXTURES)].map((f) => f.replace(/\.debian\.explore\.txt$/, "")).filter((n) => existsSync(join(FIXTURES, `${n}.rdesc.hex`))).sort();
  test(`rdesc-sim.py descriptors with Debian captures (${names.join(", ")})`, async () => {
    const why = usbSimUnavailable();
    if (why !== undefined) throw new Error(`USB simulator unavailable: ${why}`);
    expect(names.length).toBeGreaterThanOrEqual(8);
    const args = ["usbhid-ups", "-DDD", "-x", "explore", "-s", "t", "-x", "port=auto", "-x", "vendorid=1234", "-u", "root", "-d", "1"];
    const logs = await pooled(
      names.map((name) => () => underRdescSim([NUT_BINARY, ...args], readFileSync(join(FIXTURES, `${name}.rdesc.hex`), "utf8").trim())),
      3,
    );
    names.forEach((name, i) => {
      const debian = treeLines(readFileSync(join(FIXTURES, `${name}.debian.explore.txt`), "utf8"));
      expect(debian.length).toBeGreaterThan(1);
      expect({ name, lines: treeLines(extract(logs[i]!, name)) }).toEqual({ name, lines: debian });
    });
  }, 110_000);
});
