/**
 * upsmon's connection to upsd for one MONITOR line (try_connect(), do_upsd_auth(), get_var(),
 * setfsd() of clients/upsmon.c), through the client library only: connect with STARTTLS as
 * FORCESSL / CERTVERIFY / CERTHOST say, log in with USERNAME, PASSWORD, LOGIN and, for a
 * primary, PRIMARY (or MASTER for older servers). A failed login is logged and polling goes on
 * without it, as NUT does (the primary then cannot set FSD).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { UpsmonConf, UpsmonMonitor } from "../config/upsmon-conf.ts";
import { NutClient, type NutTlsOptions } from "../client/nut-client.ts";
import type { NutLog } from "../system/nut-log.ts";

/** What the monitor loop needs of a connection (a seam for tests). */
export interface UpsLink {
  readonly connected: boolean;
  /** Connects and logs in; throws (with libupsclient's text) when no connection was made. */
  connect(): Promise<void>;
  /** GET VAR <ups> <name>. */
  getVar(name: string): Promise<string>;
  /** FSD <ups>. */
  setFsd(): Promise<void>;
  /** GET NUMLOGINS <ups>. */
  numLogins(): Promise<number>;
  /** Closes the connection, after LOGOUT when `logout`. */
  close(logout: boolean): Promise<void>;
}

/** How long upsmon waits for a reply (its 10 s alarm around each poll). */
const REPLY_TIMEOUT_MS = 10_000;

/** CA certificates from CERTPATH: a PEM file, or every PEM file in a directory. */
function loadCertPath(certPath: string): string[] {
  const st = statSync(certPath);
  if (st.isFile()) return [readFileSync(certPath, "latin1")];
  return readdirSync(certPath)
    .filter((f) => /\.(pem|crt)$/i.test(f))
    .map((f) => readFileSync(join(certPath, f), "latin1"))
    .filter((text) => text.includes("-----BEGIN CERTIFICATE-----"));
}

/** The TLS policy for one host: FORCESSL/CERTVERIFY, overridden by a CERTHOST line for it. */
export function tlsOptionsFor(conf: Pick<UpsmonConf, "forceSsl" | "certVerify" | "certHosts" | "certPath">, host: string): NutTlsOptions {
  let force = conf.forceSsl;
  let verify = conf.certVerify;
  let certName: string | undefined;
  for (const h of conf.certHosts) {
    if (h.host === host) {
      force = h.forceSsl;
      verify = h.certVerify;
      certName = h.certName;
    }
  }
  const options: NutTlsOptions = { mode: force ? "require" : "try" };
  if (verify) {
    options.verify = true;
    if (conf.certPath !== undefined) options.ca = loadCertPath(conf.certPath);
  }
  if (certName !== undefined) options.certName = certName;
  return options;
}

export class NutUpsLink implements UpsLink {
  readonly #monitor: UpsmonMonitor;
  readonly #conf: Pick<UpsmonConf, "forceSsl" | "certVerify" | "certHosts" | "certPath">;
  readonly #log: NutLog;
  readonly #family: 4 | 6 | undefined;
  #client: NutClient | undefined;

  constructor(monitor: UpsmonMonitor, conf: Pick<UpsmonConf, "forceSsl" | "certVerify" | "certHosts" | "certPath">, log: NutLog, family?: 4 | 6) {
    this.#monitor = monitor;
    this.#conf = conf;
    this.#log = log;
    this.#family = family;
  }

  get connected(): boolean {
    return this.#client !== undefined && !this.#client.closed;
  }

  async connect(): Promise<void> {
    const m = this.#monitor;
    const tls = tlsOptionsFor(this.#conf, m.host);
    if (tls.verify && this.#conf.certPath === undefined) {
      this.#log.error("Configuration error: CERTVERIFY is set, but CERTPATH isn't");
      throw new Error(`UPS [${m.system}]: Connection impossible, dropping link`);
    }
    const client = await NutClient.connect({ host: m.host, port: m.port, tls, readTimeoutMs: REPLY_TIMEOUT_MS, timeoutMs: REPLY_TIMEOUT_MS, ...(this.#family ? { family: this.#family } : {}) });
    this.#client = client;
    try {
      await client.username(m.user);
    } catch (err) {
      this.#log.error(`Set username on [${m.system}] failed - got [${replyOf(err)}]`);
      return;
    }
    try {
      await client.password(m.password);
    } catch (err) {
      this.#log.error(`Set password on [${m.system}] failed - got [${replyOf(err)}]`);
      return;
    }
    try {
      await client.login(m.upsname);
    } catch (err) {
      this.#log.error(`Login on UPS [${m.system}] failed - got [${replyOf(err)}]`);
      return;
    }
    if (m.role === "primary") {
      try {
        await client.primary(m.upsname);
      } catch (err) {
        this.#log.error(`Primary managerial privileges unavailable on UPS [${m.system}]`);
        this.#log.error(`Response: [${replyOf(err)}]`);
      }
    }
    this.#log.debug(1, `Logged into UPS ${m.system}`);
  }

  #open(): NutClient {
    if (!this.#client) throw new Error("not connected");
    return this.#client;
  }

  getVar(name: string): Promise<string> {
    return this.#open().getVar(this.#monitor.upsname, name);
  }

  setFsd(): Promise<void> {
    return this.#open().fsd(this.#monitor.upsname);
  }

  numLogins(): Promise<number> {
    return this.#open().getNumLogins(this.#monitor.upsname);
  }

  async close(logout: boolean): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    if (logout) await client.logout().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

/** The reply line of a failed request, as upsmon prints it. */
function replyOf(err: unknown): string {
  const reply = (err as { reply?: unknown }).reply;
  return typeof reply === "string" ? reply : err instanceof Error ? err.message : String(err);
}
