"""Registry benchmark: import throughput vs `sqlite-utils insert`, peak memory, CLI start-up.

Usage: .venv/bin/python bench/registry_bench.py [--rows 100000]
Prints figures and ratios; the goals (import ≤ 2× sqlite-utils, `chiiki --help` < 0.3 s) are
checked here, not in tests, because these machines are noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
PREFS = [
    "北海道",
    "青森県",
    "宮城県",
    "山形県",
    "茨城県",
    "神奈川県",
    "長野県",
    "静岡県",
    "愛知県",
    "京都府",
    "大阪府",
    "兵庫県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "福岡県",
    "熊本県",
    "沖縄県",
]
PROGRAMS = ["KC1", "KC2", "CA_IPPAN", "CA_HATTEN", "RICP_GL", "RISPA", "RISSP", "ECO", "JST_KESSHU"]
COLUMNS = [
    "adoption_id",
    "program_id",
    "phase",
    "region_name",
    "prefectures",
    "municipalities",
    "title",
    "core_institution",
    "start_fy",
    "end_fy",
    "interim_grade",
    "final_grade",
    "budget_total_million_yen",
    "universities",
    "n_companies",
    "notes",
    "source_urls",
]


def _era_year(fy: int) -> str:
    """The fiscal year as a Japanese era year (平成 ends with 31, 2019 is 令和元年 = R1)."""
    return f"H{fy - 1988}" if fy <= 2018 else f"R{fy - 2018}"


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """A synthetic adoptions file (marked synthetic in every row's notes)."""
    rng = random.Random(seed)
    kanji = "東西南北山川田野森林海浜湖島岡崎原沢谷松桜梅竹鶴亀龍虎鷹熊鹿馬牛羊光星月雲風雪"
    names = [a + b for a in kanji for b in kanji if a != b]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(rows):
            start = rng.randint(2002, 2022)
            w.writerow(
                [
                    f"SYN-{i:06d}",
                    rng.choice(PROGRAMS),
                    "合成",
                    f"【{names[i % len(names)]}エリア】",
                    rng.choice(PREFS),
                    "",
                    f"合成課題 {i}",
                    f"(公財){names[(i * 7) % len(names)]}産業振興財団",
                    _era_year(start) if i % 3 == 0 else start,
                    start + rng.randint(2, 5),
                    rng.choice(["", "S", "A", "B"]),
                    rng.choice(["", "", "S", "A", "B", "C"]),
                    rng.choice(["", "840", "1,200", "8.4億円"]),
                    "合成大学; 合成工業大学",
                    rng.choice(["", "12"]),
                    "SYNTHETIC benchmark row",
                    f"https://example.invalid/src/{i % 200}",
                ]
            )


def run(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    probe = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter(); r=subprocess.run(sys.argv[1:], capture_output=True);"
        "dt=time.perf_counter()-t;"
        "sys.stderr.write(r.stderr.decode()[-2000:]) if r.returncode else None;"
        "print(json.dumps([dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env=env or os.environ.copy()
    )
    dt, rss, rc = json.loads(out.stdout.strip().splitlines()[-1])
    if rc:
        print(out.stderr, file=sys.stderr)
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    return dt, rss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        csv_path = d / "adoptions.csv"
        generate(csv_path, args.rows)
        small = d / "small.csv"
        generate(small, args.rows // 10)
        size_mb = csv_path.stat().st_size / 1e6

        su_db = d / "su.db"
        t_su, rss_su = run([str(BIN / "sqlite-utils"), "insert", str(su_db), "adoptions", str(csv_path), "--csv"])

        def chiiki_import(path: Path, name: str) -> tuple[float, int]:
            env = os.environ.copy()
            env["CHIIKI_DB_URL"] = f"sqlite:///{d / name}"
            env.pop("CHIIKI_LANG", None)
            subprocess.run([str(BIN / "chiiki"), "db", "init", "--empty"], env=env, check=True, capture_output=True)
            prog = Path(__file__).resolve().parents[1] / "src" / "chiiki" / "data" / "registry" / "programs.csv"
            subprocess.run([str(BIN / "chiiki"), "import", str(prog)], env=env, check=True, capture_output=True)
            return run([str(BIN / "chiiki"), "import", str(path), "--no-derive"], env=env)

        t_ch, rss_ch = chiiki_import(csv_path, "chiiki.db")
        t_small, rss_small = chiiki_import(small, "small.db")
        env = os.environ.copy()
        env["CHIIKI_DB_URL"] = f"sqlite:///{d / 'chiiki.db'}"
        t_again, _ = run([str(BIN / "chiiki"), "import", str(csv_path), "--no-derive"], env=env)
        t_lineage, _ = run([str(BIN / "chiiki"), "lineage", "rebuild"], env=env)

        helps = []
        for _ in range(7):
            helps.append(run([str(BIN / "chiiki"), "--help"])[0])
        t_py = statistics.median(run([sys.executable, "-c", "pass"])[0] for _ in range(5))

    ratio = t_ch / t_su
    print(f"registry import benchmark ({args.rows:,} rows, {size_mb:.1f} MB CSV)")
    print(
        f"  sqlite-utils insert (no validation): {t_su:6.2f} s  {args.rows / t_su:10,.0f} rows/s  "
        f"peak {rss_su / 1024:.0f} MiB"
    )
    print(
        f"  chiiki import (validated, cited):    {t_ch:6.2f} s  {args.rows / t_ch:10,.0f} rows/s  "
        f"peak {rss_ch / 1024:.0f} MiB"
    )
    print(f"  ratio chiiki/sqlite-utils: {ratio:.2f}  (goal ≤ 2.00: {'met' if ratio <= 2 else 'MISSED'})")
    print(
        f"  peak memory at {args.rows // 10:,} rows: {rss_small / 1024:.0f} MiB; at {args.rows:,}: "
        f"{rss_ch / 1024:.0f} MiB (streaming: should be nearly flat)"
    )
    print(f"  second import of the same file (no changes): {t_again:.2f} s")
    print(f"  lineage rebuild on {args.rows:,} adoptions (not part of the import figure): {t_lineage:.2f} s")
    med = statistics.median(helps)
    print(
        f"  `chiiki --help` start-up: median {med:.3f} s over 7 runs (bare python: {t_py:.3f} s) "
        f"(goal < 0.300: {'met' if med < 0.3 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
