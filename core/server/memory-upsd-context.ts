/**
 * An UpsdContext and NetSession kept in memory, so each verb file can be exercised without
 * sockets: sessions collect their reply text, UPSes are MemoryUpsSources.
 */
import { parseUpsdUsers, type UpsdUsers } from "../config/upsd-users.ts";
import { Descriptions } from "./descriptions.ts";
import { dispatchRequest } from "./net-commands.ts";
import { MemoryUpsSource } from "./memory-ups-source.ts";
import { TrackingTable } from "./tracking.ts";
import type { NetSession, ServedUps, StartTls, UpsdContext } from "./upsd-context.ts";
import { MemoryNutLog } from "../system/nut-log.ts";

/** A NetSession whose replies are kept as text. */
export class MemorySession implements NetSession {
  readonly addr: string;
  username?: string;
  password?: string;
  loginUps?: string;
  tracking = false;
  ssl = false;
  closing = false;
  output = "";

  constructor(addr = "127.0.0.1") {
    this.addr = addr;
  }

  send(line: string): boolean {
    this.output += line;
    return true;
  }

  /** Returns and clears what was sent. */
  take(): string {
    const text = this.output;
    this.output = "";
    return text;
  }
}

/** A served UPS backed by a MemoryUpsSource. */
export interface MemoryUps extends ServedUps {
  readonly source: MemoryUpsSource;
}

/** An UpsdContext in memory. */
export class MemoryUpsdContext implements UpsdContext {
  readonly ups: MemoryUps[] = [];
  readonly sessions: MemorySession[] = [];
  users: UpsdUsers;
  descriptions: Descriptions = Descriptions.embedded();
  readonly tracking = new TrackingTable();
  readonly log = new MemoryNutLog();
  startTls?: StartTls;
  clock = 1_700_000_000;

  constructor(usersText = "") {
    this.users = parseUpsdUsers(usersText, "upsd.users").config;
  }

  /** Adds a UPS (connected, fresh, empty tree). */
  addUps(name: string, desc?: string): MemoryUps {
    const ups: MemoryUps = { name, desc, source: new MemoryUpsSource(name), fsd: false, numLogins: 0 };
    ups.source.onTracking((id, status) => this.tracking.set(id, status));
    this.ups.push(ups);
    return ups;
  }

  /** A new connection (newest first in clients()). */
  connect(addr = "127.0.0.1"): MemorySession {
    const session = new MemorySession(addr);
    this.sessions.unshift(session);
    return session;
  }

  /** Runs one request line (already split into words) and returns the reply text. */
  request(session: MemorySession, ...words: string[]): string {
    dispatchRequest(this, session, words);
    return session.take();
  }

  findUps(name: string): MemoryUps | undefined {
    return this.ups.find((u) => u.name.toLowerCase() === name.toLowerCase());
  }

  upsList(): readonly ServedUps[] {
    return this.ups;
  }

  clients(): readonly NetSession[] {
    return this.sessions;
  }

  now(): number {
    return this.clock;
  }
}
