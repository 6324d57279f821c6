// .seq scenarios (dummy-loop mode with TIMER steps): every step reaches Debian's upsc within one
// poll interval of its TIMER running out, with our dummy-ups as with Debian's, in the same order.
import { expect, test } from "bun:test";
import { type NutSandbox, startNutSandbox } from "../harness/debian-nut.ts";
import { NUT_BINARY } from "../harness/nut-binary.ts";

const TIMER = 3;
const POLL_INTERVAL = 2;
const SEQ = [
  "ups.status: OL",
  "battery.charge: 100",
  `TIMER ${TIMER}`,
  "ups.status: OB DISCHRG",
  "battery.charge: 80",
  `TIMER ${TIMER}`,
  "ups.status: OB DISCHRG LB",
  "battery.charge: 10",
  `TIMER ${TIMER}`,
  "",
].join("\n");

interface Change {
  at: number;
  status: string;
  charge: string;
}

/** Polls upsc every 100 ms for `seconds` and records each change of status/charge. */
async function record(sandbox: NutSandbox, seconds: number): Promise<Change[]> {
  const changes: Change[] = [];
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const proc = Bun.spawn(["/usr/bin/upsc", sandbox.upsId("seq")], { env: sandbox.paths.env, stdout: "pipe", stderr: "ignore", timeout: 5000 });
    const out = await new Response(proc.stdout).text();
    await proc.exited;
    const value = (name: string): string => out.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
    const status = value("ups.status");
    const charge = value("battery.charge");
    const last = changes.at(-1);
    if (status !== "" && (!last || last.status !== status || last.charge !== charge)) changes.push({ at: (Date.now() - started) / 1000, status, charge });
    await Bun.sleep(100);
  }
  return changes;
}

function check(changes: Change[]): void {
  // each step is applied whole in one update, so status and charge change together
  const states = changes.map((c) => `${c.status}/${c.charge}`);
  const cycle = ["OL/100", "OB DISCHRG/80", "OB DISCHRG LB/10"];
  const start = states.indexOf("OB DISCHRG/80");
  expect(start).toBeGreaterThan(-1);
  const seen = states.slice(start, start + 4);
  expect(seen).toEqual([cycle[1]!, cycle[2]!, cycle[0]!, cycle[1]!]);
  for (let i = start + 1; i < start + 4; i++) {
    const gap = changes[i]!.at - changes[i - 1]!.at;
    // the TIMER, then at most one poll interval plus dummy-ups' one-second sleep (and polling slack)
    expect(gap).toBeGreaterThanOrEqual(TIMER - 0.3);
    expect(gap).toBeLessThanOrEqual(TIMER + POLL_INTERVAL + 1 + 0.6);
  }
}

test(
  ".seq steps reach upsc within one poll interval, Debian's dummy-ups and ours alike",
  async () => {
    const common = { ups: [{ name: "seq", port: "seq.seq" }], files: { "seq.seq": SEQ }, readyTimeoutMs: 20_000 };
    await using theirs = await startNutSandbox(common);
    await using ours = await startNutSandbox({ ...common, driverCommand: (u) => [NUT_BINARY, "dummy-ups", "-a", u.name, "-F", "-u", "root"] });
    const [a, b] = await Promise.all([record(theirs, 22), record(ours, 22)]);
    check(a);
    check(b);
  },
  60_000,
);
