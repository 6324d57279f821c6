/**
 * nut-scanner's result model (tools/nut-scanner/nutscan-device.h of NUT 2.8.0): each scan yields
 * devices of one bus type, each a driver, a port and ups.conf options in the order the scan
 * added them. Display order and the parsable type names come from this list.
 */

/** The bus types of 2.8.0 in display order; the names are the parsable format's prefixes. */
export const NUTSCAN_DEVICE_TYPES = ["USB", "SNMP", "XML", "NUT", "IPMI", "AVAHI", "EATON_SERIAL"] as const;
export type NutscanDeviceType = (typeof NUTSCAN_DEVICE_TYPES)[number];

/** One ups.conf option; without a value it prints as a bare flag. */
export interface NutscanOption {
  readonly name: string;
  readonly value?: string;
}

/** One device found by a scan. */
export interface NutscanDevice {
  readonly type: NutscanDeviceType;
  readonly driver: string;
  readonly port: string;
  readonly options: readonly NutscanOption[];
}
