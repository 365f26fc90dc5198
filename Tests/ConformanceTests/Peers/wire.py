"""Hand-building protobuf wire bytes, for corpus cases no encoder writes on its own:
unpacked encodings of packed fields, fields repeated on the wire, map entries with a
missing key or value, unknown fields of every wire type (groups included)."""

import struct

VARINT, FIXED64, LEN, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5


def varint(value):
    """A varint; negative numbers are sign-extended to 64 bits (10 bytes), as int32 is."""
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def overlong_varint(value, length):
    """A varint padded with 0x80 continuation bytes to `length` bytes (still valid)."""
    raw = bytearray(varint(value))
    while len(raw) < length:
        raw[-1] |= 0x80
        raw.append(0)
    return bytes(raw)


def tag(field, wire_type):
    return varint(field << 3 | wire_type)


def zigzag(value):
    return (value << 1) ^ (value >> 63)


def f_varint(field, value):
    return tag(field, VARINT) + varint(value)


def f_sint(field, value):
    return tag(field, VARINT) + varint(zigzag(value))


def f_fixed32(field, value, fmt="<I"):
    return tag(field, FIXED32) + struct.pack(fmt, value)


def f_fixed64(field, value, fmt="<Q"):
    return tag(field, FIXED64) + struct.pack(fmt, value)


def f_float(field, value):
    return f_fixed32(field, value, "<f")


def f_double(field, value):
    return f_fixed64(field, value, "<d")


def f_len(field, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return tag(field, LEN) + varint(len(payload)) + payload


def f_group(field, inner):
    return tag(field, START_GROUP) + inner + tag(field, END_GROUP)


# Element encoders for repeated fields, by proto type name: (wire type, element bytes).
ELEMENT = {
    "double": (FIXED64, lambda v: struct.pack("<d", v)),
    "float": (FIXED32, lambda v: struct.pack("<f", v)),
    "int32": (VARINT, varint),
    "int64": (VARINT, varint),
    "uint32": (VARINT, varint),
    "uint64": (VARINT, varint),
    "sint32": (VARINT, lambda v: varint(zigzag(v))),
    "sint64": (VARINT, lambda v: varint(zigzag(v))),
    "fixed32": (FIXED32, lambda v: struct.pack("<I", v)),
    "fixed64": (FIXED64, lambda v: struct.pack("<Q", v)),
    "sfixed32": (FIXED32, lambda v: struct.pack("<i", v)),
    "sfixed64": (FIXED64, lambda v: struct.pack("<q", v)),
    "bool": (VARINT, lambda v: varint(int(v))),
    "enum": (VARINT, varint),
}


def unpacked(field, kind, values):
    """One tag per element."""
    wire, encode = ELEMENT[kind]
    return b"".join(tag(field, wire) + encode(v) for v in values)


def packed(field, kind, values):
    """One length-delimited run of elements."""
    _, encode = ELEMENT[kind]
    return f_len(field, b"".join(encode(v) for v in values))
