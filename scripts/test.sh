#!/usr/bin/env bash
# README command 2: the whole test suite — unit, integration (real PostgreSQL), fidelity (real
# client libraries against the simulators, in a Python venv) and end-to-end (Playwright on
# Debian's chromium) — built once and reused. Installs what is missing, starts a
# private PostgreSQL under target/pg unless DATABASE_URL is set, and stops it at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
trap stop_postgres EXIT
OWN_CLUSTER=""
[ -n "${DATABASE_URL:-}" ] || OWN_CLUSTER=1

ensure_chromium
ensure_node_modules "$ROOT/end2end"
build_site
ensure_postgres
mkdir -p target
started=$SECONDS

log "unit and integration tests (cargo test)"
# Same features as the server binary built above, so the dependencies are reused, not rebuilt.
SQLX_OFFLINE=true cargo test --features ssr 2>&1 | tee target/test-cargo.log

log "fidelity tests: real client libraries and Atlassian's OpenAPI document against the simulators"
bash scripts/fidelity.sh 2>&1 | tee target/test-fidelity.log

log "end-to-end tests (Playwright on $(command -v chromium))"
e2e_url="$DATABASE_URL"
if [ -n "$OWN_CLUSTER" ]; then
  # A fresh database so the demo data is exactly the sample organisation.
  psql_cmd=("$PG_BIN/psql" -q -h 127.0.0.1 -p "$(cat "$PG_DIR/port")" -U velocity -d postgres)
  "${psql_cmd[@]}" -c "drop database if exists velocity_e2e with (force)" -c "create database velocity_e2e"
  e2e_url="${DATABASE_URL%/*}/velocity_e2e"
fi
(cd end2end && E2E_PORT="$(free_port)" DATABASE_URL="$e2e_url" npx playwright test) 2>&1 | tee target/test-e2e.log

# One closing line for the whole suite.
cargo_passed=$(grep -oE 'test result: ok\. [0-9]+ passed' target/test-cargo.log | awk '{s+=$4} END {print s+0}')
e2e_passed=$(grep -oE '^ +[0-9]+ passed' target/test-e2e.log | awk '{s+=$1} END {print s+0}')
fidelity_passed=$(grep -oE '^[0-9]+ passed' target/test-fidelity.log | awk '{s+=$1} END {print s+0}')
log "test time: $((SECONDS - started)) s after the build"
echo "tests: $((cargo_passed + fidelity_passed + e2e_passed)) passed, 0 failed"
