/**
 * What Debian's libupsclient 2.8.0 (an NSS build, clients/upsclient.c upscli_init(),
 * upscli_sslinit() and upscli_tryconnect()) logs while a client connects with STARTTLS tried
 * and no certificate database configured. Clients print these lines on stderr in the foreground
 * so that their stderr reads as Debian's.
 */

/** upscli_init() without CERTPATH: logged once per process, before the first STARTTLS. */
export const NSS_INIT_LOG = "Init SSL without certificate database\n";

/** The lines of a TLS session set up without certificate verification. */
export function tlsSessionLog(host: string): string {
  return (
    `Connecting in SSL to '${host}' (no certificate name specified)\n` +
    `Do not intend to authenticate server ${host}\n` +
    `SSL handshake done successfully with server ${host}\n` +
    `Connected to NUT server ${host} in SSL\n` +
    "Certificate verification is disabled\n"
  );
}

/**
 * The lines of a connection lost during STARTTLS: a failed handshake (error UNKNOWN) was begun
 * with the `Connecting in SSL` line; any failure ends with the disconnect notice.
 */
export function tlsFailureLog(err: unknown, host: string): string {
  const handshake = (err as { code?: unknown }).code === "UNKNOWN" ? `Connecting in SSL to '${host}' (no certificate name specified)\n` : "";
  return `${handshake}Error while connecting to NUT server ${host}, disconnect\n`;
}
