"""The registry CLI as a user runs it: real processes, a real SQLite file, CP932 input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHIIKI = str(Path(sys.executable).parent / "chiiki")


def run(args: list[str], env_url: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHIIKI_DB_URL": env_url, "COLUMNS": "200"}
    return subprocess.run([CHIIKI, *args], capture_output=True, env=env, input=stdin, timeout=120)


@pytest.fixture
def cli_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    r = run(["db", "init"], url)
    assert r.returncode == 0, r.stderr.decode()
    return url


def test_init_and_summary(cli_db: str) -> None:
    out = run(["summary"], cli_db).stdout.decode()
    assert "採択 121 件" in out and "ECO" in out and "事後" in out
    en = run(["--lang", "en", "summary"], cli_db).stdout.decode()
    assert "121 adoptions" in en


def test_info_shows_the_sqlite_path(cli_db: str) -> None:
    out = run(["info"], cli_db).stdout.decode()
    assert "cli.db" in out and "adoptions: 121" in out


def test_bad_cp932_file_exits_nonzero_and_changes_nothing(cli_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad_sjis.csv"
    path.write_bytes(
        "事業名,エリア名,事業開始年度\n地域イノベーション・エコシステム形成プログラム,甲,H28\n"
        "地域イノベーション・エコシステム形成プログラム,乙,来年\n".encode("cp932")
    )
    before = run(["export", "adoptions"], cli_db).stdout
    r = run(["import", str(path)], cli_db)
    err = r.stderr.decode()
    assert r.returncode == 1
    assert "row 3" in err and "事業開始年度" in err and "来年" in err and "nothing was imported" not in err[:0]
    assert run(["export", "adoptions"], cli_db).stdout == before


def test_import_twice_adds_nothing(cli_db: str, tmp_path: Path) -> None:
    path = tmp_path / "ok_sjis.csv"
    path.write_bytes(
        "事業名,都道府県名,エリア名,事業開始年度,事業終了年度\n"
        "地域イノベーション・エコシステム形成プログラム,宮城県,CLI地域,令和元年度,R3\n".encode("cp932")
    )
    first = run(["import", str(path)], cli_db)
    assert first.returncode == 0 and "cp932" in first.stdout.decode()
    second = run(["--lang", "en", "import", str(path)], cli_db).stdout.decode()
    assert "inserted 0, updated 0, unchanged 1" in second


def test_dry_run(cli_db: str, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("program_id,region_name,start_fy\nECO,ドライ,2020\n", encoding="utf-8")
    assert run(["import", "--dry-run", str(path)], cli_db).returncode == 0
    rows = json.loads(run(["adoptions", "list", "--program", "ECO", "--format", "json"], cli_db).stdout)
    assert "ドライ" not in {r["region_name"] for r in rows}


def test_export_json_and_filters(cli_db: str) -> None:
    rows = json.loads(run(["adoptions", "list", "--grade", "S", "--format", "json"], cli_db).stdout)
    assert {r["adoption_id"] for r in rows} == {"ECO-2016-tsukuba"}
    assert run(["adoptions", "list", "--grade", "X"], cli_db).returncode == 2
    rows = json.loads(run(["adoptions", "list", "--from", "H14", "--to", "H14", "--format", "json"], cli_db).stdout)
    assert rows and all(r["start_fy"] == 2002 for r in rows)
    csv_out = run(["adoptions", "list", "--has-successor", "--format", "csv"], cli_db).stdout.decode()
    assert csv_out.splitlines()[0].startswith("adoption_id,") and "KC1-2002-fukuoka" in csv_out


def test_export_to_stdin_import_round_trip(cli_db: str) -> None:
    exported = run(["export", "adoptions", "-f", "csv"], cli_db).stdout
    r = run(["--lang", "en", "import", "-", "--table", "adoptions"], cli_db, stdin=exported)
    assert r.returncode == 0 and "inserted 0, updated 0, unchanged 121" in r.stdout.decode()


def test_region_show_and_timeline(cli_db: str) -> None:
    out = run(["region", "show", "弘前"], cli_db).stdout.decode()
    assert "CA-2007-hirosaki" in out and "RICP-2010-hirosaki" in out and "rule:" in out
    tl = run(["timeline"], cli_db).stdout.decode()
    assert "知的クラスター創成事業" in tl and "2007:6" in tl


def test_duplicates_lists_reasons(cli_db: str) -> None:
    out = run(["organizations", "duplicates"], cli_db).stdout.decode()
    assert "山口大学" in out and "contained" in out
    assert "宮城県産業技術総合センター" not in out  # a prefecture is not its own technology centre


def test_unexpected_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip", encoding="utf-8")
    r = run(["code", "import-qdpx", str(bad)], f"sqlite:///{tmp_path / 'e.db'}")
    err = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in err and "BadZipFile" in err


def test_usage_errors_exit_2(cli_db: str) -> None:
    assert run(["export", "nosuchtable"], cli_db).returncode == 2
    assert run(["import", "x.csv", "--table", "nope"], cli_db).returncode == 2


def test_segment_csv_withholds_personal_text_unless_asked(cli_db: str, tmp_path: Path) -> None:
    """Transcripts hold personal data: the coded text leaves by CSV only with --include-personal."""
    transcript = tmp_path / "tr.txt"
    transcript.write_bytes(
        "佐藤（市役所）：電話は090-1234-5678です。人材育成が大事です。\n聞き手：ありがとうございます。\n".encode(
            "cp932"
        )
    )
    assert run(["hearing", "import", str(transcript), "--hearing", "2"], cli_db).returncode == 0
    assert run(["code", "codebook", "add", "人材"], cli_db).returncode == 0
    docs = run(["hearing", "show", "2"], cli_db).stdout.decode()
    assert "090-1234-5678" not in docs
    doc_id = "7"  # six bundled documents come first
    assert run(["code", "apply", "--doc", doc_id, "--code", "人材", "--search", "電話は090"], cli_db).returncode == 0
    plain = run(["code", "segments", "人材", "--format", "csv"], cli_db)
    assert "090-1234-5678" not in plain.stdout.decode() and "withheld" in plain.stderr.decode()
    asked = run(["code", "segments", "人材", "--format", "csv", "--include-personal"], cli_db).stdout.decode()
    assert "090" in asked
