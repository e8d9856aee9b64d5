"""The ``run_analysis`` contract (what the report reads), on demo and on the bundled data."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from chiiki.factors.analysis import AnalysisParams, run_analysis
from chiiki.factors.data import load_analysis_data
from chiiki.factors.demo import generate_demo
from chiiki.factors.table import KEY_FACTOR_COLUMNS, RECORD_KEYS, evidence_label

FAST = AnalysisParams(bootstrap=20)


@pytest.fixture(scope="module")
def demo_result():  # type: ignore[no-untyped-def]
    return run_analysis(generate_demo(seed=11, n=300), FAST)


def test_key_factor_table_contract(demo_result) -> None:  # type: ignore[no-untyped-def]
    kf = demo_result.key_factors
    assert list(kf.columns) == [*KEY_FACTOR_COLUMNS, "evidence"]
    assert set(kf["outcome"]) == {"successor", "regional", "time_to_successor"}
    assert set(kf["method"]) == {"fisher", "firth", "cox"}
    assert kf.loc[kf["outcome"] == "time_to_successor", "method"].eq("cox").all()
    assert kf["warnings"].map(lambda w: isinstance(w, str)).all()
    # every factor appears for every outcome, testable or not
    assert kf.groupby("factor").size().eq(3).all()
    untestable = kf[kf["estimate"].isna()]
    assert len(untestable) and (untestable["warnings"] != "").all()
    assert untestable["p_adjusted"].isna().all()


def test_bh_is_applied_per_outcome_and_method(demo_result) -> None:  # type: ignore[no-untyped-def]
    from chiiki.factors.methods.adjust import bh_adjust

    kf = demo_result.key_factors
    sub = kf[(kf["outcome"] == "successor") & (kf["method"] == "fisher")]
    expected = bh_adjust(sub["p_value"].to_numpy())
    pd.testing.assert_series_equal(sub["p_adjusted"].reset_index(drop=True), pd.Series(expected, name="p_adjusted"))


def test_records_are_json_with_nulls(demo_result) -> None:  # type: ignore[no-untyped-def]
    recs = demo_result.to_records()
    assert len(recs) == len(demo_result.key_factors)
    assert all(list(r) == RECORD_KEYS for r in recs)
    text = json.dumps(recs, ensure_ascii=False, allow_nan=False)
    assert "null" in text
    assert any(r["estimate"] is None for r in recs)


def test_other_parts_of_the_result(demo_result) -> None:  # type: ignore[no-untyped-def]
    r = demo_result
    assert list(r.coverage.columns) == [
        "program_id",
        "program_family",
        "n_adoptions",
        "n_start_fy",
        "n_end_fy",
        "n_interim_grade",
        "n_final_grade",
        "n_outcome_known",
        "n_successor",
        "n_regional",
    ]
    assert r.coverage["n_adoptions"].sum() == 300
    assert list(r.outcomes.columns) == [
        "adoption_id",
        "successor",
        "regional",
        "time_to_successor",
        "event",
        "excluded_reason",
    ]
    assert set(r.survival.curves.columns) == {"group", "time", "survival", "ci_low", "ci_high", "at_risk"}
    assert r.survival.logrank_p < 0.05  # S grade planted on successor
    assert {"factor", "hazard_ratio"} <= set(r.survival.cox_summary.columns)
    assert r.qca is not None or r.qca_reason
    if r.qca is not None:
        assert {"outcome", "n", "consistency", "pri", "cases"} <= set(r.qca.truth_table)
        assert set(r.qca.solutions) == {"complex", "parsimonious"}
    assert r.parameters["successor_window_years"] == 5 and r.parameters["cutoff_fy"]
    assert len(r.data_hash) == 64
    assert set(r.robustness) == {"H1", "H2"}
    assert r.robustness["H1"].bootstrap["seed"].iloc[0] == 0


def test_verdicts_on_demo(demo_result) -> None:  # type: ignore[no-untyped-def]
    v = {x.id: x for x in demo_result.verdicts}
    assert v["H1"].status == "supported" and v["H2"].status == "supported"
    assert v["H1"].numbers["estimate"] > 1 and "オッズ比" in v["H1"].reason_ja
    assert "odds ratio" in v["H1"].reason_en and v["H1"].statement_en


def test_evidence_labels() -> None:
    row = {"estimate": 3.0, "p_value": 0.001, "p_adjusted": 0.02}
    assert evidence_label(row, "ja") == "中程度の証拠（正の関連）"
    assert evidence_label(row, "en") == "moderate evidence (positive)"
    assert evidence_label({**row, "p_adjusted": 0.2}, "en").startswith("weak evidence")
    assert evidence_label({"estimate": math.nan, "p_value": math.nan}, "ja") == "検定不能"
    assert evidence_label({"estimate": 0.5, "p_value": 0.5, "p_adjusted": 0.6}, "en") == "no association detected"


def test_null_data_is_not_supported_or_inconclusive() -> None:
    data = generate_demo(seed=4, n=300, effects={})
    res = run_analysis(data, AnalysisParams(bootstrap=0, survival=False, qca=False))
    assert {v.status for v in res.verdicts} <= {"not_supported", "inconclusive"}


def test_bundled_real_data_is_mostly_not_testable(bundled_db: str) -> None:
    """The bundled registry has 5 final letter grades (all ECO): H1 cannot be tested, and
    the engine must say so instead of producing a number."""
    from chiiki.model.db import session_scope

    with session_scope(bundled_db) as s:
        data = load_analysis_data(s)
    res = run_analysis(data, AnalysisParams(bootstrap=0))
    h1 = next(v for v in res.verdicts if v.id == "H1")
    assert h1.status == "not_testable"
    assert h1.numbers["n_factor_known"] == 5
    assert "too few complete cases" in h1.reason_en
    cov = res.coverage.set_index("program_id")
    assert cov.loc["ECO", "n_final_grade"] == 5 and cov["n_final_grade"].sum() == 5
    assert res.exclusions["successor:no_end_fy"] > 0
    assert any("事後評価の等級が分かる採択は 5 件" in w for w in res.warnings)  # Japanese by default
    en = run_analysis(data, AnalysisParams(bootstrap=0, lang="en"))
    assert any("final letter grades known for only 5" in w for w in en.warnings)


def test_empty_registry_gives_rows_not_errors() -> None:
    from chiiki.factors.data import make_analysis_data

    data = make_analysis_data(pd.DataFrame(), None, None, None)
    res = run_analysis(data, AnalysisParams(bootstrap=10))
    assert len(res.key_factors) and res.key_factors["estimate"].isna().all()
    assert res.qca is None and res.qca_reason and res.survival is None
    assert {v.status for v in res.verdicts} == {"not_testable"}
    json.dumps(res.to_records(), allow_nan=False)
    json.dumps([v.numbers for v in res.verdicts], allow_nan=False)
