// Debian's upsc, upscmd -l and upsrw see the same through our upsd as through Debian's upsd,
// both serving Debian's dummy-ups on a handful of real device dumps of NUT's DDL
// (test/fixtures/nut-ddl): stdout, stderr and exit status, the port written out of both.
import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { type NutSandbox, type SandboxUps, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";

const DDL = resolve(import.meta.dir, "../fixtures/nut-ddl");
const DUMPS = [
  "APC/APC__Back-UPS_BK650M2-CH__usbhid-ups__2.8.0__01.dev",
  "APC/APC__AP7724__snmp-ups__2.7.4.1__01.dev",
  "APC/APC__Back-UPS_CS_500__usbhid-ups__2.6.0__01.dev",
  "Eaton/Eaton__5E1100iUSB__usbhid-ups__2.7.1__01.dev",
  "Cyber_Power_Systems/Cyber_Power_Systems__BL1250U__usbhid-ups__2.7.4__01.dev",
];

interface Observed {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function observe(sandbox: NutSandbox, argv: string[]): Promise<Observed> {
  const proc = Bun.spawn(argv, { env: sandbox.paths.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: 10_000, killSignal: "SIGKILL" });
  const [exitCode, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const port = String(sandbox.port);
  return { exitCode, stdout: stdout.replaceAll(port, "PORT"), stderr: stderr.replaceAll(port, "PORT") };
}

describe("upsd: DDL dumps through Debian's clients", () => {
  test(
    `${DUMPS.length} dumps: upsc, upscmd -l, upsrw, upsc -l`,
    async () => {
      const existing = DUMPS.filter((d) => Bun.file(resolve(DDL, d)).size > 0);
      expect(existing.length).toBe(DUMPS.length);
      const ups: SandboxUps[] = existing.map((d, i) => ({ name: `ddl${i + 1}`, port: resolve(DDL, d), desc: d.split("/")[1]! }));
      const [theirs, ours] = await Promise.all([
        startNutSandbox({ ups, readyTimeoutMs: 30_000 }),
        startNutSandbox({ ups, readyTimeoutMs: 30_000, upsdCommand: () => [NUT_BINARY, "upsd", "-F", "-u", "root"] }),
      ]);
      try {
        for (const u of ups) {
          for (const argv of [["/usr/bin/upsc"], ["/usr/bin/upscmd", "-l"], ["/usr/bin/upsrw"]]) {
            const [e, a] = await Promise.all([observe(theirs, [...argv, theirs.upsId(u.name)]), observe(ours, [...argv, ours.upsId(u.name)])]);
            expect({ cmd: `${argv.join(" ")} ${u.name}`, ...a }).toEqual({ cmd: `${argv.join(" ")} ${u.name}`, ...e });
          }
        }
        const [e, a] = await Promise.all([observe(theirs, ["/usr/bin/upsc", "-l", `127.0.0.1:${theirs.port}`]), observe(ours, ["/usr/bin/upsc", "-l", `127.0.0.1:${ours.port}`])]);
        expect(a).toEqual(e);
      } finally {
        await Promise.all([theirs.stop(), ours.stop()]);
      }
    },
    120_000,
  );
});
