import { describe, expect, test } from "bun:test";
import { cidrToRange } from "./cidr-range.ts";

describe("nutscan_cidr_to_ip", () => {
  test("IPv4 networks", () => {
    expect(cidrToRange("192.168.1.77/24")).toEqual({ kind: "range", start: "192.168.1.0", stop: "192.168.1.255" });
    expect(cidrToRange("10.1.2.3/32")).toEqual({ kind: "range", start: "10.1.2.3", stop: "10.1.2.3" });
    expect(cidrToRange("10.1.2.3/1")).toEqual({ kind: "range", start: "0.0.0.0", stop: "127.255.255.255" });
  });
  test("IPv6 networks", () => {
    expect(cidrToRange("fe80::1/64")).toEqual({ kind: "range", start: "fe80::", stop: "fe80::ffff:ffff:ffff:ffff" });
  });
  test("missing parts and bad masks", () => {
    expect(cidrToRange("10.0.0.1")).toEqual({ kind: "none", warning: "WARNING: nutscan_cidr_to_ip failed to parse mask from cidr=10.0.0.1 (first_ip=10.0.0.1)" });
    expect(cidrToRange("10.0.0.0/0")).toEqual({ kind: "fatal", message: "Bad netmask: 0" });
    expect(cidrToRange("not-an-ip/8")).toEqual({ kind: "none" });
  });
});
