// ipFamily() must agree with node:net's isIP(), which it replaces to keep node:net out of start-up.
import { describe, expect, test } from "bun:test";
import { isIP } from "node:net";
import { ipFamily } from "./ip-literal.ts";

describe("ipFamily", () => {
  const samples = [
    "127.0.0.1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "1.2.3.04",
    "::1", "::", "fe80::1", "fe80::1%eth0", "::ffff:127.0.0.1", "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9", ":::1", "[::1]", "gggg::1", "localhost", "ups.example.com", "3493", "", "1.2.3.4:80", "::1]",
  ];
  test.each(samples)("%p as node:net sees it", (host) => {
    expect(ipFamily(host)).toBe(isIP(host) as 0 | 4 | 6);
  });
});
