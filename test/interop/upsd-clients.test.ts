// Debian's long-running clients against our upsd, compared with Debian's upsd 2.8.0 where both
// can run: upslog logs the same lines (apart from the time stamp); upsmon (primary, then
// secondary) logs in, shows up in LIST CLIENT / GET NUMLOGINS, and on OB LB runs its SHUTDOWNCMD
// exactly once (the primary after setting FSD); and upsmon with an NSS certificate DB
// (CERTPATH, CERTVERIFY 1, FORCESSL 1) logs in to our upsd over TLS when the server certificate
// comes from the trusted CA, and refuses when it comes from another CA.
// Debian's upsmon 2.8.0 always writes /run/nut/upsmon.pid and refuses to start while it names a
// live process (upslog writes /run/nut/upslog.pid), so each runs in a private mount namespace
// with a tmpfs on /run/nut (unshare execs sh, which execs the program: the spawned PID is the
// program's own, stopped by the sandbox), and in the foreground.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { type NutSandbox, type NutSandboxOptions, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

const UPSLOG = "/usr/bin/upslog";
const UPSMON = "/lib/nut/upsmon";
const CERTUTIL = "/usr/bin/certutil";
const OURS = { upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"] };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function options(extra: Partial<NutSandboxOptions> = {}): NutSandboxOptions {
  return {
    ups: [{ name: "fake" }],
    users: [
      { name: "monp", password: "pw1", upsmon: "primary" },
      { name: "mons", password: "pw2", upsmon: "secondary" },
    ],
    files: { "fake.dev": "ups.status: OL\nbattery.charge: 100\n" },
    ...extra,
  };
}

/** Sends `lines` to upsd, reads until it closes (after LOGOUT) or 5 s pass. */
async function query(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, 5000);
    socket.on("data", (d) => (out += d.toString()));
    socket.on("connect", () => socket.write(`${[...lines, "LOGOUT"].join("\n")}\n`));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** What upsd says about the clients of `fake`. */
function clients(port: number): Promise<string> {
  return query(port, ["GET NUMLOGINS fake", "LIST CLIENT fake"]);
}

/** Polls `f` every 200 ms until it is true or `ms` pass. */
async function waitFor(f: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await f()) return true;
    await sleep(200);
  }
  return f();
}

/** Waits for a process to exit, at most `ms`. */
async function exited(proc: Subprocess, ms: number): Promise<boolean> {
  return waitFor(() => proc.exitCode !== null || proc.signalCode !== null, ms);
}

/** Writes `<conf>/upsmon.conf` and starts Debian's upsmon (foreground, debug, unprivileged drop off). */
function startUpsmon(sandbox: NutSandbox, lines: string[]): Subprocess {
  writeFileSync(join(sandbox.paths.confPath, "upsmon.conf"), `${lines.join("\n")}\n`, { mode: 0o640 });
  return sandbox.spawn("upsmon", ["unshare", "-m", "sh", "-c", `mount -t tmpfs none /run/nut && exec ${UPSMON} -D -F -p -u root`]);
}

