#!/usr/bin/env bash
# Runs gRPC interop test cases: starts an interop server on a free 127.0.0.1 port, runs an
# interop client once per case against it, and checks each case for positive evidence of success.
#
#   run-interop.sh --client BIN --server BIN [--tls] [--cases a,b,c] [options]
#
# BIN is a path to an executable taking the official interop flags, or one of the shorthands
# cpp | go for the reference binaries built by fetch-and-build-reference.sh.
#
# Options:
#   --tls                 server: --use_tls=true; client: --use_tls=true --use_test_ca=true
#                         --server_host_override=foo.test.google.fr (the test cert's name)
#   --cases a,b,c         cases to run (default: the 18 cases below; cases a known reference
#                         peer does not implement are then reported as SKIP)
#   --timeout S           per-case client timeout in seconds (default 30)
#   --server-start-timeout S   (default 20)
#   --client-kind K       cpp | go | generic (default: auto-detected from the binary)
#   --server-kind K       cpp | go | generic (default: auto-detected from the binary)
#   --require-marker      generic clients must print "INTEROP_RESULT <case> PASS"
#   --client-arg ARG / --server-arg ARG   extra flag for the client / server (repeatable)
#   --logs DIR            keep per-case logs in DIR (default: a temp dir, removed if all pass)
#   --quiet-header        do not print the header line
#
# Output: one line per case (PASS name | FAIL name reason | SKIP name reason), then
# "N passed, M failed[, K skipped]". Exit status 0 only if nothing failed and something passed.
#
# Evidence checked per client kind (exit status alone is not trusted):
#   cpp  (grpc 1.51 test/cpp/interop/client.cc, patched by fetch-and-build-reference.sh):
#        the stock client ignores the bool each case returns and exits 0 (e.g. the
#        client_compressed_* cases just `return false` when the server fails the compression
#        probe). Required: exit 0, the patch's "INTEROP_RESULT <case> PASS" line, no
#        "Unsupported test case"/assertion/"Error status code" lines, the case's own DEBUG
#        completion line where it has one (GRPC_VERBOSITY=DEBUG), and for
#        cancel_after_first_response (whose final status the client never checks) a received
#        status of CANCELLED (--log_metadata_and_status).
#   go   (grpc-go 1.33 interop/client): fails through log.Fatal (exit 1). Required: exit 0 and
#        the client's "<Case> done" INFO line (GRPC_GO_LOG_SEVERITY_LEVEL=info).
#   generic (e.g. Hodei): exit 0, no "INTEROP_RESULT <case> FAIL" line, and with
#        --require-marker an "INTEROP_RESULT <case> PASS" line.
set -uo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEFAULT_CASES=(empty_unary large_unary client_streaming server_streaming ping_pong empty_stream
    custom_metadata status_code_and_message special_status_message unimplemented_method
    unimplemented_service timeout_on_sleeping_server cancel_after_begin cancel_after_first_response
    client_compressed_unary server_compressed_unary client_compressed_streaming
    server_compressed_streaming)
COMPRESSION_CASES=" client_compressed_unary server_compressed_unary client_compressed_streaming server_compressed_streaming "
TLS_HOST_OVERRIDE=foo.test.google.fr

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

CLIENT="" SERVER="" TLS=0 CASES_ARG="" TIMEOUT=30 START_TIMEOUT=20 CLIENT_KIND=auto SERVER_KIND=auto
REQUIRE_MARKER=0 LOGDIR="" HEADER=1
CLIENT_EXTRA=() SERVER_EXTRA=()
# Accept --opt=value as well as --opt value.
ARGS=()
for a in "$@"; do
    case "$a" in
        --client=*|--server=*|--cases=*|--timeout=*|--server-start-timeout=*|--client-kind=*|\
        --server-kind=*|--client-arg=*|--server-arg=*|--logs=*) ARGS+=("${a%%=*}" "${a#*=}");;
        *) ARGS+=("$a");;
    esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
while [ $# -gt 0 ]; do
    case "$1" in
        --client) CLIENT="$2"; shift 2;;
        --server) SERVER="$2"; shift 2;;
        --tls) TLS=1; shift;;
        --cases) CASES_ARG="$2"; shift 2;;
        --timeout) TIMEOUT="$2"; shift 2;;
        --server-start-timeout) START_TIMEOUT="$2"; shift 2;;
        --client-kind) CLIENT_KIND="$2"; shift 2;;
        --server-kind) SERVER_KIND="$2"; shift 2;;
        --require-marker) REQUIRE_MARKER=1; shift;;
        --client-arg) CLIENT_EXTRA+=("$2"); shift 2;;
        --server-arg) SERVER_EXTRA+=("$2"); shift 2;;
        --logs) LOGDIR="$2"; shift 2;;
        --quiet-header) HEADER=0; shift;;
        -h|--help) usage;;
        *) echo "run-interop: unknown argument: $1" >&2; usage;;
    esac
