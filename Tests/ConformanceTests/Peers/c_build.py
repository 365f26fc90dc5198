"""Builds the protobuf-c peer: protoc-c code for every schema file, a table of all message
descriptors, and c_peer.c, compiled with the system C compiler against libprotobuf-c.

protoc-c 1.4 refuses files with proto3 `optional`. Such a field is, by definition, a
one-member oneof (protoc even declares that "synthetic" oneof in the descriptor), so the
descriptor set is rewritten to make those oneofs ordinary before protoc-c sees it: the same
wire format and the same presence semantics.
"""

import re
import shutil
import subprocess
from pathlib import Path

from google.protobuf import descriptor_pb2

DESCRIPTOR_DECL = re.compile(r"^extern const ProtobufCMessageDescriptor (\w+);", re.M)


def _de_optionalize(messages):
    for message in messages:
        for field in message.field:
            if field.proto3_optional:
                field.proto3_optional = False
                message.oneof_decl[field.oneof_index].name = "hodei_opt_" + field.name
        _de_optionalize(message.nested_type)


def build(fds, workdir, source):
    workdir = Path(workdir)
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    rewritten = descriptor_pb2.FileDescriptorSet()
    rewritten.CopyFrom(fds)
    for file in rewritten.file:
        _de_optionalize(file.message_type)
    set_path = workdir / "for_protoc_c.pb"
    set_path.write_bytes(rewritten.SerializeToString())
    names = [f.name for f in rewritten.file]
    subprocess.run(["protoc", f"--descriptor_set_in={set_path}", f"--c_out={workdir}", *names], check=True)

    headers = sorted(workdir.rglob("*.pb-c.h"))
    symbols = [s for h in headers for s in DESCRIPTOR_DECL.findall(h.read_text())]
    table = ["#include <stddef.h>", "#include <protobuf-c/protobuf-c.h>"]
    table += [f'#include "{h.relative_to(workdir)}"' for h in headers]
    table.append("const ProtobufCMessageDescriptor *const peer_descriptors[] = {")
    table += [f"    &{s}," for s in symbols]
    table += ["    NULL,", "};"]
    (workdir / "descriptor_table.c").write_text("\n".join(table) + "\n")

    binary = workdir / "c_peer"
    sources = [str(p) for p in sorted(workdir.rglob("*.pb-c.c"))]
    subprocess.run(["cc", "-std=c11", "-O1", "-Wall", "-Wno-missing-braces", "-I", str(workdir), "-o", str(binary),
                    str(source), str(workdir / "descriptor_table.c"), *sources, "-lprotobuf-c"], check=True)
    return binary
