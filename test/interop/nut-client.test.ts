// NutClient against Debian's NUT 2.8.0 upsd + dummy-ups (the oracle), in a private sandbox.
// Error texts are also checked against what Debian's upsc prints for the same failure.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { NutClient } from "../../core/client/nut-client.ts";
import { NutProtocolError, UpscliError } from "../../core/protocol/net-error.ts";
import { DEBIAN_UPSC, freePort, startNutSandbox } from "../harness/debian-nut.ts";
import type { NutSandbox } from "../harness/debian-nut.ts";
import { eventually } from "../harness/eventually.ts";

const DEV = ["ups.status: OL", "ups.id: abc", 'device.location: "Server room 1"', "battery.charge: 100", ""].join("\n");
const UUID4 = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

let sandbox: NutSandbox;

beforeAll(async () => {
  sandbox = await startNutSandbox({
    ups: [
      { name: "dummy", desc: 'Test "quoted" box' },
      { name: "spare", port: "dummy.dev" },
      { name: "ghost", start: false },
    ],
    users: [
      { name: "admin", password: "secret", actions: ["SET", "FSD"], instcmds: ["all"], upsmon: "primary" },
      { name: "viewer", password: "view", upsmon: "secondary" },
    ],
    files: { "dummy.dev": DEV },
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

const connect = (tls?: "try" | "require"): Promise<NutClient> =>
  NutClient.connect({ host: "127.0.0.1", port: sandbox.port, timeoutMs: 5000, ...(tls !== undefined ? { tls: { mode: tls } } : {}) });

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

/** What Debian's upsc prints on stderr for the same query (minus its TLS notice). */
function upscError(args: string[]): string {
  const r = Bun.spawnSync([DEBIAN_UPSC, ...args], { stdout: "pipe", stderr: "pipe", timeout: 10_000 });
  return r.stderr
    .toString()
    .split("\n")
    .filter((l) => l !== "" && l !== "Init SSL without certificate database")
    .join("\n");
}

describe("read-only calls", () => {
  test("VER, NETVER, HELP", async () => {
    await using c = await connect();
    expect(await c.ver()).toBe("Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/");
    expect(await c.netver()).toBe("1.3");
    expect(await c.help()).toBe("Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS");
  });

  test("LIST UPS and GET UPSDESC", async () => {
    await using c = await connect();
    expect(await c.listUps()).toEqual([
      { name: "dummy", description: 'Test "quoted" box' },
      { name: "spare", description: "Description unavailable" },
      { name: "ghost", description: "Description unavailable" },
    ]);
    expect(await c.getUpsDesc("dummy")).toBe('Test "quoted" box');
    expect(await c.getUpsDesc("ghost")).toBe("Unavailable");
  });

  test("LIST VAR gives what Debian's upsc prints", async () => {
    await using c = await connect();
    const vars = await c.listVar("dummy");
    const upsc = Bun.spawnSync([DEBIAN_UPSC, sandbox.upsId("dummy")], { stdout: "pipe", stderr: "ignore", timeout: 10_000 });
    expect(vars.map((v) => `${v.name}: ${v.value}\n`).join("")).toBe(upsc.stdout.toString());
    expect(vars).toContainEqual({ name: "device.location", value: "Server room 1" });
    expect(vars).toContainEqual({ name: "ups.status", value: "OL" });
  });

  test("GET VAR, TYPE, DESC, CMDDESC, NUMLOGINS", async () => {
    await using c = await connect();
    expect(await c.getVar("dummy", "ups.id")).toBe("abc");
    expect(await c.getVar("dummy", "device.location")).toBe("Server room 1");
    // upsd answers server.* for any UPS name
    expect(await c.getVar("whatever", "server.version")).toBe("2.8.0");
    expect(await c.getType("dummy", "ups.id")).toEqual(["RW", "STRING:16"]);
    expect(await c.getType("dummy", "battery.charge")).toEqual(["RW", "NUMBER"]);
    expect(await c.getDesc("dummy", "ups.id")).toBe("UPS system identifier");
    expect(await c.getDesc("dummy", "no.such.var")).toBe("Description unavailable");
    expect(await c.getCmdDesc("dummy", "load.off")).toBe("Turn off the load immediately");
    expect(await c.getNumLogins("dummy")).toBe(0);
  });

  test("LIST RW, CMD, ENUM, RANGE (dummy-ups has neither enums nor ranges)", async () => {
    await using c = await connect();
    const rw = await c.listRw("dummy");
    expect(rw).toContainEqual({ name: "ups.id", value: "abc" });
    expect(await c.listCmd("dummy")).toEqual(["load.off"]);
    expect(await c.listEnum("dummy", "ups.id")).toEqual([]);
    expect(await c.listRange("dummy", "battery.charge")).toEqual([]);
  });

  test("pipelined requests on one connection", async () => {
    await using c = await connect();
    const results = await Promise.all([
      c.getVar("dummy", "ups.status"),
      c.listCmd("dummy"),
      c.getVar("dummy", "ups.id"),
      c.netver(),
      c.listVar("spare").then((v) => v.length > 0),
      c.getDesc("dummy", "ups.id"),
    ]);
    expect(results).toEqual(["OL", ["load.off"], "abc", "1.3", true, "UPS system identifier"]);
  });

  test("case-insensitive echoes pass libupsclient's checks", async () => {
    await using c = await connect();
    expect(await c.getVar("DUMMY", "UPS.ID")).toBe("abc");
    expect((await c.listCmd("Dummy")).length).toBe(1);
  });
});

describe("errors carry libupsclient's texts, as Debian's upsc prints them", () => {
  test("unknown UPS", async () => {
    await using c = await connect();
    const err = await caught(c.getVar("nope", "ups.status"));
    expect(err).toBeInstanceOf(NutProtocolError);
    expect((err as NutProtocolError).token).toBe("UNKNOWN-UPS");
    expect(`Error: ${err.message}`).toBe(upscError([sandbox.upsId("nope"), "ups.status"]));
    expect((await caught(c.listVar("nope"))).message).toBe("Unknown UPS");
    expect((await caught(c.listClient("nope"))).message).toBe("Unknown UPS");
  });

  test("unknown variable", async () => {
    await using c = await connect();
    const err = await caught(c.getVar("dummy", "no.such.var"));
    expect((err as NutProtocolError).token).toBe("VAR-NOT-SUPPORTED");
    expect(`Error: ${err.message}`).toBe(upscError([sandbox.upsId("dummy"), "no.such.var"]));
    expect((await caught(c.getType("dummy", "no.such.var"))).message).toBe("Variable not supported by UPS");
    expect((await caught(c.listEnum("dummy", "no.such.var"))).message).toBe("Variable not supported by UPS");
  });

  test("driver not connected", async () => {
    await using c = await connect();
    const err = await caught(c.listVar("ghost"));
    expect((err as NutProtocolError).token).toBe("DRIVER-NOT-CONNECTED");
    expect(`Error: ${err.message}`).toBe(upscError([sandbox.upsId("ghost")]));
    // LIST CLIENT and GET UPSDESC do not need the driver
    expect(await c.listClient("ghost")).toEqual([]);
  });

  test("connection refused on a closed port", async () => {
    const port = await freePort();
    const err = (await caught(NutClient.connect({ host: "127.0.0.1", port, timeoutMs: 5000 }))) as UpscliError;
    expect(err.message).toBe("Connection failure: Connection refused");
    expect(`Error: ${err.message}`).toBe(upscError([`dummy@127.0.0.1:${port}`]));
  });

  test("a wrong password is only refused at LOGIN, as Access denied", async () => {
    await using c = await connect();
    await c.username("admin");
    await c.password("wrong");
    const err = await caught(c.login("dummy"));
    expect((err as NutProtocolError).token).toBe("ACCESS-DENIED");
    expect(err.message).toBe("Access denied");
    expect((await caught(c.username("again"))).message).toBe("Already set username");
  });

  test("commands needing credentials before USERNAME / PASSWORD", async () => {
    await using c = await connect();
    expect((await caught(c.login("dummy"))).message).toBe("Username required");
    await c.username("admin");
    expect((await caught(c.instCmd("dummy", "load.off"))).message).toBe("Password required");
  });

  test("a server INVALID-ARGUMENT is libupsclient's Unknown error", async () => {
    await using c = await connect();
    const reply = await c.request("GET VAR dummy");
    expect(reply.line).toBe("ERR INVALID-ARGUMENT");
    const err = await caught(c.get(["BOGUS", "dummy"]));
    expect((err as NutProtocolError).token).toBe("INVALID-ARGUMENT");
    expect(err.message).toBe("Unknown error");
  });
});

describe("sessions: LOGIN, PRIMARY, FSD, LIST CLIENT", () => {
  test("LOGIN counts in NUMLOGINS and LIST CLIENT until the connection closes", async () => {
    const c = await connect();
    await c.username("admin");
    await c.password("secret");
    await c.login("dummy");
    expect((await caught(c.login("dummy"))).message).toBe("Already logged in");
    await using observer = await connect();
    expect(await observer.listClient("dummy")).toEqual(["127.0.0.1"]);
    expect(await observer.getNumLogins("dummy")).toBe(1);
    expect(await c.primary("dummy")).toBe("PRIMARY");
    await c.close();
    expect(await eventually(async () => (await observer.getNumLogins("dummy")) === 0)).toBe(true);
    expect(await observer.listClient("dummy")).toEqual([]);
  });

  test("PRIMARY without the right is refused under both keywords", async () => {
    await using c = await connect();
    await c.username("viewer");
    await c.password("view");
    await c.login("dummy");
    const err = await caught(c.primary("dummy"));
    expect((err as NutProtocolError).token).toBe("ACCESS-DENIED");
    expect((await caught(c.fsd("dummy"))).message).toBe("Access denied");
  });

  test("FSD sets upsd's flag, seen in ups.status", async () => {
    await using c = await connect();
    await c.username("admin");
    await c.password("secret");
    await c.fsd("spare");
    expect(await c.getVar("spare", "ups.status")).toBe("FSD OL");
  });

  test("LOGOUT says goodbye and the server closes the connection", async () => {
    const c = await connect();
    expect(await c.logout()).toBe("OK Goodbye");
    expect(await eventually(async () => c.closed)).toBe(true);
    expect((await caught(c.ver())).message).toBe("Server disconnected");
    await c.close();
  });
});

describe("INSTCMD, SET VAR and tracking", () => {
  test("INSTCMD with and without the right", async () => {
    await using admin = await connect();
    await admin.username("admin");
    await admin.password("secret");
    expect(await admin.instCmd("dummy", "load.off")).toEqual({ line: "OK" });
    const unknown = await caught(admin.instCmd("dummy", "no.such.cmd"));
    expect((unknown as NutProtocolError).token).toBe("CMD-NOT-SUPPORTED");
    expect(unknown.message).toBe("Instant command not supported");

    await using viewer = await connect();
    await viewer.username("viewer");
    await viewer.password("view");
    const denied = await caught(viewer.instCmd("dummy", "load.off"));
    expect((denied as NutProtocolError).token).toBe("ACCESS-DENIED");
    expect(denied.message).toBe("Access denied");
  });

  test("SET VAR with tracking, then GET TRACKING until SUCCESS", async () => {
    await using c = await connect();
    await c.username("admin");
    await c.password("secret");
    expect(await c.getTrackingMode()).toBe(false);
    await c.setTracking(true);
    expect(await c.getTrackingMode()).toBe(true);
    const reply = await c.setVar("dummy", "device.location", "Rack 2, shelf 3");
    expect(reply.tracking).toMatch(UUID4);
    expect(reply.line).toBe(`OK TRACKING ${reply.tracking}`);
    let status = "";
    expect(
      await eventually(async () => {
        status = (await c.getTracking(reply.tracking!)).status;
        return status !== "PENDING";
      }),
    ).toBe(true);
    expect(status).toBe("SUCCESS");
    expect(await eventually(async () => (await c.getVar("dummy", "device.location")) === "Rack 2, shelf 3")).toBe(true);

    const cmd = await c.instCmd("dummy", "load.off");
    expect(cmd.tracking).toMatch(UUID4);
    expect((await c.getTracking("00000000-0000-4000-8000-000000000000")).status).toBe("UNKNOWN");

    // another connection without tracking may not ask
    await using other = await connect();
    const err = await caught(other.getTracking(reply.tracking!));
    expect((err as NutProtocolError).token).toBe("FEATURE-NOT-CONFIGURED");

    await c.setTracking(false);
    expect(await c.setVar("dummy", "device.location", "Server room 1")).toEqual({ line: "OK" });
  });

  test("SET VAR errors", async () => {
    await using c = await connect();
    await c.username("viewer");
    await c.password("view");
    expect((await caught(c.setVar("dummy", "ups.id", "x"))).message).toBe("Access denied");
    await using admin = await connect();
    await admin.username("admin");
    await admin.password("secret");
    expect((await caught(admin.setVar("dummy", "no.such.var", "x"))).message).toBe("Variable not supported by UPS");
    expect((await caught(admin.setVar("dummy", "ups.id", "x".repeat(17)))).message).toBe("New value is too long");
    expect((await caught(admin.setVar("ghost", "ups.id", "x"))).message).toBe("Driver not connected");
  });
});

describe("STARTTLS against an upsd without certificates", () => {
  test("try: ERR FEATURE-NOT-CONFIGURED, the session goes on in plaintext", async () => {
    await using c = await connect("try");
    expect(c.ssl).toBe(false);
    expect(await c.getVar("dummy", "ups.status")).toBe("OL");
  });

  test("require: SSL is not available", async () => {
    const err = (await caught(connect("require"))) as UpscliError;
    expect(err.code).toBe("SSLFAIL");
    expect(err.message).toBe("SSL is not available");
  });
});

describe("the sandbox harness", () => {
  test("injected commands run with the sandbox's paths; stop() ends every process by PID and removes the files", async () => {
    const calls: string[] = [];
    const box = await startNutSandbox({
      ups: [{ name: "solo" }],
      files: { "solo.dev": "ups.status: OB LB\n" },
      driverCommand: (ups, paths) => {
        calls.push(`driver ${ups.name} ${paths.confPath}`);
        return ["/lib/nut/dummy-ups", "-a", ups.name, "-F", "-u", "root"];
      },
      upsdCommand: (paths) => {
        calls.push(`upsd ${paths.port}`);
        return ["/lib/nut/upsd", "-F", "-u", "root"];
      },
    });
    let pids: number[] = [];
    try {
      expect(calls).toEqual([`driver solo ${box.paths.confPath}`, `upsd ${box.port}`]);
      pids = Object.values(box.pids);
      expect(pids).toHaveLength(2);
      await using c = await NutClient.connect({ host: "127.0.0.1", port: box.port });
      expect(await c.getVar("solo", "ups.status")).toBe("OB LB");
    } finally {
      await box.stop();
    }
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(box.paths.root)).toBe(false);
  });
});
