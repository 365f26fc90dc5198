#!/usr/bin/env bash
# `make bench-rpc`: RPC-U, RPC-L, RPC-B and RPC-I (shared BENCHMARKS.md) for every server in
# SERVERS, side by side in one run, then one table and the ratios to grpc-go and grpc C++.
#
# Method: each server runs pinned to core 0 (`taskset -c 0`), the load generator to core 1
# (`taskset -c 1`), on 127.0.0.1 only. A fresh server per scenario; a warm-up, then REPS
# repetitions; each figure is reported as median [min..max]. The server's CPU time per
# call comes from utime+stime in /proc/PID/stat around each repetition (all threads), its
# peak RSS from VmHWM in /proc/PID/status at the end of the scenario.
#
#   RPC-U   h2load -c 8 -m 32 -t 1 -D DURATION, unary echo of 64 B   req/s, mean latency, CPU µs/call
#   RPC-L   h2load -c 1 -m 1 -t 1 -D DURATION                        mean latency, CPU µs/call
#   RPC-B   grpc-pingpong-client, 1 and 64 bidi streams, DURATION    msgs/s, CPU µs/msg
#           (B1, B64); the same with pingpong-h2 (floor/pingpong_h2.c, libnghttp2 alone),
#           a client that costs a fraction of a server's CPU per message, so that at 64
#           streams the server is the bottleneck and not the C++ client (H1, H64)
#   RPC-I   idle_conns.py: IDLE_CONNS idle HTTP/2 connections        bytes of RSS per connection
#
# Before measuring, verify.py (Python grpcio) checks once that each server really answers
# Unary and PingPong with grpc-status 0: h2load counts HTTP 200 whatever the grpc-status.
#
# Environment (defaults in brackets):
#   SERVERS      servers to run, in order [grpc-go grpc-cpp grpc-swift-2]
#   SCENARIOS    [U L B1 B64 H1 H64 I]
#   DURATION     seconds per repetition [10]      WARMUP  seconds of warm-up [3]
#   REPS         repetitions [3]                  IDLE_CONNS  connections for RPC-I [5000]
#   SKIP_BUILD=1 do not run build-peers.sh first
#   BASE_PORT    first port tried; each server start takes the next free one [20000]
#                (below the ephemeral range: RPC-I leaves thousands of client ports in TIME-WAIT)
#   SERVER_CMD_<name>  command line of a server (name with '-' as '_'); see below
#
# Adding a server: give it a name and a command line that serves hodei.bench.v1.Echo
# (Protos/bench/v1/echo.proto) on 127.0.0.1, takes `--port N` (appended here), prints
# `listening on N` on stdout (flushed) when ready, and execs the server itself (the PID
# that taskset starts is the PID that is measured: no wrapper that forks). Either add it
# to the `cmd` table below, or, without editing this file:
#   SERVERS="grpc-go grpc-cpp grpc-swift-2 hodei" SERVER_CMD_hodei="/path/to/hodei-echo" make bench-rpc
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
B="$here/.build-peers"

SERVERS="${SERVERS:-grpc-go grpc-cpp grpc-swift-2}"
SCENARIOS="${SCENARIOS:-U L B1 B64 H1 H64 I}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
REPS="${REPS:-3}"
IDLE_CONNS="${IDLE_CONNS:-5000}"
BASE_PORT="${BASE_PORT:-20000}"
SERVER_CORE=0
LOAD_CORE=1

declare -A cmd=(
    [grpc-go]="$B/go/grpc-go-server"
    [grpc-cpp]="$B/cpp/grpc-cpp-server"
    [grpc-swift-2]="$B/grpc-swift-server"
    # Minimal C nghttp2 echo servers (floor/floor.c): the bar for any nghttp2-based server,
    # sleeping in epoll_wait between requests, or polling 50 us after each event first.
    [floor]="$B/floor/floor"
    [floor-poll]="$B/floor/floor --spin-us 50"
    # [hodei]="$here/../../.build/release/hodei-bench-echo"
)

