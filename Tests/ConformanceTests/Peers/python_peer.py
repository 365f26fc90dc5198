#!/usr/bin/env python3
"""Python peer of the cross-implementation conformance tests (Tests/ConformanceTests).

  python_peer.py corpus DIR   write the corpus: for each case NAME, files NAME.bin (input bytes),
                              NAME.json (proto3 JSON), NAME.alt.json (proto field names, enum
                              numbers), NAME.json.bin (what the JSON means, as bytes),
                              NAME.expected.bin (Python's re-encoding, when byte order is
                              deterministic), and DIR/cases.tsv listing NAME, message, flags, note.
  python_peer.py c DIR        build the protobuf-c peer (c_peer.c) and run it over DIR.
  python_peer.py verify DIR   check that what Hodei (NAME.swift.bin, NAME.swift.json) and
                              protobuf-c (NAME.c.bin, NAME.swift.c.bin) wrote decodes, in Python,
                              to the value of NAME.bin. Exits 1 on any failure.

Schemas come from Debian's `protoc --descriptor_set_out` and are loaded into a private
descriptor pool, so no generated _pb2 code (and no protoc/runtime version match) is needed.
"""

import re
import subprocess
import sys
from pathlib import Path

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory, text_format
from google.protobuf.internal import type_checkers

# json_format prints the largest float32 as 3.4028235e+38 (its shortest round-tripping form)
# and then rejects that text because, read as a double, it is above FLT_MAX
# (protocolbuffers/protobuf#8336). Any JSON number below the rounding midpoint
# 3.40282356779733661637539395458142568448e38 converts to FLT_MAX, so accept up to that.
type_checkers._FLOAT_MAX = 3.4028235677973366e38  # noqa: SLF001
type_checkers._FLOAT_MIN = -3.4028235677973366e38  # noqa: SLF001

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_messages  # noqa: E402
import corpus_scalars  # noqa: E402

PEERS = Path(__file__).resolve().parent
ROOT = PEERS.parents[2]
PACKAGE = "hodei.conformance.v1."
DESCRIPTORS = "_descriptors.pb"


def schema_files():
    base = ROOT / "Tests" / "Protos"
    return sorted(str(p.relative_to(base)) for p in (base / "conformance").rglob("*.proto"))


def descriptor_set(directory):
    path = Path(directory) / DESCRIPTORS
    if not path.exists():
        subprocess.run(["protoc", f"-I{ROOT / 'Protos'}", f"-I{ROOT / 'Tests' / 'Protos'}", "--include_imports",
                        f"--descriptor_set_out={path}", *schema_files()], check=True)
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(path.read_bytes())
    return fds


class Schema:
    def __init__(self, directory):
        self.fds = descriptor_set(directory)
        self.pool = descriptor_pool.DescriptorPool()
        for f in self.fds.file:
            self.pool.AddSerializedFile(f.SerializeToString())

    def find(self, full_name):
        try:
            return self.pool.FindMessageTypeByName(full_name)
        except KeyError:
            return None

    def cls(self, full_name):
        return message_factory.GetMessageClass(self.pool.FindMessageTypeByName(full_name))

    def new(self, name, **fields):
        full = name if name.startswith("google.") else PACKAGE + name
        return self.cls(full)(**fields)

    def field_name(self, message, number):
        return self.pool.FindMessageTypeByName(PACKAGE + message).fields_by_number[number].name

    def parse(self, full_name, data):
        msg = self.cls(full_name)()
        msg.ParseFromString(data)
        return msg


def canonical(msg):
    """Bytes that are equal exactly when the values are (bitwise floats: NaN == NaN, -0.0 != 0.0)."""
    return msg.SerializeToString(deterministic=True)


def is_repeated(field):
    # FieldDescriptor.label is gone in protobuf 7; is_repeated is missing before 5.
    if hasattr(field, "is_repeated"):
        return field.is_repeated
    return field.label == field.LABEL_REPEATED


