"""Atomic exports, databases that are not there, and files as people have them (issue 9, items
1, 2 and 5), on real files.

- An export interrupted half-way leaves no partial file and an earlier file at that path intact
  (fails on the old code for XLSX: ``write_xlsx`` saved straight to the path it was given).
- A mistyped PostgreSQL database name is one clear line (fails on the old code: the raw
  OperationalError text of the driver).
- An XLSX with a title row above the header and the data on the second sheet imports, saying
  where it found the table; ``--header-row`` and ``--sheet`` override (fails on the old code:
  "required column missing from row 1", and no such options).
- Japanese kind and role labels (財団, 公設試, 参画機関) import as their codes (fails on the old
  code: "unknown kind").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook as XlsxWorkbook
from sqlalchemy import select

from chiiki import Workbench, WorkbenchError
from chiiki.cli.main import invoke
from chiiki.i18n import render
from chiiki.model.db import session_scope
from chiiki.model.registry import Adoption, Organization, Participation


@pytest.fixture
def wb(db_url: str) -> Workbench:
    w = Workbench.open(db_url, lang="en")
    w.init()
    return w


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_interrupted_export_leaves_the_earlier_file(
    wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import chiiki.registry.export as export

    target = tmp_path / f"adoptions.{fmt}"
    target.write_bytes(b"an earlier export the user keeps")
    real = export.export_rows

    def failing_rows(session, table):  # type: ignore[no-untyped-def]
        cols, rows = real(session, table)

        def gen():  # type: ignore[no-untyped-def]
            for i, r in enumerate(rows):
                if i == 47:
                    raise OSError("disk full (simulated)")
                yield r

        return cols, gen()

    monkeypatch.setattr(export, "export_rows", failing_rows)
    with pytest.raises(OSError, match="simulated"):
        wb.export_table("adoptions", fmt, out=target, encoding="cp932" if fmt == "csv" else "utf-8")
    assert target.read_bytes() == b"an earlier export the user keeps"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    monkeypatch.setattr(export, "export_rows", real)
    done = wb.export_table("adoptions", fmt, out=target)
    assert done.counts["rows"] == 121 and target.stat().st_size > 1000


@pytest.mark.postgres
def test_mistyped_server_database_is_one_clear_line() -> None:
    import os

    from sqlalchemy.engine import make_url

    base = os.environ.get("CHIIKI_TEST_PG_URL")
    if not base:
        pytest.skip("no PostgreSQL server")
    url = make_url(base).set(database="chiiki_no_such_db_h2").render_as_string(hide_password=False)
    for args in (["summary"], ["info"], ["import", "x.csv"]):
        r = invoke(["--db", url, "--lang", "en", *args])
        assert r.exit_code != 0
        assert "there is no database" in r.stderr and "chiiki_no_such_db_h2" in r.stderr, r.stderr
        assert "OperationalError" not in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def _government_list(path: Path) -> Path:
    """The usual layout of a government list: a notes sheet first, then a sheet with a title row
    and a note row above the header."""
    book = XlsxWorkbook()
    notes = book.active
    notes.title = "説明"
    notes.append(["この資料は採択地域の一覧です（合成データ）"])
    data = book.create_sheet("採択一覧")
    data.append(["令和元年度 地域イノベーション・エコシステム形成プログラム 採択地域一覧（合成データ）"])
    data.append(["※金額は百万円"])
    data.append(["事業名", "都道府県名", "エリア名", "事業開始年度", "事業終了年度"])
    data.append(["地域イノベーション・エコシステム形成プログラム", "宮城県", "表題行の地域", "令和元年度", "R5"])
    book.save(path)
    return path


def test_title_row_and_second_sheet(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    path = _government_list(tmp_path / "list.xlsx")
    result = wb.import_file(path)
    assert result.inserted == 1 and result.header_row == 3 and result.sheet == "採択一覧"
    d = result.to_dict()
    assert d["reader_notices"] and d["header_row"] == 3
    shown = [render(m, "en") for m in result.notices]
    assert any("3" in line and "header" in line.lower() for line in shown), shown
    with session_scope(db_url) as s:
        assert s.scalar(select(Adoption.start_fy).where(Adoption.region_name == "表題行の地域")) == 2019


def test_header_row_and_sheet_options_in_the_cli(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    path = _government_list(tmp_path / "list.xlsx")
    r = invoke(["--db", db_url, "--lang", "en", "import", str(path), "--sheet", "採択一覧", "--header-row", "3",
                "--dry-run"])  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("dry run (nothing written)") and "inserted 1" in r.stdout
    wrong = invoke(["--db", db_url, "--lang", "en", "import", str(path), "--sheet", "採択一覧", "--header-row", "1"])
    assert wrong.exit_code == 1 and "required column is missing" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_japanese_kind_and_role_labels(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    orgs = tmp_path / "orgs.csv"
    orgs.write_bytes("機関名,種別\n合成やまがた振興財団,財団\n合成県工業技術センター,公設試\n".encode("cp932"))
    wb.import_file(orgs)
    parts = tmp_path / "parts.csv"
    parts.write_bytes("採択ID,機関名,種別,役割\nECO-2016-tsukuba,合成やまがた振興財団,財団,参画機関\n".encode("cp932"))
    wb.import_file(parts)
    with session_scope(db_url) as s:
        q = select(Organization.name, Organization.kind).where(Organization.name.like("合成%"))
        kinds = dict(s.execute(q).tuples().all())
        assert kinds == {"合成やまがた振興財団": "foundation", "合成県工業技術センター": "public_research_institute"}
        roles = set(
            s.scalars(select(Participation.role).join(Organization).where(Organization.name == "合成やまがた振興財団"))
        )
        assert roles == {"participating"}
    bad = tmp_path / "bad.csv"
    bad.write_text("機関名,種別\n合成謎機関,宇宙人\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as err:
        wb.import_file(bad)
    assert "row 2, column 種別" in render(err.value.details[0], "en")


def test_merged_cells_and_short_prefecture_names_import_right(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """A list with a merged 事業名 cell over three rows and a merged start year over two, and
    prefectures written short (岩手, 東京・大阪): every row gets its program and year, and the
    prefectures are stored by their official names (on the old code: rows 2–3 had no program,
    the second year was blank, 岩手 was stored as written)."""
    book = XlsxWorkbook()
    ws = book.active
    ws.append(["採択地域一覧（合成データ）"])
    ws.append(["事業名", "都道府県名", "エリア名", "事業開始年度", "事業終了年度"])
    ws.append(["地域イノベーション・エコシステム形成プログラム", "岩手", "結合セル一", "H28", "R2"])
    ws.append([None, "東京・大阪", "結合セル二", None, "R2"])
    ws.append([None, "京都", "結合セル三", "H29", "R3"])
    ws.merge_cells("A3:A5")
    ws.merge_cells("D3:D4")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = wb.import_file(path)
    assert result.inserted == 3
    shown = " ".join(render(m, "en") for m in result.notices)
    assert "A3:A5" in shown and "D3:D4" in shown
    with session_scope(db_url) as s:
        rows = s.execute(
            select(Adoption.region_name, Adoption.program_id, Adoption.prefectures, Adoption.start_fy).where(
                Adoption.region_name.like("結合セル%")
            )
        ).all()
    got = {r[0]: r[1:] for r in rows}
    program = got["結合セル一"][0]
    assert program and all(v[0] == program for v in got.values())
    assert got["結合セル一"][1:] == ("岩手県", 2016)
    assert got["結合セル二"][1:] == ("東京都; 大阪府", 2016)
    assert got["結合セル三"][1:] == ("京都府", 2017)


def test_an_unbalanced_quote_is_refused_naming_the_row(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """A quote that is never closed swallowed the following rows into one cell, and the import
    reported success; now it is refused at the row where the record started, nothing written."""
    path = tmp_path / "quote.csv"
    rows = [f"ECO,地域{i},課題{i},2016" for i in range(6)]
    rows[2] = 'ECO,"地域2,課題2,2016'
    path.write_bytes(("事業ID,エリア名,課題名,事業開始年度\n" + "\n".join(rows) + "\n").encode("cp932"))
    before = wb.summary().n_adoptions
    r = invoke(["--db", db_url, "--lang", "en", "import", str(path)])
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    assert "row 4" in r.stderr or "line 4" in r.stderr, r.stderr
    assert wb.summary().n_adoptions == before