log() { printf '[bench-rpc] %s\n' "$*" >&2; }

if [[ $(nproc) -lt 2 ]]; then
    log "needs 2 cores (server on core $SERVER_CORE, load on core $LOAD_CORE); nproc is $(nproc)"
    exit 1
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    "$here/build-peers.sh"
fi

# RPC-I needs IDLE_CONNS descriptors in the server and in the client.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt $((IDLE_CONNS + 100)) ]]; then
    log "ulimit -n is $(ulimit -n): too low for $IDLE_CONNS connections"
    exit 1
fi

run_id="$(date +%Y%m%d-%H%M%S)-$$"
results="$B/results/$run_id"
mkdir -p "$results"
raw="$results/raw.tsv"
: >"$raw"
clk_tck="$(getconf CLK_TCK)"
h2_headers=(-H 'content-type: application/grpc' -H 'te: trailers')
unary_path="/hodei.bench.v1.Echo/Unary"

{
    echo "date: $(date -Is)"
    echo "host: $(uname -srm), $(nproc) cores"
    echo "uptime before: $(uptime)"
    echo "servers: $SERVERS"
    echo "scenarios: $SCENARIOS; duration ${DURATION}s, warm-up ${WARMUP}s, reps $REPS, idle conns $IDLE_CONNS"
    echo "h2load: $(h2load --version 2>&1 | head -1)"
} | tee "$results/env.txt" >&2

# --- server life cycle ------------------------------------------------------------------------
next_port=$BASE_PORT
srv_pid=""
srv_port=""

server_cmd() {  # server_cmd NAME: prints the command line of NAME
    local name="$1" var="SERVER_CMD_${1//-/_}"
    if [[ -n "${!var:-}" ]]; then
        printf '%s' "${!var}"
    elif [[ -n "${cmd[$name]:-}" ]]; then
        printf '%s' "${cmd[$name]}"
    else
        log "unknown server '$name': set $var or add it to the cmd table in $0"
        return 1
    fi
}

start_server() {  # start_server NAME LABEL: sets srv_pid, srv_port
    local name="$1" label="$2" line
    local -a argv
    read -r -a argv <<<"$(server_cmd "$name")"
    # The next port that no socket uses, in any state.
    while [[ -n "$(ss -Htan "( sport = :$next_port )" 2>/dev/null)" ]]; do
        next_port=$((next_port + 1))
    done
    srv_port=$next_port
    next_port=$((next_port + 1))
    local out="$results/$name.$label.server.log"
    taskset -c "$SERVER_CORE" "${argv[@]}" --port "$srv_port" >"$out" 2>&1 &
    srv_pid=$!
    local t=0
    while ! grep -q "^listening on $srv_port\$" "$out" 2>/dev/null; do
        if ! kill -0 "$srv_pid" 2>/dev/null; then
            log "$name exited before listening (see $out)"
            srv_pid=""
            return 1
        fi
        if [[ $t -ge 300 ]]; then
            log "$name not listening on $srv_port after 30 s (see $out)"
            stop_server
            return 1
        fi
        sleep 0.1
        t=$((t + 1))
    done
}

