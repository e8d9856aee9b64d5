"""Import: bundled data, CP932 Japanese headers, all-or-nothing, idempotence — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from chiiki.model.db import get_engine, session_scope
from chiiki.model.migrate import ensure_schema
from chiiki.model.registry import Adoption, LineageLink, PostProgramEvent, Program
from chiiki.model.sources import Citation, Source
from chiiki.registry.imports import ImportFailed, import_file

JA_HEADER = "事業名,都道府県名,エリア名,課題名,中核機関,事業開始年度,事業終了年度,中間評価,事後評価,事業予算の総額\n"


def _count(url: str, model: type) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model))


def _snapshot(url: str) -> list[tuple]:
    with session_scope(url) as s:
        return [
            (a.id, a.program_id, a.region_name, a.start_fy, a.end_fy, a.final_grade, a.budget_total_million_yen)
            for a in s.scalars(select(Adoption).order_by(Adoption.id))
        ]


def test_bundled_data_loads_with_sources(bundled_db: str) -> None:
    assert _count(bundled_db, Adoption) == 121
    assert _count(bundled_db, Program) == 22
    with session_scope(bundled_db) as s:
        stated = s.scalars(select(LineageLink).where(LineageLink.basis == "stated")).all()
        assert len(stated) == 7 and all(x.source_urls for x in stated)
        # every adoption cites at least one source URL, as SOURCES.md promises
        cited = set(s.scalars(select(Citation.entity_key).where(Citation.entity == "adoption")))
        assert len(cited) == 121
        assert s.scalar(select(func.count()).select_from(PostProgramEvent)) == 3
        eco = {
            a.id: (a.interim_grade, a.final_grade)
            for a in s.scalars(select(Adoption).where(Adoption.program_id == "ECO"))
        }
        assert eco["ECO-2016-tsukuba"] == ("A", "S")
        assert eco["ECO-2018-yamagata"] == (None, "-")


def test_bundled_load_is_idempotent(bundled_db: str) -> None:
    from chiiki.registry.bundled import load_bundled

    before = _snapshot(bundled_db)
    n_sources = _count(bundled_db, Source)
    with session_scope(bundled_db) as s:
        reports = load_bundled(s)
    assert sum(r.inserted + r.updated for r in reports) == 0
    assert _snapshot(bundled_db) == before
    assert _count(bundled_db, Source) == n_sources


def test_cp932_japanese_headers_and_era_years(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "saitaku_sjis.csv"
    path.write_bytes(
        (
            JA_HEADER
            + (
                "地域イノベーション・エコシステム形成プログラム,宮城県,【仙台テスト地域】,テスト課題,"
                "(公財)みやぎ産業振興機構,平成28年度,R2,Ａ,Ｓ,8.4億円\n"
                "知的クラスター創成事業(第I期),福岡県,福岡テスト,課題二,,H14,H18,,,\n"
            )
        ).encode("cp932")
    )
    with session_scope(bundled_db) as s:
        report = import_file(s, path)
    assert report.encoding == "cp932" and report.table == "adoptions"
    assert report.inserted == 2
    with session_scope(bundled_db) as s:
        a = s.scalar(select(Adoption).where(Adoption.region_name == "【仙台テスト地域】"))
        assert (a.program_id, a.start_fy, a.end_fy, a.duration_years) == ("ECO", 2016, 2020, 5)
        assert (a.interim_grade, a.final_grade, a.budget_total_million_yen) == ("A", "S", 840.0)
    # a second import of the same file adds and changes nothing
    before = _snapshot(bundled_db)
    with session_scope(bundled_db) as s:
        again = import_file(s, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert _snapshot(bundled_db) == before


def test_one_bad_row_imports_nothing_and_names_the_row(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        JA_HEADER
        + "地域イノベーション・エコシステム形成プログラム,宮城県,良い行,課題,,2016,2020,,,\n"
        + "地域イノベーション・エコシステム形成プログラム,宮城県,悪い行,課題,,平成X年,2020,,,\n"
        + "地域イノベーション・エコシステム形成プログラム,宮城県,評価が変,課題,,2016,2020,,X,\n",
        encoding="utf-8-sig",
    )
    before = _snapshot(bundled_db)
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path)
    errors = exc.value.errors
    assert [(e.row, e.column) for e in errors] == [(3, "事業開始年度"), (4, "事後評価")]
    assert "平成X年" in str(errors[0]) and str(path) in str(errors[0])
    assert _snapshot(bundled_db) == before


def test_errors_found_after_a_written_batch_still_roll_back(bundled_db: str, tmp_path: Path) -> None:
    """Batches are flushed as they fill; a late error must undo the early batches too."""
    path = tmp_path / "late_error.csv"
    lines = [f"ECO,宮城県,地域{i},課題{i},,2016,2020,,,\n" for i in range(30)]
    lines.append("ECO,宮城県,終わり,課題,,2016,2010,,,\n")  # end before start
    path.write_text(
        "program_id,prefectures,region_name,title,core_institution,start_fy,end_fy,"
        "interim_grade,final_grade,notes\n" + "".join(lines),
        encoding="utf-8",
    )
    before = _snapshot(bundled_db)
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path, batch_size=10)
    first = exc.value.errors[0]
    assert first.row == 32 and first.reason.code == "registry.end_before_start"
    assert first.reason.params == {"end": 2010, "start": 2016} and "before start FY" in str(first)
    assert _snapshot(bundled_db) == before


def test_dry_run_writes_nothing(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("program_id,region_name,start_fy\nECO,ドライラン地域,R3\n", encoding="utf-8")
    with session_scope(bundled_db) as s:
        report = import_file(s, path, dry_run=True)
    assert report.inserted == 1 and report.dry_run
    assert _count(bundled_db, Adoption) == 121


def test_unknown_program_id_is_an_error(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("program_id,region_name,start_fy\nNOPE,どこか,2020\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path)
    error = exc.value.errors[0]
    assert error.row == 2 and error.reason.code == "registry.unknown_program_id"
    assert "unknown program id NOPE" in str(error)


def test_missing_required_column_is_reported_on_row_1(db_url: str, tmp_path: Path) -> None:
    ensure_schema(get_engine(db_url))
    path = tmp_path / "h.csv"
    path.write_text("エリア名,事業開始年度\n札幌,2002\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc, session_scope(db_url) as s:
        import_file(s, path)
    error = exc.value.errors[0]
    assert error.row == 1 and error.column == "program_id / program_name"
    assert error.reason.code == "registry.required_column_missing"
    # regression: the loop over missing columns overwrote the file's name with a column's
    assert exc.value.file == str(path) and error.file == str(path)
    assert str(exc.value).startswith(f"{path}: 1 error")


def test_xlsx_with_japanese_headers(bundled_db: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["事業名", "都道府県名", "エリア名", "事業開始年度", "事業終了年度", "事後評価"])
    ws.append(["地域イノベーション・エコシステム形成プログラム", "山形県", "XLSX 地域", "H30", 2022, "B"])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with session_scope(bundled_db) as s:
        report = import_file(s, path)
    assert report.inserted == 1
    with session_scope(bundled_db) as s:
        a = s.scalar(select(Adoption).where(Adoption.region_name == "XLSX 地域"))
        assert (a.start_fy, a.end_fy, a.final_grade) == (2018, 2022, "B")


def test_organizations_participations_and_events_files(bundled_db: str, tmp_path: Path) -> None:
    """The small tables import with vocabulary and reference checks, idempotently."""
    from chiiki.model.registry import Organization, Participation

    orgs = tmp_path / "orgs.csv"
    orgs.write_text("機関名,種別,都道府県\n(株)久留米リサーチ・パーク,company,福岡県\n", encoding="utf-8")
    parts = tmp_path / "parts.csv"
    parts.write_text(
        "adoption_id,organization,kind,role\nKC2-2009-kurume,株式会社久留米リサーチ・パーク,company,participating\n",
        encoding="utf-8",
    )
    events = tmp_path / "events.csv"
    events.write_text(
        "adoption_id,kind,fy,description,source_urls\n"
        "KC2-2009-kurume,regional_budget,R3,県の独自予算（テスト）,https://example.invalid/a\n",
        encoding="utf-8",
    )
    with session_scope(bundled_db) as s:
        assert import_file(s, orgs).table == "organizations"
        assert import_file(s, parts).inserted == 1
        assert import_file(s, events).inserted == 1
    with session_scope(bundled_db) as s:
        org = s.scalar(select(Organization).where(Organization.name == "(株)久留米リサーチ・パーク"))
        assert org.kind == "company"
        assert (
            s.scalar(
                select(func.count())
                .select_from(Participation)
                .where(Participation.organization_id == org.id, Participation.adoption_id == "KC2-2009-kurume")
            )
            == 1
        )
        ev = s.scalar(select(PostProgramEvent).where(PostProgramEvent.kind == "regional_budget"))
        assert ev.fy == 2021
    with session_scope(bundled_db) as s:
        assert import_file(s, parts).unchanged == 1

    bad = tmp_path / "bad_parts.csv"
    bad.write_text(
        "adoption_id,organization,role\nNO-SUCH-ADOPTION,どこか,core\nKC2-2009-kurume,どこか,boss\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, bad, "participations")
    reasons = [(e.row, e.column, e.reason.code) for e in exc.value.errors]
    assert reasons == [(2, "adoption_id", "registry.unknown_adoption"), (3, "role", "ingest.unknown_code")]
    # Japanese labels are accepted too (issue 9): the error lists them (model.enums.parse_code)
    assert "unknown participation role (accepted: applicant (提案者)" in str(exc.value.errors[1])
    assert "(value: boss)" in str(exc.value.errors[1])


def test_a_file_with_some_columns_leaves_the_others_alone(bundled_db: str, tmp_path: Path) -> None:
    """Updating one grade must not erase the title, years or sources of the row (QA finding)."""
    path = tmp_path / "partial.csv"
    path.write_text(
        "adoption_id,program_id,region_name,final_grade\nCA-2007-hirosaki,CA_IPPAN,【弘前エリア】,A\n", encoding="utf-8"
    )
    with session_scope(bundled_db) as s:
        before = s.get(Adoption, "CA-2007-hirosaki")
        title, start, end, urls = before.title, before.start_fy, before.end_fy, before.source_urls
    with session_scope(bundled_db) as s:
        assert import_file(s, str(path)).updated == 1  # a str path works too
    with session_scope(bundled_db) as s:
        after = s.get(Adoption, "CA-2007-hirosaki")
        assert after.final_grade == "A"
        assert (after.title, after.start_fy, after.end_fy, after.source_urls) == (title, start, end, urls)
        assert (
            s.scalar(
                select(func.count())
                .select_from(Citation)
                .where(Citation.entity == "adoption", Citation.entity_key == "CA-2007-hirosaki")
            )
            >= 1
        )


def test_unknown_prefecture_and_era_year_zero_are_errors(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad_places.csv"
    path.write_text(
        "program_id,prefectures,region_name,start_fy,end_fy\n"
        "ECO,火星県,どこか,2018,2022\nECO,宮城県,ここ,R0,2022\nECO,宮城県,そこ,2020,2018\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path)
    got = [(e.row, e.column) for e in exc.value.errors]
    assert got == [(2, "prefectures"), (3, "start_fy"), (4, "end_fy")]
    assert "火星県" in str(exc.value.errors[0])


def test_xlsx_date_cells_become_fiscal_years(bundled_db: str, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["program_id", "region_name", "start_fy", "end_fy"])
    ws.append(["ECO", "日付の地域", datetime(2016, 4, 1), datetime(2021, 3, 31)])  # FY2016 – FY2020
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    with session_scope(bundled_db) as s:
        import_file(s, path)
    with session_scope(bundled_db) as s:
        a = s.scalar(select(Adoption).where(Adoption.region_name == "日付の地域"))
        assert (a.start_fy, a.end_fy) == (2016, 2020)


def test_row_errors_are_messages_in_both_languages(bundled_db: str, tmp_path: Path) -> None:
    """A reason is a message (code + parameters), rendered in the reader's language where shown."""
    from chiiki.i18n import render

    path = tmp_path / "bad_sjis.csv"
    path.write_bytes(
        (JA_HEADER + "地域イノベーション・エコシステム形成プログラム,宮城県,甲,課題,,来年,2020,,,\n").encode("cp932")
    )
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path, display_name="upload.csv")
    error = exc.value.errors[0]
    assert (error.file, error.row, error.column, error.value) == ("upload.csv", 2, "事業開始年度", "来年")
    assert error.reason.code == "ingest.not_fiscal_year"
    assert render(error.message, "en") == (
        "upload.csv: row 2, column 事業開始年度: not a fiscal year (expected e.g. 2002, FY2002, H14, R5 "
        "or a year of the Heisei or Reiwa era) (value: 来年)"
    )
    assert render(error.message, "ja").startswith("upload.csv: 2 行目、列「事業開始年度」: 年度として読めません")
    assert (
        render(exc.value.message, "ja") == "upload.csv: エラー 1 件。何も取り込んでいません（データベースは変更なし）。"
    )
    assert [d.code for d in exc.value.details] == ["registry.row_error_value"]


