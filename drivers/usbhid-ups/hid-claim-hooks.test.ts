/**
 * The claim hooks that reach past the yes/no decision (NUT 2.8.0's claim functions that set
 * usb_subdriver numbers, tweaks or log): Arduino's and Powervar's interface switch for listed
 * and productid-claimed products, openUPS's scale message, PowerCOM 0d9f:0001's interrupt-only
 * tweak, and Tripp Lite's "possibly supported" notice.
 */
import { expect, test } from "bun:test";
import { ARDUINO_SUBDRIVER } from "./arduino-hid.ts";
import { type HidDeviceIdentity, type HidDeviceTweaks, type HidSubdriver, possiblySupportedMessage, usbIdSupport } from "./hid-subdriver.ts";
import { OPENUPS_SUBDRIVER, openupsScales, resetOpenupsScales } from "./openups-hid.ts";
import { POWERCOM_SUBDRIVER } from "./powercom-hid.ts";
import { POWERVAR_SUBDRIVER } from "./powervar-hid.ts";
import { TRIPPLITE_SUBDRIVER } from "./tripplite-hid.ts";

const dev = (vendorId: number, productId: number): HidDeviceIdentity => ({ vendorId, productId, vendor: undefined, product: undefined, serial: undefined });

function freshTweaks(): { tweaks: HidDeviceTweaks; debugLines: [number, string][] } {
  const debugLines: [number, string][] = [];
  return { tweaks: { maxReportSize: false, useInterruptPipe: true, log: () => {}, debug: (l, m) => debugLines.push([l, m]), usb: {} }, debugLines };
}

/** The generic path of usbhid-ups' #claim for one device: listed → onMatch, else claimPossibly. */
function claim(sub: HidSubdriver, device: HidDeviceIdentity, productidGiven: boolean) {
  const { tweaks, debugLines } = freshTweaks();
  const notices: string[] = [];
  const { support, id } = usbIdSupport(sub.usbIds, device.vendorId, device.productId);
  let claimed = false;
  if (support === "supported") {
    id?.onMatch?.(device, tweaks);
    claimed = sub.claimSupported?.(device) ?? true;
  } else if (support === "possibly") {
    claimed = sub.claimPossibly!(device, productidGiven, (l, m) => notices.push(`${l}:${m}`), tweaks);
  }
  return { claimed, tweaks, notices, debugLines };
}

test("arduino: listed or productid-claimed, the HID numbers are interface 2, endpoints 4 and 5", () => {
  const sketch = { interfaceNumber: 2, endpointIn: 4, endpointOut: 5 };
  expect(claim(ARDUINO_SUBDRIVER, dev(0x2341, 0x8036), false)).toMatchObject({ claimed: true, notices: [] });
  expect(claim(ARDUINO_SUBDRIVER, dev(0x2341, 0x8036), false).tweaks.usb).toEqual(sketch);
  // an Uno (2341:0043): only with productid, and then on the same interface
  const uno = claim(ARDUINO_SUBDRIVER, dev(0x2341, 0x0043), true);
  expect(uno.claimed).toBe(true);
  expect(uno.tweaks.usb).toEqual(sketch);
  const refused = claim(ARDUINO_SUBDRIVER, dev(0x2341, 0x0043), false);
  expect(refused.claimed).toBe(false);
  expect(refused.tweaks.usb).toEqual({});
  expect(refused.notices).toEqual([`0:${possiblySupportedMessage("Arduino", dev(0x2341, 0x0043))}`]);
});

test("powervar: interface 1 for 4234:0002 and for another product given productid", () => {
  expect(claim(POWERVAR_SUBDRIVER, dev(0x4234, 0x0002), false).tweaks.usb).toEqual({ interfaceNumber: 1 });
  const other = claim(POWERVAR_SUBDRIVER, dev(0x4234, 0x0005), true);
  expect(other.claimed).toBe(true);
  expect(other.tweaks.usb).toEqual({ interfaceNumber: 1 });
  const refused = claim(POWERVAR_SUBDRIVER, dev(0x4234, 0x0005), false);
  expect(refused.claimed).toBe(false);
  expect(refused.tweaks.usb).toEqual({});
  expect(refused.notices[0]).toStartWith("0:This Powervar device (4234:0005) is not (or perhaps not yet) supported\n");
});

test("openups: the listed products log the scales they pick at debug level 1 (with the format's own newline)", () => {
  try {
    expect(claim(OPENUPS_SUBDRIVER, dev(0x04d8, 0xd004), false).debugLines).toEqual([[1, "vin_scale = 3.545; vout_scale = 2.571\n"]]);
    expect(openupsScales.vin).toBeCloseTo(3.545, 10);
    expect(claim(OPENUPS_SUBDRIVER, dev(0x04d8, 0xd005), false).debugLines).toEqual([[1, "vin_scale = 0.1; vout_scale = 0.1\n"]]);
  } finally {
    resetOpenupsScales();
  }
});

test("powercom 0d9f:0001: interrupt only, 8-byte interrupt reads; other PowerCOMs untouched", () => {
  expect(claim(POWERCOM_SUBDRIVER, dev(0x0d9f, 0x0001), false).tweaks).toMatchObject({ interruptOnly: true, interruptSize: 8 });
  const vanguard = claim(POWERCOM_SUBDRIVER, dev(0x0d9f, 0x0004), false).tweaks;
  expect(vanguard.interruptOnly).toBeUndefined();
  expect(vanguard.interruptSize).toBeUndefined();
});

test("tripplite: an unlisted Tripp Lite product gets the 'possibly supported' notice, Delta's never claims", () => {
  const unlisted = claim(TRIPPLITE_SUBDRIVER, dev(0x09ae, 0x7777), false);
  expect(unlisted.claimed).toBe(false);
  expect(unlisted.notices).toEqual([`0:${possiblySupportedMessage("TrippLite", dev(0x09ae, 0x7777))}`]);
  expect(claim(TRIPPLITE_SUBDRIVER, dev(0x09ae, 0x7777), true)).toMatchObject({ claimed: true, notices: [] });
  // HP: no notice (it makes many non-UPS devices); Delta 05dd (listed only for a011): 2.8.0's catch-all
  expect(claim(TRIPPLITE_SUBDRIVER, dev(0x03f0, 0x7777), false)).toMatchObject({ claimed: false, notices: [] });
  expect(claim(TRIPPLITE_SUBDRIVER, dev(0x05dd, 0x7777), true)).toMatchObject({ claimed: false, notices: [] });
  expect(claim(TRIPPLITE_SUBDRIVER, dev(0x05dd, 0x7777), false)).toMatchObject({ claimed: false, notices: [] });
});
