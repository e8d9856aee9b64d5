"""Two imports at once (issue 9, item 5): two real `chiiki import` processes, 20,000 different
rows each, on the real PostgreSQL server and on a real SQLite file. Both land, the hubs are
consistent, and neither prints a traceback.

Fails on the old code on PostgreSQL: the derive step of the two transactions (organizations,
hubs) ran at once and one import died with a unique violation (a raw IntegrityError), its rows
lost.
"""

from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

CHIIKI = str(Path(sys.executable).parent / "chiiki")
ROWS = 20_000
PREFS = ["北海道", "宮城県", "長野県", "愛知県", "京都府", "広島県", "福岡県", "熊本県"]
PROGRAMS = ["KC1", "KC2", "CA_IPPAN", "RICP_GL", "RISPA", "ECO"]


def _file(path: Path, tag: str, seed: int) -> Path:
    """Synthetic adoptions (marked SYNTHETIC in their notes), ids disjoint between the files."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["adoption_id", "program_id", "region_name", "prefectures", "core_institution", "start_fy",
                    "end_fy", "notes"])  # fmt: skip
        for i in range(ROWS):
            start = rng.randint(2002, 2022)
            w.writerow(
                [
                    f"SYN-{tag}-{i:05d}",
                    rng.choice(PROGRAMS),
                    f"【合成{tag}{i % 700}エリア】",
                    rng.choice(PREFS),
                    f"(公財)合成{(i * 7) % 300}産業振興財団",
                    start,
                    start + rng.randint(2, 5),
                    "SYNTHETIC concurrency row",
                ]
            )
    return path


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "CHIIKI_DB_URL": url, "CHIIKI_LANG": "en"}
    env.pop("CHIIKI_DEBUG", None)
    return env


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_concurrent_imports_both_land(backend: str, db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith(backend):
        pytest.skip("one backend per parameter")
    env = _env(db_url)
    subprocess.run([CHIIKI, "db", "init"], env=env, check=True, capture_output=True, timeout=300)
    files = [_file(tmp_path / "a.csv", "A", 1), _file(tmp_path / "b.csv", "B", 2)]
    procs = [
        subprocess.Popen(
            [CHIIKI, "--lang", "en", "import", str(f)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for f in files
    ]
    outs = [p.communicate(timeout=900) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
        assert re.search(rb"inserted 20,?000", out), out.decode()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            for tag in ("A", "B"):
                n = conn.execute(text("select count(*) from adoptions where id like :p"), {"p": f"SYN-{tag}-%"})
                assert n.scalar_one() == ROWS
            # hubs consistent: every adoption in an existing hub, every hub with a member, keys unique
            assert conn.execute(text("select count(*) from adoptions where hub_id is null")).scalar_one() == 0
            orphans = "select count(*) from hubs h where not exists (select 1 from adoptions a where a.hub_id = h.id)"
            assert conn.execute(text(orphans)).scalar_one() == 0
            dup = "select count(*) from (select key from hubs group by key having count(*) > 1) d"
            assert conn.execute(text(dup)).scalar_one() == 0
    finally:
        engine.dispose()
