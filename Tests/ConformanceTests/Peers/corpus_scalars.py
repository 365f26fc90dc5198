"""Corpus cases for scalars, repeated fields, explicit presence, oneofs and maps."""

from corpus_values import (
    COLOR_BLUE, COLOR_NEGATIVE, COLOR_UNRECOGNIZED, CONTROL_TEXT, F32_MAX, F64_MAX, I32_MAX, I32_MIN,
    I64_MAX, I64_MIN, INF, MULTIBYTE_TEXT, NAN, REPEATED_KINDS, U32_MAX, U64_MAX, all_byte_values,
    one_mib_bytes, one_mib_text, repeated_values, scalar_values, varint_boundaries,
)
from wire import (
    f_double, f_fixed32, f_fixed64, f_float, f_len, f_sint, f_varint, overlong_varint, packed, tag, unpacked,
)

# Known protobuf-c 1.4 limitations, which excuse protobuf-c (never Hodei) for a case:
C_NEGATIVE_ZERO = "c-drops-negative-zero"  # packs implicit-presence -0.0 as if it were the default 0
C_NUL = "c-truncates-at-nul"  # strings are NUL-terminated char *, so "a\0b" comes back as "a"
C_SHALLOW_MERGE = "c-shallow-merge"  # a message field twice on the wire: proto3 scalars of the first are lost

SCALAR_EDGES = ["zero", "one", "minus_one", "min", "max", "nan", "inf", "neg_inf", "neg_zero",
                "subnormal", "min_normal"]


def add_scalar_cases(c, M):
    for edge in SCALAR_EDGES:
        c.msg(f"scalars_{edge}", M("Scalars", **scalar_values(edge)),
              f"every singular scalar at {edge} (fields without such a value left unset)",
              flags=[C_NEGATIVE_ZERO] if edge == "neg_zero" else [])
    c.msg("scalars_int32_negative_10_byte_varint", M("Scalars", int32_value=-5, color_value=COLOR_NEGATIVE),
          "negative int32 and enum: sign-extended 10-byte varints")
    c.msg("scalars_unrecognized_enum", M("Scalars", color_value=COLOR_UNRECOGNIZED),
          "open enum holding a number the schema does not name (99)")
    c.msg("scalars_float_shortest", M("Scalars", double_value=0.1, float_value=0.1),
          "0.1 as double and float: JSON must print the shortest round-tripping form")
    c.msg("scalars_strings_utf8", M("Scalars", string_value=MULTIBYTE_TEXT, bytes_value=all_byte_values()),
          "multi-byte UTF-8 (accents, CJK, Hangul, emoji, ZWJ sequences, U+1D11E) and all 256 byte values")
    c.msg("scalars_strings_control", M("Scalars", string_value=CONTROL_TEXT, bytes_value=b"\x00"),
          "control characters, quotes, backslash, U+2028/9 that JSON must escape")
    c.msg("scalars_string_with_nul", M("Scalars", string_value="a\x00b\x00"), "NUL characters inside a string",
          flags=[C_NUL])
    c.msg("scalars_one_mib", M("Scalars", string_value=one_mib_text(), bytes_value=one_mib_bytes()),
          "1 MiB string (multi-byte) and 1 MiB bytes")

    zeros = (f_double(1, 0.0) + f_float(2, 0.0) + b"".join(f_varint(n, 0) for n in range(3, 9))
             + f_fixed32(9, 0) + f_fixed64(10, 0) + f_fixed32(11, 0) + f_fixed64(12, 0)
             + f_varint(13, 0) + f_len(14, b"") + f_len(15, b"") + f_varint(16, 0))
    c.raw("scalars_explicit_zeros_on_wire", "Scalars", zeros,
          "every field present on the wire with its default: decodes to the empty message, re-encodes to nothing",
          expect=M("Scalars"))
    c.raw("scalars_last_value_wins",
          "Scalars", f_varint(3, 1) + f_len(14, "first") + f_varint(3, 2) + f_double(1, 1.0)
          + f_len(14, "second") + f_double(1, 2.0) + f_varint(16, 1) + f_varint(16, 2),
          "a singular field repeated on the wire: the last value wins",
          expect=M("Scalars", int32_value=2, string_value="second", double_value=2.0, color_value=2))
    c.raw("scalars_int32_as_5_byte_varint", "Scalars", f_varint(3, 0xFFFFFFFF) + f_varint(16, 0xFFFFFFFF),
          "int32 and enum -1 written as a 5-byte varint (truncated to 32 bits)",
          expect=M("Scalars", int32_value=-1, color_value=COLOR_NEGATIVE))
    c.raw("scalars_uint32_truncation", "Scalars", f_varint(5, (1 << 32) + 5) + f_varint(3, (1 << 40) + 7),
          "32-bit varint fields given values past 2^32 keep the low 32 bits",
          expect=M("Scalars", uint32_value=5, int32_value=7))
    c.raw("scalars_bool_nonzero_varints", "Scalars", f_varint(13, 2),
          "bool given varint 2 decodes as true", expect=M("Scalars", bool_value=True))
    c.raw("scalars_overlong_varints", "Scalars",
          tag(3, 0) + overlong_varint(1, 10) + tag(5, 0) + overlong_varint(300, 5) + f_len(14, b"")[:1]
          + overlong_varint(1, 3) + b"x",
          "varints padded with continuation bytes (value, and a length prefix)",
          expect=M("Scalars", int32_value=1, uint32_value=300, string_value="x"))


