"""
EVER ECO PRO AVR CDS (2e51:0000) with its network card, for NUT 2.8.0's ever-hid subdriver:
standard HID PDC collections (PowerSummary, BatterySystem, PowerConverter, Flow, OutletSystem,
with their ID usages) plus Ever's vendor collection EVER1 (usage 0 of page 0) holding vendor
page 0xff00 values: firmware / hardware versions, temperatures, controls, settings,
statistics, and the whole reports ever-hid.c decodes byte by byte (work mode 74, messages 75,
alarms 76, MAC address 210, IP addresses 211 and 230-232, packet counters 215-218). Values
from the nut-ddl dump EVER__ECO_PRO_AVR_CDS__usbhid-ups__2.8.0__01.dev; the network card's are
made up (the dumped unit had none).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hid_descriptor import (  # noqa: E402
    PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, UNIT_AMPERE, UNIT_WATT, UNIT_HERTZ,
    Field, Pad, Coll, bits_group, presets_online_low)

PAGE_EVER = 0xFF00


def _bytes(rid, usage, name, n):
    """An n-byte vendor value read byte by byte (name0, name1 …), all under one usage."""
    return [Field(rid, PAGE_EVER, usage, f'{name}{i}', lmax=255) for i in range(n)]


def _flags(rid, first_usage, names, pad, kinds='FI'):
    """Consecutive 1-bit vendor flags from first_usage on, bit 0 first."""
    return bits_group(rid, None, [(n, PAGE_EVER, first_usage + i) for i, n in enumerate(names)],
                      pad, kinds=kinds)


def ever_tree():
    P, B, E = PAGE_POWER, PAGE_BATTERY, PAGE_EVER
    V, S, W = UNIT_VOLT, UNIT_SECOND, UNIT_WATT
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x01, P, 0x1F, 'Summary.FlowID', lmax=255),
            Field(0x02, P, 0xFD, 'iManufacturer', const=True),
            Field(0x02, P, 0xFE, 'iProduct', const=True),
            Field(0x02, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x03, B, 0x8B, 'Rechargeable', lmax=1),
            Field(0x03, B, 0x2C, 'CapacityMode', lmax=2),
            Field(0x03, B, 0x8D, 'CapacityGranularity1', lmax=100),
            Field(0x03, B, 0x8E, 'CapacityGranularity2', lmax=100),
            Field(0x04, B, 0x83, 'DesignCapacity', lmax=100),
            Field(0x04, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x05, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x05, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='FI'),
            Field(0x06, B, 0x2A, 'RemainingTimeLimit', bits=16, lmax=65535, unit=S, rw=True),
            Field(0x07, P, 0x30, 'Summary.Voltage', bits=16, lmax=65535, unit=V, unit_exp=7),
            Field(0x08, P, 0x35, 'Summary.PercentLoad', lmax=255),
            Field(0x09, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1, lmax=32767, unit=S,
                  rw=True),
            Coll(P, 0x02, 'logical', bits_group(0x0A, None, [          # ...PresentStatus
                ('ACPresent', B, 0xD0), ('AwaitingPower', P, 0x72), ('BatteryPresent', B, 0xD1),
                ('CommunicationLost', P, 0x73), ('Discharging', B, 0x45),
                ('NeedReplacement', B, 0x4B), ('Overload', P, 0x65), ('OverTemperature', P, 0x67),
                ('ShutdownImminent', P, 0x69)], 7)),
        ]),
        Coll(P, 0x10, 'physical', [                                  # UPS.BatterySystem
            Field(0x10, P, 0x11, 'BatterySystemID', lmax=255),
            Coll(P, 0x12, 'physical', [Field(0x10, P, 0x13, 'BatteryID', lmax=255)]),
            Coll(P, 0x14, 'physical', [Field(0x10, P, 0x15, 'ChargerID', lmax=255)]),
            Coll(P, 0x1A, 'physical', [Field(0x11, P, 0x1F, 'BS.Input.FlowID', lmax=255),
                                       Field(0x11, P, 0x1B, 'BS.Input.InputID', lmax=255)]),
            Coll(P, 0x1C, 'physical', [Field(0x12, P, 0x1F, 'BS.Output.FlowID', lmax=255),
                                       Field(0x12, P, 0x1D, 'BS.Output.OutputID', lmax=255)]),
        ]),
        Coll(P, 0x16, 'physical', [                                  # UPS.PowerConverter
            Field(0x13, P, 0x17, 'PowerConverterID', lmax=255),
            Coll(P, 0x1A, 'physical', [                              # ...Input
                Field(0x14, P, 0x1F, 'PC.Input.FlowID', lmax=255),
                Field(0x14, P, 0x1B, 'PC.Input.InputID', lmax=255),
                Field(0x15, P, 0x32, 'PC.Input.Frequency', lmax=255, unit=UNIT_HERTZ, kinds='FI'),
                Field(0x15, P, 0x30, 'PC.Input.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=7, kinds='FI'),
            ]),
            Coll(P, 0x1C, 'physical', [                              # ...Output
                Field(0x16, P, 0x1F, 'PC.Output.FlowID', lmax=255),
                Field(0x16, P, 0x1D, 'PC.Output.OutputID', lmax=255),
                Field(0x17, P, 0x34, 'PC.Output.ActivePower', bits=16, lmax=65535, unit=W,
                      unit_exp=7, kinds='FI'),
                Field(0x17, P, 0x33, 'PC.Output.ApparentPower', bits=16, lmax=65535, unit=W,
                      unit_exp=7, kinds='FI'),
                Field(0x17, P, 0x31, 'PC.Output.Current', lmax=255, unit=UNIT_AMPERE, kinds='FI'),
                Field(0x17, P, 0x32, 'PC.Output.Frequency', lmax=255, unit=UNIT_HERTZ, kinds='FI'),
                Field(0x17, P, 0x35, 'PC.Output.PercentLoad', lmax=255, kinds='FI'),
                Field(0x17, P, 0x30, 'PC.Output.Voltage', bits=16, lmax=65535, unit=V,
                      unit_exp=7, kinds='FI'),
            ]),
        ]),
        Coll(P, 0x1E, 'physical', [                                  # UPS.Flow
            Field(0x18, P, 0x1F, 'Flow.FlowID', lmax=255),
            Field(0x18, P, 0x44, 'Flow.ConfigActivePower', bits=16, lmax=65535, unit=W,
                  unit_exp=7),
            Field(0x18, P, 0x43, 'Flow.ConfigApparentPower', bits=16, lmax=65535, unit=W,
                  unit_exp=7),
            Field(0x18, P, 0x42, 'Flow.ConfigFrequency', lmax=255, unit=UNIT_HERTZ),
            Field(0x18, P, 0x40, 'Flow.ConfigVoltage', bits=16, lmax=65535, unit=V, unit_exp=7),
        ]),
        Coll(P, 0x18, 'physical', [                                  # UPS.OutletSystem
            Field(0x19, P, 0x19, 'OutletSystemID', lmax=255),
            Coll(P, 0x20, 'physical', [                              # ...Outlet
                Field(0x1A, P, 0x21, 'OutletID', lmax=255),
                Field(0x1B, P, 0x51, 'SwitchOffControl', lmax=1, rw=True),
                Field(0x1B, P, 0x50, 'SwitchOnControl', lmax=1, rw=True),
                Coll(P, 0x02, 'logical', bits_group(0x1C, None, [
                    ('Outlet.Present', P, 0x60), ('Outlet.Switchable', P, 0x6C),
                    ('Outlet.SwitchOn/Off', P, 0x6B), ('Outlet.Undefined', P, 0x00)], 4)),
            ]),
        ]),
        Coll(0x00, 0x00, 'logical', [                                # UPS.EVER1
            Field(0x20, E, 0x10, 'EVER12', bits=16, lmax=65535),
            Field(0x20, E, 0x11, 'EVER13', bits=16, lmax=65535),
            Field(0x20, E, 0x12, 'EVER14', bits=16, lmax=65535),
            Field(0x20, E, 0x13, 'EVER15', bits=16, lmax=65535),
            Field(0x20, E, 0x14, 'EVER16', bits=16, lmax=65535),
            Field(0x20, E, 0x15, 'EVER17', bits=16, lmax=65535),
            # messages: bit 0 overload … bit 12 waiting for the minimum charge
            Coll(E, 0x16, 'logical', _flags(0x4B, 0x17, [f'EVER{n}' for n in range(19, 32)], 3)),
            # alarms: bit 0 overload … bit 8 critical battery voltage
            Coll(E, 0x30, 'logical', _flags(0x4C, 0x31, [f'EVER{n}' for n in range(33, 42)], 7)),
            Field(0x28, E, 0x40, 'EVER42', bits=16, lmax=65535),     # heatsink, K
            Field(0x28, E, 0x41, 'EVER43', bits=16, lmax=65535),     # battery, K
            Field(0x28, E, 0x42, 'EVER44', lmax=100),                # output power factor
            Coll(E, 0x43, 'logical', [Field(0x29, E, 0x44 + i, f'EVER{46 + i}', lmax=1, rw=True)
                                      for i in range(3)]),
            Coll(E, 0x50, 'logical', [Field(0x2A, E, 0x51 + i, f'EVER{50 + i}', lmax=1, rw=True)
                                      for i in range(4)]),
            Field(0x30, E, 0x60, 'EVER54', bits=16, lmax=65535, rw=True),
            Field(0x31, E, 0x66, 'EVER59', lmax=99, rw=True),
            Field(0x31, E, 0x67, 'EVER60', lmax=99, rw=True),
            Field(0x31, E, 0x68, 'EVER61', lmax=9, rw=True),
            *[Field(0x32, E, 0x69 + i, f'EVER{62 + i}', bits=16, lmax=65535) for i in range(10)],
            *_bytes(0xD2, 0x73, 'EVER72.', 6),                       # MAC address
            *_bytes(0xD3, 0x74, 'EVER73.', 4),                       # notification destination
            *[Field(0xD7 + i, E, 0x78 + i, f'EVER{77 + i}', bits=32, lmax=0x7FFFFFFF)
              for i in range(4)],                                    # packet counters
            Coll(E, 0x80, 'logical', _flags(0xDC, 0x81, [f'EVER{n}' for n in range(86, 92)], 2,
                                            kinds='F')),
            Field(0xDD, E, 0x8B, 'EVER96', lmax=1, rw=True),
            *_bytes(0xE6, 0x88, 'EVER93.', 4),                       # IP address
            *_bytes(0xE7, 0x89, 'EVER94.', 4),                       # network mask
            *_bytes(0xE8, 0x8A, 'EVER95.', 4),                       # default gateway
            # work mode: one bit per mode (unknown, stop, online, on battery, watch, waiting,
            # emergency)
            Coll(E, 0x90, 'logical', _flags(0x4A, 0x91, [f'EVER{n}' for n in range(98, 105)], 1)),
        ]),
    ])


def _quad(name, values):
    return {f'{name}{i}': v for i, v in enumerate(values)}


EVER_STATE = {
    'Summary.FlowID': 3, 'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3,
    'iDeviceChemistry': 18, 'Rechargeable': 1, 'CapacityMode': 2, 'CapacityGranularity1': 1,
    'CapacityGranularity2': 1, 'DesignCapacity': 100, 'FullChargeCapacity': 100,
    'RemainingCapacity': 100, 'RunTimeToEmpty': 17911, 'RemainingTimeLimit': 100,
    'Summary.Voltage': 26, 'Summary.PercentLoad': 0, 'DelayBeforeShutdown': -1,
    'ACPresent': 1, 'AwaitingPower': 0, 'BatteryPresent': 1, 'CommunicationLost': 0,
    'Discharging': 0, 'NeedReplacement': 0, 'Overload': 0, 'OverTemperature': 0,
    'ShutdownImminent': 0,
    'BatterySystemID': 1, 'BatteryID': 1, 'ChargerID': 1, 'BS.Input.FlowID': 1,
    'BS.Input.InputID': 1, 'BS.Output.FlowID': 2, 'BS.Output.OutputID': 1,
    'PowerConverterID': 1, 'PC.Input.FlowID': 1, 'PC.Input.InputID': 1,
    'PC.Input.Frequency': 50, 'PC.Input.Voltage': 222, 'PC.Output.FlowID': 3,
    'PC.Output.OutputID': 1, 'PC.Output.ActivePower': 0, 'PC.Output.ApparentPower': 0,
    'PC.Output.Current': 0, 'PC.Output.Frequency': 50, 'PC.Output.PercentLoad': 0,
    'PC.Output.Voltage': 229,
    'Flow.FlowID': 1, 'Flow.ConfigActivePower': 650, 'Flow.ConfigApparentPower': 1000,
    'Flow.ConfigFrequency': 50, 'Flow.ConfigVoltage': 230,
    'OutletSystemID': 1, 'OutletID': 1, 'SwitchOffControl': 0, 'SwitchOnControl': 0,
    'Outlet.Present': 1, 'Outlet.Switchable': 0, 'Outlet.SwitchOn/Off': 1,
    'Outlet.Undefined': 0,
    'EVER12': 0x0011, 'EVER13': 0x1203, 'EVER14': 0x2110, 'EVER15': 0x0205,
    'EVER16': 0x0101, 'EVER17': 0x0100,
    **{f'EVER{n}': 0 for n in range(19, 32)}, 'EVER26': 1,          # fan on
    **{f'EVER{n}': 0 for n in range(33, 42)},
    'EVER42': 303, 'EVER43': 298, 'EVER44': 0,
    'EVER46': 1, 'EVER47': 0, 'EVER48': 0, 'EVER50': 0, 'EVER51': 0, 'EVER52': 1, 'EVER53': 1,
    'EVER54': 230, 'EVER59': 10, 'EVER60': 90, 'EVER61': 0,
    'EVER62': 26, 'EVER63': 3, 'EVER64': 1, 'EVER65': 1, 'EVER66': 2, 'EVER67': 9, 'EVER68': 0,
    'EVER69': 190, 'EVER70': 193, 'EVER71': 0,
    **_quad('EVER72.', [0x00, 0x1E, 0xC0, 0x8A, 0x42, 0x17]),
    **_quad('EVER73.', [192, 168, 1, 10]),
    'EVER77': 123456, 'EVER78': 234567, 'EVER79': 0, 'EVER80': 3,
    'EVER86': 1, 'EVER87': 1, 'EVER88': 1, 'EVER89': 0, 'EVER90': 0, 'EVER91': 0, 'EVER96': 0,
    **_quad('EVER93.', [192, 168, 1, 50]), **_quad('EVER94.', [255, 255, 255, 0]),
    **_quad('EVER95.', [192, 168, 1, 1]),
    **{f'EVER{n}': 0 for n in range(98, 105)}, 'EVER100': 1,        # ONLINE
}
EVER_PRESETS = presets_online_low(EVER_STATE, {
    'ACPresent': 0, 'Discharging': 1, 'RemainingCapacity': 8, 'RunTimeToEmpty': 95,
    'Summary.Voltage': 21, 'PC.Input.Frequency': 0, 'PC.Input.Voltage': 0,
    'PC.Output.PercentLoad': 12, 'PC.Output.ActivePower': 78, 'PC.Output.ApparentPower': 120,
    'EVER20': 1, 'EVER41': 1,                                       # battery low, critical
    'EVER100': 0, 'EVER101': 1,                                     # ONBATTERY
})

PROFILES = {
    'ever': dict(vid=0x2E51, pid=0x0000, bcd=0x0100,
                 strings={1: 'EVER', 2: 'ECO PRO AVR CDS', 3: '800200074230430520353859'},
                 tree=ever_tree, state=EVER_STATE, presets=EVER_PRESETS),
}
