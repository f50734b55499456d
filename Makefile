# Heatshield — routine tasks. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
RUN_DIR ?= data
CONFORMANCE_PORT ?= 18480

.PHONY: help run build web test test-rust test-conformance test-web bench fmt lint schema clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

run: web ## Build the web app and the server, then serve them on http://localhost:8080 with demo data (SQLite)
	$(CARGO) build --release --bin heatshield
	./target/release/heatshield --data-dir $(RUN_DIR) serve --demo --web-dir web/dist

build: web ## Build the web app and the release server
	$(CARGO) build --release --bin heatshield

web: ## Build the web app into web/dist (installs its npm packages when needed)
	@if [ -f web/package.json ]; then \
		(cd web && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || $(NPM) ci --no-audit --no-fund; } && $(NPM) run build); \
	else echo "web/: no app yet"; fi

test: test-rust test-conformance test-web ## Everything: Rust tests on SQLite and PostgreSQL, protocol conformance (HTTP and WebSocket), web tests

test-rust: ## Unit and black-box API tests (SQLite and PostgreSQL)
	$(CARGO) build --locked --bin heatshield
	$(CARGO) test --workspace --locked

test-conformance: ## Protocol conformance against a running server: the graphql-http audit (GraphQL over HTTP) and the npm graphql-ws client as a graphql-transport-ws peer
	$(CARGO) build --locked --bin heatshield
	cd tests/conformance && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || $(NPM) ci --no-audit --no-fund; }
	@dir=$$(mktemp -d); \
	HEATSHIELD_WS_INIT_TIMEOUT=1 HEATSHIELD_WS_KEEPALIVE=1 ./target/debug/heatshield --data-dir $$dir serve --demo --bind 127.0.0.1:$(CONFORMANCE_PORT) --web-dir $$dir/none > $$dir/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; rm -rf $$dir' EXIT; \
	for i in $$(seq 1 150); do curl -sf http://127.0.0.1:$(CONFORMANCE_PORT)/healthz >/dev/null && break; sleep 0.2; done; \
	node tests/conformance/audit.mjs http://127.0.0.1:$(CONFORMANCE_PORT)/graphql; \
	node tests/conformance/ws.mjs http://127.0.0.1:$(CONFORMANCE_PORT) || { tail -n 40 $$dir/server.log; exit 1; }

test-web: ## Web typecheck, lint, unit and browser tests
	@if [ -f web/package.json ]; then $(MAKE) -C web test; else echo "web/: no app yet"; fi

bench: ## Benchmarks (release build); prints their figures
	$(CARGO) build --release --locked --bin heatshield --bin heatshield-bench
	./target/release/heatshield-bench

fmt: ## Format the code
	$(CARGO) fmt --all

lint: ## rustfmt check, clippy with warnings as errors, web lint
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	@if [ -f web/package.json ]; then (cd web && $(NPM) run typecheck && $(NPM) run lint); fi

schema: ## Regenerate schema.graphql from the server
	$(CARGO) run --quiet --bin heatshield -- export-schema --output schema.graphql

clean: ## Remove build output
	$(CARGO) clean
	rm -rf web/dist web/node_modules tests/conformance/node_modules
