# openapply - the two commands:
#   make run    install what is missing, build, start the engine (and the sample career site)
#   make test   install what is missing, build, run every test, then again under ASan+UBSan
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

# Debian packages the build and the tests need.
DEB_PKGS := build-essential cmake pkg-config git ca-certificates \
            libmicrohttpd-dev libcurl4-openssl-dev libjansson-dev libsqlite3-dev \
            libssl-dev libgumbo-dev libcmocka-dev sqlite3 curl jq clang-format

.PHONY: all deps deps-debian deps-node deps-bench build build-asan run test test-unit test-e2e \
        test-asan format format-check clean bench fuzz

all: build

deps: deps-debian deps-node

deps-debian:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm  >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "==> installing Debian packages:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Test tools from the npm registry (ajv for schema validation, standardwebhooks), pinned by
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

test: deps build build-asan
	@$(MAKE) --no-print-directory test-unit test-e2e BIN_DIR=$(BUILD)
	@echo "==> again under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory test-unit test-e2e BIN_DIR=$(ASAN_BUILD) SANITIZED=1
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory format-check
	@tools/checksrc.sh
	@echo "==> all tests passed"

BIN_DIR ?= $(BUILD)
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

test-unit:
	@echo "==> unit tests ($(BIN_DIR))"
	@cd $(BIN_DIR) && $(SAN_ENV) ctest --output-on-failure -j$(JOBS)

test-e2e: deps-node
	@echo "==> end-to-end tests ($(BIN_DIR)/openapply)"
	@$(SAN_ENV) OA_BIN=$(abspath $(BIN_DIR))/openapply OA_SANITIZED=$(SANITIZED) \
	  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

# libFuzzer targets (clang, ASan+UBSan) for the parsers of outside input: webhook signatures,
# event bodies, career-site HTML, API bodies. Each runs FUZZ_TIME seconds from its committed seed
# corpus (tests/fuzz/corpus/TARGET; fuzz_html seeds from the saved career pages of
# tests/fixtures/forms and examples/career-site/pages); new inputs go to
# $(FUZZ_BUILD)/corpus/TARGET, a crash stops make
# and leaves $(FUZZ_BUILD)/crash-* to reproduce with `$(FUZZ_BUILD)/TARGET FILE`.
FUZZ_BUILD   ?= build-fuzz
FUZZ_TIME    ?= 20
FUZZ_TARGETS := fuzz_verify fuzz_event fuzz_html fuzz_api

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

bench: build deps-node deps-bench
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-dev $(FUZZ_BUILD)
