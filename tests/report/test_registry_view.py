"""Registry counts behind the timeline and the map, checked against direct queries, and the
registry frames the Workbench hands to the report, read on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from chiiki.i18n import translator
from chiiki.model import Adoption, Program
from chiiki.model.db import session_scope
from chiiki.report.charts import forest_rows
from chiiki.report.inputs import ADOPTION_COLUMNS, PROGRAM_COLUMNS
from chiiki.report.map_chart import prefecture_map
from chiiki.report.prefectures import PREFECTURES, prefecture_name, prefectures_in, short_name
from chiiki.report.registry_view import adoption_view, prefecture_stats, program_view, timeline_counts
from chiiki.report.sections_registry import SourceIndex
from chiiki.workbench.report_api import registry_frames


def test_prefecture_names_and_tiles() -> None:
    assert len(PREFECTURES) == 47
    assert len({(c, r) for _ja, _en, c, r in PREFECTURES}) == 47  # no two tiles overlap
    assert prefecture_name("京都") == "京都府" and prefecture_name("北海道") == "北海道"
    assert prefecture_name("札幌市") is None
    assert prefectures_in("北海道、札幌市") == ["北海道"]
    assert prefectures_in("愛知県; 岐阜県 | 愛知県") == ["愛知県", "岐阜県"]
    assert prefectures_in("愛知県 (proposer per page)") == ["愛知県"]
    assert prefectures_in(None) == []
    assert short_name("宮城県", "Miyagi", "ja") == "宮城" and short_name("京都府", "Kyoto", "ja") == "京都府"
    assert short_name("宮城県", "Miyagi", "en") == "Miy"


def test_registry_frames_match_the_database(bundled_db) -> None:
    """On both backends: one row per program and per selection, the columns the report reads,
    and the timeline counts equal to direct counts of the adoptions table."""
    with session_scope(bundled_db) as session:
        programs, adoptions = registry_frames(session)
        n_programs = session.scalar(select(func.count()).select_from(Program))
        n_all = session.scalar(select(func.count()).select_from(Adoption))
        n_with_fy = session.scalar(select(func.count()).where(Adoption.start_fy.is_not(None)))
        per_fy = dict(session.execute(select(Adoption.start_fy, func.count()).group_by(Adoption.start_fy)).all())
    assert list(programs.columns) == PROGRAM_COLUMNS and list(adoptions.columns) == ADOPTION_COLUMNS
    assert len(programs) == n_programs and len(adoptions) == n_all
    assert programs["family_label"].notna().all() and programs["family_order"].notna().all()
    view = adoption_view(adoptions, program_view(programs, "ja"))
    counts, n_unknown = timeline_counts(view)
    assert int(counts.to_numpy().sum()) == n_with_fy
    assert n_unknown == n_all - n_with_fy
    for fy in counts.columns:
        assert int(counts[fy].sum()) == per_fy[int(fy)]


def test_program_view_names_in_the_report_language() -> None:
    programs = pd.DataFrame(
        [
            {"program_id": "KC1", "name_ja": "知的クラスター創成事業", "name_en": "Knowledge Cluster", "family": "KC",
             "family_label": "Knowledge Cluster Initiative", "family_order": 3},
            {"program_id": "X", "name_ja": "独自事業", "name_en": None, "family": None, "family_label": None,
             "family_order": None},
        ]
    )  # fmt: skip
    ja, en = program_view(programs, "ja"), program_view(programs, "en")
    assert list(ja["name"]) == ["知的クラスター創成事業", "独自事業"]
    assert list(en["name"]) == ["Knowledge Cluster", "独自事業"]  # no English name: the data as it is
    assert en["family_label"].iloc[0] == "Knowledge Cluster Initiative"
    assert ja["family_label"].iloc[0] == translator("ja").gettext("Knowledge Cluster Initiative")
    assert list(en["family"]) == ["KC", "X"] and list(en["family_order"]) == [3, 99]


def test_prefecture_stats_never_count_unknown_outcomes_as_no() -> None:
    adoptions = pd.DataFrame(
        {"adoption_id": ["a", "b", "c", "d"], "prefectures": ["宮城県", "宮城県、仙台市", "宮城県", None]}
    )
    outcomes = pd.DataFrame({"adoption_id": ["a", "b", "c", "d"], "successor": [1.0, 0.0, float("nan"), 1.0]})
    stats, n_none = prefecture_stats(adoptions, outcomes)
    miyagi = stats.set_index("prefecture").loc["宮城県"]
    assert (miyagi.n_selections, miyagi.n_outcome_known, miyagi.n_successor) == (3, 2, 1)
    assert miyagi.successor_rate == 0.5
    assert n_none == 1
    assert pd.isna(stats.set_index("prefecture").loc["沖縄県"].successor_rate)
    english, _ = prefecture_stats(adoptions, outcomes, "en")
    assert english.set_index("prefecture").loc["Miyagi"].n_selections == 3


def test_both_map_styles_draw() -> None:
    adoptions = pd.DataFrame({"adoption_id": ["a", "b"], "prefectures": ["宮城県", "北海道"]})
    stats, _ = prefecture_stats(adoptions, None)
    for style in ("tiles", "japanmap"):
        for lang in ("ja", "en"):
            png = prefecture_map(stats, translator(lang), style)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_forest_rows_split_untestable() -> None:
    frame = pd.DataFrame(
        {
            "estimate": [2.0, float("nan"), 0.0, float("inf")],
            "ci_low": [1.0, float("nan"), 0.0, 1.0],
            "ci_high": [4.0, float("nan"), 1.0, float("inf")],
        }
    )
    plottable, untestable = forest_rows(frame)
    assert list(plottable.index) == [0] and list(untestable.index) == [1, 2, 3]


def test_source_index_numbers_each_url_once() -> None:
    index = SourceIndex()
    assert index.cite("https://a.jp/x | https://b.jp/%E7%9F%A5") == [1, 2]
    assert index.cite("https://b.jp/%E7%9F%A5") == [2]
    entries = index.entries()
    assert entries[1]["text"] == "https://b.jp/知" and entries[1]["href"].endswith("%E7%9F%A5")
