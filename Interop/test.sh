#!/usr/bin/env bash
# One entry point for `make test`: builds the reference binaries if needed, then runs the
# interop matrix over h2c and TLS.
#
#   test.sh [--hodei-server BIN] [--hodei-client BIN] [--reference] [-- run-interop options]
#
#   --hodei-server BIN   Hodei's interop server, run against the C++ and Go reference clients
#   --hodei-client BIN   Hodei's interop client, run against the C++ and Go reference servers
#   --reference          also run the reference-vs-reference self-check (about 10 s)
#   --modes LIST         transports to test, comma-separated: h2c, tls (default both)
# HODEI_INTEROP_SERVER / HODEI_INTEROP_CLIENT may be given instead of the flags. With neither,
# only the reference self-check runs. Closing line: "N passed, M failed[, K skipped]".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

HSERVER="${HODEI_INTEROP_SERVER:-}" HCLIENT="${HODEI_INTEROP_CLIENT:-}" REF=0 PASS=() MODES="h2c,tls"
while [ $# -gt 0 ]; do
    case "$1" in
        --hodei-server) HSERVER="$2"; shift 2;;
        --hodei-server=*) HSERVER="${1#*=}"; shift;;
        --hodei-client) HCLIENT="$2"; shift 2;;
        --hodei-client=*) HCLIENT="${1#*=}"; shift;;
        --reference) REF=1; shift;;
        --modes) MODES="$2"; shift 2;;
        --modes=*) MODES="${1#*=}"; shift;;
        --) shift; PASS=("$@"); break;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2;;
        *) echo "interop test: unknown argument: $1" >&2; exit 2;;
    esac
done

BIN="$(bash "$HERE/fetch-and-build-reference.sh" | tail -n1)" || { echo "0 passed, 1 failed"; exit 1; }
export HODEI_INTEROP_CACHE="$(dirname "$BIN")"

PAIRS=()
[ -n "$HSERVER" ] && PAIRS+=(--pair "$HSERVER:cpp" --pair "$HSERVER:go")
[ -n "$HCLIENT" ] && PAIRS+=(--pair "cpp:$HCLIENT" --pair "go:$HCLIENT")
if [ "$REF" = 1 ] || [ "${#PAIRS[@]}" -eq 0 ]; then
    PAIRS+=(--pair go:cpp --pair cpp:go --pair cpp:cpp --pair go:go)
fi
exec bash "$HERE/run-matrix.sh" "${PAIRS[@]}" --modes "$MODES" -- "${PASS[@]+"${PASS[@]}"}"