stop_server() {
    [[ -n "$srv_pid" ]] || return 0
    kill -TERM "$srv_pid" 2>/dev/null || true
    local t=0
    while kill -0 "$srv_pid" 2>/dev/null && [[ $t -lt 50 ]]; do sleep 0.1; t=$((t + 1)); done
    kill -KILL "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

cpu_ticks() {  # utime + stime of the server process (all its threads), in clock ticks
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$srv_pid/stat"
}
vm_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$srv_pid/status"; }

record() {  # record SERVER METRIC REP VALUE
    printf '%s\t%s\t%s\t%s\n' "$@" >>"$raw"
}

# --- load generators -----------------------------------------------------------------------------
# h2load_run SECONDS CONNS STREAMS LOGFILE: prints "reqps succeeded mean_us"; fails on any
# request that did not succeed with a 2xx status.
h2load_run() {
    local secs="$1" c="$2" m="$3" logf="$4"
    timeout -k 5 $((secs + 30)) taskset -c "$LOAD_CORE" \
        h2load -d "$B/body.bin" "${h2_headers[@]}" -c "$c" -m "$m" -t 1 -D "$secs" \
        "http://127.0.0.1:$srv_port$unary_path" >"$logf" 2>&1 || {
        log "h2load failed (see $logf)"
        return 1
    }
    awk '
        /^finished in/ { for (i = 1; i <= NF; i++) if ($(i+1) == "req/s,") reqps = $i }
        /^requests:/ { succeeded = $8; failed = $10; errored = $12; timeout = $14 }
        /^status codes:/ { ok2xx = $3 }
        /^time for request:/ {
            v = $6; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
            mult = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : -1
            mean = v * mult
        }
        END {
            # Requests still in flight when h2load stops may have their 2xx headers without being
            # done, so 2xx may exceed succeeded; fewer would mean a success without a 2xx.
            if (succeeded == "" || succeeded == 0 || failed + errored + timeout > 0 || ok2xx < succeeded || mean < 0) exit 1
            printf "%s %s %.1f\n", reqps, succeeded, mean
        }' "$logf" || {
        log "h2load reported failures or no successful request (see $logf)"
        return 1
    }
}

# pingpong_run CLIENT SECONDS STREAMS LOGFILE: prints "msgs_per_s msgs"; CLIENT is cpp or h2
pingpong_run() {
    local client="$1" secs="$2" n="$3" logf="$4" bin
    case "$client" in
        cpp) bin="$B/cpp/grpc-pingpong-client" ;;
        h2) bin="$B/floor/pingpong-h2" ;;
    esac
    timeout -k 5 $((secs + 30)) taskset -c "$LOAD_CORE" \
        "$bin" --target "127.0.0.1:$srv_port" --streams "$n" \
        --duration "$secs" --size 64 >"$logf" 2>&1 || {
        log "ping-pong client failed (see $logf)"
        return 1
    }
    awk '/^streams=/ {
            for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            print v["msgs_per_s"], v["msgs"]
        }' "$logf"
}

# --- scenarios ---------------------------------------------------------------------------------
scenario_h2load() {  # scenario_h2load SERVER ID CONNS STREAMS
    local name="$1" id="$2" c="$3" m="$4" rep out t0 t1
    start_server "$name" "$id" || return 1
    h2load_run "$WARMUP" "$c" "$m" "$results/$name.$id.warmup.h2load.log" >/dev/null || { stop_server; return 1; }
    for rep in $(seq 1 "$REPS"); do
        t0=$(cpu_ticks)
        out=$(h2load_run "$DURATION" "$c" "$m" "$results/$name.$id.$rep.h2load.log") || { stop_server; return 1; }
        t1=$(cpu_ticks)
        read -r reqps n mean <<<"$out"
        record "$name" "$id.reqps" "$rep" "$reqps"
        record "$name" "$id.lat_us" "$rep" "$mean"
        record "$name" "$id.cpu_us" "$rep" "$(awk -v d=$((t1 - t0)) -v n="$n" -v hz="$clk_tck" 'BEGIN { printf "%.2f", d * 1e6 / hz / n }')"
        log "$name RPC-$id rep $rep: $reqps req/s, mean $mean µs, $n calls"
    done
    record "$name" "$id.hwm_kib" 0 "$(vm_kib VmHWM)"
    stop_server
}

