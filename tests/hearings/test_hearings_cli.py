"""The ``chiiki hearing`` / ``chiiki code`` / ``chiiki text`` sub-apps on a real database."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chiiki.cli.code import app as code_app
from chiiki.cli.hearing import app as hearing_app
from chiiki.cli.text import app as text_app

runner = CliRunner()


def _ok(app, args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def test_hearing_commands(db: str, tmp_path: Path) -> None:
    out = _ok(hearing_app, ["load-bundled", "--db", db])
    assert "hearings=4" in out
    listing = pd.read_csv(io.StringIO(_ok(hearing_app, ["list", "--format", "csv", "--db", db])))
    assert list(listing["region"]) == ["神奈川地域", "鶴岡地域", "宮城地域", "福岡地域"]
    assert list(listing["date"]) == ["2023-11", "2024-09", "2024-10", "2024-11"]
    _ok(
        hearing_app,
        [
            "add",
            "--key",
            "s1",
            "--title",
            "【サンプル】試行",
            "--date",
            "2025-02-03",
            "--org",
            "テスト株式会社:company",
            "--consent",
            "obtained",
            "--interviewers",
            "佐藤",
            "--interviewee",
            "山田太郎:テスト株式会社",
            "--sample",
            "--db",
            db,
        ],
    )
    path = tmp_path / "t.txt"
    path.write_bytes("聞き手：質問です。\r\nＡ：回答です。\r\n".encode("cp932"))
    out = _ok(hearing_app, ["import", str(path), "--hearing", "s1", "--sample", "--db", db])
    assert "encoding cp932" in out and "2 speaker turns" in out
    shown = json.loads(_ok(hearing_app, ["show", "s1", "--db", db]))
    assert shown["date"] == "2025-02-03" and shown["interviewers"] is None
    assert shown["organizations"] == [{"name": "テスト株式会社", "kind": "company"}]
    personal = json.loads(_ok(hearing_app, ["show", "s1", "--include-personal", "--db", db]))
    assert personal["interviewers"] == "佐藤"
    assert personal["interviewees"] == [{"name": "山田太郎", "position": None}]
    assert "山田太郎" not in json.dumps(shown, ensure_ascii=False)
    bad = runner.invoke(hearing_app, ["show", "nope", "--db", db])
    assert bad.exit_code == 1 and "not found" in bad.output


def test_new_database_file_gets_a_schema_and_missing_tables_a_short_message(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.db"
    _ok(hearing_app, ["load-bundled", "--db", str(path)])  # a plain path works like a URL
    assert "福岡地域" in _ok(hearing_app, ["list", "--format", "csv", "--db", str(path)])
    import sqlite3

    with sqlite3.connect(path) as conn:  # a database from before the hearing tables existed
        conn.execute("DROP TABLE hearing_guide_questions")
    result = runner.invoke(hearing_app, ["load-bundled", "--db", str(path)])
    assert result.exit_code == 1
    assert "chiiki init" in result.output


def test_code_commands(loaded: str, tmp_path: Path) -> None:
    db = loaded
    _ok(code_app, ["codebook", "add", "人材", "--color", "#2CA02C", "--factor", "人材", "--db", db])
    _ok(code_app, ["codebook", "add", "コーディネーター", "--parent", "人材", "--db", db])
    codes = pd.read_csv(io.StringIO(_ok(code_app, ["codebook", "list", "--format", "csv", "--db", db])))
    assert list(codes["path"]) == ["人材", "人材 > コーディネーター"]
    out = _ok(
        code_app,
        [
            "apply",
            "--doc",
            "3",
            "--code",
            "コーディネーター",
            "--search",
            "コーディネーター",
            "--coder",
            "A",
            "--db",
            db,
        ],
    )
    assert out.count("segment") == 3
    _ok(code_app, ["apply", "--doc", "3", "--code", "人材", "--start", "0", "--end", "5", "--coder", "B", "--db", db])
    bad = runner.invoke(
        code_app, ["apply", "--doc", "3", "--code", "人材", "--start", "0", "--end", "99999", "--db", db]
    )
    assert bad.exit_code == 1 and "outside document" in bad.output
    segs = pd.read_csv(io.StringIO(_ok(code_app, ["segments", "人材", "--format", "csv", "--db", db])))
    assert len(segs) == 4
    matrix = _ok(code_app, ["matrix", "--by", "org_kind", "--format", "csv", "--db", db])
    assert "company" in matrix.splitlines()[0]
    agr = pd.read_csv(
        io.StringIO(
            _ok(
                code_app,
                ["agreement", "--coder1", "A", "--coder2", "B", "--unit", "segment", "--format", "csv", "--db", db],
            )
        )
    )
    assert set(agr["code"]) == {"人材", "コーディネーター", "(all codes)"}
    _ok(code_app, ["codebook", "export", str(tmp_path / "cb.qdc"), "--db", db])
    _ok(code_app, ["export-qdpx", str(tmp_path / "p.qdpx"), "--db", db])
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        assert "project.qde" in z.namelist()
    _ok(code_app, ["export-segments", str(tmp_path / "s.xlsx"), "--db", db])
    assert len(pd.read_excel(tmp_path / "s.xlsx")) == 4
    other = str(tmp_path / "other.db")  # a new file: the CLI creates the schema
    _ok(code_app, ["codebook", "import", str(tmp_path / "cb.qdc"), "--db", other])
    out = _ok(code_app, ["import-qdpx", str(tmp_path / "p.qdpx"), "--db", other])
    assert "4 segments" in out


@pytest.fixture
def coded(loaded: str) -> str:
    _ok(code_app, ["codebook", "add", "人材", "--db", loaded])
    _ok(code_app, ["apply", "--doc", "3", "--code", "人材", "--search", "人材", "--db", loaded])
    return loaded


def test_text_commands(coded: str, tmp_path: Path) -> None:
    db = coded
    freq = pd.read_csv(io.StringIO(_ok(text_app, ["freq", "--format", "csv", "--top", "10", "--db", db])))
    assert {"term", "tf", "df"} <= set(freq.columns) and len(freq) == 10
    kwic = pd.read_csv(
        io.StringIO(_ok(text_app, ["kwic", "コーディネーター", "--format", "csv", "--hub", "fukuoka", "--db", db]))
    )
    assert len(kwic) >= 3
    for ext in ("html", "graphml", "csv"):  # PNG drawing is covered by test_report
        _ok(text_app, ["network", "--out", str(tmp_path / f"n.{ext}"), "--min-df", "1", "--db", db])
        assert (tmp_path / f"n.{ext}").stat().st_size > 0
    _ok(
        text_app,
        [
            "ca",
            "--variable",
            "region",
            "--min-df",
            "1",
            "--csv",
            str(tmp_path / "ca.csv"),
            "--db",
            db,
        ],
    )
    coords = pd.read_csv(tmp_path / "ca.csv")
    assert set(coords.loc[coords["kind"] == "region", "label"]) >= {"鶴岡地域", "福岡地域"}
    rules = tmp_path / "rules.txt"
    rules.write_text("*人材\n人材 | コーディネーター\n*資金\n補助金 | 資金\n", encoding="utf-8")
    out = _ok(text_app, ["rules", str(rules), "--variable", "region", "--format", "csv", "--db", db])
    assert "鶴岡地域" in out
    out = _ok(text_app, ["freq", "--code", "人材", "--format", "csv", "--db", db])
    assert "人材" in out
    empty = runner.invoke(text_app, ["freq", "--since", "2030", "--db", db])
    assert empty.exit_code == 1 and "no documents" in empty.output
    _ok(text_app, ["report", "--out", str(tmp_path / "text_report.html"), "--db", db])
    html = (tmp_path / "text_report.html").read_text(encoding="utf-8")
    assert "ヒアリング調査実施機関一覧" in html and "data:image/png;base64," in html