def add_repeated_cases(c, M, field_number):
    def fill(values_for):
        r = M("Repeated")
        for i, kind in enumerate(REPEATED_KINDS):
            for number in (i + 1, i + 21):
                getattr(r, field_number("Repeated", number)).extend(values_for(kind))
        return r

    edges = fill(repeated_values)
    edges.explicit_packed_int32_values.extend([I32_MIN, -1, 0, 1, I32_MAX])
    edges.string_values.extend(["", "a", MULTIBYTE_TEXT, ""])
    edges.bytes_values.extend([b"", b"\x00\xff", all_byte_values()])
    edges.leaf_values.add()
    edges.leaf_values.add(id=I32_MIN, label="日本")
    c.msg("repeated_edges", edges, "every repeated type, packed and unpacked, with edge values incl. NaN, -0.0, enum 99")
    c.msg("repeated_empty", M("Repeated"), "all repeated fields empty")
    c.msg("repeated_single_zero", fill(lambda kind: [repeated_values(kind)[0]]),
          "one default-valued element per field: repeated elements are written even when zero")

    boundaries = M("Repeated", uint64_values=varint_boundaries(), unpacked_uint64_values=varint_boundaries(),
                   int64_values=[-v for v in varint_boundaries() if v <= I64_MAX],
                   int32_values=[v for v in varint_boundaries() if v <= I32_MAX] + [-1, I32_MIN])
    c.msg("repeated_varint_boundaries", boundaries, "every varint length from 1 to 10 bytes")
    big = M("Repeated", int32_values=[(i * 7919) % 70001 - 35000 for i in range(20000)],
            double_values=[i / 3 for i in range(5000)], string_values=[str(i) for i in range(2000)])
    c.msg("repeated_large", big, "20,000 packed int32s (multi-byte length prefix), 5,000 doubles, 2,000 strings")

    # The same values with the opposite packing on the wire: parsers must accept both.
    def encode(values_for, packed_numbers):
        out = b""
        for i, kind in enumerate(REPEATED_KINDS):
            for number in (i + 1, i + 21):
                write = packed if packed_numbers(number) else unpacked
                out += write(number, kind, values_for(kind))
        return out

    c.raw("repeated_packed_fields_unpacked_on_wire", "Repeated", encode(repeated_values, lambda n: n >= 21),
          "packed fields sent one tag per element and [packed=false] fields sent packed", expect=fill(repeated_values))
    mixed = (packed(3, "int32", [1, -1]) + unpacked(3, "int32", [2]) + packed(3, "int32", [3])
             + unpacked(23, "int32", [4]) + packed(23, "int32", [5, 6]) + packed(4, "int64", [])
             + packed(14, "enum", [COLOR_UNRECOGNIZED, COLOR_NEGATIVE]) + unpacked(14, "enum", [COLOR_BLUE]))
    c.raw("repeated_mixed_packing_on_wire", "Repeated", mixed,
          "packed runs and single elements of one field interleaved, and an empty packed run: all appended",
          expect=M("Repeated", int32_values=[1, -1, 2, 3], unpacked_int32_values=[4, 5, 6],
                   color_values=[COLOR_UNRECOGNIZED, COLOR_NEGATIVE, COLOR_BLUE]))


