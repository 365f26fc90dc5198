# Hodei: `make run` and `make test` do all the set-up on a fresh machine.
SWIFT ?= swift

.PHONY: all deps build test run generate bench bench-codec fuzz clean

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

run: deps
	@bash scripts/run.sh

bench: bench-codec

bench-codec: deps
	@bash Benchmarks/Codec/run.sh

fuzz: deps
	@bash scripts/fuzz.sh

clean:
	rm -rf .build