def test_more_errors_than_listed_are_counted(bundled_db: str, tmp_path: Path) -> None:
    from chiiki.registry.imports import MAX_LISTED_ERRORS

    path = tmp_path / "many.csv"
    path.write_text(
        "program_id,region_name,start_fy\n" + "".join(f"ECO,地域{i},来年\n" for i in range(MAX_LISTED_ERRORS + 5)),
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path)
    assert exc.value.total == MAX_LISTED_ERRORS + 5 and len(exc.value.errors) == MAX_LISTED_ERRORS
    assert exc.value.details[-1].code == "registry.more_errors" and exc.value.details[-1].params["n"] == 5


def test_vocabulary_is_checked_with_the_model_enums(bundled_db: str, tmp_path: Path) -> None:
    """Kinds, roles, bases and event kinds: the same closed sets the database's CHECKs hold."""
    from chiiki.model.enums import EventKind, values

    path = tmp_path / "events.csv"
    path.write_text(
        "adoption_id,kind,description\nKC2-2009-kurume, hub_organization ,空白つき\nKC2-2009-kurume,party,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, path)
    assert len(exc.value.errors) == 1
    error = exc.value.errors[0]
    assert (error.row, error.column, error.value) == (3, "kind", "party")
    assert error.reason.params["expected"] == ", ".join(values(EventKind))
    links = tmp_path / "self.csv"
    links.write_text("from_adoption_id,to_adoption_id\nKC2-2009-kurume,KC2-2009-kurume\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc, session_scope(bundled_db) as s:
        import_file(s, links)
    assert exc.value.errors[0].reason.code == "registry.self_link"


def test_read_errors_carry_messages(db_url: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    from chiiki.ingest.readers import ReadError

    ensure_schema(get_engine(db_url))
    wb = Workbook()
    wb.active.title = "採択"
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with pytest.raises(ReadError) as exc, session_scope(db_url) as s:
        import_file(s, path, sheet="なし")
    assert exc.value.message.code == "ingest.no_such_sheet" and exc.value.message.params["sheets"] == "採択"
    with pytest.raises(ReadError) as exc, session_scope(db_url) as s:
        import_file(s, tmp_path / "missing.csv")
    assert exc.value.message.code == "ingest.no_such_file" and "no such file" in str(exc.value)
