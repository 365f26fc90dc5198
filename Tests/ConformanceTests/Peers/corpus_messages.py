"""Corpus cases for nested and recursive messages, unknown fields, JSON names, enum
aliases, high field numbers, well-known types, hand-written JSON and Everything."""

from corpus_values import (
    COLOR_BLUE, COLOR_NEGATIVE, COLOR_RED, COLOR_UNRECOGNIZED, I32_MIN, I64_MIN, MULTIBYTE_TEXT, NAN,
    scalar_values,
)
from corpus_scalars import C_NUL, C_SHALLOW_MERGE
from wire import f_double, f_fixed32, f_fixed64, f_group, f_len, f_varint

TS_MIN, TS_MAX = -62_135_596_800, 253_402_300_799  # 0001-01-01T00:00:00Z, 9999-12-31T23:59:59Z
DURATION_MAX = 315_576_000_000


def deep_tree(M, depth):
    root = M("Tree", value=0)
    node = root
    for level in range(1, depth):
        node.children.add(value=-level)
        node = node.left
        node.value = level
    return root


def add_nested_cases(c, M):
    n = M("Nested", mood=2)
    n.inner.label = "inner"
    n.inner.mood = 1
    n.inner.deeper.value = 1
    n.inner.deeper.more.add(value=2).more.add(value=3).more.add()
    n.inners.add(label="first")
    n.inners.add()
    n.inners.add(mood=99, label=MULTIBYTE_TEXT)
    n.deeper.value = I32_MIN
    n.fully_qualified_inner.label = "fq"
    n.tree.CopyFrom(deep_tree(M, 4))
    n.deeper_by_name["a"].value = 1
    c.msg("nested_full", n, "nested messages and enums at every depth, repeated and mapped; nested enum 99")
    empty = M("Nested")
    empty.inner.SetInParent()
    empty.inner.deeper.SetInParent()
    empty.tree.SetInParent()
    c.msg("nested_empty_submessages", empty, "present but empty submessages (zero-length fields)")
    c.msg("tree_deep", deep_tree(M, 64), "a recursive Tree 64 levels deep with siblings at every level")
    wide = M("Tree", value=1)
    for i in range(3):
        child = wide.children.add(value=10 + i)
        for j in range(3):
            child.children.add(value=100 + 10 * i + j).left.value = -1
    c.msg("tree_wide", wide, "a recursive Tree through the repeated field")

    inner1 = f_len(1, f_varint(1, 1)) + f_len(3, "a")
    inner2 = f_len(1, f_len(2, f_varint(1, 7))) + f_varint(2, 2) + f_len(3, "b")
    expect = M("Nested")
    expect.inner.deeper.value = 1
    expect.inner.deeper.more.add(value=7)
    expect.inner.mood = 2
    expect.inner.label = "b"
    c.raw("nested_message_twice_merges", "Nested", f_len(1, inner1) + f_len(1, inner2),
          "a singular message field twice on the wire: merged field by field", expect=expect, flags=[C_SHALLOW_MERGE])
    tree = f_len(2, f_varint(1, 1) + f_len(3, f_varint(1, 5))) + f_len(2, f_len(3, f_varint(1, 6)) + f_len(2, b""))
    expect = M("Tree")
    expect.left.value = 1
    expect.left.children.add(value=5)
    expect.left.children.add(value=6)
    expect.left.left.SetInParent()
    c.raw("tree_left_twice_merges", "Tree", tree, "recursive message twice: repeated children appended", expect=expect,
          flags=[C_SHALLOW_MERGE])


def add_unknown_cases(c, M):
    every_wire_type = (f_varint(1, 150) + f_fixed64(2, 0x0102030405060708) + f_len(3, b"hello")
                       + f_fixed32(4, 0xDEADBEEF) + f_varint(5, -1) + f_len(6, b"") + f_varint(536870911, 1)
                       + f_double(7, NAN) + f_len(2047, MULTIBYTE_TEXT))
    c.raw("unknown_every_wire_type", "EmptyMessage", every_wire_type,
          "unknown varint, fixed64, length-delimited, fixed32, 10-byte varint, empty, max field number")
    c.raw("unknown_group", "EmptyMessage",
          f_varint(1, 1) + f_group(6, f_varint(1, 1) + f_group(2, f_len(3, "x")) + f_fixed32(4, 7)) + f_varint(7, 2)
          + f_group(8, b""),
          "unknown groups (nested, and empty) between unknown varints", flags=["no-c"])
    c.raw("unknown_same_number_mixed", "EmptyMessage", f_varint(9, 1) + f_varint(9, 2) + f_len(9, "x") + f_varint(9, 3),
          "one unknown number four times with two wire types: all kept in order")
    c.raw("unknown_interleaved_with_known", "Leaf",
          f_varint(50, 5) + f_varint(1, 7) + f_len(51, "a") + f_len(2, "x") + f_fixed64(52, 1),
          "unknown fields between known ones: kept, and written after the known fields",
          expect=None)
    c.raw("unknown_in_nested_messages", "Everything",
          f_len(14, f_varint(1, 3) + f_len(99, "inner-unknown"))
          + f_len(7, f_varint(1, 1) + f_len(2, f_varint(1, 2) + f_fixed32(1000, 5)))
          + f_len(5, f_len(11, f_varint(1, 9) + f_varint(3, 1)))
          + f_varint(1000, 42),
          "unknown fields at the top level, in a submessage, in a recursive message and in a oneof member")
    c.raw("unknown_reserved_numbers", "Reserved",
          f_varint(1, 5) + f_varint(2, 1) + f_len(9, "nine") + f_varint(15, 3) + f_varint(100, 7) + f_len(3, "legacy")
          + f_varint(536870911, 1),
          "fields with reserved numbers arrive as unknown fields")
    c.raw("unknown_in_empty_known_types", "KnownTypes",
          f_len(3, f_varint(1, 1)) + f_len(1, f_varint(1, 5) + f_varint(3, 9)),
          "unknown fields inside google.protobuf.Empty and Timestamp")


