"""Time `factors run` + `report` on a database: python bench/report_bench.py [DB] [--out DIR].

DB is a database URL or an SQLite file; without it the bundled registry is loaded into a
temporary SQLite file first (not timed). Prints wall and CPU seconds per step — CPU time as
well because on a shared 2-core machine wall time mostly measures the neighbours — and one
JSON line for `make bench`. Goal: the bundled report under 10 s wall. Everything goes through
the Workbench, as a user's script would.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", help="database URL or SQLite file (default: bundled)")
    parser.add_argument("--out", type=Path, help="output folder (default: a temp folder)")
    parser.add_argument("--lang", default="ja")
    args = parser.parse_args(argv)
    from chiiki import Workbench

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        wb = Workbench.open(args.db or tmp / "bench.db", lang=args.lang)
        if not args.db:
            wb.init()
        out = args.out or tmp / "out"
        rows: list[tuple[str, float, float]] = []
        wall, cpu = time.perf_counter(), time.process_time()
        analysis = wb.analyse()
        rows.append(("factors: analyse", time.perf_counter() - wall, time.process_time() - cpu))
        wall2, cpu2 = time.perf_counter(), time.process_time()
        result = wb.report(out)
        rows.append(("report: all formats", time.perf_counter() - wall2, time.process_time() - cpu2))
        total_wall = time.perf_counter() - wall
        total_cpu = time.process_time() - cpu
        print(f"{'step':34s} {'wall s':>8s} {'cpu s':>8s}")
        for name, w, c in rows:
            print(f"{name:34s} {w:8.2f} {c:8.2f}")
        for name, seconds in result.timings.items():
            print(f"{'  of which ' + name:34s} {seconds:8.2f}")
        print(f"{'total (analyse + report)':34s} {total_wall:8.2f} {total_cpu:8.2f}")
        print(
            json.dumps(
                {
                    "bench": "report",
                    "db": wb.describe_db(),
                    "adoptions": analysis.n,
                    "total_wall_s": round(total_wall, 2),
                    "total_cpu_s": round(total_cpu, 2),
                    "steps": {n: round(w, 2) for n, w, _c in rows},
                    "report_steps": {k: round(v, 2) for k, v in result.timings.items()},
                    "goal_s": 10,
                    "met": total_wall < 10,
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