done
[ -n "$CLIENT" ] && [ -n "$SERVER" ] || usage

ref_bin_dir() {
    local d="${HODEI_INTEROP_CACHE:-}"
    for d in ${d:+"$d"} /var/cache/hodei-interop "${XDG_CACHE_HOME:-$HOME/.cache}/hodei-interop"; do
        [ -d "$d/bin" ] && { echo "$d/bin"; return; }
    done
    echo "/var/cache/hodei-interop/bin"
}
CERT_DIR="$(dirname "$(ref_bin_dir)")/certs"
resolve_bin() { # NAME ROLE
    case "$1" in
        cpp|go) echo "$(ref_bin_dir)/${1}_interop_$2";;
        */*) echo "$1";;
        *) command -v "$1" 2>/dev/null || echo "$1";;
    esac
}
CLIENT="$(resolve_bin "$CLIENT" client)"
SERVER="$(resolve_bin "$SERVER" server)"
for b in "$CLIENT" "$SERVER"; do
    [ -x "$b" ] || { echo "run-interop: not executable: $b (run Interop/fetch-and-build-reference.sh?)" >&2; exit 2; }
done

detect_kind() { # BIN -> cpp|go|generic
    if grep -qaF 'test/cpp/interop/' "$1" 2>/dev/null; then echo cpp
    elif grep -qaF 'google.golang.org/grpc/interop' "$1" 2>/dev/null; then echo go
    else echo generic; fi
}
[ "$CLIENT_KIND" = auto ] && CLIENT_KIND="$(detect_kind "$CLIENT")"
[ "$SERVER_KIND" = auto ] && SERVER_KIND="$(detect_kind "$SERVER")"

if [ -n "$CASES_ARG" ]; then
    IFS=',' read -r -a CASES <<<"$CASES_ARG"; EXPLICIT_CASES=1
else
    CASES=("${DEFAULT_CASES[@]}"); EXPLICIT_CASES=0
fi

# Why a known reference peer cannot run a case (empty: it can).
unsupported_reason() { # CASE
    case "$COMPRESSION_CASES" in *" $1 "*)
        [ "$CLIENT_KIND" = go ] && { echo "grpc-go 1.33 interop client has no compression cases"; return; }
        [ "$SERVER_KIND" = go ] && { echo "grpc-go 1.33 interop server ignores expect_compressed/response_compressed"; return; }
    esac
}

KEEP_LOGS=1
if [ -z "$LOGDIR" ]; then LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/hodei-interop.XXXXXX")"; KEEP_LOGS=0; fi
mkdir -p "$LOGDIR"

SPID=""
stop_server() {
    [ -n "$SPID" ] || return 0
    kill -TERM -- "-$SPID" 2>/dev/null || kill -TERM "$SPID" 2>/dev/null
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$SPID" 2>/dev/null || break; sleep 0.3; done
    kill -KILL -- "-$SPID" 2>/dev/null || kill -KILL "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
    SPID=""
}
trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

free_port() {
    local p
    if command -v python3 >/dev/null 2>&1 && p="$(python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null)" && [ -n "$p" ]; then
        echo "$p"; return
    fi
    for _ in $(seq 50); do
        p=$(( 20000 + RANDOM % 30000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    echo 45000
}

start_server() { # -> sets SPID, PORT; returns 1 on failure
    local attempt t
    for attempt in 1 2 3; do
        PORT="$(free_port)"
        local cmd=("$SERVER" "--port=$PORT")
        [ "$TLS" = 1 ] && cmd+=("--use_tls=true")
        # Reference servers embed the test certificate; generic ones (Hodei) are given it.
        [ "$TLS" = 1 ] && [ "$SERVER_KIND" = generic ] && cmd+=("--tls_cert_file=$CERT_DIR/server1.pem" "--tls_key_file=$CERT_DIR/server1.key")
        cmd+=("${SERVER_EXTRA[@]+"${SERVER_EXTRA[@]}"}")
        echo "+ ${cmd[*]}" >"$LOGDIR/server.log"
        setsid "${cmd[@]}" >>"$LOGDIR/server.log" 2>&1 </dev/null &
        SPID=$!
        t=0
        while [ "$t" -lt $(( START_TIMEOUT * 10 )) ]; do
            kill -0 "$SPID" 2>/dev/null || break
            if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
            sleep 0.1; t=$(( t + 1 ))
        done
        # Alive but not listening: give up. Exited early (e.g. port taken): retry on another port.
        if kill -0 "$SPID" 2>/dev/null; then stop_server; return 1; fi
        stop_server
    done
    return 1
}

# Completion lines the grpc 1.51 C++ client logs at DEBUG level at the end of a successful case
# (extended regex). Cases without one (client_streaming, *_compressed_streaming) rely on the
# INTEROP_RESULT marker alone. The compressed-unary success lines really say "failed" (sic).
cpp_done_line() {
    case "$1" in
        empty_unary) echo 'Empty rpc done\.';;
        large_unary) echo 'Large unary done\.';;
        server_streaming) echo 'Response streaming done\.';;
        ping_pong) echo 'Ping pong streaming done\.';;
        empty_stream) echo 'empty_stream done\.';;
        custom_metadata) echo 'Done testing stream with custom metadata';;
        status_code_and_message) echo 'Done testing Status and Message';;
        special_status_message) echo 'Done testing Special Status Message';;
        unimplemented_method) echo 'unimplemented rpc done\.';;
        unimplemented_service) echo 'unimplemented service done\.';;
        timeout_on_sleeping_server) echo 'Pingpong streaming timeout done\.';;
        cancel_after_begin) echo 'Canceling streaming done\.';;
        cancel_after_first_response) echo 'Canceling pingpong streaming done\.';;
        client_compressed_unary) echo 'Compressed unary request failed \(compression=false\)';;
        server_compressed_unary) echo 'Request for compressed unary failed \(compression=false\)';;
        pick_first_unary) echo 'pick first unary successfully finished';;
        *) echo '';;
    esac
}
# "<X> done" lines the grpc-go 1.33 client logs after a successful case.
go_done_line() {
    case "$1" in
        empty_unary) echo EmptyUnaryCall;; large_unary) echo LargeUnaryCall;;
        client_streaming) echo ClientStreaming;; server_streaming) echo ServerStreaming;;
        ping_pong) echo Pingpong;; empty_stream) echo Emptystream;;
        timeout_on_sleeping_server) echo TimeoutOnSleepingServer;;
        cancel_after_begin) echo CancelAfterBegin;; cancel_after_first_response) echo CancelAfterFirstResponse;;
        status_code_and_message) echo StatusCodeAndMessage;; special_status_message) echo SpecialStatusMessage;;
        custom_metadata) echo CustomMetadata;; unimplemented_method) echo UnimplementedMethod;;
        unimplemented_service) echo UnimplementedService;; pick_first_unary) echo PickFirstUnary;;
        *) echo '';;
    esac
}

# One-line summary of the most telling error in a log.
first_error() { # LOG
    local l
    l="$(grep -m1 -E 'Unsupported test case|assertion failed|Assertion|Error status code|Failure:|FATAL|panic:|INTEROP_RESULT .* FAIL|^E[0-9]{4} ' "$1" 2>/dev/null \
        | sed -E 's/^[EDIWF][0-9]{4} [0-9:.]+ +[0-9]+ +[^]]*\] +//' | tr -s ' \t' ' ' | cut -c1-200)"
    [ -n "$l" ] || l="$(grep -v '^\s*$' "$1" 2>/dev/null | tail -n1 | tr -s ' \t' ' ' | cut -c1-200)"
    echo "$l"
}

# check_case CASE RC LOG -> prints reason and returns 1 on failure
check_case() {
    local c="$1" rc="$2" log="$3" pat
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        # A Go client dials with WithBlock, so e.g. a failed TLS handshake shows up as a hang.
        pat="$(grep -E 'WARNING|[Ee]rror|failed' "$log" | grep -v '^+ ' | tail -n1 | tr -s ' \t' ' ' | cut -c1-200)"
        echo "timed out after ${TIMEOUT}s${pat:+; last: $pat}"; return 1
    fi
    if [ "$rc" -gt 128 ]; then echo "client killed by signal $(( rc - 128 )): $(first_error "$log")"; return 1; fi
    if [ "$rc" != 0 ]; then echo "client exit $rc: $(first_error "$log")"; return 1; fi
    if grep -qE "INTEROP_RESULT $c FAIL" "$log"; then echo "client reported FAIL: $(first_error "$log")"; return 1; fi
    case "$CLIENT_KIND" in
        cpp)
            grep -qE "^INTEROP_RESULT $c PASS\$" "$log" || { echo "exit 0 but no 'INTEROP_RESULT $c PASS' line (unpatched client?)"; return 1; }
            if grep -qE 'Unsupported test case|assertion failed|Error status code|probe failed' "$log"; then
                echo "exit 0 but log shows failure: $(first_error "$log")"; return 1
            fi
            pat="$(cpp_done_line "$c")"
            if [ -n "$pat" ] && ! grep -qE "^D[0-9]{4} .*$pat" "$log"; then
                echo "no completion line /$pat/ in client log"; return 1
            fi
            if [ "$c" = cancel_after_first_response ]; then
                local st
                st="$(grep -oE 'GRPC_STATUS [0-9]+' "$log" | tail -n1 | awk '{print $2}')"
                [ "$st" = 1 ] || { echo "final status ${st:-none}, want 1 (CANCELLED)"; return 1; }
            fi
            ;;
        go)
            pat="$(go_done_line "$c")"
            if [ -n "$pat" ] && ! grep -qE "(INFO|\]).* $pat done" "$log"; then
                echo "exit 0 but no '$pat done' line in client log"; return 1
            fi
            grep -qE 'FATAL|Unsupported test case' "$log" && { echo "exit 0 but log shows failure: $(first_error "$log")"; return 1; }
            ;;
        *)
            if [ "$REQUIRE_MARKER" = 1 ] && ! grep -qE "INTEROP_RESULT $c PASS" "$log"; then
                echo "exit 0 but no 'INTEROP_RESULT $c PASS' line (--require-marker)"; return 1
            fi
            ;;
    esac
    return 0
}

MODE=h2c; [ "$TLS" = 1 ] && MODE=tls
[ "$HEADER" = 1 ] && echo "interop: server=$(basename "$SERVER") ($SERVER_KIND) client=$(basename "$CLIENT") ($CLIENT_KIND) mode=$MODE"

passed=0 failed=0 skipped=0
if ! start_server; then
    echo "FAIL server_start $(basename "$SERVER") did not accept connections on 127.0.0.1 within ${START_TIMEOUT}s: $(first_error "$LOGDIR/server.log")"
    echo "logs: $LOGDIR"
    echo "0 passed, 1 failed"
    exit 1
fi

for c in "${CASES[@]}"; do
    [ -n "$c" ] || continue
    if [ "$EXPLICIT_CASES" = 0 ]; then
        why="$(unsupported_reason "$c")"
        if [ -n "$why" ]; then echo "SKIP $c $why"; skipped=$(( skipped + 1 )); continue; fi
    fi
    if ! kill -0 "$SPID" 2>/dev/null; then
        echo "FAIL $c server is not running (exited earlier: $(first_error "$LOGDIR/server.log"))"
        failed=$(( failed + 1 )); continue
    fi
    log="$LOGDIR/$c.log"
    cmd=("$CLIENT" "--server_host=127.0.0.1" "--server_port=$PORT" "--test_case=$c")
    [ "$TLS" = 1 ] && cmd+=("--use_tls=true" "--use_test_ca=true" "--server_host_override=$TLS_HOST_OVERRIDE")
    [ "$TLS" = 1 ] && [ "$CLIENT_KIND" = generic ] && cmd+=("--ca_file=$CERT_DIR/ca.pem")
    [ "$CLIENT_KIND" = cpp ] && [ "$c" = cancel_after_first_response ] && cmd+=("--log_metadata_and_status=true")
    cmd+=("${CLIENT_EXTRA[@]+"${CLIENT_EXTRA[@]}"}")
    echo "+ ${cmd[*]}" >"$log"
    # In a subshell whose stderr is the log, so the shell's "Aborted" notes land there too.
    ( GRPC_VERBOSITY=DEBUG GRPC_GO_LOG_SEVERITY_LEVEL=info \
        timeout -k 5 "$TIMEOUT" "${cmd[@]}"; r=$?; exit $r ) >>"$log" 2>&1 </dev/null
    rc=$?
    if reason="$(check_case "$c" "$rc" "$log")"; then
        if ! kill -0 "$SPID" 2>/dev/null; then
            echo "FAIL $c server exited during the case: $(first_error "$LOGDIR/server.log")"; failed=$(( failed + 1 ))
        else
            echo "PASS $c"; passed=$(( passed + 1 ))
        fi
    else
        echo "FAIL $c $reason"; failed=$(( failed + 1 ))
    fi
done

if ! kill -0 "$SPID" 2>/dev/null; then
    echo "note: server exited before the end: $(first_error "$LOGDIR/server.log")"
fi
stop_server

if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$KEEP_LOGS" = 1 ]; then
    echo "logs: $LOGDIR"
else
    rm -rf "$LOGDIR"
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
