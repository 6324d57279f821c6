import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { copyDebianSample } from "../../test/harness/debian-samples.ts";
import type { ConfigDiagnostic } from "./config-diagnostic.ts";
import {
  DEFAULT_NOTIFY_MESSAGES,
  NOTIFY_FLAGS,
  NOTIFY_TYPES,
  NOTIFY_TYPE_SINCE,
  defaultNotifyFlags,
  defaultUpsmonConf,
  findNotifyType,
  parseUpsmonConf,
} from "./upsmon-conf.ts";

const FILE = "/etc/nut/upsmon.conf";

/** The three lines that keep the whole-file checks quiet. */
const BASE = ["MONITOR ups@localhost 1 monuser secret primary", 'SHUTDOWNCMD "/sbin/shutdown -h +0"', "POWERDOWNFLAG /etc/killpower"];

function parse(lines: string[]) {
  return parseUpsmonConf(`${lines.join("\n")}\n`, FILE);
}

/** The diagnostics as [line, severity, message] rows, for exact comparison. */
function rows(diagnostics: readonly ConfigDiagnostic[], file = FILE): [number, string, string][] {
  for (const d of diagnostics) expect(d.file).toBe(file);
  return diagnostics.map((d) => [d.line, d.severity, d.message]);
}

describe("parseUpsmonConf() on Debian's sample", () => {
  test("the values Debian's upsmon.conf sets, and the two findings NUT itself makes about it", () => {
    const path = copyDebianSample("upsmon.conf");
    const { config, diagnostics } = parseUpsmonConf(readFileSync(path), path);
    expect(config.minSupplies).toBe(1);
    expect(config.shutdownCmd).toBe("/sbin/shutdown -h +0");
    expect(config.pollFreq).toBe(5);
    expect(config.pollFreqAlert).toBe(5);
    expect(config.hostSync).toBe(15);
    expect(config.deadTime).toBe(15);
    expect(config.powerDownFlag).toBe("/etc/killpower");
    expect(config.rbWarnTime).toBe(43200);
    expect(config.noCommWarnTime).toBe(300);
    expect(config.finalDelay).toBe(5);
    expect(config.lines).toEqual({
      MINSUPPLIES: 135,
      SHUTDOWNCMD: 152,
      POLLFREQ: 187,
      POLLFREQALERT: 200,
      HOSTSYNC: 217,
      DEADTIME: 236,
      POWERDOWNFLAG: 251,
      RBWARNTIME: 324,
      NOCOMMWARNTIME: 334,
      FINALDELAY: 354,
    });
    expect(config.monitors).toEqual([]);
    expect(config.notify).toEqual(defaultUpsmonConf().notify);
    // The sample has no MONITOR line, so 2.8.0's upsmon refuses it: "Fatal error: insufficient
    // power configured!" (sum 0 < MINSUPPLIES 1). Nothing else is wrong with it.
    expect(rows(diagnostics, path)).toEqual([
      [0, "warning", "no usable MONITOR line: upsmon has no UPS to watch"],
      [0, "fatal", "Fatal error: insufficient power configured! Sum of power values (0) is less than MINSUPPLIES (1)"],
    ]);
  });

  test("the sample plus one MONITOR line is clean", () => {
    const path = copyDebianSample("upsmon.conf");
    const text = `${readFileSync(path, "utf8")}MONITOR myups@localhost 1 upsmon pass primary\n`;
    const { config, diagnostics } = parseUpsmonConf(text, path);
    expect(diagnostics).toEqual([]);
    expect(config.monitors).toEqual([
      {
        system: "myups@localhost",
        upsname: "myups",
        host: "localhost",
        port: 3493,
        powerValue: 1,
        user: "upsmon",
        password: "pass",
        role: "primary",
        line: 454,
      },
    ]);
  });
});

