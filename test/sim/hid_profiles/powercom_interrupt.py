"""
PowerCOM 0d9f:0001, the product powercom-hid.c's claim puts into interrupt-only mode
(interrupt_only = 1, interrupt_size = 8): the driver never sends GET_REPORT and sees values
only in the 8-byte Input report the UPS sends on its interrupt pipe. The profile has that one
Input report (status bits, charge, runtime, input voltage, load; 1 + 7 bytes) and sends it once
at start-up (input_on_start), then on every change; its Feature-only items (strings, nominal
voltage, battery date) exist in the descriptor but stay unread in that mode.
"""
from hid_descriptor import (PAGE_POWER, PAGE_BATTERY, UNIT_VOLT, UNIT_SECOND, Field, Coll,
                            bits_group, presets_online_low)


def powercom_interrupt_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    V, S = UNIT_VOLT, UNIT_SECOND
    return Coll(P, 0x04, 'application', [
        Coll(P, 0x24, 'physical', [                                  # UPS.PowerSummary
            Field(0x02, P, 0xFE, 'iProduct', const=True),
            Field(0x02, P, 0xFD, 'iManufacturer', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x03, B, 0x29, 'RemainingCapacityLimit', lmax=100),
            Coll(P, 0x02, 'logical', bits_group(0x01, None, [         # ...PresentStatus
                ('ACPresent', B, 0xD0), ('BatteryPresent', B, 0xD1),
                ('BelowRemainingCapacityLimit', B, 0x42), ('Charging', B, 0x44),
                ('Discharging', B, 0x45), ('NeedReplacement', B, 0x4B),
                ('Overload', P, 0x65), ('ShutdownImminent', P, 0x69)], 0, kinds='I')),
            Field(0x01, B, 0x66, 'RemainingCapacity', lmax=100, kinds='I'),
            Field(0x01, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535, unit=S, kinds='I'),
        ]),
        Coll(P, 0x1A, 'physical', [                                  # UPS.Input
            Field(0x01, P, 0x30, 'Input.Voltage', bits=16, lmax=65535, unit=V, unit_exp=7,
                  kinds='I'),
            Field(0x04, P, 0x40, 'Input.ConfigVoltage', bits=16, lmax=65535, unit=V,
                  unit_exp=7),
        ]),
        Coll(P, 0x1C, 'physical', [                                  # UPS.Output
            Field(0x01, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='I'),
        ]),
    ])


POWERCOM_INTERRUPT_STATE = {
    'iProduct': 2, 'iManufacturer': 1, 'iDeviceChemistry': 4, 'RemainingCapacityLimit': 10,
    'ACPresent': 1, 'BatteryPresent': 1, 'BelowRemainingCapacityLimit': 0, 'Charging': 1,
    'Discharging': 0, 'NeedReplacement': 0, 'Overload': 0, 'ShutdownImminent': 0,
    'RemainingCapacity': 87, 'RunTimeToEmpty': 1260, 'Input.Voltage': 231,
    'Input.ConfigVoltage': 230, 'Output.PercentLoad': 17,
}

PROFILES = {
    'powercom-interrupt': dict(vid=0x0D9F, pid=0x0001, bcd=0x0001,
                               strings={1: 'POWERCOM Co.,LTD', 2: 'HID UPS Battery',
                                        3: '004-0109-0001', 4: 'PbAc'},
                               tree=powercom_interrupt_tree, state=POWERCOM_INTERRUPT_STATE,
                               input_on_start=True,
                               presets=presets_online_low(POWERCOM_INTERRUPT_STATE, {
                                   'ACPresent': 0, 'Charging': 0, 'Discharging': 1,
                                   'BelowRemainingCapacityLimit': 1, 'RemainingCapacity': 7,
                                   'RunTimeToEmpty': 95, 'Input.Voltage': 0,
                                   'Output.PercentLoad': 19})),
}
