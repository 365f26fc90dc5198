#!/usr/bin/env bash
# Installs and builds what `make bench-compare` and DISPATCH-P need, when missing:
# Debian gearman-job-server, libgearman-dev and redis-server; PyPI celery with its Redis
# transport; then compiles the C peers into .build-peers/. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
B="$here/.build-peers"
mkdir -p "$B"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi

need=()
for pkg in gearman-job-server libgearman-dev redis-server gcc; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing: ${need[*]}" >&2
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! python3 -c 'import celery, redis' >/dev/null 2>&1; then
    echo "installing: celery[redis] (PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'celery[redis]' \
        || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages 'celery[redis]'
fi

build() { # OUTPUT SOURCE LIBS...
    local out="$B/$1" src="$here/peers/$2"
    shift 2
    if [[ ! -x "$out" || "$src" -nt "$out" ]]; then gcc -O2 -Wall -Wextra -o "$out" "$src" "$@"; fi
}
build gearman_noop_worker gearman/gearman_noop_worker.c -lgearman
build gearman_bench_client gearman/gearman_bench_client.c -lgearman
build spawn_limit spawn/spawn_limit.c -pthread
