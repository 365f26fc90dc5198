#!/usr/bin/env bash
# Fetches and builds the reference gRPC interop client and server (C++ from Debian's `grpc`
# 1.51 source package, Go from Debian's `golang-google-grpc` 1.33 source package) against the
# libraries Debian ships. Nothing third-party lands in the repository: sources, objects and
# binaries live in $HODEI_INTEROP_CACHE (default /var/cache/hodei-interop when writable, else
# ~/.cache/hodei-interop).
#
# Idempotent and quiet: a second run with everything in place only prints the bin directory.
# Needs root (or passwordless sudo) for apt; never prompts (CI runs it with no stdin).
#
# Output: $CACHE/bin/{cpp_interop_client,cpp_interop_server,go_interop_client,go_interop_server}
#         $CACHE/certs/{ca.pem,server1.pem,server1.key}   (grpc's test CA and server cert)
# The last line printed is the bin directory.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi

if [ -n "${HODEI_INTEROP_CACHE:-}" ]; then
    CACHE="$HODEI_INTEROP_CACHE"
elif mkdir -p /var/cache/hodei-interop 2>/dev/null && [ -w /var/cache/hodei-interop ]; then
    CACHE=/var/cache/hodei-interop
else
    CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/hodei-interop"
fi
mkdir -p "$CACHE"/{src,bin,certs,logs,tools,build}
LOGS="$CACHE/logs"
# One build at a time per cache (two `make test`s at once would otherwise race).
exec 9>"$CACHE/.lock"
flock -w 1800 9 || { echo "interop-ref: ERROR: could not lock $CACHE/.lock" >&2; exit 1; }
BIN="$CACHE/bin"

# Bump when the recipe below changes, so cached binaries are rebuilt.
RECIPE_VERSION=4
STAMP="$CACHE/.built-v$RECIPE_VERSION"

T0=$(date +%s)
note() { echo "interop-ref: $*" >&2; }
die()  { echo "interop-ref: ERROR: $*" >&2; exit 1; }
# run LOGNAME CMD...: runs quietly, shows the log tail on failure.
run() {
    local log="$LOGS/$1.log"; shift
    if ! "$@" >"$log" 2>&1; then
        echo "interop-ref: command failed: $*" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}

have_all_outputs() {
    [ -f "$STAMP" ] || return 1
    local f
    for f in cpp_interop_client cpp_interop_server go_interop_client go_interop_server; do
        [ -x "$BIN/$f" ] || return 1
    done
    for f in ca.pem server1.pem server1.key; do [ -s "$CACHE/certs/$f" ] || return 1; done
}

# ---------------------------------------------------------------------------------------------
# 1. Debian packages: compilers, gRPC/protobuf/absl dev files, Go and the Go gRPC sources.
# ---------------------------------------------------------------------------------------------
PKGS=(dpkg-dev g++ pkg-config
      libgrpc++-dev libgrpc-dev libprotobuf-dev libabsl-dev protobuf-compiler protobuf-compiler-grpc
      golang-go golang-google-grpc-dev golang-golang-x-oauth2-google-dev golang-google-protobuf-dev)
# golang-google-grpc-dev depends on golang-github-golang-protobuf-1-3-dev | ...-1-5-dev (they
# conflict); whichever is installed is used, neither is forced (see step 5).
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

APT_OPTS=(-o DPkg::Lock::Timeout=600 -o APT::Sandbox::User=root -qq)
apt_updated=0
apt_update() {
    [ "$apt_updated" = 1 ] && return 0
    run apt-update $SUDO apt-get "${APT_OPTS[@]}" update
    apt_updated=1
}

if [ "${#missing[@]}" -gt 0 ]; then
    note "installing: ${missing[*]}"
    apt_update
    run apt-install $SUDO apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}"
fi

if have_all_outputs; then
    echo "$BIN"
    exit 0
fi