function readLog(sandbox: NutSandbox, label: string): string {
  const path = join(sandbox.paths.logPath, `${label}.log`);
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

const usable = existsSync(UPSLOG) && existsSync(UPSMON) && runCommand(["unshare", "-m", "true"], { timeoutMs: 5000 }).exitCode === 0;

describe.skipIf(!usable)("upsd: Debian's upslog and upsmon", () => {
  test(
    "upslog logs the same lines through both servers",
    async () => {
      const run = async (sandbox: NutSandbox): Promise<string[]> => {
        const file = join(sandbox.paths.root, "upslog.txt");
        // -F: upslog logging into a file would fork into the background (and lose its PID);
        // it writes /run/nut/upslog.pid whatever NUT_ALTPIDPATH says, hence the namespace
        const format = "%TIME @Y@m@d@H@M@S% %VAR battery.charge% %VAR ups.status% %UPSHOST%";
        const upslog = `exec ${UPSLOG} -F -s ${sandbox.upsId("fake")} -l ${file} -i 1 -f '${format}'`;
        sandbox.spawn("upslog", ["unshare", "-m", "sh", "-c", `mount -t tmpfs none /run/nut && ${upslog}`]);
        await sleep(3500);
        await sandbox.kill("upslog");
        const text = existsSync(file) ? readFileSync(file, "utf8") : "";
        return text
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => l.replace(/^\d{14} /, "TIME ").replaceAll(String(sandbox.port), "PORT"));
      };
      await using theirs = await startNutSandbox(options());
      await using ours = await startNutSandbox(options(OURS));
      const [e, a] = await Promise.all([run(theirs), run(ours)]);
      expect(e.length).toBeGreaterThanOrEqual(2);
      expect(a.length).toBeGreaterThanOrEqual(2);
      expect(new Set(e)).toEqual(new Set(["TIME 100 OL fake@127.0.0.1:PORT"]));
      expect(new Set(a)).toEqual(new Set(e));
    },
    60_000,
  );

  for (const role of ["primary", "secondary"] as const) {
    test(
      `upsmon ${role}: logs in, and on OB LB runs SHUTDOWNCMD once, as with Debian's upsd`,
      async () => {
        const run = async (sandbox: NutSandbox) => {
          const marker = join(sandbox.paths.root, "marker");
          const script = join(sandbox.paths.root, "shutdown.sh");
          writeFileSync(script, `#!/bin/sh\necho shutdown >> ${marker}\n`, { mode: 0o755 });
          const [user, password] = role === "primary" ? ["monp", "pw1"] : ["mons", "pw2"];
          const upsmon = startUpsmon(sandbox, [
            `MONITOR fake@127.0.0.1:${sandbox.port} 1 ${user} ${password} ${role}`,
            "MINSUPPLIES 1",
            `SHUTDOWNCMD "${script}"`,
            "POLLFREQ 1",
            "POLLFREQALERT 1",
            "HOSTSYNC 2",
            "DEADTIME 3",
            "FINALDELAY 0",
            "RUN_AS_USER root",
            `POWERDOWNFLAG ${join(sandbox.paths.root, "killpower")}`,
          ]);
          const loggedIn = await waitFor(async () => (await clients(sandbox.port)).includes("NUMLOGINS fake 1\n"), 10_000);
          const seen = await clients(sandbox.port);
          writeFileSync(join(sandbox.paths.confPath, "fake.dev"), "ups.status: OB LB\nbattery.charge: 5\n");
          const ranShutdown = await waitFor(() => existsSync(marker), 20_000);
          const upsmonExited = await exited(upsmon, 10_000);
          await sleep(1500);
          const status = runCommand(["/usr/bin/upsc", sandbox.upsId("fake"), "ups.status"], { env: sandbox.paths.env, timeoutMs: 10_000 });
          return {
            loggedIn,
            seen,
            ranShutdown,
            marker: existsSync(marker) ? readFileSync(marker, "utf8") : null,
            upsmonExited,
            upsmonExit: upsmon.exitCode,
            status: status.stdout,
            after: await clients(sandbox.port),
            upsdLogin: readLog(sandbox, "upsd").includes(`User ${user}@127.0.0.1 logged into UPS [fake]\n`),
          };
        };
        await using theirs = await startNutSandbox(options());
        await using ours = await startNutSandbox(options(OURS));
        const [e, a] = await Promise.all([run(theirs), run(ours)]);
        const expected = {
          loggedIn: true,
          seen: "NUMLOGINS fake 1\nBEGIN LIST CLIENT fake\nCLIENT fake 127.0.0.1\nEND LIST CLIENT fake\nOK Goodbye\n",
          ranShutdown: true,
          marker: "shutdown\n",
          upsmonExited: true,
          upsmonExit: 0,
          status: role === "primary" ? "FSD OB LB\n" : "OB LB\n",
          after: "NUMLOGINS fake 0\nBEGIN LIST CLIENT fake\nEND LIST CLIENT fake\nOK Goodbye\n",
          upsdLogin: true,
        };
        expect(e, theirs.logs()).toEqual(expected);
        expect(a, ours.logs()).toEqual(e);
      },
      90_000,
    );
  }
});

