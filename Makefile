# The jobs a developer and CI run. `make test` is what CI runs (see .ci/run).

GO ?= go

# staticcheck is fetched through the Go module proxy at this version by `go run`, so it
# needs no install step and stays out of go.mod.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Portkey's published OpenAPI description, which `make conformance` compares openapi.yaml
# with. CI always has shared/ beside the repository.
UPSTREAM ?= ../shared/reference/portkey-openapi/openapi.yaml

.PHONY: generate drift check conformance test fuzz bench demo offboard-demo

## generate: regenerate generated/ from openapi.yaml with the pinned oapi-codegen.
generate:
	$(GO) generate ./...

## drift: regenerate in a scratch copy of the generator inputs and fail if generated/
## differs from the result in any way: an edited file, a missing one, or one too many,
## committed or not. The working tree is left as it is.
drift:
	@scratch="$$(mktemp -d)"; trap 'rm -rf "$$scratch"' EXIT; \
	cp -R go.mod go.sum gen.go tools.go openapi.yaml api "$$scratch"/ && \
	(cd "$$scratch" && $(GO) generate .) && \
	if ! diff -r generated "$$scratch/generated"; then \
		echo "generated/ is not what openapi.yaml generates: run make generate and commit"; exit 1; fi

## check: the drift check, then format, tidy, vet and staticcheck.
check: drift
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then \
		echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## conformance: compare openapi.yaml with Portkey's published description (UPSTREAM) and
## fail on any difference that api/deviations.yaml does not list, or on a listed one that
## no longer applies.
conformance:
	$(GO) run ./api/cmd/conformance -upstream "$(UPSTREAM)"

## test: everything CI runs: check, conformance, the race-enabled tests with the
## examples, a short run of each fuzz target, the two demos.
test: check conformance
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz
	$(MAKE) demo
	$(MAKE) offboard-demo

# FUZZTIME is how much each fuzz target explores beyond its committed seeds
# (testdata/fuzz), counted in calls: 40000x is about ten seconds a target on two cores.
# A count, not a duration, because Go's fuzzer (before 1.27) can fail a run that is cut
# off by its own clock mid-call, with "context deadline exceeded" and no failing input;
# a count has no clock to race. FUZZMINIMIZE bounds, in calls too, the shrinking of each
# new input, which otherwise may take a minute while nothing else is explored.
# `go test` alone runs the seeds only; raise FUZZTIME for a longer hunt,
# e.g. make fuzz FUZZTIME=5000000x.
FUZZTIME ?= 40000x
FUZZMINIMIZE ?= 2000x

## fuzz: run each fuzz target of package wrapper (as `go test -list` finds them) for
## FUZZTIME calls. A failing input is written to wrapper/testdata/fuzz, where it becomes
## a seed once the fault is fixed.
fuzz:
	@targets="$$($(GO) test -list '^Fuzz' ./wrapper | grep '^Fuzz')" || exit 1; \
	for target in $$targets; do \
		$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./wrapper || exit 1; \
	done

# benchstat prints the side-by-side tables; like staticcheck it is fetched by `go run`.
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
# BENCHCOUNT is how many rounds of the overhead benchmarks run; the tables use every one.
BENCHCOUNT ?= 10

## bench: everything BENCHMARKS.md records. The overhead benchmarks (wrapper, generated
## client, plain net/http; serial and parallel) run BENCHCOUNT rounds, each round every
## way once, so that a machine getting faster or slower during the run favours none,
## and each round also runs the three ways interleaved in short blocks
## (BenchmarkDeletePaired), whose ratios the time budget is judged on. benchstat prints
## the ways side by side and benchratio checks the budget. Then the other
## benchmarks, the bulk run under a rate limit with and without the shared wait, and the
## heap while removing users. Every step runs; the exit status is 1 at the end when the
## wrapper was over its budget. `make test` only compiles the benchmarks.
bench:
	@dir="$$(mktemp -d)"; trap 'rm -rf "$$dir"' EXIT; \
	$(GO) test -c -o "$$dir/wrapper.test" ./wrapper || exit 1; \
	for round in $$(seq $(BENCHCOUNT)); do \
		"$$dir/wrapper.test" -test.run '^$$' -test.bench '^BenchmarkDelete$$' -test.benchmem \
			-test.count 1 >> "$$dir/overhead.txt" || { cat "$$dir/overhead.txt"; exit 1; }; \
		"$$dir/wrapper.test" -test.run '^$$' -test.bench '^BenchmarkDeletePaired$$' \
			-test.benchtime 2s -test.count 1 >> "$$dir/paired.txt" || { cat "$$dir/paired.txt"; exit 1; }; \
	done; \
	cat "$$dir/overhead.txt" "$$dir/paired.txt" && \
	$(GO) run $(BENCHSTAT) -col '/way@(nethttp generated wrapper)' -row /mode "$$dir/overhead.txt" || exit 1; \
	cat "$$dir/overhead.txt" "$$dir/paired.txt" > "$$dir/all.txt"; \
	$(GO) run ./internal/benchratio "$$dir/all.txt"; budget=$$?; \
	$(GO) test -p 1 -run '^$$' -bench 'MaskStringHostile' -benchmem -count 3 ./wrapper && \
	$(GO) run ./examples/bulk-remove -compare && \
	$(GO) run ./examples/bulk-remove -heap || exit 1; \
	if [ $$budget -ne 0 ]; then echo "the wrapper was over its budget beside net/http (see above)"; fi; \
	exit $$budget

## demo: remove user_123 from the built-in local control plane. The Portkey variables
## are cleared so that the demo never reaches a real organisation.
demo:
	env -u PORTKEY_API_KEY -u PORTKEY_BASE_URL $(GO) run ./examples/remove-user user_123

## offboard-demo: offboard alan@example.com from the built-in local control plane: out of
## his workspaces, his pending invite cancelled, his user deleted. The Portkey variables
## are cleared, as for demo.
offboard-demo:
	env -u PORTKEY_API_KEY -u PORTKEY_BASE_URL $(GO) run ./examples/offboard alan@example.com