def byte_order_is_deterministic(msg):
    """False when a map with several entries is reachable: their order on the wire is free."""
    for field, value in msg.ListFields():
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            if len(value) > 1:
                return False
            values = list(value.values()) if field.message_type.fields_by_name["value"].message_type else []
        elif field.message_type is not None:
            values = list(value) if is_repeated(field) else [value]
        else:
            continue
        if not all(byte_order_is_deterministic(v) for v in values):
            return False
    return True


def describe(msg, limit=1500):
    text = text_format.MessageToString(msg, as_utf8=True)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


class Corpus:
    def __init__(self, schema):
        self.schema = schema
        self.cases = []

    def msg(self, name, message, note, flags=()):
        self.cases.append(dict(name=name, type=message.DESCRIPTOR.full_name, note=note, flags=list(flags),
                               data=message.SerializeToString(), expect=message))

    def raw(self, name, type_name, data, note, expect=None, flags=()):
        self.cases.append(dict(name=name, type=PACKAGE + type_name, note=note, flags=list(flags),
                               data=data, expect=expect, hand_built=True))

    def json(self, name, type_name, text, note, flags=()):
        msg = json_format.Parse(text, self.schema.new(type_name))
        self.cases.append(dict(name=name, type=PACKAGE + type_name, note=note, flags=["json-input", *flags],
                               data=msg.SerializeToString(), expect=msg, json=text))

    def write(self, directory):
        out = Path(directory)
        lines = []
        for case in self.cases:
            name, full = case["name"], case["type"]
            assert re.fullmatch(r"[a-z0-9_]+", name) and full, name
            parsed = self.schema.parse(full, case["data"])
            if case["expect"] is not None and canonical(parsed) != canonical(case["expect"]):
                raise SystemExit(f"corpus self-check failed for {name}:\n{describe(parsed)}\n!=\n{describe(case['expect'])}")
            (out / f"{name}.bin").write_bytes(case["data"])
            if byte_order_is_deterministic(parsed):
                (out / f"{name}.expected.bin").write_bytes(parsed.SerializeToString())
            text = case.get("json") or json_format.MessageToJson(parsed)
            (out / f"{name}.json").write_text(text, encoding="utf-8")
            if "json" not in case:
                alt = json_format.MessageToJson(parsed, preserving_proto_field_name=True, use_integers_for_enums=True,
                                                indent=None, ensure_ascii=False)
                (out / f"{name}.alt.json").write_text(alt, encoding="utf-8")
            from_json = json_format.Parse(text, self.schema.cls(full)())
            without_unknown = self.schema.parse(full, case["data"])
            without_unknown.DiscardUnknownFields()
            if canonical(from_json) != canonical(without_unknown):
                raise SystemExit(f"corpus self-check failed for {name}: Python's JSON does not round-trip")
            (out / f"{name}.json.bin").write_bytes(from_json.SerializeToString())
            lines.append("\t".join([name, full, ",".join(case["flags"]) or "-", case["note"]]))
        (out / "cases.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return len(lines)


def build_corpus(directory):
    Path(directory).mkdir(parents=True, exist_ok=True)
    schema = Schema(directory)
    corpus = Corpus(schema)
    M = schema.new
    corpus_scalars.add_scalar_cases(corpus, M)
    corpus_scalars.add_repeated_cases(corpus, M, schema.field_name)
    if schema.find(PACKAGE + "Optionals"):
        corpus_scalars.add_presence_cases(corpus, M)
    corpus_scalars.add_oneof_cases(corpus, M)
    corpus_scalars.add_map_cases(corpus, M)
    corpus_messages.add_nested_cases(corpus, M)
    corpus_messages.add_unknown_cases(corpus, M)
    corpus_messages.add_misc_cases(corpus, M)
    corpus_messages.add_known_type_cases(corpus, M)
    corpus_messages.add_json_cases(corpus)
    corpus_messages.add_everything_cases(corpus, M, schema.find)
    names = [c["name"] for c in corpus.cases]
    assert len(names) == len(set(names)), "duplicate case names"
    count = corpus.write(directory)
    hand = sum(1 for c in corpus.cases if c.get("hand_built"))
    print(f"python_peer corpus: {count} cases ({hand} hand-built wire encodings, "
          f"{sum(1 for c in corpus.cases if 'json' in c)} hand-written JSON inputs) in {directory}")


def read_cases(directory):
    cases = []
    for line in (Path(directory) / "cases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, full, flags, note = line.split("\t", 3)
            cases.append((name, full, set() if flags == "-" else set(flags.split(",")), note))
    return cases


def build_and_run_c_peer(directory):
    import c_build
    binary = c_build.build(Schema(directory).fds, Path(directory) / "_cpeer", PEERS / "c_peer.c")
    result = subprocess.run([str(binary), str(directory)])
    return result.returncode


# (label, file Python reads, how, flags that excuse the case from this direction). The flags
# name limitations of protobuf-c (see corpus_scalars.py), never of Hodei.
_C_BOTH = {"no-c", corpus_scalars.C_NEGATIVE_ZERO, corpus_scalars.C_NUL}
DIRECTIONS = [
    ("Hodei binary -> Python", ".swift.bin", "binary", set()),
    ("Hodei JSON -> Python", ".swift.json", "json", set()),
    ("Python -> protobuf-c -> Python", ".c.bin", "binary", _C_BOTH | {corpus_scalars.C_SHALLOW_MERGE}),
    ("Hodei -> protobuf-c -> Python", ".swift.c.bin", "binary", _C_BOTH),
]


def verify(directory):
    schema = Schema(directory)
    out = Path(directory)
    ok = {d[0]: 0 for d in DIRECTIONS}
    excused = {d[0]: [] for d in DIRECTIONS}
    failures = []
    for name, full, flags, note in read_cases(directory):
        reference = schema.parse(full, (out / f"{name}.bin").read_bytes())
        without_unknown = schema.parse(full, (out / f"{name}.bin").read_bytes())
        without_unknown.DiscardUnknownFields()
        for label, suffix, kind, excuses in DIRECTIONS:
            if flags & excuses:
                excused[label].append(f"{name} ({', '.join(sorted(flags & excuses))})")
                continue
            path = out / f"{name}{suffix}"
            want = reference if kind == "binary" else without_unknown
            try:
                if not path.exists():
                    raise ValueError(f"{path.name} was not written")
                if kind == "binary":
                    got = schema.parse(full, path.read_bytes())
                else:
                    got = json_format.Parse(path.read_text(encoding="utf-8"), schema.cls(full)())
            except Exception as error:  # noqa: BLE001 - any parse error is a failure to report
                failures.append(f"FAIL [{label}] {name} ({full}): {type(error).__name__}: {error}\n  case: {note}")
                continue
            if canonical(got) == canonical(want):
                ok[label] += 1
            else:
                detail = f"expected:\n{describe(want)}\n  got:\n{describe(got)}"
                if kind == "json":
                    detail += f"\n  Hodei's JSON: {path.read_text(encoding='utf-8')[:1500]}"
                else:
                    detail += f"\n  bytes: {path.read_bytes()[:400].hex()}"
                failures.append(f"FAIL [{label}] {name} ({full}): values differ\n  case: {note}\n  {detail}")
    for failure in failures:
        print(failure)
    for label, _, _, _ in DIRECTIONS:
        skipped = f"; not run for {len(excused[label])}: {', '.join(excused[label])}" if excused[label] else ""
        print(f"python_peer verify: [{label}] {ok[label]} cases ok{skipped}")
    print(f"python_peer verify: {sum(ok.values())} checks ok, {len(failures)} failed")
    return 1 if failures else 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("corpus", "c", "verify"):
        print(__doc__, file=sys.stderr)
        return 2
    command, directory = argv[1], argv[2]
    if command == "corpus":
        build_corpus(directory)
        return 0
    if command == "c":
        return build_and_run_c_peer(directory)
    return verify(directory)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
