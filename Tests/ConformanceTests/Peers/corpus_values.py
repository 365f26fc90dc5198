"""Edge values for every protobuf scalar type, shared by the corpus cases."""

import random

I32_MIN, I32_MAX = -(1 << 31), (1 << 31) - 1
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
U32_MAX, U64_MAX = (1 << 32) - 1, (1 << 64) - 1
F64_MAX = 1.7976931348623157e308
F64_MIN_SUBNORMAL = 5e-324
F64_MIN_NORMAL = 2.2250738585072014e-308
F32_MAX = 3.4028234663852886e38
F32_MIN_SUBNORMAL = 1.401298464324817e-45
F32_MIN_NORMAL = 1.1754943508222875e-38
INF, NAN = float("inf"), float("nan")

# Color (public_dep.proto): 0 UNSPECIFIED, 1 RED, 2 GREEN, 300 BLUE, -1 NEGATIVE.
COLOR_RED, COLOR_BLUE, COLOR_NEGATIVE, COLOR_UNRECOGNIZED = 1, 300, -1, 99

# Field kinds in the order Scalars, SingleMemberOneofs and Optionals number them (1-16),
# and Repeated numbers its packed (1-14) and unpacked (21-34) fields.
SCALAR_KINDS = [
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
    "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes", "enum",
]
REPEATED_KINDS = [k for k in SCALAR_KINDS if k not in ("string", "bytes")]

FIELD_NAME = {k: ("color_value" if k == "enum" else k + "_value") for k in SCALAR_KINDS}

SIGNED_MIN = {"int32": I32_MIN, "int64": I64_MIN, "sint32": I32_MIN, "sint64": I64_MIN,
              "sfixed32": I32_MIN, "sfixed64": I64_MIN}
UNSIGNED_MAX = {"uint32": U32_MAX, "uint64": U64_MAX, "fixed32": U32_MAX, "fixed64": U64_MAX}
SIGNED_MAX = {"int32": I32_MAX, "int64": I64_MAX, "sint32": I32_MAX, "sint64": I64_MAX,
              "sfixed32": I32_MAX, "sfixed64": I64_MAX}

MULTIBYTE_TEXT = "héllo wörld ✓ 日本語 中文 한국어 🎉👩‍👩‍👧 𝄞 \u200d"
CONTROL_TEXT = "a\bb\t\n\r\"\\/\x01\x1f\x7f\u2028\u2029</script>"


def one_mib_text():
    unit = "日本語🎉abc"  # 9 + 4 + 3 = 16 UTF-8 bytes
    text = unit * (1 << 16)
    assert len(text.encode("utf-8")) == 1 << 20
    return text


def one_mib_bytes():
    return random.Random(20240601).randbytes(1 << 20)


def all_byte_values():
    return bytes(range(256))


def scalar_values(which):
    """Field name -> value for Scalars-like messages at one edge: zero, one, minus_one,
    min, max, nan, inf, neg_inf, neg_zero, subnormal, min_normal, defaults_present."""
    values = {}
    for kind in SCALAR_KINDS:
        name = FIELD_NAME[kind]
        if kind in ("double", "float"):
            big = F64_MAX if kind == "double" else F32_MAX
            v = {
                "zero": 0.0, "one": 1.0, "minus_one": -1.0, "min": -big, "max": big,
                "nan": NAN, "inf": INF, "neg_inf": -INF, "neg_zero": -0.0,
                "subnormal": F64_MIN_SUBNORMAL if kind == "double" else F32_MIN_SUBNORMAL,
                "min_normal": F64_MIN_NORMAL if kind == "double" else F32_MIN_NORMAL,
            }.get(which)
        elif kind == "bool":
            v = {"zero": False, "one": True, "minus_one": True, "min": False, "max": True}.get(which)
        elif kind == "string":
            v = {"zero": "", "one": "1", "minus_one": "-1", "min": "", "max": MULTIBYTE_TEXT}.get(which)
        elif kind == "bytes":
            v = {"zero": b"", "one": b"\x01", "minus_one": b"\xff", "min": b"",
                 "max": all_byte_values()}.get(which)
        elif kind == "enum":
            v = {"zero": 0, "one": COLOR_RED, "minus_one": COLOR_NEGATIVE, "min": COLOR_NEGATIVE,
                 "max": COLOR_BLUE}.get(which)
        else:
            signed = kind in SIGNED_MIN
            v = {
                "zero": 0, "one": 1,
                "minus_one": -1 if signed else None,
                "min": SIGNED_MIN[kind] if signed else 0,
                "max": SIGNED_MAX[kind] if signed else UNSIGNED_MAX.get(kind),
            }.get(which)
        if v is not None:
            values[name] = v
    return values


def repeated_values(kind):
    """Edge values for one element kind of Repeated."""
    return {
        "double": [0.0, -0.0, 1.5, -1.0, F64_MAX, -F64_MAX, F64_MIN_SUBNORMAL, INF, -INF, NAN],
        "float": [0.0, -0.0, 0.1, -1.0, F32_MAX, -F32_MAX, F32_MIN_SUBNORMAL, INF, -INF, NAN],
        "int32": [0, 1, -1, 127, 128, I32_MIN, I32_MAX],
        "int64": [0, 1, -1, I64_MIN, I64_MAX, (1 << 53) + 1],
        "uint32": [0, 1, 127, 128, 16383, 16384, U32_MAX],
        "uint64": [0, 1, U64_MAX, 1 << 63, (1 << 53) + 1],
        "sint32": [0, -1, 1, -64, 64, I32_MIN, I32_MAX],
        "sint64": [0, -1, 1, I64_MIN, I64_MAX],
        "fixed32": [0, 1, U32_MAX],
        "fixed64": [0, 1, U64_MAX],
        "sfixed32": [0, -1, I32_MIN, I32_MAX],
        "sfixed64": [0, -1, I64_MIN, I64_MAX],
        "bool": [True, False, True],
        "enum": [0, COLOR_RED, COLOR_BLUE, COLOR_NEGATIVE, COLOR_UNRECOGNIZED],
    }[kind]


def varint_boundaries():
    """2^(7k) - 1 and 2^(7k) for every varint length, and the 64-bit maximum."""
    out = []
    for k in range(1, 10):
        out += [(1 << (7 * k)) - 1, 1 << (7 * k)]
    return [v for v in out if v <= U64_MAX] + [U64_MAX]
