// Our upsmon's process split and TLS, against our upsd: the monitoring child runs as
// RUN_AS_USER (NOTIFYCMD too) while the parent stays root and alone runs SHUTDOWNCMD; a child
// killed outright takes the parent down without any shutdown; FORCESSL + CERTVERIFY with a
// CERTPATH log in over TLS only when the server's certificate comes from the trusted CA.
// (The scenario suite, test/interop/upsmon-scenarios.test.ts, covers the rules with `-p`.)
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { devText, writeDummyDev } from "../harness/dummy-dev-file.ts";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { findSystemUser } from "../../core/system/system-user.ts";

const NOBODY = findSystemUser("nobody");

/** A self-signed CA-less server certificate for 127.0.0.1, as PEM files in `dir`. */
function makeCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  const r = runCommand(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
    { timeoutMs: 20_000 },
  );
  if (r.exitCode !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

/** Writes an instance directory with upsmon.conf, notify script and marker paths. */
function instance(sandbox: NutSandbox, label: string, lines: string[]): { dir: string; env: Record<string, string>; marker: string; notes: string } {
  const dir = join(sandbox.paths.root, label);
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  const marker = join(dir, "marker");
  const notes = join(dir, "notes");
  writeFileSync(join(dir, "notify.sh"), `#!/bin/sh\necho "$NOTIFYTYPE $(id -u)" >> ${notes}\n`, { mode: 0o755 });
  writeFileSync(
    join(dir, "upsmon.conf"),
    [
      ...lines,
      "MINSUPPLIES 1",
      `SHUTDOWNCMD "id -u >> ${marker}"`,
      `NOTIFYCMD ${join(dir, "notify.sh")}`,
      ...["ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD", "SHUTDOWN"].map((t) => `NOTIFYFLAG ${t} SYSLOG+EXEC`),
      "POLLFREQ 1",
      "POLLFREQALERT 1",
      "FINALDELAY 0",
      "HOSTSYNC 2",
      `POWERDOWNFLAG ${join(dir, "killpower")}`,
    ].join("\n") + "\n",
    { mode: 0o644 },
  );
  return { dir, env: { ...sandbox.paths.env, NUT_CONFPATH: dir, NUT_PIDPATH: dir }, marker, notes };
}

const started: Subprocess<"ignore", "pipe", "pipe">[] = [];
function start(argv: string[], env: Record<string, string>): Subprocess<"ignore", "pipe", "pipe"> {
  const p = Bun.spawn(argv, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  started.push(p);
  return p;
}

/** uid of a process from /proc. */
function uidOf(pid: number): number {
  const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? -1);
}

let sandbox: NutSandbox;
let tlsDir: string;

beforeAll(async () => {
  sandbox = await startNutSandbox({
    // on line until the privsep test has seen the child's PID file: a UPS already low at start
    // would let the child shut down and remove that file before the test could read it
    ups: [{ name: "low", settings: { pollinterval: "1" } }],
    users: [{ name: "mon", password: "pw", upsmon: "primary" }],
    files: { "low.dev": devText({ "ups.status": "OL", "battery.charge": "100" }) },
    upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"],
  });
  // nobody must reach the instance directories and scripts
  chmodSync(sandbox.paths.root, 0o755);
  tlsDir = join(sandbox.paths.root, "tls");
  mkdirSync(tlsDir, { mode: 0o755 });
}, 60_000);

afterAll(async () => {
  for (const p of started) {
    if (p.exitCode === null) p.kill("SIGKILL");
    await p.exited;
  }
  await sandbox?.stop();
});

describe("upsmon: privileged parent and unprivileged child", () => {
  test("the child monitors as RUN_AS_USER (NOTIFYCMD runs as that user), the root parent runs SHUTDOWNCMD once and writes POWERDOWNFLAG", async () => {
    expect(NOBODY).toBeDefined();
    const inst = instance(sandbox, "privsep", [`MONITOR ${sandbox.upsId("low")} 1 mon pw primary`, "RUN_AS_USER nobody"]);
    const parent = start([NUT_BINARY, "upsmon", "-F"], inst.env);
    expect(await eventually(() => existsSync(join(inst.dir, "upsmon.pid")), 10_000)).toBe(true);
    const childPid = Number(readFileSync(join(inst.dir, "upsmon.pid"), "utf8"));
    expect(childPid).not.toBe(parent.pid);
    writeDummyDev(sandbox.paths.confPath, "low", { "ups.status": "OB LB", "battery.charge": "5" });
    expect(await eventually(() => existsSync(inst.marker), 15_000)).toBe(true);
    expect(await Promise.race([parent.exited, Bun.sleep(10_000).then(() => "timeout")])).toBe(0);
    await Bun.sleep(500);
    // SHUTDOWNCMD as root, exactly once
    expect(readFileSync(inst.marker, "utf8")).toBe("0\n");
    expect(readFileSync(join(inst.dir, "killpower"), "utf8")).toBe("upsmon-shutdown-file");
    const notes = readFileSync(inst.notes, "utf8").trim().split("\n");
    expect(notes).toContain(`SHUTDOWN ${NOBODY!.uid}`);
    expect(notes.every((l) => l.endsWith(` ${NOBODY!.uid}`))).toBe(true);
  }, 60_000);

  test("while monitoring, the child's uid is RUN_AS_USER's; a child killed outright ends the parent with an error and no shutdown", async () => {
    // power value 0 and MINSUPPLIES 0: monitoring only, nothing to shut down
    const inst = instance(sandbox, "killed", [`MONITOR ${sandbox.upsId("low")} 0 mon pw secondary`, "RUN_AS_USER nobody"]);
    writeFileSync(join(inst.dir, "upsmon.conf"), readFileSync(join(inst.dir, "upsmon.conf"), "utf8").replace("MINSUPPLIES 1", "MINSUPPLIES 0"));
    const parent = start([NUT_BINARY, "upsmon", "-F"], inst.env);
    expect(await eventually(() => existsSync(join(inst.dir, "upsmon.pid")), 10_000)).toBe(true);
    const childPid = Number(readFileSync(join(inst.dir, "upsmon.pid"), "utf8"));
    expect(await eventually(() => uidOf(childPid) === NOBODY!.uid, 5000)).toBe(true);
    expect(uidOf(parent.pid)).toBe(0);
    process.kill(childPid, "SIGKILL");
    expect(await Promise.race([parent.exited, Bun.sleep(10_000).then(() => "timeout")])).toBe(1);
    expect(await new Response(parent.stderr).text()).toContain("upsmon parent: read");
    expect(existsSync(inst.marker)).toBe(false);
  }, 60_000);
});

describe("upsmon: TLS to upsd (FORCESSL, CERTVERIFY, CERTPATH)", () => {
  let tlsSandbox: NutSandbox;
  beforeAll(async () => {
    const server = makeCertificate(tlsDir, "server");
    writeFileSync(join(tlsDir, "upsd.pem"), readFileSync(server.cert, "utf8") + readFileSync(server.key, "utf8"), { mode: 0o600 });
    mkdirSync(join(tlsDir, "trusted"));
    writeFileSync(join(tlsDir, "trusted", "ca.pem"), readFileSync(server.cert, "utf8"));
    const other = makeCertificate(tlsDir, "other");
    mkdirSync(join(tlsDir, "untrusted"));
    writeFileSync(join(tlsDir, "untrusted", "ca.pem"), readFileSync(other.cert, "utf8"));
    tlsSandbox = await startNutSandbox({
      ups: [{ name: "ups", settings: { mode: "dummy-once" } }],
      users: [{ name: "mon", password: "pw", upsmon: "primary" }],
      files: { "ups.dev": "ups.status: OL\n" },
      upsdConf: [`CERTFILE ${join(tlsDir, "upsd.pem")}`, "DISABLE_WEAK_SSL true"],
      upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"],
    });
  }, 60_000);
  afterAll(async () => {
    await tlsSandbox?.stop();
  });

  const numLogins = (): number => {
    const r = runCommand(["/usr/bin/upsc", "-c", tlsSandbox.upsId("ups")], { env: tlsSandbox.paths.env, timeoutMs: 10_000 });
    return r.stdout.trim() === "" ? 0 : r.stdout.trim().split("\n").length;
  };

  for (const [name, certPath, expectLogin] of [
    ["the server's certificate from the trusted CA: logs in over TLS", "trusted", true],
    ["a certificate from another CA: refused, never logs in", "untrusted", false],
  ] as const) {
    test(name, async () => {
      const inst = instance(tlsSandbox, `tls-${certPath}`, [`MONITOR ${tlsSandbox.upsId("ups")} 1 mon pw primary`, "FORCESSL 1", "CERTVERIFY 1", `CERTPATH ${join(tlsDir, certPath)}`]);
      const p = start([NUT_BINARY, "upsmon", "-D", "-F", "-p"], inst.env);
      const loggedIn = await eventually(() => numLogins() === 1, expectLogin ? 10_000 : 4000);
      expect(loggedIn).toBe(expectLogin);
      p.kill("SIGTERM");
      await p.exited;
      const log = await new Response(p.stderr).text();
      if (expectLogin) {
        expect(tlsSandbox.logs()).toContain("SSL handshake done successfully");
        expect(log).toContain("Logged into UPS");
      } else {
        expect(log).toContain("connect failed");
        expect(log).not.toContain("Logged into UPS");
      }
    }, 60_000);
  }

  test("FORCESSL 1 against a upsd without a certificate: no plaintext fallback", async () => {
    const inst = instance(sandbox, "forcessl-plain", [`MONITOR ${sandbox.upsId("low")} 0 mon pw secondary`, "FORCESSL 1", "MINSUPPLIES 0"]);
    writeFileSync(join(inst.dir, "upsmon.conf"), readFileSync(join(inst.dir, "upsmon.conf"), "utf8").replace("MINSUPPLIES 1\n", ""));
    const p = start([NUT_BINARY, "upsmon", "-D", "-F", "-p"], inst.env);
    await Bun.sleep(3000);
    p.kill("SIGTERM");
    await p.exited;
    const log = await new Response(p.stderr).text();
    expect(log).toContain("connect failed");
    expect(log).not.toContain("Logged into UPS");
  }, 60_000);
});
