import { describe, expect, test } from "bun:test";
import { NOTIFY_TEXT_MAX, formatNotifyText, shellQuoted } from "./notify-text.ts";

describe("formatNotifyText()", () => {
  test("stock messages: the first %s is the MONITOR name, the second the detail", () => {
    expect(formatNotifyText("UPS %s on battery", "ups@localhost:3493", undefined)).toBe("UPS ups@localhost:3493 on battery");
    expect(formatNotifyText("UPS %s: one or more active alarms: [%s]", "u@h", "Fan failure")).toBe("UPS u@h: one or more active alarms: [Fan failure]");
    expect(formatNotifyText("Auto logout and shutdown proceeding", undefined, undefined)).toBe("Auto logout and shutdown proceeding");
    expect(formatNotifyText("UPS %s is %s", undefined, undefined)).toBe("UPS  is ");
  });
  test("%% is a percent sign; a third %s is empty; other sequences stay", () => {
    expect(formatNotifyText("100%% %s %s %s %d", "a", "b")).toBe("100% a b  %d");
  });
  test("cut to 511 bytes", () => {
    expect(formatNotifyText(`${"x".repeat(600)}%s`, "u", undefined).length).toBe(NOTIFY_TEXT_MAX);
  });
});

describe("shellQuoted()", () => {
  test("escapes what the shell interprets inside double quotes", () => {
    expect(shellQuoted('UPS "a$b`c\\d" on battery')).toBe('"UPS \\"a\\$b\\`c\\\\d\\" on battery"');
  });
  test("round-trips through /bin/sh", () => {
    const text = 'weird "name" $HOME `id` \\ end';
    const out = Bun.spawnSync(["/bin/sh", "-c", `printf %s ${shellQuoted(text)}`]).stdout.toString();
    expect(out).toBe(text);
  });
});
