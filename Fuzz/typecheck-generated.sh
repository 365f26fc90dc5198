#!/usr/bin/env bash
# Second oracle for fuzz-proto-parser, too slow to run per input: every `.proto` of a corpus
# that the compiler accepts must give Swift that type-checks. Run after `make fuzz`:
#
#   Fuzz/typecheck-generated.sh [corpus-dir...]    (default: the grown corpus and Corpus/)
#
# Writes Fuzz/.build/typecheck/<hash>.{proto,pb.swift,errors}; prints each distinct first
# error with a count and one example, and exits non-zero if any file fails.
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$FUZZ_DIR/.build/fuzz/debug"
MODULES="$BIN/Modules"
OUT="$FUZZ_DIR/.build/typecheck"
SWIFTC="${SWIFTC:-swiftc}"
export SWIFT_BACKTRACE=enable=no

[ -x "$BIN/fuzz-proto-parser" ] || { echo "build the fuzzers first (scripts/fuzz.sh)" >&2; exit 1; }
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$FUZZ_DIR/.build/work/corpus/proto-parser" "$FUZZ_DIR/Corpus/proto-parser"
    "$FUZZ_DIR/Regressions/proto-parser" "$FUZZ_DIR/Regressions/typecheck")

rm -rf "$OUT" && mkdir -p "$OUT/modules"
# One process per input: an input that trips fuzz-proto-parser's own oracles aborts it
# (after writing its Swift), which must not cost the rest of a batch.
find "${dirs[@]}" -type f -name '*' ! -name '*.md' -print0 2>/dev/null |
    FUZZ_EMIT_DIR="$OUT" xargs -0 -n 1 -P "${JOBS:-2}" "$BIN/fuzz-proto-parser" >/dev/null 2>&1 || true

# dep.proto's Swift as module DepProto (the generated files import it).
"$SWIFTC" -parse-as-library -emit-module -module-name DepProto -I "$MODULES" \
    -emit-module-path "$OUT/modules/DepProto.swiftmodule" "$OUT/DepProto.swift"

total=0
failed=0
for swift in "$OUT"/*.pb.swift; do
    total=$((total + 1))
    if ! "$SWIFTC" -typecheck -I "$MODULES" -I "$OUT/modules" "$swift" >"${swift%.pb.swift}.errors" 2>&1; then
        failed=$((failed + 1))
    else
        rm -f "${swift%.pb.swift}.errors"
    fi
done

echo "typecheck-generated: $failed of $total accepted inputs give Swift that does not compile"
if [ "$failed" -ne 0 ]; then
    # Group by the first error, with identifiers and numbers blurred so that one bug is one line.
    for errors in "$OUT"/*.errors; do
        first=$(grep -m1 -E "error: " "$errors" | sed -E "s/.*error: //; s/'[^']*'/'_'/g; s/[0-9]+/N/g")
        printf '%s\t%s\n' "$first" "${errors%.errors}.proto"
    done | sort | awk -F'\t' '{ n[$1]++; if (!($1 in ex)) ex[$1] = $2 } END { for (k in n) printf "%5d  %s    e.g. %s\n", n[k], k, ex[k] }' | sort -rn
    exit 1
fi
