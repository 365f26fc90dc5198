#!/usr/bin/env bash
# `make bench-compare`: DISPATCH-T and DISPATCH-L on Hodei, Gearman and Celery side by side
# in one run, then one table with the ratios Hodei/peer.
#
#   hodei    release hodei-server (--sync full: every acknowledged submission and result
#            is fsynced) on core 0; hodei-load's simulated no-op workers and submitters on core 1
#   gearman  gearmand 1.1 (Debian gearman-job-server, in memory: not durable, 1 thread) on
#            core 0; GEARMAN_WORKERS C workers with a no-op function and the C client
#            (peers/gearman) on core 1
#   celery   redis-server 7 (no persistence) on core 0; CELERY_WORKERS Celery 5 workers
#            (solo pool, the best configuration) and the Python client (peers/celery) on core 1
#
# DISPATCH-T: T_JOBS jobs submitted asynchronously, jobs/s from the first submission to the
# last result (Celery: C_T_JOBS, since it runs about 30x slower). DISPATCH-L: L_JOBS jobs
# one at a time, p50/p99 submit -> result. Each system gets a fresh server per repetition
# and a warm-up on it first; REPS repetitions, median [min..max].
#
# Environment (defaults in brackets): SYSTEMS [hodei gearman celery], REPS [3], SYNC [full],
# T_JOBS [20000], C_T_JOBS [20000], L_JOBS [2000], GEARMAN_WORKERS [4], CELERY_WORKERS [1],
# T_WORKERS [16], T_SLOTS [64], T_CONCURRENCY [256], SKIP_BUILD=1.
set -euo pipefail
BENCH_NAME=bench-compare
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SYSTEMS="${SYSTEMS:-hodei gearman celery}"
T_JOBS="${T_JOBS:-20000}"; C_T_JOBS="${C_T_JOBS:-20000}"; L_JOBS="${L_JOBS:-2000}"
GEARMAN_WORKERS="${GEARMAN_WORKERS:-4}"; CELERY_WORKERS="${CELERY_WORKERS:-1}"
T_WORKERS="${T_WORKERS:-16}"; T_SLOTS="${T_SLOTS:-64}"; T_CONCURRENCY="${T_CONCURRENCY:-256}"

raise_fd_limit 30000
bash "$here/build-peers.sh"
build_hodei
new_results
has() { [[ " $SYSTEMS " == *" $1 "* ]]; }

run_hodei() {
    local launch=(--launch-server "$HODEI_SERVER" --server-cpus "$SERVER_CORE" --server-sync "$SYNC")
    for rep in $(seq 1 "$REPS"); do
        log "hodei rep $rep/$REPS"
        run_load "T-hodei-$rep" dispatch "${launch[@]}" --jobs "$T_JOBS" --warmup-jobs 2000 \
            --workers "$T_WORKERS" --slots "$T_SLOTS" --concurrency "$T_CONCURRENCY"
        run_load "L-hodei-$rep" dispatch "${launch[@]}" --jobs "$L_JOBS" --warmup-jobs 200 \
            --workers 1 --concurrency 1 --window 1
    done
}

# Runs the peer's client pinned to the load core; its JSON line into $RESULTS/NAME.json.
run_peer_client() {
    local name="$1"
    shift
    "${pin_load[@]}" "$@" >"$RESULTS/$name.json" 2>"$RESULTS/$name.err" || log "$name: client failed (see $RESULTS/$name.err)"
}

run_gearman() {
    for rep in $(seq 1 "$REPS"); do
        log "gearman rep $rep/$REPS ($GEARMAN_WORKERS workers)"
        local port workers=()
        port="$(free_port)"
        "${pin_server[@]}" gearmand --listen 127.0.0.1 --port "$port" --threads 1 --log-file none \
            >"$RESULTS/gearmand-$rep.out" 2>&1 &
        local server_pid=$!
        remember "$server_pid"
        wait_for_port "$port" || { log "gearmand did not listen on $port"; exit 1; }
        for _ in $(seq 1 "$GEARMAN_WORKERS"); do
            "${pin_load[@]}" "$B/gearman_noop_worker" 127.0.0.1 "$port" 2>>"$RESULTS/gearman-workers-$rep.err" &
            workers+=($!)
            remember "$!"
        done
        "$B/gearman_bench_client" 127.0.0.1 "$port" throughput 2000 >/dev/null # warm-up
        run_peer_client "T-gearman-$rep" "$B/gearman_bench_client" 127.0.0.1 "$port" throughput "$T_JOBS"
        run_peer_client "L-gearman-$rep" "$B/gearman_bench_client" 127.0.0.1 "$port" latency "$L_JOBS"
        for pid in "${workers[@]}"; do stop_pid "$pid"; done
        stop_pid "$server_pid"
    done
}

run_celery() {
    local app="$here/peers/celery"
    for rep in $(seq 1 "$REPS"); do
        log "celery rep $rep/$REPS ($CELERY_WORKERS solo workers; about a minute)"
        local port workers=()
        port="$(free_port)"
        "${pin_server[@]}" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
            >"$RESULTS/redis-$rep.out" 2>&1 &
        local server_pid=$!
        remember "$server_pid"
        wait_for_port "$port" || { log "redis-server did not listen on $port"; exit 1; }
        for i in $(seq 1 "$CELERY_WORKERS"); do
            (cd "$app" && REDIS_PORT="$port" exec "${pin_load[@]}" celery -A noop_tasks worker --pool solo \
                --hostname "bench$i@%h" --without-gossip --without-mingle --without-heartbeat --loglevel WARNING \
                >"$RESULTS/celery-worker-$rep-$i.out" 2>&1) &
            workers+=($!)
            remember "$!"
        done
        (
            cd "$app"
            export REDIS_PORT="$port"
            python3 celery_bench_client.py ready || { log "celery worker not ready"; exit 1; }
            python3 celery_bench_client.py throughput 200 >/dev/null # warm-up
            run_peer_client "T-celery-$rep" python3 celery_bench_client.py throughput "$C_T_JOBS"
            run_peer_client "L-celery-$rep" python3 celery_bench_client.py latency "$L_JOBS"
        )
        for pid in "${workers[@]}"; do stop_pid "$pid"; done
        stop_pid "$server_pid"
    done
}

has hodei && run_hodei
has gearman && run_gearman
has celery && run_celery
python3 "$here/report.py" compare "$RESULTS"
