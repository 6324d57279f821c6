"""
APC Back-UPS BX1600MI (051d:0002, subdriver apc-hid): the simulator's generic APC Back-UPS
(descriptor and values of the built-in 'apc' profile) under the product string of the
BXnnnnMI models for which NUT 2.8.2+ defaults lbrb_log_delay_sec (NUT issue 2347: they flap
LB/RB during self-calibration). Used by test/interop/usbhid-ups-sim-status-options.test.ts.
"""

PROFILES = {
    'apc-bx': dict(vid=0x051D, pid=0x0002, bcd=0x0106,
                   strings={1: 'American Power Conversion',
                            2: 'Back-UPS BX1600MI',
                            3: '9B2315A12345',
                            4: 'PbAc'}),
}
