#!/usr/bin/env bash
# `make bench-dispatch`: the dispatch scenarios of the shared BENCHMARKS.md against a
# release hodei-server, then one table (median [min..max] of REPS repetitions, and the goal).
#
#   DISPATCH-T  20,000 no-op jobs submitted asynchronously (256 SubmitJob in flight) to 16
#               simulated workers x 64 slots; jobs/s from the first submit to the last
#               durable result (--sync full); server CPU µs per job, peak RSS
#   DISPATCH-L  2,000 jobs one at a time (submit, wait for the durable result, next) to one
#               simulated worker: p50/p99 submit -> result
#   DISPATCH-P  /bin/true jobs through one real agent:
#                 hodei-agent --server 127.0.0.1:PORT --name bench-agent --max-jobs 2
#               each job followed with WatchJob (which sees its end); jobs/s against the
#               spawn limit measured in the same run (spawn_limit, 2 threads, on the load
#               core). Skipped, with a message, while hodei-agent does not take those options.
#   SCALE-W     10,000 workers, one HTTP/2 connection and JobStream each, heartbeating every
#               5 s (the server's default); after they attached and a settle time, server
#               CPU % of a core and RSS over IDLE_SECONDS
#   STORM       1,000 workers x 4 slots with 2,000 jobs running (sleep 1 s) lose all their
#               connections at once and reconnect: time until all re-attached; jobs lost
#               (not SUCCEEDED by GetJob at the end) must be 0
#
# Method: hodei-server pinned to core 0 and hodei-load (workers and submitters in one
# process, one event-loop thread) to core 1; a fresh server and database per repetition
# (hodei-load --launch-server). Warm-up: DISPATCH-T/L run WARMUP_T / WARMUP_L jobs on the
# same server before measuring; SCALE-W measures only after all attached plus a settle
# time; STORM has no separate warm-up. Server CPU and peak RSS (VmHWM) come from /proc.
#
# Environment (defaults in brackets): SCENARIOS [T L P W S], REPS [3], SYNC [full],
# T_JOBS [20000], T_WORKERS [16], T_SLOTS [64], T_CONCURRENCY [256], WARMUP_T [2000],
# L_JOBS [2000], WARMUP_L [200], P_JOBS [2000], AGENT [release hodei-agent],
# IDLE_WORKERS [10000], IDLE_SECONDS [30], IDLE_SETTLE [5], STORM_WORKERS [1000],
# STORM_JOBS [2000], SKIP_BUILD=1 (use the existing release build).
set -euo pipefail
BENCH_NAME=bench-dispatch
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCENARIOS="${SCENARIOS:-T L P W S}"
T_JOBS="${T_JOBS:-20000}"; T_WORKERS="${T_WORKERS:-16}"; T_SLOTS="${T_SLOTS:-64}"; T_CONCURRENCY="${T_CONCURRENCY:-256}"
WARMUP_T="${WARMUP_T:-2000}"; L_JOBS="${L_JOBS:-2000}"; WARMUP_L="${WARMUP_L:-200}"; P_JOBS="${P_JOBS:-2000}"
IDLE_WORKERS="${IDLE_WORKERS:-10000}"; IDLE_SECONDS="${IDLE_SECONDS:-30}"; IDLE_SETTLE="${IDLE_SETTLE:-5}"
STORM_WORKERS="${STORM_WORKERS:-1000}"; STORM_JOBS="${STORM_JOBS:-2000}"

raise_fd_limit 30000
build_hodei
new_results
launch=(--launch-server "$HODEI_SERVER" --server-cpus "$SERVER_CORE" --server-sync "$SYNC")

has() { [[ " $SCENARIOS " == *" $1 "* ]]; }

if has T; then
    for rep in $(seq 1 "$REPS"); do
        log "DISPATCH-T rep $rep/$REPS: $T_JOBS jobs, $T_WORKERS workers x $T_SLOTS slots"
        run_load "T-hodei-$rep" dispatch "${launch[@]}" --jobs "$T_JOBS" --warmup-jobs "$WARMUP_T" \
            --workers "$T_WORKERS" --slots "$T_SLOTS" --concurrency "$T_CONCURRENCY"
    done
