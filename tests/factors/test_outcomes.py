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
    assert a1["successor"] == 1 and a1["time_to_successor"] == 2 and a1["event"] == 1
    assert a1["regional"] == 0
    assert a3["successor"] == 0  # linked successor starts 7 FY after the end
    assert a3["time_to_successor"] == 7 and a3["event"] == 1
    assert math.isnan(a5["successor"]) and a5["regional"] == 1  # window open, event seen
    assert "successor:window_open" in a5["excluded_reason"]
    assert a5["time_to_successor"] == 2 and a5["event"] == 0  # censored at cutoff 2020
    assert math.isnan(a6["successor"]) and a6["excluded_reason"] == "no_end_fy"
    assert _row(res, "A2")["regional"] == 1  # hub_organization event without FY counts
    assert res.exclusions == {
        "regional:no_end_fy": 1,
        "regional:window_open": 1,  # A4 (ends 2020)
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
            adoption("B2", hub_id=1, start_fy=2005, end_fy=2009),  # overlapping successor
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
        "regional",
        "time_to_successor",
        "event",
        "excluded_reason",
    ]
    assert res.n == 6
    assert res.summary["successor"].dtype == "float64"
    assert pytest.approx(res.summary["successor"].sum()) == 1.0