/** Runs openssl, throwing its stderr on failure. */
function openssl(args: string[], cwd: string): void {
  const r = runCommand(["openssl", ...args], { cwd, timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

/** A CA `<name>-ca.pem` and a server certificate it signed, with its key, in `<name>-server.pem` (our CERTFILE form). */
function makePki(dir: string, name: string): void {
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}-ca.key`, "-out", `${name}-ca.pem`, "-days", "2", "-subj", `/CN=NUT Test CA ${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    dir,
  );
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}-srv.key`, "-out", `${name}-srv.csr`, "-subj", "/CN=localhost"], dir);
  writeFileSync(join(dir, `${name}-ext.cnf`), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl(["x509", "-req", "-in", `${name}-srv.csr`, "-CA", `${name}-ca.pem`, "-CAkey", `${name}-ca.key`, "-set_serial", "2", "-out", `${name}-srv.pem`, "-days", "2", "-extfile", `${name}-ext.cnf`], dir);
  writeFileSync(join(dir, `${name}-server.pem`), readFileSync(join(dir, `${name}-srv.pem`), "utf8") + readFileSync(join(dir, `${name}-srv.key`), "utf8"), { mode: 0o600 });
}

describe.skipIf(!usable || !existsSync(CERTUTIL))("upsd: Debian's upsmon verifies our TLS certificate (NSS DB)", () => {
  let dir: string;
  let db: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "upsd-clients-tls-"));
    makePki(dir, "good");
    makePki(dir, "other");
    db = join(dir, "nssdb");
    runCommand(["mkdir", db]);
    for (const args of [
      ["-N", "-d", `sql:${db}`, "--empty-password"],
      ["-A", "-d", `sql:${db}`, "-n", "NUT Test CA", "-t", "CT,C,C", "-a", "-i", join(dir, "good-ca.pem")],
    ]) {
      const r = runCommand([CERTUTIL, ...args], { timeoutMs: 20_000 });
      if (r.exitCode !== 0) throw new Error(`certutil ${args.join(" ")}: ${r.stderr}`);
    }
  }, 60_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const tlsUpsmon = (sandbox: NutSandbox): Subprocess =>
    startUpsmon(sandbox, [
      `MONITOR fake@127.0.0.1:${sandbox.port} 1 monp pw1 primary`,
      "MINSUPPLIES 1",
      `SHUTDOWNCMD "/bin/true"`,
      "POLLFREQ 1",
      "POLLFREQALERT 1",
      "DEADTIME 3",
      "RUN_AS_USER root",
      `CERTPATH ${db}`,
      "CERTVERIFY 1",
      "FORCESSL 1",
    ]);

  test(
    "server certificate from the trusted CA: upsmon logs in over TLS",
    async () => {
      await using ours = await startNutSandbox(options({ ...OURS, upsdConf: [`CERTFILE ${join(dir, "good-server.pem")}`] }));
      tlsUpsmon(ours);
      const loggedIn = await waitFor(async () => (await clients(ours.port)).includes("NUMLOGINS fake 1\n"), 15_000);
      expect(loggedIn, ours.logs()).toBe(true);
      expect(await clients(ours.port)).toBe("NUMLOGINS fake 1\nBEGIN LIST CLIENT fake\nCLIENT fake 127.0.0.1\nEND LIST CLIENT fake\nOK Goodbye\n");
      expect(readLog(ours, "upsd")).toContain("User monp@127.0.0.1 logged into UPS [fake] (SSL)\n");
      const log = readLog(ours, "upsmon");
      expect(log).toContain("Intend to authenticate server 127.0.0.1 : SUCCESS");
      expect(log).toContain("Connected to NUT server 127.0.0.1 in SSL");
      await ours.kill("upsmon");
    },
    60_000,
  );

  test(
    "server certificate from another CA: upsmon refuses it and never logs in",
    async () => {
      await using ours = await startNutSandbox(options({ ...OURS, upsdConf: [`CERTFILE ${join(dir, "other-server.pem")}`] }));
      tlsUpsmon(ours);
      const refused = await waitFor(() => readLog(ours, "upsmon").includes("Certificate validation failed for 127.0.0.1"), 15_000);
      expect(refused, ours.logs()).toBe(true);
      await sleep(2500);
      expect(await clients(ours.port)).toBe("NUMLOGINS fake 0\nBEGIN LIST CLIENT fake\nEND LIST CLIENT fake\nOK Goodbye\n");
      expect(readLog(ours, "upsd")).not.toContain("logged into UPS");
      const log = readLog(ours, "upsmon");
      expect(log).toContain("Intend to authenticate server 127.0.0.1 : FAILED");
      expect(log).not.toContain("Connected to NUT server 127.0.0.1 in SSL");
      await ours.kill("upsmon");
    },
    60_000,
  );
});
