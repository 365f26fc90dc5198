#!/usr/bin/env bash
# `make run`: builds Hodei and runs what exists so far. Today that is the schema compiler:
# it compiles the API in Protos/ and shows the services it describes. The job server and
# agent (the main job on the embedded SQLite store) arrive with the server and agent work.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
bin="$(swift build --show-bin-path)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo
echo "== hodei-protoc: compiling the Hodei API (Protos/) into Swift"
"$bin/hodei-protoc" -I Protos --swift_out="$out" \
    Protos/hodei/v1/common.proto Protos/hodei/v1/job_service.proto Protos/hodei/v1/worker_service.proto \
    Protos/grpc/health/v1/health.proto
( cd "$out" && find . -name '*.swift' | sort | while read -r f; do printf '  %-40s %6d lines\n' "$f" "$(wc -l <"$f")"; done )

echo
echo "== gRPC methods described by the generated code"
grep -h -A3 'MethodDescriptor(' "$out"/hodei/v1/*.swift "$out"/grpc/health/v1/*.swift \
    | awk -F'"' '/service:/ {s=$2} /method:/ {m=$2} /kind:/ {sub(/.*kind: \./, ""); printf "  /%s/%-18s %s\n", s, m, $0}'

echo
echo "== a malformed .proto gets file:line:col"
printf 'syntax = "proto3";\nmessage Job {\n  string id = 1\n}\n' > "$out/bad.proto"
"$bin/hodei-protoc" -I "$out" --swift_out="$out" "$out/bad.proto" || echo "  (exit status $?)"
