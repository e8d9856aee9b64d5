#!/usr/bin/env bash
# `make bench`: every benchmark prints its figures and its ratio to a well-known tool measured in
# the same run. Goals are checked by reading these lines, never by timed assertions in tests.
set -u
cd "$(dirname "$0")/.."
status=0
for b in bench/registry_bench.py bench/factors_bench.py bench/report_bench.py bench/text_bench.py; do
  [ -f "$b" ] || continue
  echo "== $b"
  .venv/bin/python "$b" || status=1
  echo
done
exit $status
