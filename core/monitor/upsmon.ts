/**
 * upsmon's monitoring process (the unprivileged child of clients/upsmon.c): every round it
 * polls each MONITOR entry in file order, lets MonitorState decide, sleeps POLLFREQ or
 * POLLFREQALERT seconds; when too few supplies are healthy (or on `upsmon -c fsd`) it runs the
 * forced shutdown exactly once: FSD on every UPS it is primary for, a wait of at most HOSTSYNC
 * for the secondaries to log out, then the SHUTDOWN notice, FINALDELAY, and the request to
 * the privileged side to write POWERDOWNFLAG and run SHUTDOWNCMD. It reaches upsd only
 * through UpsLink (core/client); process matters (signals, privileges, the parent) belong to
 * the program front.
 */
import type { UpsmonConf, UpsmonMonitor } from "../config/upsmon-conf.ts";
import type { NutLog } from "../system/nut-log.ts";
import { type MonitorEvent, MonitorState, MonitoredUps } from "./monitor-state.ts";
import type { Notifier } from "./notifier.ts";
import type { UpsLink } from "./ups-link.ts";

/** What the monitor is given by its program front. */
export interface UpsmonDeps {
  log: NutLog;
  notifier: Notifier;
  /** A connection for a MONITOR entry. */
  linkFor(monitor: UpsmonMonitor): UpsLink;
  /** time(): whole seconds. */
  now(): number;
  /** Asks for POWERDOWNFLAG and SHUTDOWNCMD (the privileged parent, or itself with -p). */
  shutdown(): Promise<void>;
  /** False once the privileged parent is gone (always true with -p). */
  parentAlive?(): boolean;
}

/** Seconds between two NOPARENT notices. */
const NOPARENT_INTERVAL = 120;
/** upsmon polls secondaries' logins every 250 ms while it waits for them. */
const HOSTSYNC_POLL_MS = 250;

interface Entry {
  ups: MonitoredUps;
  link: UpsLink;
  host: string;
  /** The MONITOR line could not be split: never connectable. */
  nameError?: string;
}

export class Upsmon {
  #conf: UpsmonConf;
  readonly #deps: UpsmonDeps;
  #state: MonitorState;
  #entries: Entry[];
  #stopRequested = false;
  #fsdRequested = false;
  #reloadConf: UpsmonConf | undefined;
  #wake: (() => void) | undefined;
  #sleepTimer: ReturnType<typeof setTimeout> | undefined;
  #lastNoParent = 0;
  #shutdownStarted = false;

  constructor(conf: UpsmonConf, deps: UpsmonDeps) {
    this.#conf = conf;
    this.#deps = deps;
    this.#entries = conf.monitors.map((m) => this.#entry(m));
    this.#state = new MonitorState(conf, this.#entries.map((e) => e.ups));
  }

  #entry(m: UpsmonMonitor): Entry {
    const entry: Entry = { ups: new MonitoredUps(m.system, m.upsname, m.powerValue, m.role === "primary"), link: this.#deps.linkFor(m), host: m.host };
    if (m.nameError !== undefined) entry.nameError = m.nameError;
    return entry;
  }

  /** The decisions (for tests and diagnostics). */
  get state(): MonitorState {
    return this.#state;
  }

  /** True once the forced shutdown began (it cannot be called off). */
  get shuttingDown(): boolean {
    return this.#shutdownStarted;
  }

  /** SIGTERM/SIGINT/SIGQUIT: exit at the top of the next round (never during a shutdown). */
  requestStop(): void {
    this.#stopRequested = true;
    this.#wake?.();
  }

  /** SIGUSR1 / `upsmon -c fsd`: forced shutdown at the top of the next round. */
  requestFsd(): void {
    this.#fsdRequested = true;
    this.#wake?.();
  }

  /** SIGHUP / `upsmon -c reload` with the freshly read configuration. */
  requestReload(conf: UpsmonConf): void {
    this.#reloadConf = conf;
    this.#wake?.();
  }

