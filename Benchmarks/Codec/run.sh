#!/usr/bin/env bash
# Entry point of `make bench-codec`: builds the CODEC benchmark in release mode and runs it
# pinned to core 0. Arguments go to codec-bench (e.g. --json, --quick, --filter LogEntry).
#
# Its own package (Benchmarks/Codec/Package.swift) so that the main build never depends on
# swift-protobuf; the main package is a path dependency (products JobAPI, ProtoRuntime).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

swift build -c release --package-path "$here" --product codec-bench >&2
bin="$(swift build -c release --package-path "$here" --show-bin-path)/codec-bench"

pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
    pin=(taskset -c 0)
fi
exec "${pin[@]}" "$bin" "$@"
