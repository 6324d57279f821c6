/**
 * What the driver bench rows ask of a running driver: its socket serving a first dump, and its
 * CPU ticks and memory from /proc.
 */
import { type Socket, connect } from "node:net";
import { readFileSync } from "node:fs";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects as upsd would and resolves once a DUMPALL is answered up to DUMPDONE, with the
 * connection left open (upsd stays connected; NUT 2.8.0 drivers spin on a closed one); undefined
 * if not within `ms`. `requireStatus`: only a dump that carries ups.status (the first update done).
 */
export async function dumpServed(path: string, ms: number, options: { requireStatus?: boolean; retryMs?: number } = {}): Promise<Socket | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const sock = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ path });
      let buf = "";
      let settled = false;
      const done = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        if (!ok) s.destroy();
        resolve(ok ? s : undefined);
      };
      s.on("connect", () => s.write("DUMPALL\n"));
      s.on("data", (d: Buffer) => {
        buf += d.toString("latin1");
        if (buf.includes("DUMPDONE\n")) done(options.requireStatus !== true || buf.includes("SETINFO ups.status "));
      });
      s.on("error", () => done(false));
      s.on("close", () => done(false));
    });
    if (sock) return sock;
    await sleep(options.retryMs ?? 2);
  }
  return undefined;
}

/** utime+stime in clock ticks and VmRSS in kB of a process, from /proc. */
export function processUsage(pid: number): { ticks: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { ticks, rssKb: Number(rss?.[1] ?? 0) };
}

/**
 * dummy-ups, ours and Debian's, on the same .dev: time from spawn to the first complete
 * DUMPALL answer (median of `runs`, alternating), then RSS and CPU of an idle driver at
 * pollinterval 2 over `idleSeconds`.
 */
