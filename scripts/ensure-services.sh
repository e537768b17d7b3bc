#!/usr/bin/env bash
# Makes PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) ready for the test suite:
# starts them if installed but stopped, and creates the `portal` role and database.
# With CI=true a missing service is an error; otherwise the suite falls back to SQLite and skips Redis tests.
set -uo pipefail
strict="${CI:-false}"
fail() { if [ "$strict" = "true" ]; then echo "ERROR: $*" >&2; exit 1; else echo "note: $*" >&2; fi; }

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start 2>/dev/null || true
  sleep 1
fi
if pg_up; then
  admin_psql() {
    if psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
      psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
    else
      (cd / && runuser -u postgres -- psql -d postgres -v ON_ERROR_STOP=1 -q "$@")
    fi
  }
  admin_psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'portal'" | grep -q 1 ||
    admin_psql -c "CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal'"
  admin_psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'portal'" | grep -q 1 ||
    admin_psql -c "CREATE DATABASE portal OWNER portal"
else
  fail "PostgreSQL is not reachable on 127.0.0.1:5432"
fi

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
if ! redis_up && command -v redis-server >/dev/null; then
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  sleep 1
fi
redis_up || fail "Redis is not reachable on 127.0.0.1:6379"
exit 0
