"""The issue's "done means", end to end: a script that uses only Workbench methods, and the CLI
flow that must keep hubs. Real SQLite files, real PostgreSQL, real CP932. (The language checks of
`factors run` live in tests/factors/test_cli.py.)"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from chiiki import Workbench
from chiiki.cli.main import invoke


def _json_ok(result: object) -> dict:
    return json.loads(json.dumps(result.to_dict(), allow_nan=False))  # type: ignore[attr-defined]


def test_a_script_using_only_the_workbench(db_url: str, tmp_path: Path) -> None:
    wb = Workbench.open(db_url, lang="ja")
    _json_ok(wb.init())
    # a CP932 file as Japanese Excel saves it: one new program selection, Japanese headings
    cp932 = tmp_path / "new_adoptions.csv"
    exported = io.StringIO()
    wb.export_table("adoptions", "csv", out=exported)
    rows = list(csv.DictReader(io.StringIO(exported.getvalue())))
    assert rows, "the bundled registry has adoptions"
    with cp932.open("w", encoding="cp932", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows[:5])
    _json_ok(wb.import_file(cp932))
    analysis = wb.analyse(window=5)
    d = _json_ok(analysis)
    assert d  # the key-factor analysis serializes whole
    wb.codebook_load_default()
    code = wb.codebook()
    _json_ok(code)
    assert code.rows, "the starting codebook is loaded"
    _json_ok(wb.segments(code.rows[0]["name"]))
    report = wb.report(tmp_path / "out", formats=("html",))
    out = _json_ok(report)
    assert (tmp_path / "out" / "report.html").exists(), out


def _hearing_hubs(db: str) -> list[tuple[str, str]]:
    r = invoke(["--db", db, "hearing", "list", "--format", "csv"])
    assert r.exit_code == 0, r.output
    return [(row["id"], row["hubs"]) for row in csv.DictReader(io.StringIO(r.stdout))]


def test_hubs_survive_rebuild_and_reimport(db_url: str, tmp_path: Path) -> None:
    assert invoke(["--db", db_url, "db", "init"]).exit_code == 0
    before = _hearing_hubs(db_url)
    assert any(h for _, h in before), "bundled hearings are linked to hubs"
    assert invoke(["--db", db_url, "lineage", "rebuild"]).exit_code == 0
    export = tmp_path / "adoptions.csv"
    r = invoke(["--db", db_url, "export", "adoptions", "-o", str(export)])
    assert r.exit_code == 0, r.output
    r = invoke(["--db", db_url, "import", str(export)])
    assert r.exit_code == 0, r.output
    assert _hearing_hubs(db_url) == before
