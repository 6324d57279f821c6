"""
Arduino Leonardo running the HIDPowerDevice sketch (2341:8036), the device NUT 2.8.0's
arduino-hid subdriver was written for: a composite CDC + HID device whose Power Device
collection carries the usual PowerSummary values. arduino-hid maps only the PowerSummary
delays (ups.delay.*, ups.timer.*, load/shutdown commands); the rest is there because the
sketch reports it. The HID function is interface 2 with interrupt endpoints 0x84 (in) and
0x05 (out), as on the real board; NUT 2.8.0 also reads configuration descriptor 2 then, so it
finds the device only when the state file offers 3 or more configurations.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, Field, Coll, bits_group,
    presets_online_low)


def arduino_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x02, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x03, P, 0xFD, 'iManufacturer', const=True),
            Field(0x04, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x06, B, 0x8B, 'Rechargeable', lmax=1),
            Field(0x08, B, 0x2A, 'RemainingTimeLimit', bits=16, lmax=65535, unit=S, rw=True),
            Field(0x0A, P, 0x40, 'ConfigVoltage', bits=16, lmax=65535, unit=V, unit_exp=5),
            Field(0x0B, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=5, kinds='FI'),
            Field(0x0C, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x0D, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x0E, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x0F, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x11, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x12, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x13, P, 0x55, 'DelayBeforeReboot', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x16, B, 0x2C, 'CapacityMode', lmax=2),
            Field(0x17, B, 0x83, 'DesignCapacity', lmax=100),
            Coll(P, 0x02, 'logical', bits_group(0x07, None, [          # ...PresentStatus
                ('Charging', B, 0x44), ('Discharging', B, 0x45), ('ACPresent', B, 0xD0),
                ('BatteryPresent', B, 0xD1), ('BelowRemainingCapacityLimit', B, 0x42),
                ('RemainingTimeLimitExpired', B, 0x43), ('NeedReplacement', B, 0x4B),
                ('FullyCharged', B, 0x46), ('FullyDischarged', B, 0x47),
                ('ShutdownImminent', P, 0x69), ('Overload', P, 0x65)], 5)),
        ]),
    ])


ARDUINO_STATE = {
    'iProduct': 2, 'iSerialNumber': 3, 'iManufacturer': 1, 'iDeviceChemistry': 4,
    'Rechargeable': 1, 'RemainingTimeLimit': 600, 'ConfigVoltage': 1380, 'Voltage': 1300,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 7200, 'FullChargeCapacity': 100,
    'WarningCapacityLimit': 10, 'RemainingCapacityLimit': 5, 'DelayBeforeShutdown': -1,
    'DelayBeforeReboot': -1, 'CapacityMode': 2, 'DesignCapacity': 100,
    'Charging': 0, 'Discharging': 0, 'ACPresent': 1, 'BatteryPresent': 1,
    'BelowRemainingCapacityLimit': 0, 'RemainingTimeLimitExpired': 0, 'NeedReplacement': 0,
    'FullyCharged': 1, 'FullyDischarged': 0, 'ShutdownImminent': 0, 'Overload': 0,
}
ARDUINO_PRESETS = presets_online_low(ARDUINO_STATE, {
    'ACPresent': 0, 'Discharging': 1, 'FullyCharged': 0, 'BelowRemainingCapacityLimit': 1,
    'RemainingCapacity': 4, 'RunTimeToEmpty': 240, 'Voltage': 1050,
})

PROFILES = {
    # the sketch's HID function is interface 2 (CDC takes 0 and 1), endpoints 0x84 / 0x05; one
    # configuration, as every Leonardo has ({"_configurations": 3} in the state file offers 3)
    'arduino': dict(vid=0x2341, pid=0x8036, bcd=0x0100,
                    strings={1: 'Arduino LLC', 2: 'Arduino Leonardo', 3: 'UPS10', 4: 'LiP'},
                    interface=2, ep_in=0x84, ep_out=0x05,
                    tree=arduino_tree, state=ARDUINO_STATE, presets=ARDUINO_PRESETS),
}
