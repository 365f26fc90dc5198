#!/usr/bin/env bash
# Regenerates the checked-in code of the grpc-swift-2 peer from ../Protos/bench/v1/echo.proto
# (no SwiftPM build plugins, so building the peer never compiles protoc plugins):
#
#   Sources/grpc-swift-server/bench_v1_echo.pb.swift       swift-protobuf 1.39.0 messages
#   Sources/grpc-swift-server/bench_v1_echo.grpc.swift     grpc-swift-protobuf 2.4.1 service
#
# Needs Debian `protoc` and the two plugins, built once outside the repository from the
# package mirror (a few minutes each):
#
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/hodei/protoc-gen-swift/src
#   swift build -c release --product protoc-gen-swift --package-path /tmp/hodei/protoc-gen-swift/src
#   git clone --branch 2.4.1 https://github.com/grpc/grpc-swift-protobuf /tmp/hodei/grpc-swift-plugin/src
#   swift build -c release --product protoc-gen-grpc-swift-2 --package-path /tmp/hodei/grpc-swift-plugin/src
#
# PROTOC_GEN_SWIFT and PROTOC_GEN_GRPC_SWIFT point elsewhere if they live elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROTOC="${PROTOC:-protoc}"
PROTOC_GEN_SWIFT="${PROTOC_GEN_SWIFT:-/tmp/hodei/protoc-gen-swift/src/.build/release/protoc-gen-swift}"
PROTOC_GEN_GRPC_SWIFT="${PROTOC_GEN_GRPC_SWIFT:-/tmp/hodei/grpc-swift-plugin/src/.build/release/protoc-gen-grpc-swift-2}"

for p in "$PROTOC_GEN_SWIFT" "$PROTOC_GEN_GRPC_SWIFT"; do
    [[ -x "$p" ]] || { echo "error: $p not found (see the header of $0)" >&2; exit 1; }
done
v="$("$PROTOC_GEN_SWIFT" --version | awk '{print $NF}')"
[[ "$v" == 1.39.0 ]] || { echo "error: protoc-gen-swift is $v, expected 1.39.0" >&2; exit 1; }

out="$here/Sources/grpc-swift-server"
rm -f "$out"/*.pb.swift "$out"/*.grpc.swift
"$PROTOC" -I "$here/../Protos" \
    --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
    --plugin=protoc-gen-grpc-swift-2="$PROTOC_GEN_GRPC_SWIFT" \
    --swift_out="$out" --swift_opt=FileNaming=PathToUnderscores,Visibility=Internal \
    --grpc-swift-2_out="$out" \
    --grpc-swift-2_opt=FileNaming=PathToUnderscores,Visibility=Internal,Server=true,Client=false \
    bench/v1/echo.proto
ls "$out"
