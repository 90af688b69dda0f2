#!/usr/bin/env bash
# Schemathesis against the served API document: generates requests from /api/openapi.json and
# fails on any 5xx, any undocumented status or content type, and any response body that does
# not match the document. Usage: scripts/schemathesis.sh DATABASE_URL (a scratch database).
# Needs target/debug/velocity (built by the caller), python3 and PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

db_url="${1:?usage: scripts/schemathesis.sh DATABASE_URL}"
venv=target/st-venv
requirements=tests/schemathesis/requirements.txt
stamp="$venv/.requirements.sha256"
[ -x target/debug/velocity ] || die "target/debug/velocity is missing: build it first"

if [ -d "$venv" ] && ! "$venv/bin/python" -c '' 2>/dev/null; then rm -rf "$venv"; fi
[ -d "$venv" ] || python3 -m venv "$venv"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install -q -r "$requirements" >target/st-pip.log 2>&1 \
    || { cat target/st-pip.log >&2; die "pip install -r $requirements failed"; }
  echo "$wanted" >"$stamp"
fi

port="$(free_port)"
DATABASE_URL="$db_url" target/debug/velocity demo --addr "127.0.0.1:$port" >target/st-demo.log 2>&1 &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null || true; wait $demo_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" target/st-demo.log && break
  kill -0 "$demo_pid" 2>/dev/null || { cat target/st-demo.log >&2; die "velocity demo did not start"; }
  sleep 0.2
done

# Every route but /health needs a principal: an admin's API token, made the way an operator
# would (`velocity admin token`), for the admin the demo seeded. Without it schemathesis would
# only see 401s; with it, its ignored_auth check still sends requests without the token and
# expects the documented 401.
admin_email="$(sed -n 's/^sign in as admin: \([^ ]*\) .*/\1/p' target/st-demo.log)"
[ -n "$admin_email" ] || { cat target/st-demo.log >&2; die "velocity demo printed no admin account"; }
token="$(DATABASE_URL="$db_url" target/debug/velocity admin token --email "$admin_email" --name schemathesis)"

# positive_data_acceptance is left out: the document gives types, and the API still refuses
# well-typed but meaningless input (an unknown actor id, a change with no field set) with a
# documented 400.
"$venv/bin/st" run "http://127.0.0.1:$port/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-25}" --generation-deterministic --workers 1
