// Our upsmon in the background logs to syslog, as NUT's daemons do once backgrounded: a Unix
// datagram socket stands in for /dev/log (NUT_TS_SYSLOG_SOCKET), read by a small python3
// listener; the monitoring child's notices arrive tagged upsmon[<pid>].
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { eventually } from "../harness/eventually.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
f = open(sys.argv[2], "ab", 0)
print("ready", flush=True)
while True:
    f.write(s.recv(65536) + b"\\n")
`;

let sandbox: NutSandbox;
let listener: Subprocess<"ignore", "pipe", "inherit">;

beforeAll(async () => {
  sandbox = await startNutSandbox({
    ups: [{ name: "onbatt", settings: { mode: "dummy-once" } }],
    users: [{ name: "mon", password: "pw", upsmon: "primary" }],
    files: { "onbatt.dev": "ups.status: OB\nbattery.charge: 80\n" },
    upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"],
  });
  listener = Bun.spawn(["python3", "-c", LISTENER, join(sandbox.paths.root, "syslog.sock"), join(sandbox.paths.root, "syslog.txt")], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const reader = listener.stdout.getReader();
  await reader.read();
}, 60_000);

afterAll(async () => {
  listener?.kill("SIGKILL");
  await listener?.exited;
  await sandbox?.stop();
});

test("upsmon -B: start-up on the terminal, then the notices in syslog as upsmon[<pid>]; -c stop ends it", async () => {
  const dir = sandbox.paths.confPath;
  writeFileSync(
    join(dir, "upsmon.conf"),
    [`MONITOR ${sandbox.upsId("onbatt")} 1 mon pw primary`, "MINSUPPLIES 1", 'SHUTDOWNCMD "/bin/true"', "POLLFREQ 1", "POLLFREQALERT 1", "RUN_AS_USER root", "NOTIFYFLAG ONBATT SYSLOG"].join("\n") + "\n",
    { mode: 0o640 },
  );
  const env = { ...sandbox.paths.env, NUT_PIDPATH: dir, NUT_TS_SYSLOG_SOCKET: join(sandbox.paths.root, "syslog.sock") };
  const started = runCommand([NUT_BINARY, "upsmon", "-B"], { env, timeoutMs: 20_000 });
  expect(started.exitCode).toBe(0);
  expect(started.stdout).toStartWith("Network UPS Tools upsmon ");
  const pidFile = join(dir, "upsmon.pid");
  expect(await eventually(() => existsSync(pidFile), 10_000)).toBe(true);
  const childPid = Number(readFileSync(pidFile, "utf8"));
  const logFile = join(sandbox.paths.root, "syslog.txt");
  const text = (): string => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  expect(await eventually(() => text().includes("on battery"), 15_000)).toBe(true);
  expect(text()).toContain(`upsmon[${childPid}]: UPS ${sandbox.upsId("onbatt")} on battery`);
  expect(runCommand([NUT_BINARY, "upsmon", "-c", "stop"], { env, timeoutMs: 10_000 }).exitCode).toBe(0);
  expect(await eventually(() => !existsSync(`/proc/${childPid}`), 10_000)).toBe(true);
  expect(await eventually(() => text().includes("Signal 15: exiting"), 5000)).toBe(true);
}, 60_000);
