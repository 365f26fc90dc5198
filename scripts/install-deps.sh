#!/usr/bin/env bash
# Installs what building and testing Hodei needs and is missing: the system libraries the
# package links (Debian -dev packages) and the peers the conformance tests compare against.
# Idempotent and quiet; never prompts (CI runs it as root with no standard input).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi

# System libraries the transport, TLS and store link against.
need=()
for pkg in libnghttp2-dev libssl-dev libsqlite3-dev libprotobuf-c-dev zlib1g-dev openssl pkg-config g++ protobuf-compiler libgrpc++-dev protobuf-compiler-grpc; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing: ${need[*]}"
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Conformance peers: protoc, protoc-c, a C compiler, Python protobuf.
bash "$(dirname "$0")/../Tests/ConformanceTests/Peers/install-deps.sh"

# The gRPC peer the transport tests call Hodei with: Python grpcio.
if ! python3 -c 'import grpc' >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore grpcio \
        || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages grpcio
fi

# Raw HTTP/2 frames for the abuse tests: Python h2.
python3 -c 'import h2' >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore h2 \
    || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages h2

# A reflection-based client for the server reflection tests: grpcio-reflection.
python3 -c 'import grpc_reflection' >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore grpcio-reflection \
    || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages grpcio-reflection

# Code generation for the generated-stub peers (GeneratedPeerClientTests): grpcio-tools (bundles its own protoc).
python3 -c 'import grpc_tools.protoc' >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'grpcio-tools==1.85.1' \
    || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages 'grpcio-tools==1.85.1'
