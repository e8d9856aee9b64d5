"""The README's Python section runs as written (a CP932 file of a real export, SQLite)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def python_block() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_readme_python_section_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from chiiki import Workbench

    seed = Workbench.open(tmp_path / "seed.db")
    seed.init()
    buf = io.StringIO()
    seed.export_table("adoptions", "csv", out=buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    with (tmp_path / "採択一覧_sjis.csv").open("w", encoding="cp932", errors="replace", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[:3])
    monkeypatch.chdir(tmp_path)
    code = python_block().replace('wb.report("out/")', 'wb.report("out/", formats=("html",))')
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "out" / "report.html").exists()
    assert (tmp_path / "survey.db").exists()
    assert "取込完了" in capsys.readouterr().out
