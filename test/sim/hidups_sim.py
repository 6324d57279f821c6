#!/usr/bin/python3
"""
Source: copied from the simulator the project's research proved against Debian's
usbhid-ups (the team's shared research fixtures, usb/hidups_sim.py), then extended here: --profile takes a comma-separated list to put several devices on the
simulated bus (device i is sysfs 1-<i+1>, /dev/bus/usb/001/<i+2>, hub port i+1).

Simulated USB HID Power Device (UPS) for libusb-based programs, built on
umockdev's custom ioctl handler API (UMockdev.IoctlBase via GObject
introspection).

The program under test is started as a child process inside a umockdev
testbed (LD_PRELOAD=libumockdev-preload.so.0, UMOCKDEV_DIR=<testbed>).  It
sees a sysfs/udev USB device 1-1 (bus 001, device 002) whose usbdevfs node
/dev/bus/usb/001/002 is backed by this script: every USBDEVFS_* ioctl that
libusb issues (SUBMITURB / REAPURBNDELAY / DISCARDURB / CLAIMINTERFACE ...)
is answered here.  Control transfers (GET_DESCRIPTOR string / HID / report,
HID GET_REPORT / SET_REPORT / SET_IDLE) and interrupt-IN transfers on
endpoint 0x81 are emulated from an in-memory UPS model.

Usage:
    /usr/bin/python3 hidups_sim.py [--profile apc|eaton|cyberpower|tripplite[,...]]
                                   [--state FILE.json]
                                   [--log FILE.jsonl] [--trace]
                                   [--write-umockdev FILE] [--dump-rdesc]
                                   -- PROGRAM [ARGS...]
The exit status is the PROGRAM's.  Environment equivalents: HIDUPS_PROFILE,
HIDUPS_STATE, HIDUPS_LOG.

Requirements (Debian 12): umockdev, gir1.2-umockdev-1.0, python3-gi.
Must run with the system python (/usr/bin/python3) because of python3-gi.

--state FILE.json: JSON object with model values (see DEFAULT_STATE keys);
the file is re-read whenever its mtime changes, so a test can flip e.g.
{"ACPresent": 0, "Discharging": 1} while the program runs.  A change of any
value that is part of an Input report queues an interrupt-IN report.
Special key "_preset": "online" | "onbatt-low" first applies that named state of the
profile (cyberpower, tripplite, eaton), then the file's other keys.
Special key "_disconnected": true makes every usbdevfs call fail with ENODEV
(USB cable pulled); set it back to false to "replug" the same device.

Fault injection keys (a faulty device; each takes effect when the file is (re)read):
  "_stall": ["GET_REPORT", 12]        STALL (EPIPE) that HID request for report ID 12; a list of
                                      such pairs stalls several; "*" as report ID means every
                                      ID; requests: GET_REPORT, SET_REPORT, GET_DESCRIPTOR
                                      (report descriptor), GET_STRING.
  "_timeout_ms": 6000                 hold every HID GET_REPORT/SET_REPORT answer that long, so
                                      a shorter libusb timeout expires (the program then discards
                                      the URB); "_timeout_report": 12 limits it to report ID 12.
  "_vanish_after": 40                 after 40 more control/interrupt submissions the device is
                                      gone (ENODEV on everything, pending URBs reaped with
                                      -ENODEV), as if unplugged mid-transfer; writing the key
                                      again (or null) restarts the count / brings it back.
  "_rdesc_hex": "05840904a101..."     serve these bytes as the HID report descriptor (truncated
                                      or garbage descriptors); read once at start-up, since the
                                      HID descriptor's length goes into the sysfs descriptors.
  "_configurations": 3                offer that many identical configurations (bConfigurationValue
                                      1, 2, 3 …) instead of the profile's number; read once at
                                      start-up, like _rdesc_hex.

Where the HID function sits (profile keys; defaults in brackets):
  interface=N [0]        the HID interface is interface N of each configuration; interfaces 0 to
                         N-1 are vendor-specific ones without endpoints (a composite device such
                         as the Arduino Leonardo: CDC on 0 and 1, HID on 2). HID class requests
                         (HID / report descriptor, GET_REPORT, SET_REPORT, SET_IDLE) are answered
                         only with wIndex N, others STALL; claiming an interface the
                         configuration lacks fails with ENOENT.
  ep_in=0x8K [0x81]      the interrupt-IN endpoint of the HID interface (interrupt URBs to any
                         other endpoint fail with EINVAL); ep_out=0x0K [none] adds an
                         interrupt-OUT endpoint to its descriptor.
  configurations=K [1]   bNumConfigurations; every configuration is the same.
  input_on_start=True    queue every Input report once at start-up (a device that sends its
                         state through the interrupt pipe without being asked; for drivers
                         that never GET_REPORT).

--log FILE.jsonl: one JSON object per transfer, e.g.
{"setup": "21091503...", "out": "151400", "resp": "", "stall": false, "t": ...}
so a test can assert what the program under test wrote (SET_REPORT etc.).
"""

import argparse
import errno
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time

import gi
gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev  # noqa: E402

# --------------------------------------------------------------------------
# usbdevfs ioctl request codes (x86_64 / aarch64: 64-bit pointers)
# --------------------------------------------------------------------------
USBDEVFS_SETINTERFACE = 0x80085504
USBDEVFS_SETCONFIGURATION = 0x80045505
USBDEVFS_GETDRIVER = 0x41045508
USBDEVFS_SUBMITURB = 0x8038550a
USBDEVFS_DISCARDURB = 0x0000550b
USBDEVFS_REAPURB = 0x4008550c
USBDEVFS_REAPURBNDELAY = 0x4008550d
USBDEVFS_CLAIMINTERFACE = 0x8004550f
USBDEVFS_RELEASEINTERFACE = 0x80045510
USBDEVFS_CONNECTINFO = 0x40085511
USBDEVFS_IOCTL = 0xc0105512
USBDEVFS_RESET = 0x00005514
USBDEVFS_CLEAR_HALT = 0x80045515
USBDEVFS_RESETEP = 0x80045503
USBDEVFS_GET_CAPABILITIES = 0x8004551a
USBDEVFS_DISCONNECT_CLAIM = 0x8108551b
USBDEVFS_GET_SPEED = 0x0000551f

REAP_IDLE_SLEEP_S = 0.004   # see UsbIoctlHandler._dispatch (REAPURBNDELAY with nothing ready)
URB_SIZE = 56              # sizeof(struct usbdevfs_urb) on LP64
URB_OFF_STATUS = 4
URB_OFF_BUFFER = 16
URB_OFF_BUFLEN = 24
URB_OFF_ACTUAL = 28
URB_TYPE_INTERRUPT = 1
URB_TYPE_CONTROL = 2

# --------------------------------------------------------------------------
# HID report descriptor compiler: hid_descriptor.py (shared with the profiles in hid_profiles/)
# --------------------------------------------------------------------------
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR, UNIT_VOLT, UNIT_SECOND, UNIT_AMPERE, UNIT_WATT,
    UNIT_HERTZ, UNIT_KELVIN, UNIT_AS, Field, Pad, Coll, DescriptorCompiler,
    bits_group as _bits, presets_online_low as _presets)


