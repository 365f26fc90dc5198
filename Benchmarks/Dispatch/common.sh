# Shared by run.sh (`make bench-dispatch`) and compare.sh (`make bench-compare`): paths,
# pinning, ports, process bookkeeping, and the release build of hodei-server/hodei-load.
# Sourced, not run.

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
B="$here/.build-peers"
SERVER_CORE="${SERVER_CORE:-0}"
LOAD_CORE="${LOAD_CORE:-1}"
REPS="${REPS:-3}"
SYNC="${SYNC:-full}"

log() { printf '[%s] %s\n' "${BENCH_NAME:-bench-dispatch}" "$*" >&2; }

# Commands pinned to the server's core and to the load's core (no pinning without taskset).
pin_server=()
pin_load=()
if command -v taskset >/dev/null 2>&1 && taskset -c "$SERVER_CORE" true 2>/dev/null && taskset -c "$LOAD_CORE" true 2>/dev/null; then
    pin_server=(taskset -c "$SERVER_CORE")
    pin_load=(taskset -c "$LOAD_CORE")
else
    log "taskset or a second core is missing: nothing is pinned, figures are less comparable"
fi

# 10,000 connections need as many descriptors in the server and in hodei-load.
raise_fd_limit() {
    local want="${1:-30000}"
    ulimit -Hn "$want" 2>/dev/null || true
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    log "ulimit -n is $(ulimit -n)"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits (bounded) until something listens on 127.0.0.1:$1.
wait_for_port() {
    local port="$1" tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        tries=$((tries + 1))
        if [[ $tries -gt 200 ]]; then return 1; fi
        sleep 0.05
    done
}

# Background processes started here, stopped at exit (each by its own pid).
started_pids=()
remember() { started_pids+=("$1"); }
stop_pid() {
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
stop_all() {
    local pid
    for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
    started_pids=()
}
trap stop_all EXIT

# Release builds of hodei-server and hodei-load; sets HODEI_SERVER and HODEI_LOAD.
build_hodei() {
    (
        cd "$root"
        if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
            swift build -c release --product hodei-server >&2
            swift build -c release --product hodei-load >&2
        fi
    )
    local bin
    bin="$(cd "$root" && swift build -c release --show-bin-path)"
    HODEI_SERVER="$bin/hodei-server"
    HODEI_LOAD="$bin/hodei-load"
}

# A fresh results folder for this run; sets RESULTS.
new_results() {
    RESULTS="$B/results/$(date +%Y%m%d-%H%M%S)-$$"
    mkdir -p "$RESULTS"
    log "raw results in $RESULTS"
}

# run_load NAME ARGS...: hodei-load pinned to the load core, its JSON report in
# $RESULTS/NAME.json. An incomplete run (exit 2) still leaves its report.
run_load() {
    local name="$1"
    shift
    local status=0
    "${pin_load[@]}" "$HODEI_LOAD" "$@" --json >"$RESULTS/$name.json" 2>"$RESULTS/$name.err" || status=$?
    if [[ $status -ne 0 ]]; then
        log "$name: hodei-load exited $status (see $RESULTS/$name.err)"
    fi
    return 0
}
