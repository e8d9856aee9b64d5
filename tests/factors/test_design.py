"""The analysis design a methods reviewer asks for (issue: confounding, clustering, selection,
time order): outcomes as of the cut-off, inclusion blind to the outcome, next stage apart from
successor, not recorded ≠ absent, time order, thresholds and p-value families."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.analysis import AnalysisParams, run_analysis
from chiiki.factors.candidates import compute_factors, known_at_fy, participant_knowledge
from chiiki.factors.data import make_analysis_data, start_era
from chiiki.factors.outcomes import compute_outcomes

FAST = AnalysisParams(bootstrap=0, qca=False, sensitivity=False, competing=False)


def _adoption(aid: str, family: str, start: int, end: int | None, hub: int | None = None, **kw: object) -> dict:
    return {
        "adoption_id": aid,
        "program_id": family,
        "program_family": family,
        "hub_id": hub,
        "start_fy": start,
        "end_fy": end,
        **kw,
    }


def test_cutoff_2010_sees_nothing_after_2010() -> None:
    """A successor starting in 2012, an event in 2011, an evaluation in 2011 and an adoption
    starting in 2018 do not exist for an analysis as of 2010."""
    ad = pd.DataFrame(
        [
            _adoption("a", "X", 2003, 2005, hub=1, final_grade="S"),  # window 2006-2010 closed in 2010
            _adoption("b", "Y", 2009, 2009, hub=1),  # successor of a, starts 2009
            _adoption("c", "X", 2004, 2006, hub=2, final_grade="S", final_evaluation_fy=2011),
            _adoption("d", "Y", 2012, 2014, hub=2),  # successor of c, but starts after 2010
            _adoption("e", "X", 2018, 2022, hub=3),  # starts after the cut-off
            _adoption("f", "X", 2002, 2006, hub=4),
        ]
    )
    ev = pd.DataFrame([{"adoption_id": "f", "kind": "regional_budget", "fy": 2011}])
    data = make_analysis_data(ad, events=ev)
    o = compute_outcomes(data, window=5, cutoff_fy=2010).summary.set_index("adoption_id")
    assert o.loc["a", "successor"] == 1.0
    # c's window (2007-2011) is still open in 2010: excluded, not 1 because d exists later
    assert np.isnan(o.loc["c", "successor"])
    assert o.loc["c", "event"] == 0.0 and o.loc["c", "time_to_successor"] == 4.0  # censored at 2010
    assert o.loc["e", "excluded_reason"] == "not_started" and np.isnan(o.loc["e", "time_to_successor"])
    assert o.loc["f", "first_cause"] == 0.0  # the 2011 event is after the cut-off: censored
    f = compute_factors(data, cutoff_fy=2010).summary
    assert f.loc["a", "final_grade_S"] == 1.0  # evaluated 2006 (end + 1) <= 2010
    assert np.isnan(f.loc["c", "final_grade_S"])  # evaluated 2011 > 2010: not yet known
    # as of 2014 everything is seen
    o14 = compute_outcomes(data, window=5, cutoff_fy=2014).summary.set_index("adoption_id")
    assert o14.loc["f", "regional"] == 1.0 and o14.loc["f", "first_cause"] == 3.0
    assert o14.loc["c", "event"] == 1.0


def test_open_windows_are_excluded_for_everyone_alike() -> None:
    """With the window open, an adoption that already has a successor is excluded too (it was
    kept before, which produced a zero cell and an infinite odds ratio)."""
    ad = pd.DataFrame(
        [
            _adoption("a", "X", 2015, 2019, hub=1),
            _adoption("b", "Y", 2020, 2022, hub=1),
            _adoption("c", "X", 2015, 2019, hub=2),
        ]
    )
    o = compute_outcomes(make_analysis_data(ad), window=5, cutoff_fy=2022).summary.set_index("adoption_id")
    assert np.isnan(o.loc["a", "successor"]) and np.isnan(o.loc["c", "successor"])
    assert o.loc["a", "event"] == 1.0 and o.loc["c", "event"] == 0.0  # survival keeps both


def test_next_stage_of_the_same_family_is_not_a_successor() -> None:
    ad = pd.DataFrame(
        [
            _adoption("k1", "KC", 2002, 2006, hub=1),
            _adoption("k2", "KC", 2007, 2011, hub=1),  # designed stage II
            _adoption("u1", "CA", 2002, 2004, hub=2),
            _adoption("u2", "KC", 2006, 2010, hub=2),  # another program
        ]
    )
    links = pd.DataFrame(
        [
            {"from_adoption_id": "k1", "to_adoption_id": "k2", "basis": "stated"},
            {"from_adoption_id": "u1", "to_adoption_id": "u2", "basis": "rule"},
        ]
    )
    o = compute_outcomes(make_analysis_data(ad, links=links), cutoff_fy=2020).summary.set_index("adoption_id")
    assert (o.loc["k1", "next_stage"], o.loc["k1", "successor"]) == (1.0, 0.0)
    assert (o.loc["u1", "next_stage"], o.loc["u1", "successor"]) == (0.0, 1.0)
    assert o.loc["k1", "successor_stated"] == 1.0 and o.loc["u1", "successor_stated"] == 0.0  # rule link
    assert o.loc["k1", "first_cause"] == 2.0 and o.loc["u1", "first_cause"] == 1.0
    assert o.loc["u2", "first_cause"] == 4.0  # nothing within the window: ended


def test_not_recorded_is_not_absent() -> None:
    ad = pd.DataFrame(
        [
            _adoption("p", "X", 2002, 2006, participants_recorded=None),
            _adoption("c", "X", 2002, 2006, participants_recorded="complete"),
            _adoption("n", "X", 2002, 2006),
        ]
    )
    parts = pd.DataFrame(
        [
            {"adoption_id": "p", "organization_id": 1, "kind": "university", "role": "core"},
            {"adoption_id": "p", "organization_id": 2, "kind": "local_government", "role": "applicant"},
            {"adoption_id": "c", "organization_id": 1, "kind": "university", "role": "core"},
        ]
    )
    data = make_analysis_data(ad, participations=parts)
    f = compute_factors(data).summary
    assert f.loc["p", "has_local_government"] == 1.0
    assert np.isnan(f.loc["p", "has_company"])  # not listed on a partial list: unknown
    assert f.loc["c", "has_company"] == 0.0  # not on a complete list: absent
    assert np.isnan(f.loc["n", "has_university" if "has_university" in f else "has_company"])
    assert np.isnan(f.loc["p", "blau_index"]) and f.loc["c", "blau_index"] == 0.0
    assert f.loc["c", "broad_partnership"] == 0.0 and np.isnan(f.loc["p", "broad_partnership"])
    assert participant_knowledge(data).to_dict() == {"p": "partial", "c": "complete", "n": "none"}
    old = compute_factors(data, unknown_as_absent=True).summary
    assert old.loc["p", "has_company"] == 0.0  # the old reading, kept as a sensitivity run


def test_known_at_and_eras() -> None:
    ad = pd.DataFrame([_adoption("a", "X", 2008, 2012, final_evaluation_fy=2014)])
    k = known_at_fy(make_analysis_data(ad)).loc["a"]
    assert (k["start"], k["interim"], k["final_evaluation"]) == (2008.0, 2010.0, 2014.0)
    assert [start_era(y) for y in (2002, 2006, 2007, 2021)] == ["2002-2006", "2002-2006", "2007-2011", "2017-2021"]


@pytest.fixture(scope="module")
def demo_analysis():
    from chiiki.factors.demo import generate_demo

    return run_analysis(generate_demo(seed=3, n=300), FAST)


def test_rows_say_what_they_were_adjusted_for(demo_analysis) -> None:
    kf = demo_analysis.key_factors
    assert not kf["factor"].str.startswith("program_family=").any()  # a stratum, not a factor
    adj = kf[kf["analysis"] == "adjusted"]
    crude = kf[kf["analysis"] == "crude"]
    assert len(adj) and len(crude)
    assert all(a == ["program_family", "start_era"] for a in adj["adjusted_for"])
    assert all(a == [] for a in crude["adjusted_for"])
    # no bootstrap here: binary factors have no clustered interval (None), the others a robust one
    assert set(adj["clustering"]) <= {"hub_robust", None}
    assert set(adj.loc[adj["method"] != "mh_exact", "clustering"]) == {"hub_robust"}
    assert crude["p_adjusted"].isna().all() and set(crude["evidence"]) <= {"crude_only", "not_testable"}
    # H1 and H2 alone are Holm-adjusted together; the exploratory rows get BH per outcome
    conf = kf[kf["p_family"] == "confirmatory"]
    assert set(conf["hypothesis"]) <= {"H1", "H2"} and len(conf) <= 2


def test_rows_below_the_event_threshold_are_descriptive() -> None:
    from chiiki.factors.demo import generate_demo

    data = generate_demo(seed=1, n=120)
    a = run_analysis(data, AnalysisParams(bootstrap=0, qca=False, sensitivity=False, competing=False, min_events=40))
    kf = a.key_factors
    few = kf[kf["n_events"] < 40]
    assert len(few) and few["p_value"].isna().all()
    assert set(few["evidence"]) <= {"descriptive", "not_testable", "crude_only"}
    assert not kf["evidence"].isin(["strong", "moderate", "weak"]).any()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):  # type: ignore[no-untyped-def]
    from chiiki import Workbench

    wb = Workbench.open(str(tmp_path_factory.mktemp("bundled") / "b.db"))
    wb.init()
    return wb.analyse(bootstrap=50)


def test_bundled_family_is_a_stratum_and_thin_rows_do_not_vote(bundled) -> None:
    kf = bundled.key_factors
    assert not kf["factor"].str.startswith("program_family=").any()
    graded = kf[kf["evidence"].isin(["strong", "moderate", "weak"])]
    assert (graded["n_events"] >= bundled.parameters["min_events"]).all()
    assert graded["p_family"].notna().all()  # only primary (adjusted, clustered) rows are graded


def test_bundled_h2_is_testable_or_names_the_missing_data(bundled) -> None:
    h2 = next(v for v in bundled.verdicts if v.id == "H2")
    if h2.status == "not_testable":
        why = h2.reason.params["why"]
        assert why["code"] in {
            "factors.participants_unrecorded",
            "factors.factor_constant",
            "factors.too_few_events",
            "factors.too_few_cases",
            "factors.outcome_constant",
        }
        codes = {w.code for w in h2.warnings}
        assert "factors.participants_unrecorded" in codes  # says how many lists are complete/partial/none
    # local-government applicants are participation now: the factor is known where a list exists
    assert bundled.key_factors.query("factor == 'has_local_government'")["n"].max() > 0
