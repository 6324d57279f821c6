#!/usr/bin/python3
"""
Source: copied from the project's research fixtures,
../shared/research/sim-fixtures/usb/hidups_sim.py (see ../shared/research/simulation.md §1),
then extended here: --profile takes a comma-separated list to put several devices on the
simulated bus (device i is sysfs 1-<i+1>, /dev/bus/usb/001/<i+2>, hub port i+1).

Simulated USB HID Power Device (UPS) for libusb-based programs, built on
umockdev's custom ioctl handler API (UMockdev.IoctlBase via GObject
introspection).

The program under test is started as a child process inside a umockdev
testbed (LD_PRELOAD=libumockdev-preload.so.0, UMOCKDEV_DIR=<testbed>).  It
sees a sysfs/udev USB device 1-1 (bus 001, device 002) whose usbdevfs node
/dev/bus/usb/001/002 is backed by this script: every USBDEVFS_* ioctl that
libusb issues (SUBMITURB / REAPURBNDELAY / DISCARDURB / CLAIMINTERFACE ...)
is answered here.  Control transfers (GET_DESCRIPTOR string / HID / report,
HID GET_REPORT / SET_REPORT / SET_IDLE) and interrupt-IN transfers on
endpoint 0x81 are emulated from an in-memory UPS model.

Usage:
    /usr/bin/python3 hidups_sim.py [--profile apc|eaton] [--state FILE.json]
                                   [--log FILE.jsonl] [--trace]
                                   [--write-umockdev FILE] [--dump-rdesc]
                                   -- PROGRAM [ARGS...]
The exit status is the PROGRAM's.  Environment equivalents: HIDUPS_PROFILE,
HIDUPS_STATE, HIDUPS_LOG.

Requirements (Debian 12): umockdev, gir1.2-umockdev-1.0, python3-gi.
Must run with the system python (/usr/bin/python3) because of python3-gi.

--state FILE.json: JSON object with model values (see DEFAULT_STATE keys);
the file is re-read whenever its mtime changes, so a test can flip e.g.
{"ACPresent": 0, "Discharging": 1} while the program runs.  A change of any
value that is part of an Input report queues an interrupt-IN report.
Special key "_disconnected": true makes every usbdevfs call fail with ENODEV
(USB cable pulled); set it back to false to "replug" the same device.

--log FILE.jsonl: one JSON object per transfer, e.g.
{"setup": "21091503...", "out": "151400", "resp": "", "stall": false, "t": ...}
so a test can assert what the program under test wrote (SET_REPORT etc.).
"""

import argparse
import errno
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time

import gi
gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev  # noqa: E402

# --------------------------------------------------------------------------
# usbdevfs ioctl request codes (x86_64 / aarch64: 64-bit pointers)
# --------------------------------------------------------------------------
USBDEVFS_SETINTERFACE = 0x80085504
USBDEVFS_SETCONFIGURATION = 0x80045505
USBDEVFS_GETDRIVER = 0x41045508
USBDEVFS_SUBMITURB = 0x8038550a
USBDEVFS_DISCARDURB = 0x0000550b
USBDEVFS_REAPURB = 0x4008550c
USBDEVFS_REAPURBNDELAY = 0x4008550d
USBDEVFS_CLAIMINTERFACE = 0x8004550f
USBDEVFS_RELEASEINTERFACE = 0x80045510
USBDEVFS_CONNECTINFO = 0x40085511
USBDEVFS_IOCTL = 0xc0105512
USBDEVFS_RESET = 0x00005514
USBDEVFS_CLEAR_HALT = 0x80045515
USBDEVFS_RESETEP = 0x80045503
USBDEVFS_GET_CAPABILITIES = 0x8004551a
USBDEVFS_DISCONNECT_CLAIM = 0x8108551b
USBDEVFS_GET_SPEED = 0x0000551f

