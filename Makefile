# Hodei: `make run` and `make test` do all the set-up on a fresh machine.
SWIFT ?= swift

.PHONY: all deps build test interop run generate bench bench-codec bench-rpc bench-scheduler bench-dispatch bench-compare fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

generate:
	@bash scripts/generate.sh

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(MAKE) interop

# The official gRPC interop cases in both directions: Hodei's server against the reference
# C++ and Go clients, Hodei's client against their servers (built from Debian's grpc and
# golang-google-grpc sources), over h2c and over TLS with the reference test certificates.
interop: deps
	$(SWIFT) build --product hodei-interop-server --product hodei-interop-client
	bash Interop/test.sh --modes h2c,tls \
	    --hodei-server "$$($(SWIFT) build --show-bin-path)/hodei-interop-server" \
	    --hodei-client "$$($(SWIFT) build --show-bin-path)/hodei-interop-client" -- --require-marker

run: deps
	@bash scripts/run.sh

bench: bench-codec bench-rpc bench-scheduler bench-dispatch

bench-codec: deps
	@bash Benchmarks/Codec/run.sh

# RPC-U/L/B/I against grpc-go, grpc C++ and grpc-swift-2 serving the same proto, in one run.
bench-rpc: deps
	$(SWIFT) build -c release --product hodei-bench-echo
	SERVERS="$${SERVERS:-hodei grpc-go grpc-cpp grpc-swift-2}" \
	    SERVER_CMD_hodei="$$($(SWIFT) build -c release --show-bin-path)/hodei-bench-echo" \
	    bash Benchmarks/RPC/run.sh

# Placements per second over fleets of 100 / 1,000 / 10,000 workers with 1,000 and
# 1,000,000 jobs queued (pure scheduler, release build, pinned to one core).
bench-scheduler: deps
	bash Benchmarks/Scheduler/run.sh

fuzz: deps
	@bash scripts/fuzz.sh

clean:
	rm -rf .build

# DISPATCH-T/L/P, SCALE-W and STORM (shared BENCHMARKS.md) with hodei-load against a release
# hodei-server: server on core 0, load on core 1, 3 repetitions, one table. Options in
# Benchmarks/Dispatch/run.sh (e.g. SCENARIOS="T L" REPS=1).
bench-dispatch: deps
	bash Benchmarks/Dispatch/run.sh

# DISPATCH-T and DISPATCH-L on Hodei, Gearman and Celery+Redis side by side in one run, with
# the ratios Hodei/peer (installs gearman-job-server, libgearman-dev, redis-server, celery).
bench-compare: deps
	bash Benchmarks/Dispatch/compare.sh
