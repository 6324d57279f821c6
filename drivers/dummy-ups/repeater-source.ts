/**
 * dummy-ups repeater mode (`port = ups@host[:port]`, NUT FAQ's proxy set-up): every update
 * lists the upstream UPS's variables and republishes them (driver.* excepted), as 2.8.0 does.
 * Beyond 2.8.0, when `username`/`password` are configured the repeater logs in upstream and
 * passes SET and INSTCMD on, and mirrors the upstream command list so `upscmd -l` shows it. Also
 * beyond 2.8.0 (whose repeater keeps serving the last values as fresh): while the upstream cannot
 * be read the data is marked stale, so clients of our upsd get `ERR DATA-STALE`.
 */
import { parseUpsSystemName } from "../../core/config/ups-system-name.ts";
import { NutClient } from "../../core/client/nut-client.ts";
import { NutProtocolError, UpscliError } from "../../core/protocol/net-error.ts";
import { type DriverContext, DriverFatalError, type HandlerStatus, STAT_FAILED, STAT_HANDLED, STAT_INVALID, STAT_UNKNOWN } from "../framework/driver.ts";

/** Upstream replies to SET/INSTCMD as the handler status upsd reports back (TRACKING). */
function statusOf(err: unknown): HandlerStatus {
  if (err instanceof NutProtocolError) {
    switch (err.token) {
      case "CMD-NOT-SUPPORTED":
      case "VAR-NOT-SUPPORTED":
        return STAT_UNKNOWN;
      case "INVALID-ARGUMENT":
      case "INVALID-VALUE":
      case "READONLY":
      case "TOO-LONG":
        return STAT_INVALID;
    }
  }
  return STAT_FAILED;
}

/** The upstream side of a repeater. */
export class RepeaterSource {
  readonly #ctx: DriverContext;
  readonly #set: (name: string, value: string) => HandlerStatus;
  readonly #upsName: string;
  readonly #host: string;
  readonly #port: number;
  readonly #username: string | undefined;
  readonly #password: string | undefined;
  #client: NutClient | undefined;

  constructor(ctx: DriverContext, set: (name: string, value: string) => HandlerStatus) {
    this.#ctx = ctx;
    this.#set = set;
    const name = parseUpsSystemName(ctx.devicePath);
    if (!name.ok) throw new DriverFatalError("Error: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]");
    this.#upsName = name.upsname;
    this.#host = name.host;
    this.#port = name.port;
    this.#username = ctx.getVal("username");
    this.#password = ctx.getVal("password");
  }

  /** Logged in upstream: SET and INSTCMD are passed on and the command list is the upstream's. */
  get forwarding(): boolean {
    return this.#username !== undefined && this.#password !== undefined;
  }

  async #connect(): Promise<NutClient> {
    // libupsclient's UPSCLI_CONN_TRYSSL: STARTTLS if the server offers it, plaintext otherwise
    const client = await NutClient.connect({ host: this.#host, port: this.#port, tls: { mode: "try" } });
    if (this.forwarding) {
      await client.username(this.#username!);
      await client.password(this.#password!);
    }
    return client;
  }

  /** Connects and reads the first data; failures end the driver, as in 2.8.0's initinfo. */
  async start(): Promise<void> {
    try {
      this.#client = await this.#connect();
      this.#ctx.log.debug(1, `Connected to ${this.#upsName}@${this.#host}`);
      await this.#pull(this.#client);
    } catch (err) {
      if (err instanceof NutProtocolError && err.token === "UNKNOWN-COMMAND") {
        throw new DriverFatalError("Error: upsd is too old to support this query");
      }
      throw new DriverFatalError(`Error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async #pull(client: NutClient): Promise<void> {
    for (const { name, value } of await client.listVar(this.#upsName)) {
      // do not override the repeater's own driver.* collection
      if (!name.startsWith("driver.")) this.#set(name, value);
    }
    if (this.forwarding) {
      const state = this.#ctx.state;
      const upstream = new Set((await client.listCmd(this.#upsName)).map((c) => c.toLowerCase()));
      for (const cmd of upstream) state.addCmd(cmd);
      // exactly the upstream's list: a command upstream lacks (dummy-ups' own load.off too) would
      // be accepted by our upsd and then refused upstream
      for (const cmd of state.tree.commands()) if (!upstream.has(cmd.toLowerCase())) state.delCmd(cmd);
    }
  }

  /**
   * One update; false after a failure (the connection is then re-made for the next update), on
   * which the caller marks the data stale.
   */
  async update(): Promise<boolean> {
    try {
      this.#client ??= await this.#connect();
      await this.#pull(this.#client);
      return true;
    } catch (err) {
      this.#ctx.log.debug(1, `Error: ${err instanceof UpscliError ? err.message : String(err)}`);
      await this.#client?.close().catch(() => undefined);
      this.#client = undefined;
      try {
        this.#client = await this.#connect();
        this.#ctx.log.debug(1, "Reconnected");
      } catch (reconnectError) {
        this.#ctx.log.debug(1, `Error reconnecting: ${(reconnectError as Error).message}`);
      }
      return false;
    }
  }

  async close(): Promise<void> {
    await this.#client?.close().catch(() => undefined);
    this.#client = undefined;
  }

  /** INSTCMD passed upstream when logged in; otherwise unknown, as 2.8.0's repeater. */
  async instCmd(name: string, param: string | undefined): Promise<HandlerStatus> {
    if (!this.forwarding || !this.#client) {
      this.#ctx.log.notice(`instcmd: unknown command [${name}] [${param ?? "(null)"}]`);
      return STAT_UNKNOWN;
    }
    try {
      await this.#client.instCmd(this.#upsName, name, param);
      return STAT_HANDLED;
    } catch (err) {
      this.#ctx.log.notice(`instcmd: upstream refused [${name}]: ${(err as Error).message}`);
      return statusOf(err);
    }
  }

  /** SET passed upstream when logged in; the new value comes back with the next update. */
  async setVar(name: string, value: string): Promise<HandlerStatus> {
    if (!this.forwarding || !this.#client) return STAT_UNKNOWN;
    try {
      await this.#client.setVar(this.#upsName, name, value);
      return STAT_HANDLED;
    } catch (err) {
      this.#ctx.log.notice(`setvar: upstream refused [${name}]: ${(err as Error).message}`);
      return statusOf(err);
    }
  }
}
