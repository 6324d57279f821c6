/**
 * nut-scanner's usage text of NUT 2.8.0 (show_usage()): the bus options whose library was not
 * found are replaced by one "not enabled" line, and the SNMP v1/v3 and IPMI option groups are
 * listed only when their library is there. The -T default shows the current thread limit.
 * The one addition: later NUT's -Q option line.
 */

export interface ScannerUsageBuses {
  usb: boolean;
  snmp: boolean;
  xmlHttp: boolean;
  avahi: boolean;
  ipmi: boolean;
}

/** The SNMPv3 protocols Debian's 2.8.0 was built with (net-snmp 5.9 has them all). */
const AUTH_PROTOCOLS = "MD5, SHA, SHA256, SHA384, SHA512";
const PRIV_PROTOCOLS = "DES, AES, AES192, AES256";

export function scannerUsage(buses: ScannerUsageBuses, maxThreads: number, defaultTimeout: number): string {
  const lines: string[] = [];
  const add = (line: string) => lines.push(line);
  add("nut-scanner : utility for detection of available power devices.\n");
  add("OPTIONS:");
  add("  -C, --complete_scan: Scan all available devices except serial ports (default).");
  add(buses.usb ? "  -U, --usb_scan: Scan USB devices." : "* Options for USB devices scan not enabled: library not detected.");
  add(buses.snmp ? "  -S, --snmp_scan: Scan SNMP devices using built-in mapping definitions." : "* Options for SNMP devices scan not enabled: library not detected.");
  add(buses.xmlHttp ? "  -M, --xml_scan: Scan XML/HTTP devices." : "* Options for XML/HTTP devices scan not enabled: library not detected.");
  add("  -O, --oldnut_scan: Scan NUT devices (old method).");
  add(buses.avahi ? "  -A, --avahi_scan: Scan NUT devices (avahi method)." : "* Options for NUT devices (avahi method) scan not enabled: library not detected.");
  add(buses.ipmi ? "  -I, --ipmi_scan: Scan IPMI devices." : "* Options for IPMI devices scan not enabled: library not detected.");
  add("  -E, --eaton_serial <serial ports list>: Scan serial Eaton devices (XCP, SHUT and Q1).");
  add(`  -T, --thread <max number of threads>: Limit the amount of scanning threads running simultaneously (default: ${maxThreads}).`);
  add("\nNetwork specific options:");
  add(`  -t, --timeout <timeout in seconds>: network operation timeout (default ${defaultTimeout}).`);
  add("  -s, --start_ip <IP address>: First IP address to scan.");
  add("  -e, --end_ip <IP address>: Last IP address to scan.");
  add("  -m, --mask_cidr <IP address/mask>: Give a range of IP using CIDR notation.");
  if (buses.snmp) {
    add("\nSNMP v1 specific options:");
    add("  -c, --community <community name>: Set SNMP v1 community name (default = public)");
    add("\nSNMP v3 specific options:");
    add("  -l, --secLevel <security level>: Set the securityLevel used for SNMPv3 messages (allowed values: noAuthNoPriv, authNoPriv, authPriv)");
    add("  -u, --secName <security name>: Set the securityName used for authenticated SNMPv3 messages (mandatory if you set secLevel. No default)");
    add(`  -w, --authProtocol <authentication protocol>: Set the authentication protocol (${AUTH_PROTOCOLS}) used for authenticated SNMPv3 messages (default=MD5 if available)`);
    add("  -W, --authPassword <authentication pass phrase>: Set the authentication pass phrase used for authenticated SNMPv3 messages (mandatory if you set secLevel to authNoPriv or authPriv)");
    add(`  -x, --privProtocol <privacy protocol>: Set the privacy protocol (${PRIV_PROTOCOLS}) used for encrypted SNMPv3 messages (default=DES if available)`);
    add("  -X, --privPassword <privacy pass phrase>: Set the privacy pass phrase used for encrypted SNMPv3 messages (mandatory if you set secLevel to authPriv)");
  }
  if (buses.ipmi) {
    add("\nIPMI over LAN specific options:");
    add("  -b, --username <username>: Set the username used for authenticating IPMI over LAN connections (mandatory for IPMI over LAN. No default)");
    add("  -B, --password <password>: Specify the password to use when authenticationg with the remote host (mandatory for IPMI over LAN. No default)");
    add("  -d, --authType <authentication type>: Specify the IPMI 1.5 authentication type to use (NONE, STRAIGHT_PASSWORD_KEY, MD2, and MD5) with the remote host (default=MD5)");
    add("  -L, --cipher_suite_id <cipher suite id>: Specify the IPMI 2.0 cipher suite ID to use, for authentication, integrity, and confidentiality (default=3)");
  }
  add("\nNUT specific options:");
  add("  -p, --port <port number>: Port number of remote NUT upsd");
  add("\ndisplay specific options:");
  // later NUT's -Q line, without its "(default)": the default here is still 2.8.0's -N
  add("  -Q, --disp_nut_conf_with_sanity_check: Display result in the ups.conf format with sanity-check warnings as comments");
  add("  -N, --disp_nut_conf: Display result in the ups.conf format");
  add("  -P, --disp_parsable: Display result in a parsable format");
  add("\nMiscellaneous options:");
  add("  -V, --version: Display NUT version");
  add("  -a, --available: Display available bus that can be scanned");
  add("  -q, --quiet: Display only scan result. No information on currently scanned bus is displayed.");
  add("  -D, --nut_debug_level: Raise the debugging level.  Use this multiple times to see more details.");
  return `${lines.join("\n")}\n`;
}
