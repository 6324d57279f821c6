"""
Phoenixtec-made "Offline UPS" sold by PowerWalker and others (06da:ffff), the device of NUT's
liebert-hid.c (`Phoenixtec/Liebert HID 0.41`). Strings and values from the nut-ddl reports
PowerWalker__VI_650_SH__usbhid-ups__2.7.4__01 and its siblings. The transfer limits live under
Phoenixtec's vendor usages ffff0057/58 (voltage) and ffff00f8/f9 (frequency), which NUT names
by number; the strings carry no "AEG", so mge-hid leaves the device to liebert-hid.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR, UNIT_VOLT, UNIT_SECOND,
                            UNIT_HERTZ, Field, Coll, bits_group, presets_online_low)


def liebert_tree():
    P, B, X = PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, P, 0x40, 'ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x03, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=6, kinds='FI'),
            Field(0x04, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x04, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x05, P, 0x35, 'PercentLoad', lmax=100, kinds='FI'),
            Coll(P, 0x02, 'logical', bits_group(0x06, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('BelowRemainingCapacityLimit', B, 0x42),
                ('Charging', B, 0x44), ('Discharging', B, 0x45), ('Overload', P, 0x65),
                ('ShutdownImminent', P, 0x69)], 2)),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Coll(P, 0x1A, None, [                                    # ...Input.[1]
                Field(0x07, P, 0x30, 'Input1.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=6, kinds='FI'),
                Field(0x08, P, 0x32, 'Input1.Frequency', bits=16, lmax=65535,
                      unit=UNIT_HERTZ, unit_exp=-1),
            ], index=1),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x09, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=6, kinds='FI'),
                Field(0x0A, P, 0x32, 'Output.Frequency', bits=16, lmax=65535,
                      unit=UNIT_HERTZ, unit_exp=-1),
                Field(0x0B, P, 0x53, 'Output.LowVoltageTransfer', bits=16, lmax=65535,
                      unit=V, unit_exp=7),
                Field(0x0B, P, 0x54, 'Output.HighVoltageTransfer', bits=16, lmax=65535,
                      unit=V, unit_exp=7),
                Field(0x0C, X, 0x57, 'Output.ffff0057', bits=16, lmax=65535),
                Field(0x0C, X, 0x58, 'Output.ffff0058', bits=16, lmax=65535),
                Field(0x0D, X, 0xF9, 'Output.ffff00f9', lmax=255),
                Field(0x0D, X, 0xF8, 'Output.ffff00f8', lmax=255),
            ]),
        ]),
    ])


LIEBERT_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'ConfigVoltage': 12, 'Voltage': 138, 'RemainingCapacity': 100, 'RunTimeToEmpty': 2418,
    'PercentLoad': 16,
    'ACPresent': 1, 'BelowRemainingCapacityLimit': 0, 'Charging': 1, 'Discharging': 0,
    'Overload': 0, 'ShutdownImminent': 0,
    'Input1.Voltage': 2312, 'Input1.Frequency': 500,
    'Output.Voltage': 2300, 'Output.Frequency': 500,
    'Output.LowVoltageTransfer': 162, 'Output.HighVoltageTransfer': 290,
    'Output.ffff0057': 170, 'Output.ffff0058': 280, 'Output.ffff00f9': 45, 'Output.ffff00f8': 55,
}

PROFILES = {
    'liebert': dict(vid=0x06DA, pid=0xFFFF, bcd=0x0001,
                    strings={1: 'PPC', 2: 'Offline UPS', 3: '000000000', 4: 'PbAc'},
                    tree=liebert_tree, state=LIEBERT_STATE,
                    presets=presets_online_low(LIEBERT_STATE, {
                        'ACPresent': 0, 'Charging': 0, 'Discharging': 1,
                        'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 9,
                        'RunTimeToEmpty': 180, 'Voltage': 113, 'PercentLoad': 17,
                        'Input1.Voltage': 0, 'Input1.Frequency': 0, 'Output.Voltage': 2280,
                        'Output.Frequency': 499})),
}
