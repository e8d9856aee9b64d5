#!/usr/bin/env bash
# `make bench`: every benchmark prints its figures and, where the issue names one, its ratio to a
# well-known tool measured in the same run. Goals are read from these lines, never asserted in tests.
set -u
cd "$(dirname "$0")/.."
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { echo "== $*"; .venv/bin/python "$@" || status=1; echo; }
run bench/registry_bench.py
run bench/factors_bench.py
run bench/report_bench.py                       # the bundled registry (goal: < 10 s wall)
echo "== generating a synthetic 10,000-adoption registry for the report benchmark"
.venv/bin/chiiki demo generate --seed 1 --n 10000 --db "$tmp/demo10k.db" >/dev/null || status=1
run bench/report_bench.py "$tmp/demo10k.db"     # factors run + report on 10,000 adoptions
run bench/text_bench.py
exit $status
