#!/usr/bin/env bash
# Runs every benchmark against the release build and prints the figures.
#   OA_BIN=path/to/openapply   the engine (default build/openapply); bench/forms.mjs takes the
#                              oa-extract beside it
#   EVENTS=2000                events per bench/webhooks.mjs run
#   DRAIN_SIZES=1000,10000,100000 DRAIN_TIMEOUT=120   backlogs of bench/drain.mjs, seconds per drain
#   STEADY_RATE=1000 STEADY_SECONDS=60                 load of bench/steady.mjs
# Then bench/writes.mjs and bench/drain.mjs again on PostgreSQL (--db postgres), with 1 and 3
# engines ("nodes") on one database, and the figures of both stores side by side at the end:
#   PG_NODES="1 3"                                     node counts of the PostgreSQL runs
#   PG_DRAIN_SIZES=1000,10000 PG_DRAIN_TIMEOUT=120     backlogs of the PostgreSQL drains; for 100k:
#                                                      PG_DRAIN_SIZES=1000,10000,100000 PG_DRAIN_TIMEOUT=300
#                                                      (by hand: node bench/drain.mjs --db postgres
#                                                      --nodes 3 --sizes 1000,100000 --timeout 300)
#   OA_TEST_PG=postgres://USER:PASS@HOST:PORT/DB       a cluster of your own for them; unset, each run
#                                                      starts a private one with tools/pg-cluster.sh
#                                                      (fsync=off, synchronous_commit=off: a test
#                                                      cluster, its figures are not durable ones)
#                                                      and stops it at the end
# drain.mjs and writes.mjs need nginx and wrk (`make deps-bench`, which `make bench` runs first);
# the PostgreSQL runs need Debian's postgresql and postgresql-client (`make deps-debian`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OA_BIN:-$PWD/build/openapply}
out=$(mktemp -d "${TMPDIR:-/tmp}/oa-bench-run.XXXXXX")
trap 'rm -rf "$out"' EXIT
echo "== form quality: structure and unified keys against hand-written truth (bench/forms.mjs)"
node bench/forms.mjs --bin "$(dirname "$BIN")/oa-extract"
echo "== API (bench/api.mjs)"
node bench/api.mjs --bin "$BIN"
echo "== API reads at 1k and 100k stored postings, beside nginx (bench/reads.mjs)"
node bench/reads.mjs --bin "$BIN"
echo "== API writes: archive calls through wrk, group commit (bench/writes.mjs)"
node bench/writes.mjs --bin "$BIN" | tee -a "$out/writes"
echo "== webhook delivery (bench/webhooks.mjs)"
for c in 1 16; do
  node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency "$c"
done
node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency 16 \
  --engine-args "--endpoint-concurrency 16"
echo "== webhook drain from a backlog, beside wrk (bench/drain.mjs)"
node bench/drain.mjs --bin "$BIN" --sizes "${DRAIN_SIZES:-1000,10000,100000}" --concurrency 8,16 \
  --timeout "${DRAIN_TIMEOUT:-120}" | tee -a "$out/drain"
echo "== steady load: alone, then beside a failing and a hanging neighbour (bench/steady.mjs)"
node bench/steady.mjs --bin "$BIN" --rate "${STEADY_RATE:-1000}" --seconds "${STEADY_SECONDS:-60}" \
  --neighbour failing,hanging
for nodes in ${PG_NODES:-1 3}; do
  echo "== API writes on PostgreSQL, $nodes node(s) (bench/writes.mjs --db postgres --nodes $nodes)"
  node bench/writes.mjs --bin "$BIN" --db postgres --nodes "$nodes" | tee -a "$out/writes"
done
for nodes in ${PG_NODES:-1 3}; do
  echo "== webhook drain on PostgreSQL, $nodes node(s) (bench/drain.mjs --db postgres --nodes $nodes)"
  node bench/drain.mjs --bin "$BIN" --db postgres --nodes "$nodes" --sizes "${PG_DRAIN_SIZES:-1000,10000}" \
    --concurrency 8,16 --timeout "${PG_DRAIN_TIMEOUT:-120}" | tee -a "$out/drain"
done
# The markdown rows of each run (they start with the store's name), one table per benchmark.
echo "== SQLite and PostgreSQL side by side (PostgreSQL: a test cluster with fsync off, not durable figures)"
echo "API writes (bench/writes.mjs):"
echo "| backend | nodes | state changes/s (archive calls) | per commit | GET /healthz |"
echo "|---|---:|---:|---:|---:|"
grep -E '^\| (SQLite|PostgreSQL)' "$out/writes" || true
echo ""
echo "webhook drain (bench/drain.mjs; with several nodes the connections are per node):"
echo "| backend | nodes | backlog | connections | drained/s | wrk req/s | drain / wrk | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
grep -E '^\| (SQLite|PostgreSQL)' "$out/drain" || true