def ups_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    return Coll(P, 0x04, 'application', [                 # UPS
        Coll(P, 0x24, 'physical', [                       # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x03, B, 0x8B, 'Rechargeable', lmax=1),
            Field(0x03, B, 0x2C, 'CapacityMode', lmax=2),
            Field(0x04, B, 0x83, 'DesignCapacity', lmax=100),
            Field(0x04, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x04, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x05, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x07, P, 0x40, 'ConfigVoltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=6),            # 0.1 V resolution
            Field(0x08, P, 0x30, 'Voltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=6, kinds='FI'),
            Field(0x0C, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x0C, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535,
                  unit=UNIT_SECOND, kinds='FI'),
            Field(0x15, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1,
                  lmax=32767, unit=UNIT_SECOND, rw=True),
            Field(0x17, P, 0x56, 'DelayBeforeStartup', bits=16, lmin=-1,
                  lmax=32767, unit=UNIT_SECOND, rw=True),
            Field(0x18, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Coll(P, 0x02, 'logical', [                    # ...PresentStatus
                Field(0x16, B, 0x44, 'Charging', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x45, 'Discharging', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0xD0, 'ACPresent', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0xD1, 'BatteryPresent', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x42, 'BelowRemainingCapacityLimit', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x43, 'RemainingTimeLimitExpired', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x4B, 'NeedReplacement', bits=1, lmax=1, kinds='FI'),
                Field(0x16, P, 0x69, 'ShutdownImminent', bits=1, lmax=1, kinds='FI'),
                Field(0x16, P, 0x65, 'Overload', bits=1, lmax=1, kinds='FI'),
                Pad(0x16, 7, kinds='FI'),
            ]),
        ]),
        Coll(P, 0x1A, 'physical', [                       # UPS.Input
            Field(0x20, P, 0x40, 'Input.ConfigVoltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7),
            Field(0x21, P, 0x30, 'Input.Voltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=6, kinds='FI'),
            Field(0x22, P, 0x53, 'Input.LowVoltageTransfer', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7, rw=True),
            Field(0x22, P, 0x54, 'Input.HighVoltageTransfer', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7, rw=True),
        ]),
        Coll(P, 0x1C, 'physical', [                       # UPS.Output
            Field(0x23, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
            Field(0x24, P, 0x40, 'Output.ConfigVoltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7),
        ]),
    ])


# --------------------------------------------------------------------------
# Vendor profiles: descriptors written from the HID paths each NUT 2.8.0 subdriver reads
# (drivers/cps-hid.c, tripplite-hid.c, mge-hid.c), values from real nut-ddl dumps.
# Each profile has a default (online, fully charged) state and named presets that a state
# file selects with {"_preset": NAME}.
# --------------------------------------------------------------------------
def cyberpower_tree():
    """CyberPower CP1500PFCLCD-like (0764:0501). Keeps the report IDs that cps_fix_report_desc
    looks for (15 input voltage, 16 transfer limits, 18 output voltage) and the firmware bug it
    fixes: the output voltage's logical range is a copy of the high transfer limit's."""
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x03, B, 0x8B, 'Rechargeable', lmax=1),
            Field(0x03, B, 0x2C, 'CapacityMode', lmax=2),
            Field(0x03, B, 0x83, 'DesignCapacity', lmax=100),
            Field(0x03, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x07, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x08, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x08, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x09, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x0A, B, 0x2A, 'RemainingTimeLimit', bits=16, lmax=65535, unit=S, rw=True),
            Field(0x0C, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Field(0x0D, P, 0x40, 'ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            # 0.01 V, and 1.5 times the real voltage: cps-hid scales it by 2/3
            Field(0x0E, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=5, kinds='FI'),
            Coll(P, 0x02, 'logical', _bits(0x0B, None, [              # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('BelowRemainingCapacityLimit', B, 0x42), ('FullyCharged', B, 0x46),
                ('RemainingTimeLimitExpired', B, 0x43), ('NeedReplacement', B, 0x4B),
                ('ShutdownImminent', P, 0x69), ('BatteryPresent', B, 0xD1)], 7)),
        ]),
        Coll(P, 0x1A, 'physical', [                                  # UPS.Input
            Field(0x0F, P, 0x30, 'Input.Voltage', bits=16, lmax=511, unit=V, unit_exp=7, kinds='FI'),
            Field(0x10, P, 0x53, 'Input.LowVoltageTransfer', bits=16, lmin=80, lmax=100,
                  unit=V, unit_exp=7, rw=True),
            Field(0x10, P, 0x54, 'Input.HighVoltageTransfer', bits=16, lmin=130, lmax=150,
                  unit=V, unit_exp=7, rw=True),
            Field(0x11, P, 0x40, 'Input.ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x19, P, 0x32, 'Input.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                  unit_exp=-1),
        ]),
        Coll(P, 0x1C, 'physical', [                                  # UPS.Output
            Field(0x12, P, 0x30, 'Output.Voltage', bits=16, lmin=130, lmax=150, unit=V,
                  unit_exp=7, kinds='FI'),
            Field(0x13, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
            Field(0x14, P, 0x58, 'Output.Test', lmax=7, rw=True),
            Field(0x15, P, 0x57, 'Output.DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767,
                  unit=S, rw=True),
            Field(0x16, P, 0x56, 'Output.DelayBeforeStartup', bits=16, lmin=-1, lmax=32767,
                  unit=S, rw=True),
            Field(0x17, P, 0x44, 'Output.ConfigActivePower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
            Field(0x18, P, 0x40, 'Output.ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x1B, P, 0x32, 'Output.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                  unit_exp=-1),
        ] + _bits(0x1A, None, [('Output.Boost', P, 0x6E), ('Output.Overload', P, 0x65)], 6)),
    ])


CYBERPOWER_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iDeviceChemistry': 4, 'iOEMInformation': 1,
    'Rechargeable': 1, 'CapacityMode': 2, 'DesignCapacity': 100, 'FullChargeCapacity': 100,
    'WarningCapacityLimit': 20, 'RemainingCapacity': 100, 'RunTimeToEmpty': 3180,
    'RemainingCapacityLimit': 10, 'RemainingTimeLimit': 300, 'AudibleAlarmControl': 2,
    'ConfigVoltage': 24, 'Voltage': 4050,                          # 40.5 V raw = 27.0 V real
    'ACPresent': 1, 'Charging': 0, 'Discharging': 0, 'BelowRemainingCapacityLimit': 0,
    'FullyCharged': 1, 'RemainingTimeLimitExpired': 0, 'NeedReplacement': 0,
    'ShutdownImminent': 0, 'BatteryPresent': 1,
    'Input.Voltage': 121, 'Input.LowVoltageTransfer': 88, 'Input.HighVoltageTransfer': 139,
    'Input.ConfigVoltage': 120, 'Input.Frequency': 600,
    'Output.Voltage': 121, 'Output.PercentLoad': 12, 'Output.Test': 1,
    'Output.DelayBeforeShutdown': -1, 'Output.DelayBeforeStartup': -1,
    'Output.ConfigActivePower': 900, 'Output.ConfigVoltage': 120, 'Output.Frequency': 600,
    'Output.Boost': 0, 'Output.Overload': 0,
}
CYBERPOWER_PRESETS = _presets(CYBERPOWER_STATE, {
    'ACPresent': 0, 'Charging': 0, 'Discharging': 1, 'FullyCharged': 0,
    'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 9, 'RunTimeToEmpty': 240,
    'Voltage': 3480, 'Input.Voltage': 0, 'Input.Frequency': 0, 'Output.Voltage': 120,
    'Output.PercentLoad': 13,
})


def tripplite_tree():
    """Tripp Lite SMC15002URM-like (09ae:3015): battery values under BatterySystem, line values
    under PowerConverter, delays under OutletSystem.Outlet, part number in the vendor
    TLCustom.[1] collection."""
    P, B, X = PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x01, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x02, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x03, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x04, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x05, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x06, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Coll(P, 0x1A, 'physical', [                              # ...PowerSummary.Input
                Field(0x07, P, 0x40, 'PowerSummary.Input.ConfigVoltage', lmax=255, unit=V,
                      unit_exp=7)]),
            Coll(P, 0x02, 'logical', _bits(0x32, None, [              # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Discharging', B, 0x45), ('Charging', B, 0x44),
                ('FullyCharged', B, 0x46), ('BelowRemainingCapacityLimit', B, 0x42),
                ('FullyDischarged', B, 0x47), ('NeedReplacement', B, 0x4B),
                ('ShutdownImminent', P, 0x69), ('InternalFailure', P, 0x62)], 7)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Coll(P, 0x12, 'physical', [                              # ...Battery
                Field(0x08, P, 0x40, 'Battery.ConfigVoltage', lmax=255, unit=V, unit_exp=7),
                Field(0x09, P, 0x30, 'Battery.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=6, kinds='FI'),
            ]),
            Field(0x0A, P, 0x36, 'BatterySystem.Temperature', bits=16, lmax=65535,
                  unit=UNIT_KELVIN),
            Field(0x0B, P, 0x58, 'BatterySystem.Test', lmax=7, rw=True),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Coll(P, 0x1A, 'physical', [
                Field(0x0C, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x0D, P, 0x32, 'Input.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                      unit_exp=-1),
            ]),
            Coll(P, 0x1C, 'physical', [
                Field(0x0E, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x0F, P, 0x32, 'Output.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                      unit_exp=-1),
                Field(0x10, P, 0x31, 'Output.Current', bits=16, lmax=65535, unit=UNIT_AMPERE,
                      unit_exp=-1),
                Field(0x11, P, 0x34, 'Output.ActivePower', bits=16, lmax=65535,
                      unit=UNIT_WATT, unit_exp=7),
                Field(0x12, P, 0x53, 'Output.LowVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x13, P, 0x54, 'Output.HighVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x14, X, 0x57, 'Output.TLLowVoltageTransferMax', bits=16, lmax=65535),
                Field(0x14, X, 0x58, 'Output.TLLowVoltageTransferMin', bits=16, lmax=65535),
                Field(0x14, X, 0x59, 'Output.TLHighVoltageTransferMax', bits=16, lmax=65535),
                Field(0x14, X, 0x5A, 'Output.TLHighVoltageTransferMin', bits=16, lmax=65535),
            ]),
            Coll(P, 0x02, 'logical', _bits(0x15, None, [
                ('PowerConverter.Boost', P, 0x6E), ('PowerConverter.Buck', P, 0x6F),
                ('PowerConverter.Overload', P, 0x65), ('PowerConverter.VoltageOutOfRange', P, 0x63),
                ('PowerConverter.OverTemperature', P, 0x67)], 3)),
        ]),
        Coll(P, 0x1E, 'physical', [                                  # UPS.Flow
            Field(0x16, P, 0x40, 'Flow.ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x17, P, 0x42, 'Flow.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x18, P, 0x43, 'Flow.ConfigApparentPower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
        ]),
        Coll(P, 0x18, 'physical', [                                  # UPS.OutletSystem
            Coll(P, 0x20, 'physical', [                              # ...Outlet
                Field(0x19, P, 0x35, 'Outlet.PercentLoad', lmax=100, kinds='FI'),
                Field(0x1A, P, 0x57, 'Outlet.DelayBeforeShutdown', bits=16, lmin=-1,
                      lmax=32767, unit=S, rw=True),
                Field(0x1B, P, 0x56, 'Outlet.DelayBeforeStartup', bits=16, lmin=-1,
                      lmax=32767, unit=S, rw=True),
                Field(0x1C, P, 0x55, 'Outlet.DelayBeforeReboot', bits=16, lmin=-1,
                      lmax=32767, unit=S, rw=True),
                Field(0x1D, X, 0x92, 'Outlet.TLWatchdog', lmax=255, rw=True),
            ]),
        ]),
        Coll(X, 0x10, None, [                                        # UPS.TLCustom.[1]
            Field(0x1E, X, 0x7F, 'iUPSPartNumber', const=True),
            Field(0x1F, X, 0x7C, 'UPSFirmwareVersion', bits=16, lmax=65535),
        ], index=1),
    ])


TRIPPLITE_STATE = {
    'iDeviceChemistry': 4, 'iOEMInformation': 1, 'iUPSPartNumber': 5,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 2582, 'RemainingCapacityLimit': 10,
    'WarningCapacityLimit': 30, 'AudibleAlarmControl': 2,
    'PowerSummary.Input.ConfigVoltage': 120,
    'ACPresent': 1, 'Discharging': 0, 'Charging': 0, 'FullyCharged': 1,
    'BelowRemainingCapacityLimit': 0, 'FullyDischarged': 0, 'NeedReplacement': 0,
    'ShutdownImminent': 0, 'InternalFailure': 0,
    'Battery.ConfigVoltage': 36, 'Battery.Voltage': 421, 'BatterySystem.Temperature': 311,
    'BatterySystem.Test': 1,
    'Input.Voltage': 1211, 'Input.Frequency': 598,
    'Output.Voltage': 1200, 'Output.Frequency': 598, 'Output.Current': 20,
    'Output.ActivePower': 288, 'Output.LowVoltageTransfer': 83,
    'Output.HighVoltageTransfer': 145, 'Output.TLLowVoltageTransferMax': 97,
    'Output.TLLowVoltageTransferMin': 75, 'Output.TLHighVoltageTransferMax': 150,
    'Output.TLHighVoltageTransferMin': 135,
    'PowerConverter.Boost': 0, 'PowerConverter.Buck': 0, 'PowerConverter.Overload': 0,
    'PowerConverter.VoltageOutOfRange': 0, 'PowerConverter.OverTemperature': 0,
    'Flow.ConfigVoltage': 120, 'Flow.ConfigFrequency': 60, 'Flow.ConfigApparentPower': 1500,
    'Outlet.PercentLoad': 24, 'Outlet.DelayBeforeShutdown': -1,
    'Outlet.DelayBeforeStartup': -1, 'Outlet.DelayBeforeReboot': -1, 'Outlet.TLWatchdog': 0,
    'UPSFirmwareVersion': 262,
}
TRIPPLITE_PRESETS = _presets(TRIPPLITE_STATE, {
    'ACPresent': 0, 'Discharging': 1, 'Charging': 0, 'FullyCharged': 0,
    'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 8, 'RunTimeToEmpty': 180,
    'Battery.Voltage': 352, 'Input.Voltage': 0, 'Input.Frequency': 0, 'Output.Voltage': 1198,
    'Output.Frequency': 600, 'Outlet.PercentLoad': 25,
})


def _mge_outlet(n, rid):
    """UPS.OutletSystem.Outlet.[n] of a PowerShare outlet (n >= 2)."""
    P, B, X = PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR
    o = f'Outlet{n}.'
    return Coll(P, 0x20, None, [
        Field(rid, P, 0x21, o + 'OutletID', lmax=255),
        Field(rid + 2, B, 0x29, o + 'RemainingCapacityLimit', lmax=100, rw=True),
        Field(rid + 3, X, 0x5D, o + 'ShutdownTimer', bits=16, lmax=65535, unit=UNIT_SECOND, rw=True),
        Field(rid + 4, X, 0x5E, o + 'StartupTimer', bits=16, lmax=65535, unit=UNIT_SECOND, rw=True),
        Field(rid + 5, P, 0x57, o + 'DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767,
              unit=UNIT_SECOND, rw=True),
        Field(rid + 6, P, 0x56, o + 'DelayBeforeStartup', bits=16, lmin=-1, lmax=32767,
              unit=UNIT_SECOND, rw=True),
        Coll(P, 0x02, 'logical', _bits(rid + 1, None, [
            (o + 'SwitchOn/Off', P, 0x6B), (o + 'Switchable', P, 0x6C)], 6)),
    ], index=n)


def mge_tree():
    """Eaton 5P 650-like (0463:ffff, MGE HID paths): iModel "650" makes mge-hid's model
    "5P 650" (type EATON_5P, which reports battery voltage); index collections [n] as in
    UPS.PowerConverter.Input.[1], UPS.Flow.[4], UPS.OutletSystem.Outlet.[2]."""
    P, B, X = PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR
    V, S, A = UNIT_VOLT, UNIT_SECOND, UNIT_AMPERE
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x01, X, 0xF0, 'iModel', const=True),
            Field(0x01, X, 0xF1, 'iVersion', const=True),
            Field(0x06, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x06, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x0A, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Field(0x0B, X, 0x4D, 'RemainingCapacityLimitSetting', lmax=100, rw=True),
            Field(0x0C, P, 0x40, 'ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x0D, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=6, kinds='FI'),
            Field(0x0E, P, 0x35, 'PercentLoad', lmax=255, kinds='FI'),
            Field(0x0F, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x10, P, 0x56, 'DelayBeforeStartup', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x11, P, 0x55, 'DelayBeforeReboot', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x12, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Field(0x13, X, 0x5F, 'RestartLevel', lmax=100, rw=True),
            Coll(P, 0x02, 'logical', _bits(0x15, None, [              # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('BelowRemainingCapacityLimit', B, 0x42), ('FullyCharged', B, 0x46),
                ('NeedReplacement', B, 0x4B), ('ShutdownImminent', P, 0x69),
                ('Overload', P, 0x65), ('Good', P, 0x61), ('InternalFailure', P, 0x62),
                ('OverTemperature', P, 0x67), ('Switchable', P, 0x6C)], 4)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Coll(P, 0x12, 'physical', [                              # ...Battery
                Field(0x20, B, 0x83, 'Battery.DesignCapacity', bits=16, lmax=65535,
                      unit=UNIT_AS),
                Field(0x21, P, 0x58, 'Battery.Test', lmax=7, rw=True),
                Field(0x22, X, 0x45, 'Battery.TestPeriod', bits=32, lmax=0x7FFFFFFF, unit=S,
                      rw=True),
                Field(0x23, X, 0x49, 'Battery.DeepDischargeProtection', lmax=1, rw=True),
                Coll(P, 0x02, 'logical', _bits(0x24, None, [('Battery.Present', P, 0x60)], 7)),
            ]),
            Coll(P, 0x14, 'physical', [                              # ...Charger (ABM)
                Field(0x25, X, 0x87, 'Charger.ABMEnable', lmax=1, rw=True),
                Field(0x26, X, 0x94, 'Charger.Mode', lmin=1, lmax=6, kinds='FI'),
            ]),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Field(0x4F, X, 0x41, 'ConverterType', lmax=5),
            Coll(P, 0x1A, None, [                                    # ...Input.[1]
                    Field(0x30, P, 0x30, 'Input1.Voltage', bits=16, lmax=65535, unit=V,
                          unit_exp=6, kinds='FI'),
                    Field(0x31, P, 0x32, 'Input1.Frequency', bits=16, lmax=65535,
                          unit=UNIT_HERTZ, unit_exp=-1),
                    Field(0x32, P, 0x31, 'Input1.Current', bits=16, lmax=65535, unit=A,
                          unit_exp=-2),
                    Field(0x33, X, 0x43, 'Input1.AutomaticRestart', lmax=1, rw=True),
                    Coll(P, 0x02, 'logical', _bits(0x34, None, [
                        ('Input1.Buck', P, 0x6F), ('Input1.Boost', P, 0x6E),
                        ('Input1.VoltageOutOfRange', P, 0x63),
                        ('Input1.FrequencyOutOfRange', P, 0x64), ('Input1.Used', P, 0x6D)], 3)),
            ], index=1),
            Coll(P, 0x1A, None, [                                    # ...Input.[3]
                    Field(0x35, X, 0x46, 'Input3.EnergySaving', lmax=1, rw=True),
                    Field(0x36, P, 0x45, 'Input3.ConfigPercentLoad', lmax=100, rw=True),
                    Field(0x37, X, 0x5D, 'Input3.ShutdownTimer', bits=16, lmax=65535, unit=S,
                          rw=True),
                    Field(0x38, X, 0x47, 'Input3.StartOnBattery', lmax=1, rw=True),
            ], index=3),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x40, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x41, P, 0x32, 'Output.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                      unit_exp=-1),
                Field(0x42, P, 0x31, 'Output.Current', bits=16, lmax=65535, unit=A, unit_exp=-2),
                Field(0x43, P, 0x33, 'Output.ApparentPower', bits=16, lmax=65535,
                      unit=UNIT_WATT, unit_exp=7),
                Field(0x44, P, 0x34, 'Output.ActivePower', bits=16, lmax=65535,
                      unit=UNIT_WATT, unit_exp=7),
                Field(0x45, X, 0x86, 'Output.Efficiency', lmax=100),
                Field(0x46, X, 0x69, 'Output.PowerFactor', lmax=100),
                Field(0x47, P, 0x53, 'Output.LowVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x48, P, 0x54, 'Output.HighVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x49, X, 0x50, 'Output.LowVoltageBoostTransfer', bits=16, lmax=65535,
                      unit=V, unit_exp=7, rw=True),
                Field(0x4A, X, 0x53, 'Output.HighVoltageBuckTransfer', bits=16, lmax=65535,
                      unit=V, unit_exp=7, rw=True),
                Field(0x4B, X, 0x4C, 'Output.SensitivityMode', lmax=2, rw=True),
                Field(0x4C, X, 0x4B, 'Output.ExtendedVoltageMode', lmax=1, rw=True),
                Field(0x4D, X, 0x4E, 'Output.ExtendedFrequencyMode', lmax=1, rw=True),
                Field(0x4E, X, 0x44, 'Output.ForcedReboot', lmax=1, rw=True),
            ]),
        ]),
        Coll(P, 0x1E, None, [                                        # UPS.Flow.[1]
                Field(0x50, P, 0x40, 'Flow1.ConfigVoltage', bits=16, lmax=65535, unit=V,
                      unit_exp=7),
                Field(0x51, P, 0x42, 'Flow1.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
        ], index=1),
        Coll(P, 0x1E, None, [                                        # UPS.Flow.[4]
                Field(0x52, P, 0x40, 'Flow4.ConfigVoltage', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x53, P, 0x42, 'Flow4.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
                Field(0x54, P, 0x43, 'Flow4.ConfigApparentPower', bits=16, lmax=65535,
                      unit=UNIT_WATT, unit_exp=7),
                Field(0x55, P, 0x44, 'Flow4.ConfigActivePower', bits=16, lmax=65535,
                      unit=UNIT_WATT, unit_exp=7),
                Field(0x56, P, 0x45, 'Flow4.ConfigPercentLoad', lmax=255, rw=True),
        ], index=4),
        Coll(P, 0x18, 'physical', [                                  # UPS.OutletSystem
            Coll(P, 0x20, None, [                                    # ...Outlet.[1], main
                Field(0x60, P, 0x21, 'Outlet1.OutletID', lmax=255),
                Coll(P, 0x02, 'logical', _bits(0x61, None, [('Outlet1.Switchable', P, 0x6C)], 7)),
            ], index=1),
            _mge_outlet(2, 0x62),                                    # ...Outlet.[2], PowerShare
            _mge_outlet(3, 0x69),
        ]),
    ])


MGE_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'iModel': 5, 'iVersion': 6,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 1575, 'RemainingCapacityLimit': 20,
    'RemainingCapacityLimitSetting': 20, 'ConfigVoltage': 12, 'Voltage': 137,
    'PercentLoad': 21, 'DelayBeforeShutdown': -1, 'DelayBeforeStartup': -1,
    'DelayBeforeReboot': -1, 'AudibleAlarmControl': 2, 'RestartLevel': 0,
    'ACPresent': 1, 'Charging': 0, 'Discharging': 0, 'BelowRemainingCapacityLimit': 0,
    'FullyCharged': 1, 'NeedReplacement': 0, 'ShutdownImminent': 0, 'Overload': 0,
    'Good': 1, 'InternalFailure': 0, 'OverTemperature': 0, 'Switchable': 1,
    'Battery.DesignCapacity': 32400, 'Battery.Test': 1, 'Battery.TestPeriod': 2592000,
    'Battery.DeepDischargeProtection': 1, 'Battery.Present': 1,
    'Charger.ABMEnable': 1, 'Charger.Mode': 3,                     # ABM on, floating
    'ConverterType': 1,
    'Input1.Voltage': 2359, 'Input1.Frequency': 499, 'Input1.Current': 70,
    'Input1.AutomaticRestart': 1, 'Input1.Buck': 0, 'Input1.Boost': 0,
    'Input1.VoltageOutOfRange': 0, 'Input1.FrequencyOutOfRange': 0, 'Input1.Used': 1,
    'Input3.EnergySaving': 0, 'Input3.ConfigPercentLoad': 5, 'Input3.ShutdownTimer': 300,
    'Input3.StartOnBattery': 1,
    'Output.Voltage': 2359, 'Output.Frequency': 499, 'Output.Current': 60,
    'Output.ApparentPower': 142, 'Output.ActivePower': 76, 'Output.Efficiency': 86,
    'Output.PowerFactor': 53, 'Output.LowVoltageTransfer': 160,
    'Output.HighVoltageTransfer': 294, 'Output.LowVoltageBoostTransfer': 184,
    'Output.HighVoltageBuckTransfer': 265, 'Output.SensitivityMode': 0,
    'Output.ExtendedVoltageMode': 0, 'Output.ExtendedFrequencyMode': 0,
    'Output.ForcedReboot': 1,
    'Flow1.ConfigVoltage': 230, 'Flow1.ConfigFrequency': 50, 'Flow4.ConfigVoltage': 230,
    'Flow4.ConfigFrequency': 50, 'Flow4.ConfigApparentPower': 650,
    'Flow4.ConfigActivePower': 420, 'Flow4.ConfigPercentLoad': 105,
    'Outlet1.OutletID': 0, 'Outlet1.Switchable': 0,
    'Outlet2.OutletID': 1, 'Outlet2.RemainingCapacityLimit': 0, 'Outlet2.ShutdownTimer': 65535,
    'Outlet2.StartupTimer': 3, 'Outlet2.DelayBeforeShutdown': -1,
    'Outlet2.DelayBeforeStartup': -1, 'Outlet2.SwitchOn/Off': 1, 'Outlet2.Switchable': 1,
    'Outlet3.OutletID': 2, 'Outlet3.RemainingCapacityLimit': 0, 'Outlet3.ShutdownTimer': 65535,
    'Outlet3.StartupTimer': 6, 'Outlet3.DelayBeforeShutdown': -1,
    'Outlet3.DelayBeforeStartup': -1, 'Outlet3.SwitchOn/Off': 1, 'Outlet3.Switchable': 1,
}
MGE_PRESETS = _presets(MGE_STATE, {
    'ACPresent': 0, 'Charging': 0, 'Discharging': 1, 'BelowRemainingCapacityLimit': 1,
    'Charger.Mode': 2, 'RemainingCapacity': 12, 'RunTimeToEmpty': 130, 'Voltage': 116, 'PercentLoad': 22,
    'Input1.Voltage': 0, 'Input1.Frequency': 0, 'Input1.Current': 0, 'Input1.Used': 0,
    'Input1.VoltageOutOfRange': 1, 'Output.Voltage': 2300, 'Output.Frequency': 500,
})


PROFILES = {
    # APC Back-UPS (usbhid-ups subdriver "apc-hid", 051d:0002)
    'apc': dict(vid=0x051D, pid=0x0002, bcd=0x0106,
                strings={1: 'American Power Conversion',
                         2: 'Back-UPS ES 700G FW:871.O4 .I USB FW:O4',
                         3: '4B1234P56789',
                         4: 'PbAc'}),
    # Eaton 5P (usbhid-ups subdriver "mge-hid", 0463:ffff)
    'eaton': dict(vid=0x0463, pid=0xFFFF, bcd=0x0100,
                  strings={1: 'EATON', 2: 'Eaton 5P', 3: 'G355H1234', 4: 'PbAc',
                           5: '650', 6: '02.14.0026'},
                  tree=mge_tree, state=MGE_STATE, presets=MGE_PRESETS),
    # CyberPower CP1500PFCLCD (subdriver "cps-hid", 0764:0501)
    'cyberpower': dict(vid=0x0764, pid=0x0501, bcd=0x0001,
                       strings={1: 'CPS', 2: 'CP1500PFCLCD', 3: 'CXXKV2004719', 4: 'PbAcid'},
                       tree=cyberpower_tree, state=CYBERPOWER_STATE,
                       presets=CYBERPOWER_PRESETS),
    # Tripp Lite SMC15002URM (subdriver "tripplite-hid", 09ae:3015); strings end in a blank
    # as that model's do
    'tripplite': dict(vid=0x09AE, pid=0x3015, bcd=0x0002,
                      strings={1: 'Tripp Lite ', 2: 'TRIPP LITE SMC15002URM ',
                               3: '2925EY0SM884E00010', 4: 'PbAC', 5: 'AG-0225'},
                      tree=tripplite_tree, state=TRIPPLITE_STATE, presets=TRIPPLITE_PRESETS),
}

def _load_profile_modules():
    """Profiles of further subdrivers live one module each in hid_profiles/ (a dict PROFILES
    with the same keys as above), so that they can be written without touching this file."""
    import importlib.util
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'hid_profiles')
    if not os.path.isdir(folder):
        return
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.py') or name.startswith('_'):
            continue
        spec = importlib.util.spec_from_file_location('hid_profiles.' + name[:-3], os.path.join(folder, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for key, profile in module.PROFILES.items():
            if key in PROFILES:
                raise SystemExit(f'hidups_sim: profile {key!r} of {name} is defined twice')
            PROFILES[key] = profile


_load_profile_modules()


DEFAULT_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3,
    'iDeviceChemistry': 4, 'iOEMInformation': 1,
    'Rechargeable': 1, 'CapacityMode': 2,
    'DesignCapacity': 100, 'FullChargeCapacity': 100,
    'WarningCapacityLimit': 50, 'RemainingCapacityLimit': 10,
    'ConfigVoltage': 120, 'Voltage': 136,            # 12.0 V / 13.6 V
    'RemainingCapacity': 100, 'RunTimeToEmpty': 2400,
    'DelayBeforeShutdown': -1, 'DelayBeforeStartup': -1,
    'AudibleAlarmControl': 2,
    'Charging': 0, 'Discharging': 0, 'ACPresent': 1, 'BatteryPresent': 1,
    'BelowRemainingCapacityLimit': 0, 'RemainingTimeLimitExpired': 0,
    'NeedReplacement': 0, 'ShutdownImminent': 0, 'Overload': 0,
    'Input.ConfigVoltage': 230, 'Input.Voltage': 2295,   # 229.5 V
    'Input.LowVoltageTransfer': 180, 'Input.HighVoltageTransfer': 266,
    'Output.PercentLoad': 23, 'Output.ConfigVoltage': 230,
}


class UpsModel:
    def __init__(self, profile, state_file=None, trace=False):
        self.p = PROFILES[profile]
        comp = DescriptorCompiler()
        self.rdesc = comp.compile(self.p.get('tree', ups_tree)())
        self.fields = comp.fields
        self.order = comp.order
        self.state = dict(self.p.get('state', DEFAULT_STATE))
        self.state_file = state_file
        self.state_mtime = None
        self.trace = trace
        self.lock = threading.RLock()
        self.pending_input = []      # queued interrupt-IN reports (bytes)
        self.stalls = set()          # (request, report id or '*') answered with STALL
        self.timeout_ms = 0          # hold HID report answers this long
        self.timeout_report = None   # ... only for this report ID (None: every ID)
        self.vanish_after = None     # submissions left before the device vanishes
        self.vanished = False
        self.interface = int(self.p.get('interface', 0))
        self.ep_in = int(self.p.get('ep_in', 0x81))
        self.ep_out = self.p.get('ep_out')
        self.configurations = int(self.p.get('configurations', 1))
        self.reload_state()
        if self.p.get('input_on_start'):
            with self.lock:
                for rid in sorted({f.rid for f in self.fields if 'I' in f.kinds}):
                    self.pending_input.append(self.report(rid, 'I'))

    # ---- descriptors ------------------------------------------------------
    def device_descriptor(self):
        p = self.p
        return struct.pack('<BBHBBBBHHHBBBB', 18, 1, 0x0200, 0, 0, 0, 8,
                           p['vid'], p['pid'], p['bcd'], 1, 2, 3, self.configurations)

    def hid_descriptor(self):
        return struct.pack('<BBHBBBH', 9, 0x21, 0x0110, 0x21, 1, 0x22, len(self.rdesc))

    def config_descriptor(self, index=0):
        """Configuration `index` (all alike): vendor-specific interfaces before the HID one."""
        body = b''.join(struct.pack('<BBBBBBBBB', 9, 4, n, 0, 0, 0xFF, 0, 0, 0)
                        for n in range(self.interface))
        eps = [struct.pack('<BBBBHB', 7, 5, self.ep_in, 3, 8, 10)]
        if self.ep_out is not None:
            eps.append(struct.pack('<BBBBHB', 7, 5, int(self.ep_out), 3, 8, 10))
        body += struct.pack('<BBBBBBBBB', 9, 4, self.interface, 0, len(eps), 3, 0, 0, 0)
        body += self.hid_descriptor() + b''.join(eps)
        return struct.pack('<BBHBBBBB', 9, 2, 9 + len(body), self.interface + 1, index + 1, 0,
                           0xE0, 0x32) + body

    def all_config_descriptors(self):
        return b''.join(self.config_descriptor(i) for i in range(self.configurations))

    def string_descriptor(self, idx):
        if idx == 0:
            return bytes([4, 3, 0x09, 0x04])
        s = self.p['strings'].get(idx)
        if s is None:
            return None
        enc = s.encode('utf-16-le')
        return bytes([2 + len(enc), 3]) + enc

    # ---- reports ----------------------------------------------------------
    def reload_state(self):
        if not self.state_file:
            return
        try:
            mt = os.stat(self.state_file).st_mtime_ns
        except FileNotFoundError:
            return
        if mt == self.state_mtime:
            return
        self.state_mtime = mt
        with open(self.state_file) as f:
            upd = json.load(f)
        preset = upd.pop('_preset', None)
        self._apply_faults(upd)
        if preset is not None:       # a named state of the profile, then the file's own keys
            upd = {**self.p.get('presets', {})[preset], **upd}
        with self.lock:
            changed = {k for k, v in upd.items() if self.state.get(k) != v}
            self.state.update(upd)
            if changed:
                for rid in sorted({f.rid for f in self.fields
                                   if f.name in changed and 'I' in f.kinds}):
                    self.pending_input.append(self.report(rid, 'I'))
        if self.trace:
            print(f'[sim] state reloaded, changed={sorted(changed)}', file=sys.stderr)

    def _apply_faults(self, upd):
        """The fault injection keys of the header; stored outside self.state."""
        if '_stall' in upd:
            spec = upd.pop('_stall') or []
            pairs = [spec] if spec and isinstance(spec[0], str) else spec
            self.stalls = {(str(r).upper(), '*' if i == '*' else int(i)) for r, i in pairs}
        if '_timeout_ms' in upd:
            self.timeout_ms = int(upd.pop('_timeout_ms') or 0)
        if '_timeout_report' in upd:
            v = upd.pop('_timeout_report')
            self.timeout_report = None if v is None else int(v)
        if '_vanish_after' in upd:
            v = upd.pop('_vanish_after')
            self.vanish_after = None if v is None else int(v)
            self.vanished = False
        if '_rdesc_hex' in upd:
            self.rdesc = bytes.fromhex(upd.pop('_rdesc_hex'))
        if '_configurations' in upd:
            self.configurations = int(upd.pop('_configurations'))

    def stalled(self, request, rid):
        return (request, rid) in self.stalls or (request, '*') in self.stalls

    def hold_ms(self, setup):
        """How long to hold the answer to this control request (the _timeout_ms fault)."""
        if not self.timeout_ms:
            return 0
        bm, req, wValue = setup[0], setup[1], setup[2] | (setup[3] << 8)
        if (bm, req) not in ((0xA1, 0x01), (0x21, 0x09)):
            return 0
        if self.timeout_report is not None and (wValue & 0xFF) != self.timeout_report:
            return 0
        return self.timeout_ms

    def count_submission(self):
        """True when this submission makes the device vanish (the _vanish_after fault)."""
        if self.vanish_after is None or self.vanished:
            return self.vanished
        self.vanish_after -= 1
        if self.vanish_after < 0:
            self.vanished = True
            print('[sim] device vanished (_vanish_after)', file=sys.stderr)
        return self.vanished

    def report(self, rid, kind):
        bits, nbits = 0, 0
        found = False
        for f in self.order.get(kind, []):
            if f.rid != rid:
                continue
            found = True
            v = 0 if isinstance(f, Pad) else int(self.state.get(f.name, 0))
            v &= (1 << f.bits) - 1
            bits |= v << nbits
            nbits += f.bits
        if not found:
            return None
        return bytes([rid]) + bits.to_bytes((nbits + 7) // 8, 'little')

    def set_report(self, rid, data):
        bits = int.from_bytes(data[1:], 'little')
        off = 0
        with self.lock:
            for f in self.order['F']:
                if f.rid != rid:
                    continue
                v = (bits >> off) & ((1 << f.bits) - 1)
                off += f.bits
                if isinstance(f, Pad):
                    continue
                if f.lmin < 0 and v & (1 << (f.bits - 1)):
                    v -= 1 << f.bits
                self.state[f.name] = v
                if self.trace:
                    print(f'[sim] SET_REPORT {f.name} = {v}', file=sys.stderr)

    # ---- control requests -------------------------------------------------
    def control(self, setup, out_data):
        """Return response bytes (IN), b'' (OUT ok) or None (STALL)."""
        bmRequestType, bRequest, wValue, wIndex, wLength = struct.unpack('<BBHHH', setup)
        dtype, didx = wValue >> 8, wValue & 0xFF
        resp = None
        if bmRequestType in (0x80, 0x81) and bRequest == 6:          # GET_DESCRIPTOR
            if bmRequestType == 0x80 and dtype == 1:
                resp = self.device_descriptor()
            elif bmRequestType == 0x80 and dtype == 2:
                resp = self.config_descriptor(didx) if didx < self.configurations else None
            elif bmRequestType == 0x80 and dtype == 3:
                resp = None if self.stalled('GET_STRING', didx) else self.string_descriptor(didx)
            elif bmRequestType == 0x81 and dtype == 0x21 and wIndex == self.interface:
                resp = self.hid_descriptor()
            elif bmRequestType == 0x81 and dtype == 0x22 and wIndex == self.interface:
                resp = None if self.stalled('GET_DESCRIPTOR', didx) else self.rdesc
        elif bmRequestType in (0xA1, 0x21) and wIndex != self.interface:
            resp = None                                              # HID request, other interface
        elif bmRequestType == 0x80 and bRequest == 0:                # GET_STATUS
            resp = b'\x00\x00'
        elif bmRequestType == 0x80 and bRequest == 8:                # GET_CONFIGURATION
            resp = b'\x01'
        elif bmRequestType == 0xA1 and bRequest == 0x01:             # HID GET_REPORT
            self.reload_state()
            if not self.stalled('GET_REPORT', didx):
                with self.lock:
                    resp = self.report(didx, {1: 'I', 3: 'F'}.get(dtype, '?'))
        elif bmRequestType == 0x21 and bRequest == 0x09:             # HID SET_REPORT
            if not self.stalled('SET_REPORT', didx):
                self.set_report(didx, out_data)
                resp = b''
        elif bmRequestType == 0x21 and bRequest == 0x0A:             # HID SET_IDLE
            resp = b''
        elif bmRequestType in (0x00, 0x01, 0x02):                    # std OUT requests
            resp = b''
        if self.trace:
            print(f'[sim] CTRL {setup.hex()} -> '
                  f'{"STALL" if resp is None else resp[:wLength].hex()}', file=sys.stderr)
        return None if resp is None else resp[:wLength]

    def next_input_report(self):
        self.reload_state()
        with self.lock:
            return self.pending_input.pop(0) if self.pending_input else None


class Urb:
    __slots__ = ('addr', 'data', 'buf', 'type', 'ep', 'length')


class ClientState:
    """URB queues of one opened file descriptor (one IoctlClient)."""

    def __init__(self):
        self.pending = []      # submitted interrupt-IN URBs waiting for data
        self.held = []         # (due time, URB, status, payload): answers held back (_timeout_ms)
        self.completed = []    # URBs ready to be reaped


class UsbIoctlHandler:
    """Implements usbdevfs semantics on top of a UMockdev.IoctlBase."""

    def __init__(self, model, trace=False, log=None):
        self.model = model
        self.trace = trace
        self.log = log
        self.base = UMockdev.IoctlBase()
        self.base.connect('handle-ioctl', self.on_ioctl)
        self.lock = threading.RLock()
        self.clients = {}

    def _log(self, **rec):
        if self.log:
            rec['t'] = round(time.time(), 3)
            with open(self.log, 'a') as f:
                f.write(json.dumps(rec) + '\n')

    def _complete(self, cs, urb, status, payload=b''):
        if payload:
            off = 8 if urb.type == URB_TYPE_CONTROL else 0
            urb.buf.update(off, payload)
        urb.data.update(URB_OFF_STATUS, struct.pack('<i', status))
        urb.data.update(URB_OFF_ACTUAL, struct.pack('<i', len(payload)))
        cs.completed.append(urb)

    def _release_held(self, cs):
        now = time.monotonic()
        for entry in list(cs.held):
            due, urb, status, payload = entry
            if due <= now:
                cs.held.remove(entry)
                self._complete(cs, urb, status, payload)

    def _poll_interrupts(self, cs):
        for urb in list(cs.pending):
            rep = self.model.next_input_report()
            if rep is None:
                break
            cs.pending.remove(urb)
            self._complete(cs, urb, 0, rep[:urb.length])
            self._log(ep=f'{self.model.ep_in:#x}', data=rep.hex())

    def on_ioctl(self, _base, client):
        req = client.get_request()
        try:
            with self.lock:
                cs = self.clients.setdefault(client, ClientState())
                return self._dispatch(req, client.get_arg(), client, cs)
        except Exception as e:  # never let an exception escape into GLib
            print(f'[sim] handler error for ioctl {req:#x}: {e!r}', file=sys.stderr)
            client.complete(-1, errno.EIO)
            return True

    def _dispatch(self, req, arg, client, cs):
        self.model.reload_state()
        if req == USBDEVFS_SUBMITURB and self.model.count_submission():
            self._log(vanished=True)
        if self.model.state.get('_disconnected') or self.model.vanished:
            # unplugged: every usbdevfs call fails like on a vanished device;
            # already submitted URBs are reaped with -ENODEV first.
            if req in (USBDEVFS_REAPURB, USBDEVFS_REAPURBNDELAY) and (cs.pending or cs.held or cs.completed):
                for urb in cs.pending + [h[1] for h in cs.held]:
                    self._complete(cs, urb, -errno.ENODEV)
                cs.pending.clear()
                cs.held.clear()
            else:
                client.complete(-1, errno.ENODEV)
                return True
        if req == USBDEVFS_GET_CAPABILITIES:
            d = arg.resolve(0, 4)
            d.update(0, struct.pack('<I', 0x04 | 0x10))  # NO_PACKET_SIZE_LIM|REAP_AFTER_DISCONNECT
            client.complete(0, 0)
        elif req == USBDEVFS_CLAIMINTERFACE and self._interface_arg(arg) > self.model.interface:
            client.complete(-1, errno.ENOENT)       # no such interface in the configuration
        elif req == USBDEVFS_SETINTERFACE and self._setinterface_alt(arg) != 0:
            client.complete(-1, errno.EINVAL)       # every interface has alternate setting 0 only
        elif req in (USBDEVFS_CLAIMINTERFACE, USBDEVFS_RELEASEINTERFACE,
                     USBDEVFS_SETINTERFACE, USBDEVFS_SETCONFIGURATION,
                     USBDEVFS_CLEAR_HALT, USBDEVFS_RESETEP, USBDEVFS_RESET,
                     USBDEVFS_DISCONNECT_CLAIM):
            client.complete(0, 0)
        elif req in (USBDEVFS_GETDRIVER, USBDEVFS_IOCTL):
            client.complete(-1, errno.ENODATA)      # no kernel driver bound
        elif req == USBDEVFS_GET_SPEED:
            client.complete(2, 0)                   # USB_SPEED_FULL
        elif req == USBDEVFS_CONNECTINFO:
            d = arg.resolve(0, 8)
            d.update(0, struct.pack('<IB3x', 2, 0))
            client.complete(0, 0)
        elif req == USBDEVFS_SUBMITURB:
            self._submit(arg, client, cs)
        elif req in (USBDEVFS_REAPURB, USBDEVFS_REAPURBNDELAY):
            self._release_held(cs)
            self._poll_interrupts(cs)
            if not cs.completed:
                # nothing to reap: under umockdev the fd always polls ready, so libusb's event
                # loop spins on REAPURBNDELAY while an interrupt URB waits; a short nap here
                # keeps that loop (and this process) from eating a whole CPU
                if cs.pending or cs.held:
                    time.sleep(REAP_IDLE_SLEEP_S)
                client.complete(-1, errno.EAGAIN)
            else:
                urb = cs.completed.pop(0)
                slot = arg.resolve(0, 8)
                slot.set_ptr(0, urb.data)
                client.complete(0, 0)
        elif req == USBDEVFS_DISCARDURB:
            addr = struct.unpack('<Q', bytes(arg.retrieve()))[0]
            for urb in cs.pending + [h[1] for h in cs.held]:
                if urb.addr == addr:
                    if urb in cs.pending:
                        cs.pending.remove(urb)
                    cs.held[:] = [h for h in cs.held if h[1] is not urb]
                    self._complete(cs, urb, -errno.ENOENT)
                    client.complete(0, 0)
                    break
            else:
                client.complete(-1, errno.EINVAL)
        else:
            if self.trace:
                print(f'[sim] unhandled ioctl {req:#x}', file=sys.stderr)
            client.complete(-1, errno.ENOTTY)
        return True

    @staticmethod
    def _interface_arg(arg):
        """The interface number an ioctl's `unsigned int *` argument points to."""
        return struct.unpack('<I', bytes(arg.resolve(0, 4).retrieve()))[0]

    @staticmethod
    def _setinterface_alt(arg):
        """The alternate setting of a struct usbdevfs_setinterface {interface, altsetting}."""
        return struct.unpack('<II', bytes(arg.resolve(0, 8).retrieve()))[1]

    def _submit(self, arg, client, cs):
        urb = Urb()
        urb.addr = struct.unpack('<Q', bytes(arg.retrieve()))[0]
        urb.data = arg.resolve(0, URB_SIZE)
        raw = bytes(urb.data.retrieve())
        urb.type, urb.ep = raw[0], raw[1]
        urb.length = struct.unpack_from('<i', raw, URB_OFF_BUFLEN)[0]
        urb.buf = urb.data.resolve(URB_OFF_BUFFER, urb.length)
        if urb.type == URB_TYPE_CONTROL:
            b = bytes(urb.buf.retrieve())
            setup, out = b[:8], b[8:]
            resp = self.model.control(setup, out)
            hold = self.model.hold_ms(setup)
            self._log(setup=setup.hex(), out=out.hex() if not setup[0] & 0x80 else None,
                      resp=None if resp is None else resp.hex(), stall=resp is None,
                      **({'held_ms': hold} if hold else {}))
            if hold:
                status, payload = (-errno.EPIPE, b'') if resp is None else (0, resp if setup[0] & 0x80 else b'')
                cs.held.append((time.monotonic() + hold / 1000, urb, status, payload))
            elif resp is None:
                self._complete(cs, urb, -errno.EPIPE)
            elif setup[0] & 0x80:
                self._complete(cs, urb, 0, resp)
            else:
                urb.data.update(URB_OFF_STATUS, struct.pack('<i', 0))
                urb.data.update(URB_OFF_ACTUAL, struct.pack('<i', len(out)))
                cs.completed.append(urb)
        elif urb.type == URB_TYPE_INTERRUPT and urb.ep == self.model.ep_in:
            cs.pending.append(urb)
            self._poll_interrupts(cs)
        else:
            client.complete(-1, errno.EINVAL)
            return
        client.complete(0, 0)


def umockdev_description(model, sysname='1-1', busnum=1, devnum=2):
    p = model.p
    dd = model.device_descriptor() + model.all_config_descriptors()
    node = f'bus/usb/{busnum:03d}/{devnum:03d}'
    path = f'/devices/pci0000:00/0000:00:14.0/usb{busnum}/{sysname}'
    s = p['strings']
    return _nl(f"""P: {path}
N: {node}={dd.hex().upper()}
E: DEVNAME=/dev/{node}
E: DEVTYPE=usb_device
E: DRIVER=usb
E: PRODUCT={p['vid']:x}/{p['pid']:x}/{p['bcd']:x}
E: TYPE=0/0/0
E: BUSNUM={busnum:03d}
E: DEVNUM={devnum:03d}
E: MAJOR=189
E: MINOR={(busnum - 1) * 128 + devnum - 1}
E: SUBSYSTEM=usb
E: ID_VENDOR_ID={p['vid']:04x}
E: ID_MODEL_ID={p['pid']:04x}
E: ID_BUS=usb
E: ID_USB_INTERFACES=:{'ff0000:' * model.interface}030000:
A: authorized=1
A: bConfigurationValue=1
A: bDeviceClass=00
A: bDeviceProtocol=00
A: bDeviceSubClass=00
A: bMaxPacketSize0=8
A: bMaxPower=100mA
A: bNumConfigurations={model.configurations}
A: bNumInterfaces= {model.interface + 1}
A: bcdDevice={p['bcd']:04x}
A: bmAttributes=e0
A: busnum={busnum}
H: descriptors={dd.hex().upper()}
A: dev=189:{(busnum - 1) * 128 + devnum - 1}
A: devnum={devnum}
A: devpath={sysname.split('-')[1]}
A: idProduct={p['pid']:04x}
A: idVendor={p['vid']:04x}
A: manufacturer={s[1]}
A: maxchild=0
A: product={s[2]}
A: removable=removable
A: serial={s[3]}
A: speed=12
A: version= 2.00
""" + ''.join(_interface_node(model, path, sysname, n) for n in range(model.interface + 1)))


def _interface_node(model, path, sysname, n):
    p = model.p
    hid = n == model.interface
    return (f"""
P: {path}/{sysname}:1.{n}
E: DEVTYPE=usb_interface
E: PRODUCT={p['vid']:x}/{p['pid']:x}/{p['bcd']:x}
E: TYPE=0/0/0
E: INTERFACE={'3' if hid else '255'}/0/0
E: SUBSYSTEM=usb
A: bAlternateSetting= 0
A: bInterfaceClass={'03' if hid else 'ff'}
A: bInterfaceNumber={n:02x}
A: bInterfaceProtocol=00
A: bInterfaceSubClass=00
A: bNumEndpoints={(1 + (model.ep_out is not None)) if hid else 0:02x}
A: authorized=1
""")


def _nl(desc):
    """sysfs attribute values end with a newline, like the real kernel's."""
    return '\n'.join(l + '\\n' if l.startswith('A: ') else l
                     for l in desc.split('\n'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--profile', default=os.environ.get('HIDUPS_PROFILE', 'apc'),
                    help='profile, or comma-separated profiles for several devices: '
                         + ', '.join(sorted(PROFILES)))
    ap.add_argument('--state', default=os.environ.get('HIDUPS_STATE'))
    ap.add_argument('--trace', action='store_true', help='print every control transfer to stderr')
    ap.add_argument('--log', default=os.environ.get('HIDUPS_LOG'),
                    help='append one JSON line per control/interrupt transfer')
    ap.add_argument('--write-umockdev', metavar='FILE')
    ap.add_argument('--dump-rdesc', action='store_true')
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    profiles = a.profile.split(',')
    for name in profiles:
        if name not in PROFILES:
            ap.error(f'unknown profile {name!r} (choose from {", ".join(sorted(PROFILES))})')
    models = [UpsModel(name, a.state, a.trace) for name in profiles]
    model = models[0]
    descs = [umockdev_description(m, sysname=f'1-{i + 1}', devnum=i + 2)
             for i, m in enumerate(models)]
    desc = '\n'.join(descs)
    if a.dump_rdesc:
        print(model.rdesc.hex())
    if a.write_umockdev:
        with open(a.write_umockdev, 'w') as f:
            f.write(desc)
    cmd = a.cmd[1:] if a.cmd[:1] == ['--'] else a.cmd
    if not cmd:
        return 0

    tb = UMockdev.Testbed.new()
    nodes = []
    handlers = []
    for i, (m, d) in enumerate(zip(models, descs)):
        tb.add_from_string(d)
        handler = UsbIoctlHandler(m, a.trace, a.log)
        node = f'/dev/bus/usb/001/{i + 2:03d}'
        tb.attach_ioctl(node, handler.base)
        nodes.append(node)
        handlers.append(handler)

    env = dict(os.environ)
    env['UMOCKDEV_DIR'] = tb.get_root_dir()
    pre = 'libumockdev-preload.so.0'
    env['LD_PRELOAD'] = pre + (':' + env['LD_PRELOAD'] if env.get('LD_PRELOAD') else '')
    proc = subprocess.Popen(cmd, env=env)

    def forward(signum, _frame):          # stop the child when we are stopped
        if proc.poll() is None:
            proc.send_signal(signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    rc = proc.wait()
    for node in nodes:
        tb.detach_ioctl(node)
    del tb
    return rc


if __name__ == '__main__':
    sys.exit(main())
