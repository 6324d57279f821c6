// Our localtime() + strftime() (upslog's %TIME …%) against the C library Debian's NUT runs on:
// generated formats (every conversion, flags, widths, E/O modifiers, unknown conversions, a
// trailing %) at generated instants, under IANA zones (zone files with their footers), POSIX TZ
// strings and the unset/empty TZ, each compared with glibc's time.strftime(fmt,
// time.localtime(t)) through Debian's python3. Not covered: a POSIX TZ naming DST without rules
// (`ABC3DEF`), for which glibc copies the transitions of the `posixrules` zone file while we use
// the U.S. rules since 2007.
import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { strftime } from "../../core/client/strftime.ts";
import { LocalTimeZone } from "../../core/system/local-time.ts";
import { prng } from "../harness/prng.ts";

const PYTHON = "/usr/bin/python3";

const ZONES: readonly (string | undefined)[] = [
  undefined,
  "",
  "UTC",
  "Europe/Berlin",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Lisbon",
  "America/New_York",
  "America/St_Johns",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Africa/Casablanca",
  "Antarctica/Troll",
  ":Europe/Paris",
  "/usr/share/zoneinfo/Asia/Tokyo",
  "EST5EDT",
  "<+0530>-5:30",
  "XYZ-3",
  "NZST-12NZDT,M9.5.0,M4.1.0/3",
  "AAA3BBB,J60/1,J300/-1",
  "CCC-2DDD,10,200/26",
  "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
  "garbage",
];

const CONVERSIONS = [..."aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%QqEO"];
const FLAGS = ["", "", "", "_", "-", "0", "^", "#", "^#", "-0"];

/** Python side: one JSON array of [tz|null, instant, format] in, one JSON array of results out. */
const SCRIPT = `
import json, os, sys, time
out = []
current = object()
for tz, t, fmt in json.load(sys.stdin):
    if tz != current:
        if tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = tz
        time.tzset()
        current = tz
    out.append(time.strftime(fmt, time.localtime(t)))
json.dump(out, sys.stdout)
`;

test.skipIf(!existsSync(PYTHON))("localtime() + strftime() equal glibc's for generated formats, instants and zones", () => {
  const random = prng(20240601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const format = (): string => {
    let f = "";
    const n = 1 + Math.floor(random() * 6);
    for (let i = 0; i < n; i++) {
      f += `%${pick(FLAGS)}`;
      if (random() < 0.3) f += String(Math.floor(random() * 12));
      if (random() < 0.15) f += random() < 0.5 ? "E" : "O";
      f += pick(CONVERSIONS);
      if (random() < 0.5) f += pick([" ", "-", ":", "x"]);
    }
    return random() < 0.05 ? `${f}%` : f;
  };
  // 1938..2096, and the instants around the EU and U.S. changes of 2024
  const edges = [0, -1, 1711846799, 1711846800, 1729990799, 1729990800, 1710054000, 1730613600, 2147483647, 2147483648, 1704067199, 1704067200];
  const cases: [string | null, number, string][] = [];
  for (const tz of ZONES) {
    for (let i = 0; i < 250; i++) {
      const t = i < edges.length ? edges[i]! : Math.floor(random() * 4e9) - 1e9;
      cases.push([tz ?? null, t, format()]);
    }
  }
  const python = Bun.spawnSync([PYTHON, "-c", SCRIPT], { stdin: Buffer.from(JSON.stringify(cases)), stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  expect(python.stderr.toString()).toBe("");
  const glibc = JSON.parse(python.stdout.toString()) as string[];
  expect(glibc.length).toBe(cases.length);
  const zones = new Map<string | null, LocalTimeZone>();
  const differences: string[] = [];
  cases.forEach(([tz, t, fmt], i) => {
    let zone = zones.get(tz);
    if (!zone) {
      const env: Record<string, string | undefined> = { ...process.env };
      if (tz === null) delete env.TZ;
      else env.TZ = tz;
      zone = LocalTimeZone.fromEnvironment(env);
      zones.set(tz, zone);
    }
    const ours = strftime(fmt, zone.localtime(t), 1 << 20) ?? "";
    if (ours !== glibc[i]) differences.push(`TZ=${tz} t=${t} ${JSON.stringify(fmt)}: glibc ${JSON.stringify(glibc[i])}, ours ${JSON.stringify(ours)}`);
  });
  expect(differences).toEqual([]);
  expect(cases.length).toBe(ZONES.length * 250);
});
