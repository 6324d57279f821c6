import { describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEBIAN_SAMPLE_PACKAGES, copyDebianSample } from "../harness/debian-samples.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";

function write(dir: string, name: string, text: string, mode = 0o640): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** A working standalone setup: one UPS, a primary upsmon on localhost, upssched with a script. */
function goodConfig(dir: string): void {
  const script = write(dir, "notify.sh", "#!/bin/sh\nexit 0\n", 0o755);
  write(dir, "nut.conf", "MODE=standalone\n");
  write(dir, "ups.conf", 'maxretry = 3\n\n[myups]\n\tdriver = dummy-ups\n\tport = myups.dev\n\tdesc = "Rack \\"A\\" UPS"\n');
  write(dir, "upsd.conf", "LISTEN 127.0.0.1 3493\nLISTEN ::1 3493\nMAXAGE 15\n");
  write(dir, "upsd.users", "[admin]\n\tpassword = s3cret\n\tactions = SET FSD\n\tinstcmds = ALL\n\n[monuser]\n\tpassword = pass-word\n\tupsmon primary\n");
  write(dir, "upsmon.conf", `MONITOR myups@localhost 1 monuser pass-word primary\nMINSUPPLIES 1\nSHUTDOWNCMD "/bin/true"\nNOTIFYCMD ${script}\nNOTIFYFLAG ONBATT SYSLOG+WALL+EXEC\nPOWERDOWNFLAG /tmp/killpower\n`);
  write(dir, "upssched.conf", `CMDSCRIPT ${script}\nPIPEFN ${dir}/upssched.pipe\nLOCKFN ${dir}/upssched.lock\nAT ONBATT * START-TIMER onbatt 30\nAT ONLINE * CANCEL-TIMER onbatt\n`);
}

