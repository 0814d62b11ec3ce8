# openapply - the two commands:
#   make run    install what is missing, build, start the engine (and the sample career site)
#   make test   install what is missing, build, run every test (the store's on SQLite and on a
#               private PostgreSQL cluster), then again under ASan+UBSan
#
# Everything else here is a step of those two.

SHELL := /bin/bash
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
LISTEN     ?= 127.0.0.1:8080
SITE_PORT  ?= 8081
DB         ?= sqlite:openapply.db
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and the tests need. postgresql: the server binaries of the tests'
# private cluster (tools/pg-cluster.sh); postgresql-client: createdb/psql/dropdb of the e2e
# harness; libpq-dev: the PostgreSQL store; chromium: the headless browser of the dashboard's
# tests (tests/e2e/ui.test.mjs, driven by puppeteer-core, which never downloads a browser).
DEB_PKGS := build-essential cmake pkg-config git ca-certificates \
            libmicrohttpd-dev libcurl4-openssl-dev libjansson-dev libsqlite3-dev \
            libssl-dev libgumbo-dev libcmocka-dev sqlite3 curl jq clang-format \
            postgresql postgresql-client libpq-dev chromium

.PHONY: all deps deps-debian deps-node deps-bench build build-asan run test test-unit test-e2e \
        test-pg test-unit-pg test-e2e-pg test-asan format format-check clean bench fuzz

all: build

deps: deps-debian deps-node

# Where services may start on install, Debian's postgresql package creates and starts a system
# cluster on port 5432. The tests run their own cluster (tools/pg-cluster.sh), so right after
# installing we stop it again; only when this install is what added the server (the package
# postgresql itself, and no server binaries before): a cluster that was already there is left
# alone.
deps-debian:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm  >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  pg_before=$$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null || true); \
	  echo "==> installing Debian packages:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing && \
	  case " $$missing " in *" postgresql "*) \
	    [ -n "$$pg_before" ] || $(SUDO) service postgresql stop >/dev/null 2>&1 || true ;; esac; \
	fi

# Test tools from the npm registry (ajv for schema validation, standardwebhooks, puppeteer-core
# to drive Debian's chromium), pinned by
# tests/e2e/package-lock.json.
deps-node: deps-debian
	@if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.installed ]; then \
	  echo "==> installing npm test tools"; \
	  cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	fi

build: deps-debian
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOA_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

build-asan: deps-debian
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOA_SANITIZE=ON -DOA_WERROR=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

# Starts the sample career site in the background and the engine in the foreground; Ctrl-C
# stops both. Private networks are allowed so the engine may fetch the local sample site.
# Every OPENAPPLY_* variable reaches the engine: --listen and --db are passed only when LISTEN
# or DB are given to make (`make run LISTEN=...`, which wins) or the variable is not set.
RUN_LISTEN := $(if $(filter command line,$(origin LISTEN)),$(LISTEN),$(or $(OPENAPPLY_LISTEN),$(LISTEN)))
RUN_FLAGS  := $(if $(and $(OPENAPPLY_LISTEN),$(filter-out command line,$(origin LISTEN))),,--listen $(LISTEN)) \
              $(if $(and $(OPENAPPLY_DB),$(filter-out command line,$(origin DB))),,--db $(DB)) \
              --allow-private-networks
run: build deps-node
	@in_use() { (exec 3<>"/dev/tcp/$${1%:*}/$${1##*:}") 2>/dev/null; }; \
	if in_use "$(RUN_LISTEN)"; then \
	  echo "make run: $(RUN_LISTEN) is already in use: another engine (or another program) is running there."; \
	  echo "          Stop it, or pick another address: make run LISTEN=127.0.0.1:8090"; exit 2; fi; \
	if in_use "127.0.0.1:$(SITE_PORT)"; then \
	  echo "make run: port $(SITE_PORT) for the sample career site is already in use (another make run?)."; \
	  echo "          Stop it, or pick another port: make run SITE_PORT=8091"; exit 2; fi; \
	node examples/career-site/server.mjs --host 127.0.0.1 --port $(SITE_PORT) & site=$$!; \
	trap 'kill $$site 2>/dev/null' EXIT INT TERM; \
	sleep 0.3; \
	echo "==> sample career site: http://127.0.0.1:$(SITE_PORT)/  (jobs under /jobs/...)"; \
	echo "==> engine: http://$(RUN_LISTEN); Ctrl-C to stop"; \
	$(BUILD)/openapply serve $(RUN_FLAGS)

