"""Time `factors run` and `report` on a database: python bench/report_bench.py [DB] [--out DIR].

DB is a database URL or an SQLite file; without it the bundled registry is loaded into a
temporary SQLite file first (not timed). Prints wall and CPU seconds per step — CPU time as
well because on a shared 2-core machine wall time mostly measures the neighbours — and one
JSON line for `make bench`. Goal: the bundled report under 10 s wall.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def _url(db: str | None, tmp: Path) -> str:
    from chiiki.model import Base
    from chiiki.model.db import get_engine, session_scope

    if db:
        return db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    url = f"sqlite:///{tmp / 'bench.db'}"
    Base.metadata.create_all(get_engine(url))
    from chiiki.registry.bundled import load_bundled

    with session_scope(url) as session:
        load_bundled(session)
    return url


class Clock:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def __call__(self, name: str, fn):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        self.rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", help="database URL or SQLite file (default: bundled)")
    parser.add_argument("--out", type=Path, help="output folder (default: a temp folder)")
    parser.add_argument("--lang", default="ja")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = _url(args.db, tmp)
        out = args.out or tmp / "out"
        clock = Clock()
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        from chiiki.factors import load_analysis_data, run_analysis
        from chiiki.model.db import session_scope
        from chiiki.report import build_report
        from chiiki.report.build import analysis_params

        with session_scope(url) as session:
            data = clock("factors: load data", lambda: load_analysis_data(session))
            analysis = clock("factors: run_analysis",
                             lambda: run_analysis(data, analysis_params(None, args.lang)))
            paths = clock("report: build (all formats)",
                          lambda: build_report(session, out, lang=args.lang, analysis=analysis))
        total_wall = time.perf_counter() - start_wall
        total_cpu = time.process_time() - start_cpu
        print(f"{'step':34s} {'wall s':>8s} {'cpu s':>8s}")
        for name, wall, cpu in clock.rows:
            print(f"{name:34s} {wall:8.2f} {cpu:8.2f}")
        for name in ("context_and_charts", "html", "pdf", "xlsx"):
            label = "  of which WeasyPrint PDF" if name == "pdf" else f"  of which {name}"
            print(f"{label:34s} {paths.timings.get(name, float('nan')):8.2f}")
        print(f"{'total (factors run + report)':34s} {total_wall:8.2f} {total_cpu:8.2f}")
        print(json.dumps({"bench": "report", "db": url, "adoptions": data.n,
                          "total_wall_s": round(total_wall, 2), "total_cpu_s": round(total_cpu, 2),
                          "steps": {n: round(w, 2) for n, w, _c in clock.rows},
                          "report_steps": {k: round(v, 2) for k, v in paths.timings.items()},
                          "goal_s": 10, "met": total_wall < 10}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
