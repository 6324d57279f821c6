import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The sample config files Debian's NUT packages install, and the package of each. */
export const DEBIAN_SAMPLE_PACKAGES: Readonly<Record<string, string>> = Object.freeze({
  "nut.conf": "nut-client",
  "upsmon.conf": "nut-client",
  "upssched.conf": "nut-client",
  "ups.conf": "nut-server",
  "upsd.conf": "nut-server",
  "upsd.users": "nut-server",
  "hosts.conf": "nut-cgi",
});

/**
 * Copies Debian's pristine sample of `name` (as installed under /etc/nut by its package) into a
 * fresh temporary directory and returns the copy's path. The samples are not committed: they are
 * Debian's files. Throws, with what to install, if the package is missing or the file was
 * edited since installation (its md5 no longer matches dpkg's record), so a test never runs on
 * something other than the real sample.
 */
export function copyDebianSample(name: string): string {
  const pkg = DEBIAN_SAMPLE_PACKAGES[name];
  if (pkg === undefined) throw new TypeError(`No Debian sample is known for "${name}"`);
  const path = `/etc/nut/${name}`;
  let conffiles: string;
  try {
    conffiles = execFileSync("dpkg-query", ["-W", "-f=${Conffiles}", pkg], { encoding: "utf8" });
  } catch {
    throw new Error(`Debian package ${pkg} is not installed: run scripts/setup-system.sh (apt-get install ${pkg})`);
  }
  const entry = conffiles.split("\n").map((l) => l.trim().split(/\s+/)).find((f) => f[0] === path);
  if (!entry || entry[1] === undefined) throw new Error(`${pkg} does not list ${path} as a conffile`);
  const data = readFileSync(path);
  const md5 = createHash("md5").update(data).digest("hex");
  if (md5 !== entry[1]) {
    throw new Error(`${path} was modified since ${pkg} installed it (md5 ${md5}, expected ${entry[1]}): reinstall ${pkg} to test against the pristine sample`);
  }
  const dir = mkdtempSync(join(tmpdir(), "nut-sample-"));
  const copy = join(dir, name);
  copyFileSync(path, copy);
  return copy;
}
