/**
 * How upscmd and upsrw reach a UPS: upscli_splitname() on `ups[@host[:port]]`, then
 * upscli_connect() without STARTTLS (NUT 2.8.0 passes them no TLS flag, so they talk plaintext
 * even to a upsd that offers TLS).
 */
import { parseUpsSystemName } from "../config/ups-system-name.ts";
import { ClientFatalError } from "./client-fatal.ts";
import { NutClient } from "./nut-client.ts";

/** A connection and the UPS name the requests use. */
export interface UpsConnection {
  client: NutClient;
  upsname: string;
}

/** Connects to the UPS named `system`; the failures are the programs' fatals. */
export async function connectToUps(system: string): Promise<UpsConnection> {
  const id = parseUpsSystemName(system);
  if (!id.ok) {
    throw new ClientFatalError("Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]", { preface: `${id.error}\n` });
  }
  try {
    const client = await NutClient.connect({ host: id.host, port: id.port, tls: { mode: "off" } });
    return { client, upsname: id.upsname };
  } catch (err) {
    throw new ClientFatalError(`Error: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