fi

if has L; then
    for rep in $(seq 1 "$REPS"); do
        log "DISPATCH-L rep $rep/$REPS: $L_JOBS jobs one at a time"
        run_load "L-hodei-$rep" dispatch "${launch[@]}" --jobs "$L_JOBS" --warmup-jobs "$WARMUP_L" \
            --workers 1 --concurrency 1 --window 1
    done
fi

if has P; then
    agent="${AGENT:-}"
    if [[ -z "$agent" ]]; then
        (cd "$root" && swift build -c release --product hodei-agent >&2) || true
        agent="$(cd "$root" && swift build -c release --show-bin-path)/hodei-agent"
    fi
    if [[ -x "$agent" ]] && "$agent" --help 2>&1 | grep -q -- '--max-jobs'; then
        bash "$here/build-peers.sh"
        for rep in $(seq 1 "$REPS"); do
            log "DISPATCH-P rep $rep/$REPS: $P_JOBS /bin/true jobs through hodei-agent --max-jobs 2"
            port="$(free_port)"
            db="$(mktemp -d)"
            "${pin_server[@]}" "$HODEI_SERVER" --listen "127.0.0.1:$port" --db "$db/hodei.db" --sync "$SYNC" \
                --metrics-listen off --log-level warning >"$RESULTS/P-server-$rep.out" 2>&1 &
            server_pid=$!
            remember "$server_pid"
            wait_for_port "$port" || { log "hodei-server did not listen on $port"; exit 1; }
            "${pin_load[@]}" "$agent" --server "127.0.0.1:$port" --name bench-agent --max-jobs 2 \
                >"$RESULTS/P-agent-$rep.out" 2>&1 &
            agent_pid=$!
            remember "$agent_pid"
            run_load "P-hodei-$rep" dispatch --server "127.0.0.1:$port" --server-pid "$server_pid" --workers 0 \
                --external-workers --argv /bin/true --jobs "$P_JOBS" --warmup-jobs 100 --concurrency 64
            stop_pid "$agent_pid"
            stop_pid "$server_pid"
            rm -rf "$db"
            "${pin_load[@]}" "$B/spawn_limit" "$P_JOBS" 2 >"$RESULTS/P-spawn-$rep.json" || true
        done
    else
        log "DISPATCH-P skipped: $agent is missing or does not take --server/--name/--max-jobs yet"
        log "  (hodei-agent is being written on another branch). Once it does, DISPATCH-P runs"
        log "  hodei-agent --server 127.0.0.1:PORT --name bench-agent --max-jobs 2 against a fresh server"
        log "  and reports /bin/true jobs/s next to the spawn limit (posix_spawn, 2 threads, same core)."
        echo "hodei-agent missing or without --max-jobs: $agent" >"$RESULTS/P-skipped.txt"
    fi
fi

if has W; then
    for rep in $(seq 1 "$REPS"); do
        log "SCALE-W rep $rep/$REPS: $IDLE_WORKERS idle workers, ${IDLE_SETTLE}s settle, ${IDLE_SECONDS}s measured"
        run_load "W-hodei-$rep" idle "${launch[@]}" --workers "$IDLE_WORKERS" --settle "$IDLE_SETTLE" \
            --duration "$IDLE_SECONDS" --attach-concurrency 256
    done
fi

if has S; then
    for rep in $(seq 1 "$REPS"); do
        log "STORM rep $rep/$REPS: $STORM_WORKERS workers drop and reconnect with $STORM_JOBS jobs running"
        run_load "S-hodei-$rep" storm "${launch[@]}" --workers "$STORM_WORKERS" --slots 4 --jobs "$STORM_JOBS" \
            --executor sleep:1000
    done
fi

python3 "$here/report.py" dispatch "$RESULTS"
