"""Checks that every FileDescriptorProto hodei-protoc embeds equals the one protoc builds.

Reads Protos/generated-code.args (the generation jobs), runs Debian's protoc on each input,
and compares with the descriptor in the generated Swift file (file options aside: they are
not carried). Prints one line per file and 'N passed, M failed'.
Usage: compare_descriptors.py REPO_ROOT
"""
import base64
import os
import re
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

root = sys.argv[1]
passed = failed = 0
with open(os.path.join(root, "Protos/generated-code.args")) as manifest:
    jobs = [line.split() for line in manifest if line.strip() and not line.startswith("#")]
for args in jobs:
    includes = [args[i + 1] for i, arg in enumerate(args) if arg == "-I"]
    out_dir = next(arg.split("=", 1)[1] for arg in args if arg.startswith("--swift_out="))
    inputs = [arg for arg in args if arg.endswith(".proto")]
    for path in inputs:
        include = next(i for i in includes if path.startswith(i.rstrip("/") + "/"))
        virtual = path[len(include.rstrip("/")) + 1:]
        with tempfile.NamedTemporaryFile(suffix=".pb") as out:
            subprocess.run(["protoc", *[f"-I{os.path.join(root, i)}" for i in includes], f"--descriptor_set_out={out.name}",
                            os.path.join(root, path)], check=True)
            reference = descriptor_pb2.FileDescriptorSet.FromString(open(out.name, "rb").read()).file[0]
        swift = os.path.join(root, out_dir, virtual[:-len(".proto")].replace("/", "_") + ".pb.swift")
        encoded = re.search(r'descriptorBase64: "([^"]*)"', open(swift).read()).group(1)
        ours = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(encoded))
        reference.ClearField("options")
        ours.ClearField("options")
        if reference == ours:
            passed += 1
            print(f"PASS {virtual}")
        else:
            failed += 1
            print(f"FAIL {virtual}\n--- protoc\n{reference}\n--- hodei-protoc\n{ours}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
