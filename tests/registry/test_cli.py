"""The registry CLI as a user runs it, in-process (``chiiki.cli.main.invoke``) on SQLite and
PostgreSQL, with real CP932 files; one real process for the ``export | import -`` pipe."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chiiki.cli.main import invoke

CHIIKI = str(Path(sys.executable).parent / "chiiki")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f]")
ENV = {"COLUMNS": "200"}


def run(db: str, *args: str, lang: str | None = None, input: bytes | str | None = None):  # noqa: A002
    root = ["--db", db] + (["--lang", lang] if lang else [])
    return invoke([*root, *args], env=ENV, input=input)


@pytest.fixture
def cli_db(db_url: str) -> str:
    r = run(db_url, "db", "init")
    assert r.exit_code == 0, r.stderr
    assert "同梱データを読み込みました" in r.stdout
    return db_url


def test_init_is_idempotent_and_says_so_in_each_language(cli_db: str) -> None:
    again = run(cli_db, "db", "init", lang="en")
    assert again.exit_code == 0 and "bundled data loaded (0 new rows)" in again.stdout
    assert not JAPANESE.search(again.stdout + again.stderr)


def test_summary_in_japanese_and_english(cli_db: str) -> None:
    out = run(cli_db, "summary").stdout
    assert "採択 121 件" in out and "ECO" in out and "事後評価 5 件" in out
    assert "後継リンク: 規則 11、資料に明記 7" in out
    assert "事後（終了）" not in out and "獲得" not in out
    en = run(cli_db, "summary", lang="en").stdout
    assert "121 adoptions (22 programs" in en and "Successor links: rule 11, stated in a source 7" in en
    assert "unknown 5" in en  # adoptions without a prefecture: a label, not the Japanese 不明
    data = json.loads(run(cli_db, "summary", "--format", "json").stdout)
    assert data["n_adoptions"] == 121 and {"prefecture": None, "adoptions": 5} in data["per_prefecture"]


def test_info_shows_the_sqlite_path(cli_db: str) -> None:
    out = run(cli_db, "info", lang="en").stdout
    assert "adoptions: 121" in out and "schema: " in out
    if cli_db.startswith("sqlite"):
        assert "SQLite file: " in out and cli_db.rsplit("/", 1)[1] in out
    assert "採択: 121" in run(cli_db, "info").stdout


def test_bad_cp932_file_exits_nonzero_and_changes_nothing(cli_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad_sjis.csv"
    path.write_bytes(
        "事業名,エリア名,事業開始年度\n地域イノベーション・エコシステム形成プログラム,甲,H28\n"
        "地域イノベーション・エコシステム形成プログラム,乙,来年\n".encode("cp932")
    )
    before = run(cli_db, "export", "adoptions").stdout_bytes
    r = run(cli_db, "import", str(path))
    assert r.exit_code == 1
    assert "3 行目、列「事業開始年度」: 年度として読めません" in r.stderr and "来年" in r.stderr
    assert "何も取り込んでいません" in r.stderr and "Traceback" not in r.stderr
    en = run(cli_db, "import", str(path), lang="en")
    assert "row 3, column 事業開始年度: not a fiscal year" in en.stderr and "(value: 来年)" in en.stderr
    assert "1 error; nothing was imported" in en.stderr
    assert run(cli_db, "export", "adoptions").stdout_bytes == before


def test_missing_column_error_names_the_file(cli_db: str, tmp_path: Path) -> None:
    """Regression: the loop over missing columns overwrote the file name with the column name."""
    path = tmp_path / "no_program.csv"
    path.write_text("エリア名,事業開始年度\n札幌,2002\n", encoding="utf-8")
    r = run(cli_db, "import", str(path), lang="en")
    assert r.exit_code == 1
    assert f"{path}: row 1, column program_id / program_name: required column is missing" in r.stderr
    assert f"error: {path}: 1 error; nothing was imported" in r.stderr


def test_import_twice_adds_nothing(cli_db: str, tmp_path: Path) -> None:
    path = tmp_path / "ok_sjis.csv"
    path.write_bytes(
        "事業名,都道府県名,エリア名,事業開始年度,事業終了年度\n"
        "地域イノベーション・エコシステム形成プログラム,宮城県,CLI地域,令和元年度,R3\n".encode("cp932")
    )
    first = run(cli_db, "import", str(path))
    assert first.exit_code == 0 and "cp932" in first.stdout and "追加 1" in first.stdout
    assert "拠点 " in first.stdout  # the hubs were refreshed by the import itself
    second = run(cli_db, "import", str(path), lang="en").stdout
    assert "1 row — inserted 0, updated 0, unchanged 1" in second


def test_dry_run(cli_db: str, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("program_id,region_name,start_fy\nECO,ドライ,2020\n", encoding="utf-8")
    r = run(cli_db, "import", "--dry-run", str(path), lang="en")
    assert r.exit_code == 0 and r.stdout.startswith("dry run (nothing written)")
    rows = json.loads(run(cli_db, "adoptions", "list", "--program", "ECO", "--format", "json").stdout)["rows"]
    assert "ドライ" not in {r["region_name"] for r in rows}


def test_list_filters_and_formats(cli_db: str) -> None:
    data = json.loads(run(cli_db, "adoptions", "list", "--grade", "S", "--format", "json").stdout)
    assert {r["adoption_id"] for r in data["rows"]} == {"ECO-2016-tsukuba"}
    bad = run(cli_db, "adoptions", "list", "--grade", "X", lang="en")
    assert bad.exit_code == 2 and "grade: unknown grade" in bad.stderr
    assert run(cli_db, "adoptions", "list", "--from", "来年").exit_code == 2
    rows = json.loads(run(cli_db, "adoptions", "list", "--from", "H14", "--to", "H14", "-f", "json").stdout)["rows"]
    assert rows and all(r["start_fy"] == 2002 for r in rows)
    csv_out = run(cli_db, "adoptions", "list", "--has-successor", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("adoption_id,") and "KC1-2002-fukuoka" in csv_out
    table = run(cli_db, "adoptions", "list", "--program", "ECO", "--grade", "S").stdout
    assert "採択 1 件" in table and "事後評価" in table
    assert "1 adoption" in run(cli_db, "adoptions", "list", "--grade", "S", lang="en").stdout


def test_export_encodings_and_errors(cli_db: str, tmp_path: Path) -> None:
    out = tmp_path / "adoptions_sjis.csv"
    r = run(cli_db, "export", "adoptions", "-o", str(out), "--encoding", "cp932", lang="en")
    assert r.exit_code == 0 and f"121 rows → {out}" in r.stderr
    assert "つくば" in out.read_bytes().decode("cp932")
    piped = run(cli_db, "export", "programs", "--encoding", "utf-8-sig").stdout_bytes
    assert piped.startswith(b"\xef\xbb\xbfprogram_id,")
    assert run(cli_db, "export", "adoptions", "-f", "xlsx").exit_code == 2
    assert run(cli_db, "export", "adoptions", "--encoding", "nope").exit_code == 2


def test_export_import_round_trip_in_process(cli_db: str) -> None:
    exported = run(cli_db, "export", "adoptions", "-f", "csv").stdout_bytes
    r = run(cli_db, "import", "-", "--table", "adoptions", lang="en", input=exported)
    assert r.exit_code == 0, r.stderr
    assert "<stdin>" in r.stdout and "121 rows — inserted 0, updated 0, unchanged 121" in r.stdout


def test_export_pipe_into_import_as_real_processes(tmp_path: Path) -> None:
    """The one subprocess test: a real shell pipe, bytes through real standard streams."""
    db = str(tmp_path / "pipe.db")
    assert subprocess.run([CHIIKI, "--db", db, "db", "init"], capture_output=True, timeout=120).returncode == 0
    exported = subprocess.run([CHIIKI, "--db", db, "export", "adoptions"], capture_output=True, timeout=120)
    r = subprocess.run(
        [CHIIKI, "--db", db, "--lang", "en", "import", "-"], input=exported.stdout, capture_output=True, timeout=120
    )
    assert r.returncode == 0, r.stderr.decode()
    assert "inserted 0, updated 0, unchanged 121" in r.stdout.decode()


def test_region_show_and_timeline(cli_db: str) -> None:
    out = run(cli_db, "region", "show", "弘前").stdout
    assert "CA-2007-hirosaki" in out and "RICP-2010-hirosaki" in out
    assert "[規則] 規則: 都道府県が同じ（青森）、エリア名の語が共通（弘前）" in out
    assert "2010年度開始（2009年度終了の 1 年後）" in out and "rule:" not in out
    en = run(cli_db, "region", "show", "弘前", lang="en").stdout
    assert "[rule] rule: same prefecture 青森; shared area-name word 弘前; starts FY2010, 1 year after" in en
    data = json.loads(run(cli_db, "region", "show", "弘前", "--format", "json").stdout)
    step = data["hubs"][0]["steps"][1]
    assert step["link_in"]["explanation"]["code"] == "registry.rule_link"
    missing = run(cli_db, "region", "show", "どこにもない", lang="en")
    assert missing.exit_code == 1 and "no hub matches どこにもない" in missing.stderr
    tl = run(cli_db, "timeline").stdout
    assert "知的クラスター創成事業" in tl and "2007:6" in tl
    tl_en = run(cli_db, "timeline", lang="en").stdout
    assert "Knowledge Cluster Initiative" in tl_en and "知的クラスター" not in tl_en


def test_duplicates_lists_reasons(cli_db: str) -> None:
    out = run(cli_db, "organizations", "duplicates").stdout
    assert "山口大学" in out and "に含まれます" in out and "候補 4 組" in out
    assert "宮城県産業技術総合センター" not in out  # a prefecture is not its own technology centre
    en = run(cli_db, "organizations", "duplicates", lang="en").stdout
    assert "is contained in" in en and "4 candidate pairs" in en


def test_lineage_rebuild_with_overrides(cli_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad_overrides.csv"
    bad.write_text("from_adoption_id,to_adoption_id,basis\nCA-2007-hirosaki,RICP-2010-hirosaki,maybe\n", "utf-8")
    r = run(cli_db, "lineage", "rebuild", "--overrides", str(bad), lang="en")
    assert r.exit_code == 1 and "errors in the override file" not in r.stderr[:0]
    assert "column basis: unknown link basis (accepted: stated (資料に明記), manual" in r.stderr
    assert "(value: maybe)" in r.stderr
    good = tmp_path / "overrides.csv"
    good.write_text("from_adoption_id,to_adoption_id,basis\nCA-2007-hirosaki,RICP-2010-hirosaki,reject\n", "utf-8")
    ok = run(cli_db, "lineage", "rebuild", "--overrides", str(good), "--window", "4", lang="en")
    assert ok.exit_code == 0 and ok.stdout.startswith("rule links ")
    hubs = json.loads(run(cli_db, "region", "show", "弘前", "-f", "json").stdout)["hubs"]
    assert len(hubs) == 2  # the rejected pair is no longer one hub


def test_db_drop_and_migrate(cli_db: str) -> None:
    assert "20" in run(cli_db, "db", "migrate", lang="en").stdout
    assert run(cli_db, "db", "drop", input="n\n").exit_code == 1  # asked, refused
    r = run(cli_db, "db", "drop", "--yes", lang="en")
    assert r.exit_code == 0 and "was dropped" in r.stdout
    assert "schema: none" in run(cli_db, "info", lang="en").stdout
    no_schema = run(cli_db, "db", "migrate", lang="en")
    assert no_schema.exit_code == 1 and "no schema yet" in no_schema.stderr


def test_db_option_on_the_command(cli_db: str, tmp_path: Path) -> None:
    other = str(tmp_path / "other.db")
    r = invoke(["db", "init", "--empty", "--db", other], env=ENV)
    assert r.exit_code == 0 and "空のスキーマ" in r.stdout
    assert "0 adoptions" in invoke(["--lang", "en", "summary", "--db", other], env=ENV).stdout
    assert "121 adoptions" in invoke(["--lang", "en", "summary", "--db", cli_db], env=ENV).stdout


def test_usage_errors_exit_2(cli_db: str) -> None:
    assert run(cli_db, "export", "nosuchtable").exit_code == 2
    assert run(cli_db, "import", "x.csv", "--table", "nope").exit_code == 2
    assert run(cli_db, "lineage", "rebuild", "--window", "0").exit_code == 2


def test_unexpected_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip", encoding="utf-8")
    r = invoke(["--db", str(tmp_path / "e.db"), "code", "import-qdpx", str(bad)], env=ENV)
    assert r.exit_code == 1 and "Traceback" not in r.stderr and r.stderr.strip()


def test_segment_csv_withholds_personal_text_unless_asked(cli_db: str, tmp_path: Path) -> None:
    """Transcripts hold personal data: the coded text leaves by CSV only with --include-personal."""
    transcript = tmp_path / "tr.txt"
    transcript.write_bytes(
        "佐藤（市役所）：電話は090-1234-5678です。人材育成が大事です。\n聞き手：ありがとうございます。\n".encode(
            "cp932"
        )
    )
    assert run(cli_db, "hearing", "import", str(transcript), "--hearing", "2").exit_code == 0
    assert run(cli_db, "code", "codebook", "add", "人材").exit_code == 0
    assert "090-1234-5678" not in run(cli_db, "hearing", "show", "2").stdout
    doc_id = "7"  # six bundled documents come first
    assert run(cli_db, "code", "apply", "--doc", doc_id, "--code", "人材", "--search", "電話は090").exit_code == 0
    plain = run(cli_db, "code", "segments", "人材", "--format", "csv")
    assert plain.exit_code == 0 and "090" not in plain.stdout and "1234-5678" not in plain.stdout
    asked = run(cli_db, "code", "segments", "人材", "--format", "csv", "--include-personal").stdout
    assert "090" in asked and "1234-5678" in asked
