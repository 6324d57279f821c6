"""
Powervar UPM-series UPS (4234:0002), the device of NUT's powervar-hid.c (`Powervar HID 0.20`).
nut-ddl has no report for it; the paths are the ones powervar-hid reads (PowerSummary only)
with ordinary values. The HID function is interface 1 (powervar-hid's claim moves NUT there),
in one configuration; NUT 2.8.0 (libusb-1.0) also reads configuration descriptor 1 then and
skips a one-configuration device ("No matching HID UPS found"), so it needs the state file's
{"_configurations": 2} or more.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, UNIT_SECOND, UNIT_AS, Field, Coll,
                            bits_group, presets_online_low)


def powervar_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x02, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=UNIT_SECOND,
                  kinds='FI'),
            Field(0x03, B, 0x67, 'FullChargeCapacity', bits=16, lmax=65535, unit=UNIT_AS),
            Coll(P, 0x02, 'logical', bits_group(0x04, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Discharging', B, 0x45), ('Charging', B, 0x44),
                ('ShutdownImminent', P, 0x69), ('BelowRemainingCapacityLimit', B, 0x42),
                ('Overload', P, 0x65), ('NeedReplacement', B, 0x4B),
                ('RemainingTimeLimitExpired', B, 0x43), ('InternalFailure', P, 0x62),
                ('Good', P, 0x61), ('OverTemperature', P, 0x67), ('FullyCharged', B, 0x46),
                ('FullyDischarged', B, 0x47)], 3)),
        ]),
    ])


POWERVAR_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 1260, 'FullChargeCapacity': 100,
    'ACPresent': 1, 'Discharging': 0, 'Charging': 0, 'ShutdownImminent': 0,
    'BelowRemainingCapacityLimit': 0, 'Overload': 0, 'NeedReplacement': 0,
    'RemainingTimeLimitExpired': 0, 'InternalFailure': 0, 'Good': 1, 'OverTemperature': 0,
    'FullyCharged': 1, 'FullyDischarged': 0,
}

PROFILES = {
    'powervar': dict(vid=0x4234, pid=0x0002, bcd=0x0100, interface=1,
                     strings={1: 'POWERVAR', 2: 'UPM Security Series', 3: 'P1234567', 4: 'PbAc'},
                     tree=powervar_tree, state=POWERVAR_STATE,
                     presets=presets_online_low(POWERVAR_STATE, {
                         'ACPresent': 0, 'Discharging': 1, 'FullyCharged': 0,
                         'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 5,
                         'RunTimeToEmpty': 60})),
}

# another Powervar product (not in powervar-hid's table): claimed only with the productid
# option, and then on interface 1 too
PROFILES['powervar-unlisted'] = dict(PROFILES['powervar'], pid=0x0005,
                                     strings={1: 'POWERVAR', 2: 'UPM Industrial Series',
                                              3: 'P7654321', 4: 'PbAc'})