URB_SIZE = 56              # sizeof(struct usbdevfs_urb) on LP64
URB_OFF_STATUS = 4
URB_OFF_BUFFER = 16
URB_OFF_BUFLEN = 24
URB_OFF_ACTUAL = 28
URB_TYPE_INTERRUPT = 1
URB_TYPE_CONTROL = 2

# --------------------------------------------------------------------------
# HID report descriptor compiler
# --------------------------------------------------------------------------
PAGE_POWER = 0x84
PAGE_BATTERY = 0x85
UNIT_VOLT = 0x00F0D121     # SI linear, exponent 7 in NUT's table
UNIT_SECOND = 0x00001001


class Field:
    """One data item in one report. kinds: 'F' feature, 'I' input."""

    def __init__(self, rid, page, usage, name, bits=8, lmin=0, lmax=255,
                 kinds='F', unit=0, unit_exp=0, const=False, rw=False):
        self.rid, self.page, self.usage, self.name = rid, page, usage, name
        self.bits, self.lmin, self.lmax = bits, lmin, lmax
        self.kinds, self.unit, self.unit_exp = kinds, unit, unit_exp
        self.const, self.rw = const, rw


class Pad(Field):
    def __init__(self, rid, bits, kinds='F'):
        super().__init__(rid, None, None, None, bits=bits, lmin=0, lmax=0,
                         kinds=kinds, const=True)


class Coll:
    def __init__(self, page, usage, kind, children):
        self.page, self.usage, self.kind, self.children = page, usage, kind, children


def _sval(v):
    """Minimal little-endian signed encoding (1, 2 or 4 bytes)."""
    for n, fmt in ((1, '<b'), (2, '<h'), (4, '<i')):
        lo, hi = -(1 << (8 * n - 1)), (1 << (8 * n - 1)) - 1
        if lo <= v <= hi:
            return struct.pack(fmt, v)
    raise ValueError(v)


def _uval(v):
    for n, fmt in ((1, '<B'), (2, '<H'), (4, '<I')):
        if v < (1 << (8 * n)):
            return struct.pack(fmt, v)
    raise ValueError(v)


def _item(prefix, payload=b''):
    size_code = {0: 0, 1: 1, 2: 2, 4: 3}[len(payload)]
    return bytes([prefix | size_code]) + payload


class DescriptorCompiler:
    def __init__(self):
        self.out = bytearray()
        self.g = {}     # current global state
        self.fields = []

    def glob(self, key, prefix, payload):
        if self.g.get(key) != payload:
            self.out += _item(prefix, payload)
            self.g[key] = payload

    def usage(self, page, usage):
        self.glob('page', 0x04, _uval(page))
        self.out += _item(0x08, _uval(usage))

    def compile(self, node):
        if isinstance(node, Coll):
            self.usage(node.page, node.usage)
            self.out += _item(0xA0, bytes([{'physical': 0, 'application': 1,
                                            'logical': 2}[node.kind]]))
            # emit feature items first, then input items (same field list)
            for kind in ('F', 'I'):
                for ch in node.children:
                    if isinstance(ch, Coll):
                        if kind == 'F':
                            self.compile(ch)
                    elif kind in ch.kinds:
                        self.emit(ch, kind)
            self.out += _item(0xC0)
        return bytes(self.out)

    def emit(self, f, kind):
        self.glob('rid', 0x84, _uval(f.rid))
        self.glob('size', 0x74, _uval(f.bits))
        self.glob('count', 0x94, _uval(1))
        if not isinstance(f, Pad):
            self.glob('lmin', 0x14, _sval(f.lmin))
            self.glob('lmax', 0x24, _sval(f.lmax))
            self.glob('unit', 0x64, _uval(f.unit) if f.unit else b'')
            self.glob('uexp', 0x54, _uval(f.unit_exp & 0x0F) if f.unit_exp else b'')
            self.usage(f.page, f.usage)
        if kind == 'F':
            flags = 0x03 if f.const else (0x02 if not f.rw else 0xA2)
            self.out += _item(0xB0, bytes([flags]))
        else:
            self.out += _item(0x80, bytes([0x03 if f.const else 0x02]))
        if kind == 'F' or not any(x is f for x in self.fields):
            self.fields.append(f)


