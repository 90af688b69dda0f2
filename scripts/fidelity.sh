#!/usr/bin/env bash
# Fidelity tests: real client libraries (jira, atlassian-python-api, PyGithub, python-gitlab,
# slack_sdk) and Atlassian's OpenAPI document against `velocity sim --org S --seed 7`.
# Needs target/debug/velocity (built by the caller), python3 and PyPI. Keeps a venv in
# target/venv and reinstalls tests/fidelity/requirements.txt only when that file changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=target/venv
REQUIREMENTS=tests/fidelity/requirements.txt
STAMP="$VENV/.fidelity-requirements.sha256"
BIN=target/debug/velocity
READY_TIMEOUT=30

fail() { printf 'fidelity: %s\n' "$*" >&2; exit 1; }

[ -x "$BIN" ] || fail "$BIN is missing: build it first (cargo build --features ssr --bin velocity)"
command -v python3 >/dev/null || fail "python3 is missing"

# A venv whose interpreter no longer runs (python upgraded or removed) is made anew.
if [ -d "$VENV" ] && ! "$VENV/bin/python" -c '' 2>/dev/null; then
  rm -rf "$VENV"
fi
if [ ! -d "$VENV" ]; then
  python3 -m venv "$VENV" || fail "python3 -m venv $VENV failed"
fi
wanted="$( (sha256sum "$REQUIREMENTS"; "$VENV/bin/python" -V) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
  rm -f "$STAMP"
  if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q -r "$REQUIREMENTS" >target/fidelity-pip.log 2>&1; then
    cat target/fidelity-pip.log >&2
    fail "pip install -r $REQUIREMENTS failed"
  fi
  echo "$wanted" >"$STAMP"
fi

sim_out="$(mktemp)"
sim_log=target/fidelity-sim.log
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -f "$sim_out"
}
trap cleanup EXIT

"$BIN" sim --org S --seed 7 >"$sim_out" 2>"$sim_log" &
sim_pid=$!

# The simulator prints one JSON line once every simulator listens.
deadline=$((SECONDS + READY_TIMEOUT))
until [ "$(wc -l <"$sim_out")" -ge 1 ]; do
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    cat "$sim_log" >&2
    fail "velocity sim exited before it was ready"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    cat "$sim_log" >&2
    fail "velocity sim printed no ready line within ${READY_TIMEOUT} s"
  fi
  sleep 0.1
done
SIM_URLS="$(head -n 1 "$sim_out")"
export SIM_URLS

PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" -m pytest tests/fidelity -q -p no:cacheprovider
