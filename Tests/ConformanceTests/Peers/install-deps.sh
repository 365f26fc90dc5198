#!/usr/bin/env bash
# Installs what the cross-implementation conformance tests (Tests/ConformanceTests) need:
#   - protoc (Debian protobuf-compiler) to turn the test schema into a descriptor set,
#   - protoc-c and libprotobuf-c (Debian protobuf-c-compiler, libprotobuf-c-dev) for the C peer,
#   - a C compiler (cc) to build the C peer,
#   - Python's `protobuf` (PyPI) for the Python peer.
# Idempotent and quiet; never prompts. Run as root (CI) or with sudo available.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
fi

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v protoc-c >/dev/null 2>&1 || need_apt+=(protobuf-c-compiler)
[ -f /usr/include/protobuf-c/protobuf-c.h ] || need_apt+=(libprotobuf-c-dev)
command -v cc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)

if [ "${#need_apt[@]}" -gt 0 ]; then
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import google.protobuf, google.protobuf.json_format' >/dev/null 2>&1; then
    # A system Python managed by Debian (PEP 668) refuses plain pip installs; pyenv's does not.
    if ! "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore protobuf 2>/dev/null; then
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
            --break-system-packages protobuf
    fi
fi

# Fail here, not halfway through `swift test`, if something is still missing.
command -v protoc >/dev/null
command -v protoc-c >/dev/null
command -v cc >/dev/null
"$PYTHON" -c 'import google.protobuf.json_format'
