"""Benchmark of the key-factor engine: write, load and analyse a large synthetic registry.

Usage::

    .venv/bin/python bench/factors_bench.py            # 10,000 synthetic adoptions
    .venv/bin/python bench/factors_bench.py --n 2000   # smaller
    .venv/bin/python bench/factors_bench.py --db sqlite:///chiiki.db   # an existing DB too

Prints one line per step with wall-clock seconds. The synthetic registry is written to a
temporary SQLite file (it is marked 【合成データ】 and deleted afterwards).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def _timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    print(f"{label:<44s} {time.perf_counter() - t0:8.2f} s", flush=True)
    return out


def bench_db(url: str, label: str, bootstrap: int) -> None:
    from chiiki.factors.analysis import AnalysisParams, run_analysis
    from chiiki.factors.data import load_analysis_data
    from chiiki.model.db import session_scope

    def load():  # type: ignore[no-untyped-def]
        with session_scope(url) as s:
            return load_analysis_data(s)

    data = _timed(f"[{label}] load_analysis_data", load)
    print(
        f"[{label}] adoptions={data.n} participations={len(data.participations)} "
        f"links={len(data.links)} events={len(data.events)} cutoff={data.cutoff_fy}"
    )
    res = _timed(
        f"[{label}] run_analysis (bootstrap={bootstrap})", run_analysis, data, AnalysisParams(bootstrap=bootstrap)
    )
    testable = int(res.key_factors["estimate"].notna().sum())
    print(
        f"[{label}] key-factor rows={len(res.key_factors)} testable={testable} "
        f"verdicts={[(v.id, v.status) for v in res.verdicts]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--db", action="append", default=[], help="also bench this DB URL")
    args = parser.parse_args()

    from chiiki.factors.demo import generate_demo, write_demo_database
    from chiiki.model.db import dispose_engines

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        data = _timed(f"generate_demo(n={args.n})", generate_demo, args.seed, args.n)
        _timed("write_demo_database (SQLite)", write_demo_database, data, url)
        bench_db(url, f"synthetic {args.n}", args.bootstrap)
        dispose_engines()
    for url in args.db:
        bench_db(url, url, args.bootstrap)


if __name__ == "__main__":
    main()
