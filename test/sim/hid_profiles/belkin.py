"""
Belkin Small Enterprise F6C1500-TW-RK (050d:0751), the kind of device NUT 2.8.0's belkin-hid
subdriver was written for: besides a few standard PowerSummary values its firmware puts every
measurement and setting on the reserved power page 0x86 (belkin-hid.c's BELKIN* usages), in
tenths of a volt / hertz and without units, and reports status as two bit fields
(BELKINPowerStatus, BELKINBatteryStatus). Like real Belkin units it has no USB serial number
string: the serial is the PowerSummary.iSerialNumber string. Values from the nut-ddl dump
Belkin__Small_Enterprise_F6C1500-TW-RK__usbhid-ups__2.4.3__01.dev.

Also a Liebert PowerSure PSA (10af:0001, belkin-hid's other family): standard HID PDC paths
whose voltages carry no unit exponent, so NUT reads them 1e7 times too small (belkin-hid's
liebert_*_voltage conversions). Values from Liebert__PSA__usbhid-ups__2.8.0__01.dev, whose
zero voltages this reproduces.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, UNIT_SECOND, UNIT_VOLT, Field, Coll, bits_group,
    presets_online_low)

PAGE_BELKIN = 0x86      # Belkin's (mis)use of a reserved power page


def belkin_tree():
    P, B, K = PAGE_POWER, PAGE_BATTERY, PAGE_BELKIN
    S = UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x03, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x03, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Field(0x04, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S),
            Field(0x05, B, 0x85, 'ManufacturerDate', bits=16, lmax=65535),
            Coll(P, 0x02, 'logical', bits_group(0x06, None, [          # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('BelowRemainingCapacityLimit', B, 0x42), ('ShutdownImminent', P, 0x69),
                ('NeedReplacement', B, 0x4B)], 2)),
        ]),
        Coll(K, 0x26, 'physical', [                                  # UPS.BELKINConfig
            Field(0x10, K, 0x40, 'ConfigVoltage', bits=16, lmax=65535),
            Field(0x11, K, 0x42, 'ConfigFrequency', lmax=255),
            Field(0x12, K, 0x43, 'ConfigApparentPower', bits=16, lmax=65535),
            Field(0x13, K, 0x44, 'ConfigBatteryVoltage', lmax=255),
            Field(0x14, K, 0x45, 'ConfigOverloadTransfer', bits=16, lmax=65535),
            Field(0x15, K, 0x53, 'LowVoltageTransfer', bits=16, lmax=65535, rw=True),
            Field(0x16, K, 0x54, 'HighVoltageTransfer', bits=16, lmax=65535, rw=True),
            Field(0x17, K, 0x5B, 'LowVoltageTransferMax', bits=16, lmax=65535),
            Field(0x17, K, 0x5C, 'LowVoltageTransferMin', bits=16, lmax=65535),
            Field(0x17, K, 0x5D, 'HighVoltageTransferMax', bits=16, lmax=65535),
            Field(0x17, K, 0x5E, 'HighVoltageTransferMin', bits=16, lmax=65535),
        ]),
        Coll(K, 0x27, 'physical', [                                  # UPS.BELKINControls
            Field(0x18, K, 0x55, 'DelayBeforeReboot', bits=16, lmax=65535, rw=True),
            Field(0x19, K, 0x56, 'DelayBeforeStartup', bits=16, lmax=65535, rw=True),
            Field(0x1A, K, 0x57, 'DelayBeforeShutdown', bits=16, lmax=65535, rw=True),
            Field(0x1B, K, 0x58, 'Test', lmax=255, rw=True),
            Field(0x1C, K, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
        ]),
        Coll(K, 0x29, 'physical', [                                  # UPS.BELKINDevice
            Field(0x1D, K, 0x74, 'VoltageSensitivity', lmax=2, rw=True),
            Field(0x1E, K, 0x7C, 'UPSType', lmax=255),
        ]),
        Coll(K, 0x2A, 'physical', [                                  # UPS.BELKINPowerState
            Coll(K, 0x1A, 'physical', [                              # ...BELKINInput
                Field(0x20, K, 0x30, 'Input.Voltage', bits=16, lmax=65535, kinds='FI'),
                Field(0x20, K, 0x32, 'Input.Frequency', bits=16, lmax=65535, kinds='FI'),
            ]),
            Coll(K, 0x1C, 'physical', [                              # ...BELKINOutput
                Field(0x21, K, 0x30, 'Output.Voltage', bits=16, lmax=65535, kinds='FI'),
                Field(0x21, K, 0x32, 'Output.Frequency', bits=16, lmax=65535, kinds='FI'),
                Field(0x21, K, 0x35, 'Output.PercentLoad', lmax=255, kinds='FI'),
            ]),
        ]),
        Coll(K, 0x10, 'physical', [                                  # UPS.BELKINBatterySystem
            Field(0x22, K, 0x30, 'Battery.Voltage', bits=16, lmax=65535, kinds='FI'),
            Field(0x22, K, 0x39, 'Battery.Charge', lmax=255, kinds='FI'),
            Field(0x22, K, 0x36, 'Battery.Temperature', lmax=255),
            Field(0x22, K, 0x6C, 'Battery.RunTimeToEmpty', bits=16, lmax=65535),
        ]),
        Coll(K, 0x28, 'physical', [                                  # UPS.BELKINStatus
            Field(0x23, K, 0x22, 'BatteryStatus', lmax=255, kinds='FI'),
            Field(0x23, K, 0x21, 'PowerStatus', bits=16, lmax=65535, kinds='FI'),
        ]),
    ])


# PowerStatus bit 0 = AC failure; BatteryStatus bits 2 low battery, 4 charging, 5 discharging
BELKIN_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 5, 'iDeviceChemistry': 4,
    'WarningCapacityLimit': 30, 'RemainingCapacityLimit': 30, 'RunTimeToEmpty': 120,
    'ManufacturerDate': (27 << 9) | (3 << 5) | 14,                  # 2007/03/14
    'ACPresent': 1, 'Charging': 1, 'Discharging': 0, 'BelowRemainingCapacityLimit': 0,
    'ShutdownImminent': 0, 'NeedReplacement': 0,
    'ConfigVoltage': 120, 'ConfigFrequency': 60, 'ConfigApparentPower': 1500,
    'ConfigBatteryVoltage': 24, 'ConfigOverloadTransfer': 110,
    'LowVoltageTransfer': 88, 'HighVoltageTransfer': 140, 'LowVoltageTransferMax': 88,
    'LowVoltageTransferMin': 84, 'HighVoltageTransferMax': 144, 'HighVoltageTransferMin': 140,
    'DelayBeforeReboot': 0, 'DelayBeforeStartup': 0, 'DelayBeforeShutdown': 0, 'Test': 1,
    'AudibleAlarmControl': 2, 'VoltageSensitivity': 0, 'UPSType': 0x11,   # firmware 1, offline
    'Input.Voltage': 1259, 'Input.Frequency': 600, 'Output.Voltage': 1265,
    'Output.Frequency': 600, 'Output.PercentLoad': 30,
    'Battery.Voltage': 278, 'Battery.Charge': 100, 'Battery.Temperature': 31,
    'Battery.RunTimeToEmpty': 2, 'BatteryStatus': 0x10, 'PowerStatus': 0x0000,
}
BELKIN_PRESETS = presets_online_low(BELKIN_STATE, {
    'ACPresent': 0, 'Charging': 0, 'Discharging': 1, 'BelowRemainingCapacityLimit': 1,
    'RunTimeToEmpty': 60, 'Input.Voltage': 0, 'Input.Frequency': 0, 'Output.Voltage': 1200,
    'Output.PercentLoad': 31, 'Battery.Voltage': 226, 'Battery.Charge': 12,
    'Battery.RunTimeToEmpty': 1, 'BatteryStatus': 0x24, 'PowerStatus': 0x0001,
})

def liebert_psa_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Field(0x02, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x03, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            # volts without a unit exponent: 10^-7 V in NUT's reading
            Field(0x04, P, 0x30, 'Voltage', bits=16, lmax=65535, unit=UNIT_VOLT),
            Field(0x05, P, 0x40, 'ConfigVoltage', lmax=255, unit=UNIT_VOLT),
            Coll(P, 0x02, 'logical', bits_group(0x06, None, [          # ...PresentStatus
                ('ACPresent', B, 0xD0), ('Charging', B, 0x44), ('Discharging', B, 0x45),
                ('BelowRemainingCapacityLimit', B, 0x42), ('ShutdownImminent', P, 0x69),
                ('NeedReplacement', B, 0x4B)], 2)),
        ]),
        Coll(P, 0x1A, 'physical', [                                  # UPS.Input
            Field(0x10, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=UNIT_VOLT,
                  kinds='FI'),
            Field(0x11, P, 0x32, 'Input.Frequency', bits=16, lmax=65535),   # 0.1 Hz
        ]),
        Coll(P, 0x1C, 'physical', [                                  # UPS.Output
            Field(0x12, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=UNIT_VOLT,
                  kinds='FI'),
            Field(0x13, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
        ]),
    ])


LIEBERT_PSA_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'RemainingCapacityLimit': 38, 'WarningCapacityLimit': 38, 'RemainingCapacity': 100,
    'Voltage': 27, 'ConfigVoltage': 24,
    'ACPresent': 1, 'Charging': 1, 'Discharging': 0, 'BelowRemainingCapacityLimit': 0,
    'ShutdownImminent': 0, 'NeedReplacement': 0,
    'Input.Voltage': 230, 'Input.Frequency': 499, 'Output.Voltage': 230,
    'Output.PercentLoad': 9,
}
LIEBERT_PSA_PRESETS = presets_online_low(LIEBERT_PSA_STATE, {
    'ACPresent': 0, 'Charging': 0, 'Discharging': 1, 'BelowRemainingCapacityLimit': 1,
    'RemainingCapacity': 30, 'Voltage': 22, 'Input.Voltage': 0, 'Input.Frequency': 0,
    'Output.PercentLoad': 10,
})

PROFILES = {
    # string 3 empty: libusb reads no serial number from the device descriptor
    'belkin': dict(vid=0x050D, pid=0x0751, bcd=0x0001,
                   strings={1: 'Belkin', 2: 'Belkin UPS', 3: '', 4: 'PbAc', 5: 'BK1500TW0317'},
                   tree=belkin_tree, state=BELKIN_STATE, presets=BELKIN_PRESETS),
    # serial number string of blanks, as the dumped unit's
    'liebert_psa': dict(vid=0x10AF, pid=0x0001, bcd=0x0001,
                        strings={1: 'Emerson Network Power', 2: 'LiebertPSA', 3: '         ',
                                 4: 'PbAc'},
                        tree=liebert_psa_tree, state=LIEBERT_PSA_STATE,
                        presets=LIEBERT_PSA_PRESETS),
}