# The store runs on SQLite and on PostgreSQL. One private PostgreSQL cluster serves the whole
# `make test` (both builds): PG_CLUSTER starts it in a mktemp -d folder and exports its DSN as
# OA_TEST_PG to the sub-makes; a trap of the same shell stops it and removes the folder when the
# shell exits, whether the tests passed, failed, or make was interrupted. test-unit and test-e2e
# run on SQLite; test-unit-pg (the store suite, ctest -L store) and test-e2e-pg
# (OA_E2E_DB=postgres: each engine of the harness gets its own database on the cluster) run on
# PostgreSQL, after them.
test: deps build build-asan
	@$(PG_CLUSTER); \
	$(MAKE) --no-print-directory test-unit test-e2e test-unit-pg test-e2e-pg BIN_DIR=$(BUILD); \
	echo "==> again under AddressSanitizer + UndefinedBehaviorSanitizer"; \
	$(MAKE) --no-print-directory test-unit test-e2e test-unit-pg test-e2e-pg BIN_DIR=$(ASAN_BUILD) SANITIZED=1
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory format-check
	@tools/checksrc.sh
	@echo "==> all tests passed"

BIN_DIR ?= $(BUILD)
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Shell code that starts a private PostgreSQL cluster for the rest of its recipe line and exports
# OA_TEST_PG (its DSN, postgres://openapply:PASSWORD@127.0.0.1:PORT/postgres); the EXIT trap
# stops it and removes its folder (keeping the server log in $(BUILD)/pg-cluster.log when the
# shell fails). Interrupted, the shell exits at once, and so runs the EXIT trap.
PG_CLUSTER = set -e; \
  pgdir=$$(mktemp -d "$${TMPDIR:-/tmp}/oa-pg.XXXXXX"); \
  trap 'rc=$$?; if [ $$rc != 0 ] && [ -f "$$pgdir/log" ] && [ -d $(BUILD) ]; then \
          cp "$$pgdir/log" $(BUILD)/pg-cluster.log && echo "==> PostgreSQL server log: $(BUILD)/pg-cluster.log"; fi; \
        tools/pg-cluster.sh stop "$$pgdir" || true; rm -rf "$$pgdir"' EXIT; \
  trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; \
  echo "==> private PostgreSQL cluster in $$pgdir"; \
  OA_TEST_PG=$$(tools/pg-cluster.sh start "$$pgdir"); export OA_TEST_PG

# The PostgreSQL runs need a cluster: OA_TEST_PG, set by make test / make test-pg, or by hand
# for a server of your own (make test-unit-pg OA_TEST_PG=postgres://USER:PASS@HOST:PORT/DB).
PG_REQUIRED = [ -n "$$OA_TEST_PG" ] || { echo "make $@: OA_TEST_PG is not set: run make test-pg" \
  "(starts a private cluster), or set OA_TEST_PG=postgres://USER:PASS@HOST:PORT/DBNAME"; exit 2; }

# On SQLite: OA_TEST_PG is hidden from ctest, so the store suite runs on SQLite here whatever
# the environment says.
test-unit:
	@echo "==> unit tests ($(BIN_DIR))"
	@cd $(BIN_DIR) && env -u OA_TEST_PG $(SAN_ENV) ctest --output-on-failure -j$(JOBS)

# The store suite (tests labelled `store`) again, on the PostgreSQL cluster of OA_TEST_PG.
test-unit-pg:
	@$(PG_REQUIRED)
	@echo "==> unit tests of the store on PostgreSQL ($(BIN_DIR), ctest -L store)"
	@cd $(BIN_DIR) && $(SAN_ENV) ctest --output-on-failure -j$(JOBS) -L store

test-e2e: deps-node
	@echo "==> end-to-end tests ($(BIN_DIR)/openapply)"
	@$(SAN_ENV) OA_E2E_DB=sqlite OA_BIN=$(abspath $(BIN_DIR))/openapply OA_SANITIZED=$(SANITIZED) \
	  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

# The end-to-end tests again with every engine on a fresh database of the OA_TEST_PG cluster
# (tests about SQLite alone skip themselves).
test-e2e-pg: deps-node
	@$(PG_REQUIRED)
	@echo "==> end-to-end tests on PostgreSQL ($(BIN_DIR)/openapply)"
	@$(SAN_ENV) OA_E2E_DB=postgres OA_BIN=$(abspath $(BIN_DIR))/openapply OA_SANITIZED=$(SANITIZED) \
	  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