def add_misc_cases(c, M):
    c.msg("json_names", M("JsonNames", plain_snake_case=-1, renamed=2, with_number_2="n", field_with_dash_json="d"),
          "json_name overrides (customName, field-with-dash) and default lowerCamelCase names")
    c.msg("aliases", M("Aliases", state=1, history=[0, 1, 2, 99]),
          "allow_alias enum: 1 and 2 have two names each; 99 unrecognized")
    c.msg("high_fields_all", M("HighFields", f1=1, f15=-1, f16=16, f2047=2047, f2048=I32_MIN, f18999="a",
                               f20001="日本", f262143=1, f262144=2, f33554431=3, f33554432=4, f536870911=b"\xff"),
          "field numbers where the tag grows to 2, 3, 4 and 5 bytes, up to 536870911")
    c.msg("reserved_fields", M("Reserved", kept=1, legacy="old"), "a message with reserved numbers and names")
    c.msg("empty_message", M("EmptyMessage"), "a message with no fields")
    c.msg("leaf", M("Leaf", id=COLOR_NEGATIVE, label="leaf"), "a message from a public import")


def timestamp(M, seconds, nanos=0):
    return M("google.protobuf.Timestamp", seconds=seconds, nanos=nanos)


def duration(M, seconds, nanos=0):
    return M("google.protobuf.Duration", seconds=seconds, nanos=nanos)


def add_known_type_cases(c, M):
    k = M("KnownTypes", timestamp=timestamp(M, TS_MIN), duration=duration(M, DURATION_MAX, 999_999_999),
          at=timestamp(M, 1, 1000))
    k.empty.SetInParent()
    k.timestamps.extend([timestamp(M, TS_MAX, 999_999_999), timestamp(M, 0), timestamp(M, -1, 999_999_999)])
    k.durations["neg"].CopyFrom(duration(M, -1, -500_000_000))
    c.msg("known_types_edges", k, "Timestamp 0001-01-01 and 9999-12-31T23:59:59.999999999Z, the largest Duration")
    k = M("KnownTypes", duration=duration(M, -DURATION_MAX, -999_999_999), after=duration(M, 0, -500_000_000))
    k.timestamps.extend([timestamp(M, 0, n) for n in (0, 100_000_000, 123_000_000, 123_456_000, 123_456_789, 1)])
    c.msg("known_types_nanos_digits", k, "fractions needing 0, 3, 6 and 9 digits; negative durations below 1s")
    k = M("KnownTypes", timestamp=timestamp(M, 0), duration=duration(M, 0), at=timestamp(M, 0))
    k.empty.SetInParent()
    c.msg("known_types_zero_present", k, "epoch Timestamp, zero Duration and Empty present as empty messages")
    k = M("KnownTypes")
    for name, (s, n) in {"a": (1, 0), "b": (0, -500_000_000), "c": (0, 0), "d": (-DURATION_MAX, 0)}.items():
        k.durations[name].CopyFrom(duration(M, s, n))
    c.msg("known_types_durations_map", k, "Durations as map values")
    c.msg("timestamp_alone", timestamp(M, 1_700_000_000, 5), "google.protobuf.Timestamp as the top-level message")
    c.msg("duration_alone", duration(M, -5, -5), "google.protobuf.Duration as the top-level message")


