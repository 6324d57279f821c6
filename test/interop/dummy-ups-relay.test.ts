// nut-ts dummy-ups in repeater mode between two private NUT installations: upstream Debian's
// dummy-ups (and Debian's clone, for a second command list) behind Debian's upsd; downstream our
// relays and, for comparison, Debian's own dummy-ups as a relay, behind another Debian upsd.
// Everything is read with Debian's upsc / upscmd / upsrw.
//
// Deliberate differences from Debian 2.8.0's repeater, checked here:
// - with `username`/`password` our relay logs in upstream, passes SET and INSTCMD on and lists
//   exactly the upstream's instant commands (2.8.0 lists only its own load.off and forwards nothing);
// - while the upstream cannot be read our relay's data is stale; 2.8.0's relay keeps serving the
//   last values as fresh (it only skips dataok), which the last test shows side by side.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEBIAN_DUMMY_UPS, DEBIAN_UPSC, DEBIAN_UPSD, type NutSandbox, freePort, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY, type RunResult, runCommand } from "../harness/nut-binary.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { eventually } from "../harness/eventually.ts";

const DEBIAN_CLONE = "/lib/nut/clone";
const DEBIAN_UPSCMD = "/usr/bin/upscmd";
const DEBIAN_UPSRW = "/usr/bin/upsrw";

/** Fifteen variables of a plausible UPS. */
const UPSTREAM_DEV = [
  "ups.status: OL",
  "ups.mfr: Acme",
  "ups.model: Relay 1000",
  "ups.serial: SN42",
  "ups.id: upstream",
  "ups.load: 23",
  "ups.temperature: 31",
  "battery.charge: 95",
  "battery.runtime: 1800",
  "battery.voltage: 27.1",
  "input.voltage: 230.5",
  "input.frequency: 50.0",
  "input.transfer.low: 180",
  "output.voltage: 229.8",
  'device.location: "Rack 7"',
  "",
].join("\n");

const ADMIN = { name: "admin", password: "secret", actions: ["SET"], instcmds: ["all"] } as const;
const LOGIN = ["-u", ADMIN.name, "-p", ADMIN.password];

let up: NutSandbox;
let down: NutSandbox;

beforeAll(async () => {
  up = await startNutSandbox({
    ups: [
      { name: "up" },
      // load.status keeps Debian's 2.8.0 clone from crashing on an instant command (see clone.test.ts)
      { name: "upc", driver: "clone", port: "dummy-ups-up", settings: { "load.status": "outlet.1.status" } },
    ],
    users: [ADMIN],
    files: { "up.dev": UPSTREAM_DEV },
    driverCommand: (ups) => [ups.driver === "clone" ? DEBIAN_CLONE : DEBIAN_DUMMY_UPS, "-a", ups.name, "-F", "-u", "root"],
  });
  const credentials = { username: ADMIN.name, password: ADMIN.password };
  down = await startNutSandbox({
    ups: [
      { name: "relay", port: `up@127.0.0.1:${up.port}` },
      { name: "relayrw", port: `up@127.0.0.1:${up.port}`, settings: credentials },
      { name: "relaycl", port: `upc@127.0.0.1:${up.port}`, settings: credentials },
      { name: "deb", port: `up@127.0.0.1:${up.port}` },
    ],
    users: [ADMIN],
    driverCommand: (ups) => [ups.name === "deb" ? DEBIAN_DUMMY_UPS : NUT_BINARY, "-a", ups.name, "-F", "-u", "root"],
    driverArgv0: (ups) => (ups.name === "deb" ? undefined : "dummy-ups"),
  });
}, 30_000);

afterAll(async () => {
  await down?.stop();
  await up?.stop();
});

function run(argv: string[]): RunResult {
  return runCommand(argv, { timeoutMs: 15_000 });
}

/** stderr of a Debian client without the notice libupsclient prints on every connection. */
function errors(r: RunResult): string {
  return r.stderr.replace(/^Init SSL without certificate database\n/gm, "");
}

/** `upsc <id>` as Debian prints it. */
function upsc(id: string, variable?: string): RunResult {
  return run([DEBIAN_UPSC, id, ...(variable !== undefined ? [variable] : [])]);
}

/** upsc's listing as lines, split into driver.* and the rest. */
function listing(id: string): { driver: string[]; data: string[] } {
  const r = upsc(id);
  expect(r.exitCode).toBe(0);
  const lines = r.stdout.split("\n").filter((l) => l !== "");
  return { driver: lines.filter((l) => l.startsWith("driver.")), data: lines.filter((l) => !l.startsWith("driver.")) };
}

