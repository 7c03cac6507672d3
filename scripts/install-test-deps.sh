#!/usr/bin/env bash
# Installs and starts what the tests need beyond npm, each only when it is missing, so a second
# run is quick and changes nothing:
#   - Debian's PostgreSQL, started on 127.0.0.1:5432 with a test role `gatekeeper_test` that may
#     create databases (and end other sessions in them, to drop them) and signs in without a
#     password from this machine only (trust, loopback);
#   - Debian's Redis, started on 127.0.0.1:6379 without persistence;
#   - Debian's Chromium for the browser tests (playwright-core drives it; `npx playwright install`
#     cannot download browsers on these machines);
#   - LiveKit's own server, built from its Go module at a pinned release into .tools/bin (ignored
#     by git; Go's build cache makes later builds quick).
# Services started here are left running; tests never stop them.
set -euo pipefail
cd "$(dirname "$0")/.."

LIVEKIT_VERSION="${LIVEKIT_VERSION:-v1.13.5}"
TEST_ROLE=gatekeeper_test
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

say() { echo "test:setup: $*"; }

apt_updated=""
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "test:setup: $1 is missing and there is no apt-get: install it by hand (see README)." >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  say "installing Debian's $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- PostgreSQL ---------------------------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
pg_version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pg_version" ] || [ ! -d "/etc/postgresql/$pg_version/main" ]; then
  pg_version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  say "creating PostgreSQL $pg_version cluster 'main'"
  $sudo pg_createcluster "$pg_version" main >/dev/null
fi
hba="/etc/postgresql/$pg_version/main/pg_hba.conf"
if ! $sudo grep -q "^host all $TEST_ROLE 127.0.0.1/32 trust" "$hba"; then
  say "allowing the test role $TEST_ROLE from 127.0.0.1 and ::1 without a password"
  # First matching line wins, so the test role's lines go on top.
  $sudo sed -i "1i host all $TEST_ROLE 127.0.0.1/32 trust\nhost all $TEST_ROLE ::1/128 trust" "$hba"
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    $sudo pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload
  fi
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL $pg_version"
  $sudo pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
as_postgres() { if [ -z "$sudo" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
if [ "$(as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$TEST_ROLE'")" != "1" ]; then
  as_postgres psql -qc "CREATE ROLE $TEST_ROLE LOGIN CREATEDB"
fi
# Tests drop their databases WITH (FORCE), which must also end an autovacuum worker that happens
# to be in one; only pg_signal_backend (or a superuser) may.
as_postgres psql -qc "GRANT pg_signal_backend TO $TEST_ROLE" 2>/dev/null
say "postgresql $pg_version: postgresql://$TEST_ROLE@127.0.0.1:5432/postgres"

# --- Redis --------------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null; then apt_install redis-server; fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/gatekeeper-test-redis.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
say "redis: redis://127.0.0.1:6379"

# --- Chromium -----------------------------------------------------------------------------------
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then apt_install chromium; fi
say "chromium: $("$chromium" --version 2>/dev/null || echo "$chromium")"

# --- LiveKit ------------------------------------------------------------------------------------
bin="$PWD/.tools/bin"
if [ ! -x "$bin/livekit-server" ] || [ "$(cat "$bin/livekit-server.version" 2>/dev/null)" != "$LIVEKIT_VERSION" ]; then
  if ! command -v go >/dev/null; then
    echo "test:setup: building LiveKit's server needs Go 1.26 (https://go.dev/doc/install)." >&2
    exit 1
  fi
  say "building livekit-server $LIVEKIT_VERSION from its Go module (minutes the first time)"
  mkdir -p "$bin"
  GOBIN="$bin" go install "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_VERSION"
  mv "$bin/server" "$bin/livekit-server"
  echo "$LIVEKIT_VERSION" >"$bin/livekit-server.version"
fi
say "livekit-server: $("$bin/livekit-server" --version 2>/dev/null | head -1)"
