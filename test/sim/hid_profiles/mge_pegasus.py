"""
MGE Protection Station-like UPS (0463:ffff) for mge-hid's other code paths: no iModel string
(index 0), so the model comes from UPS.Flow.[4].ConfigApparentPower ("Protection Station 650",
the Pegasus family); ABM present but disabled, so the plain Charging / Discharging flags count
and battery.charger.status stays unpublished; no ActivePower, so ups.realpower is computed;
Unix time in UPS.PowerSummary.Time (ups.date / ups.time); a country code; the Pegasus-only
outlet threshold (outlet.power) and outlet.2.switchable; a 120 V nominal output voltage.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR, UNIT_VOLT, UNIT_SECOND,
                            UNIT_HERTZ, UNIT_KELVIN, UNIT_WATT, Field, Coll, bits_group,
                            presets_online_low)


def _outlet(index, rid, extra):
    P = PAGE_POWER
    return Coll(P, 0x20, None, [
        Field(rid, P, 0x21, 'Outlet%d.OutletID' % index, lmax=255),
    ] + extra, index=index)


def mge_pegasus_tree():
    P, B, X = PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x01, X, 0xF0, 'iModel', const=True),
            Field(0x01, X, 0xF1, 'iVersion', const=True),
            Field(0x02, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x02, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x03, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x04, P, 0x40, 'ConfigVoltage', lmax=255, unit=V, unit_exp=7),
            Field(0x05, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=V, unit_exp=6, kinds='FI'),
            Field(0x06, P, 0x35, 'PercentLoad', lmax=255, kinds='FI'),
            Field(0x07, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x08, P, 0x56, 'DelayBeforeStartup', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x09, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Field(0x0A, X, 0x95, 'Country', lmax=255),
            Field(0x0B, X, 0x97, 'Time', bits=32, lmax=0x7FFFFFFF, unit=S, rw=True),
            Field(0x0C, P, 0x36, 'Temperature', bits=16, lmax=65535, unit=UNIT_KELVIN),
            Coll(P, 0x02, 'logical', bits_group(0x0D, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('BelowRemainingCapacityLimit', B, 0x42), ('NeedReplacement', B, 0x4B),
                ('ShutdownImminent', P, 0x69), ('Overload', P, 0x65), ('Good', P, 0x61),
                ('InternalFailure', P, 0x62), ('OverTemperature', P, 0x67),
                ('FanFailure', X, 0x77), ('EmergencyStop', X, 0x68)], 4)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Coll(P, 0x12, 'physical', [                              # ...Battery
                Field(0x10, P, 0x58, 'Battery.Test', lmax=7, rw=True),
            ]),
            Coll(P, 0x14, 'physical', [                              # ...Charger (ABM off)
                Field(0x11, X, 0x87, 'Charger.ABMEnable', lmax=1, rw=True),
                Field(0x12, X, 0x94, 'Charger.Mode', lmin=1, lmax=6, kinds='FI'),
            ]),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Field(0x20, X, 0x41, 'ConverterType', lmax=5),
            Coll(P, 0x1A, None, [                                    # ...Input.[1]
                Field(0x21, P, 0x30, 'Input1.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=6, kinds='FI'),
                Coll(P, 0x02, 'logical', bits_group(0x22, None, [
                    ('Input1.Boost', P, 0x6E), ('Input1.Used', P, 0x6D),
                    ('Input1.VoltageTooLow', X, 0x75)], 5)),
            ], index=1),
            Coll(P, 0x1A, None, [                                    # ...Input.[3]
                Coll(P, 0x02, 'logical', bits_group(0x23, None, [('Input3.Used', P, 0x6D)], 7)),
            ], index=3),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x24, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x25, P, 0x32, 'Output.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                      unit_exp=-1),
                Field(0x26, X, 0x69, 'Output.PowerFactor', lmax=100),
                Field(0x27, X, 0x4C, 'Output.SensitivityMode', lmax=2, rw=True),
            ]),
        ]),
        Coll(P, 0x1E, None, [                                        # UPS.Flow.[4]
            Field(0x30, P, 0x40, 'Flow4.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7, rw=True),
            Field(0x31, P, 0x42, 'Flow4.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x32, P, 0x43, 'Flow4.ConfigApparentPower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
        ], index=4),
        Coll(P, 0x18, 'physical', [                                  # UPS.OutletSystem
            _outlet(1, 0x40, [
                Field(0x41, P, 0x43, 'Outlet1.ConfigApparentPower', lmax=255, rw=True),
                Coll(P, 0x02, 'logical', bits_group(0x42, None, [
                    ('Outlet1.Switchable', P, 0x6C)], 7)),
            ]),
            _outlet(2, 0x43, [
                Coll(P, 0x02, 'logical', bits_group(0x44, None, [
                    ('Outlet2.SwitchOn/Off', P, 0x6B), ('Outlet2.Switchable', P, 0x6C)], 6)),
            ]),
            _outlet(3, 0x45, [
                Coll(P, 0x02, 'logical', bits_group(0x46, None, [
                    ('Outlet3.SwitchOn/Off', P, 0x6B), ('Outlet3.Switchable', P, 0x6C)], 6)),
            ]),
        ]),
    ])


MGE_PEGASUS_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'iModel': 0, 'iVersion': 6,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 2200, 'RemainingCapacityLimit': 30,
    'ConfigVoltage': 12, 'Voltage': 136, 'PercentLoad': 30, 'DelayBeforeShutdown': -1,
    'DelayBeforeStartup': -1, 'AudibleAlarmControl': 3, 'Country': 1, 'Time': 1700000000,
    'Temperature': 301,
    'ACPresent': 1, 'Charging': 1, 'Discharging': 0, 'BelowRemainingCapacityLimit': 0,
    'NeedReplacement': 0, 'ShutdownImminent': 0, 'Overload': 0, 'Good': 1,
    'InternalFailure': 0, 'OverTemperature': 0, 'FanFailure': 0, 'EmergencyStop': 0,
    'Battery.Test': 6, 'Charger.ABMEnable': 0, 'Charger.Mode': 3,
    'ConverterType': 2,
    'Input1.Voltage': 1192, 'Input1.Boost': 0, 'Input1.Used': 1, 'Input1.VoltageTooLow': 0,
    'Input3.Used': 0,
    'Output.Voltage': 1200, 'Output.Frequency': 600, 'Output.PowerFactor': 60,
    'Output.SensitivityMode': 1,
    'Flow4.ConfigVoltage': 120, 'Flow4.ConfigFrequency': 60, 'Flow4.ConfigApparentPower': 650,
    'Outlet1.OutletID': 0, 'Outlet1.ConfigApparentPower': 25, 'Outlet1.Switchable': 0,
    'Outlet2.OutletID': 1, 'Outlet2.SwitchOn/Off': 1, 'Outlet2.Switchable': 1,
    'Outlet3.OutletID': 2, 'Outlet3.SwitchOn/Off': 0, 'Outlet3.Switchable': 1,
}

PROFILES = {
    'mge-pegasus': dict(vid=0x0463, pid=0xFFFF, bcd=0x0100,
                        strings={1: 'MGE OPS SYSTEMS', 2: 'Protection Station', 3: 'AV2G4800Z',
                                 4: 'PbAc', 6: '4.03'},
                        tree=mge_pegasus_tree, state=MGE_PEGASUS_STATE,
                        presets=presets_online_low(MGE_PEGASUS_STATE, {
                            'ACPresent': 0, 'Charging': 0, 'Discharging': 1,
                            'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 8,
                            'RunTimeToEmpty': 150, 'PercentLoad': 31, 'Input1.Voltage': 0,
                            'Input1.Used': 0, 'Input3.Used': 1, 'Input1.VoltageTooLow': 1,
                            'Charger.Mode': 2, 'EmergencyStop': 1})),
}
