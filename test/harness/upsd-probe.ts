/**
 * Short questions to a running upsd on 127.0.0.1 through nut-ts's NutClient: one variable, the
 * number of logins on a UPS, and waiting (bounded) until a UPS's status reads a given value.
 * Every connection is closed before returning; a refused connection or an ERR reply counts as
 * "no answer" (undefined), never as an exception, so callers can poll.
 */
import { NutClient } from "../../core/client/nut-client.ts";

const CONNECT_TIMEOUT_MS = 2000;
const READ_TIMEOUT_MS = 2000;

async function withClient<T>(port: number, ask: (client: NutClient) => Promise<T>): Promise<T | undefined> {
  let client: NutClient | undefined;
  try {
    client = await NutClient.connect({ host: "127.0.0.1", port, timeoutMs: CONNECT_TIMEOUT_MS, readTimeoutMs: READ_TIMEOUT_MS });
    return await ask(client);
  } catch {
    return undefined;
  } finally {
    await client?.close();
  }
}

/** `GET VAR <ups> <name>`; undefined when upsd does not answer with a value. */
export function upsdVar(port: number, ups: string, name: string): Promise<string | undefined> {
  return withClient(port, (c) => c.getVar(ups, name));
}

/** `GET NUMLOGINS <ups>`; undefined when upsd does not answer with a number. */
export function upsdNumLogins(port: number, ups: string): Promise<number | undefined> {
  return withClient(port, (c) => c.getNumLogins(ups));
}

/**
 * Whether `seen` (a ups.status value) has every token of `wanted`: a primary upsmon may already
 * have added FSD by the time a poller looks.
 */
export function statusHas(seen: string, wanted: string): boolean {
  const tokens = new Set(seen.split(" "));
  return wanted.split(" ").every((t) => tokens.has(t));
}

/**
 * Polls `ups.status` of `ups` every `everyMs` over one connection (reconnecting if it drops)
 * until it has every token of `status` (statusHas); resolves with the Date.now() of the first
 * matching answer, or undefined after `timeoutMs`.
 */
export async function waitForUpsdStatus(port: number, ups: string, status: string, timeoutMs: number, everyMs = 20): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let client: NutClient | undefined;
  try {
    while (Date.now() < deadline) {
      try {
        client ??= await NutClient.connect({ host: "127.0.0.1", port, timeoutMs: CONNECT_TIMEOUT_MS, readTimeoutMs: READ_TIMEOUT_MS });
        if (statusHas(await client.getVar(ups, "ups.status"), status)) return Date.now();
      } catch {
        // ERR (e.g. DATA-STALE) keeps the connection; a dropped one is opened again
        if (client !== undefined && !(await stillUsable(client))) {
          await client.close();
          client = undefined;
        }
      }
      await Bun.sleep(everyMs);
    }
    return undefined;
  } finally {
    await client?.close();
  }
}

/** Whether a connection still answers (VER needs no UPS). */
async function stillUsable(client: NutClient): Promise<boolean> {
  try {
    await client.ver();
    return true;
  } catch {
    return false;
  }
}
