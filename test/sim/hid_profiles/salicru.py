"""
Salicru SPS 850 HOME (2e66:0300), a device of NUT's salicru-hid.c (`Salicru HID 0.3`).
Strings and values from the nut-ddl reports Salicru__SPS_Home_850__usbhid_ups__2.7.4.1 (its
odd manufacturer "1 ", model " 850" and blank serial included) and SPS_850_ADV_T. Besides the
generic UPS.Input / UPS.Output paths it carries some of the Twin Pro 2 paths the table appends
(PowerConverter.Output.ActivePower, Flow.[4].ConfigActivePower, BatterySystem.Battery.Test,
PresentStatus.Overload / OverTemperature), which only count where no earlier row resolved.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_WATT,
                            UNIT_HERTZ, Field, Coll, bits_group, presets_online_low)


def salicru_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x03, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x03, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x04, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x05, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x06, B, 0x2A, 'RemainingTimeLimit', bits=16, lmax=65535, unit=S, rw=True),
            Field(0x07, P, 0x40, 'ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x08, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=5, kinds='FI'),
            Field(0x09, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Coll(P, 0x02, 'logical', bits_group(0x0A, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('BelowRemainingCapacityLimit', B, 0x42), ('FullyCharged', B, 0x46),
                ('RemainingTimeLimitExpired', B, 0x43), ('Overload', P, 0x65),
                ('OverTemperature', P, 0x67)], 0)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Coll(P, 0x12, 'physical', [                              # ...Battery
                Field(0x0B, P, 0x58, 'Battery.Test', lmax=7, rw=True),
            ]),
        ]),
        Coll(P, 0x1A, 'physical', [                                  # UPS.Input
            Field(0x0C, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                  kinds='FI'),
            Field(0x0D, P, 0x32, 'Input.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                  unit_exp=-1),
            Field(0x0E, P, 0x40, 'Input.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x0F, P, 0x53, 'PowerConverter.Output.LowVoltageTransfer', bits=16,
                      lmax=65535, unit=V, unit_exp=7),
                Field(0x0F, P, 0x54, 'PowerConverter.Output.HighVoltageTransfer', bits=16,
                      lmax=65535, unit=V, unit_exp=7),
                Field(0x10, P, 0x34, 'PowerConverter.Output.ActivePower', bits=16,
                      lmax=65535, unit=UNIT_WATT, unit_exp=7, kinds='FI'),
            ]),
        ]),
        Coll(P, 0x1C, 'physical', [                                  # UPS.Output
            Field(0x11, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                  kinds='FI'),
            Field(0x12, P, 0x32, 'Output.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                  unit_exp=-1),
            Field(0x13, P, 0x40, 'Output.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
            Field(0x14, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
        ] + bits_group(0x15, None, [('Output.Boost', P, 0x6E), ('Output.Overload', P, 0x65)], 6)),
        Coll(P, 0x1E, None, [                                        # UPS.Flow.[4]
            Field(0x16, P, 0x44, 'Flow4.ConfigActivePower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
        ], index=4),
    ])


SALICRU_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'iOEMInformation': 1,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 1440, 'WarningCapacityLimit': 20,
    'RemainingCapacityLimit': 10, 'RemainingTimeLimit': 300, 'ConfigVoltage': 12,
    'Voltage': 1365, 'AudibleAlarmControl': 2,
    'ACPresent': 1, 'Charging': 0, 'Discharging': 0, 'BelowRemainingCapacityLimit': 0,
    'FullyCharged': 1, 'RemainingTimeLimitExpired': 0, 'Overload': 0, 'OverTemperature': 0,
    'Battery.Test': 6,
    'Input.Voltage': 2245, 'Input.Frequency': 502, 'Input.ConfigVoltage': 230,
    'PowerConverter.Output.LowVoltageTransfer': 180,
    'PowerConverter.Output.HighVoltageTransfer': 270, 'PowerConverter.Output.ActivePower': 88,
    'Output.Voltage': 2245, 'Output.Frequency': 502, 'Output.ConfigVoltage': 230,
    'Output.PercentLoad': 18, 'Output.Boost': 0, 'Output.Overload': 0,
    'Flow4.ConfigActivePower': 490,
}

PROFILES = {
    'salicru': dict(vid=0x2E66, pid=0x0300, bcd=0x0100,
                    strings={1: '1 ', 2: ' 850', 3: ' ' * 16, 4: 'PbAcid'},
                    tree=salicru_tree, state=SALICRU_STATE,
                    presets=presets_online_low(SALICRU_STATE, {
                        'ACPresent': 0, 'Discharging': 1, 'FullyCharged': 0,
                        'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 7,
                        'RunTimeToEmpty': 85, 'Voltage': 1126, 'Input.Voltage': 0,
                        'Input.Frequency': 0, 'Output.Voltage': 2298, 'Output.Frequency': 500,
                        'Output.PercentLoad': 19, 'PowerConverter.Output.ActivePower': 93})),
}
