# Shared by scripts/demo.sh and scripts/test.sh: installs what the build needs (skipping what is
# present) and starts a private PostgreSQL cluster under target/pg unless DATABASE_URL is set.
# Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_DIR="$ROOT/target/pg"
CARGO_LEPTOS_VERSION="0.3.10"
# leptos reads this at compile time (wasm file name). cargo-leptos sets it for its builds; setting
# it for `cargo test` too keeps the dependency fingerprints equal, so tests reuse that build.
export LEPTOS_OUTPUT_NAME=velocity
PG_STARTED_BY_US=""

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq >&2 || die "apt-get update failed; install $* by hand"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed"
}

ensure_rust_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v cargo >/dev/null || die "cargo is missing: this machine kind ships Rust through rustup"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >&2
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # 0.3.11 needs a newer rustc than this machine has.
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked >&2
  fi
  local wb
  wb="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
  [ -n "$wb" ] || die "Cargo.lock names no wasm-bindgen version"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    # Without --locked: the lock file of wasm-bindgen-cli names a crate version the registry lacks.
    log "installing wasm-bindgen-cli $wb to match Cargo.lock (about 4 minutes, once)"
    cargo install wasm-bindgen-cli --version "$wb" >&2
  fi
}

ensure_node_modules() {
  local dir="$1"
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing npm packages in ${dir#"$ROOT"/}"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
  fi
}

ensure_chromium() {
  command -v chromium >/dev/null || { log "installing Debian's chromium"; apt_install chromium; }
}

build_site() {
  ensure_rust_tools
  ensure_node_modules "$ROOT"
  log "building server, wasm and styles (cargo leptos build)"
  # SQLX_OFFLINE: queries are checked against the committed .sqlx/ data, not a live database.
  (cd "$ROOT" && SQLX_OFFLINE=true cargo leptos build >&2)
}

pg_bin() {
  local b
  for b in "$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")")" /usr/lib/postgresql/*/bin; do
    [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ] && [ -x "$b/postgres" ] && [ -x "$b/psql" ] && { echo "$b"; return; }
  done
  return 1
}

# postgres refuses to run as root, so as root the cluster belongs to the `postgres` user.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$PG_USER" -- "$@"); else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    log "using DATABASE_URL from the environment"
    return
  fi
  local bin
  bin="$(pg_bin)" || { log "installing Debian's PostgreSQL"; apt_install postgresql; bin="$(pg_bin)"; } \
    || die "no initdb/pg_ctl/postgres found after installing postgresql"
  PG_USER="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
  fi
  mkdir -p "$PG_DIR"
  chown "$PG_USER" "$PG_DIR"
  # The cluster's user must be able to walk down to target/pg.
  local d="$PG_DIR"
  while ! as_pg_user test -x "$PG_DIR"; do
    d="$(dirname "$d")"; chmod o+x "$d"; [ "$d" = / ] && break
  done
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in target/pg"
    as_pg_user "$bin/initdb" -D "$PG_DIR/data" -U velocity --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed"
  fi
  local port=""
  if as_pg_user "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1 && [ -f "$PG_DIR/port" ]; then
    port="$(cat "$PG_DIR/port")"
    log "reusing the PostgreSQL cluster already running on port $port"
  else
    port="$(free_port)"
    mkdir -p "$PG_DIR/sock"; chown "$PG_USER" "$PG_DIR/sock"
    as_pg_user "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-p $port -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" \
      start >/dev/null || die "PostgreSQL did not start; see target/pg/server.log"
    echo "$port" > "$PG_DIR/port"
    PG_STARTED_BY_US=1
    log "started PostgreSQL on 127.0.0.1:$port"
  fi
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U velocity -d postgres -tAc \
      "select 1 from pg_database where datname = 'velocity'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U velocity velocity
  fi
  export DATABASE_URL="postgres://velocity@127.0.0.1:$port/velocity"
  PG_BIN="$bin"
}

stop_postgres() {
  if [ -n "$PG_STARTED_BY_US" ]; then
    log "stopping the PostgreSQL cluster we started"
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
  fi
}
