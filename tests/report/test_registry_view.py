"""Registry counts behind the timeline and the map, checked against direct queries."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from chiiki.model import Adoption
from chiiki.report.charts import forest_rows
from chiiki.report.map_chart import prefecture_map
from chiiki.report.prefectures import PREFECTURES, prefecture_name, prefectures_in
from chiiki.report.registry_view import adoption_frame, prefecture_stats, timeline_counts
from chiiki.report.sections_registry import SourceIndex


def test_prefecture_names_and_tiles() -> None:
    assert len(PREFECTURES) == 47
    assert len({(c, r) for _ja, _en, c, r in PREFECTURES}) == 47  # no two tiles overlap
    assert prefecture_name("京都") == "京都府" and prefecture_name("北海道") == "北海道"
    assert prefecture_name("札幌市") is None
    assert prefectures_in("北海道、札幌市") == ["北海道"]
    assert prefectures_in("愛知県; 岐阜県 | 愛知県") == ["愛知県", "岐阜県"]
    assert prefectures_in("愛知県 (proposer per page)") == ["愛知県"]
    assert prefectures_in(None) == []


def test_timeline_counts_match_the_database(session) -> None:
    adoptions = adoption_frame(session)
    counts, n_unknown = timeline_counts(adoptions)
    n_with_fy = session.scalar(select(func.count()).where(Adoption.start_fy.is_not(None)))
    n_all = session.scalar(select(func.count()).select_from(Adoption))
    assert int(counts.to_numpy().sum()) == n_with_fy
    assert n_unknown == n_all - n_with_fy
    for fy in counts.columns:
        direct = session.scalar(select(func.count()).where(Adoption.start_fy == int(fy)))
        assert int(counts[fy].sum()) == direct


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


def test_both_map_styles_draw(session) -> None:
    stats, _ = prefecture_stats(adoption_frame(session), None)
    for style in ("tiles", "japanmap"):
        png = prefecture_map(stats, "ja", style)
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
