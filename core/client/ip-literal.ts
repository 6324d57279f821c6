/** Telling address literals from host names without node:net (whose import costs ~20 ms of start-up). */

/**
 * net.isIP() without loading node:net: 4 for a dotted quad, 6 for an IPv6 literal (with or
 * without a `%zone`), 0 for anything else (a name).
 */
export function ipFamily(host: string): 0 | 4 | 6 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host)) return 4;
  if (!host.includes(":")) return 0;
  const address = host.replace(/%[^%]*$/, "");
  if (!/^[0-9A-Fa-f:.]+$/.test(address)) return 0;
  // the URL parser knows every IPv6 spelling (::, embedded IPv4, …)
  return URL.canParse(`http://[${address}]/`) ? 6 : 0;
}
