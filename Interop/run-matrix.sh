#!/usr/bin/env bash
# Runs run-interop.sh for several server/client pairs and transport modes and prints a results
# table (cases x pairs x modes) and one closing "N passed, M failed[, K skipped]" line.
#
#   run-matrix.sh [--pair SERVER:CLIENT]... [--modes h2c,tls] [-- run-interop options...]
#
# SERVER and CLIENT are paths or the shorthands cpp | go (reference binaries). Without --pair
# the reference self-check runs: go:cpp, cpp:go, cpp:cpp, go:go. Examples for Hodei:
#   run-matrix.sh --pair HODEI_SERVER:cpp --pair HODEI_SERVER:go \
#                 --pair cpp:HODEI_CLIENT --pair go:HODEI_CLIENT
# Exit status 0 only if nothing failed.
set -uo pipefail
export LC_ALL=C
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

PAIRS=() MODES="h2c,tls" PASS_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --pair) PAIRS+=("$2"); shift 2;;
        --modes) MODES="$2"; shift 2;;
        --) shift; PASS_ARGS=("$@"); break;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2;;
        *) echo "run-matrix: unknown argument: $1" >&2; exit 2;;
    esac
done
[ "${#PAIRS[@]}" -gt 0 ] || PAIRS=(go:cpp cpp:go cpp:cpp go:go)
IFS=',' read -r -a MODE_LIST <<<"$MODES"

short() { case "$1" in cpp|go) echo "$1";; *) basename "$1";; esac; }

declare -A RES=()
CASE_ORDER=() COMBOS=()
total_p=0 total_f=0 total_s=0
for pair in "${PAIRS[@]}"; do
    srv="${pair%%:*}" cli="${pair#*:}"
    for mode in "${MODE_LIST[@]}"; do
        combo="$(short "$srv")->$(short "$cli")/$mode"   # server -> client
        COMBOS+=("$combo")
        args=(--server "$srv" --client "$cli" --quiet-header)
        [ "$mode" = tls ] && args+=(--tls)
        while IFS= read -r line; do
            case "$line" in
                PASS\ *|FAIL\ *|SKIP\ *)
                    st="${line%% *}" rest="${line#* }" c="${rest%% *}"
                    echo "$st [$combo] $rest"
                    RES["$c|$combo"]="$st"
                    [[ " ${CASE_ORDER[*]-} " == *" $c "* ]] || CASE_ORDER+=("$c")
                    case "$st" in PASS) total_p=$((total_p+1));; FAIL) total_f=$((total_f+1));; SKIP) total_s=$((total_s+1));; esac
                    ;;
                logs:*) echo "  [$combo] $line";;
                *\ passed,\ *) ;;
                *) echo "  [$combo] $line";;
            esac
        done < <("$HERE/run-interop.sh" "${args[@]}" "${PASS_ARGS[@]+"${PASS_ARGS[@]}"}" 2>&1)
    done
done

echo
printf '%-30s' "case \\ server->client/mode"
for co in "${COMBOS[@]}"; do printf ' %-14s' "$co"; done; echo
for c in "${CASE_ORDER[@]}"; do
    printf '%-30s' "$c"
    for co in "${COMBOS[@]}"; do printf ' %-14s' "${RES["$c|$co"]:--}"; done; echo
done
echo
summary="$total_p passed, $total_f failed"
[ "$total_s" -gt 0 ] && summary="$summary, $total_s skipped"
echo "$summary"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
