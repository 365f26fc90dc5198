#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets in Fuzz/ (ASan + libFuzzer), replays the saved
# regressions, then fuzzes each target for FUZZ_SECONDS. Fails if any input crashes,
# hangs (> FUZZ_TIMEOUT s) or runs out of memory.
#
# Environment:
#   FUZZ_SECONDS     seconds per target (default 600)
#   FUZZ_TARGETS     targets to run (default "decode proto-parser")
#   FUZZ_TIMEOUT     seconds after which one input counts as a hang (default 10)
#   FUZZ_RSS_MB      memory limit in MB (default 2048)
#   FUZZ_KEEP_GOING  1: keep fuzzing after a crash (libFuzzer fork mode), collecting every
#                    artifact; default 0 stops at the first one
#   FUZZ_WORK        working directory for corpora and artifacts (default Fuzz/.build/work)
#   FUZZ_ARGS        extra libFuzzer flags
#
# Outputs (all git-ignored): FUZZ_WORK/corpus/<target>/ (the grown corpus, reused by the next
# run), FUZZ_WORK/artifacts/<target>/ (this run's crash-*, timeout-*, oom-*; emptied at the
# start of each run), FUZZ_WORK/<target>.log.
# To reproduce an artifact: Fuzz/.build/fuzz/debug/fuzz-<target> <file>
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="$ROOT/Fuzz"
SWIFT="${SWIFT:-swift}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-600}"
TARGETS="${FUZZ_TARGETS:-decode proto-parser}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
KEEP_GOING="${FUZZ_KEEP_GOING:-0}"
WORK="${FUZZ_WORK:-$FUZZ_DIR/.build/work}"
SCRATCH="$FUZZ_DIR/.build/fuzz"
BIN="$SCRATCH/debug"

# The Swift runtime's backtracer and ASan both want the crash signal; let ASan/libFuzzer report.
export SWIFT_BACKTRACE="enable=no"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:handle_abort=1:symbolize=1}"

echo "==> building fuzz targets (debug, -sanitize=fuzzer,address)"
# ld.gold warns about every ASan helper symbol it cannot export; those lines are noise.
set +e
"$SWIFT" build --package-path "$FUZZ_DIR" --scratch-path "$SCRATCH" -c debug \
    -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol"
build_status=${PIPESTATUS[0]}
set -e
if [ "$build_status" -ne 0 ]; then
    echo "error: building the fuzz targets failed" >&2
    exit 1
fi

mkdir -p "$WORK"
failures=0

# 1. Saved regressions: each reproducer must now run cleanly.
for target in $TARGETS; do
    dir="$FUZZ_DIR/Regressions/$target"
    [ -d "$dir" ] || continue
    for input in "$dir"/*; do
        [ -f "$input" ] || continue
        case "$input" in *.md|*.txt) continue ;; esac
        if "$BIN/fuzz-$target" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" "$input" >"$WORK/regression.log" 2>&1; then
            echo "    regression ok: ${input#"$ROOT"/}"
        else
            echo "!!! regression FAILS: ${input#"$ROOT"/}"
            grep -E "Fatal error|ERROR: |SUMMARY" "$WORK/regression.log" | head -5 | sed 's/^/      /' || true
            failures=$((failures + 1))
        fi
    done
done

# 2. Fuzzing.
for target in $TARGETS; do
    corpus="$WORK/corpus/$target"
    artifacts="$WORK/artifacts/$target"
    log="$WORK/$target.log"
    # Artifacts are per run (save a reproducer in Fuzz/Regressions/); the corpus carries over.
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    seeds=("$FUZZ_DIR/Corpus/$target")
    if [ "$target" = decode ]; then
        # Also seed from the current schema (Seeds.swift), in case Corpus/decode is stale.
        rm -rf "$WORK/seeds/decode"
        FUZZ_DECODE_WRITE_SEEDS="$WORK/seeds/decode" "$BIN/fuzz-decode" >/dev/null
        seeds+=("$WORK/seeds/decode")
    fi
    args=(-max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB"
          -artifact_prefix="$artifacts/" -print_final_stats=1 -print_funcs=0)
    if [ "$target" = proto-parser ]; then args+=(-dict="$FUZZ_DIR/proto.dict"); fi
    if [ "$target" = decode ]; then args+=(-dict="$FUZZ_DIR/decode.dict"); fi
    if [ "$KEEP_GOING" = 1 ]; then
        args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    fi
    # shellcheck disable=SC2206
    args+=(${FUZZ_ARGS:-})
    echo "==> fuzz-$target for ${SECONDS_PER_TARGET}s (log: ${log#"$ROOT"/})"
    status=0
    "$BIN/fuzz-$target" "${args[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
    { grep -E "cov: " "$log" | tail -n 1; grep -E "^stat::" "$log"; } | sed 's/^/    /' || true
    found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    if [ -n "$found" ] || { [ "$status" -ne 0 ] && [ "$KEEP_GOING" != 1 ]; }; then
        echo "!!! fuzz-$target found problems (exit $status):"
        grep -E "Fatal error|ERROR: libFuzzer|ERROR: AddressSanitizer|SUMMARY" "$log" | sed -E 's/==[0-9]+== ?//' |
            sort | uniq -c | head -20 | sed 's/^/      /' || true
        # Fork mode keeps the children's messages out of the log: replay each artifact.
        for artifact in $found; do
            why=$("$BIN/fuzz-$target" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" "$artifact" 2>&1 |
                grep -m1 -E "Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer: (timeout|out-of-memory)" || true)
            echo "      ${artifact#"$ROOT"/}"
            echo "        ${why:-(does not reproduce on its own)}"
        done
        failures=$((failures + 1))
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "fuzz: FAILED ($failures problem(s)); minimise with: $BIN/fuzz-<target> -minimize_crash=1 -max_total_time=120 <artifact>"
    exit 1
fi
echo "fuzz: OK"
