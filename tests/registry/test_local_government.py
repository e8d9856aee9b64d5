"""Issue 8, "missing is not absent": the applicants named in the place cells become local-government
participations, and adoptions record how complete their participant lists are and when they were
evaluated — on SQLite and PostgreSQL, through the import path (CP932 included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from chiiki.model.db import session_scope
from chiiki.model.enums import OrgKind
from chiiki.model.registry import Adoption, Organization, ParticipantsRecorded, Participation
from chiiki.registry.imports import ImportFailed, get_or_create_org, import_file
from chiiki.registry.organizations import (
    DERIVED,
    applicants_in_cells,
    derive_participations,
    likely_duplicates,
    local_government,
    participants_recorded,
    split_places,
)

# -- the rule, on cells as pages write them ---------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("北海道、札幌市", ["北海道", "札幌市"]),
        ("愛知県; 岐阜県", ["愛知県", "岐阜県"]),
        ("釜石市・遠野市", ["釜石市", "遠野市"]),
        ("京都府／大阪府 / 奈良県", ["京都府", "大阪府", "奈良県"]),
        ("愛知県 (proposer per page)", ["愛知県"]),  # a remark, even one with a comma, is no name
        ("宮城県（提案, 代表）", ["宮城県"]),
        ("-", []),
        ("", []),
        (None, []),
    ],
)
def test_place_cells_split_like_the_analysis(cell: str | None, names: list[str]) -> None:
    assert split_places(cell) == names


def test_a_place_is_a_government_only_when_it_names_one() -> None:
    assert local_government("岩手") == ("岩手県", "岩手県")  # one prefecture, one organization
    assert local_government("岩手県") == ("岩手県", "岩手県")
    assert local_government("北海道") == ("北海道", "北海道")
    assert local_government("京都市", "京都府") == ("京都市", "京都府")  # not taken for 京都府
    assert local_government("静岡県浜松市") == ("浜松市", "静岡県")
    assert local_government("函南町", "静岡県") == ("函南町", "静岡県")
    assert local_government("伊豆の国市") == ("伊豆の国市", None)
    # an area name or a remark names no government: nothing is guessed
    assert local_government("北部九州") is None
    assert local_government("けいはんな学研都市") is None and local_government("筑波研究学園都市") is None
    assert local_government("京都市") == ("京都市", None) and local_government("つくば市") == ("つくば市", None)
    assert local_government("火星県") is None


def test_applicants_of_one_adoption() -> None:
    named = applicants_in_cells("静岡県", "沼津市; 三島市・函南町")
    assert [(n.name, n.role, n.column, n.kind, n.prefecture) for n in named] == [
        ("静岡県", "applicant", "prefectures", "local_government", "静岡県"),
        ("沼津市", "applicant", "municipalities", "local_government", "静岡県"),
        ("三島市", "applicant", "municipalities", "local_government", "静岡県"),
        ("函南町", "applicant", "municipalities", "local_government", "静岡県"),
    ]
    # two prefectures: which one a city belongs to is not said, so it is not guessed
    assert [(n.name, n.prefecture) for n in applicants_in_cells("愛知県; 岐阜県", "名古屋市")] == [
        ("愛知県", "愛知県"),
        ("岐阜県", "岐阜県"),
        ("名古屋市", None),
    ]
    assert applicants_in_cells(None, None) == []


# -- on the bundled registry ------------------------------------------------------------------


def _applicants(s) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    rows = s.execute(
        select(Participation.adoption_id, Organization.name, Organization.kind, Participation.note)
        .join(Organization)
        .where(Participation.role == "applicant")
        .order_by(Participation.adoption_id, Organization.name)
    )
    return [tuple(r) for r in rows]


def test_bundled_adoptions_have_their_applicants(bundled_db: str) -> None:
    """121 adoptions; 118 name a place (3 name none: KC1-2002-keihanna, ECO-2016-kyushu,
    ECO-2017-shinshu). 116 prefecture cells with 120 names (three cells name 2, 2 and 3) and 21
    municipality cells with 41 names give 161 applicant rows, 74 local governments."""
    with session_scope(bundled_db) as s:
        applicants = _applicants(s)
        assert len(applicants) == 161
        assert sum(1 for a in applicants if a[3] == f"{DERIVED} prefectures") == 120
        assert sum(1 for a in applicants if a[3] == f"{DERIVED} municipalities") == 41
        assert {a[2] for a in applicants} == {"local_government"}
        with_applicant = {a[0] for a in applicants}
        assert len(with_applicant) == 118
        assert {"KC1-2002-keihanna", "ECO-2016-kyushu", "ECO-2017-shinshu"}.isdisjoint(with_applicant)
        # so "a local government takes part" is no longer 0 wherever it is written
        assert len({a[0] for a in applicants if a[3] == f"{DERIVED} prefectures"}) == 116
        govs = {
            o.name: o.prefecture
            for o in s.scalars(select(Organization).where(Organization.kind == OrgKind.LOCAL_GOVERNMENT))
        }
        assert len(govs) == 74
        assert govs["大垣市"] == "岐阜県" and govs["函南町"] == "静岡県"
        # 名古屋市 of 愛知県; 岐阜県 gets its prefecture from an adoption that names one
        assert govs["名古屋市"] == "愛知県"
        assert govs["横浜市"] is None  # no prefecture cell anywhere: not guessed
        keihanna = [a[1] for a in applicants if a[0] == "CA-2008-keihanna"]
        assert keihanna == ["京都府", "大阪府", "奈良県"]
        fuji = [a[1] for a in applicants if a[0] == "RICP-2010-fujisanroku"]
        assert len(fuji) == 13 and "伊豆の国市" in fuji
        assert [a[1] for a in applicants if a[0] == "RISPA-2011-hamamatsu"] == ["愛知県"]  # remark dropped
        # 広島市 is not a sub-unit of 東広島市, nor 北海道 of anything
        pairs = {frozenset((d.a, d.b)) for d in likely_duplicates(s)}
        assert frozenset(("広島市", "東広島市")) not in pairs
        assert not any(name in pair for pair in pairs for name in govs)


def test_rederiving_replaces_and_changes_nothing_else(bundled_db: str) -> None:
    with session_scope(bundled_db) as s:
        before = _applicants(s)
        n_all = s.scalar(select(func.count()).select_from(Participation))
        n_orgs = s.scalar(select(func.count()).select_from(Organization))
        assert derive_participations(s) == n_all  # every bundled participation is derived
    with session_scope(bundled_db) as s:
        assert _applicants(s) == before
        assert s.scalar(select(func.count()).select_from(Organization)) == n_orgs
        # the cell changes: the old city goes, the new one comes
        s.execute(update(Adoption).where(Adoption.id == "KC1-gifu-ogaki").values(municipalities="各務原市"))
        derive_participations(s)
    with session_scope(bundled_db) as s:
        ogaki = [a[1] for a in _applicants(s) if a[0] == "KC1-gifu-ogaki"]
        assert sorted(ogaki) == sorted(["岐阜県", "各務原市"])
        assert len(_applicants(s)) == len(before)


def test_a_participation_entered_by_hand_is_kept_and_not_repeated(bundled_db: str) -> None:
    with session_scope(bundled_db) as s:
        gifu = get_or_create_org(s, "岐阜県")
        s.execute(
            Participation.__table__.delete().where(
                Participation.adoption_id == "KC1-gifu-ogaki", Participation.organization_id == gifu.id
            )
        )
        s.add(Participation(adoption_id="KC1-gifu-ogaki", organization_id=gifu.id, role="applicant", note="page 3"))
        s.flush()
        derive_participations(s)
    with session_scope(bundled_db) as s:
        rows = s.execute(
            select(Participation.note)
            .join(Organization)
            .where(Participation.adoption_id == "KC1-gifu-ogaki", Organization.name == "岐阜県")
        ).all()
        assert rows == [("page 3",)]


def test_an_organization_row_of_kind_other_learns_it_is_a_government(bundled_db: str) -> None:
    with session_scope(bundled_db) as s:
        s.execute(update(Organization).where(Organization.name == "宮城県").values(kind="other", prefecture=None))
        derive_participations(s)
    with session_scope(bundled_db) as s:
        miyagi = s.scalar(select(Organization).where(Organization.name == "宮城県"))
        assert miyagi is not None and (miyagi.kind, miyagi.prefecture) == ("local_government", "宮城県")


# -- participants_recorded and final_evaluation_fy ---------------------------------------------


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("complete", "complete"),
        (" Complete ", "complete"),
        ("完全", "complete"),
        ("全数", "complete"),
        ("partial", "partial"),
        ("一部", "partial"),
        ("部分", "partial"),
        ("ＰＡＲＴＩＡＬ", "partial"),
        ("", None),
        (None, None),
    ],
)
def test_participants_recorded_spellings(cell: str | None, stored: str | None) -> None:
    assert participants_recorded(cell) == stored


def test_participants_recorded_refuses_other_words() -> None:
    with pytest.raises(ValueError) as refused:
        participants_recorded("不明")
    message = refused.value.message  # type: ignore[attr-defined]
    assert message.code == "registry.unknown_value"
    assert message.params["field"] == "participants_recorded" and "complete" in message.params["expected"]


HEADER = "採択ID,事業ID,都道府県名,エリア名,課題名,事業開始年度,事業終了年度,参画機関の記録,事後評価年度\n"


def test_cp932_file_with_the_recording_columns(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "recorded_sjis.csv"
    path.write_bytes(
        (
            HEADER
            + "REC-1,ECO,宮城県,記録テスト一,課題一,平成28年度,R2,全数,令和3年度\n"
            + "REC-2,ECO,岩手県,記録テスト二,課題二,2016,2020,一部,2020\n"
            + "REC-3,ECO,福岡県,記録テスト三,課題三,2016,2020,,\n"
        ).encode("cp932")
    )
    with session_scope(bundled_db) as s:
        report = import_file(s, path)
        assert (report.encoding, report.table, report.inserted) == ("cp932", "adoptions", 3)
        assert report.ignored_headers == []
    with session_scope(bundled_db) as s:
        got = {
            a.region_name: (a.participants_recorded, a.final_evaluation_fy)
            for a in s.scalars(select(Adoption).where(Adoption.region_name.like("記録テスト%")))
        }
    assert got == {"記録テスト一": ("complete", 2021), "記録テスト二": ("partial", 2020), "記録テスト三": (None, None)}
    # a later file without the columns leaves them as they are
    other = tmp_path / "titles.csv"
    other.write_text(
        "adoption_id,program_id,region_name,start_fy,title\nREC-1,ECO,記録テスト一,2016,新しい課題名\n",
        encoding="utf-8",
    )
    with session_scope(bundled_db) as s:
        assert import_file(s, other).updated == 1
    with session_scope(bundled_db) as s:
        a = s.scalar(select(Adoption).where(Adoption.region_name == "記録テスト一"))
        assert a is not None and (a.title, a.participants_recorded, a.final_evaluation_fy) == (
            "新しい課題名",
            "complete",
            2021,
        )


def test_english_headers_and_the_row_errors(bundled_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad_recorded.csv"
    path.write_text(
        "program_id,region_name,start_fy,end_fy,participants_recorded,final_evaluation_fy\n"
        "ECO,良い行,2016,2020,complete,2021\n"
        "ECO,語が変,2016,2020,unknown,2021\n"
        "ECO,年度が変,2016,2020,partial,平成X年\n"
        "ECO,評価が先,2016,2020,partial,2019\n"
        "ECO,終了年度なし,2016,,partial,2015\n"
        "ECO,最終年度の評価,2016,2020,partial,2020\n",
        encoding="utf-8",
    )
    with session_scope(bundled_db) as s:
        n_before = s.scalar(select(func.count()).select_from(Adoption))
    with pytest.raises(ImportFailed) as failed, session_scope(bundled_db) as s:
        import_file(s, path)
    errors = failed.value.errors
    assert [(e.row, e.column, e.value, e.reason.code) for e in errors] == [
        (3, "participants_recorded", "unknown", "registry.unknown_value"),
        (4, "final_evaluation_fy", "平成X年", "ingest.not_fiscal_year"),
        (5, "final_evaluation_fy", 2019, "registry.evaluation_before_program"),
        (6, "final_evaluation_fy", 2015, "registry.evaluation_before_program"),
    ]
    assert errors[2].reason.params == {"fy": 2019, "field": "end_fy", "bound": 2020}
    assert errors[3].reason.params == {"fy": 2015, "field": "start_fy", "bound": 2016}
    with session_scope(bundled_db) as s:  # all or nothing: the good rows were not kept either
        assert s.scalar(select(func.count()).select_from(Adoption)) == n_before


def test_the_database_refuses_another_value(db_url: str) -> None:
    from chiiki.model.db import get_engine
    from chiiki.model.migrate import ensure_schema
    from chiiki.model.registry import Program

    ensure_schema(get_engine(db_url))
    with session_scope(db_url) as s:
        s.add(Program(id="P", name_ja="p"))
        s.add(Adoption(id="A", program_id="P", participants_recorded=ParticipantsRecorded.PARTIAL))
    with pytest.raises(IntegrityError) as refused, session_scope(db_url) as s:
        s.add(Adoption(id="B", program_id="P", participants_recorded="unknown"))
    assert "ck_adoptions_participants_recorded" in str(refused.value.orig)
    with session_scope(db_url) as s:
        a = s.get(Adoption, "A")
        assert a is not None and (a.participants_recorded, a.final_evaluation_fy) == ("partial", None)


def test_export_carries_the_recording_columns_and_imports_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """participants_recorded and final_evaluation_fy survive export → import into a new database."""
    from chiiki import Workbench

    src = tmp_path / "in.csv"
    src.write_text(
        "adoption_id,program_id,region_name,prefectures,start_fy,end_fy,participants_recorded,final_evaluation_fy,"
        "source_urls\nX-1,KC1,札幌,北海道,2002,2006,complete,2007,https://example.org/x\n",
        encoding="utf-8",
    )
    a = Workbench.open(str(tmp_path / "a.db"))
    a.init()
    a.import_file(str(src), table="adoptions")
    out = tmp_path / "out.csv"
    a.export_table("adoptions", "csv", str(out))
    text = out.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "participants_recorded" in header and "final_evaluation_fy" in header
    row = next(line for line in text.splitlines() if line.startswith("X-1,"))
    assert "complete" in row and "2007" in row
