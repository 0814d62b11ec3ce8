#!/usr/bin/env bash
# Runs every benchmark against the release build and prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OA_BIN:-$PWD/build/openapply}
echo "== API (bench/api.mjs)"
node bench/api.mjs --bin "$BIN"
echo "== webhook delivery (bench/webhooks.mjs)"
for c in 1 16; do
  node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency "$c"
done
node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency 16 \
  --engine-args "--endpoint-concurrency 16"
