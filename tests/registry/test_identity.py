"""An adoption's identity survives corrections (issue 9, item 3), on SQLite and PostgreSQL.

Real CP932/UTF-8 files through the Workbench: a corrected 課題名 or エリア名 imported again
updates the adoption (its id kept, reported, listed by a dry run) instead of adding a second one
that then forms a hub of two; an ambiguous row is an error naming the candidates; an unknown
事業名 is an error with the closest names unless ``new_program``; ``merge_adoptions`` repairs a
duplicate already made, moving every reference (hearings' adoption ids and citations included).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from chiiki import Workbench, WorkbenchError
from chiiki.i18n import render
from chiiki.model.db import session_scope
from chiiki.model.hearings import Hearing, HearingAdoption
from chiiki.model.registry import Adoption, LineageLink, Participation, PostProgramEvent, Program
from chiiki.model.sources import Citation

HEADER = "事業名,都道府県名,エリア名,課題名,中核機関,事業開始年度,事業終了年度\n"
ECO = "地域イノベーション・エコシステム形成プログラム"


def _file(path: Path, *rows: str, encoding: str = "cp932") -> Path:
    path.write_bytes((HEADER + "".join(r + "\n" for r in rows)).encode(encoding))
    return path


def _adoptions(url: str, **where: object) -> list[Adoption]:
    with session_scope(url) as s:
        return list(s.scalars(select(Adoption).filter_by(**where).order_by(Adoption.id)))


@pytest.fixture
def wb(db_url: str) -> Workbench:
    w = Workbench.open(db_url, lang="en")
    w.init()
    return w


def test_corrected_title_updates_the_adoption(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """Fails on the old code: the corrected title hashed to a new id, a second adoption was
    inserted and the two formed one hub (the 'hub with two adoptions' of the issue)."""
    first = _file(tmp_path / "a.csv", f"{ECO},宮城県,【仙台識別地域】,旧い課題名,東北大学,2019,2023")
    wb.import_file(first)
    (before,) = _adoptions(db_url, region_name="【仙台識別地域】")
    hubs_before = wb.info().counts["hubs"]

    fixed = _file(tmp_path / "b.csv", f"{ECO},宮城,【仙台識別地域】,正しい課題名,東北大学,令和元年度,R5")
    dry = wb.import_file(fixed, dry_run=True)
    assert dry.matched == 1 and dry.inserted == 0 and dry.updated == 1
    line = render(dry.matches[0], "en")
    assert line == f"row 2 updates adoption {before.id} (title changed: 旧い課題名 → 正しい課題名)"
    assert [a.title for a in _adoptions(db_url, region_name="【仙台識別地域】")] == ["旧い課題名"]

    result = wb.import_file(fixed)
    assert (result.inserted, result.updated, result.matched) == (0, 1, 1)
    assert result.to_dict()["matches"][0]["code"] == "registry.row_updates_adoption"
    (after,) = _adoptions(db_url, region_name="【仙台識別地域】")
    assert after.id == before.id and after.title == "正しい課題名"
    assert wb.info().counts["hubs"] == hubs_before
    assert wb.info().counts["adoptions"] == 122

    # the same corrected file again: nothing changes, nothing is added
    again = wb.import_file(fixed)
    assert (again.inserted, again.updated) == (0, 0)
    assert wb.info().counts["adoptions"] == 122


def test_corrected_area_name_of_a_bundled_adoption(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """A government list without ids, with a corrected エリア名, updates the bundled adoption.
    Fails on the old code (a 122nd adoption)."""
    (bundled,) = _adoptions(db_url, id="ECO-2016-tsukuba")
    row = f"{ECO},{bundled.prefectures},つくば（訂正）,{bundled.title or ''},,{bundled.start_fy},{bundled.end_fy}"
    result = wb.import_file(_file(tmp_path / "c.csv", row))
    assert result.inserted == 0 and result.matched == 1
    assert "area name changed" in render(result.matches[0], "en")
    assert _adoptions(db_url, id="ECO-2016-tsukuba")[0].region_name == "つくば（訂正）"
    assert wb.info().counts["adoptions"] == 121


def test_ambiguous_row_is_an_error_naming_the_candidates(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """Two adoptions of one program, year and prefecture; a corrected row without an id and
    without a telling core institution cannot say which it corrects. Fails on the old code (it
    silently added a third adoption)."""
    wb.import_file(
        _file(
            tmp_path / "two.csv",
            f"{ECO},山形県,山形北,共通課題,山形大学,2021,2025",
            f"{ECO},山形県,山形南,共通課題,鶴岡高専,2021,2025",
        )
    )
    before = wb.info().counts["adoptions"]
    with pytest.raises(WorkbenchError) as err:
        wb.import_file(_file(tmp_path / "amb.csv", f"{ECO},山形県,山形中央,共通課題,,2021,2025"))
    detail = render(err.value.details[0], "en")
    assert "row 2" in detail and "山形北" in detail and "山形南" in detail and "adoption_id" in detail
    assert wb.info().counts["adoptions"] == before
    # the core institution tells them apart: an update of the southern one
    ok = wb.import_file(_file(tmp_path / "core.csv", f"{ECO},山形県,山形南部,共通課題,鶴岡高専,2021,2025"))
    assert ok.inserted == 0 and ok.matched == 1
    assert "山形南部" in {a.region_name for a in _adoptions(db_url, program_id="ECO", start_fy=2021)}
    # a row that keeps nothing of either (another cluster of the same place and year) is new
    new = wb.import_file(_file(tmp_path / "new.csv", f"{ECO},山形県,庄内,別の課題,,2021,2025"))
    assert new.inserted == 1 and new.matched == 0


def test_a_row_named_by_id_later_in_the_file_is_not_taken(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """The id-less row waits for the whole file: the adoption a later row names by its id is not
    the one it corrects, so it is new."""
    (x,) = _adoptions(db_url, id="ECO-2016-tsukuba")
    path = tmp_path / "mixed.csv"
    path.write_text(
        "adoption_id,program_id,prefectures,region_name,start_fy,end_fy\n"
        f",ECO,{x.prefectures},別の地域,{x.start_fy},{x.end_fy}\n"
        f"ECO-2016-tsukuba,ECO,{x.prefectures},{x.region_name},{x.start_fy},{x.end_fy}\n",
        encoding="utf-8",
    )
    result = wb.import_file(path)
    assert result.matched == 0 and result.inserted == 1
    assert wb.info().counts["adoptions"] == 122


def test_unknown_program_name_suggests_the_closest(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """Fails on the old code: a misspelt 事業名 silently became a new program with no family."""
    misspelt = "地域イノベーション・エコシステム形成プロクラム"
    path = _file(tmp_path / "typo.csv", f"{misspelt},宮城県,誤記地域,課題,,2019,2021")
    programs = wb.info().counts["programs"]
    with pytest.raises(WorkbenchError) as err:
        wb.import_file(path)
    detail = render(err.value.details[0], "en")
    assert (
        "row 2, column 事業名: unknown program (closest known: 地域イノベーション・エコシステム形成プログラム" in detail
    )
    assert "--new-program" in detail and misspelt in detail
    ja = render(err.value.details[0], "ja")
    assert "事業名" in ja and "--new-program" in ja
    assert wb.info().counts["programs"] == programs

    made = wb.import_file(path, new_program=True)
    assert made.new_programs == [misspelt] and made.inserted == 1
    with session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(Program)) == programs + 1


def test_export_edit_import_updates_in_place(wb: Workbench, db_url: str) -> None:
    """The export carries adoption_id: editing a title in it and importing updates that row."""
    buf = io.StringIO()
    wb.export_table("adoptions", "csv", out=buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert all(r["adoption_id"] for r in rows)
    target = next(r for r in rows if r["adoption_id"] == "ECO-2016-tsukuba")
    target["title"] = "編集した課題名"
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    result = wb.import_file(io.BytesIO(out.getvalue().encode("utf-8")), display_name="edited.csv")
    assert (result.inserted, result.updated) == (0, 1)
    assert _adoptions(db_url, id="ECO-2016-tsukuba")[0].title == "編集した課題名"


def _duplicate(wb: Workbench, db_url: str, tmp_path: Path) -> tuple[str, str]:
    """A duplicate of ECO-2016-tsukuba made the old way (its own id), with references."""
    (a,) = _adoptions(db_url, id="ECO-2016-tsukuba")
    path = tmp_path / "dup.csv"
    path.write_text(
        "adoption_id,program_id,prefectures,region_name,title,start_fy,end_fy,source_urls\n"
        f"ECO-dup,ECO,{a.prefectures},{a.region_name}（重複）,,{a.start_fy},,https://example.invalid/dup\n",
        encoding="utf-8",
    )
    wb.import_file(path)
    events = tmp_path / "events.csv"
    events.write_text(
        "adoption_id,kind,fy,description\nECO-dup,regional_budget,2022,重複側の事業化\n", encoding="utf-8"
    )
    wb.import_file(events)
    with session_scope(db_url) as s:
        s.add(Hearing(key="h-merge", title="sample hearing", consent="pending"))
        s.flush()
        hid = s.scalar(select(Hearing.id).where(Hearing.key == "h-merge"))
        s.add_all([HearingAdoption(hearing_id=hid, adoption_id="ECO-dup")])
        s.add(LineageLink(from_adoption_id="ECO-dup", to_adoption_id="ECO-2016-tsukuba", basis="manual", rule="x"))
    return "ECO-2016-tsukuba", "ECO-dup"


def test_merge_moves_every_reference(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    """`adoptions merge A B` did not exist (fails on the old code: no such method/command)."""
    keep, gone = _duplicate(wb, db_url, tmp_path)
    n = wb.info().counts["adoptions"]
    dry = wb.merge_adoptions(keep, gone, dry_run=True)
    assert dry.message.code == "registry.merge_dry_run" and dry.counts["moved"] >= 3
    assert wb.info().counts["adoptions"] == n

    done = wb.merge_adoptions(keep, gone)
    assert done.message.code == "registry.merged"
    assert wb.info().counts["adoptions"] == n - 1
    with session_scope(db_url) as s:
        assert s.get(Adoption, gone) is None
        assert s.scalar(select(HearingAdoption.adoption_id).join(Hearing).where(Hearing.key == "h-merge")) == keep
        assert "重複側の事業化" in set(
            s.scalars(select(PostProgramEvent.description).where(PostProgramEvent.adoption_id == keep))
        )
        cited = set(s.scalars(select(Citation.entity_key).where(Citation.entity == "adoption")))
        assert gone not in cited and keep in cited
        links = s.execute(select(LineageLink.from_adoption_id, LineageLink.to_adoption_id)).all()
        assert all(gone not in pair for pair in links) and (keep, keep) not in links
        assert not s.scalar(select(func.count()).select_from(Participation).where(Participation.adoption_id == gone))
        hub = s.get(Adoption, keep).hub_id
        assert hub is not None
        # hubs consistent: every adoption in exactly one existing hub
        assert not s.execute(text("select id from adoptions where hub_id not in (select id from hubs)")).first()


def test_merge_refuses_missing_adoptions(wb: Workbench) -> None:
    with pytest.raises(WorkbenchError) as err:
        wb.merge_adoptions("ECO-2016-tsukuba", "NO-SUCH")
    assert err.value.message.code == "registry.merge_missing" and "NO-SUCH" in render(err.value.message, "en")
    with pytest.raises(WorkbenchError):
        wb.merge_adoptions("ECO-2016-tsukuba", "ECO-2016-tsukuba")
    assert wb.info().counts["adoptions"] == 121


def test_merge_from_the_cli(wb: Workbench, db_url: str, tmp_path: Path) -> None:
    from chiiki.cli.main import invoke

    keep, gone = _duplicate(wb, db_url, tmp_path)
    dry = invoke(["--db", db_url, "--lang", "en", "adoptions", "merge", keep, gone, "--dry-run"])
    assert dry.exit_code == 0 and dry.stdout.startswith("dry run (nothing written): merging ECO-dup")
    assert "hearing_adoptions.adoption_id: 1 moved" in dry.stdout
    r = invoke(["--db", db_url, "--lang", "en", "adoptions", "merge", keep, gone])
    assert r.exit_code == 0 and "adoption ECO-dup merged into ECO-2016-tsukuba" in r.stdout
    bad = invoke(["--db", db_url, "--lang", "en", "adoptions", "merge", keep, gone])
    assert bad.exit_code == 1 and "there is no adoption ECO-dup" in bad.stderr and "Traceback" not in bad.stderr