def ups_tree():
    P, B = PAGE_POWER, PAGE_BATTERY
    return Coll(P, 0x04, 'application', [                 # UPS
        Coll(P, 0x24, 'physical', [                       # UPS.PowerSummary
            Field(0x01, P, 0xFD, 'iManufacturer', const=True),
            Field(0x01, P, 0xFE, 'iProduct', const=True),
            Field(0x01, P, 0xFF, 'iSerialNumber', const=True),
            Field(0x02, B, 0x89, 'iDeviceChemistry', const=True),
            Field(0x02, B, 0x8F, 'iOEMInformation', const=True),
            Field(0x03, B, 0x8B, 'Rechargeable', lmax=1),
            Field(0x03, B, 0x2C, 'CapacityMode', lmax=2),
            Field(0x04, B, 0x83, 'DesignCapacity', lmax=100),
            Field(0x04, B, 0x67, 'FullChargeCapacity', lmax=100),
            Field(0x04, B, 0x8C, 'WarningCapacityLimit', lmax=100),
            Field(0x05, B, 0x29, 'RemainingCapacityLimit', lmax=100, rw=True),
            Field(0x07, P, 0x40, 'ConfigVoltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=6),            # 0.1 V resolution
            Field(0x08, P, 0x30, 'Voltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=6, kinds='FI'),
            Field(0x0C, B, 0x66, 'RemainingCapacity', lmax=100, kinds='FI'),
            Field(0x0C, B, 0x68, 'RunTimeToEmpty', bits=16, lmax=65535,
                  unit=UNIT_SECOND, kinds='FI'),
            Field(0x15, P, 0x57, 'DelayBeforeShutdown', bits=16, lmin=-1,
                  lmax=32767, unit=UNIT_SECOND, rw=True),
            Field(0x17, P, 0x56, 'DelayBeforeStartup', bits=16, lmin=-1,
                  lmax=32767, unit=UNIT_SECOND, rw=True),
            Field(0x18, P, 0x5A, 'AudibleAlarmControl', lmin=1, lmax=3, rw=True),
            Coll(P, 0x02, 'logical', [                    # ...PresentStatus
                Field(0x16, B, 0x44, 'Charging', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x45, 'Discharging', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0xD0, 'ACPresent', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0xD1, 'BatteryPresent', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x42, 'BelowRemainingCapacityLimit', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x43, 'RemainingTimeLimitExpired', bits=1, lmax=1, kinds='FI'),
                Field(0x16, B, 0x4B, 'NeedReplacement', bits=1, lmax=1, kinds='FI'),
                Field(0x16, P, 0x69, 'ShutdownImminent', bits=1, lmax=1, kinds='FI'),
                Field(0x16, P, 0x65, 'Overload', bits=1, lmax=1, kinds='FI'),
                Pad(0x16, 7, kinds='FI'),
            ]),
        ]),
        Coll(P, 0x1A, 'physical', [                       # UPS.Input
            Field(0x20, P, 0x40, 'Input.ConfigVoltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7),
            Field(0x21, P, 0x30, 'Input.Voltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=6, kinds='FI'),
            Field(0x22, P, 0x53, 'Input.LowVoltageTransfer', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7, rw=True),
            Field(0x22, P, 0x54, 'Input.HighVoltageTransfer', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7, rw=True),
        ]),
        Coll(P, 0x1C, 'physical', [                       # UPS.Output
            Field(0x23, P, 0x35, 'Output.PercentLoad', lmax=100, kinds='FI'),
            Field(0x24, P, 0x40, 'Output.ConfigVoltage', bits=16, lmax=65535,
                  unit=UNIT_VOLT, unit_exp=7),
        ]),
    ])


PROFILES = {
    # APC Back-UPS (usbhid-ups subdriver "apc-hid", 051d:0002)
    'apc': dict(vid=0x051D, pid=0x0002, bcd=0x0106,
                strings={1: 'American Power Conversion',
                         2: 'Back-UPS ES 700G FW:871.O4 .I USB FW:O4',
                         3: '4B1234P56789',
                         4: 'PbAc'}),
    # Eaton / MGE (usbhid-ups subdriver "mge-hid", 0463:ffff)
    'eaton': dict(vid=0x0463, pid=0xFFFF, bcd=0x0100,
                  strings={1: 'EATON', 2: 'Ellipse ECO', 3: 'G355H1234',
                           4: 'PbAc'}),
}

DEFAULT_STATE = {
    'iManufacturer': 1, 'iProduct': 2, 'iSerialNumber': 3,
    'iDeviceChemistry': 4, 'iOEMInformation': 1,
    'Rechargeable': 1, 'CapacityMode': 2,
    'DesignCapacity': 100, 'FullChargeCapacity': 100,
    'WarningCapacityLimit': 50, 'RemainingCapacityLimit': 10,
    'ConfigVoltage': 120, 'Voltage': 136,            # 12.0 V / 13.6 V
    'RemainingCapacity': 100, 'RunTimeToEmpty': 2400,
    'DelayBeforeShutdown': -1, 'DelayBeforeStartup': -1,
    'AudibleAlarmControl': 2,
    'Charging': 0, 'Discharging': 0, 'ACPresent': 1, 'BatteryPresent': 1,
    'BelowRemainingCapacityLimit': 0, 'RemainingTimeLimitExpired': 0,
    'NeedReplacement': 0, 'ShutdownImminent': 0, 'Overload': 0,
    'Input.ConfigVoltage': 230, 'Input.Voltage': 2295,   # 229.5 V
    'Input.LowVoltageTransfer': 180, 'Input.HighVoltageTransfer': 266,
    'Output.PercentLoad': 23, 'Output.ConfigVoltage': 230,
}


class UpsModel:
    def __init__(self, profile, state_file=None, trace=False):
        self.p = PROFILES[profile]
        comp = DescriptorCompiler()
        self.rdesc = comp.compile(ups_tree())
        self.fields = comp.fields
        self.state = dict(DEFAULT_STATE)
        self.state_file = state_file
        self.state_mtime = None
        self.trace = trace
        self.lock = threading.RLock()
        self.pending_input = []      # queued interrupt-IN reports (bytes)
        self.reload_state()

    # ---- descriptors ------------------------------------------------------
    def device_descriptor(self):
        p = self.p
        return struct.pack('<BBHBBBBHHHBBBB', 18, 1, 0x0200, 0, 0, 0, 8,
                           p['vid'], p['pid'], p['bcd'], 1, 2, 3, 1)

    def hid_descriptor(self):
        return struct.pack('<BBHBBBH', 9, 0x21, 0x0110, 0x21, 1, 0x22, len(self.rdesc))

    def config_descriptor(self):
        intf = struct.pack('<BBBBBBBBB', 9, 4, 0, 0, 1, 3, 0, 0, 0)
        ep = struct.pack('<BBBBHB', 7, 5, 0x81, 3, 8, 10)
        body = intf + self.hid_descriptor() + ep
        return struct.pack('<BBHBBBBB', 9, 2, 9 + len(body), 1, 1, 0, 0xE0, 0x32) + body

    def string_descriptor(self, idx):
        if idx == 0:
            return bytes([4, 3, 0x09, 0x04])
        s = self.p['strings'].get(idx)
        if s is None:
            return None
        enc = s.encode('utf-16-le')
        return bytes([2 + len(enc), 3]) + enc

    # ---- reports ----------------------------------------------------------
    def reload_state(self):
        if not self.state_file:
            return
        try:
            mt = os.stat(self.state_file).st_mtime_ns
        except FileNotFoundError:
            return
        if mt == self.state_mtime:
            return
        self.state_mtime = mt
        with open(self.state_file) as f:
            upd = json.load(f)
        with self.lock:
            changed = {k for k, v in upd.items() if self.state.get(k) != v}
            self.state.update(upd)
            if changed:
                for rid in sorted({f.rid for f in self.fields
                                   if f.name in changed and 'I' in f.kinds}):
                    self.pending_input.append(self.report(rid, 'I'))
        if self.trace:
            print(f'[sim] state reloaded, changed={sorted(changed)}', file=sys.stderr)

    def report(self, rid, kind):
        bits, nbits = 0, 0
        found = False
        for f in self.fields:
            if f.rid != rid or kind not in f.kinds:
                continue
            found = True
            v = 0 if isinstance(f, Pad) else int(self.state.get(f.name, 0))
            v &= (1 << f.bits) - 1
            bits |= v << nbits
            nbits += f.bits
        if not found:
            return None
        return bytes([rid]) + bits.to_bytes((nbits + 7) // 8, 'little')

    def set_report(self, rid, data):
        bits = int.from_bytes(data[1:], 'little')
        off = 0
        with self.lock:
            for f in self.fields:
                if f.rid != rid or 'F' not in f.kinds:
                    continue
                v = (bits >> off) & ((1 << f.bits) - 1)
                off += f.bits
                if isinstance(f, Pad):
                    continue
                if f.lmin < 0 and v & (1 << (f.bits - 1)):
                    v -= 1 << f.bits
                self.state[f.name] = v
                if self.trace:
                    print(f'[sim] SET_REPORT {f.name} = {v}', file=sys.stderr)

    # ---- control requests -------------------------------------------------
    def control(self, setup, out_data):
        """Return response bytes (IN), b'' (OUT ok) or None (STALL)."""
        bmRequestType, bRequest, wValue, wIndex, wLength = struct.unpack('<BBHHH', setup)
        dtype, didx = wValue >> 8, wValue & 0xFF
        resp = None
        if bmRequestType in (0x80, 0x81) and bRequest == 6:          # GET_DESCRIPTOR
            if bmRequestType == 0x80 and dtype == 1:
                resp = self.device_descriptor()
            elif bmRequestType == 0x80 and dtype == 2:
                resp = self.config_descriptor()
            elif bmRequestType == 0x80 and dtype == 3:
                resp = self.string_descriptor(didx)
            elif bmRequestType == 0x81 and dtype == 0x21 and wIndex == 0:
                resp = self.hid_descriptor()
            elif bmRequestType == 0x81 and dtype == 0x22 and wIndex == 0:
                resp = self.rdesc
        elif bmRequestType == 0x80 and bRequest == 0:                # GET_STATUS
            resp = b'\x00\x00'
        elif bmRequestType == 0x80 and bRequest == 8:                # GET_CONFIGURATION
            resp = b'\x01'
        elif bmRequestType == 0xA1 and bRequest == 0x01:             # HID GET_REPORT
            self.reload_state()
            with self.lock:
                resp = self.report(didx, {1: 'I', 3: 'F'}.get(dtype, '?'))
        elif bmRequestType == 0x21 and bRequest == 0x09:             # HID SET_REPORT
            self.set_report(didx, out_data)
            resp = b''
        elif bmRequestType == 0x21 and bRequest == 0x0A:             # HID SET_IDLE
            resp = b''
        elif bmRequestType in (0x00, 0x01, 0x02):                    # std OUT requests
            resp = b''
        if self.trace:
            print(f'[sim] CTRL {setup.hex()} -> '
                  f'{"STALL" if resp is None else resp[:wLength].hex()}', file=sys.stderr)
        return None if resp is None else resp[:wLength]

    def next_input_report(self):
        self.reload_state()
        with self.lock:
            return self.pending_input.pop(0) if self.pending_input else None


class Urb:
    __slots__ = ('addr', 'data', 'buf', 'type', 'ep', 'length')


class ClientState:
    """URB queues of one opened file descriptor (one IoctlClient)."""

    def __init__(self):
        self.pending = []      # submitted interrupt-IN URBs waiting for data
        self.completed = []    # URBs ready to be reaped


class UsbIoctlHandler:
    """Implements usbdevfs semantics on top of a UMockdev.IoctlBase."""

    def __init__(self, model, trace=False, log=None):
        self.model = model
        self.trace = trace
        self.log = log
        self.base = UMockdev.IoctlBase()
        self.base.connect('handle-ioctl', self.on_ioctl)
        self.lock = threading.RLock()
        self.clients = {}

    def _log(self, **rec):
        if self.log:
            rec['t'] = round(time.time(), 3)
            with open(self.log, 'a') as f:
                f.write(json.dumps(rec) + '\n')

    def _complete(self, cs, urb, status, payload=b''):
        if payload:
            off = 8 if urb.type == URB_TYPE_CONTROL else 0
            urb.buf.update(off, payload)
        urb.data.update(URB_OFF_STATUS, struct.pack('<i', status))
        urb.data.update(URB_OFF_ACTUAL, struct.pack('<i', len(payload)))
        cs.completed.append(urb)

    def _poll_interrupts(self, cs):
        for urb in list(cs.pending):
            rep = self.model.next_input_report()
            if rep is None:
                break
            cs.pending.remove(urb)
            self._complete(cs, urb, 0, rep[:urb.length])
            self._log(ep='0x81', data=rep.hex())

    def on_ioctl(self, _base, client):
        req = client.get_request()
        try:
            with self.lock:
                cs = self.clients.setdefault(client, ClientState())
                return self._dispatch(req, client.get_arg(), client, cs)
        except Exception as e:  # never let an exception escape into GLib
            print(f'[sim] handler error for ioctl {req:#x}: {e!r}', file=sys.stderr)
            client.complete(-1, errno.EIO)
            return True

    def _dispatch(self, req, arg, client, cs):
        self.model.reload_state()
        if self.model.state.get('_disconnected'):
            # unplugged: every usbdevfs call fails like on a vanished device;
            # already submitted URBs are reaped with -ENODEV first.
            if req in (USBDEVFS_REAPURB, USBDEVFS_REAPURBNDELAY) and (cs.pending or cs.completed):
                for urb in cs.pending:
                    self._complete(cs, urb, -errno.ENODEV)
                cs.pending.clear()
            else:
                client.complete(-1, errno.ENODEV)
                return True
        if req == USBDEVFS_GET_CAPABILITIES:
            d = arg.resolve(0, 4)
            d.update(0, struct.pack('<I', 0x04 | 0x10))  # NO_PACKET_SIZE_LIM|REAP_AFTER_DISCONNECT
            client.complete(0, 0)
        elif req in (USBDEVFS_CLAIMINTERFACE, USBDEVFS_RELEASEINTERFACE,
                     USBDEVFS_SETINTERFACE, USBDEVFS_SETCONFIGURATION,
                     USBDEVFS_CLEAR_HALT, USBDEVFS_RESETEP, USBDEVFS_RESET,
                     USBDEVFS_DISCONNECT_CLAIM):
            client.complete(0, 0)
        elif req in (USBDEVFS_GETDRIVER, USBDEVFS_IOCTL):
            client.complete(-1, errno.ENODATA)      # no kernel driver bound
        elif req == USBDEVFS_GET_SPEED:
            client.complete(2, 0)                   # USB_SPEED_FULL
        elif req == USBDEVFS_CONNECTINFO:
            d = arg.resolve(0, 8)
            d.update(0, struct.pack('<IB3x', 2, 0))
            client.complete(0, 0)
        elif req == USBDEVFS_SUBMITURB:
            self._submit(arg, client, cs)
        elif req in (USBDEVFS_REAPURB, USBDEVFS_REAPURBNDELAY):
            self._poll_interrupts(cs)
            if not cs.completed:
                client.complete(-1, errno.EAGAIN)
            else:
                urb = cs.completed.pop(0)
                slot = arg.resolve(0, 8)
                slot.set_ptr(0, urb.data)
                client.complete(0, 0)
        elif req == USBDEVFS_DISCARDURB:
            addr = struct.unpack('<Q', bytes(arg.retrieve()))[0]
            for urb in cs.pending:
                if urb.addr == addr:
                    cs.pending.remove(urb)
                    self._complete(cs, urb, -errno.ENOENT)
                    client.complete(0, 0)
                    break
            else:
                client.complete(-1, errno.EINVAL)
        else:
            if self.trace:
                print(f'[sim] unhandled ioctl {req:#x}', file=sys.stderr)
            client.complete(-1, errno.ENOTTY)
        return True

    def _submit(self, arg, client, cs):
        urb = Urb()
        urb.addr = struct.unpack('<Q', bytes(arg.retrieve()))[0]
        urb.data = arg.resolve(0, URB_SIZE)
        raw = bytes(urb.data.retrieve())
        urb.type, urb.ep = raw[0], raw[1]
        urb.length = struct.unpack_from('<i', raw, URB_OFF_BUFLEN)[0]
        urb.buf = urb.data.resolve(URB_OFF_BUFFER, urb.length)
        if urb.type == URB_TYPE_CONTROL:
            b = bytes(urb.buf.retrieve())
            setup, out = b[:8], b[8:]
            resp = self.model.control(setup, out)
            self._log(setup=setup.hex(), out=out.hex() if not setup[0] & 0x80 else None,
                      resp=None if resp is None else resp.hex(), stall=resp is None)
            if resp is None:
                self._complete(cs, urb, -errno.EPIPE)
            elif setup[0] & 0x80:
                self._complete(cs, urb, 0, resp)
            else:
                urb.data.update(URB_OFF_STATUS, struct.pack('<i', 0))
                urb.data.update(URB_OFF_ACTUAL, struct.pack('<i', len(out)))
                cs.completed.append(urb)
        elif urb.type == URB_TYPE_INTERRUPT and urb.ep == 0x81:
            cs.pending.append(urb)
            self._poll_interrupts(cs)
        else:
            client.complete(-1, errno.EINVAL)
            return
        client.complete(0, 0)


def umockdev_description(model, sysname='1-1', busnum=1, devnum=2):
    p = model.p
    dd = model.device_descriptor() + model.config_descriptor()
    node = f'bus/usb/{busnum:03d}/{devnum:03d}'
    path = f'/devices/pci0000:00/0000:00:14.0/usb{busnum}/{sysname}'
    s = p['strings']
    return _nl(f"""P: {path}
N: {node}={dd.hex().upper()}
E: DEVNAME=/dev/{node}
E: DEVTYPE=usb_device
E: DRIVER=usb
E: PRODUCT={p['vid']:x}/{p['pid']:x}/{p['bcd']:x}
E: TYPE=0/0/0
E: BUSNUM={busnum:03d}
E: DEVNUM={devnum:03d}
E: MAJOR=189
E: MINOR={(busnum - 1) * 128 + devnum - 1}
E: SUBSYSTEM=usb
E: ID_VENDOR_ID={p['vid']:04x}
E: ID_MODEL_ID={p['pid']:04x}
E: ID_BUS=usb
E: ID_USB_INTERFACES=:030000:
A: authorized=1
A: bConfigurationValue=1
A: bDeviceClass=00
A: bDeviceProtocol=00
A: bDeviceSubClass=00
A: bMaxPacketSize0=8
A: bMaxPower=100mA
A: bNumConfigurations=1
A: bNumInterfaces= 1
A: bcdDevice={p['bcd']:04x}
A: bmAttributes=e0
A: busnum={busnum}
H: descriptors={dd.hex().upper()}
A: dev=189:{(busnum - 1) * 128 + devnum - 1}
A: devnum={devnum}
A: devpath={sysname.split('-')[1]}
A: idProduct={p['pid']:04x}
A: idVendor={p['vid']:04x}
A: manufacturer={s[1]}
A: maxchild=0
A: product={s[2]}
A: removable=removable
A: serial={s[3]}
A: speed=12
A: version= 2.00

P: {path}/{sysname}:1.0
E: DEVTYPE=usb_interface
E: PRODUCT={p['vid']:x}/{p['pid']:x}/{p['bcd']:x}
E: TYPE=0/0/0
E: INTERFACE=3/0/0
E: SUBSYSTEM=usb
A: bAlternateSetting= 0
A: bInterfaceClass=03
A: bInterfaceNumber=00
A: bInterfaceProtocol=00
A: bInterfaceSubClass=00
A: bNumEndpoints=01
A: authorized=1
""")


def _nl(desc):
    """sysfs attribute values end with a newline, like the real kernel's."""
    return '\n'.join(l + '\\n' if l.startswith('A: ') else l
                     for l in desc.split('\n'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--profile', default=os.environ.get('HIDUPS_PROFILE', 'apc'),
                    help='profile, or comma-separated profiles for several devices: '
                         + ', '.join(sorted(PROFILES)))
    ap.add_argument('--state', default=os.environ.get('HIDUPS_STATE'))
    ap.add_argument('--trace', action='store_true', help='print every control transfer to stderr')
    ap.add_argument('--log', default=os.environ.get('HIDUPS_LOG'),
                    help='append one JSON line per control/interrupt transfer')
    ap.add_argument('--write-umockdev', metavar='FILE')
    ap.add_argument('--dump-rdesc', action='store_true')
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    profiles = a.profile.split(',')
    for name in profiles:
        if name not in PROFILES:
            ap.error(f'unknown profile {name!r} (choose from {", ".join(sorted(PROFILES))})')
    models = [UpsModel(name, a.state, a.trace) for name in profiles]
    model = models[0]
    descs = [umockdev_description(m, sysname=f'1-{i + 1}', devnum=i + 2)
             for i, m in enumerate(models)]
    desc = '\n'.join(descs)
    if a.dump_rdesc:
        print(model.rdesc.hex())
    if a.write_umockdev:
        with open(a.write_umockdev, 'w') as f:
            f.write(desc)
    cmd = a.cmd[1:] if a.cmd[:1] == ['--'] else a.cmd
    if not cmd:
        return 0

    tb = UMockdev.Testbed.new()
    nodes = []
    handlers = []
    for i, (m, d) in enumerate(zip(models, descs)):
        tb.add_from_string(d)
        handler = UsbIoctlHandler(m, a.trace, a.log)
        node = f'/dev/bus/usb/001/{i + 2:03d}'
        tb.attach_ioctl(node, handler.base)
        nodes.append(node)
        handlers.append(handler)

    env = dict(os.environ)
    env['UMOCKDEV_DIR'] = tb.get_root_dir()
    pre = 'libumockdev-preload.so.0'
    env['LD_PRELOAD'] = pre + (':' + env['LD_PRELOAD'] if env.get('LD_PRELOAD') else '')
    proc = subprocess.Popen(cmd, env=env)

    def forward(signum, _frame):          # stop the child when we are stopped
        if proc.poll() is None:
            proc.send_signal(signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    rc = proc.wait()
    for node in nodes:
        tb.detach_ioctl(node)
    del tb
    return rc


if __name__ == '__main__':
    sys.exit(main())