  #apply(events: readonly MonitorEvent[]): void {
    for (const e of events) {
      if (e.kind === "notify") this.#deps.notifier.notify(e.type, e.system, e.extra);
      else if (e.level === "debug") this.#deps.log.debug(1, e.text);
      else if (e.level === "warning") this.#deps.log.warning(e.text);
      else this.#deps.log.info(e.text);
    }
  }

  /** Runs until stopped (exit status 0) or until the shutdown was handed over. */
  async run(): Promise<number> {
    for (;;) {
      if (this.#fsdRequested) {
        this.#deps.log.info("Signal 10: User requested FSD");
        return this.#forceShutdown();
      }
      if (this.#stopRequested) break;
      if (this.#reloadConf) this.#reload(this.#reloadConf);
      for (const entry of this.#entries) {
        if (this.#stopRequested || this.#fsdRequested) break;
        await this.#poll(entry);
      }
      if (this.#stopRequested) break;
      if (this.#fsdRequested) continue;
      const { shutdown, events } = this.#state.recalc(this.#deps.now());
      this.#apply(events);
      if (shutdown) return this.#forceShutdown();
      this.#checkParent();
      await this.#sleep(this.#state.sleepSeconds * 1000);
    }
    this.#deps.log.info("Signal 15: exiting");
    await Promise.all(this.#entries.map((e) => e.link.close(true)));
    return 0;
  }

  /** The sleep between rounds, cut short by a stop, FSD or reload request. */
  async #sleep(ms: number): Promise<void> {
    if (this.#stopRequested || this.#fsdRequested || this.#reloadConf) return;
    await new Promise<void>((resolve) => {
      this.#sleepTimer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(this.#sleepTimer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  #checkParent(): void {
    const alive = this.#deps.parentAlive?.() ?? true;
    if (alive) return;
    const now = this.#deps.now();
    if (now - this.#lastNoParent < NOPARENT_INTERVAL && this.#lastNoParent !== 0) return;
    this.#lastNoParent = now;
    this.#deps.notifier.notify("NOPARENT");
    this.#deps.log.error("Parent died - shutdown impossible");
  }

  async #poll(entry: Entry): Promise<void> {
    const { ups, link } = entry;
    const log = this.#deps.log;
    if (!link.connected) {
      if (entry.nameError !== undefined) {
        this.#apply(this.#state.pollFailed(ups, this.#deps.now()));
        return;
      }
      try {
        await link.connect();
      } catch (err) {
        log.error(`UPS [${ups.system}]: connect failed: ${message(err)}`);
        await link.close(false);
        this.#apply(this.#state.pollFailed(ups, this.#deps.now()));
        return;
      }
    }
    let status: string;
    try {
      status = await link.getVar("ups.status");
    } catch (err) {
      if ((err as { code?: unknown }).code === "UNKNOWNUPS") log.error(`Poll UPS [${ups.system}] failed - [${ups.upsname}] does not exist on server ${entry.host}`);
      else log.error(`Poll UPS [${ups.system}] failed - ${message(err)}`);
      this.#apply(this.#state.pollFailed(ups, this.#deps.now()));
      // a lost socket is dropped and reconnected next round; flags such as OB stay
      if (!link.connected) await link.close(false);
      return;
    }
    let alarm: string | undefined;
    if (status.split(" ").some((w) => w.toUpperCase() === "ALARM")) alarm = await link.getVar("ups.alarm").catch(() => undefined);
    this.#apply(this.#state.statusPolled(ups, status, this.#deps.now(), alarm));
  }

  /** reload_conf(): new, changed and removed MONITOR lines; settings take effect at once. */
  #reload(conf: UpsmonConf): void {
    this.#reloadConf = undefined;
    const log = this.#deps.log;
    const old = new Map(this.#entries.map((e, i) => [e.ups.system, { entry: e, monitor: this.#conf.monitors[i]! }]));
    const entries: Entry[] = [];
    conf.monitors.forEach((m) => {
      const found = old.get(m.system);
      if (found && found.monitor.host === m.host && found.monitor.port === m.port && found.monitor.upsname === m.upsname) {
        old.delete(m.system);
        const changed = found.monitor.user !== m.user || found.monitor.password !== m.password || found.monitor.role !== m.role || found.monitor.powerValue !== m.powerValue;
        if (!changed) {
          entries.push(found.entry);
          return;
        }
        if (found.monitor.powerValue !== m.powerValue) log.info(`UPS [${m.system}]: redefined power value to ${m.powerValue}`);
        if (found.monitor.role !== m.role) log.info(`UPS [${m.system}]: redefined as a ${m.role}`);
        // the UPS's history (flags, timers) stays; a new identity needs a new login
        found.entry.ups.powerValue = m.powerValue;
        found.entry.ups.primary = m.role === "primary";
        void found.entry.link.close(true);
        entries.push({ ...found.entry, link: this.#deps.linkFor(m) });
        return;
      }
      entries.push(this.#entry(m));
    });
    for (const { entry } of old.values()) {
      log.info(`No longer monitoring UPS [${entry.ups.system}]`);
      void entry.link.close(true);
    }
    const sleepSeconds = this.#state.sleepSeconds;
    this.#conf = conf;
    this.#entries = entries;
    this.#state = new MonitorState(conf, entries.map((e) => e.ups));
    this.#state.sleepSeconds = sleepSeconds;
    this.#deps.notifier.reconfigure(conf);
  }

  /** forceshutdown(): runs once; the returned status is the monitor's exit status. */
  async #forceShutdown(): Promise<number> {
    this.#shutdownStarted = true;
    const primaries = this.#entries.filter((e) => e.ups.primary);
    for (const e of primaries) {
      try {
        if (!e.link.connected) throw new Error("Not connected");
        await e.link.setFsd();
        this.#apply(this.#state.fsdSet(e.ups, this.#deps.now()));
      } catch (err) {
        // a failed FSD never stops the shutdown
        this.#deps.log.error(`FSD set on UPS ${e.ups.system} failed: ${message(err)}`);
      }
    }
    if (primaries.length > 0) await this.#syncSecondaries(primaries);
    return this.#doShutdown();
  }

  /** sync_secondaries(): waits until only we are logged in to our UPSes, at most HOSTSYNC. */
  async #syncSecondaries(primaries: readonly Entry[]): Promise<void> {
    const start = this.#deps.now();
    for (let round = 1; ; round++) {
      let maxLogins = 0;
      for (const e of primaries) {
        // a failed query counts as no logins, as in NUT: a stale UPS does not hold us up
        const n = await e.link.numLogins().catch(() => 0);
        if (n > maxLogins) maxLogins = n;
      }
      if (maxLogins <= 1) return;
      if (this.#deps.now() - start > this.#conf.hostSync) {
        this.#deps.log.info("Host sync timer expired, forcing shutdown");
        return;
      }
      if (round === 1) this.#deps.notifier.notify("SHUTDOWN_HOSTSYNC");
      await sleep(HOSTSYNC_POLL_MS);
    }
  }

  /** doshutdown(). */
  async #doShutdown(): Promise<number> {
    const text = "Executing automatic power-fail shutdown";
    this.#deps.log.error(text);
    this.#deps.notifier.wall(text);
    this.#deps.notifier.notify("SHUTDOWN");
    if (this.#conf.finalDelay > 0) await sleep(this.#conf.finalDelay * 1000);
    await this.#deps.shutdown();
    // SHUTDOWNEXIT no/N: stay logged in (primaries keep seeing this secondary) for N s or for ever
    const stay = this.#conf.shutdownExit;
    if (stay !== 0) {
      const until = stay < 0 ? Number.POSITIVE_INFINITY : this.#deps.now() + stay;
      while (this.#deps.now() < until && !this.#stopRequested) {
        for (const e of this.#entries) await e.link.numLogins().catch(() => 0);
        await sleep(1000);
      }
    }
    // no LOGOUT on this path: upsd just sees the connections close, as with NUT
    await Promise.all(this.#entries.map((e) => e.link.close(false)));
    return 0;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
