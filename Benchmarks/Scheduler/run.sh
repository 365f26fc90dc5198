#!/usr/bin/env bash
# Entry point of `make bench-scheduler` (scenario SCHED in BENCHMARKS.md): builds
# hodei-bench-scheduler in release mode and runs it pinned to core 1 when taskset is there.
# Arguments go to the benchmark, e.g. --workers 100,1000,10000 --queued 1000,1000000
# --modes steady,saturated --placements 200000 --seconds 5. It prints a Markdown table.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

swift build -c release --product hodei-bench-scheduler >&2
bin="$(swift build -c release --show-bin-path)/hodei-bench-scheduler"

pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 1 true 2>/dev/null; then
    pin=(taskset -c 1)
fi
exec "${pin[@]}" "$bin" "$@"