scenario_pingpong() {  # scenario_pingpong SERVER ID STREAMS CLIENT
    local name="$1" id="$2" n="$3" client="$4" rep out t0 t1
    start_server "$name" "$id" || return 1
    pingpong_run "$client" "$WARMUP" "$n" "$results/$name.$id.warmup.pingpong.log" >/dev/null || { stop_server; return 1; }
    for rep in $(seq 1 "$REPS"); do
        t0=$(cpu_ticks)
        out=$(pingpong_run "$client" "$DURATION" "$n" "$results/$name.$id.$rep.pingpong.log") || { stop_server; return 1; }
        t1=$(cpu_ticks)
        read -r mps msgs <<<"$out"
        record "$name" "$id.msgps" "$rep" "$mps"
        record "$name" "$id.cpu_us" "$rep" "$(awk -v d=$((t1 - t0)) -v n="$msgs" -v hz="$clk_tck" 'BEGIN { printf "%.2f", d * 1e6 / hz / n }')"
        log "$name RPC-$id rep $rep: $mps msgs/s"
    done
    record "$name" "$id.hwm_kib" 0 "$(vm_kib VmHWM)"
    stop_server
}

scenario_idle() {  # scenario_idle SERVER: a fresh server per repetition (no warm-up)
    local name="$1" rep out
    for rep in $(seq 1 "$REPS"); do
        start_server "$name" "I$rep" || return 1
        sleep 1  # let the server settle before the "before" reading
        out=$(timeout -k 5 300 taskset -c "$LOAD_CORE" python3 "$here/idle_conns.py" \
            --port "$srv_port" --pid "$srv_pid" --count "$IDLE_CONNS" --hold 3 \
            2>"$results/$name.I.$rep.err") || {
            log "idle_conns.py failed for $name: $out $(cat "$results/$name.I.$rep.err")"
            stop_server
            return 1
        }
        echo "$out" >"$results/$name.I.$rep.log"
        local per rss0 hwm
        per=$(sed -n 's/.*bytes_per_conn=\([0-9-]*\).*/\1/p' <<<"$out")
        rss0=$(sed -n 's/.*rss_before_kib=\([0-9]*\).*/\1/p' <<<"$out")
        hwm=$(sed -n 's/.*hwm_after_kib=\([0-9]*\).*/\1/p' <<<"$out")
        record "$name" "I.bytes_per_conn" "$rep" "$per"
        record "$name" "I.rss0_kib" "$rep" "$rss0"
        record "$name" "I.hwm_kib" "$rep" "$hwm"
        log "$name RPC-I rep $rep: $per bytes per idle connection ($out)"
        stop_server
    done
}

# --- run -----------------------------------------------------------------------------------------
failed_servers=()
for name in $SERVERS; do
    log "== $name: $(server_cmd "$name")"
    ok=1
    if start_server "$name" verify; then
        if ! taskset -c "$LOAD_CORE" timeout -k 5 60 "$B/venv/bin/python" "$here/verify.py" "$srv_port" >&2; then
            log "$name does not answer hodei.bench.v1.Echo correctly: skipped"
            ok=0
        fi
        stop_server
    else
        ok=0
    fi
    if [[ $ok == 1 ]]; then
        for s in $SCENARIOS; do
            case "$s" in
                U) scenario_h2load "$name" U 8 32 || ok=0 ;;
                L) scenario_h2load "$name" L 1 1 || ok=0 ;;
                B*) scenario_pingpong "$name" "$s" "${s#B}" cpp || ok=0 ;;
                H*) scenario_pingpong "$name" "$s" "${s#H}" h2 || ok=0 ;;
                I) scenario_idle "$name" || ok=0 ;;
                *) log "unknown scenario $s"; exit 2 ;;
            esac
        done
    fi
    [[ $ok == 1 ]] || failed_servers+=("$name")
done

echo "uptime after: $(uptime)" | tee -a "$results/env.txt" >&2
python3 "$here/report.py" "$raw" "$results/env.txt" $SERVERS | tee "$results/report.txt"
log "raw figures and logs: ${results#"$here/"}"
if [[ ${#failed_servers[@]} -gt 0 ]]; then
    log "FAILED: ${failed_servers[*]}"
    exit 1
fi
