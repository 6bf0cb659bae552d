# peermap: every target is one or two plain go commands (STYLE.md rule 19).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 30s
CIFUZZTIME ?= 10s

.PHONY: all build test race short demo bench bench-go bench-scale fuzz lint golden readme cover deps clean webeval load

all: build

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/ ./cmd/peermap ./cmd/peermap-extract

deps:
	@scripts/deps.sh

# Tests that skip themselves under -race (real-data runs too slow with it):
# run again, without -race, by make test.
RACE_SKIPPED := TestSynergy|TestSynergyGroups|TestScale

# The test command of README.md and .ci/run: vet, every test with the race
# detector, the race-skipped tests without it, then each fuzz target briefly.
test: deps
	$(GO) vet $(PKGS)
	$(GO) test -race -timeout 30m $(PKGS)
	$(GO) test -count=1 -timeout 20m -run '^($(RACE_SKIPPED))$$' $(PKGS)
	@scripts/fuzz.sh $(CIFUZZTIME)

short:
	$(GO) test -short $(PKGS)

# Runs the whole pipeline on the embedded example corpus and prints where the report is.
demo: build
	@scripts/deps.sh poppler
	./bin/peermap -w demo-out demo

# One table, every figure a ratio against the tool a user would pick instead, measured in the same run
# (doc/performance.md keeps the latest). BENCHFLAGS passes flags on, e.g. BENCHFLAGS="-rows index,search -runs 3".
bench: build
	@scripts/deps.sh poppler recoll
	$(GO) run ./cmd/peermap-bench table -peermap bin/peermap -doc doc/performance.md $(BENCHFLAGS)

# Throughput and memory at 10k, 100k and 1M passages, and one incremental re-run (long: not part of test).
bench-scale: build
	$(GO) run ./cmd/peermap-bench scale -peermap bin/peermap -doc doc/performance.md $(BENCHFLAGS)

# The Go benchmarks of every package (one per stage).
bench-go: deps
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x $(PKGS)

# Web main-text benchmark (../shared/corpus/webeval): precision, recall, F1; fails below the recorded F1.
webeval:
	$(GO) test ./ingest -run '^TestWebEval$$' -count 1 -v

# The bounded load test of 'peermap serve' (20 clients for 30 s on a workspace of 20k+ passages built
# from ../shared/corpus; LOAD_WS keeps that workspace between runs). Not part of 'make test'.
LOAD_WS ?=
load:
	PEERMAP_LOAD=1 PEERMAP_LOAD_WS=$(LOAD_WS) $(GO) test -run '^TestLoad$$' -v -timeout 30m ./web

# Each fuzz target for FUZZTIME (go test allows one -fuzz target per run).
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

lint:
	@test -z "$$(gofmt -l . | grep -v testdata/)" || (gofmt -l . | grep -v testdata/; echo "gofmt: files above need formatting"; exit 1)
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

# Rewrites README.md's marked examples with the real output of the commands on the demo corpus.
readme:
	$(GO) test ./cmd/peermap -run TestReadmeExamples -update

golden:
	$(GO) test ./ingest/... ./annotate ./index ./report ./web ./cmd/peermap -update

cover:
	$(GO) test -coverprofile=cover.out $(PKGS) && $(GO) tool cover -func=cover.out | tail -1

clean:
	rm -rf bin demo-out cover.out