# For developers: the PostgreSQL runs of the normal build alone, on a private cluster.
test-pg: deps build
	@$(PG_CLUSTER); \
	$(MAKE) --no-print-directory test-unit-pg test-e2e-pg BIN_DIR=$(BUILD)

# libFuzzer targets (clang, ASan+UBSan) for the parsers of outside input: webhook signatures,
# event bodies, career-site HTML, API bodies, ATS vendor answers. Each runs FUZZ_TIME seconds from its committed seed
# corpus (tests/fuzz/corpus/TARGET; fuzz_html seeds from the saved career pages of
# tests/fixtures/forms and examples/career-site/pages); new inputs go to
# $(FUZZ_BUILD)/corpus/TARGET, a crash stops make
# and leaves $(FUZZ_BUILD)/crash-* to reproduce with `$(FUZZ_BUILD)/TARGET FILE`.
FUZZ_BUILD   ?= build-fuzz
FUZZ_TIME    ?= 20
FUZZ_TARGETS := fuzz_verify fuzz_event fuzz_html fuzz_api fuzz_ats

fuzz: deps-debian
	@echo "==> fuzzing ($(FUZZ_TIME) s per target: $(FUZZ_TARGETS))"
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DOA_FUZZ=ON \
	  -DOA_TESTS=OFF -DOA_WERROR=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(FUZZ_TARGETS) >$(FUZZ_BUILD)/build.log 2>&1 \
	  || { cat $(FUZZ_BUILD)/build.log; exit 1; }
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  seeds=tests/fuzz/corpus/$$t; \
	  if [ $$t = fuzz_html ]; then seeds="tests/fixtures/forms examples/career-site/pages"; fi; \
	  dict=""; if [ -f tests/fuzz/$$t.dict ]; then dict="-dict=tests/fuzz/$$t.dict"; fi; \
	  if ! $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	      -artifact_prefix=$(FUZZ_BUILD)/ $$dict $(FUZZ_BUILD)/corpus/$$t $$seeds \
	      >$(FUZZ_BUILD)/$$t.log 2>&1; then \
	    tail -40 $(FUZZ_BUILD)/$$t.log; echo "fuzz: $$t failed (log: $(FUZZ_BUILD)/$$t.log)"; exit 1; \
	  fi; \
	  echo "    $$t: $$(grep -o 'cov: [0-9]* ft: [0-9]*' $(FUZZ_BUILD)/$$t.log | tail -1)," \
	    "$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_BUILD)/$$t.log) execs," \
	    "$$(sed -n 's/^stat::average_exec_per_sec: *//p' $(FUZZ_BUILD)/$$t.log)/s"; \
	done

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@bad=$$(for f in $$(git ls-files '*.c' '*.h'); do clang-format --dry-run -Werror $$f >/dev/null 2>&1 || echo $$f; done); \
	if [ -n "$$bad" ]; then echo "clang-format disagrees with: $$bad (run make format)"; exit 1; fi

# Benchmark tools from Debian: nginx (the fast local webhook receiver of bench/drain.mjs, run on
# a free loopback port with its own temporary prefix and config) and wrk (the HTTP load generator
# the drain rate is compared with). Where services may start on install, Debian's nginx package
# starts a system nginx on port 80 with the default site; the benchmarks do not use it, so right
# after installing we stop it again (never a system nginx that was already there).
BENCH_PKGS := nginx wrk

deps-bench: deps-debian
	@missing=""; for p in $(BENCH_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "==> installing Debian packages for the benchmarks:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing && \
	  case "$$missing" in *nginx*) $(SUDO) service nginx stop >/dev/null 2>&1 || true ;; esac; \
	fi

# Every benchmark (bench/run.sh), on SQLite, then writes and the webhook drain again on
# PostgreSQL with 1 and 3 nodes: each PostgreSQL run starts a private cluster with
# tools/pg-cluster.sh (fsync off: not durable figures) unless OA_TEST_PG is set. Sizes and
# counts: the variables listed at the top of bench/run.sh (e.g. make bench PG_DRAIN_SIZES=1000,100000).
bench: build deps-node deps-bench
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-dev $(FUZZ_BUILD)
