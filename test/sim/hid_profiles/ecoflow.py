"""
EcoFlow River 3 Plus (3746:ffff), the power station NUT 2.8.5's ecoflow-hid subdriver was
written for (NUT issue #2735, PR #2837): a plain HID PDC UPS.PowerSummary (capacities in %,
run time in MINUTES, the app's discharge limit as RemainingCapacityLimit, a 16-bit status
report), UPS.Flow.[4].ConfigActivePower (its rated capacity in Wh) and the outlet's reboot and
shutdown timers. Report IDs and the capacity values follow the debug dump posted in #2735;
on AC the device estimates some 40 hours of run time (its own controller's draw).
NUT 2.8.0 has no subdriver for vendor 0x3746.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_WATT, Field, Coll, bits_group,
    presets_online_low)


def ecoflow_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x03, B, 0x8B, 'Rechargeable', lmax=1),
            Field(0x05, P, 0x40, 'ConfigVoltage', bits=16, lmax=65535, unit=UNIT_VOLT,
                  unit_exp=6),
            Field(0x09, B, 0x85, 'ManufacturerDate', bits=16, lmax=65535),
            Field(0x0B, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=UNIT_VOLT, unit_exp=6,
                  kinds='FI'),
            Field(0x0C, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x0D, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=UNIT_SECOND,
                  kinds='FI'),
            Field(0x0E, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x0F, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x11, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x12, B, 0x2A, 'RemainingTimeLimit', bits=16, lmax=65535, unit=UNIT_SECOND),
            Field(0x14, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, kinds='FI', rw=True),
            Field(0x17, B, 0x83, 'DesignCapacity', lmax=100),
            Coll(P, 0x02, 'logical', bits_group(0x07, None, [          # ...PresentStatus
                ('Charging', B, 0x44), ('Discharging', B, 0x45), ('ACPresent', B, 0xD0),
                ('BatteryPresent', B, 0xD1), ('BelowRemainingCapacityLimit', B, 0x42),
                ('RemainingTimeLimitExpired', B, 0x43), ('NeedReplacement', B, 0x4B),
                ('VoltageNotRegulated', B, 0xDB), ('FullyCharged', B, 0x46),
                ('FullyDischarged', B, 0x47), ('ShutdownRequested', P, 0x68),
                ('ShutdownImminent', P, 0x69), ('CommunicationLost', P, 0x73),
                ('Overload', P, 0x65)], 2)),
        ]),
        Coll(P, 0x1E, None, [                                        # UPS.Flow.[4]
            Field(0x20, P, 0x44, 'ConfigActivePower', bits=16, lmax=65535, unit=UNIT_WATT,
                  unit_exp=7),
        ], index=4),
        Coll(P, 0x18, 'physical', [                                  # UPS.OutletSystem
            Coll(P, 0x20, 'physical', [                              # ...Outlet
                Field(0x21, P, 0x57, 'Outlet.DelayBeforeShutdown', bits=16, lmin=-1,
                      lmax=32767, unit=UNIT_SECOND, rw=True),
                Field(0x22, P, 0x55, 'Outlet.DelayBeforeReboot', bits=16, lmin=-1,
                      lmax=32767, unit=UNIT_SECOND, rw=True),
            ]),
        ]),
    ])


ECOFLOW_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'iOEMInformation': 5, 'Rechargeable': 1,
    'ConfigVoltage': 128,               # 12.8 V (exponent -1)
    'ManufacturerDate': (44 << 9) + (11 << 5) + 5,   # 2024/11/05
    'Voltage': 133,                     # 13.3 V
    'RemainingCapacity': 81, 'RunTimeToEmpty': 2400,  # minutes: 40 hours on AC
    'FullChargeCapacity': 100, 'WarningCapacityLimit': 10, 'RemainingCapacityLimit': 20,
    'RemainingTimeLimit': 600, 'AudibleAlarmControl': 2, 'DesignCapacity': 100,
    'Charging': 1, 'Discharging': 0, 'ACPresent': 1, 'BatteryPresent': 1,
    'BelowRemainingCapacityLimit': 0, 'RemainingTimeLimitExpired': 0, 'NeedReplacement': 0,
    'VoltageNotRegulated': 0, 'FullyCharged': 0, 'FullyDischarged': 0,
    'ShutdownRequested': 0, 'ShutdownImminent': 0, 'CommunicationLost': 0, 'Overload': 0,
    'ConfigActivePower': 286,           # Wh, the River 3 Plus' rating
    'Outlet.DelayBeforeShutdown': -1, 'Outlet.DelayBeforeReboot': -1,
}
ECOFLOW_PRESETS = presets_online_low(ECOFLOW_STATE, {
    'ACPresent': 0, 'Charging': 0, 'Discharging': 1, 'BelowRemainingCapacityLimit': 1,
    'RemainingCapacity': 19, 'RunTimeToEmpty': 12, 'Voltage': 124,
})

PROFILES = {
    'ecoflow': dict(vid=0x3746, pid=0xFFFF, bcd=0x0100,
                    strings={1: 'EcoFlow', 2: 'EF-UPS-RIVER 3 Plus', 3: 'R631ZEB4XF123456',
                             4: 'LiFePO4', 5: 'EcoFlow'},
                    tree=ecoflow_tree, state=ECOFLOW_STATE, presets=ECOFLOW_PRESETS),
}
