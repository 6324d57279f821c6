"""
HID report descriptor compiler of the USB HID UPS simulator (hidups_sim.py) and the building
blocks of its device profiles: Field, Pad and Coll describe a device's collections and reports;
DescriptorCompiler turns them into report descriptor bytes and the report layout the
simulator answers GET_REPORT and interrupt transfers from. Profile modules in hid_profiles/
import these names.
"""
import struct

PAGE_POWER = 0x84
PAGE_BATTERY = 0x85
PAGE_VENDOR = 0xFFFF       # MGE / Tripp Lite vendor usages (0xffff00xx)
UNIT_VOLT = 0x00F0D121     # SI linear, exponent 7 in NUT's table
UNIT_SECOND = 0x00001001
UNIT_AMPERE = 0x00100001
UNIT_WATT = 0x0000D121     # W and VA, exponent 7
UNIT_HERTZ = 0x0000F001
UNIT_KELVIN = 0x00010001
UNIT_AS = 0x00101001       # ampere-second (battery capacity)


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
    """A collection. index=n makes it NUT's indexed collection (Collection item data 0x80|n),
    shown as "<usage>.[n]" in HID paths (hidparser.c, ITEM_COLLECTION)."""

    def __init__(self, page, usage, kind, children, index=None):
        self.page, self.usage, self.kind, self.children = page, usage, kind, children
        self.index = index


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
        # fields of each report kind in descriptor order: a report's bit layout follows the
        # descriptor, which can differ from `fields` when a report ID spans nested collections
        self.order = {'F': [], 'I': []}

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
            data = (0x80 | node.index if node.index is not None else
                    {'physical': 0, 'application': 1, 'logical': 2}[node.kind])
            self.out += _item(0xA0, bytes([data]))
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
        self.order[kind].append(f)



def bits_group(rid, page, names_usages, pad, kinds='FI'):
    """One byte-aligned group of 1-bit status flags in one report."""
    out = [Field(rid, page_, usage, name, bits=1, lmax=1, kinds=kinds)
           for name, page_, usage in names_usages]
    if pad:
        out.append(Pad(rid, pad, kinds=kinds))
    return out


def presets_online_low(state, low):
    """'online' restores every value that 'onbatt-low' changes."""
    return {'online': {k: state[k] for k in low}, 'onbatt-low': dict(low)}