function log(sandbox: NutSandbox, label: string): string {
  const file = join(sandbox.paths.logPath, `${label}.log`);
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

describe("dummy-ups repeater (relay) under Debian's upsd", () => {
  test("upsc through the relay equals upsc upstream except driver.* lines", () => {
    const upstream = listing(up.upsId("up"));
    expect(upstream.data.length).toBe(19); // the 15 lines, device.mfr/model/serial/type
    for (const relay of ["relay", "relayrw", "deb"]) {
      expect(listing(down.upsId(relay)).data).toEqual(upstream.data);
    }
    expect(listing(down.upsId("relaycl")).data).toEqual(listing(up.upsId("upc")).data);

    // our driver.* lines are Debian's relay's, the version aside; no credentials are published
    const ours = listing(down.upsId("relayrw")).driver;
    expect(ours).toEqual([
      "driver.name: dummy-ups",
      "driver.parameter.mode: repeater",
      "driver.parameter.pollinterval: 2",
      `driver.parameter.port: up@127.0.0.1:${up.port}`,
      "driver.parameter.synchronous: auto",
      "driver.version: 2.8.0-nut-ts-0.1.0",
      "driver.version.internal: 0.15",
    ]);
    const debian = listing(down.upsId("deb")).driver;
    const withoutVersion = (lines: string[]): string[] => lines.filter((l) => !l.startsWith("driver.version:"));
    expect(withoutVersion(listing(down.upsId("relay")).driver)).toEqual(withoutVersion(debian));
    expect(debian).toContain("driver.version: 2.8.0");
  });

  test("upsrw through the relay lists what Debian's relay lists (ups.status is not writable there)", () => {
    const ours = run([DEBIAN_UPSRW, down.upsId("relay")]);
    const debian = run([DEBIAN_UPSRW, down.upsId("deb")]);
    expect(ours.exitCode).toBe(0);
    expect(ours.stdout).toBe(debian.stdout);
    expect(ours.stdout).toContain("[ups.id]\nUPS system identifier\nType: STRING\nMaximum length: 16\nValue: upstream\n");
    expect(ours.stdout).toContain("[device.mfr]\nDescription unavailable\nType: STRING\nMaximum length: 32\nValue: Acme\n");
    expect(ours.stdout).not.toContain("[ups.status]");
  });

  test("a SET upstream (Debian upsrw, user with SET rights) reaches the relays within 10 s", async () => {
    const set = run([DEBIAN_UPSRW, "-s", "ups.id=fromupstream", ...LOGIN, "-w", up.upsId("up")]);
    expect(errors(set)).toBe("SUCCESS\n");
    expect(set.exitCode).toBe(0);
    const seen = (id: string): boolean => upsc(id, "ups.id").stdout === "fromupstream\n";
    expect(await eventually(() => seen(down.upsId("relay")) && seen(down.upsId("relayrw")), 10_000)).toBe(true);
    expect(await eventually(() => seen(down.upsId("deb")), 10_000)).toBe(true);
  }, 25_000);

  test("upscmd -l through a logged-in relay lists exactly the upstream's commands", () => {
    const commands = (sandbox: NutSandbox, ups: string): string => {
      const r = run([DEBIAN_UPSCMD, "-l", sandbox.upsId(ups)]);
      expect(r.exitCode).toBe(0);
      return r.stdout.replace(`Instant commands supported on UPS [${ups}]:`, "Instant commands supported on UPS [X]:");
    };
    expect(commands(down, "relaycl")).toBe(commands(up, "upc"));
    expect(commands(down, "relaycl")).toBe(
      "Instant commands supported on UPS [X]:\n\n" +
        "shutdown.return - Turn off the load and return when power is back\n" +
        "shutdown.stayoff - Turn off the load and remain off\n",
    );
    expect(commands(down, "relayrw")).toBe(commands(up, "up"));
    // without credentials: dummy-ups' own load.off, as Debian's relay
    expect(commands(down, "relay")).toBe(commands(down, "deb"));
    expect(commands(down, "relay")).toBe("Instant commands supported on UPS [X]:\n\nload.off - Turn off the load immediately\n");
  });

  test("upsrw -s through the logged-in relay changes the value upstream", async () => {
    const set = run([DEBIAN_UPSRW, "-s", "ups.id=viarelay", ...LOGIN, "-w", down.upsId("relayrw")]);
    expect(errors(set)).toBe("SUCCESS\n");
    expect(set.exitCode).toBe(0);
    expect(await eventually(() => upsc(up.upsId("up"), "ups.id").stdout === "viarelay\n", 5000)).toBe(true);
    expect(log(up, "upsd")).toContain(`Set variable: admin@127.0.0.1 set ups.id on up to viarelay (tracking ID: disabled)`);
    // and comes back down through every relay
    expect(await eventually(() => upsc(down.upsId("relay"), "ups.id").stdout === "viarelay\n", 10_000)).toBe(true);
  }, 25_000);

  test("an INSTCMD through the logged-in relay reaches the upstream driver", async () => {
    expect(log(up, "driver-up")).not.toContain("instcmd: unknown command [load.off]");
    const cmd = run([DEBIAN_UPSCMD, ...LOGIN, "-w", down.upsId("relayrw"), "load.off"]);
    expect(errors(cmd)).toBe("SUCCESS\n");
    expect(cmd.exitCode).toBe(0);
    expect(await eventually(() => log(up, "driver-up").includes("instcmd: unknown command [load.off] [(null)]\n"), 5000)).toBe(true);
    expect(log(up, "upsd")).toContain("Instant command: admin@127.0.0.1 did load.off on up (tracking ID: disabled)");
  }, 15_000);

  test("a relay whose upstream is unreachable exits 1 with libupsclient's error, as Debian's does", async () => {
    using dir = tempDir("nut-relay-");
    const port = await freePort();
    const env = { ...process.env, NUT_STATEPATH: dir.path, NUT_CONFPATH: dir.path, NUT_ALTPIDPATH: dir.path };
    const args = ["-s", "relay", "-x", `port=up@127.0.0.1:${port}`, "-F", "-u", "root"];
    const ours = runCommand([NUT_BINARY, ...args], { env, argv0: "dummy-ups", timeoutMs: 15_000 });
    const debian = runCommand([DEBIAN_DUMMY_UPS, ...args], { env, timeoutMs: 15_000 });
    expect(ours.stderr).toBe("Error: Connection failure: Connection refused\n");
    expect(ours.exitCode).toBe(1);
    expect(debian.stderr).toBe(ours.stderr);
    expect(debian.exitCode).toBe(1);
    expect(existsSync(join(dir.path, "dummy-ups-relay"))).toBe(false);
  }, 35_000);

  test("an upstream that dies makes the relay's data stale; it recovers when the upstream returns", async () => {
    process.kill(up.pids.upsd!, "SIGKILL");
    await up.kill("upsd");
    const stale = (id: string): boolean => {
      const r = upsc(id);
      return r.exitCode === 1 && r.stderr.split("\n").includes("Error: Data stale");
    };
    expect(await eventually(() => stale(down.upsId("relay")) && stale(down.upsId("relayrw")), 10_000)).toBe(true);
    expect(log(down, "upsd")).toContain("Data for UPS [relay] is stale - check driver");
    // Debian 2.8.0's relay goes on serving the last values as fresh
    const debian = upsc(down.upsId("deb"), "battery.charge");
    expect(debian.stdout).toBe("95\n");
    expect(debian.exitCode).toBe(0);

    up.spawn("upsd", [DEBIAN_UPSD, "-F", "-u", "root"]);
    const upstream = (): string[] | undefined => {
      const r = upsc(up.upsId("up"));
      return r.exitCode === 0 ? r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("driver.")) : undefined;
    };
    expect(await eventually(() => upstream() !== undefined && upstream()!.length === 19, 10_000)).toBe(true);
    const fresh = (id: string): boolean => {
      const r = upsc(id);
      return r.exitCode === 0 && JSON.stringify(r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("driver."))) === JSON.stringify(upstream());
    };
    expect(await eventually(() => fresh(down.upsId("relay")) && fresh(down.upsId("relayrw")), 15_000)).toBe(true);
    expect(log(down, "upsd")).toContain("UPS [relay] data is no longer stale");
    // the logged-in relay logged in again: commands pass once more
    const set = run([DEBIAN_UPSRW, "-s", "ups.id=after", ...LOGIN, "-w", down.upsId("relayrw")]);
    expect(errors(set)).toBe("SUCCESS\n");
    expect(await eventually(() => upsc(up.upsId("up"), "ups.id").stdout === "after\n", 5000)).toBe(true);
  }, 60_000);
});
