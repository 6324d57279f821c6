import { describe, expect, test } from "bun:test";
import { copyFileSync, linkSync, lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROGRAMS, notImplemented } from "../../cli/programs.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import pkg from "../../package.json" with { type: "json" };

describe("dist/nut multicall dispatch", () => {
  test("nut --version prints the version and the NUT release it is compatible with", () => {
    const r = runCommand([NUT_BINARY, "--version"]);
    expect(r).toEqual({ exitCode: 0, stdout: `nut-ts ${pkg.version} (Network UPS Tools 2.8.0 compatible)\n`, stderr: "" });
  });

  test("nut --help lists every program and exits 0", () => {
    const r = runCommand([NUT_BINARY, "--help"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    for (const p of PROGRAMS) {
      expect(lines.filter((l) => l.startsWith(`  ${p.name} `) && l.endsWith(`  ${p.summary}`))).toHaveLength(1);
    }
    expect(r.stdout).toContain("check-config");
    expect(r.stdout).toContain("install-links");
  });

  test("nut --list prints one program name per line", () => {
    const r = runCommand([NUT_BINARY, "--list"]);
    expect(r.stdout).toBe(PROGRAMS.map((p) => `${p.name}\n`).join(""));
  });

  test("nut with no arguments prints the help on stderr and exits 1", () => {
    const r = runCommand([NUT_BINARY]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Programs:");
  });

  test("an unknown subcommand exits 127 with one line", () => {
    const r = runCommand([NUT_BINARY, "upsfoo"]);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe('nut: unknown program or command "upsfoo" (see nut --help)\n');
  });

  test("a program not built yet says so in one line and exits 1, by subcommand and by link", () => {
    const pending = PROGRAMS.find((p) => p.load === notImplemented);
    // once every program exists there is nothing left to check here
    if (!pending) return;
    using dir = tempDir();
    symlinkSync(NUT_BINARY, join(dir.path, pending.name));
    const viaLink = runCommand([join(dir.path, pending.name), "-h"]);
    const viaSub = runCommand([NUT_BINARY, pending.name, "-h"]);
    for (const r of [viaLink, viaSub]) {
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(`${pending.name}: not implemented yet in this nut-ts build\n`);
    }
  });

  test("the invoked name is taken from a symlink, a hard link, a copy and exec -a alike", () => {
    using dir = tempDir();
    symlinkSync(NUT_BINARY, join(dir.path, "upsmon"));
    // (each program prints its own name first, whether it exists yet or not)
    try {
      linkSync(NUT_BINARY, join(dir.path, "upsrw"));
    } catch {
      copyFileSync(NUT_BINARY, join(dir.path, "upsrw"));
    }
    copyFileSync(NUT_BINARY, join(dir.path, "nut-scanner"));
    runCommand(["chmod", "+x", join(dir.path, "nut-scanner")]);
    // -h: every program names itself in its help (banner or usage line) or in its one-line refusal
    const said = (argv: string[]): string => {
      const r = runCommand(argv);
      return r.stdout + r.stderr;
    };
    expect(said([join(dir.path, "upsmon"), "-h"])).toStartWith("Network UPS Tools upsmon ");
    expect(said([join(dir.path, "upsrw"), "-h"])).toContain("upsrw");
    expect(said([join(dir.path, "nut-scanner"), "-h"])).toContain("nut-scanner");
    expect(said(["bash", "-c", `exec -a upscmd ${NUT_BINARY} -h`])).toContain("upscmd");
    expect(said(["bash", "-c", `exec -a upscmd ${NUT_BINARY} -h`])).not.toContain("upsrw");
  });

  test("a link with a name that is no program exits 127 (busybox's applet not found)", () => {
    using dir = tempDir();
    symlinkSync(NUT_BINARY, join(dir.path, "frobnicate"));
    const r = runCommand([join(dir.path, "frobnicate")]);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe("frobnicate: applet not found\n");
  });
});

describe("nut install-links", () => {
  test("creates one symlink per program, is idempotent, and refuses foreign files unless --force", () => {
    using dir = tempDir();
    expect(runCommand([NUT_BINARY, "install-links", dir.path])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    for (const p of PROGRAMS) {
      const link = join(dir.path, p.name);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe(NUT_BINARY);
    }
    expect(runCommand([join(dir.path, "upsc"), "-h"]).stdout).toStartWith("Network UPS Tools upsc ");
    // again: nothing to do
    expect(runCommand([NUT_BINARY, "install-links", dir.path]).exitCode).toBe(0);
    // a file that is not our link stays untouched
    const upsc = join(dir.path, "upsc");
    runCommand(["rm", upsc]);
    writeFileSync(upsc, "#!/bin/sh\necho theirs\n");
    const refused = runCommand([NUT_BINARY, "install-links", dir.path]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(`nut install-links: ${upsc} exists and is not a link to ${NUT_BINARY}: left alone (use --force to replace it)\n`);
    expect(readFileSync(upsc, "utf8")).toBe("#!/bin/sh\necho theirs\n");
    // --force replaces it
    expect(runCommand([NUT_BINARY, "install-links", "--force", dir.path]).exitCode).toBe(0);
    expect(readlinkSync(upsc)).toBe(NUT_BINARY);
  });

  test("a missing directory is one clear error and exit 1", () => {
    const r = runCommand([NUT_BINARY, "install-links", "/nonexistent/dir"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toStartWith('nut install-links: cannot use "/nonexistent/dir": ');
    expect(r.stderr.split("\n")).toHaveLength(2);
  });
});
