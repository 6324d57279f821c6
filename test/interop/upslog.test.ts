// upslog: Debian's /usr/bin/upslog 2.8.0 and ours side by side, against Debian's upsd and ours
// (dummy-ups on DDL dumps, and a .seq whose values change): the same start-up output, stderr and
// exit codes for -h, -V and bad command lines; the same log lines (time stamps and PIDs masked)
// for the default format and for a format with every escape, to a file and to stdout; SIGHUP
// after the log was moved away starts a new file; SIGUSR1 logs at once; SIGTERM logs once more
// and exits 0; NA while upsd or the driver is gone, values again once upsd is back; STARTTLS as
// Debian's NSS client logs it; the background mode and its PID file. `%TIME …%` under several TZ
// values is checked against Debian's own lines (each carries %ETIME%). The -m tuples (NUT 2.8.1+,
// which Debian's 2.8.0 lacks) are checked against NUT's manual page.
// Debian's upslog always writes a PID file (default /run/nut/upslog.pid): every run here gives it
// `-p <temporary file>`. Every process is stopped by its PID.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { upslogTime } from "../../core/client/upslog-format.ts";
import { LocalTimeZone } from "../../core/system/local-time.ts";
import { DDL_DIR } from "../harness/ddl-fixtures.ts";
import { DEBIAN_UPSD, freePort, type NutSandbox, type NutSandboxOptions, startNutSandbox } from "../harness/debian-nut.ts";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

const DEBIAN_UPSLOG = "/usr/bin/upslog";
const usable = existsSync(DEBIAN_UPSLOG) && existsSync(DEBIAN_UPSD);

type Impl = "debian" | "ours";
const IMPLS: readonly Impl[] = ["debian", "ours"];

const DUMPS = {
  qx: "2E/2E__PS1000L__nutdrv_qx__2.8.1__01.dev",
  apcsmart: "APC/APC__Matrix-UPS_3000__apcsmart__1.4.0__01.dev",
  hid: "APC/APC__Back-UPS_CS_500__usbhid-ups__2.6.0__01.dev",
} as const;

/** The .seq UPS goes through these states, one per second. */
const SEQ_STATES = ["OL/100", "OB DISCHRG/80", "OB DISCHRG LB/10"];
const SEQ = `${SEQ_STATES.map((s) => {
  const [status, charge] = s.split("/");
  return `ups.status: ${status}\nbattery.charge: ${charge}\nTIMER 1\n`;
}).join("")}`;

function sandboxOptions(ours: boolean): NutSandboxOptions {
  const files: Record<string, string> = { "seq.seq": SEQ };
  for (const [name, path] of Object.entries(DUMPS)) files[`${name}.dev`] = readFileSync(join(DDL_DIR, path), "utf8");
  return {
    ups: [...Object.keys(DUMPS).map((name) => ({ name })), { name: "seq", port: "seq.seq" }],
    files,
    readyTimeoutMs: 20_000,
    ...(ours ? { upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"] } : {}),
  };
}

let work: string;
let servers: Record<"debianUpsd" | "ourUpsd", NutSandbox>;
/** Every process started here, stopped by PID at the end whatever happened. */
const started = new Set<number>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "upslog-interop-"));
  if (!usable) return;
  const [debianUpsd, ourUpsd] = await Promise.all([startNutSandbox(sandboxOptions(false)), startNutSandbox(sandboxOptions(true))]);
  servers = { debianUpsd, ourUpsd };
}, 60_000);

afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await Promise.all(Object.values(servers ?? {}).map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

let counter = 0;
/** A fresh path under the work directory. */
const fresh = (name: string): string => join(work, `${++counter}-${name}`);

/** argv for one implementation; Debian's runs under the name `upslog`, as ours does. */
function command(impl: Impl, args: readonly string[]): { argv: string[]; argv0?: string } {
  return impl === "debian" ? { argv: [DEBIAN_UPSLOG, ...args], argv0: "upslog" } : { argv: [NUT_BINARY, "upslog", ...args] };
}

/** A running upslog with its stdout and stderr in files. */
class Running {
  readonly proc: Subprocess;
  readonly #out: string;
  readonly #err: string;

  constructor(impl: Impl, args: readonly string[], env: Record<string, string> = process.env as Record<string, string>) {
    this.#out = fresh(`${impl}.out`);
    this.#err = fresh(`${impl}.err`);
    const out = openSync(this.#out, "w");
    const err = openSync(this.#err, "w");
    try {
      const { argv, argv0 } = command(impl, args);
      this.proc = Bun.spawn(argv, { env, stdin: "ignore", stdout: out, stderr: err, ...(argv0 ? { argv0 } : {}) });
      started.add(this.proc.pid);
    } finally {
      closeSync(out);
      closeSync(err);
    }
  }

  get stdout(): string {
    return readFileSync(this.#out, "utf8");
  }
  get stderr(): string {
    return readFileSync(this.#err, "utf8");
  }

  signal(sig: NodeJS.Signals): void {
    this.proc.kill(sig);
  }

  /** SIGTERM, then waits (bounded; SIGKILL past it) and returns the exit status. */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGTERM");
    const exited = await Promise.race([this.proc.exited.then(() => true), Bun.sleep(5000).then(() => false)]);
    if (!exited) this.proc.kill("SIGKILL");
    await this.proc.exited;
    started.delete(this.proc.pid);
    return this.proc.exitCode;
  }
}

/** The lines of a file (none if it does not exist). */
const fileLines = (path: string): string[] => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "") : []);

/** Our version string in place of Debian's. */
const maskVersion = (text: string): string => text.replace(/^Network UPS Tools upslog \S+$/m, "Network UPS Tools upslog VERSION");

/** Runs a short-lived upslog to completion (bounded). */
async function runToEnd(impl: Impl, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = new Running(impl, args);
  const exited = await Promise.race([r.proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
  const code = exited ? r.proc.exitCode : null;
  await r.stop();
  return { code, stdout: maskVersion(r.stdout), stderr: r.stderr };
}

describe.skipIf(!usable)("upslog: command line, as Debian's upslog 2.8.0", () => {
  test("-h, -V, the positional forms and bad command lines: same stdout, stderr and exit status", async () => {
    const closed = `x@127.0.0.1:${await freePort()}`;
    const pid = fresh("pid");
    const cases: string[][] = [
      ["-h"],
      ["-V"],
      ["only-one"],
      ["two", "args"],
      [],
      ["-s", "x"],
      ["-l", "-"],
      ["-s", "x@h:", "-l", "-"],
      ["-s", "", "-l", "-"],
      ["-s", "x@[::1", "-l", "-"],
      ["-s"],
      ["-z", "-s", closed, "-l", join(work, "no", "such", "dir")],
      ["-s", closed, "-l", "-", "-u", "no-such-user"],
      ["-s", closed, "-l", join(work, "missing", "f"), "-i", "abc", "-f", "%VAR ups.status%"],
      [closed, join(work, "missing", "g"), "5", "%VAR", "ups.status%"],
      ["-s", "x@host.invalid", "-l", join(work, "missing", "h")],
    ];
    for (const args of cases) {
      const full = ["-p", pid, ...args];
      const [debian, ours] = await Promise.all([runToEnd("debian", full), runToEnd("ours", full)]);
      expect({ args, ...ours }).toEqual({ args, ...debian });
    }
  }, 60_000);
});

/** What the log lines of one run look like once the parts that differ between runs are masked. */
function maskLine(line: string): string {
  return line
    .replace(/^\d{8} \d{6} /, "TIME ")
    .replace(/PID=\d+/, "PID=PID")
    .replace(/ETIME=(\d+) S=(\d+)/, (_m, e: string, s: string) => (Math.abs(Number(e) - Number(s)) <= 1 && Math.abs(Number(e) - Date.now() / 1000) < 60 ? "ETIME=S" : `ETIME=${e} S=${s}`));
}

/** Everything but the time stamps: escapes, missing and malformed variables, unknown escapes. */
const RICH_FORMAT =
  "%VAR battery.charge% %VAR ups.status% %VAR input.voltage% %VAR no.such% %VAR nodot% %VAR % [%UPSHOST%] %HOST% PID=%PID% " +
  "ETIME=%ETIME% S=%TIME @s% %TIME @Y% %% %BOGUS% %hostname% %Var ups.load% %PID";

describe.skipIf(!usable)("upslog: logging, as Debian's upslog 2.8.0", () => {
  interface Plan {
    label: string;
    ups: string;
    format?: string;
    toStdout: boolean;
  }
  const plans: Plan[] = [
    { label: "default format to stdout", ups: "qx", toStdout: true },
    { label: "default format, some variables missing", ups: "hid", toStdout: false },
    { label: "every escape", ups: "apcsmart", format: RICH_FORMAT, toStdout: false },
    { label: "an unknown UPS", ups: "nosuch", toStdout: false },
  ];

  for (const server of ["debianUpsd", "ourUpsd"] as const) {
    test(`${server}: the same lines, start-up output and stderr`, async () => {
      const sandbox = servers[server];
      const runs = plans.flatMap((plan) =>
        IMPLS.map((impl) => {
          const log = plan.toStdout ? "-" : fresh(`${impl}.log`);
          const args = ["-F", "-u", "root", "-p", fresh("pid"), "-i", "1", "-s", sandbox.upsId(plan.ups), "-l", log, ...(plan.format ? ["-f", plan.format] : [])];
          return { plan, impl, log, running: new Running(impl, args) };
        }),
      );
      const lines = (r: (typeof runs)[number]): string[] => (r.log === "-" ? r.running.stdout.split("\n").slice(2, -1) : fileLines(r.log));
      expect(await eventually(() => runs.every((r) => lines(r).length >= 2), 10_000)).toBe(true);
      const codes = await Promise.all(runs.map((r) => r.running.stop()));
      expect(codes).toEqual(runs.map(() => 0));
      const port = String(sandbox.port);
      for (const plan of plans) {
        const [debian, ours] = IMPLS.map((impl) => runs.find((r) => r.plan === plan && r.impl === impl)!);
        const observed = [debian!, ours!].map((r) => ({
          label: plan.label,
          stdout: maskVersion(r.running.stdout).split("\n").slice(0, 2).join("\n").replaceAll(port, "PORT").replaceAll(r.log, "LOG"),
          stderr: r.running.stderr,
          lines: [...new Set(lines(r).map((l) => maskLine(l).replaceAll(port, "PORT")))],
        }));
        expect(observed[1]).toEqual(observed[0]!);
        // each line is a whole line of the UPS's data, not a template
        expect(observed[0]!.lines.length).toBe(1);
      }
      const rich = runs.find((r) => r.plan.format === RICH_FORMAT && r.impl === "ours")!;
      // (this dump's `ups.id` ends with a backslash, which joins the `ups.load` line to it: no ups.load)
      const year = LocalTimeZone.fromEnvironment(process.env).localtime(Date.now() / 1000).year;
      expect(lines(rich).map(maskLine)).toContain(
        `100.0 OL 233.7 NA INVALID INVALID [${sandbox.upsId("apcsmart")}] ${hostname()} PID=PID ETIME=S ${year} % INVALID ${hostname()} NA INVALIDPID`,
      );
    }, 30_000);
  }

  test("a UPS whose values change: every line is one of its states, and the changes show", async () => {
    const sandbox = servers.debianUpsd;
    const runs = IMPLS.map((impl) => {
      const log = fresh(`${impl}.log`);
      const running = new Running(impl, ["-F", "-u", "root", "-p", fresh("pid"), "-i", "1", "-s", sandbox.upsId("seq"), "-l", log, "-f", "%VAR ups.status%/%VAR battery.charge%"]);
      return { log, running };
    });
    const distinct = (log: string): Set<string> => new Set(fileLines(log));
    expect(await eventually(() => runs.every((r) => distinct(r.log).size >= 2), 15_000)).toBe(true);
    for (const r of runs) {
      expect(await r.running.stop()).toBe(0);
      for (const line of fileLines(r.log)) expect(SEQ_STATES).toContain(line);
    }
  }, 30_000);

  test("SIGHUP after the log was moved away starts a new file; SIGUSR1 logs at once; SIGTERM logs once more", async () => {
    const sandbox = servers.ourUpsd;
    const runs = IMPLS.map((impl) => {
      const log = fresh(`${impl}.log`);
      // -i 30: nothing but the first line and the signals writes a line during this test
      const running = new Running(impl, ["-F", "-u", "root", "-p", fresh("pid"), "-i", "30", "-s", sandbox.upsId("qx"), "-l", log, "-f", "%VAR ups.status% %VAR battery.charge%"]);
      return { impl, log, running };
    });
    expect(await eventually(() => runs.every((r) => fileLines(r.log).length === 1), 10_000)).toBe(true);
    for (const r of runs) {
      renameSync(r.log, `${r.log}.1`);
      r.running.signal("SIGHUP");
    }
    expect(await eventually(() => runs.every((r) => fileLines(r.log).length === 1), 5000)).toBe(true);
    for (const r of runs) r.running.signal("SIGUSR1");
    expect(await eventually(() => runs.every((r) => fileLines(r.log).length === 2), 5000)).toBe(true);
    for (const r of runs) expect(await r.running.stop()).toBe(0);
    const [debian, ours] = runs.map((r) => ({ old: fileLines(`${r.log}.1`), now: fileLines(r.log), stderr: r.running.stderr }));
    expect(debian).toEqual({ old: ["OL 76"], now: ["OL 76", "OL 76", "OL 76"], stderr: "Init SSL without certificate database\nSignal 1: reopening log file\nSignal 15: exiting\n" });
    expect(ours).toEqual(debian!);
  }, 30_000);

  test("-l - : SIGHUP says it logs to stdout", async () => {
    const sandbox = servers.ourUpsd;
    const runs = IMPLS.map((impl) => new Running(impl, ["-u", "root", "-p", fresh("pid"), "-i", "30", "-s", sandbox.upsId("qx"), "-l", "-", "-f", "%VAR ups.status%"]));
    const lines = (r: Running): string[] => r.stdout.split("\n").slice(2).filter((l) => l !== "");
    expect(await eventually(() => runs.every((r) => lines(r).length === 1), 10_000)).toBe(true);
    for (const r of runs) r.signal("SIGHUP");
    expect(await eventually(() => runs.every((r) => lines(r).length === 2), 5000)).toBe(true);
    for (const r of runs) expect(await r.stop()).toBe(0);
    const [debian, ours] = runs.map((r) => ({ stdout: maskVersion(r.stdout).replaceAll(String(sandbox.port), "PORT"), stderr: r.stderr }));
    expect(debian).toEqual({
      stdout: "Network UPS Tools upslog VERSION\nlogging status of qx@127.0.0.1:PORT to - (30s intervals)\nOL\nOL\nOL\n",
      stderr: "Init SSL without certificate database\nSignal 1: reopening log file\nlogging to stdout\nSignal 15: exiting\n",
    });
    expect(ours).toEqual(debian!);
  }, 30_000);
});

describe.skipIf(!usable)("upslog: upsd or the driver going away, as Debian's upslog 2.8.0", () => {
  test("NA while upsd is down, values again once it is back (reconnect), NA once the driver is gone", async () => {
    await using sandbox = await startNutSandbox({ ups: [{ name: "fake" }], files: { "fake.dev": "ups.status: OL\nbattery.charge: 90\n" } });
    const runs = IMPLS.map((impl) => {
      const log = fresh(`${impl}.log`);
      return { log, running: new Running(impl, ["-F", "-u", "root", "-p", fresh("pid"), "-i", "1", "-s", sandbox.upsId("fake"), "-l", log, "-f", "%VAR ups.status% %VAR battery.charge%"]) };
    });
    /** The log with repeated lines collapsed (and without upsd's `WAIT` between its start and the driver's data). */
    const phases = (log: string): string[] => fileLines(log).filter((l) => l !== "WAIT NA").filter((l, i, all) => i === 0 || all[i - 1] !== l);
    const reached = async (expected: string[]): Promise<void> => {
      await eventually(() => runs.every((r) => phases(r.log).join("|") === expected.join("|")), 10_000);
      expect({ logs: runs.map((r) => phases(r.log)), upsd: sandbox.logs() }).toEqual({ logs: [expected, expected], upsd: sandbox.logs() });
    };
    await reached(["OL 90"]);
    await sandbox.kill("upsd");
    await reached(["OL 90", "NA NA"]);
    sandbox.spawn("upsd-again", [DEBIAN_UPSD, "-F", "-u", "root"]);
    await reached(["OL 90", "NA NA", "OL 90"]);
    await sandbox.kill("driver-fake");
    await reached(["OL 90", "NA NA", "OL 90", "NA NA"]);
    for (const r of runs) expect(await r.running.stop()).toBe(0);
    expect(runs[1]!.running.stderr).toBe(runs[0]!.running.stderr);
  }, 60_000);
});

describe.skipIf(!usable)("upslog: STARTTLS on the first connection, as Debian's upslog 2.8.0", () => {
  test("with our upsd offering TLS (CERTFILE): the same lines and the same stderr", async () => {
    const dir = fresh("tls");
    mkdirSync(dir);
    const made = runCommand(
      ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "2", "-subj", "/CN=localhost"],
      { timeoutMs: 20_000 },
    );
    expect(made.exitCode).toBe(0);
    writeFileSync(join(dir, "cert.pem"), readFileSync(join(dir, "c.pem"), "utf8") + readFileSync(join(dir, "k.pem"), "utf8"), { mode: 0o600 });
    await using sandbox = await startNutSandbox({
      ups: [{ name: "fake" }],
      files: { "fake.dev": "ups.status: OL\nbattery.charge: 90\n" },
      upsdConf: [`CERTFILE ${join(dir, "cert.pem")}`],
      upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"],
    });
    const runs = IMPLS.map((impl) => new Running(impl, ["-u", "root", "-p", fresh("pid"), "-i", "30", "-s", sandbox.upsId("fake"), "-l", "-", "-f", "%VAR ups.status% %VAR battery.charge%"]));
    expect(await eventually(() => runs.every((r) => r.stdout.includes("OL 90\n")), 10_000)).toBe(true);
    for (const r of runs) expect(await r.stop()).toBe(0);
    expect(runs[0]!.stderr).toContain("Connected to NUT server 127.0.0.1 in SSL");
    expect(runs[1]!.stderr).toBe(runs[0]!.stderr);
    expect(maskVersion(runs[1]!.stdout)).toBe(maskVersion(runs[0]!.stdout));
  }, 60_000);
});

describe.skipIf(!usable)("upslog: %TIME …% under TZ, against Debian's lines", () => {
  const CONVERSIONS =
    "@Y-@m-@d @H:@M:@S @Z @z|@a @A @b @B @h|@c|@C @y @G @g @V @U @W @j @u @w|@D @e @F @I @k @l @p @P @r @R @T @x @X|@s|@^a @#Z @_5d @-H @010Y @5z|@Q @Ey @Od @@ @";
  const TZS = [undefined, "", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "<+0530>-5:30", "XYZ-3", ":Europe/Paris", "EST5EDT", "no/such/zone"];

  test("every conversion, in every zone, equals glibc's (Debian's upslog) at the same instant", async () => {
    const closed = `x@127.0.0.1:${await freePort()}`;
    const runs = TZS.flatMap((tz) =>
      IMPLS.map((impl) => {
        const env = { ...(process.env as Record<string, string>) };
        if (tz === undefined) delete env.TZ;
        else env.TZ = tz;
        const running = new Running(impl, ["-u", "root", "-p", fresh("pid"), "-i", "30", "-s", closed, "-l", "-", "-f", `%ETIME%=%TIME ${CONVERSIONS}%`], env);
        return { tz, impl, env, running };
      }),
    );
    const lines = (r: Running): string[] => r.stdout.split("\n").slice(2).filter((l) => l !== "");
    expect(await eventually(() => runs.every((r) => lines(r.running).length >= 1), 15_000)).toBe(true);
    for (const r of runs) expect(await r.running.stop()).toBe(0);
    for (const r of runs) {
      const zone = LocalTimeZone.fromEnvironment(r.env);
      const got = lines(r.running);
      expect(got.length).toBeGreaterThanOrEqual(2);
      for (const line of got) {
        const [etime, text] = [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)];
        // %TIME% reads the clock after %ETIME%: the second may have turned in between
        const candidates = [0, 1].map((d) => upslogTime(CONVERSIONS, zone.localtime(Number(etime) + d)));
        expect({ tz: r.tz, impl: r.impl, text: candidates.includes(text) ? "as glibc" : text }).toEqual({ tz: r.tz, impl: r.impl, text: "as glibc" });
      }
    }
  }, 60_000);
});

describe.skipIf(!usable)("upslog: background mode and PID file", () => {
  test("without -F and logging to a file: the parent returns 0 at once, the PID file names the logging process", async () => {
    const sandbox = servers.ourUpsd;
    const pidDir = fresh("run");
    mkdirSync(pidDir);
    const results = await Promise.all(
      IMPLS.map(async (impl) => {
        const log = fresh(`${impl}.log`);
        // Debian's writes its PID file where -p says; ours is given NUT_PIDPATH and the default name
        const pidFile = impl === "debian" ? join(pidDir, "debian.pid") : join(pidDir, "upslog.pid");
        const args = ["-u", "root", "-i", "1", "-s", sandbox.upsId("qx"), "-l", log, "-f", "%VAR ups.status%", ...(impl === "debian" ? ["-p", pidFile] : [])];
        const parent = new Running(impl, args, { ...(process.env as Record<string, string>), NUT_PIDPATH: pidDir });
        const exited = await Promise.race([parent.proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
        const code = parent.proc.exitCode;
        await parent.stop();
        expect(await eventually(() => existsSync(pidFile) && fileLines(pidFile).length === 1, 5000)).toBe(true);
        const pid = Number(fileLines(pidFile)[0]);
        started.add(pid);
        const logging = await eventually(() => fileLines(log).length >= 2, 10_000);
        process.kill(pid, "SIGTERM");
        const gone = await eventually(() => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        }, 5000);
        started.delete(pid);
        return { impl, log, exited, code, pidDiffers: pid !== parent.proc.pid, logging, gone, lines: [...new Set(fileLines(log))], stderr: parent.stderr, stdout: parent.stdout };
      }),
    );
    const [debian, ours] = results;
    const comparable = (r: typeof debian) => ({ exited: r!.exited, code: r!.code, pidDiffers: r!.pidDiffers, logging: r!.logging, gone: r!.gone, lines: r!.lines, stderr: r!.stderr });
    expect(comparable(debian)).toEqual({ exited: true, code: 0, pidDiffers: true, logging: true, gone: true, lines: ["OL"], stderr: "Init SSL without certificate database\n" });
    expect(comparable(ours)).toEqual(comparable(debian));
    // Debian's parent leaves its start-up lines in a stdio buffer that is never flushed into a pipe; ours prints them
    expect(maskVersion(ours!.stdout)).toBe(`Network UPS Tools upslog VERSION\nlogging status of ${sandbox.upsId("qx")} to ${ours!.log} (1s intervals)\n`);
  }, 60_000);
});

describe.skipIf(!usable)("upslog -m (NUT 2.8.1+; Debian's 2.8.0 has no -m): several UPSes in one process", () => {
  test("tuples and -s/-l together; a file shared by tuples; `*` for every UPS of a server", async () => {
    const sandbox = servers.ourUpsd;
    const [shared, own, all] = [fresh("shared.log"), fresh("own.log"), fresh("all.log")];
    const id = (ups: string): string => sandbox.upsId(ups);
    const r = new Running("ours", [
      "-F", "-u", "root", "-p", fresh("pid"), "-i", "1", "-f", "%UPSHOST% %VAR ups.status%",
      "-m", `${id("qx")},${shared}`, "-m", `${id("apcsmart")},${shared}`, "-s", id("hid"), "-l", own, "-m", `*@127.0.0.1:${sandbox.port},${all}`,
    ]);
    expect(await eventually(() => fileLines(all).length >= 8 && fileLines(own).length >= 2, 10_000)).toBe(true);
    expect(await r.stop()).toBe(0);
    expect(new Set(fileLines(shared))).toEqual(new Set([`${id("qx")} OL`, `${id("apcsmart")} OL`]));
    expect(new Set(fileLines(own))).toEqual(new Set([`${id("hid")} OL`]));
    const everyUps = new Set(fileLines(all).map((l) => l.split(" ")[0]));
    expect(everyUps).toEqual(new Set(["apcsmart", "hid", "qx", "seq"].map(id)));
    const stdout = maskVersion(r.stdout).split("\n");
    // the tuples in order, `*` replaced by what LIST UPS answers, then -s/-l (NUT 2.8.3+)
    expect(stdout.slice(0, 3)).toEqual([
      "Network UPS Tools upslog VERSION",
      `logging status of ${id("qx")} to ${shared} (1s intervals)`,
      `logging status of ${id("apcsmart")} to ${shared} (1s intervals)`,
    ]);
    expect(new Set(stdout.slice(3, 7))).toEqual(new Set(["apcsmart", "hid", "qx", "seq"].map((u) => `logging status of ${id(u)} to ${all} (1s intervals)`)));
    expect(stdout[7]).toBe(`logging status of ${id("hid")} to ${own} (1s intervals)`);
    expect(r.stderr).toStartWith(`Init SSL without certificate database\nQuerying 127.0.0.1:${sandbox.port} for currently served devices\n`);
  }, 30_000);

  test("a tuple without exactly one comma is refused", async () => {
    for (const tuple of ["ups@localhost", "a,b,c"]) {
      const r = await runToEnd("ours", ["-m", tuple]);
      expect(r).toEqual({ code: 1, stdout: "Network UPS Tools upslog VERSION\n", stderr: "Argument '-m upsspec,logfile' requires exactly 2 components in the tuple\n" });
    }
  }, 30_000);
});
