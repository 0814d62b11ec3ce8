#!/usr/bin/env bash
# Runs every benchmark against the release build and prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OA_BIN:-$PWD/build/openapply}
echo "== webhook delivery (bench/webhooks.mjs)"
node bench/webhooks.mjs --bin "$BIN" --events "${EVENTS:-2000}" --concurrency "${CONCURRENCY:-16}"
