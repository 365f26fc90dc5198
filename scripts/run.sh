#!/usr/bin/env bash
# `make run`: builds Hodei, starts the server on its embedded SQLite store and one local
# agent, and runs the main job through the `hodei` CLI. With a terminal, the server and
# agent keep running until Ctrl-C so you can submit your own jobs; without one (CI, pipes)
# they stop after the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product hodei-server --product hodei-agent --product hodei
bin="$(swift build --show-bin-path)"
data="${HODEI_DATA:-hodei-data}"
listen="${HODEI_LISTEN:-127.0.0.1:50051}"
mkdir -p "$data"
export HODEI_SERVER="$listen"

cleanup() {
    [[ -n "${agent:-}" ]] && kill -TERM "$agent" 2>/dev/null && wait "$agent" 2>/dev/null || true
    [[ -n "${server:-}" ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
}
trap cleanup EXIT

"$bin/hodei-server" --listen "$listen" --db "$data/hodei.db" >"$data/server.out" 2>"$data/server.log" &
server=$!
for _ in $(seq 1 100); do
    grep -q "listening" "$data/server.out" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$data/server.log" >&2; echo "hodei-server did not start" >&2; exit 1; }
    sleep 0.1
done
cat "$data/server.out"

"$bin/hodei-agent" --server "$listen" --name local-agent 2>"$data/agent.log" &
agent=$!
for _ in $(seq 1 100); do
    "$bin/hodei" workers list 2>/dev/null | grep -q "local-agent.*AVAILABLE" && break
    sleep 0.1
done
"$bin/hodei" workers list
echo

echo "\$ hodei submit --follow -- echo hello"
"$bin/hodei" submit --follow -- echo hello
echo

echo "\$ hodei submit --follow -- sh -c '...five steps, reporting progress on fd 3...'"
"$bin/hodei" submit --name five-steps --follow -- sh -c '
    for i in 1 2 3 4 5; do
        echo "step $i of 5"
        echo "$((i * 20)) step $i of 5" >&3
        sleep 0.3
    done'
echo
"$bin/hodei" list --limit 5
echo

if [[ -t 0 ]]; then
    cat <<EOT
Hodei is running: server on $listen (store $data/hodei.db, logs in $data/), one agent.
Metrics: curl -s http://127.0.0.1:9090/metrics
Try, in another terminal:
  export PATH="$bin:\$PATH"
  hodei submit --follow -- echo hello
  hodei list
  hodei workers list
Ctrl-C stops the agent (after its jobs) and the server.
EOT
    wait "$server"
else
    echo "No terminal: stopping the agent and the server (the jobs stay in $data/hodei.db)."
fi