# ---------------------------------------------------------------------------------------------
# 2. deb-src entries (apt-get source needs them). If none exist, mirror the Debian `deb`
#    entries (same URIs, suites, components, keyring) as `deb-src` in a file of our own.
# ---------------------------------------------------------------------------------------------
have_deb_src() {
    grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}
if ! have_deb_src; then
    SRCFILE=/etc/apt/sources.list.d/hodei-debian-src
    tmp="$(mktemp)"
    # deb822 files: copy each paragraph whose Types has `deb` and whose URIs are Debian's.
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS=""; ORS="\n\n" }
             /(^|\n)Types:[^\n]*deb/ && /(^|\n)URIs:[^\n]*debian\.org/ {
                 sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f" >>"$tmp"
    done
    if [ -s "$tmp" ]; then
        $SUDO install -m 0644 "$tmp" "$SRCFILE.sources"
    else
        # one-line format: sources.list and *.list
        cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | sed -nE 's/^[[:space:]]*deb([[:space:]].*debian\.org.*)$/deb-src\1/p' >"$tmp" || true
        [ -s "$tmp" ] || printf 'deb-src http://deb.debian.org/debian %s main\n' \
            "$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")" >"$tmp"
        $SUDO install -m 0644 "$tmp" "$SRCFILE.list"
    fi
    rm -f "$tmp"
    note "added deb-src entries ($SRCFILE.*)"
    apt_updated=0
    apt_update
fi

# ---------------------------------------------------------------------------------------------
# 3. Sources: `apt-get source` into the cache (unpacked with dpkg-source, Debian patches applied).
# ---------------------------------------------------------------------------------------------
fetch_source() { # PKG DIRGLOB
    local pkg="$1" glob="$2" d
    d="$(ls -d "$CACHE"/src/$glob 2>/dev/null | head -n1 || true)"
    if [ -z "$d" ]; then
        if ! apt-cache showsrc "$pkg" 2>/dev/null | grep -q '^Package:'; then
            apt_updated=0; apt_update
        fi
        (cd "$CACHE/src" && run "source-$pkg" apt-get "${APT_OPTS[@]}" source "$pkg")
        d="$(ls -d "$CACHE"/src/$glob 2>/dev/null | head -n1 || true)"
        [ -n "$d" ] || die "apt-get source $pkg produced no $glob"
    fi
    echo "$d"
}
GRPC_SRC="$(fetch_source grpc 'grpc-1.*/')"; GRPC_SRC="${GRPC_SRC%/}"
GO_SRC="$(fetch_source golang-google-grpc 'golang-google-grpc-1.*/')"; GO_SRC="${GO_SRC%/}"
[ -d "$GRPC_SRC/test/cpp/interop" ] || die "$GRPC_SRC has no test/cpp/interop"
[ -d "$GO_SRC/interop" ] || die "$GO_SRC has no interop/"

T_FETCHED=$(date +%s)

