# The jobs a developer and CI run. `make test` is what CI runs (see .ci/run).

GO ?= go

# staticcheck is fetched through the Go module proxy at this version by `go run`, so it
# needs no install step and stays out of go.mod.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: generate check test bench demo

## generate: regenerate generated/ from openapi.yaml with the pinned oapi-codegen.
generate:
	$(GO) generate ./...

## check: regenerate and fail on any drift (changed or new files), then format, tidy,
## vet and staticcheck.
check: generate
	git diff --exit-code -- generated/
	@drift="$$(git status --porcelain -- generated/)"; if [ -n "$$drift" ]; then \
		echo "generated/ has files git does not know:"; echo "$$drift"; exit 1; fi
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then \
		echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## test: everything CI runs: check, the race-enabled tests with the examples, the demo.
test: check
	$(GO) test -race -count=1 ./...
	$(MAKE) demo

## bench: the benchmarks, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./...

## demo: remove user_123 from the built-in local control plane. The Portkey variables
## are cleared so that the demo never reaches a real organisation.
demo:
	env -u PORTKEY_API_KEY -u PORTKEY_BASE_URL $(GO) run ./examples/remove-user user_123
