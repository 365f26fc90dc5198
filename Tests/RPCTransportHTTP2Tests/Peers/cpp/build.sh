#!/usr/bin/env bash
# Builds hodei_cpp_client: C++ code generated from the repository's Protos/ by Debian's protoc
# and grpc_cpp_plugin, compiled with g++ against Debian's libgrpc++ and libprotobuf.
#
# Usage: build.sh [OUTDIR]     (default: <repo>/.build-peers/cpp, ignored by git)
# Prints the client's path as the last line of standard output. Rebuilds only when an input
# changed (sources, this script, the .proto files, the compiler or library versions).
# Needs: g++, pkg-config, protoc + grpc_cpp_plugin (protobuf-compiler-grpc), libgrpc++-dev.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
protos="$repo/Protos"
out="${1:-$repo/.build-peers/cpp}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

missing=()
for tool in g++ pkg-config protoc grpc_cpp_plugin sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -eq 0 ] && ! pkg-config --exists grpc++ protobuf; then missing+=("pkg-config grpc++/protobuf (libgrpc++-dev)"); fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "build.sh: missing ${missing[*]}; install: apt-get install g++ pkg-config libgrpc++-dev protobuf-compiler-grpc" >&2
    exit 3
fi

# Only Hodei's API and the two standard services; well-known types come with libprotobuf.
files=(grpc/health/v1/health.proto grpc/reflection/v1/reflection.proto
       hodei/v1/common.proto hodei/v1/job_service.proto hodei/v1/worker_service.proto)

stamp="$(
    {
        cat "$here/hodei_cpp_client.cc" "$0"
        for f in "${files[@]}" google/protobuf/timestamp.proto google/protobuf/duration.proto google/protobuf/empty.proto; do
            [ -f "$protos/$f" ] && cat "$protos/$f"
        done
        g++ --version | head -1
        protoc --version
        pkg-config --modversion grpc++ protobuf
    } | sha256sum | cut -d' ' -f1
)"
bin="$out/hodei_cpp_client"

# One build at a time per output directory.
exec 9>"$out/.lock"
flock -w 600 9 || { echo "build.sh: could not lock $out/.lock" >&2; exit 4; }

if [ -x "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "build.sh: up to date" >&2
    echo "$bin"
    exit 0
fi

start=$(date +%s)
rm -f "$bin" "$out/stamp"
gen="$out/gen"
rm -rf "$gen" && mkdir -p "$gen"
protoc -I "$protos" --cpp_out="$gen" --grpc_out="$gen" \
    --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" "${files[@]}"

read -r -a cflags <<<"$(pkg-config --cflags grpc++ protobuf)"
read -r -a libs <<<"$(pkg-config --libs grpc++ protobuf)"
cxx=(g++ -std=c++17 -O0 -w -I"$gen" "${cflags[@]}")

# Compile the generated units and the client in parallel (bounded by the core count).
sources=("$here/hodei_cpp_client.cc")
for f in "${files[@]}"; do sources+=("$gen/${f%.proto}.pb.cc" "$gen/${f%.proto}.grpc.pb.cc"); done
objects=()
jobs_max="$(nproc 2>/dev/null || echo 2)"
pids=()
for src in "${sources[@]}"; do
    obj="$gen/$(basename "${src%.cc}").$(echo "$src" | sha256sum | cut -c1-8).o"
    objects+=("$obj")
    "${cxx[@]}" -c "$src" -o "$obj" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs_max" ]; then
        wait "${pids[0]}"
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid"; done

"${cxx[@]}" "${objects[@]}" -o "$bin.tmp" "${libs[@]}" -lpthread
mv "$bin.tmp" "$bin"
echo "$stamp" >"$out/stamp"
echo "build.sh: built $bin in $(($(date +%s) - start))s" >&2
echo "$bin"