JSON_CASES = [
    ("json_int64_as_numbers", "Scalars",
     '{"int64Value": -9007199254740991, "uint64Value": 9007199254740991, "int32Value": "-5",'
     ' "uint32Value": "4294967295", "sint64Value": "-9223372036854775808", "fixed64Value": "18446744073709551615"}',
     "64-bit integers as JSON numbers and 32-bit integers as strings"),
    ("json_int_with_exponent", "Scalars", '{"int32Value": 1e2, "uint64Value": 1.0}',
     "integers written with an exponent or a zero fraction"),
    ("json_float_strings", "Scalars",
     '{"doubleValue": "1.5", "floatValue": "-Infinity", "sfixed32Value": -2147483648}',
     "floats as strings, -Infinity, int32 minimum as a number"),
    ("json_nulls", "Scalars",
     '{"int32Value": null, "stringValue": null, "colorValue": null, "bytesValue": null, "doubleValue": null}',
     "null means the default value"),
    ("json_proto_field_names", "JsonNames",
     '{"plain_snake_case": 1, "renamed": 2, "with_number_2": "a", "field_with_dash_json": "b"}',
     "the original proto field names are accepted"),
    ("json_custom_names", "JsonNames",
     '{"plainSnakeCase": 1, "customName": 2, "withNumber2": "a", "field-with-dash": "b"}', "json_name keys"),
    ("json_enum_forms", "Aliases",
     '{"state": "ALIASED_ENUM_RUNNING", "history": ["ALIASED_ENUM_FINISHED", 1, 99, "ALIASED_ENUM_UNSPECIFIED"]}',
     "enum aliases by name, enums by number, an unrecognized number"),
    ("json_bytes_url_safe", "Scalars", '{"bytesValue": "-_8"}', "bytes in URL-safe base64"),
    ("json_bytes_unpadded", "Scalars", '{"bytesValue": "YWI"}', "bytes in base64 without padding"),
    ("json_timestamp_offset", "KnownTypes",
     '{"timestamp": "1972-01-01T10:00:20.021-05:00", "duration": "-0.000000001s", "after": "315576000000.999999999s"}',
     "a Timestamp with a UTC offset, a one-nanosecond negative Duration, the largest Duration"),
    ("json_map_keys", "Maps",
     '{"boolToBool": {"true": false, "false": true}, "int64ToInt64": {"-9223372036854775808": "1"},'
     ' "int32ToInt32": {"-1": -1}, "uint64ToUint64": {"18446744073709551615": "0"}}',
     "map keys quoted: bools, negative and 64-bit integers"),
    ("json_escapes", "Scalars", '{"stringValue": "\\u00e9\\ud83c\\udf89\\n\\t\\"\\\\\\/\\u001f\\b"}',
     "\\u escapes including a surrogate pair; every short escape"),
    ("json_escaped_nul", "Scalars", '{"stringValue": "a\\u0000b"}', "an escaped NUL", [C_NUL]),
    ("json_empty_object", "Everything", "{}", "an empty object"),
    ("json_oneof_default", "Oneofs", '{"boolChoice": false}', "a oneof member set to its default in JSON"),
    ("json_known_types_present", "KnownTypes",
     '{"empty": {}, "timestamp": "1970-01-01T00:00:00Z", "duration": "0s", "at": "1970-01-01T00:00:00.000Z"}',
     "Empty as {}, epoch Timestamp, zero Duration"),
    ("json_repeated_and_maps_null", "Everything", '{"children": null, "maps": {"int32ToInt32": null}}',
     "null for a repeated field and a map"),
]


def add_json_cases(c):
    for name, type_name, text, note, *flags in JSON_CASES:
        c.json(name, type_name, text, note, flags=flags[0] if flags else [])


def add_everything_cases(c, M, find):
    e = M("Everything", color=COLOR_BLUE, aliased=2, reserved_enum=1)
    e.scalars.CopyFrom(M("Scalars", **scalar_values("max")))
    e.repeated_fields.CopyFrom(M("Repeated", int32_values=[1, -1], unpacked_float_values=[NAN, 1.5],
                                 color_values=[COLOR_RED, COLOR_UNRECOGNIZED], string_values=["a", ""]))
    e.single_member_oneofs.CopyFrom(M("SingleMemberOneofs", int64_value=0, string_value=""))
    e.maps.int64_to_leaf[I64_MIN].label = "min"
    e.oneofs.CopyFrom(M("Oneofs", bytes_choice=b"", other_string="x"))
    e.nested.inner.deeper.more.add(value=1)
    e.tree.CopyFrom(deep_tree(M, 5))
    e.json_names.renamed = 3
    e.aliases.state = 2
    e.high_fields.f536870911 = b"max"
    e.reserved_fields.kept = 1
    e.known_types.timestamp.seconds = TS_MAX
    e.empty_message.SetInParent()
    e.leaf.label = "leaf"
    e.children.add(color=COLOR_RED).children.add().leaf.id = 1
    e.children.add()
    c.msg("everything", e, "one value touching every message of the schema, with recursion")
    if find("hodei.conformance.v1.EverythingWithOptionals"):
        w = M("EverythingWithOptionals", maybe_color=0)
        w.everything.CopyFrom(e)
        w.optionals.int32_value = 0
        w.optionals.leaf_value.SetInParent()
        w.nested_optionals.float_value = -0.0
        w.next.maybe_color = COLOR_NEGATIVE
        w.next.next.text = ""
        c.msg("everything_with_optionals", w, "Everything plus proto3 optional fields, recursive optional message")