describe("parseUpsmonConf() defaults (clients/upsmon.c globals)", () => {
  test("an empty file gives NUT's defaults", () => {
    const { config } = parseUpsmonConf("", FILE);
    expect(config).toEqual(defaultUpsmonConf());
    expect(config).toMatchObject({
      minSupplies: 1,
      pollFreq: 5,
      pollFreqAlert: 5,
      hostSync: 15,
      deadTime: 15,
      rbWarnTime: 43200,
      noCommWarnTime: 300,
      finalDelay: 5,
      offDuration: 30,
      overDuration: -1,
      oblbDuration: 0,
      alarmCritical: true,
      pollFailLogThrottleMax: -1,
      shutdownExit: 0,
      certVerify: false,
      forceSsl: false,
      certHosts: [],
      monitors: [],
      totalPowerValue: 0,
    });
    for (const key of ["shutdownCmd", "notifyCmd", "powerDownFlag", "runAsUser", "certPath", "certIdent", "debugMin"]) {
      expect(Object.hasOwn(config, key)).toBe(false);
    }
  });

  test("an empty file gets NUT's whole-file findings", () => {
    expect(rows(parseUpsmonConf("", FILE).diagnostics)).toEqual([
      [0, "warning", "no usable MONITOR line: upsmon has no UPS to watch"],
      [0, "warning", "Warning: no shutdown command defined!"],
      [0, "warning", `No POWERDOWNFLAG value was configured in ${FILE}!`],
      [0, "fatal", "Fatal error: insufficient power configured! Sum of power values (0) is less than MINSUPPLIES (1)"],
    ]);
  });

  test("every notify type starts with its stock message and SYSLOG+WALL (CAL: SYSLOG, as in 2.8.0)", () => {
    const { notify } = defaultUpsmonConf();
    expect(Object.keys(notify)).toEqual([...NOTIFY_TYPES]);
    expect(notify.ONLINE).toEqual({ message: "UPS %s on line power", flags: ["SYSLOG", "WALL"] });
    expect(notify.SHUTDOWN).toEqual({ message: "Auto logout and shutdown proceeding", flags: ["SYSLOG", "WALL"] });
    expect(notify.CAL).toEqual({ message: "UPS %s: calibration in progress", flags: ["SYSLOG"] });
    expect(defaultNotifyFlags("NOTCAL")).toEqual(["SYSLOG", "WALL"]);
  });
});

describe("notify types and flags", () => {
  test("the 31 notify types of NUT 2.8.5, each with its stock message and release", () => {
    expect(NOTIFY_TYPES.length).toBe(31);
    expect(Object.keys(DEFAULT_NOTIFY_MESSAGES).sort()).toEqual([...NOTIFY_TYPES].sort());
    expect(Object.keys(NOTIFY_TYPE_SINCE).sort()).toEqual([...NOTIFY_TYPES].sort());
    expect(DEFAULT_NOTIFY_MESSAGES.ONBATT).toBe("UPS %s on battery");
    expect(DEFAULT_NOTIFY_MESSAGES.LOWBATT).toBe("UPS %s battery is low");
    expect(DEFAULT_NOTIFY_MESSAGES.FSD).toBe("UPS %s: forced shutdown in progress");
    expect(DEFAULT_NOTIFY_MESSAGES.COMMOK).toBe("Communications with UPS %s established");
    expect(DEFAULT_NOTIFY_MESSAGES.COMMBAD).toBe("Communications with UPS %s lost");
    expect(DEFAULT_NOTIFY_MESSAGES.REPLBATT).toBe("UPS %s battery needs to be replaced");
    expect(DEFAULT_NOTIFY_MESSAGES.NOCOMM).toBe("UPS %s is unavailable");
    expect(DEFAULT_NOTIFY_MESSAGES.NOPARENT).toBe("upsmon parent process died - shutdown impossible");
    expect(DEFAULT_NOTIFY_MESSAGES.ALARM).toBe("UPS %s: one or more active alarms: [%s]");
    expect(DEFAULT_NOTIFY_MESSAGES.SHUTDOWN_HOSTSYNC).toBe(
      "Shutdown initiated; primary system is waiting for secondaries to log out or time out",
    );
    expect(NOTIFY_TYPE_SINCE).toMatchObject({ ONLINE: "2.8.0", CAL: "2.8.0", OFF: "2.8.1", NOTCAL: "2.8.2", ECO: "2.8.3", SHUTDOWN_HOSTSYNC: "2.8.5" });
    expect([...NOTIFY_FLAGS]).toEqual(["SYSLOG", "WALL", "EXEC", "IGNORE"]);
  });

  test("findNotifyType() is case-insensitive and knows only NUT's names", () => {
    expect(findNotifyType("onbatt")).toBe("ONBATT");
    expect(findNotifyType("Suspend_Starting")).toBe("SUSPEND_STARTING");
    expect(findNotifyType("ONBATTERY")).toBeUndefined();
    expect(findNotifyType("")).toBeUndefined();
  });
});

