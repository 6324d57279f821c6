"""
PowerCOM UPSes, the devices of NUT's powercom-hid.c (`PowerCOM HID 0.6`):
- 'powercom': Raptor RPT-2000 / Vanguard-like (0d9f:0004) with the standard UPS collection.
  Strings and values from the nut-ddl report Powercom__Raptor_2000__usbhid-ups__2.7.4: dates in
  FAT format, DelayBeforeStartup in minutes with its bytes swapped (ups.timer.start 971220),
  DelayBeforeShutdown as (minutes, seconds) bytes.
- 'powercom-vendor': an older unit (0d9f:00a4, WOW) that reports through PowerCOM's own
  application collection on usage page 2 (PowercomUPS...), its status as bit fields of
  PowercomPrimaryBatterySupport / PowercomInternalChargeController and its voltages in 4 V
  steps, all of which powercom-hid decodes; strings from the nut-ddl WOW/Imperial reports.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_HERTZ,
                            Field, Coll, bits_group, presets_online_low)

PAGE_POWERCOM = 0x02


def powercom_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x01, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x02, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x03, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Field(0x03, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x04, B, 0x85, 'ManufacturerDate', bits=16, lmax=65535),
            Field(0x05, P, 0x5A, 'AudibleAlarmControl', lmax=2, rw=True),
            Field(0x06, P, 0x56, 'DelayBeforeStartup', bits=16, lmax=65535, rw=True),
            Field(0x07, P, 0x57, 'DelayBeforeShutdown', bits=16, lmax=65535, rw=True),
            Coll(P, 0x02, 'logical', bits_group(0x08, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('BatteryPresent', B, 0xD1),
                ('BelowRemainingCapacityLimit', B, 0x42), ('Charging', B, 0x44),
                ('CommunicationLost', P, 0x73), ('Discharging', B, 0x45),
                ('NeedReplacement', B, 0x4B), ('Overload', P, 0x65),
                ('RemainingTimeLimitExpired', B, 0x43), ('ShutdownImminent', P, 0x69)], 6)),
        ]),
        Coll(P, 0x12, 'physical', [                                  # UPS.Battery
            Field(0x09, B, 0x85, 'Battery.ManufacturerDate', bits=16, lmax=65535),
            Field(0x0A, P, 0x58, 'Battery.Test', lmax=7, rw=True),
        ]),
        Coll(P, 0x1A, 'physical', [                                  # UPS.Input
            Field(0x0B, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=V, unit_exp=7,
                  kinds='FI'),
            Field(0x0B, P, 0x32, 'Input.Frequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x0C, P, 0x40, 'Input.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
        ]),
        Coll(P, 0x1C, 'physical', [                                  # UPS.Output
            Field(0x0D, P, 0x30, 'Output.Voltage', bits=16, lmax=65535, unit=V, unit_exp=7,
                  kinds='FI'),
            Field(0x0D, P, 0x32, 'Output.Frequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x0D, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
            Field(0x0E, P, 0x40, 'Output.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
        ]),
    ])


POWERCOM_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iSerialNumber': 3, 'iDeviceChemistry': 4,
    'RemainingCapacity': 74, 'RunTimeToEmpty': 592, 'RemainingCapacityLimit': 10,
    'WarningCapacityLimit': 30, 'ManufacturerDate': (34 << 9) | (1 << 5) | 15,
    'AudibleAlarmControl': 1, 'DelayBeforeStartup': 0x3B3F, 'DelayBeforeShutdown': 0,
    'ACPresent': 1, 'BatteryPresent': 1, 'BelowRemainingCapacityLimit': 0, 'Charging': 1,
    'CommunicationLost': 0, 'Discharging': 0, 'NeedReplacement': 0, 'Overload': 0,
    'RemainingTimeLimitExpired': 0, 'ShutdownImminent': 0,
    'Battery.ManufacturerDate': (34 << 9) | (1 << 5) | 15, 'Battery.Test': 1,
    'Input.Voltage': 220, 'Input.Frequency': 50, 'Input.ConfigVoltage': 240,
    'Output.Voltage': 220, 'Output.Frequency': 50, 'Output.PercentLoad': 11,
    'Output.ConfigVoltage': 240,
}


def powercom_vendor_tree():
    C = PAGE_POWERCOM
    return Coll(C, 0x04, 'application', [                            # PowercomUPS
        Field(0x01, C, 0x87, 'ManufacturerName', const=True),
        Field(0x01, C, 0x86, 'SerialNumber', const=True),
        Field(0x02, C, 0x85, 'ManufacturerDate', bits=16, lmax=65535),
        Coll(C, 0x10, 'physical', [                                  # ...PowercomBatterySystem
            Field(0x03, C, 0x36, 'Battery.Temperature', lmax=255),
            Field(0x03, C, 0x30, 'Battery.Voltage', lmax=255, kinds='FI'),
        ]),
        Coll(C, 0x16, 'physical', [                                  # ...PowercomPowerConverter
            Coll(C, 0x1A, 'physical', [                              # ...PowercomInput
                Field(0x04, C, 0x32, 'Input.Frequency', lmax=255),
                Field(0x04, C, 0x30, 'Input.Voltage', lmax=255, kinds='FI'),
            ]),
            Coll(C, 0x1C, 'physical', [                              # ...PowercomOutput
                Field(0x05, C, 0x30, 'Output.Voltage', lmax=255, kinds='FI'),
                Field(0x05, C, 0x35, 'Output.PercentLoad', lmax=255, kinds='FI'),
                Field(0x05, C, 0x32, 'Output.Frequency', lmax=255),
                Field(0x06, C, 0x81, 'InternalChargeController', lmax=255, kinds='FI'),
                Field(0x06, C, 0x82, 'PrimaryBatterySupport', lmax=255, kinds='FI'),
            ]),
            Field(0x07, C, 0x58, 'Test', lmax=7, rw=True),
            Field(0x08, C, 0x57, 'DelayBeforeShutdown', bits=16, lmax=65535, rw=True),
            Field(0x09, C, 0x56, 'DelayBeforeStartup', bits=16, lmax=65535, rw=True),
        ]),
    ])


POWERCOM_VENDOR_STATE = {
    'ManufacturerName': 1, 'SerialNumber': 3, 'ManufacturerDate': (30 << 9) | (1 << 5) | 1,
    'Battery.Temperature': 31, 'Battery.Voltage': 100,
    'Input.Frequency': 50, 'Input.Voltage': 57, 'Output.Voltage': 57, 'Output.PercentLoad': 12,
    'Output.Frequency': 50, 'InternalChargeController': 0, 'PrimaryBatterySupport': 0,
    'Test': 1, 'DelayBeforeShutdown': 0, 'DelayBeforeStartup': 0,
}

PROFILES = {
    'powercom': dict(vid=0x0D9F, pid=0x0004, bcd=0x0002,
                     strings={1: 'POWERCOM Co.,LTD', 2: 'HID UPS Battery', 3: '004-0D9F-000',
                              4: 'PbAc'},
                     tree=powercom_tree, state=POWERCOM_STATE,
                     presets=presets_online_low(POWERCOM_STATE, {
                         'ACPresent': 0, 'Charging': 0, 'Discharging': 1,
                         'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 6,
                         'RunTimeToEmpty': 48, 'Input.Voltage': 0, 'Input.Frequency': 0,
                         'Output.Voltage': 224, 'Output.PercentLoad': 13})),
    'powercom-vendor': dict(vid=0x0D9F, pid=0x00A4, bcd=0x0001,
                            strings={1: 'POWERCOM Co.,LTD', 2: 'WOW-500U FW1.A0',
                                     3: '1A0-0000-0042'},
                            tree=powercom_vendor_tree, state=POWERCOM_VENDOR_STATE,
                            presets=presets_online_low(POWERCOM_VENDOR_STATE, {
                                # line fail + low battery; AVR bits clear; test-mode bit set
                                'PrimaryBatterySupport': 0x03, 'InternalChargeController': 0x04,
                                'Battery.Voltage': 12, 'Input.Voltage': 0, 'Input.Frequency': 0,
                                'Output.Voltage': 55, 'Output.PercentLoad': 14})),
}
