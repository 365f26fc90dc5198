#!/usr/bin/env bash
# Regenerates the checked-in message code of the CODEC benchmark (no SwiftPM build
# plugins are used, so a benchmark build never compiles protoc-gen-swift).
#
#   Sources/SwiftProtobufMessages/  swift-protobuf 1.39.0 code for Protos/hodei/v1/*.proto
#                                   and Protos/bench/v1/blob.proto (protoc + protoc-gen-swift)
#   Sources/HodeiBenchMessages/     Hodei code for Protos/bench/v1/blob.proto (hodei-protoc);
#                                   the Hodei API messages come from the main package's JobAPI
#
# Usage: Benchmarks/Codec/generate.sh [--swift-protobuf-only | --hodei-only]
#
# Needs Debian `protoc` (any 3.x) and swift-protobuf's plugin, built once outside the
# repository (about 10 minutes) from the package mirror:
#
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/hodei/protoc-gen-swift/src
#   swift build -c release --product protoc-gen-swift --package-path /tmp/hodei/protoc-gen-swift/src
#
# and point PROTOC_GEN_SWIFT at it if it lives elsewhere. The google/protobuf WKTs are
# not generated for swift-protobuf: it ships its own (SwiftProtobuf.Google_Protobuf_*).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

PROTOC="${PROTOC:-protoc}"
PROTOC_GEN_SWIFT="${PROTOC_GEN_SWIFT:-/tmp/hodei/protoc-gen-swift/src/.build/release/protoc-gen-swift}"
swift_protobuf_version="1.39.0"

do_swift_protobuf=1
do_hodei=1
case "${1:-}" in
    --swift-protobuf-only) do_hodei=0 ;;
    --hodei-only) do_swift_protobuf=0 ;;
    "") ;;
    *) echo "usage: $0 [--swift-protobuf-only | --hodei-only]" >&2; exit 2 ;;
esac

bench_protos=(bench/v1/blob.proto)

if [[ $do_swift_protobuf == 1 ]]; then
    if [[ ! -x "$PROTOC_GEN_SWIFT" ]]; then
        echo "error: protoc-gen-swift not found at $PROTOC_GEN_SWIFT (see the header of $0)" >&2
        exit 1
    fi
    plugin_version="$("$PROTOC_GEN_SWIFT" --version | awk '{print $NF}')"
    if [[ "$plugin_version" != "$swift_protobuf_version" ]]; then
        echo "error: protoc-gen-swift is $plugin_version, expected $swift_protobuf_version" >&2
        exit 1
    fi
    out="$here/Sources/SwiftProtobufMessages"
    mkdir -p "$out"
    rm -f "$out"/*.pb.swift
    api_protos=()
    while IFS= read -r f; do api_protos+=("$f"); done < <(find Protos/hodei/v1 -name '*.proto' | sort)
    # API protos (imports of google/protobuf/*.proto resolve against Protos/).
    "$PROTOC" --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
        -I Protos \
        --swift_out="$out" \
        --swift_opt=Visibility=Public \
        --swift_opt=FileNaming=PathToUnderscores \
        "${api_protos[@]}"
    # Bench-only protos.
    "$PROTOC" --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
        -I "$here/Protos" \
        --swift_out="$out" \
        --swift_opt=Visibility=Public \
        --swift_opt=FileNaming=PathToUnderscores \
        "${bench_protos[@]/#/$here/Protos/}"
    echo "swift-protobuf $plugin_version ($("$PROTOC" --version)): $(ls "$out" | wc -l) files in ${out#$root/}"
fi

if [[ $do_hodei == 1 ]]; then
    out="$here/Sources/HodeiBenchMessages"
    mkdir -p "$out"
    rm -f "$out"/*.pb.swift
    # Same invocation style as Protos/generated-code.args (paths from the repository root).
    swift build --package-path "$root" --product hodei-protoc >/dev/null
    protoc_bin="$(swift build --package-path "$root" --show-bin-path)/hodei-protoc"
    "$protoc_bin" \
        -I Benchmarks/Codec/Protos \
        --swift_out=Benchmarks/Codec/Sources/HodeiBenchMessages \
        --swift_opt=FileNaming=PathToUnderscores \
        "${bench_protos[@]/#/Benchmarks/Codec/Protos/}"
    echo "hodei-protoc: $(ls "$out" | wc -l) files in ${out#$root/}"
fi
