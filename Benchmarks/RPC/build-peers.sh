#!/usr/bin/env bash
# Builds the peers and load generators of `make bench-rpc` into Benchmarks/RPC/.build-peers/
# (gitignored through the repository's `.build-*/` pattern). Idempotent: installs only the
# Debian packages that are missing and rebuilds only what is older than its sources.
#
#   grpc-go      Debian golang-go + golang-google-grpc-dev (1.33), GOPATH mode, offline;
#                code generated here by Debian protoc-gen-go (APIv2) + protoc-gen-go-grpc
#   grpc-cpp     Debian libgrpc++-dev; code generated here by protoc + grpc_cpp_plugin;
#                also the RPC-B ping-pong client (grpc-pingpong-client)
#   grpc-swift-2 its own SwiftPM package in grpc-swift/ (generated code checked in,
#                see grpc-swift/generate.sh), release build
#   h2load       Debian nghttp2-client; body.bin = the RPC-U/RPC-L request body
#   venv/        Python grpcio, only for verify.py (a real gRPC client checking each server)
#
# Usage: Benchmarks/RPC/build-peers.sh [go] [cpp] [swift] [tools]   (default: all)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/.build-peers"
mkdir -p "$out"

want=("$@")
[[ ${#want[@]} -eq 0 ]] && want=(tools go cpp swift floor)
wants() { local w; for w in "${want[@]}"; do [[ $w == "$1" ]] && return 0; done; return 1; }

log() { printf '[build-peers] %s\n' "$*" >&2; }

# newer TARGET SOURCES...: true if TARGET is missing or older than any source.
stale() {
    local target="$1"; shift
    [[ -e "$target" ]] || return 0
    local s
    for s in "$@"; do [[ "$s" -nt "$target" ]] && return 0; done
    return 1
}

timed() {  # timed NAME CMD...: runs CMD and logs how long it took
    local name="$1"; shift
    local t0=$SECONDS
    "$@"
    log "$name built in $((SECONDS - t0)) s"
}

# --- Debian packages --------------------------------------------------------------------
pkgs=(protobuf-compiler libprotobuf-dev nghttp2-client python3-venv iproute2 util-linux)
# golang-github-golang-protobuf-1-5-dev (the APIv1 shim over google.golang.org/protobuf) in
# place of the 1-3 package that golang-google-grpc-dev pulls in by default: grpc-go's codec
# calls github.com/golang/protobuf/proto, whose 1.3 version cannot handle the APIv2 messages
# that Debian's protoc-gen-go writes (it panics on the first request). apt replaces 1-3.
wants go && pkgs+=(golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev protoc-gen-go protoc-gen-go-grpc)
wants cpp && pkgs+=(libgrpc++-dev protobuf-compiler-grpc pkg-config g++)
wants floor && pkgs+=(gcc libnghttp2-dev)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing Debian packages: ${missing[*]}"
    if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

proto_dir="$here/Protos"
proto="$proto_dir/bench/v1/echo.proto"

# --- tools: request body, Python grpcio for verify.py -----------------------------------
if wants tools; then
    # 5-byte gRPC prefix (uncompressed, big-endian length 66) + EchoRequest{payload: 64 B}:
    # field 1, wire type 2 (0x0a), length 64 (0x40), then 64 payload bytes.
    python3 - "$out/body.bin" <<'PY'
import struct, sys
payload = bytes((ord('a') + i % 26) for i in range(64))
msg = b"\x0a" + bytes([len(payload)]) + payload
open(sys.argv[1], "wb").write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY
    if [[ ! -x "$out/venv/bin/python" ]] || ! "$out/venv/bin/python" -c 'import grpc' 2>/dev/null; then
        log "creating $out/venv with grpcio (PyPI)"
        # A venv of Debian's python3 (not pyenv's), so it does not depend on the shell's shims.
        /usr/bin/python3 -m venv "$out/venv"
        "$out/venv/bin/pip" install -q --disable-pip-version-check grpcio
    fi
fi

# --- grpc-go ------------------------------------------------------------------------------
if wants go; then
    gopath="$out/go/gopath"
    gen="$gopath/src/hodeibench/echopb"
    bin="$out/go/grpc-go-server"
    if stale "$bin" "$proto" "$here/grpc-go/main.go" "$0"; then
        build_go() {
            rm -rf "$gen" && mkdir -p "$gen"
            local m="Mbench/v1/echo.proto=hodeibench/echopb"
            protoc -I "$proto_dir" \
                --go_out="$gen" --go_opt=paths=source_relative --go_opt="$m" \
                --go-grpc_out="$gen" --go-grpc_opt=paths=source_relative --go-grpc_opt="$m" \
                bench/v1/echo.proto
            mv "$gen"/bench/v1/*.go "$gen"/ && rm -rf "$gen/bench"
            mkdir -p "$out/go/cache"
            (cd "$here/grpc-go" &&
                GO111MODULE=off GOPATH="/usr/share/gocode:$gopath" GOPROXY=off GOFLAGS= \
                GOCACHE="$out/go/cache" \
                go build -o "$bin" .)
        }
        timed grpc-go build_go
    else
        log "grpc-go up to date"
    fi
fi

# --- grpc C++ -----------------------------------------------------------------------------
if wants cpp; then
    gen="$out/cpp/gen"
    cxxflags=(-O2 -std=c++17 -I"$gen")
    read -r -a pc_cflags <<<"$(pkg-config --cflags grpc++ protobuf)"
    read -r -a pc_libs <<<"$(pkg-config --libs grpc++ protobuf)"
    srcs=("$proto" "$here/grpc-cpp/server.cc" "$here/grpc-cpp/pingpong_client.cc" "$0")
    if stale "$out/cpp/grpc-cpp-server" "${srcs[@]}" || stale "$out/cpp/grpc-pingpong-client" "${srcs[@]}"; then
        build_cpp() {
            rm -rf "$gen" && mkdir -p "$gen"
            protoc -I "$proto_dir" --cpp_out="$gen" --grpc_out="$gen" \
                --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" bench/v1/echo.proto
            local objs=()
            for f in "$gen/bench/v1/echo.pb.cc" "$gen/bench/v1/echo.grpc.pb.cc"; do
                g++ "${cxxflags[@]}" "${pc_cflags[@]}" -c "$f" -o "${f%.cc}.o" &
                objs+=("${f%.cc}.o")
            done
            wait
            g++ "${cxxflags[@]}" "${pc_cflags[@]}" "$here/grpc-cpp/server.cc" "${objs[@]}" \
                -o "$out/cpp/grpc-cpp-server" "${pc_libs[@]}" -lpthread &
            g++ "${cxxflags[@]}" "${pc_cflags[@]}" "$here/grpc-cpp/pingpong_client.cc" "${objs[@]}" \
                -o "$out/cpp/grpc-pingpong-client" "${pc_libs[@]}" -lpthread &
            wait %1 && wait %2
        }
        timed grpc-cpp build_cpp
    else
        log "grpc-cpp up to date"
    fi
fi

# --- floor: a minimal C nghttp2 echo, the bar no nghttp2 server can pass here ------------------
# with the RPC-B client on libnghttp2 alone (scenarios H1, H64) and nghttp2-cost (what
# libnghttp2 itself costs a server per ping-pong message, no socket)
if wants floor; then
    mkdir -p "$out/floor"
    for prog in floor:floor pingpong-h2:pingpong_h2 nghttp2-cost:nghttp2_cost; do
        bin="${prog%%:*}" src="$here/floor/${prog#*:}.c"
        if stale "$out/floor/$bin" "$src" "$0"; then
            timed "$bin" gcc -O2 -Wall -o "$out/floor/$bin" "$src" -lnghttp2
        else
            log "$bin up to date"
        fi
    done
fi

# --- grpc-swift-2 ---------------------------------------------------------------------------
if wants swift; then
    pkg="$here/grpc-swift"
    scratch="$out/swift"
    build_swift() {
        swift build -c release --package-path "$pkg" --scratch-path "$scratch" \
            --product grpc-swift-server 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting)' >&2
        ln -sf "$(swift build -c release --package-path "$pkg" --scratch-path "$scratch" --show-bin-path)/grpc-swift-server" \
            "$out/grpc-swift-server"
    }
    # SwiftPM does its own up-to-date checks; a no-op build takes a few seconds.
    timed grpc-swift-2 build_swift
fi

log "done: $(cd "$out" && ls -d body.bin go/grpc-go-server cpp/grpc-cpp-server cpp/grpc-pingpong-client grpc-swift-server 2>/dev/null | tr '\n' ' ')"
