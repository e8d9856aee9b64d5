"""Values built to break the terminal: Rich markup in data, a 60 KB name, and files written whole.

A name such as ``[/bold]X`` once committed an import and then crashed it and every later
``summary``; a 60 KB name stalled output for 40 s. Both are data, printed as written (escaped),
and long values are shortened where they are shown (the data and JSON keep them whole).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chiiki.cli.main import invoke
from chiiki.i18n import msg, render, shorten
from chiiki.ingest.atomic import atomic_open, atomic_path, write_text

MARKUP = "[/bold]X[red]"
ONE_YEAR = ("--program", "CA_IPPAN", "--from", "2008", "--to", "2008")
HUGE = "長" * 20_000  # 60 KB in UTF-8, under the 32,767-character cell cap


def run(db: str, *args: str, lang: str = "en"):
    return invoke(["--db", db, "--lang", lang, *args], env={"COLUMNS": "300"})


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'chiiki.db'}"
    assert run(url, "db", "init").exit_code == 0
    return url


def _adoptions_file(tmp_path: Path, title: str, region: str) -> Path:
    f = tmp_path / "adoptions.csv"
    f.write_text(
        f"事業ID,エリア名,課題名,事業開始年度,都道府県名\nCA_IPPAN,{region},{title},2008,長野県\n",
        encoding="utf-8",
    )
    return f


def test_markup_in_a_name_is_shown_as_written_and_breaks_nothing(db: str, tmp_path: Path) -> None:
    r = run(db, "import", str(_adoptions_file(tmp_path, MARKUP, f"長野{MARKUP}")))
    assert r.exit_code == 0, r.stderr
    listed = run(db, "adoptions", "list", *ONE_YEAR)
    assert listed.exit_code == 0, listed.stderr
    assert MARKUP in listed.stdout.replace("\n", "")
    assert run(db, "summary").exit_code == 0


def test_a_60_kb_name_is_shortened_on_the_terminal_and_whole_in_json(db: str, tmp_path: Path) -> None:
    r = run(db, "import", str(_adoptions_file(tmp_path, "題", HUGE)))
    assert r.exit_code == 0, r.stderr
    table = run(db, "adoptions", "list", *ONE_YEAR)
    assert table.exit_code == 0 and "…(+" in table.stdout and len(table.stdout) < 20_000
    data = json.loads(run(db, "adoptions", "list", *ONE_YEAR, "--format", "json").stdout)
    assert any(HUGE in json.dumps(row, ensure_ascii=False) for row in data["rows"])


def test_a_long_value_in_an_error_line_is_shortened(db: str, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(f"事業ID,エリア名,課題名,事業開始年度\nCA_IPPAN,長野,題,{'9' * 5000}\n", encoding="utf-8")
    r = run(db, "import", str(f))
    assert r.exit_code != 0
    assert max(len(line) for line in r.stderr.splitlines()) < 600
    assert "…(+" in r.stderr


def test_shorten_keeps_short_values_and_counts_what_it_cut() -> None:
    assert shorten("abc") == "abc"
    cut = shorten("x" * 1000, 100)
    assert cut.startswith("x" * 80) and cut.endswith("…(+920)") and len(cut) < 100
    assert "…(+" in render(msg("ingest.no_such_file", file="y" * 1000), "en")


def test_an_interrupted_write_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    write_text(target, "old,complete\n")
    with pytest.raises(OSError), atomic_open(target) as fh:
        fh.write("new,half")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "old,complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_a_library_saving_to_a_path_gets_the_rename_too(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    target = tmp_path / "t.xlsx"
    wb = Workbook()
    wb.active["A1"] = "値"
    with atomic_path(target) as tmp:
        wb.save(tmp)
        assert not target.exists()
    assert load_workbook(target).active["A1"].value == "値"
    assert oct(target.stat().st_mode & 0o777) != "0o600"  # an ordinary file, not mkstemp's 0600
