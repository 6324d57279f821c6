/**
 * What the protocol verbs see of the server (NUT's globals firstups, firstclient, users,
 * descriptions and the tracking list) and of the connection they answer (nut_ctype_t). The verb
 * files (net-*.ts) take these two and nothing else, so they are tested with in-memory fakes.
 */
import type { UpsdUsers } from "../config/upsd-users.ts";
import type { Descriptions } from "./descriptions.ts";
import type { TrackingTable } from "./tracking.ts";
import type { UpsSource } from "./ups-source.ts";
import type { NutLog } from "../system/nut-log.ts";

/** One UPS served by upsd (upstype_t). */
export interface ServedUps {
  /** The ups.conf section name (canonical case). */
  readonly name: string;
  /** ups.conf `desc`, absent when not set. */
  readonly desc: string | undefined;
  readonly source: UpsSource;
  /** The FSD latch: set by the FSD command, cleared only by a restart or removal of the UPS. */
  fsd: boolean;
  /** Connections that did LOGIN to this UPS. */
  numLogins: number;
}

/** One client connection's state (nut_ctype_t). */
export interface NetSession {
  /** Textual peer address (`127.0.0.1`, `::1`). */
  readonly addr: string;
  username?: string;
  password?: string;
  /** Canonical name of the UPS this connection did LOGIN to. */
  loginUps?: string;
  /** SET TRACKING ON on this connection. */
  tracking: boolean;
  /** The connection is inside TLS. */
  ssl: boolean;
  /** Set by LOGOUT: the server closes the connection once the current input is handled. */
  closing: boolean;
  /** Queues one reply line (with its LF); false when the connection can no longer be written. */
  send(line: string): boolean;
}

/** Switching a connection to TLS after `OK STARTTLS` (absent when no certificate is configured). */
export interface StartTls {
  /** Starts the server handshake on the session's socket once the plain reply is written. */
  upgrade(session: NetSession): void;
}

/** The server state the verbs work on. */
export interface UpsdContext {
  /** get_ups_ptr(): the UPS by name, case-insensitively. */
  findUps(name: string): ServedUps | undefined;
  /** Every UPS in LIST UPS order. */
  upsList(): readonly ServedUps[];
  /** Every client connection, newest first (firstclient order). */
  clients(): readonly NetSession[];
  readonly users: UpsdUsers;
  readonly descriptions: Descriptions;
  readonly tracking: TrackingTable;
  readonly log: NutLog;
  /** time(): whole seconds. */
  now(): number;
  /** Present when STARTTLS can be honoured. */
  readonly startTls?: StartTls;
}
