"""Small hand-made registries for the factor-engine tests (real frames, no mocks)."""

from __future__ import annotations

import pandas as pd
import pytest

from chiiki.factors.data import AnalysisData, make_analysis_data


def adoption(aid: str, **kw: object) -> dict[str, object]:
    base: dict[str, object] = {"adoption_id": aid, "program_id": "P1", "program_family": "F1"}
    base.update(kw)
    return base


@pytest.fixture
def make_adoption():  # type: ignore[no-untyped-def]
    """The ``adoption(aid, **columns)`` row builder, for tests that build their own frames."""
    return adoption


@pytest.fixture
def tiny() -> AnalysisData:
    """Six adoptions covering every outcome rule; cutoff FY2020, window 5.

    A1 (hub 1, 2002–2006) → A2 (hub 1, starts 2008, gap 2): successor via hub.
    A3 (2005–2009) links to A4 (starts 2016, gap 7 > 5): no successor in window, time 7.
    A5 (2016–2018): window open (2018+5 > 2020), regional event 2019 → regional known = 1.
    A6: no end FY → excluded everywhere.
    A1's participant list is marked complete; A3's is partial (absent kinds are unknown there).
    """
    ads = pd.DataFrame(
        [
            adoption(
                "A1",
                hub_id=1,
                start_fy=2002,
                end_fy=2006,
                final_grade="S",
                interim_grade="Ａ",
                prefectures="北海道、札幌市",
                budget_total_million_yen=2500,
                participants_recorded="complete",
            ),
            adoption("A2", hub_id=1, start_fy=2008, end_fy=2012, final_grade="-"),
            adoption("A3", hub_id=2, start_fy=2005, end_fy=2009, final_grade="A", program_family="F2"),
            adoption("A4", hub_id=None, start_fy=2016, end_fy=2020),
            adoption("A5", hub_id=3, start_fy=2016, end_fy=2018),
            adoption("A6", hub_id=4, start_fy=2019, end_fy=None, universities="東北大学; 山形大学"),
        ]
    )
    parts = pd.DataFrame(
        [
            ("A1", 1, "大学1", "university", "participating"),
            ("A1", 2, "県", "local_government", "applicant"),
            ("A1", 3, "会社", "company", "participating"),
            ("A1", 4, "財団", "foundation", "core"),
            ("A1", 4, "財団", "foundation", "participating"),
            ("A1", 5, "工業技術センター", "public_research_institute", "participating"),
            ("A3", 1, "大学1", "university", "core"),
            ("A3", 6, "大学2", "university", "participating"),
        ],
        columns=["adoption_id", "organization_id", "organization_name", "kind", "role"],
    )
    links = pd.DataFrame([("A3", "A4", "stated")], columns=["from_adoption_id", "to_adoption_id", "basis"])
    events = pd.DataFrame(
        [("A5", "regional_budget", 2019), ("A2", "hub_organization", None)], columns=["adoption_id", "kind", "fy"]
    )
    return make_analysis_data(ads, parts, links, events, cutoff_fy=2020)
