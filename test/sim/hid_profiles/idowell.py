"""
iDowell iBox (075d:0300), the device NUT 2.8.0's idowell-hid subdriver was written for: a
plain HID PDC layout (PowerSummary with its PresentStatus flags, PowerConverter.Output, and the
nominal values under UPS.Flow.[4]). Values from the nut-ddl dump
iDowell__iBox__usbhid-ups__2.6.5__01.dev.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_WATT, UNIT_HERTZ, Field, Coll,
    bits_group, presets_online_low)


def idowell_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0x25, 'PowerSummaryID', lmax=255),
            Field(0x01, P, 0x1F, 'FlowID', lmax=255),
            Field(0x02, P, 0xFD, 'iManufacturer', const=True),
            Field(0x02, P, 0xFE, 'iProduct', const=True),
            Field(0x02, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x03, B, 0x2C, 'CapacityMode', lmax=2),
            Field(0x03, B, 0x8D, 'CapacityGranularity1', lmax=100),
            Field(0x03, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x04, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Field(0x05, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x05, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x06, P, 0x35, 'PercentLoad', lmax=255, kinds='FI'),
            Field(0x07, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Field(0x08, P, 0x56, 'DelayBeforeStartup', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Coll(P, 0x02, 'logical', bits_group(0x09, None, [          # ...PresentStatus
                ('ACPresent', B, 0xD0), ('BelowRemainingCapacityLimit', B, 0x42),
                ('Charging', B, 0x44), ('CommunicationLost', P, 0x73), ('Discharging', B, 0x45),
                ('Good', P, 0x61), ('InternalFailure', P, 0x62), ('NeedReplacement', B, 0x4B),
                ('Overload', P, 0x65), ('ShutdownImminent', P, 0x69)], 6)),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Field(0x10, P, 0x17, 'PowerConverterID', lmax=255),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x11, P, 0x1D, 'Output.OutputID', lmax=255),
                Field(0x12, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x13, P, 0x53, 'Output.LowVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7),
                Field(0x13, P, 0x54, 'Output.HighVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7),
            ]),
        ]),
        Coll(P, 0x1E, None, [                                        # UPS.Flow.[4]
            Field(0x20, P, 0x1F, 'Flow4.FlowID', lmax=255),
            Field(0x21, P, 0x40, 'Flow4.ConfigVoltage', bits=16, lmax=65535, unit=V, unit_exp=7),
            Field(0x21, P, 0x42, 'Flow4.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x21, P, 0x43, 'Flow4.ConfigApparentPower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
        ], index=4),
    ])


IDOWELL_STATE = {
    'PowerSummaryID': 1, 'FlowID': 4, 'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3,
    'iDeviceChemistry': 4, 'CapacityMode': 2, 'CapacityGranularity1': 1,
    'FullChargeCapacity': 100, 'RemainingCapacityLimit': 15, 'RemainingCapacity': 100,
    'RunTimeToEmpty': 650, 'PercentLoad': 33, 'DelayBeforeShutdown': 60,
    'DelayBeforeStartup': 0,
    'ACPresent': 1, 'BelowRemainingCapacityLimit': 0, 'Charging': 1, 'CommunicationLost': 0,
    'Discharging': 0, 'Good': 1, 'InternalFailure': 0, 'NeedReplacement': 0, 'Overload': 0,
    'ShutdownImminent': 0,
    'PowerConverterID': 1, 'Output.OutputID': 1, 'Output.Voltage': 2300,
    'Output.LowVoltageTransfer': 105, 'Output.HighVoltageTransfer': 254,
    'Flow4.FlowID': 4, 'Flow4.ConfigVoltage': 230, 'Flow4.ConfigFrequency': 50,
    'Flow4.ConfigApparentPower': 257,
}
IDOWELL_PRESETS = presets_online_low(IDOWELL_STATE, {
    'ACPresent': 0, 'Charging': 0, 'Discharging': 1, 'BelowRemainingCapacityLimit': 1,
    'RemainingCapacity': 14, 'RunTimeToEmpty': 95, 'PercentLoad': 35, 'Output.Voltage': 2290,
})

PROFILES = {
    'idowell': dict(vid=0x075D, pid=0x0300, bcd=0x0001,
                    strings={1: 'iDowell', 2: 'iBox', 3: '00000001', 4: 'Pb acc'},
                    tree=idowell_tree, state=IDOWELL_STATE, presets=IDOWELL_PRESETS),
}
