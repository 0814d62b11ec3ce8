#!/usr/bin/env bash
# Runs every benchmark against the release build and prints the figures.
#   OA_BIN=path/to/openapply   the engine (default build/openapply)
#   EVENTS=2000                events per bench/webhooks.mjs run
#   DRAIN_SIZES=1000,10000,100000 DRAIN_TIMEOUT=120   backlogs of bench/drain.mjs, seconds per drain
#   STEADY_RATE=1000 STEADY_SECONDS=60                 load of bench/steady.mjs
# drain.mjs needs nginx and wrk (`make deps-bench`, which `make bench` runs first).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OA_BIN:-$PWD/build/openapply}
echo "== API (bench/api.mjs)"
node bench/api.mjs --bin "$BIN"
echo "== API reads at 1k and 100k stored postings, beside nginx (bench/reads.mjs)"
node bench/reads.mjs --bin "$BIN"
echo "== API writes: archive calls through wrk, group commit (bench/writes.mjs)"
node bench/writes.mjs --bin "$BIN"
echo "== webhook delivery (bench/webhooks.mjs)"
for c in 1 16; do
  node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency "$c"
done
node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency 16 \
  --engine-args "--endpoint-concurrency 16"
echo "== webhook drain from a backlog, beside wrk (bench/drain.mjs)"
node bench/drain.mjs --bin "$BIN" --sizes "${DRAIN_SIZES:-1000,10000,100000}" --concurrency 8,16 \
  --timeout "${DRAIN_TIMEOUT:-120}"
echo "== steady load: alone, then beside a failing and a hanging neighbour (bench/steady.mjs)"
node bench/steady.mjs --bin "$BIN" --rate "${STEADY_RATE:-1000}" --seconds "${STEADY_SECONDS:-60}" \
  --neighbour failing,hanging