def add_presence_cases(c, M):
    for type_name in ("Optionals", "SingleMemberOneofs"):
        prefix = "optionals" if type_name == "Optionals" else "single_member_oneofs"
        defaults = M(type_name, **scalar_values("zero"))
        defaults.leaf_value.SetInParent()
        c.msg(f"{prefix}_defaults_present", defaults,
              "every field explicitly set to its default: present, so written and read back")
        c.msg(f"{prefix}_unset", M(type_name), "no field set")
        for edge in ("min", "max", "nan", "neg_zero", "minus_one"):
            c.msg(f"{prefix}_{edge}", M(type_name, **scalar_values(edge)), f"every field at {edge}")
        c.msg(f"{prefix}_leaf", M(type_name, leaf_value=M("Leaf", id=-1, label="x"), color_value=COLOR_UNRECOGNIZED),
              "message field and unrecognized enum")
    defaults = M("Optionals", **scalar_values("zero"))
    defaults.leaf_value.SetInParent()
    twin = M("SingleMemberOneofs", **scalar_values("zero"))
    twin.leaf_value.SetInParent()
    c.raw("single_member_oneofs_from_optionals_bytes", "SingleMemberOneofs", defaults.SerializeToString(),
          "Optionals' encoding read as its wire twin SingleMemberOneofs", expect=twin)
    c.raw("optionals_from_single_member_oneofs_bytes", "Optionals", twin.SerializeToString(),
          "SingleMemberOneofs' encoding read as Optionals", expect=defaults)


ONEOF_MEMBERS = [
    ("int32_choice", 0, I32_MIN), ("uint64_choice", 0, U64_MAX), ("sint64_choice", 0, I64_MIN),
    ("double_choice", 0.0, -INF), ("fixed32_choice", 0, U32_MAX), ("bool_choice", False, True),
    ("string_choice", "", "日本🎉"), ("bytes_choice", b"", b"\x00\xff"), ("color_choice", 0, COLOR_NEGATIVE),
    ("other_string", "", "other"),
]


