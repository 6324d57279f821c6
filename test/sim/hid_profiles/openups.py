"""
Minibox OPEN-UPS (04d8:d004), the device of NUT's openups-hid.c (`openUPS HID 0.5`). Strings
and values from the nut-ddl reports Mini-Box.Com__OPEN-UPS__usbhid-ups__2.6.5 (its "?"
chemistry string and odd serial included): the input/output voltages and currents come as
ADC-like numbers that the d004 hook's scales turn into volts and amperes, the temperature as
a thermistor reading (x0.01) that openups-hid looks up in its table. Every value is
quick-polled, as the table says.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_AMPERE,
                            UNIT_AS, Field, Coll, bits_group, presets_online_low)


def openups_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, A, S = UNIT_VOLT, UNIT_AMPERE, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x01, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x02, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=5, kinds='FI'),
            Field(0x03, P, 0x31, 'Current', bits=16, lmax=65535, unit=A, unit_exp=-3, kinds='FI'),
            Field(0x04, B, 0x83, 'DesignCapacity', bits=16, lmax=65535, unit=UNIT_AS),
            Field(0x05, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x05, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x06, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Field(0x06, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            # thermistor reading in hundredths
            Field(0x07, P, 0x36, 'Temperature', bits=16, lmax=65535, unit_exp=-2, kinds='FI'),
            Coll(P, 0x1C, 'physical', [                              # ...PowerSummary.Output
                Field(0x08, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=5, kinds='FI'),
                Field(0x08, P, 0x31, 'Output.Current', bits=16, lmax=65535, unit=A,
                      unit_exp=-2, kinds='FI'),
            ]),
            Coll(P, 0x1A, 'physical', [                              # ...PowerSummary.Input
                Field(0x09, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=5, kinds='FI'),
                Field(0x09, P, 0x31, 'Input.Current', bits=16, lmax=65535, unit=A,
                      unit_exp=-2, kinds='FI'),
            ]),
            Coll(P, 0x02, 'logical', bits_group(0x0A, None, [         # ...PresentStatus
                ('Good', P, 0x61), ('InternalFailure', P, 0x62), ('Overload', P, 0x65),
                ('OverTemperature', P, 0x67), ('ShutdownImminent', P, 0x69),
                ('BelowRemainingCapacityLimit', B, 0x42), ('RemainingTimeLimitExpired', B, 0x43),
                ('Charging', B, 0x44), ('Discharging', B, 0x45), ('NeedReplacement', B, 0x4B),
                ('ACPresent', B, 0xD0), ('BatteryPresent', B, 0xD1)], 4)),
        ]),
    ])


OPENUPS_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'iOEMInformation': 4,
    'Voltage': 779, 'Current': 580, 'DesignCapacity': 100, 'RemainingCapacity': 98,
    'RunTimeToEmpty': 52860, 'RemainingCapacityLimit': 5, 'WarningCapacityLimit': 20,
    'Temperature': 533,
    'Output.Voltage': 465, 'Output.Current': 7, 'Input.Voltage': 389, 'Input.Current': 705,
    'Good': 1, 'InternalFailure': 0, 'Overload': 0, 'OverTemperature': 0,
    'ShutdownImminent': 0, 'BelowRemainingCapacityLimit': 0, 'RemainingTimeLimitExpired': 0,
    'Charging': 1, 'Discharging': 0, 'NeedReplacement': 0, 'ACPresent': 1, 'BatteryPresent': 1,
}

PROFILES = {
    'openups': dict(vid=0x04D8, pid=0xD004, bcd=0x0001,
                    strings={1: 'Mini-Box.Com', 2: 'OPEN-UPS', 3: 'PBSO4-LiFePO', 4: '?'},
                    tree=openups_tree, state=OPENUPS_STATE,
                    presets=presets_online_low(OPENUPS_STATE, {
                        'ACPresent': 0, 'Charging': 0, 'Discharging': 1,
                        'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 4,
                        'RunTimeToEmpty': 300, 'Voltage': 652, 'Current': 1210,
                        'Temperature': 604, 'Input.Voltage': 0, 'Input.Current': 0,
                        'Output.Current': 9})),
}