# ---------------------------------------------------------------------------------------------
# 4. C++ interop client and server: only the files they need, linked against Debian's libgrpc++.
# ---------------------------------------------------------------------------------------------
CB="$CACHE/build/cpp"
mkdir -p "$CB/gen" "$CB/obj" "$CB/patched"
(cd "$GRPC_SRC" && run protoc-cpp protoc -I. --cpp_out="$CB/gen" --grpc_out="$CB/gen" \
    --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" \
    src/proto/grpc/testing/empty.proto src/proto/grpc/testing/messages.proto \
    src/proto/grpc/testing/test.proto)

# client.cc discards each test case's bool result (`actions[...]->second();` then `return 0`),
# so a case that returns false exits 0. The patched copy prints `INTEROP_RESULT <case> PASS|FAIL`
# and exits 1 on false. Nothing else in the reference client changes.
cp "$GRPC_SRC/test/cpp/interop/client.cc" "$CB/patched/client.cc"
PATCH_OLD='    actions.find(absl::GetFlag(FLAGS_test_case))->second();'
PATCH_NEW='    const bool hodei_ok = actions.find(absl::GetFlag(FLAGS_test_case))->second();
    fprintf(stdout, "INTEROP_RESULT %s %s\n", absl::GetFlag(FLAGS_test_case).c_str(),
            hodei_ok ? "PASS" : "FAIL");
    fflush(stdout);
    if (!hodei_ok) ret = 1;'
grep -qF "$PATCH_OLD" "$CB/patched/client.cc" || die "client.cc patch anchor not found (grpc changed?)"
PATCH_OLD="$PATCH_OLD" PATCH_NEW="$PATCH_NEW" perl -0pi -e \
    's/\Q$ENV{PATCH_OLD}\E/$ENV{PATCH_NEW}/; s/\A/#include <cstdio>\n/' "$CB/patched/client.cc"
grep -q 'INTEROP_RESULT' "$CB/patched/client.cc" || die "client.cc patch failed"

CXXFLAGS_IR="-std=c++17 -O1 -w -I$CB/gen -I$GRPC_SRC $(pkg-config --cflags grpc++ grpc protobuf absl_flags_parse)"
LIBS_IR="$(pkg-config --libs grpc++ grpc protobuf absl_flags_parse absl_failure_signal_handler)"
COMMON_SRCS=(
    test/cpp/util/create_test_channel.cc test/cpp/util/test_credentials_provider.cc
    test/cpp/util/test_config_cc.cc test/core/util/test_config.cc test/core/util/build.cc
    test/core/util/stack_tracer.cc test/core/util/histogram.cc test/core/event_engine/test_init.cc
    test/core/end2end/data/client_certs.cc test/core/end2end/data/server1_cert.cc
    test/core/end2end/data/server1_key.cc test/core/end2end/data/test_root_cert.cc
)
CLIENT_SRCS=(test/cpp/interop/client_helper.cc test/cpp/interop/interop_client.cc
             test/core/security/oauth2_utils.cc)
SERVER_SRCS=(test/cpp/interop/interop_server.cc test/cpp/interop/interop_server_bootstrap.cc
             test/cpp/interop/server_helper.cc)
GEN_SRCS=("$CB"/gen/src/proto/grpc/testing/{empty,messages,test}.pb.cc
          "$CB"/gen/src/proto/grpc/testing/test.grpc.pb.cc)

objname() { local s="${1#"$GRPC_SRC"/}"; s="${s#"$CB"/}"; echo "$CB/obj/$(echo "$s" | tr '/' '_').o"; }
abs() { case "$1" in /*) echo "$1";; *) echo "$GRPC_SRC/$1";; esac; }
ALL_SRCS=()
for s in "${COMMON_SRCS[@]}" "${CLIENT_SRCS[@]}" "${SERVER_SRCS[@]}"; do ALL_SRCS+=("$(abs "$s")"); done
ALL_SRCS+=("${GEN_SRCS[@]}" "$CB/patched/client.cc")
export CXXFLAGS_IR
compile_one() { o="$1"; s="$2"; g++ $CXXFLAGS_IR -c "$s" -o "$o.tmp" && mv "$o.tmp" "$o"; }
export -f compile_one
: >"$LOGS/cpp-compile.log"
for s in "${ALL_SRCS[@]}"; do
    o="$(objname "$s")"
    if [ ! -f "$o" ] || [ "$s" -nt "$o" ]; then printf '%s\0%s\0' "$o" "$s"; fi
done | xargs -0 -r -n2 -P "$(nproc)" bash -c 'compile_one "$0" "$1"' >>"$LOGS/cpp-compile.log" 2>&1 \
    || { tail -n 40 "$LOGS/cpp-compile.log" >&2; die "C++ compile failed (log: $LOGS/cpp-compile.log)"; }

objs() { local s; for s in "$@"; do objname "$(abs "$s")"; done; }
COMMON_OBJS=($(objs "${COMMON_SRCS[@]}" "${GEN_SRCS[@]}"))
run cpp-link-client g++ -o "$BIN/cpp_interop_client" "$(objname "$CB/patched/client.cc")" \
    $(objs "${CLIENT_SRCS[@]}") "${COMMON_OBJS[@]}" $LIBS_IR
run cpp-link-server g++ -o "$BIN/cpp_interop_server" $(objs "${SERVER_SRCS[@]}") \
    "${COMMON_OBJS[@]}" $LIBS_IR

T_CPP=$(date +%s)

# ---------------------------------------------------------------------------------------------
# 5. Go interop client and server, GOPATH mode, offline. Debian's golang-google-grpc-dev ships
#    google.golang.org/grpc without interop/, so interop/ is copied from the source package.
#    GOPATH order matters: /usr/share/gocode first, so google.golang.org/grpc itself comes from
#    Debian and only google.golang.org/grpc/interop/... from our tree.
#    Upstream interop/grpc_testing/test.pb.go is APIv2 code (needs proto.ProtoPackageIsVersion4,
#    i.e. github.com/golang/protobuf >= 1.4). With Debian's golang-github-golang-protobuf-1-3-dev
#    (the default alternative) it is regenerated with protoc-gen-go v1.3 built from that
#    package's own sources (the Debian `protoc-gen-go-1-3` package would replace `protoc-gen-go`
#    over /usr/bin/protoc-gen-go, so it is not installed); with ...-1-5-dev it is kept as is.
# ---------------------------------------------------------------------------------------------
GOP="$CACHE/gopath"
export GO111MODULE=off GOPROXY=off GOFLAGS= GOCACHE="$CACHE/gocache" GOPATH="/usr/share/gocode:$GOP"
GI="$GOP/src/google.golang.org/grpc/interop"
rm -rf "$GI" && mkdir -p "$GI"
cp -a "$GO_SRC/interop/client" "$GO_SRC/interop/server" "$GO_SRC/interop/grpc_testing" \
      "$GO_SRC/interop/test_utils.go" "$GI/"
if ! grep -qs ProtoPackageIsVersion4 /usr/share/gocode/src/github.com/golang/protobuf/proto/*.go; then
    [ -x "$CACHE/tools/protoc-gen-go-1-3" ] || \
        (cd /tmp && run go-protoc-gen-go go build -o "$CACHE/tools/protoc-gen-go-1-3" \
            github.com/golang/protobuf/protoc-gen-go)
    rm -f "$GI/grpc_testing/test.pb.go"
    run protoc-go protoc --plugin=protoc-gen-go="$CACHE/tools/protoc-gen-go-1-3" -I"$GO_SRC" \
        --go_out=paths=source_relative:"$GOP/src/google.golang.org/grpc" \
        "$GO_SRC/interop/grpc_testing/test.proto"
fi
(cd "$GOP/src/google.golang.org/grpc" && \
    run go-build-server go build -o "$BIN/go_interop_server" ./interop/server && \
    run go-build-client go build -o "$BIN/go_interop_client" ./interop/client)

T_GO=$(date +%s)

# ---------------------------------------------------------------------------------------------
# 6. Test certificates. The C++ binaries embed them (test/core/end2end/data/*.cc, the same PEMs
#    as src/core/tsi/test_creds/); the Go binaries read google.golang.org/grpc/testdata/ from
#    /usr/share/gocode (identical files). Copies for other implementations (Hodei):
# ---------------------------------------------------------------------------------------------
for f in ca.pem server1.pem server1.key; do
    cp "$GRPC_SRC/src/core/tsi/test_creds/$f" "$CACHE/certs/$f"
    if ! cmp -s "$CACHE/certs/$f" "/usr/share/gocode/src/google.golang.org/grpc/testdata/$f"; then
        note "warning: $f differs between grpc C++ and Go testdata"
    fi
done

touch "$STAMP"
note "built in $(( $(date +%s) - T0 ))s (apt+fetch $(( T_FETCHED - T0 ))s, C++ $(( T_CPP - T_FETCHED ))s, Go $(( T_GO - T_CPP ))s): C++ from $(basename "$GRPC_SRC"), Go from $(basename "$GO_SRC"); certs in $CACHE/certs"
echo "$BIN"
