"""
Legrand Keor PDU 800 (1cb0:0038), the device of NUT's legrand-hid.c (`Legrand HID 0.2`).
Values from the nut-ddl report Legrand__Keor_PDU_800__usbhid-ups__2.8.0.1__01. The firmware's
exponents are off by powers of ten, which legrand-hid scales back: the battery voltages come
in tenths of a volt with exponent 0 (divide_by_10) or 1e5 too small (times100k), the line
voltages 1e6 / 1e7 too small (times1M, times10M), the high transfer limit in tens (times10).
Some values are under UPS.Input / UPS.Output, others under UPS.PowerConverter, as the table
allows both.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_WATT,
                            UNIT_HERTZ, Field, Coll, bits_group, presets_online_low)


def legrand_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x02, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x03, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x03, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            # 0.1 V steps reported with exponent 0
            Field(0x04, P, 0x40, 'ConfigVoltage', bits=16, lmax=65535, unit=V, unit_exp=7),
            Field(0x05, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Coll(P, 0x02, 'logical', bits_group(0x06, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('BelowRemainingCapacityLimit', B, 0x42),
                ('Charging', B, 0x44), ('Discharging', B, 0x45)], 4)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Coll(P, 0x12, 'physical', [                              # ...Battery
                # 0.1 V steps reported as 1e-6 V
                Field(0x07, P, 0x30, 'Battery.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=1, kinds='FI'),
                Field(0x08, P, 0x58, 'Battery.Test', lmax=7, rw=True),
            ]),
        ]),
        Coll(P, 0x1A, 'physical', [                                  # UPS.Input
            Field(0x09, P, 0x53, 'Input.LowVoltageTransfer', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Coll(P, 0x1A, 'physical', [                              # ...Input
                # volts reported as microvolts
                Field(0x0A, P, 0x30, 'PowerConverter.Input.Voltage', bits=16, lmax=65535,
                      unit=V, unit_exp=1, kinds='FI'),
            ]),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                # 0.1 V steps reported as 1e-8 V
                Field(0x0B, P, 0x30, 'PowerConverter.Output.Voltage', bits=16, lmax=65535,
                      unit=V, unit_exp=-1, kinds='FI'),
                # tens of volts
                Field(0x0C, P, 0x54, 'PowerConverter.Output.HighVoltageTransfer', lmax=255,
                      unit=V, unit_exp=7),
            ]),
        ]),
        Coll(P, 0x1C, 'physical', [                                  # UPS.Output
            Field(0x0D, P, 0x32, 'Output.Frequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x0E, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
            Field(0x0F, P, 0x44, 'Output.ConfigActivePower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
            Field(0x10, P, 0x57, 'Output.DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767,
                  unit=S, rw=True),
            Field(0x11, P, 0x56, 'Output.DelayBeforeStartup', bits=16, lmin=-1, lmax=32767,
                  unit=S, rw=True),
            Field(0x12, P, 0x58, 'Output.Test', lmax=7, rw=True),
        ] + bits_group(0x13, None, [('Output.Overload', P, 0x65)], 7)),
        Coll(P, 0x1E, 'physical', [                                  # UPS.Flow
            Field(0x14, P, 0x40, 'Flow.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
        ]),
    ])


LEGRAND_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 3,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 1620, 'WarningCapacityLimit': 20,
    'RemainingCapacityLimit': 10, 'ConfigVoltage': 120, 'AudibleAlarmControl': 2,
    'ACPresent': 1, 'BelowRemainingCapacityLimit': 0, 'Charging': 1, 'Discharging': 0,
    'Battery.Voltage': 138, 'Battery.Test': 1,
    'Input.LowVoltageTransfer': 180, 'PowerConverter.Input.Voltage': 236,
    'PowerConverter.Output.Voltage': 2356, 'PowerConverter.Output.HighVoltageTransfer': 27,
    'Output.Frequency': 50, 'Output.PercentLoad': 32, 'Output.ConfigActivePower': 480,
    'Output.DelayBeforeShutdown': -1, 'Output.DelayBeforeStartup': -1, 'Output.Test': 1,
    'Output.Overload': 0, 'Flow.ConfigVoltage': 230,
}

PROFILES = {
    'legrand': dict(vid=0x1CB0, pid=0x0038, bcd=0x0100,
                    # the real unit's vendor string ends in a blank, its serial is all blanks
                    strings={1: 'Legrand ', 2: 'KEOR PDU 800', 3: ' ' * 16},
                    tree=legrand_tree, state=LEGRAND_STATE,
                    presets=presets_online_low(LEGRAND_STATE, {
                        'ACPresent': 0, 'Charging': 0, 'Discharging': 1,
                        'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 8,
                        'RunTimeToEmpty': 95, 'Battery.Voltage': 112,
                        'PowerConverter.Input.Voltage': 0, 'PowerConverter.Output.Voltage': 2299,
                        'Output.PercentLoad': 35})),
}
