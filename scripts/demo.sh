#!/usr/bin/env bash
# README command 1: build Velocity and serve it with the sample organisation.
# Installs what is missing, starts a private PostgreSQL under target/pg unless DATABASE_URL is
# set, and stops that cluster again when the demo ends (Ctrl-C). Extra arguments go to
# `velocity demo` (e.g. --addr 127.0.0.1:8080).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
trap stop_postgres EXIT

build_site
ensure_postgres
log "starting the demo (Ctrl-C stops it)"
target/debug/velocity demo "$@"
