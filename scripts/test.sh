#!/usr/bin/env bash
# README command 2: the whole test suite — unit, integration (real PostgreSQL), fidelity (real
# client libraries against the simulators, in a Python venv) and end-to-end (Playwright on
# Debian's chromium) — built once and reused. Installs what is missing, starts a
# private PostgreSQL under target/pg unless DATABASE_URL is set, and stops it at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/check-repo-paths.sh
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

# A fresh scratch database on our own cluster, or DATABASE_URL itself when it was given.
fresh_database() {
  if [ -z "$OWN_CLUSTER" ]; then echo "$DATABASE_URL"; return; fi
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$(cat "$PG_DIR/port")" -U velocity -d postgres \
    -c "drop database if exists $1 with (force)" -c "create database $1" >&2
  echo "${DATABASE_URL%/*}/$1"
}

log "API tests: schemathesis against /api/openapi.json"
bash scripts/schemathesis.sh "$(fresh_database velocity_st)" 2>&1 | tee target/test-schemathesis.log

log "fidelity tests: real client libraries and Atlassian's OpenAPI document against the simulators"
bash scripts/fidelity.sh 2>&1 | tee target/test-fidelity.log

log "end-to-end tests (Playwright on $(command -v chromium))"
# A fresh database so the demo data is exactly the sample organisation.
e2e_url="$(fresh_database velocity_e2e)"
# And an empty one for the first-run spec, which serves it itself beside `velocity sim`.
empty_url=""
[ -z "$OWN_CLUSTER" ] || empty_url="$(fresh_database velocity_e2e_empty)"
(cd end2end && E2E_PORT="$(free_port)" DATABASE_URL="$e2e_url" E2E_EMPTY_DATABASE_URL="$empty_url" npx playwright test) 2>&1 | tee target/test-e2e.log

# One closing line for the whole suite.
cargo_passed=$(grep -oE 'test result: ok\. [0-9]+ passed' target/test-cargo.log | awk '{s+=$4} END {print s+0}')
e2e_passed=$(grep -oE '^ +[0-9]+ passed' target/test-e2e.log | awk '{s+=$1} END {print s+0}')
fidelity_passed=$(grep -oE '^[0-9]+ passed' target/test-fidelity.log | awk '{s+=$1} END {print s+0}')
log "test time: $((SECONDS - started)) s after the build"
echo "tests: $((cargo_passed + fidelity_passed + e2e_passed)) passed, 0 failed"
