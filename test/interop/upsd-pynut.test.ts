// Debian's python3-nut (PyNUT) reads and writes the same through our upsd as through Debian's
// upsd 2.8.0, both serving Debian's dummy-ups on the same device file.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type NutSandbox, type NutSandboxOptions, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY, runCommand } from "../harness/nut-binary.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = `
import sys, PyNUT
port = int(sys.argv[1])
def show(label, f):
    try:
        r = f()
        if isinstance(r, dict):
            r = sorted((k.decode() if isinstance(k, bytes) else k, v.decode() if isinstance(v, bytes) else v) for k, v in r.items())
        print(label, repr(r))
    except Exception as e:
        print(label, "error", repr(e))
anon = PyNUT.PyNUTClient(port=port)
show("ver", lambda: anon.ver().replace(b"2.8.0-nut-ts-0.1.0", b"2.8.0"))
show("list", anon.GetUPSList)
show("vars", lambda: anon.GetUPSVars("fake"))
show("vars-unknown", lambda: anon.GetUPSVars("nope"))
show("rw", lambda: anon.GetRWVars("fake"))
show("cmds", lambda: anon.GetUPSCommands("fake"))
show("clients", lambda: anon.ListClients("fake"))
admin = PyNUT.PyNUTClient(port=port, login="admin", password="secret")
show("set", lambda: admin.SetRWVar("fake", "ups.id", "py"))
show("set-ro", lambda: admin.SetRWVar("fake", "nope", "1"))
show("fsd", lambda: admin.FSD("fake"))
show("vars-after-fsd", lambda: admin.GetUPSVars("fake"))
bad = PyNUT.PyNUTClient(port=port, login="admin", password="wrong")
show("bad-set", lambda: bad.SetRWVar("fake", "ups.id", "x"))
`;

const OPTIONS: NutSandboxOptions = {
  ups: [{ name: "fake", desc: "PyNUT test", settings: { mode: "dummy-once" } }],
  users: [{ name: "admin", password: "secret", actions: ["SET", "FSD"], instcmds: ["all"], upsmon: "primary" }],
  files: { "fake.dev": "ups.status: OL\nups.id: dev\nbattery.charge: 80\n" },
};

describe.skipIf(!existsSync(PYTHON))("upsd: PyNUT sees the same through both servers", () => {
  test("list, vars, rw, commands, clients, SET, FSD", async () => {
    const [theirs, ours] = await Promise.all([
      startNutSandbox(OPTIONS),
      startNutSandbox({ ...OPTIONS, upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"] }),
    ]);
    try {
      const run = (s: NutSandbox) => runCommand([PYTHON, "-c", SCRIPT, String(s.port)], { env: s.paths.env, timeoutMs: 30_000 });
      const [e, a] = [run(theirs), run(ours)];
      expect(e.exitCode).toBe(0);
      expect(e.stdout).toContain("vars [('battery.charge', '80')");
      expect(e.stdout).toContain("set 'OK'");
      expect(a).toEqual(e);
    } finally {
      await Promise.all([theirs.stop(), ours.stop()]);
    }
  }, 60_000);
});