describe("nut check-config", () => {
  test("a correct configuration: no output lines, exit 0", () => {
    using dir = tempDir();
    goodConfig(dir.path);
    const r = runCommand([NUT_BINARY, "check-config", "--confpath", dir.path]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`check-config: 6 file(s) in ${dir.path}: 0 error(s), 0 warning(s)\n`);
    expect(r.exitCode).toBe(0);
  });

  test("planted mistakes are each reported with the right file and line, exit 1", () => {
    using dir = tempDir();
    goodConfig(dir.path);
    const d = dir.path;
    // each planted mistake: [file, line, a distinctive part of the message]
    write(d, "nut.conf", "# modes\nMODE=standlone\n");
    write(d, "ups.conf", '[myups]\n\tdriver = dummy-ups\n\tport = myups.dev\n[nodriver]\n\tport = /dev/ttyS0\n[lab]\n\tdriver = dummy-ups\n\tport = lab.dev\n\tdesc = "lab #1"\n\tnolock');
    write(d, "upsd.conf", "LISTEN 127.0.0.1 3493\nLISTEN 300.1.2.3 3493\nMAXAGE soon\nFROBNICATE yes\n");
    write(d, "upsd.users", "[monuser]\n\tpassword = pw\n\tupsmon secondary\n", 0o644);
    write(d, "upsmon.conf", [
      "MONITOR myups@localhost 1 monuser pw primary",
      "MONITOR ghost@127.0.0.1 1 nobody pw secondary",
      "MONITOR myups@localhost:3493 1 monuser wrong secondary",
      "NOTIFYFLAG ONBATT SYSLOG+EMAIL",
      'SHUTDOWNCMD "/sbin/shutdown -h +0"',
      "MINSUPPLIES 1",
      "",
    ].join("\n"));
    write(d, "upssched.conf", `CMDSCRIPT ${d}/missing-script\nPIPEFN ${d}/p\nLOCKFN ${d}/l\nAT ONBATT * START-TIMER onbatt 30\n`);
    const r = runCommand([NUT_BINARY, "check-config", "--confpath", d]);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    const planted: [string, number, string][] = [
      ["nut.conf", 2, "standlone"],
      ["ups.conf", 4, "nodriver"],
      ["ups.conf", 9, "#"],
      ["ups.conf", 10, "nolock"],
      ["upsd.conf", 2, "300.1.2.3"],
      ["upsd.conf", 3, "MAXAGE has non numeric value (soon)!"],
      ["upsd.conf", 4, "FROBNICATE"],
      ["upsd.users", 0, "readable by every user (mode 0644)"],
      ["upsmon.conf", 1, 'lacks "upsmon primary"'],
      ["upsmon.conf", 2, '"ghost" is not defined'],
      ["upsmon.conf", 2, 'user "nobody" is not defined'],
      ["upsmon.conf", 3, "password differs"],
      ["upsmon.conf", 4, "EMAIL"],
      ["upssched.conf", 1, "does not exist"],
    ];
    for (const [file, line, part] of planted) {
      const prefix = line > 0 ? `${join(d, file)}:${line}: ` : `${join(d, file)}: `;
      const hits = lines.filter((l) => l.startsWith(prefix) && l.includes(part));
      expect(hits.length, `expected a line starting ${prefix} containing ${part} in:\n${r.stdout}`).toBeGreaterThanOrEqual(1);
    }
    // every output line has the FILE:LINE: severity: message shape
    for (const l of lines) expect(l).toMatch(/^\/[^:]+(:\d+)?: (fatal|error|warning): \S/);
  });

  test("NUT_CONFPATH is the default directory, --confpath wins over it", () => {
    using a = tempDir();
    using b = tempDir();
    goodConfig(a.path);
    write(b.path, "upsd.conf", "MAXAGE x\n");
    const env = { ...process.env, NUT_CONFPATH: b.path };
    expect(runCommand([NUT_BINARY, "check-config"], { env }).stdout).toStartWith(`${join(b.path, "upsd.conf")}:1: error: MAXAGE`);
    expect(runCommand([NUT_BINARY, "check-config", "--confpath", a.path], { env }).exitCode).toBe(0);
  });

  test("the compiled binary ignores .env and bunfig.toml in its working directory", () => {
    using cwd = tempDir();
    using evil = tempDir();
    write(evil.path, "upsd.conf", "MAXAGE x\n");
    writeFileSync(join(cwd.path, ".env"), `NUT_CONFPATH=${evil.path}\n`);
    writeFileSync(join(cwd.path, "bunfig.toml"), 'preload = ["./evil.ts"]\n');
    writeFileSync(join(cwd.path, "evil.ts"), 'console.log("EVIL");\n');
    using good = tempDir();
    goodConfig(good.path);
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.NUT_CONFPATH;
    const r = runCommand([NUT_BINARY, "check-config", "--confpath", good.path], { cwd: cwd.path, env });
    expect(r.stdout).toBe("");
    expect(r.exitCode).toBe(0);
    const def = runCommand([NUT_BINARY, "check-config"], { cwd: cwd.path, env });
    expect(def.stdout + def.stderr).not.toContain(evil.path);
    expect(def.stdout + def.stderr).not.toContain("EVIL");
  });

  test("a directory without any NUT config file is one clear error", () => {
    using dir = tempDir();
    const r = runCommand([NUT_BINARY, "check-config", "--confpath", dir.path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`nut check-config: no NUT config file (nut.conf, ups.conf, upsd.conf, upsd.users, upsmon.conf, upssched.conf, hosts.conf) in ${dir.path}\n`);
  });

  test("Debian's pristine samples: only the problems of an unconfigured install", () => {
    using dir = tempDir();
    for (const name of Object.keys(DEBIAN_SAMPLE_PACKAGES)) copyFileSync(copyDebianSample(name), join(dir.path, name));
    const r = runCommand([NUT_BINARY, "check-config", "--confpath", dir.path]);
    // Debian ships upsmon.conf without MONITOR, so upsmon itself refuses to start
    // ("insufficient power configured"); nothing else in the samples is wrong.
    expect(r.stdout.split("\n").filter((l) => / (fatal|error): /.test(l))).toEqual([
      `${join(dir.path, "upsmon.conf")}: fatal: insufficient power configured! Sum of power values (0) is less than MINSUPPLIES (1)`,
    ]);
    expect(r.exitCode).toBe(1);
  });
});