describe("parseUpsmonConf() directives", () => {
  test("every directive of 2.8.0 and of 2.8.1-2.8.5 sets its value", () => {
    const { config, diagnostics } = parse([
      "MONITOR ups@localhost 1 monuser secret primary",
      "MINSUPPLIES 2",
      "MONITOR other@10.0.0.2:3494 1 mon pw secondary",
      'SHUTDOWNCMD "/sbin/shutdown -h +0"',
      'NOTIFYCMD "/usr/sbin/upssched"',
      "POWERDOWNFLAG /etc/killpower",
      "POLLFREQ 7",
      "POLLFREQALERT 2",
      "HOSTSYNC 20",
      "DEADTIME 25",
      "RBWARNTIME 3600",
      "NOCOMMWARNTIME 60",
      "FINALDELAY 0",
      "RUN_AS_USER nut",
      "CERTPATH /etc/nut/cert",
      "CERTIDENT client secretpass",
      "CERTHOST 10.0.0.2 upsd-cert 1 0",
      "CERTVERIFY 1",
      "FORCESSL 1",
      "debug_min 3",
      "OFFDURATION 0",
      "OVERDURATION 10",
      "OBLBDURATION 12",
      "ALARMCRITICAL 0",
      "POLLFAIL_LOG_THROTTLE_MAX 4",
      "SHUTDOWNEXIT 90",
      'NOTIFYMSG onbatt "%s lost mains"',
      "NOTIFYFLAG ONBATT SYSLOG+WALL+EXEC",
    ]);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      minSupplies: 2,
      totalPowerValue: 2,
      shutdownCmd: "/sbin/shutdown -h +0",
      notifyCmd: "/usr/sbin/upssched",
      powerDownFlag: "/etc/killpower",
      pollFreq: 7,
      pollFreqAlert: 2,
      hostSync: 20,
      deadTime: 25,
      rbWarnTime: 3600,
      noCommWarnTime: 60,
      finalDelay: 0,
      runAsUser: "nut",
      certPath: "/etc/nut/cert",
      certIdent: { name: "client", password: "secretpass" },
      certHosts: [{ host: "10.0.0.2", certName: "upsd-cert", certVerify: true, forceSsl: false, line: 17 }],
      certVerify: true,
      forceSsl: true,
      debugMin: 3,
      offDuration: 0,
      overDuration: 10,
      oblbDuration: 12,
      alarmCritical: false,
      pollFailLogThrottleMax: 4,
      shutdownExit: 90,
    });
    expect(config.notify.ONBATT).toEqual({ message: "%s lost mains", flags: ["SYSLOG", "WALL", "EXEC"], messageLine: 27, flagsLine: 28 });
    expect(config.monitors.map((m) => [m.system, m.upsname, m.host, m.port, m.role, m.line])).toEqual([
      ["ups@localhost", "ups", "localhost", 3493, "primary", 1],
      ["other@10.0.0.2:3494", "other", "10.0.0.2", 3494, "secondary", 3],
    ]);
    expect(config.lines.DEBUG_MIN).toBe(20);
    expect(config.lines.MONITOR).toBe(3);
    expect(config.lines.NOTIFYFLAG).toBe(28);
  });

  test("MONITOR: roles primary/master/secondary/slave in any case, IPv6 literals, power 0", () => {
    const { config, diagnostics } = parse([
      ...BASE.slice(1),
      "MONITOR a@[::1]:3494 1 u p MASTER",
      "MONITOR b@[fe80::2] 0 u p Slave",
      "MONITOR c 2 u p Primary",
      "MONITOR d@host 1 u p secondary",
    ]);
    expect(diagnostics).toEqual([]);
    expect(config.monitors).toEqual([
      { system: "a@[::1]:3494", upsname: "a", host: "::1", port: 3494, powerValue: 1, user: "u", password: "p", role: "primary", line: 3 },
      { system: "b@[fe80::2]", upsname: "b", host: "fe80::2", port: 3493, powerValue: 0, user: "u", password: "p", role: "secondary", line: 4 },
      { system: "c", upsname: "c", host: "localhost", port: 3493, powerValue: 2, user: "u", password: "p", role: "primary", line: 5 },
      { system: "d@host", upsname: "d", host: "host", port: 3493, powerValue: 1, user: "u", password: "p", role: "secondary", line: 6 },
    ]);
    expect(config.totalPowerValue).toBe(4);
  });

  test("NOTIFYFLAG replaces the previous flags; NOTIFYMSG replaces the message", () => {
    const { config } = parse([...BASE, "NOTIFYFLAG LOWBATT EXEC", "NOTIFYFLAG lowbatt WALL", "NOTIFYMSG LOWBATT a", "NOTIFYMSG LOWBATT b"]);
    expect(config.notify.LOWBATT).toEqual({ message: "b", flags: ["WALL"], messageLine: 7, flagsLine: 5 });
    expect(config.notify.ONLINE).toEqual({ message: "UPS %s on line power", flags: ["SYSLOG", "WALL"] });
  });

  test("SHUTDOWNEXIT booleans (any case) and numbers", () => {
    const values: [string, number][] = [["yes", 0], ["ON", 0], ["true", 0], ["no", -1], ["Off", -1], ["FALSE", -1], ["0", 0], ["-1", -1], [" 30 ", 30]];
    for (const [value, expected] of values) {
      const { config, diagnostics } = parse([...BASE, `SHUTDOWNEXIT "${value}"`]);
      expect(diagnostics).toEqual([]);
      expect(config.shutdownExit).toBe(expected);
    }
  });

  test("OBLBDURATION below 1 becomes 0; CERTHOST flags are any non-zero", () => {
    const { config } = parse([...BASE, "OBLBDURATION -5", "CERTHOST h c 7 -1"]);
    expect(config.oblbDuration).toBe(0);
    expect(config.certHosts).toEqual([{ host: "h", certName: "c", certVerify: true, forceSsl: true, line: 5 }]);
  });

  test("lines are physical lines, also after a continuation", () => {
    const { config } = parseUpsmonConf(["# c", "POLLFREQ \\", "9", 'NOTIFYMSG ONLINE "a', 'b"', "DEADTIME 3", ...BASE, ""].join("\n"), FILE);
    expect(config.pollFreq).toBe(9);
    expect(config.lines.POLLFREQ).toBe(2);
    expect(config.notify.ONLINE.messageLine).toBe(4);
    expect(config.notify.ONLINE.message).toBe("ab");
    expect(config.lines.DEADTIME).toBe(6);
  });
});

