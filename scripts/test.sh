#!/usr/bin/env bash
# Run the test suite on SQLite and, when PostgreSQL can be started here, on PostgreSQL too.
# In CI (CI=true) PostgreSQL is required: a run that cannot start it fails instead of skipping;
# so is Chromium for the browser tests (tests/web/browser), which otherwise skip without it.
set -u
cd "$(dirname "$0")/.."
CHIIKI_NEED_POSTGRES=1 CHIIKI_NEED_BROWSER=1 bash scripts/system-deps.sh
port=${CHIIKI_TEST_PG_PORT:-55432}
dir=$(mktemp -d /tmp/chiiki-pg.XXXXXX); chmod 755 "$dir"
started=0
if bash scripts/pg.sh start "$dir/pg" "$port" 2>"$dir/pg-start.err"; then
  started=1
  export CHIIKI_TEST_PG_URL="postgresql+psycopg://chiiki@127.0.0.1:$port/chiiki_test"
  echo "PostgreSQL test cluster on 127.0.0.1:$port"
else
  echo "PostgreSQL could not be started ($(cat "$dir/pg-start.err")); PostgreSQL tests will be skipped" >&2
  if [ -n "${CI:-}" ]; then
    echo "CI needs PostgreSQL: failing" >&2
    exit 1
  fi
fi
cleanup() { [ $started = 1 ] && bash scripts/pg.sh stop "$dir/pg"; rm -rf "$dir"; }
trap cleanup EXIT
# Two workers on two cores (CHIIKI_TEST_WORKERS=0 for one process); a file's tests stay on one
# worker so its module-scoped fixtures (the report built once) are built once.
workers=${CHIIKI_TEST_WORKERS:-auto}
if [ "$workers" = 0 ]; then
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
else
  .venv/bin/python -m pytest -q -p no:cacheprovider -n "$workers" --dist loadgroup "$@"
fi
