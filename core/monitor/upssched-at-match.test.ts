import { expect, test } from "bun:test";
import { parseUpsschedConf } from "../config/upssched-conf.ts";
import { atMatches, matchingAts } from "./upssched-at-match.ts";

const conf = parseUpsschedConf(
  [
    "CMDSCRIPT /bin/true",
    "PIPEFN /tmp/p",
    "LOCKFN /tmp/l",
    "AT ONBATT * START-TIMER all 30",
    "AT onbatt ups1@host EXECUTE one",
    "AT ONLINE * CANCEL-TIMER all",
    "AT ONBATT UPS1@host EXECUTE upper",
    "AT OnBatt ups1@host START-TIMER-SHARED shared 5",
    "",
  ].join("\n"),
  "upssched.conf",
).config;

test("NOTIFYTYPE ignores case, UPSNAME is exact or *, matches come in file order", () => {
  const names = (upsName: string, notifyType: string) => matchingAts(conf.at, { upsName, notifyType }).map((a) => `${a.command} ${a.args[0]}`);
  expect(names("ups1@host", "ONBATT")).toEqual(["START-TIMER all", "EXECUTE one", "START-TIMER-SHARED shared"]);
  expect(names("ups1@host", "onBATT")).toEqual(["START-TIMER all", "EXECUTE one", "START-TIMER-SHARED shared"]);
  expect(names("UPS1@host", "ONBATT")).toEqual(["START-TIMER all", "EXECUTE upper"]);
  expect(names("other", "ONLINE")).toEqual(["CANCEL-TIMER all"]);
  expect(names("ups1@host", "LOWBATT")).toEqual([]);
  // "*" is only special in the config, not in UPSNAME
  expect(names("*", "onbatt")).toEqual(["START-TIMER all"]);
});

test("only ASCII letters fold, as strcasecmp() in the C locale", () => {
  expect(atMatches({ notifyType: "ONBATT", upsName: "*" }, { upsName: "u", notifyType: "onbatt" })).toBe(true);
  expect(atMatches({ notifyType: "STRASSE", upsName: "*" }, { upsName: "u", notifyType: "straße" })).toBe(false);
});
