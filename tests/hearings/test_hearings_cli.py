"""The ``chiiki hearing`` / ``chiiki code`` / ``chiiki text`` commands, run in-process on a real database."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from chiiki.cli.main import invoke

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def _run(db: str, *args: str, lang: str = "ja", code: int = 0, env: dict[str, str] | None = None):
    result = invoke(["--lang", lang, "--db", db, *args], env=env or {})
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


def _ok(db: str, *args: str, lang: str = "ja") -> str:
    return _run(db, *args, lang=lang).stdout


def test_hearing_commands(db: str, tmp_path: Path) -> None:
    out = _ok(db, "hearing", "load-bundled", lang="en")
    assert "4 hearings of the report loaded (6 documents)" in out
    listing = pd.read_csv(io.StringIO(_ok(db, "hearing", "list", "--format", "csv")))
    assert list(listing["region"]) == ["神奈川地域", "鶴岡地域", "宮城地域", "福岡地域"]
    assert list(listing["date"]) == ["2023-11", "2024-09", "2024-10", "2024-11"]
    _ok(
        db,
        "hearing",
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
    )
    path = tmp_path / "t.txt"
    path.write_bytes("聞き手：質問です。\r\nＡ：回答です。\r\n".encode("cp932"))
    res = _run(db, "hearing", "import", str(path), "--hearing", "s1", "--sample", lang="en")
    assert "encoding cp932, 2 speaker turns" in res.stdout
    assert "personal data" in res.stderr
    shown = json.loads(_ok(db, "hearing", "show", "s1"))
    assert shown["date"] == "2025-02-03" and shown["interviewers"] is None and shown["interviewees"] is None
    assert shown["n_interviewees"] == 1
    assert shown["organizations"] == [{"name": "テスト株式会社", "kind": "company"}]
    personal = json.loads(_ok(db, "hearing", "show", "s1", "--include-personal"))
    assert personal["interviewers"] == "佐藤"
    assert personal["interviewees"] == [{"name": "山田太郎", "position": None}]
    assert "山田太郎" not in json.dumps(shown, ensure_ascii=False)
    bad = _run(db, "hearing", "show", "nope", lang="en", code=1)
    assert "Hearing nope not found" in bad.stderr and "Traceback" not in bad.stderr
    bad = _run(db, "hearing", "show", "nope", code=1)
    assert "ヒアリング nope が見つかりません" in bad.stderr


def test_adding_an_existing_key_changes_only_the_options_given(db: str) -> None:
    """Regression: `hearing add` with an existing key erased every field not given again."""
    _ok(
        db,
        "hearing",
        "add",
        "--key",
        "k",
        "--title",
        "試行",
        "--region",
        "鶴岡地域",
        "--date",
        "2024-09",
        "--consent",
        "obtained",
        "--interviewers",
        "佐藤",
        "--note",
        "初回",
        "--org",
        "鶴岡市:local_government",
        "--interviewee",
        "山田太郎",
    )
    res = _run(db, "hearing", "add", "--key", "k", "--note", "追記", "--org", "テスト株式会社:company", lang="en")
    assert "Hearing 1 (k) updated" in res.stdout
    h = json.loads(_ok(db, "hearing", "show", "k", "--include-personal"))
    assert (h["title"], h["region"], h["date"], h["consent"], h["interviewers"], h["note"]) == (
        "試行",
        "鶴岡地域",
        "2024-09",
        "obtained",
        "佐藤",
        "追記",
    )
    assert [o["name"] for o in h["organizations"]] == ["鶴岡市", "テスト株式会社"]
    assert [p["name"] for p in h["interviewees"]] == ["山田太郎"]
    missing = _run(db, "hearing", "add", "--key", "new-one", lang="en", code=1)
    assert "give it a title" in missing.stderr
    bad = _run(db, "hearing", "add", "--key", "k", "--consent", "maybe", lang="en", code=1)
    assert "consent must be one of obtained, pending, refused, not_needed" in bad.stderr


def test_a_database_missing_tables_names_the_real_commands(tmp_path: Path) -> None:
    """Regression: the hint named `chiiki init` / `chiiki db upgrade`, which do not exist."""
    path = tmp_path / "new.db"
    _ok(str(path), "db", "init")  # a plain path works like a URL; only `db init` creates the file
    assert "福岡地域" in _ok(str(path), "hearing", "list", "--format", "csv")
    import sqlite3

    with sqlite3.connect(path) as conn:  # a database from before the hearing tables existed
        conn.execute("DROP TABLE hearing_guide_questions")
    result = _run(str(path), "hearing", "load-bundled", lang="en", code=1)
    assert "chiiki db init" in result.stderr
    assert "chiiki init`" not in result.stderr and "db upgrade" not in result.stderr


def test_code_commands(loaded: str, tmp_path: Path) -> None:
    db = loaded
    _ok(db, "code", "codebook", "add", "人材", "--color", "#2CA02C", "--factor", "人材")
    _ok(db, "code", "codebook", "add", "コーディネーター", "--parent", "人材")
    codes = pd.read_csv(io.StringIO(_ok(db, "code", "codebook", "list", "--format", "csv")))
    assert list(codes["path"]) == ["人材", "人材 > コーディネーター"]
    out = _ok(
        db, "code", "apply", "--doc", "3", "--code", "コーディネーター", "--search", "コーディネーター", "--coder", "A"
    )
    assert "3 箇所" in out
    _ok(db, "code", "apply", "--doc", "3", "--code", "人材", "--start", "0", "--end", "5", "--coder", "B")
    bad = _run(db, "code", "apply", "--doc", "3", "--code", "人材", "--start", "0", "--end", "99999", lang="en", code=1)
    assert "outside document 3" in bad.stderr
    bad = _run(db, "code", "apply", "--doc", "3", "--code", "人材", lang="en", code=1)
    assert "Give --start and --end, or --search" in bad.stderr
    segs = pd.read_csv(io.StringIO(_ok(db, "code", "segments", "人材", "--format", "csv")))
    assert len(segs) == 4 and not segs["withheld"].any()
    # two coders: a code table is one coder's or by a rule, never their sum
    refused = _run(db, "code", "matrix", "--by", "org_kind", "--format", "csv", lang="en", code=1)
    assert "2 coders (A, B)" in refused.stderr and "--coder" in refused.stderr
    matrix = _ok(db, "code", "matrix", "--by", "org_kind", "--coder", "A", "--format", "csv")
    assert "company" in matrix.splitlines()[0]
    agr = pd.read_csv(
        io.StringIO(
            _ok(db, "code", "agreement", "--coder1", "A", "--coder2", "B", "--unit", "segment", "--format", "csv")
        )
    )
    assert set(agr["code"]) == {"人材", "コーディネーター", "(all codes)"}
    agr_json = json.loads(_ok(db, "code", "agreement", "--coder1", "A", "--coder2", "B", "--format", "json"))
    assert agr_json["title"]["code"] == "hearings.agreement_title"
    _ok(db, "code", "codebook", "export", str(tmp_path / "cb.qdc"))
    _ok(db, "code", "export-qdpx", str(tmp_path / "p.qdpx"))
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        assert "project.qde" in z.namelist()
    _ok(db, "code", "export-segments", str(tmp_path / "s.xlsx"))
    assert len(pd.read_excel(tmp_path / "s.xlsx")) == 4
    other = str(tmp_path / "other.db")  # a new, empty database
    _ok(other, "db", "init", "--empty")
    _ok(other, "code", "codebook", "import", str(tmp_path / "cb.qdc"))
    out = _ok(other, "code", "import-qdpx", str(tmp_path / "p.qdpx"), lang="en")
    assert "4 new coded segments" in out
    bad = _run(other, "code", "import-qdpx", str(tmp_path / "cb.qdc"), lang="en", code=1)
    assert "is not a REFI-QDA project" in bad.stderr


@pytest.fixture
def coded(loaded: str) -> str:
    _ok(loaded, "code", "codebook", "add", "人材")
    _ok(loaded, "code", "apply", "--doc", "3", "--code", "人材", "--search", "人材")
    return loaded


def test_text_commands(coded: str, tmp_path: Path) -> None:
    db = coded
    freq = pd.read_csv(io.StringIO(_ok(db, "text", "freq", "--format", "csv", "--top", "10")))
    assert {"term", "tf", "df"} <= set(freq.columns) and len(freq) == 10
    kwic = pd.read_csv(io.StringIO(_ok(db, "text", "kwic", "コーディネーター", "--format", "csv", "--hub", "fukuoka")))
    assert len(kwic) >= 3
    row = kwic.iloc[0]
    doc_text = json.loads(_ok(db, "code", "segments", "人材", "--format", "json"))  # offsets point into the text
    assert doc_text["rows"] and row["end"] - row["start"] == len("コーディネーター")
    for ext in ("png", "svg", "html", "graphml", "csv"):
        _ok(db, "text", "network", "--out", str(tmp_path / f"n.{ext}"), "--min-df", "1")
        assert (tmp_path / f"n.{ext}").stat().st_size > 0
    assert (tmp_path / "n.png").read_bytes()[:4] == b"\x89PNG"
    _ok(db, "text", "ca", "--variable", "region", "--min-df", "1", "--csv", str(tmp_path / "ca.csv"))
    coords = pd.read_csv(tmp_path / "ca.csv", encoding="utf-8-sig")
    assert set(coords.loc[coords["kind"] == "region", "label"]) >= {"鶴岡地域", "福岡地域"}
    rules = tmp_path / "rules.txt"
    rules.write_text("*人材\n人材 | コーディネーター\n*資金\n補助金 | 資金\n", encoding="utf-8")
    out = _ok(db, "text", "rules", str(rules), "--variable", "region", "--format", "csv")
    assert "鶴岡地域" in out and "total" in out
    table = _ok(db, "text", "rules", str(rules), "--variable", "region")
    assert "合計" in table
    bad_rules = tmp_path / "bad.txt"
    bad_rules.write_text("*人材\n人材 |\n", encoding="utf-8")
    bad = _run(db, "text", "rules", str(bad_rules), lang="en", code=1)
    assert "*人材: the rule ends too early" in bad.stderr
    out = _ok(db, "text", "freq", "--code", "人材", "--format", "csv")
    assert "人材" in out
    empty = _run(db, "text", "freq", "--since", "2030", lang="en", code=1)
    assert "No documents match the selection" in empty.stderr
    bad = _run(db, "text", "network", "--out", str(tmp_path / "n.pdf"), lang="en", code=1)
    assert "'.pdf'" in bad.stderr
    _ok(db, "text", "report", "--out", str(tmp_path / "text_report.html"))
    html = (tmp_path / "text_report.html").read_text(encoding="utf-8")
    assert "ヒアリング調査実施機関一覧" in html and "data:image/png;base64," in html


def _strip_data(text: str, data: list[str]) -> str:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def test_english_output_has_no_japanese_but_data(coded: str, tmp_path: Path) -> None:
    """`--lang en`: every heading, title, notice and warning in English; data values as written."""
    db = coded
    rules = tmp_path / "rules.txt"
    rules.write_text("*people\n人材\n", encoding="utf-8")
    commands = [
        ("hearing", "list"),
        ("hearing", "show", "2024-11-fukuoka"),
        ("code", "codebook", "list"),
        ("code", "segments", "人材"),
        ("code", "matrix"),
        ("code", "export-qdpx", str(tmp_path / "p.qdpx")),
        ("code", "export-segments", str(tmp_path / "s.csv")),
        ("text", "freq", "--top", "5"),
        ("text", "network", "--out", str(tmp_path / "n.html")),
        ("text", "ca", "--variable", "region"),
        ("text", "rules", str(rules), "--variable", "region"),
        ("hearing", "--help"),
        ("code", "--help"),
        ("code", "segments", "--help"),
        ("text", "--help"),
        ("text", "network", "--help"),
    ]
    from chiiki import Settings, Workbench

    wb = Workbench(Settings(db_url=db, lang="en"))
    data = [str(v) for r in wb.list_hearings().rows for v in r.values() if isinstance(v, str)]
    data += [o for r in wb.list_hearings().rows for o in r["organizations"]]
    data += [str(r[k]) for r in wb.segments("人材").rows for k in ("document", "before", "text", "after", "region")]
    data += [str(r["term"]) for r in wb.text_freq(None).rows]
    data += [str(r[k]) for r in wb.text_network().edges.rows for k in ("a", "b")]
    data += [str(r["label"]) for r in wb.text_ca("region").coordinates.rows]
    data += ["人材", "【サンプル】"]
    detail = wb.hearing_detail("2024-11-fukuoka").to_dict()
    data += [json.dumps(detail, ensure_ascii=False, indent=2)]
    data += [d for d in json.dumps(detail, ensure_ascii=False).split('"') if JAPANESE.search(d)]
    for args in commands:
        res = _run(db, *args, lang="en", env={"COLUMNS": "1000"})  # wide: cells are not wrapped
        rest = _strip_data(res.stdout + res.stderr, data)
        rest = rest.replace("│", "").replace("━", "").replace("┃", "").replace("…", "")
        found = JAPANESE.findall(rest)
        assert not found, (args, "".join(found)[:80])


def test_one_subprocess_smoke() -> None:
    """The installed entry point still starts (everything else runs in-process)."""
    out = subprocess.run(
        [sys.executable, "-m", "chiiki.cli.main", "--lang", "en", "code", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "qualitative coding (QDA, REFI-QDA)" in out.stdout and "export-qdpx" in out.stdout
