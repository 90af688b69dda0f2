#!/usr/bin/env bash
# Refreshes .sqlx/ (the offline query data that lets builds check SQL without a database):
# applies migrations/ to a scratch database, recompiles the store against it, and keeps
# exactly the queries the code has now. Run after changing a query or a migration; commit .sqlx/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
trap stop_postgres EXIT
ensure_postgres
[ -n "${PG_BIN:-}" ] || die "needs the private cluster (unset DATABASE_URL)"
port="$(cat "$PG_DIR/port")"
psql=("$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U velocity)
"${psql[@]}" -d postgres -c "drop database if exists velocity_sqlx with (force)" -c "create database velocity_sqlx"
for f in migrations/*.sql; do "${psql[@]}" -d velocity_sqlx -f "$f"; done
rm -rf .sqlx && mkdir .sqlx
touch src/store/*.rs
SQLX_OFFLINE_DIR="$ROOT/.sqlx" DATABASE_URL="postgres://velocity@127.0.0.1:$port/velocity_sqlx" cargo check --features ssr --lib
log "$(ls .sqlx | wc -l) queries in .sqlx/"