def add_oneof_cases(c, M):
    for member, default, value in ONEOF_MEMBERS:
        c.msg(f"oneofs_{member}_default", M("Oneofs", **{member: default}),
              f"oneof member {member} set to its default value: still present")
        c.msg(f"oneofs_{member}_value", M("Oneofs", before=-1, after="z", **{member: value}),
              f"oneof member {member} at an edge value, between plain fields")
    c.msg("oneofs_double_nan", M("Oneofs", double_choice=NAN), "NaN in a oneof")
    c.msg("oneofs_color_unrecognized", M("Oneofs", color_choice=COLOR_UNRECOGNIZED), "enum 99 in a oneof")
    empty_leaf = M("Oneofs")
    empty_leaf.leaf_choice.SetInParent()
    empty_leaf.other_recursive.SetInParent()
    c.msg("oneofs_empty_messages", empty_leaf, "message members set to empty messages: present")
    deep = M("Oneofs", leaf_choice=M("Leaf", id=5, label="leaf"))
    deep.other_recursive.string_choice = "level 1"
    deep.other_recursive.other_recursive.bytes_choice = b"level 2"
    deep.other_recursive.other_recursive.other_recursive.other_string = "level 3"
    c.msg("oneofs_recursive", deep, "oneof member of the enclosing type, three levels deep")
    c.msg("oneofs_none", M("Oneofs", before=7, after="after"), "no oneof member set")

    c.raw("oneofs_two_members_last_wins", "Oneofs", f_varint(2, 5) + f_len(8, "x") + f_sint(4, -3),
          "three members of one oneof on the wire: the last wins", expect=M("Oneofs", sint64_choice=-3))
    c.raw("oneofs_scalar_after_string", "Oneofs", f_len(8, "x") + f_varint(2, 0),
          "a string member then an int32 member with value 0: int32 0 wins and is present",
          expect=M("Oneofs", int32_choice=0))
    c.raw("oneofs_same_message_member_merges", "Oneofs", f_len(11, f_varint(1, 1)) + f_len(11, f_len(2, "a")),
          "the same message member twice: merged", expect=M("Oneofs", leaf_choice=M("Leaf", id=1, label="a")),
          flags=[C_SHALLOW_MERGE])
    c.raw("oneofs_message_member_reset_by_other", "Oneofs",
          f_len(11, f_varint(1, 1)) + f_varint(2, 5) + f_len(11, f_len(2, "a")),
          "message member, other member, message member again: the first message is not merged",
          expect=M("Oneofs", leaf_choice=M("Leaf", label="a")))


