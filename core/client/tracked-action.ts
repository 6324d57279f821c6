/**
 * The write half of upscmd and upsrw (clients/upscmd.c and clients/upsrw.c in NUT 2.8.0):
 * `USERNAME` and `PASSWORD` (replies read but not judged: upsd says whether they were good only
 * when the action is refused), `SET TRACKING ON` for `-w`, the action line itself, then for `-w`
 * `GET TRACKING <id>` once a second until the answer is no longer PENDING. Every failure is a
 * ClientFatalError carrying the program's own text; the result line (`OK`, `SUCCESS`, even
 * `ERR UNKNOWN` after `-w`) is returned for the caller to print on stderr, as 2.8.0 does,
 * with exit status 0.
 */
import { UpscliError } from "../protocol/net-error.ts";
import { ClientFatalError } from "./client-fatal.ts";
import type { NutClient } from "./nut-client.ts";

/** What the write half needs of a connection. */
export type ActionClient = Pick<NutClient, "request">;

/** upscmd's and upsrw's default `-t` (DEFAULT_TRACKING_TIMEOUT, seconds). */
export const DEFAULT_TRACKING_TIMEOUT = 10;

/** The messages that differ between upscmd and upsrw. */
export interface ActionTexts {
  /** `Can't enable … status tracking` (sending SET TRACKING ON failed). */
  trackingSend: string;
  /** `Enabling … status tracking failed` (its reply could not be read; `. upsd answered: ` when refused). */
  trackingRead: string;
  /** The action could not be sent. */
  actionSend: string;
  /** Its reply could not be read. */
  actionRead: string;
}

/** upscmd's texts. */
export const INSTCMD_TEXTS: ActionTexts = {
  trackingSend: "Can't enable command status tracking",
  trackingRead: "Enabling command status tracking failed",
  actionSend: "Can't send instant command",
  actionRead: "Instant command failed",
};

/** upsrw's texts. */
export const SET_VAR_TEXTS: ActionTexts = {
  trackingSend: "Can't enable set variable status tracking",
  trackingRead: "Enabling set variable status tracking failed",
  actionSend: "Can't set variable",
  actionRead: "Set variable failed",
};

/**
 * Whether a failed request failed in upscli_sendline() (the connection already closed, a write
 * error, a line libupsclient cannot send) rather than in upscli_readline().
 */
function failedToSend(err: unknown): boolean {
  return err instanceof UpscliError && (err.code === "WRITE" || err.code === "DRVNOTCONN" || err.code === "INVALIDARG" || err.code === "SENDFAILURE");
}

/** One request line and its reply line, failures named `<sendText>: <error>` / `<readText>: <error>`. */
async function exchange(client: ActionClient, line: string, sendText: string, readText: string, timeoutMs?: number): Promise<string> {
  try {
    return (await client.request(line, timeoutMs === undefined ? {} : { timeoutMs })).line;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    throw new ClientFatalError(`${failedToSend(err) ? sendText : readText}: ${text}`, { cause: err });
  }
}

/** USERNAME and PASSWORD, sent raw; only a transport failure is fatal. */
export async function sendCredentials(client: ActionClient, username: string, password: string): Promise<void> {
  await exchange(client, `USERNAME ${username}`, "Can't set username", "Set username failed");
  await exchange(client, `PASSWORD ${password}`, "Can't set password", "Set password failed");
}

/** `-w`: SET TRACKING ON, which must be answered `OK…`. */
export async function enableTracking(client: ActionClient, texts: ActionTexts): Promise<void> {
  const reply = await exchange(client, "SET TRACKING ON", texts.trackingSend, texts.trackingRead);
  if (!reply.startsWith("OK")) throw new ClientFatalError(`${texts.trackingRead}. upsd answered: ${reply}`);
}

/** `OK TRACKING ` + a 36-character id: the only reply upscmd and upsrw follow up with GET TRACKING. */
const TRACKING_PREFIX = "OK TRACKING ";
const TRACKING_ID_LENGTH = 36;

/** How long setTimeout() can wait (larger values fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Clock and sleep of the tracking loop (tests pass fakes). */
export interface TrackingClock {
  /** time(): whole seconds. */
  nowSeconds(): number;
  sleep(ms: number): Promise<void>;
}

const SYSTEM_CLOCK: TrackingClock = {
  nowSeconds: () => Math.floor(Date.now() / 1000),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How the action's result is waited for. */
export interface TrackingOptions {
  /** `-w` (SET TRACKING ON must already have been sent). */
  enabled: boolean;
  /** `-t`, seconds. */
  timeoutSeconds: number;
  clock?: TrackingClock;
}

/**
 * Sends the action line (`INSTCMD …` or `SET VAR …`) and returns the line to print: the reply,
 * or with `-w` and a tracking id the final GET TRACKING answer. A reply not starting with `OK`
 * is fatal (`Unexpected response from upsd: <reply>`).
 */
export async function runAction(client: ActionClient, line: string, texts: ActionTexts, tracking: TrackingOptions): Promise<string> {
  const reply = await exchange(client, line, texts.actionSend, texts.actionRead);
  if (!reply.startsWith("OK")) throw new ClientFatalError(`Unexpected response from upsd: ${reply}`);
  if (!tracking.enabled || reply.length !== TRACKING_PREFIX.length + TRACKING_ID_LENGTH) return reply;
  const id = reply.slice(TRACKING_PREFIX.length);
  const clock = tracking.clock ?? SYSTEM_CLOCK;
  const timeoutMs = Math.min(tracking.timeoutSeconds * 1000, MAX_TIMER_MS);
  const start = clock.nowSeconds();
  for (;;) {
    if (clock.nowSeconds() - start >= tracking.timeoutSeconds) {
      throw new ClientFatalError("Can't receive status tracking information: timeout");
    }
    const status = await exchange(client, `GET TRACKING ${id}`, "Can't send status tracking request", "Can't receive status tracking information", timeoutMs);
    if (!status.startsWith("PENDING")) return status;
    await clock.sleep(1000);
  }
}

/** str_to_uint(text, &n, 10) of NUT's common/str.c: the value, or strerror() of the errno it sets. */
export function parseUnsignedInt(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, "").replace(/[ \t\n\v\f\r]+$/, "");
  if (!/^[0-9]+$/.test(trimmed)) return { ok: false, error: "Invalid argument" };
  const value = BigInt(trimmed);
  if (value > 0xffffffffn) return { ok: false, error: "Numerical result out of range" };
  return { ok: true, value: Number(value) };
}
