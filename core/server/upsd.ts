/**
 * upsd, the NUT data server, as server/upsd.c and server/conf.c compose it: upsd.conf,
 * ups.conf and upsd.users loaded with NUT's messages, TCP listeners, one UpsSource per UPS,
 * client connections answered through the verb table, a maintenance tick (at most 2 s apart,
 * NUT's poll() timeout) that refreshes the drivers' state, purges tracking entries and sheds idle
 * clients, and SIGHUP-style reloads that keep connected clients. No process-wide effects (signals,
 * chdir, privileges, PID file): the program front (cli/upsd.ts) does those.
 */
import { lookup } from "node:dns/promises";
import { readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { createSecureContext, type SecureContext } from "node:tls";
import type { NutPaths } from "../config/nut-paths.ts";
import { upsdSections, parseUpsConf, type UpsSection } from "../config/ups-conf.ts";
import { UPSD_DEFAULT_PORT, parseUpsdConf, type UpsdConf } from "../config/upsd-conf.ts";
import { parseUpsdUsers, type UpsdUsers } from "../config/upsd-users.ts";
import { ClientConnection } from "./client-connection.ts";
import type { ClientTransport } from "./client-transport.ts";
import { listenTcp, type TcpListener } from "./tcp-transport.ts";
import { Descriptions } from "./descriptions.ts";
import { sameWord } from "./net-reply.ts";
import { TrackingTable } from "./tracking.ts";
import type { UpsSource } from "./ups-source.ts";
import type { NetSession, ServedUps, StartTls, UpsdContext } from "./upsd-context.ts";
import type { NutLog } from "../system/nut-log.ts";

/** upsd.conf settings a UpsSource reads while running (a reload may change them). */
export interface UpsdLiveSettings {
  /** MAXAGE: seconds of driver silence before its data is stale. */
  maxAge: number;
}

/** What a UpsSource is made from: one ups.conf section as upsd sees it. */
export interface UpsSourceSpec {
  /** The ups.conf section name. */
  readonly name: string;
  /** ups.conf `driver`. */
  readonly driver: string;
  /** ups.conf `port`. */
  readonly port: string;
  /** `<driver>-<name>`: the driver's socket, relative to `statePath` (upsd's conf.c statefn). */
  readonly socketName: string;
  /** The directory of the driver sockets (STATEPATH). */
  readonly statePath: string;
  /** Live settings shared with the server. */
  readonly settings: Readonly<UpsdLiveSettings>;
  readonly log: NutLog;
}

/** Makes the UpsSource of one UPS (default: the unix-socket driver link). */
export type UpsSourceFactory = (spec: UpsSourceSpec) => UpsSource;

/** A condition under which upsd 2.8.0 exits with status 1 (fatalx); the message is what it prints. */
export class UpsdFatalError extends Error {}

/** How to build a server. */
export interface UpsdOptions {
  paths: NutPaths;
  env: Readonly<Record<string, string | undefined>>;
  log: NutLog;
  sourceFactory: UpsSourceFactory;
  /** -4 / -6: only that address family. */
  family?: 4 | 6;
  /** TLS for STARTTLS (absent: ERR FEATURE-NOT-CONFIGURED). */
  startTls?: StartTls;
  /** Clock in milliseconds (default Date.now), for tests of the timeouts. */
  clock?: () => number;
}

/** One UPS of the server (upstype_t). */
class UpsRecord implements ServedUps {
  readonly name: string;
  desc: string | undefined;
  source: UpsSource;
  fsd = false;
  numLogins = 0;
  socketName: string;
  /** conf_reload(): still in ups.conf. */
  retain = true;

  constructor(name: string, desc: string | undefined, socketName: string, source: UpsSource) {
    this.name = name;
    this.desc = desc;
    this.socketName = socketName;
    this.source = source;
  }
}

/** A bound listener. */
export interface UpsdListener {
  readonly address: string;
  readonly port: number;
}

const TICK_MS = 2000;
/** Client input refreshes the drivers' state at most this often (upsd.c re-checks on every loop). */
const MIN_REFRESH_MS = 500;

/** The open-file limit (NUT's default MAXCONN, sysconf(_SC_OPEN_MAX)). */
function openFileLimit(): number {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return 1024;
}

/** strerror() text of a Node error code. */
function strerror(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case "ENOENT":
      return "No such file or directory";
    case "EACCES":
      return "Permission denied";
    case "EADDRINUSE":
      return "Address already in use";
    case "EADDRNOTAVAIL":
      return "Cannot assign requested address";
    case "ENOTDIR":
      return "Not a directory";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** The upsd server. */
export class Upsd implements UpsdContext {
  readonly log: NutLog;
  readonly tracking = new TrackingTable();
  startTls?: StartTls;
  users: UpsdUsers = { users: [] };
  descriptions: Descriptions = Descriptions.none();
  readonly settings: UpsdLiveSettings = { maxAge: 15 };
  #conf: UpsdConf | undefined;
  readonly #options: UpsdOptions;
  #ups: UpsRecord[] = [];
  /** Newest first, as upsd prepends to firstclient. */
  #clients: ClientConnection[] = [];
  #servers: TcpListener[] = [];
  #listeners: UpsdListener[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastRefresh = 0;
  #statePath: string;
  #maxConn: number;

  constructor(options: UpsdOptions) {
    this.#options = options;
    this.log = options.log;
    this.#statePath = options.paths.statePath;
    this.#maxConn = openFileLimit();
    if (options.startTls) this.startTls = options.startTls;
  }

  // ---- UpsdContext

  findUps(name: string): ServedUps | undefined {
    return this.#ups.find((u) => sameWord(u.name, name));
  }

  upsList(): readonly ServedUps[] {
    return this.#ups;
  }

  clients(): readonly NetSession[] {
    return this.#clients;
  }

  now(): number {
    return Math.floor((this.#options.clock ?? Date.now)() / 1000);
  }

  // ---- configuration

  /** STATEPATH in force (upsd.conf over the environment). */
  get statePath(): string {
    return this.#statePath;
  }

  /** The bound listeners. */
  get listeners(): readonly UpsdListener[] {
    return this.#listeners;
  }

  /** check_perms(): the file must exist (else fatal), and a world-readable one is reported. */
  #checkPerms(file: string): void {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (err) {
      throw new UpsdFatalError(`stat ${file}: ${strerror(err)}`);
    }
    if (mode & 0o005) this.log.warning(`${file} is world readable`);
  }

  /** load_upsdconf(): reads upsd.conf; fatal when missing at start-up, a failed reload keeps the old settings. */
  loadUpsdConf(reloading = false): void {
    const file = join(this.#options.paths.confPath, "upsd.conf");
    let text: Uint8Array;
    try {
      this.#checkPerms(file);
      text = readFileSync(file);
    } catch (err) {
      const message = err instanceof UpsdFatalError ? err.message : `Can't open ${file}: ${strerror(err)}`;
      if (!reloading) throw new UpsdFatalError(message);
      this.log.error(`Reload failed: ${message}`);
      return;
    }
    const { config, diagnostics } = parseUpsdConf(text, file);
    for (const d of diagnostics) {
      const parse = /^Parse error: (.*) \(NUT skips/.exec(d.message);
      if (parse) this.log.error(`Parse error: ${file}:${d.line}: ${parse[1]}`);
      else if (d.message.startsWith("invalid directive ")) this.log.warning(`upsd.conf: ${d.message}`);
      else if (/^(\w+ has non |DEBUG_MIN has |(ACCEPT|REJECT|ACL) in upsd\.conf)/.test(d.message)) this.log.warning(d.message);
    }
    if (reloading && this.#conf) {
      // LISTEN is read at start-up only; STATEPATH and DATAPATH are used once, at start-up
      config.listen = this.#conf.listen;
    } else if (config.statePath !== undefined) {
      this.#statePath = config.statePath;
    }
    this.#conf = config;
    this.settings.maxAge = config.maxAge;
    this.#maxConn = config.maxConn ?? openFileLimit();
    if (config.debugMin !== undefined && config.debugMin > this.log.debugLevel) {
      if (reloading) this.log.info(`Applying debug_min=${config.debugMin} from upsd.conf`);
      this.log.debugLevel = config.debugMin;
    }
  }

  /** ALLOW_NO_DEVICE from upsd.conf, overridden by the environment variable of that name. */
  #allowNoDevice(): boolean {
    const env = this.#options.env.ALLOW_NO_DEVICE;
    if (env !== undefined) {
      const e = env.toUpperCase();
      if (e.startsWith("TRUE") || e.startsWith("YES") || e.startsWith("ON") || e.startsWith("1")) return true;
      if (e.startsWith("FALSE") || e.startsWith("NO") || e.startsWith("OFF") || e.startsWith("0")) return false;
    }
    return this.#conf?.allowNoDevice ?? false;
  }

  /** Binds every LISTEN address (default ::1 and 127.0.0.1 on 3493); fatal when none could be bound. */
  async listen(): Promise<void> {
    const family = this.#options.family;
    let entries = (this.#conf?.listen ?? []).map((l) => ({ address: l.address, port: l.port }));
    if (entries.length === 0) {
      if (family !== 4) entries.push({ address: "::1", port: UPSD_DEFAULT_PORT });
      if (family !== 6) entries.push({ address: "127.0.0.1", port: UPSD_DEFAULT_PORT });
    }
    // 2.8.1+: `LISTEN *` is both wildcards, each IPv6 socket V6ONLY
    entries = entries.flatMap((e) =>
      e.address === "*" ? [...(family !== 4 ? [{ address: "::", port: e.port, v6only: true }] : []), ...(family !== 6 ? [{ address: "0.0.0.0", port: e.port }] : [])] : [e],
    );
    for (const entry of entries) {
      const bound = await this.#bind(entry.address, entry.port, "v6only" in entry);
      if (bound) this.log.info(`listening on ${entry.address} port ${entry.port}`);
      else this.log.error(`not listening on ${entry.address} port ${entry.port}`);
    }
    if (this.#servers.length === 0) throw new UpsdFatalError("no listening interface available");
  }

  async #bind(address: string, portText: string, v6only: boolean): Promise<boolean> {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) return false;
    const family = this.#options.family;
    let host = address;
    if (isIP(address) === 0) {
      try {
        host = (await lookup(address, family !== undefined ? { family } : {})).address;
      } catch {
        throw new UpsdFatalError("getaddrinfo: Name or service not known");
      }
    } else if ((family === 4 && isIP(address) !== 4) || (family === 6 && isIP(address) !== 6)) {
      throw new UpsdFatalError("getaddrinfo: Address family for hostname not supported");
    }
    let server: TcpListener;
    try {
      server = listenTcp(host, Number(portText), v6only, (transport) => this.#accept(transport));
    } catch (err) {
      this.log.debug(3, `setuptcp: bind: ${strerror(err)}`);
      return false;
    }
    this.#servers.push(server);
    this.#listeners.push({ address, port: server.port });
    return true;
  }

  #accept(transport: ClientTransport): void {
    const used = this.#ups.length + this.#servers.length + this.#clients.length;
    if (used >= this.#maxConn) {
      // upsd stops polling its listeners when MAXCONN is reached; here the newcomer is refused
      this.log.notice(`Refusing connection from ${transport.remoteAddress}: MAXCONN (${this.#maxConn}) reached`);
      transport.destroy();
      return;
    }
    const client = new ClientConnection(transport, this, {
      beforeRequests: () => this.#refreshIfDue(),
      closed: (c) => this.#forget(c),
    });
    this.#clients.unshift(client);
    this.log.debug(2, `Connect from ${client.addr}`);
  }

  /** client_disconnect()'s bookkeeping: forget the client and decrement its UPS's logins. */
  #forget(client: ClientConnection): void {
    const i = this.#clients.indexOf(client);
    if (i >= 0) this.#clients.splice(i, 1);
    if (client.loginUps !== undefined) {
      const ups = this.findUps(client.loginUps);
      if (ups) ups.numLogins--;
      else this.log.info(`Tried to decrement invalid ups name (${client.loginUps})`);
    }
  }

  /** Reads ups.conf (fatal when it cannot be read at start-up) and returns the UPSes upsd serves. */
  #readUpsConf(fatalOnError: boolean): UpsSection[] | undefined {
    const file = join(this.#options.paths.confPath, "ups.conf");
    let text: Uint8Array;
    try {
      text = readFileSync(file);
    } catch (err) {
      const message = `Can't open ${file}: Can't open ${file}: ${strerror(err)}`;
      if (fatalOnError) throw new UpsdFatalError(message);
      // 2.8.0 dies here on a reload; keeping the running configuration is kinder
      this.log.error(`Reload failed: ${message}`);
      return undefined;
    }
    const { config, diagnostics } = parseUpsConf(text, file);
    for (const d of diagnostics) {
      const parse = /^Parse error: (.*) \(NUT skips/.exec(d.message);
      if (parse) this.log.error(`Parse error: ${file}:${d.line}: ${parse[1]}`);
    }
    for (const s of config.sections) {
      if (s.entries.length > 0 && (s.driver === undefined || s.port === undefined)) this.log.warning(`Warning: ignoring incomplete configuration for UPS [${s.name}]\n`);
    }
    const served = upsdSections(config);
    if (served.length === 0 && config.sections.length === 0) this.log.warning("Warning: no UPS definitions in ups.conf");
    return served;
  }

  #createSource(section: UpsSection): UpsSource {
    const driver = section.driver!;
    const source = this.#options.sourceFactory({
      name: section.name,
      driver,
      port: section.port!,
      socketName: `${driver}-${section.name}`,
      statePath: this.#statePath,
      settings: this.settings,
      log: this.log,
    });
    source.onTracking((id, status) => this.tracking.set(id, status));
    return source;
  }

  /** upsconf_add(): creates (or on reload updates) the UPSes of ups.conf; fatal with none unless ALLOW_NO_DEVICE. */
  loadUpsConf(): void {
    const sections = this.#readUpsConf(true)!;
    for (const section of sections) {
      this.#ups.push(new UpsRecord(section.name, section.desc, `${section.driver}-${section.name}`, this.#createSource(section)));
    }
    if (this.#ups.length === 0) {
      if (this.#allowNoDevice()) {
        this.log.warning("Normally at least one UPS must be defined in ups.conf, currently there are none (please configure the file and reload the service)");
      } else {
        throw new UpsdFatalError("Fatal error: at least one UPS must be defined in ups.conf");
      }
    }
    this.refreshAll();
  }

  /** desc_load(): cmdvartab from DATAPATH when upsd.conf sets one, else NUT 2.8.0's built-in copy. */
  loadDescriptions(): void {
    const dataPath = this.#conf?.dataPath;
    if (dataPath === undefined) {
      this.descriptions = Descriptions.embedded();
      return;
    }
    const file = join(dataPath, "cmdvartab");
    let text: Uint8Array;
    try {
      text = readFileSync(file);
    } catch {
      this.log.info(`${file} not found - disabling descriptions`);
      this.descriptions = Descriptions.none();
      return;
    }
    const { descriptions, errors } = Descriptions.parse(text, file);
    for (const e of errors) this.log.error(e);
    this.descriptions = descriptions;
  }

  /** user_load(): reads upsd.users (fatal when missing at start-up). */
  loadUsers(): void {
    const file = join(this.#options.paths.confPath, "upsd.users");
    this.#checkPerms(file);
    let text: Uint8Array;
    try {
      text = readFileSync(file);
    } catch (err) {
      this.log.warning(`Can't open ${file}: ${strerror(err)}`);
      this.users = { users: [] };
      return;
    }
    const { config, diagnostics } = parseUpsdUsers(text, file);
    for (const d of diagnostics) {
      const parse = /^Parse error: (.*) \(NUT skips/.exec(d.message);
      if (parse) this.log.error(`Parse error: ${file}:${d.line}: ${parse[1]}`);
      else if (/^(Ignoring duplicate |Unrecognized user setting |allowfrom in upsd\.users|Unknown upsmon type |Ignoring action definition outside)/.test(d.message)) this.log.warning(d.message);
    }
    this.users = config;
  }

  /**
   * ssl_init(): with CERTFILE (certificate chain and private key in one PEM file, as NUT's
   * OpenSSL build reads it) STARTTLS is honoured; without it, or when the file is unusable,
   * STARTTLS gets ERR FEATURE-NOT-CONFIGURED and clients go on in plaintext.
   */
  loadTls(): void {
    if (this.#options.startTls) return;
    const certFile = this.#conf?.certFile;
    if (certFile === undefined) return;
    let context: SecureContext;
    try {
      this.#checkPerms(certFile);
      const pem = readFileSync(certFile);
      context = createSecureContext({ cert: pem, key: pem, ...(this.#conf?.disableWeakSsl ? { minVersion: "TLSv1.2" as const } : {}) });
    } catch (err) {
      this.log.error(`Can not load the SSL certificate ${certFile}: ${err instanceof UpsdFatalError ? err.message : strerror(err)}; STARTTLS is disabled`);
      return;
    }
    if (!this.#conf?.disableWeakSsl) this.log.warning("Warning: DISABLE_WEAK_SSL is not enabled. Please consider enabling to improve network security.");
    this.startTls = {
      upgrade: (session) => {
        const client = this.#clients.find((c) => c === session);
        if (!client) return;
        client.startTls(context);
      },
    };
  }

  /** Starts the maintenance tick. */
  start(): void {
    this.#timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  /** One maintenance pass of upsd's main loop: tracking purge, driver state, idle clients. */
  tick(): void {
    this.tracking.cleanup(this.now(), this.#conf?.trackingDelay ?? 3600);
    this.refreshAll();
    const now = this.now();
    for (const client of [...this.#clients]) {
      // shed clients after 1 minute of inactivity
      if (client.closeIfIdle(now)) this.log.debug(2, `Disconnect ${client.addr} (idle)`);
    }
  }

  #refreshIfDue(): void {
    if ((this.#options.clock ?? Date.now)() - this.#lastRefresh >= MIN_REFRESH_MS) this.refreshAll();
  }

  /** Lets every UpsSource (re)connect, ping and re-evaluate staleness (the source logs the transitions). */
  refreshAll(): void {
    const now = (this.#options.clock ?? Date.now)();
    this.#lastRefresh = now;
    for (const ups of this.#ups) {
      try {
        ups.source.refresh(now);
      } catch (err) {
        this.log.error(`UPS [${ups.name}]: ${(err as Error).message}`);
      }
    }
  }

  /** conf_reload() (SIGHUP): ups.conf, upsd.conf (but LISTEN) and upsd.users again; clients stay connected. */
  reload(): void {
    this.log.info("SIGHUP: reloading configuration");
    const confPath = this.#options.paths.confPath;
    const upsdConf = join(confPath, "upsd.conf");
    try {
      readFileSync(upsdConf);
    } catch (err) {
      this.log.error(`Reload failed: can't open ${upsdConf}: ${strerror(err)}`);
      return;
    }
    const sections = this.#readUpsConf(false);
    if (sections !== undefined) {
      for (const ups of this.#ups) ups.retain = false;
      const created: UpsRecord[] = [];
      for (const section of sections) {
        const existing = this.#ups.find((u) => u.name.toLowerCase() === section.name.toLowerCase());
        const socketName = `${section.driver}-${section.name}`;
        if (!existing) {
          created.push(new UpsRecord(section.name, section.desc, socketName, this.#createSource(section)));
          continue;
        }
        if (existing.socketName !== socketName) {
          this.log.notice(`Redefined UPS [${existing.name}]`);
          existing.source.close();
          existing.source = this.#createSource(section);
          existing.socketName = socketName;
        }
        existing.desc = section.desc;
        existing.retain = true;
      }
      // new UPSes go first, in ups.conf order (upsd prepends them to its list)
      this.#ups = [...created, ...this.#ups];
    }
    this.loadUpsdConf(true);
    if (sections !== undefined) {
      for (const ups of [...this.#ups]) {
        if (ups.retain) continue;
        this.log.notice(`Deleting UPS [${ups.name}]`);
        for (const client of [...this.#clients]) {
          if (client.loginUps === ups.name) {
            this.log.info(`Kicking client ${client.addr} (was on UPS [${ups.name}])\n`);
            client.close();
          }
        }
        this.#ups.splice(this.#ups.indexOf(ups), 1);
        ups.source.close();
      }
      if (this.#ups.length === 0) this.log.warning("Warning: no UPSes currently defined!");
    }
    const usersFile = join(confPath, "upsd.users");
    try {
      readFileSync(usersFile);
    } catch (err) {
      this.log.error(`Reload failed: can't open ${usersFile}: ${strerror(err)}`);
      return;
    }
    try {
      this.loadUsers();
    } catch (err) {
      this.log.error((err as Error).message);
    }
    this.refreshAll();
  }

  /** Closes listeners, clients and driver links (upsd_cleanup()). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const client of [...this.#clients]) client.close();
    for (const server of this.#servers) server.stop();
    this.#servers = [];
    this.#listeners = [];
    for (const ups of this.#ups) ups.source.close();
  }
}