def add_map_cases(c, M):
    m = M("Maps")
    for field, keys, value_of in [
        (m.int32_to_int32, [0, -1, I32_MIN, I32_MAX], lambda k: -k - 1),
        (m.int64_to_int64, [0, -1, I64_MIN, I64_MAX], lambda k: k),
        (m.uint32_to_uint32, [0, 1, U32_MAX], lambda k: U32_MAX - k),
        (m.uint64_to_uint64, [0, 1, U64_MAX], lambda k: U64_MAX - k),
        (m.sint32_to_sint32, [0, -1, I32_MIN, I32_MAX], lambda k: k),
        (m.sint64_to_sint64, [0, -1, I64_MIN, I64_MAX], lambda k: k),
        (m.fixed32_to_fixed32, [0, U32_MAX], lambda k: k),
        (m.fixed64_to_fixed64, [0, U64_MAX], lambda k: k),
        (m.sfixed32_to_sfixed32, [0, -1, I32_MIN, I32_MAX], lambda k: k),
        (m.sfixed64_to_sfixed64, [0, -1, I64_MIN, I64_MAX], lambda k: k),
        (m.bool_to_bool, [False, True], lambda k: not k),
        (m.string_to_string, ["", "ключ", "🎉", "a b"], lambda k: k[::-1] + "!"),
        (m.int32_to_float, [1, 2, 3, 4], lambda k: [INF, -INF, 1.5, F32_MAX][k - 1]),
        (m.int32_to_double, [1, 2, 3], lambda k: [F64_MAX, -INF, 0.0][k - 1]),
        (m.string_to_bytes, ["", "b"], lambda k: k.encode() + b"\xff"),
        (m.string_to_color, ["zero", "neg", "blue", "unknown"],
         lambda k: {"zero": 0, "neg": COLOR_NEGATIVE, "blue": COLOR_BLUE, "unknown": COLOR_UNRECOGNIZED}[k]),
        (m.bool_to_string, [True, False], lambda k: str(k)),
    ]:
        for key in keys:
            field[key] = value_of(key)
    m.int64_to_leaf[I64_MIN].SetInParent()
    m.int64_to_leaf[I64_MAX].CopyFrom(M("Leaf", id=-1, label="日本"))
    m.uint32_to_inner[0].SetInParent()
    m.uint32_to_inner[U32_MAX].CopyFrom(M("Nested.Inner", mood=2, label="x"))
    m.uint32_to_inner[U32_MAX].deeper.more.add(value=3)
    c.msg("maps_every_key_type", m, "every map key type with 0, -1, min, max keys; enum/message/bytes/float values")
    c.msg("maps_empty", M("Maps"), "all maps empty")
    nan = M("Maps")
    nan.int32_to_float[-1] = NAN
    nan.int32_to_double[I32_MIN] = NAN
    c.msg("maps_nan_values", nan, "NaN map values")
    c.msg("maps_negative_zero_values", M("Maps", int32_to_float={1: -0.0}, int32_to_double={0: -0.0}),
          "-0.0 map values", flags=[C_NEGATIVE_ZERO])
    big = M("Maps")
    for i in range(1000):
        big.int32_to_int32[i * 3 - 1500] = i
        big.string_to_string[f"key{i}"] = "v" * (i % 7)
    c.msg("maps_large", big, "1,000 entries in two maps")

    def entry(number, body):
        return f_len(number, body)

    c.raw("maps_entry_missing_key", "Maps",
          entry(1, f_varint(2, 5)) + entry(12, f_len(2, "v")) + entry(11, f_varint(2, 1))
          + entry(19, f_len(2, f_len(3, "x"))) + entry(17, f_len(2, f_varint(1, 4))),
          "map entries without a key: the key is the default",
          expect=M("Maps", int32_to_int32={0: 5}, string_to_string={"": "v"}, bool_to_bool={False: True},
                   uint32_to_inner={0: M("Nested.Inner", label="x")}, int64_to_leaf={0: M("Leaf", id=4)}))
    c.raw("maps_entry_missing_value", "Maps",
          entry(1, f_varint(1, -7)) + entry(12, f_len(1, "k")) + entry(17, f_varint(1, 3))
          + entry(16, f_len(1, "c")) + entry(15, f_len(1, "b")) + entry(13, f_varint(1, 2)),
          "map entries without a value: the value is the default (an empty message for message values)",
          expect=M("Maps", int32_to_int32={-7: 0}, string_to_string={"k": ""}, int64_to_leaf={3: M("Leaf")},
                   string_to_color={"c": 0}, string_to_bytes={"b": b""}, int32_to_float={2: 0.0}))
    c.raw("maps_entry_empty", "Maps", entry(1, b"") + entry(11, b"") + entry(18, b""),
          "zero-length map entries: default key and value",
          expect=M("Maps", int32_to_int32={0: 0}, bool_to_bool={False: False}, bool_to_string={False: ""}))
    c.raw("maps_entry_value_before_key", "Maps", entry(1, f_varint(2, 7) + f_varint(1, 3)),
          "map entry with value before key", expect=M("Maps", int32_to_int32={3: 7}))
    c.raw("maps_duplicate_key_last_wins", "Maps",
          entry(1, f_varint(1, 3) + f_varint(2, 1)) + entry(1, f_varint(1, 3) + f_varint(2, 2))
          + entry(12, f_len(1, "k") + f_len(2, "old")) + entry(12, f_len(1, "k") + f_len(2, "new")),
          "the same key twice: the last entry wins",
          expect=M("Maps", int32_to_int32={3: 2}, string_to_string={"k": "new"}))
    c.raw("maps_entry_key_repeated_inside", "Maps", entry(1, f_varint(1, 1) + f_varint(1, 2) + f_varint(2, 5)),
          "a key written twice inside one entry: the last wins", expect=M("Maps", int32_to_int32={2: 5}))
    c.raw("maps_negative_keys_on_wire", "Maps",
          entry(1, f_varint(1, -1) + f_varint(2, -1)) + entry(5, f_sint(1, -2) + f_sint(2, -3))
          + entry(9, f_fixed32(1, -4, "<i") + f_fixed32(2, -5, "<i")),
          "negative keys: 10-byte varint, zigzag, sfixed32",
          expect=M("Maps", int32_to_int32={-1: -1}, sint32_to_sint32={-2: -3}, sfixed32_to_sfixed32={-4: -5}))