describe("parseUpsmonConf() diagnostics", () => {
  test("what Debian's 2.8.0 upsmon printed for this file, line by line [obs]", () => {
    // Run with `/lib/nut/upsmon -F -f`: upsmon printed the NUT texts asserted below, then
    // "Fatal error: insufficient power configured!", "Sum of power values........: 4",
    // "Minimum value (MINSUPPLIES): 5", and exited 1. (2.8.0 does not know SHUTDOWNEXIT: it
    // printed "invalid directive SHUTDOWNEXIT maybe" where 2.8.5 says "not recognized".)
    const { config, diagnostics } = parseUpsmonConf(
      [
        "FOO bar",
        "NOTIFYMSG ONLINE",
        "NOTIFYFLAG onbatt SYSLOG+wall+EXEC",
        "NOTIFYFLAG BOGUS SYSLOG",
        'NOTIFYMSG BOGUS "x"',
        "MONITOR a@h 1 u p primary",
        "MONITOR a@h 1 u p primary",
        "MONITOR b@h -1 u p primary",
        "MONITOR c@:x 1 u p primary",
        "debug_min abc",
        "POLLFREQ -3",
        "MINSUPPLIES 5",
        "CERTHOST a b 1",
        "SHUTDOWNEXIT maybe",
        "MONITOR e@h 99999999999 u p slave",
        "MONITOR f@h 2x u p whatever extra",
        "",
      ].join("\n"),
      FILE,
    );
    expect(rows(diagnostics)).toEqual([
      [1, "error", "invalid directive FOO bar"],
      [2, "error", "invalid directive NOTIFYMSG ONLINE"],
      [3, "error", "Invalid notify flag: [wall]"],
      [3, "warning", "NOTIFYFLAG EXEC for ONBATT but no NOTIFYCMD: upsmon has nothing to run"],
      [4, "error", "Warning: invalid notify type [BOGUS]"],
      [5, "error", "'BOGUS' is not a valid notify event name"],
      [7, "error", "Warning: ignoring duplicate UPS [a@h]"],
      [8, "error", "UPS [b@h]: ignoring invalid power value [-1]"],
      [9, "error", "Error: unable to split UPS name [c@:x] (upscli_splitaddr: no port specified after ':' separator)"],
      [10, "error", "WARNING : Invalid DEBUG_MIN value found in upsmon.conf global settings"],
      [11, "error", "Ignoring invalid POLLFREQ value: -3"],
      [13, "error", "invalid directive CERTHOST a b 1"],
      [14, "warning", "SHUTDOWNEXIT value not recognized, defaulting to 'yes'"],
      [15, "error", "UPS [e@h]: ignoring invalid power value [99999999999]"],
      [16, "warning", "MONITOR uses 5 arguments: upsmon ignores the rest (extra)"],
      [16, "warning", "UPS [f@h]: power value [2x] is not an integer: upsmon reads it as 2"],
      [16, "warning", "UPS [f@h]: type [whatever] is neither primary nor secondary: upsmon treats it as secondary"],
      [0, "warning", "Warning: no shutdown command defined!"],
      [0, "warning", `No POWERDOWNFLAG value was configured in ${FILE}!`],
      [0, "fatal", "Fatal error: insufficient power configured! Sum of power values (4) is less than MINSUPPLIES (5)"],
    ]);
    // the UPS whose name cannot be split still counts, as in upsmon
    expect(config.monitors.map((m) => [m.system, m.powerValue, m.role])).toEqual([
      ["a@h", 1, "primary"],
      ["c@:x", 1, "primary"],
      ["f@h", 2, "secondary"],
    ]);
    expect(config.monitors[1]).toMatchObject({ upsname: "c", host: "", nameError: "upscli_splitaddr: no port specified after ':' separator" });
    expect(config.notify.ONBATT.flags).toEqual(["SYSLOG", "EXEC"]);
    expect(config.pollFreq).toBe(5);
    expect(Object.hasOwn(config, "debugMin")).toBe(false);
  });

  test("a 4-argument MONITOR is the old-style fatal error [obs]", () => {
    const { config, diagnostics } = parse([...BASE, "MONITOR ups@localhost 1 pass master"]);
    expect(rows(diagnostics)).toEqual([
      [
        4,
        "fatal",
        "Unable to use old-style MONITOR line without a username: convert it and add a username to upsd.users - see the documentation (Fatal error: unusable configuration)",
      ],
    ]);
    expect(config.monitors.length).toBe(1);
  });

  test("too few arguments make an invalid directive; names are case-sensitive except DEBUG_MIN", () => {
    const { diagnostics } = parse([
      ...BASE,
      "MONITOR",
      "MONITOR ups 1 u",
      "POLLFREQ",
      "NOTIFYFLAG ONLINE",
      "CERTIDENT name",
      "CERTHOST h c 1",
      "monitor ups@h 1 u p primary",
      "Pollfreq 3",
      "DeBuG_MiN 2",
    ]);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "invalid directive MONITOR"],
      [5, "error", "invalid directive MONITOR ups 1 u"],
      [6, "error", "invalid directive POLLFREQ"],
      [7, "error", "invalid directive NOTIFYFLAG ONLINE"],
      [8, "error", "invalid directive CERTIDENT name"],
      [9, "error", "invalid directive CERTHOST h c 1"],
      [10, "error", "invalid directive monitor ups@h 1 u p primary (directive names are case-sensitive: MONITOR)"],
      [11, "error", "invalid directive Pollfreq 3 (directive names are case-sensitive: POLLFREQ)"],
    ]);
  });

  test("negative POLLFREQALERT, MINSUPPLIES, FINALDELAY are ignored with NUT's text; the old value stays", () => {
    const { config, diagnostics } = parse([...BASE, "FINALDELAY 2", "FINALDELAY -1", "POLLFREQALERT -2", "MINSUPPLIES -1"]);
    expect(rows(diagnostics)).toEqual([
      [5, "error", "Ignoring invalid FINALDELAY value: -1"],
      [6, "error", "Ignoring invalid POLLFREQALERT value: -2"],
      [7, "error", "Ignoring invalid MINSUPPLIES value: -1"],
    ]);
    expect(config.finalDelay).toBe(2);
    expect(config.lines.FINALDELAY).toBe(4);
    expect(config.pollFreqAlert).toBe(5);
    expect(config.minSupplies).toBe(1);
  });

  test("numbers that are not plain integers read as atoi() reads them, with a warning", () => {
    const { config, diagnostics } = parse([...BASE, "DEADTIME 10s", "HOSTSYNC abc", "RBWARNTIME 99999999999"]);
    expect(rows(diagnostics)).toEqual([
      [4, "warning", "DEADTIME value [10s] is not an integer: upsmon reads it as 10"],
      [5, "warning", "HOSTSYNC value [abc] is not an integer: upsmon reads it as 0"],
      [6, "warning", "RBWARNTIME value [99999999999] is not an integer: upsmon reads it as 1215752191"],
    ]);
    expect(config.deadTime).toBe(10);
    expect(config.hostSync).toBe(0);
    expect(config.rbWarnTime).toBe(1215752191);
  });

  test("CERTVERIFY/FORCESSL/ALARMCRITICAL other than 0 or 1 count as off", () => {
    const { config, diagnostics } = parse([...BASE, "CERTPATH /c", "CERTVERIFY 2", "FORCESSL yes", "ALARMCRITICAL 5"]);
    expect(rows(diagnostics)).toEqual([
      [5, "warning", "CERTVERIFY value [2] is neither 0 nor 1: upsmon treats it as 0 (off)"],
      [6, "warning", "FORCESSL value [yes] is not an integer: upsmon reads it as 0"],
      [7, "warning", "ALARMCRITICAL value [5] is neither 0 nor 1: upsmon treats it as 0 (off)"],
    ]);
    expect([config.certVerify, config.forceSsl, config.alarmCritical]).toEqual([false, false, false]);
  });

  test("CERTVERIFY 1 without CERTPATH refuses every connection", () => {
    const { diagnostics } = parse([...BASE, "CERTVERIFY 1"]);
    expect(rows(diagnostics)).toEqual([[4, "error", "Configuration error: CERTVERIFY is set, but CERTPATH isn't: upsmon refuses every connection"]]);
    expect(parse([...BASE, "CERTVERIFY 1", "CERTPATH /etc/nut/cert"]).diagnostics).toEqual([]);
  });

  test("POLLFAIL_LOG_THROTTLE_MAX: negative and INT_MAX are ignored with NUT's text", () => {
    const { config, diagnostics } = parse([...BASE, "POLLFAIL_LOG_THROTTLE_MAX 3", "POLLFAIL_LOG_THROTTLE_MAX -1", "POLLFAIL_LOG_THROTTLE_MAX 2147483647"]);
    expect(rows(diagnostics)).toEqual([
      [5, "warning", "Ignoring invalid POLLFAIL_LOG_THROTTLE_MAX value: -1"],
      [6, "warning", "Ignoring invalid POLLFAIL_LOG_THROTTLE_MAX value: 2147483647"],
    ]);
    expect(config.pollFailLogThrottleMax).toBe(3);
    expect(parse([...BASE, "POLLFAIL_LOG_THROTTLE_MAX 0"]).config.pollFailLogThrottleMax).toBe(0);
  });

  test("an unquoted SHUTDOWNCMD or NOTIFYMSG loses its words; extra numeric words only warn", () => {
    const { config, diagnostics } = parse([
      BASE[0]!,
      BASE[2]!,
      "SHUTDOWNCMD /sbin/shutdown -h now",
      "NOTIFYMSG ONLINE UPS %s is back",
      "POLLFREQ 5 seconds",
    ]);
    expect(rows(diagnostics)).toEqual([
      [3, "error", "SHUTDOWNCMD uses one argument: upsmon ignores the rest (-h now); quote a value that contains spaces"],
      [4, "error", "NOTIFYMSG uses 2 arguments: upsmon ignores the rest (%s is back); quote a value that contains spaces"],
      [5, "warning", "POLLFREQ uses one argument: upsmon ignores the rest (seconds)"],
    ]);
    expect(config.shutdownCmd).toBe("/sbin/shutdown");
    expect(config.notify.ONLINE.message).toBe("UPS");
  });

  test("NOTIFYFLAG: every bad piece is reported, flags are case-sensitive, IGNORE beats the rest", () => {
    const { config, diagnostics } = parse([...BASE, "NOTIFYFLAG ONLINE SYSLOG+", "NOTIFYFLAG COMMBAD syslog", "NOTIFYFLAG COMMOK IGNORE+EXEC"]);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "Invalid notify flag: []"],
      [5, "error", "Invalid notify flag: [syslog]"],
      [6, "warning", "NOTIFYFLAG COMMOK: IGNORE wins over EXEC: upsmon does nothing for this event"],
    ]);
    expect(config.notify.ONLINE.flags).toEqual(["SYSLOG"]);
    // flags are zeroed first, so only invalid flags leave none at all
    expect(config.notify.COMMBAD.flags).toEqual([]);
    expect(config.notify.COMMOK.flags).toEqual(["IGNORE", "EXEC"]);
  });

  test("NOTIFYMSG: printf conversions other than %s and %%, and too many %s", () => {
    const { diagnostics } = parse([
      ...BASE,
      'NOTIFYMSG ONLINE "UPS %s at 100% load %d"',
      'NOTIFYMSG ONBATT "%s %s"',
      'NOTIFYMSG ALARM "%s: %s"',
      'NOTIFYMSG LOWBATT "100%% sure: %s"',
    ]);
    expect(rows(diagnostics)).toEqual([
      [4, "warning", "NOTIFYMSG ONLINE: printf conversion [% ] [%d] that upsmon cannot fill: write %% for a literal %"],
      [5, "warning", "NOTIFYMSG ONBATT: more than 1 %s: upsmon has only the UPS name to put there"],
    ]);
  });

  test("an unknown MONITOR type, a blank password and a 2.8.0-only name are warnings", () => {
    const { config, diagnostics } = parse([...BASE, 'MONITOR x@h 1 u "pass word" boss', "MONITOR @h2 1 u p primary"]);
    expect(rows(diagnostics)).toEqual([
      [4, "warning", "UPS [x@h]: type [boss] is neither primary nor secondary: upsmon treats it as secondary"],
      [4, "warning", "UPS [x@h]: password [pass word] is empty or contains blanks: upsmon sends it unquoted and the login fails"],
      [5, "warning", "UPS [@h2]: upscli_splitname: got empty upsname string (NUT 2.8.5 and later refuse this name)"],
    ]);
    expect(config.monitors[2]).toMatchObject({ upsname: "h2", host: "h2", role: "primary" });
  });

  test("an empty SHUTDOWNCMD, and EXEC flags without a NOTIFYCMD", () => {
    const { diagnostics } = parse([BASE[0]!, BASE[2]!, 'SHUTDOWNCMD ""', "NOTIFYFLAG ONBATT SYSLOG+EXEC", "NOTIFYFLAG ONLINE EXEC"]);
    expect(rows(diagnostics)).toEqual([
      [3, "warning", "SHUTDOWNCMD is empty: upsmon would run nothing at shutdown"],
      [4, "warning", "NOTIFYFLAG EXEC for ONLINE, ONBATT but no NOTIFYCMD: upsmon has nothing to run"],
    ]);
    expect(parse([...BASE, "NOTIFYFLAG ONBATT EXEC", "NOTIFYCMD /usr/sbin/upssched"]).diagnostics).toEqual([]);
  });

  test("MINSUPPLIES 0 with no MONITOR is accepted by upsmon (monitoring nothing)", () => {
    const { diagnostics } = parse(["MINSUPPLIES 0", BASE[1]!, BASE[2]!]);
    expect(rows(diagnostics)).toEqual([[0, "warning", "no usable MONITOR line: upsmon has no UPS to watch"]]);
  });

  test("total power below MINSUPPLIES counts only accepted MONITOR lines", () => {
    const { config, diagnostics } = parse([...BASE, "MONITOR ups@localhost 5 u p primary", "MINSUPPLIES 2"]);
    expect(config.totalPowerValue).toBe(1);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "Warning: ignoring duplicate UPS [ups@localhost]"],
      [0, "fatal", "Fatal error: insufficient power configured! Sum of power values (1) is less than MINSUPPLIES (2)"],
    ]);
  });

  test("tokenizer findings come through with their lines; the rest after the error is a new line", () => {
    const { config, diagnostics } = parseUpsmonConf(`${BASE.join("\n")}\nNOTIFYMSG ONLINE "50#" x"\n`, FILE);
    expect(rows(diagnostics)).toEqual([
      [4, "error", "Parse error: Unbalanced word due to unescaped # in quotes (NUT skips this line and reads the rest of it as a new line)"],
      [4, "error", "invalid directive  x"],
    ]);
    expect(config.notify.ONLINE.message).toBe("UPS %s on line power");
  });
});
