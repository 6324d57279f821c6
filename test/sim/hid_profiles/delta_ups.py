"""
Delta Amplon R Series UPS302R2000B0BA (05dd:041b), the device NUT 2.8.0's delta_ups-hid
subdriver was written for: standard HID PDC paths (PowerSummary, BatterySystem,
PowerConverter, OutletSystem, Flow) plus Delta's vendor page 0xffff (DeltaCustom.[1] with the
model name string, UPS type, sensitivity, auto start; transfer limits, output source and
restart delay). The model name comes from DeltaModelName, not from the USB product string.
Values from the nut-ddl dump DELTA__UPS302R2000B0BA__usbhid-ups__2.7.4-1-gb34f2434__01.dev.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR, UNIT_VOLT, UNIT_SECOND, UNIT_AMPERE, UNIT_WATT,
    UNIT_HERTZ, UNIT_KELVIN, Field, Coll, bits_group, presets_online_low)


def delta_tree():
    P, B, X = PAGE_POWER, PAGE_BATTERY, PAGE_VENDOR
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x03, B, 0x83, 'DesignCapacity', lmax=100),
            Field(0x03, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x04, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x05, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x06, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x06, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x07, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Coll(P, 0x1A, 'physical', [                              # ...PowerSummary.Input
                Field(0x08, P, 0x40, 'Summary.Input.ConfigVoltage', bits=16, lmax=65535,
                      unit=V, unit_exp=7),
                Field(0x09, P, 0x30, 'Summary.Input.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=6, kinds='FI'),
            ]),
            Coll(P, 0x02, 'logical', bits_group(0x0A, None, [          # ...PresentStatus
                ('Good', P, 0x61), ('InternalFailure', P, 0x62), ('ShutdownImminent', P, 0x69),
                ('ACPresent', B, 0xD0), ('BelowRemainingCapacityLimit', B, 0x42),
                ('FullyCharged', B, 0x46), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('FullyDischarged', B, 0x47), ('NeedReplacement', B, 0x4B)], 6)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Coll(P, 0x12, 'physical', [                              # ...Battery
                Field(0x10, P, 0x40, 'Battery.ConfigVoltage', lmax=255, unit=V, unit_exp=7),
                Field(0x11, P, 0x30, 'Battery.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=6, kinds='FI'),
            ]),
            Field(0x12, P, 0x36, 'BatterySystem.Temperature', bits=16, lmax=65535,
                  unit=UNIT_KELVIN),
            Field(0x13, P, 0x58, 'BatterySystem.Test', lmax=7, rw=True),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Coll(P, 0x1A, 'physical', [                              # ...Input
                Field(0x20, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x21, P, 0x32, 'Input.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                      unit_exp=-1, kinds='FI'),
            ]),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x22, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=6,
                      kinds='FI'),
                Field(0x23, P, 0x32, 'Output.Frequency', bits=16, lmax=65535, unit=UNIT_HERTZ,
                      unit_exp=-1, kinds='FI'),
                Field(0x24, P, 0x31, 'Output.Current', bits=16, lmax=65535, unit=UNIT_AMPERE,
                      unit_exp=-1, kinds='FI'),
                Field(0x25, P, 0x34, 'Output.ActivePower', bits=16, lmax=65535, unit=UNIT_WATT,
                      unit_exp=7, kinds='FI'),
                Field(0x26, P, 0x53, 'Output.LowVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x27, P, 0x54, 'Output.HighVoltageTransfer', bits=16, lmax=65535, unit=V,
                      unit_exp=7, rw=True),
                Field(0x28, X, 0x57, 'Output.DeltaConfigTransferLowMax', bits=16, lmax=65535),
                Field(0x28, X, 0x58, 'Output.DeltaConfigTransferLowMin', bits=16, lmax=65535),
                Field(0x28, X, 0x59, 'Output.DeltaConfigTransferHighMax', bits=16, lmax=65535),
                Field(0x28, X, 0x5A, 'Output.DeltaConfigTransferHighMin', bits=16, lmax=65535),
            ]),
            Coll(P, 0x02, 'logical', bits_group(0x29, None, [          # ...PresentStatus
                ('VoltageOutOfRange', P, 0x63), ('Buck', P, 0x6F), ('Boost', P, 0x6E),
                ('Overload', P, 0x65), ('Used', P, 0x6D), ('OverTemperature', P, 0x67),
                ('Converter.InternalFailure', P, 0x62), ('AwaitingPower', P, 0x72)], 0)),
        ]),
        Coll(P, 0x1E, 'physical', [                                  # UPS.Flow
            Field(0x30, P, 0x40, 'Flow.ConfigVoltage', bits=16, lmax=65535, unit=V, unit_exp=7),
            Field(0x31, P, 0x42, 'Flow.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x32, P, 0x43, 'Flow.ConfigApparentPower', bits=16, lmax=65535,
                  unit=UNIT_WATT, unit_exp=7),
        ]),
        Coll(P, 0x18, 'physical', [                                  # UPS.OutletSystem
            Coll(P, 0x20, 'physical', [                              # ...Outlet
                Field(0x38, P, 0x35, 'Outlet.PercentLoad', lmax=100, kinds='FI'),
                Field(0x39, P, 0x34, 'Outlet.ActivePower', bits=16, lmax=65535, unit=UNIT_WATT,
                      unit_exp=7),
                Field(0x3A, P, 0x57, 'Outlet.DelayBeforeShutdown', bits=16, lmin=-1,
                      lmax=32767, unit=S, rw=True),
                Field(0x3B, P, 0x56, 'Outlet.DelayBeforeStartup', bits=16, lmin=-1,
                      lmax=32767, unit=S, rw=True),
                Field(0x3C, P, 0x55, 'Outlet.DelayBeforeReboot', bits=16, lmin=-1,
                      lmax=32767, unit=S, rw=True),
                Field(0x3D, X, 0x81, 'Outlet.DeltaConfigStartPowerRestoreDelay', bits=16,
                      lmax=65535, rw=True),
                Field(0x3E, X, 0x91, 'Outlet.DeltaOutputSource', lmax=8, kinds='FI'),
            ]),
        ]),
        Coll(X, 0x10, None, [                                        # UPS.DeltaCustom.[1]
            Field(0x40, X, 0x75, 'DeltaModelName', const=True),
            Field(0x41, X, 0x7C, 'DeltaUPSType', lmax=15),
            Field(0x42, X, 0x9B, 'DeltaConfigSensitivity', lmax=2, rw=True),
            Field(0x43, X, 0x9C, 'DeltaConfigStartPowerRestore', lmax=1, rw=True),
        ], index=1),
    ])


DELTA_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'DesignCapacity': 100, 'FullChargeCapacity': 100, 'WarningCapacityLimit': 20,
    'RemainingCapacityLimit': 20, 'RemainingCapacity': 100, 'RunTimeToEmpty': 4988,
    'AudibleAlarmControl': 2, 'Summary.Input.ConfigVoltage': 220,
    'Summary.Input.Voltage': 2280,
    'Good': 1, 'InternalFailure': 0, 'ShutdownImminent': 0, 'ACPresent': 1,
    'BelowRemainingCapacityLimit': 0, 'FullyCharged': 1, 'Charging': 0, 'Discharging': 0,
    'FullyDischarged': 0, 'NeedReplacement': 0,
    'Battery.ConfigVoltage': 72, 'Battery.Voltage': 819, 'BatterySystem.Temperature': 298,
    'BatterySystem.Test': 6,
    'Input.Voltage': 2280, 'Input.Frequency': 599, 'Output.Voltage': 2210,
    'Output.Frequency': 599, 'Output.Current': 12, 'Output.ActivePower': 242,
    'Output.LowVoltageTransfer': 80, 'Output.HighVoltageTransfer': 280,
    'Output.DeltaConfigTransferLowMax': 90, 'Output.DeltaConfigTransferLowMin': 80,
    'Output.DeltaConfigTransferHighMax': 280, 'Output.DeltaConfigTransferHighMin': 270,
    'VoltageOutOfRange': 0, 'Buck': 0, 'Boost': 0, 'Overload': 0, 'Used': 1,
    'OverTemperature': 0, 'Converter.InternalFailure': 0, 'AwaitingPower': 0,
    'Flow.ConfigVoltage': 220, 'Flow.ConfigFrequency': 60, 'Flow.ConfigApparentPower': 3000,
    'Outlet.PercentLoad': 8, 'Outlet.ActivePower': 242, 'Outlet.DelayBeforeShutdown': -1,
    'Outlet.DelayBeforeStartup': 0, 'Outlet.DelayBeforeReboot': 0,
    'Outlet.DeltaConfigStartPowerRestoreDelay': 0, 'Outlet.DeltaOutputSource': 0,
    'DeltaModelName': 5, 'DeltaUPSType': 0, 'DeltaConfigSensitivity': 0,
    'DeltaConfigStartPowerRestore': 1,
}
DELTA_PRESETS = presets_online_low(DELTA_STATE, {
    'ACPresent': 0, 'FullyCharged': 0, 'Discharging': 1, 'BelowRemainingCapacityLimit': 1,
    'RemainingCapacity': 15, 'RunTimeToEmpty': 290, 'Summary.Input.Voltage': 0,
    'Battery.Voltage': 702, 'Input.Voltage': 0, 'Input.Frequency': 0, 'Output.Voltage': 2200,
    'Output.Frequency': 600, 'Outlet.PercentLoad': 9, 'Outlet.DeltaOutputSource': 1,
    'VoltageOutOfRange': 1, 'Used': 0,
})

PROFILES = {
    # manufacturer and model strings blank-padded to fixed widths, as the real unit's are
    'delta_ups': dict(vid=0x05DD, pid=0x041B, bcd=0x0100,
                      strings={1: 'DELTA           ', 2: 'DELTA UPS', 3: 'EXB2041012345',
                               4: 'PbAc', 5: 'UPS302R2000B0BA '},
                      tree=delta_tree, state=DELTA_STATE, presets=DELTA_PRESETS),
}
