#!/usr/bin/env bash
# Regenerates every checked-in Swift file that hodei-protoc produces from a .proto, as
# listed in Protos/generated-code.args. GeneratedCodeIsCurrentTests fails when the
# committed output differs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product hodei-protoc >/dev/null
protoc_bin="$(swift build --show-bin-path)/hodei-protoc"
grep -v -e '^#' -e '^[[:space:]]*$' Protos/generated-code.args | while read -r line; do
    # shellcheck disable=SC2086 # each line is a list of arguments
    "$protoc_bin" $line
done
echo "generated code is up to date"
