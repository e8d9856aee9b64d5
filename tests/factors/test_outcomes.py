"""Outcome rules: successor within k FY, regional continuation, censored time, exclusions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chiiki.factors.data import make_analysis_data
from chiiki.factors.outcomes import compute_outcomes


def _row(res, aid):  # type: ignore[no-untyped-def]
    return res.summary.set_index("adoption_id").loc[aid]


def test_rules_on_tiny_registry(tiny) -> None:  # type: ignore[no-untyped-def]
    res = compute_outcomes(tiny, window=5)
    a1, a3, a5, a6 = (_row(res, a) for a in ("A1", "A3", "A5", "A6"))
    # A2 is in A1's own program family: a next stage, not a successor in another program
    assert a1["next_stage"] == 1 and a1["successor"] == 0
    assert a1["time_to_successor"] == 14 and a1["event"] == 0  # no other program by 2020
    assert a1["regional"] == 0
    assert a3["successor"] == 0  # linked successor (another family) starts 7 FY after the end
    assert a3["time_to_successor"] == 7 and a3["event"] == 1
    # window open: excluded although the regional event is already seen (inclusion is blind to it)
    assert math.isnan(a5["successor"]) and math.isnan(a5["regional"])
    assert "successor:window_open" in a5["excluded_reason"]
    assert a5["time_to_successor"] == 2 and a5["event"] == 0  # censored at cutoff 2020
    assert math.isnan(a6["successor"]) and a6["excluded_reason"] == "no_end_fy"
    assert _row(res, "A2")["regional"] == 1  # hub_organization event without FY counts
    assert res.exclusions == {
        "competing:time_unknown": 1,  # A2: an undated regional event comes first
        "next_stage:no_end_fy": 1,
        "next_stage:window_open": 2,
        "regional:no_end_fy": 1,
        "regional:window_open": 2,  # A4 (ends 2020), A5
        "successor:no_end_fy": 1,
        "successor:window_open": 2,  # A4, A5
        "time_to_successor:no_end_fy": 1,
    }


def test_window_is_a_parameter(tiny) -> None:  # type: ignore[no-untyped-def]
    res = compute_outcomes(tiny, window=7, cutoff_fy=2030)
    assert _row(res, "A3")["successor"] == 1


def test_successor_event_and_overlap_and_cutoff(make_adoption) -> None:  # type: ignore[no-untyped-def]
    adoption = make_adoption
    ads = pd.DataFrame(
        [
            adoption("B1", hub_id=1, start_fy=2002, end_fy=2006),
            adoption("B2", hub_id=1, start_fy=2005, end_fy=2009, program_family="F2"),  # overlapping successor
            adoption("B3", hub_id=2, start_fy=2002, end_fy=2004),
            adoption("B4", hub_id=3, start_fy=2002, end_fy=2025),  # ends after the cutoff
            adoption("B5", hub_id=4, start_fy=2002, end_fy=2008),
            adoption("B6", hub_id=4, start_fy=2004, end_fy=2006),  # parallel, ends first
        ]
    )
    ev = pd.DataFrame([("B3", "successor_adoption", 2006)], columns=["adoption_id", "kind", "fy"])
    res = compute_outcomes(make_analysis_data(ads, None, None, ev, cutoff_fy=2020))
    b1, b3, b4 = _row(res, "B1"), _row(res, "B3"), _row(res, "B4")
    assert b1["successor"] == 1 and b1["time_to_successor"] == 0  # gap −1 clipped to 0
    assert b1["successor_overlap"] == 1
    assert b3["successor"] == 1 and b3["time_to_successor"] == 2
    assert math.isnan(b4["time_to_successor"]) and "ongoing" in b4["excluded_reason"]
    assert _row(res, "B2")["successor"] == 0
    assert _row(res, "B5")["successor"] == 0  # B6 runs in parallel: not a successor


def test_default_cutoff_is_latest_fy_in_data(tiny) -> None:  # type: ignore[no-untyped-def]
    data = make_analysis_data(tiny.adoptions, tiny.participations, tiny.links, tiny.events)
    assert data.cutoff_fy == 2020
    assert compute_outcomes(data).cutoff_fy == 2020


def test_outcome_columns(tiny) -> None:  # type: ignore[no-untyped-def]
    res = compute_outcomes(tiny)
    assert list(res.summary.columns) == [
        "adoption_id",
        "successor",
        "next_stage",
        "regional",
        "successor_stated",
        "successor_overlap",
        "successor_fy",
        "outcome_fy",
        "time_to_successor",
        "event",
        "first_cause",
        "first_time",
        "excluded_reason",
    ]
    assert res.n == 6
    assert res.summary["successor"].dtype == "float64"
    assert pytest.approx(res.summary["next_stage"].sum()) == 1.0
