// STARTTLS with a certificate (upsd.conf CERTFILE: chain and key in one PEM, as NUT's OpenSSL
// build reads it): Debian's upsc (an NSS build) negotiates TLS with our upsd and reads the UPS,
// and inside TLS a second STARTTLS gets ERR ALREADY-SSL-MODE while the session goes on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

let dir: string;
let sandbox: NutSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "upsd-tls-"));
  const made = runCommand(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    { timeoutMs: 20_000 },
  );
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  writeFileSync(join(dir, "cert.pem"), readFileSync(join(dir, "c.pem"), "utf8") + readFileSync(join(dir, "k.pem"), "utf8"), { mode: 0o600 });
  sandbox = await startNutSandbox({
    ups: [{ name: "fake", settings: { mode: "dummy-once" } }],
    users: [{ name: "admin", password: "secret", upsmon: "primary" }],
    files: { "fake.dev": "ups.status: OL\nbattery.charge: 90\n" },
    upsdConf: [`CERTFILE ${join(dir, "cert.pem")}`, "DISABLE_WEAK_SSL true"],
    upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"],
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("upsd: STARTTLS with CERTFILE", () => {
  test("Debian's upsc reads the UPS over TLS", () => {
    const r = runCommand(["/usr/bin/upsc", sandbox.upsId("fake"), "battery.charge"], { env: sandbox.paths.env, timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("90\n");
    expect(r.stderr).toContain("Connected to NUT server 127.0.0.1 in SSL");
  });

  test("raw session: OK STARTTLS, then the protocol inside TLS", async () => {
    const plain = connect(sandbox.port, "127.0.0.1");
    await new Promise((r) => plain.once("connect", r));
    plain.write("STARTTLS\n");
    const first = await new Promise<string>((resolve) => plain.once("data", (d) => resolve(d.toString())));
    expect(first).toBe("OK STARTTLS\n");
    const secure = tlsConnect({ socket: plain, rejectUnauthorized: false, minVersion: "TLSv1.2" });
    await new Promise((r) => secure.once("secureConnect", r));
    let out = "";
    secure.on("data", (d) => (out += d.toString()));
    secure.write("STARTTLS\nUSERNAME admin\nPASSWORD secret\nLOGIN fake\nGET VAR fake ups.status\nLOGOUT\n");
    const deadline = Date.now() + 5000;
    while (!out.includes("OK Goodbye\n") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(out).toBe('ERR ALREADY-SSL-MODE\nOK\nOK\nOK\nVAR fake ups.status "OL"\nOK Goodbye\n');
    secure.destroy();
    expect(sandbox.logs()).toContain("User admin@127.0.0.1 logged into UPS [fake] (SSL)");
  });
});
