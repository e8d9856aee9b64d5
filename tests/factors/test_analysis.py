"""The ``run_analysis`` contract (what the report reads), on demo and on the bundled data."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from chiiki.factors.analysis import AnalysisParams, run_analysis
from chiiki.factors.data import load_analysis_data
from chiiki.factors.demo import generate_demo
from chiiki.factors.table import KEY_FACTOR_COLUMNS, RECORD_KEYS, evidence_label, evidence_message
from chiiki.i18n import Message, render

FAST = AnalysisParams(bootstrap=20)


@pytest.fixture(scope="module")
def demo_result():  # type: ignore[no-untyped-def]
    return run_analysis(generate_demo(seed=11, n=300), FAST)


def test_key_factor_table_contract(demo_result) -> None:  # type: ignore[no-untyped-def]
    kf = demo_result.key_factors
    assert list(kf.columns) == KEY_FACTOR_COLUMNS
    assert set(kf["outcome"]) == {"successor", "next_stage", "regional", "time_to_successor"}
    assert set(kf["method"]) == {"fisher", "firth", "cox", "mh_exact", "firth_adjusted", "cox_stratified"}
    assert kf.loc[kf["outcome"] == "time_to_successor", "method"].isin(["cox", "cox_stratified"]).all()
    assert set(kf["analysis"]) == {"crude", "adjusted"}
    # language-free: warnings are lists of messages, labels are messages, evidence is a code
    assert kf["warnings"].map(lambda w: isinstance(w, list) and all(isinstance(m, Message) for m in w)).all()
    for col in ("factor_label", "outcome_label", "method_label", "evidence_label"):
        assert kf[col].map(lambda m: isinstance(m, Message) and m.code.startswith("factors.")).all(), col
    assert set(kf["evidence"]) <= {"strong", "moderate", "weak", "none", "not_testable", "descriptive", "crude_only"}
    assert kf.loc[~kf["evidence"].isin(["strong", "moderate", "weak"]), "direction"].isna().all()
    graded = kf[kf["evidence"].isin(["strong", "moderate", "weak"])]
    assert (
        len(graded)
        and (graded["direction"] == graded["estimate"].gt(1).map({True: "positive", False: "negative"})).all()
    )
    # every factor appears for every outcome, crude and adjusted, testable or not
    assert kf.groupby("factor").size().eq(8).all()
    untestable = kf[kf["estimate"].isna()]
    assert len(untestable) and untestable["warnings"].map(len).gt(0).all()
    assert untestable["p_adjusted"].isna().all()
    assert (untestable["evidence"] == "not_testable").all()


def test_bh_per_outcome_over_primary_rows_and_holm_for_the_hypotheses(demo_result) -> None:  # type: ignore[no-untyped-def]
    from chiiki.factors.methods.adjust import bh_adjust, holm_adjust

    kf = demo_result.key_factors
    sub = kf[(kf["outcome"] == "successor") & (kf["p_family"] == "exploratory")]
    assert sub["analysis"].eq("adjusted").all() and sub["factor"].is_unique  # one primary method per factor
    expected = bh_adjust(sub["p_value"].to_numpy())
    pd.testing.assert_series_equal(sub["p_adjusted"].reset_index(drop=True), pd.Series(expected, name="p_adjusted"))
    conf = kf[kf["p_family"] == "confirmatory"]
    assert sorted(conf["hypothesis"]) == ["H1", "H2"]
    np_expected = holm_adjust(conf["p_value"].to_numpy())
    assert list(conf["p_adjusted"]) == pytest.approx(list(np_expected), nan_ok=True)


def test_records_are_json_with_nulls(demo_result) -> None:  # type: ignore[no-untyped-def]
    recs = demo_result.to_records()
    assert len(recs) == len(demo_result.key_factors)
    assert all(list(r) == RECORD_KEYS for r in recs)
    text = json.dumps(recs, ensure_ascii=False, allow_nan=False)
    assert "null" in text
    assert any(r["estimate"] is None for r in recs)
    with_warnings = next(r for r in recs if r["warnings"])
    assert all(set(w) == {"code", "params", "severity"} for w in with_warnings["warnings"])
    # with a language: the same keys plus the warnings as text in that language
    en, ja = demo_result.to_records("en"), demo_result.to_records("ja")
    assert all(list(r) == [*RECORD_KEYS, "warnings_text"] for r in en)
    i = recs.index(with_warnings)
    assert en[i]["warnings_text"] == "; ".join(render(w, "en") for w in with_warnings["warnings"])
    assert en[i]["warnings_text"] != ja[i]["warnings_text"]
    assert all(r["warnings_text"] == "" for r in en if not r["warnings"])


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
    from chiiki.factors.outcomes import OUTCOME_COLUMNS

    assert list(r.outcomes.columns) == OUTCOME_COLUMNS
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
    assert v["H1"].numbers["estimate"] > 1
    assert v["H1"].reason.code == "factors.verdict.supported"
    assert v["H1"].statement.code == "factors.hypothesis.H1"
    assert v["H1"].status_message.code == "factors.status.supported"
    en, ja = render(v["H1"].reason, "en"), render(v["H1"].reason, "ja")
    assert f"odds ratio {v['H1'].numbers['estimate']:.3g} within program family" in en
    assert "Holm-adjusted p-value=" in en and "clustered by hub" in en
    assert "オッズ比" in ja and "調整済みp値=" in ja and "補正" not in ja
    assert v["H1"].numbers["adjusted_for"] == ["program_family", "start_era"]
    # the compatibility properties render the same messages
    assert v["H1"].reason_en == en and v["H1"].reason_ja == ja and v["H1"].status_label("ja") == "支持"


def test_evidence_labels() -> None:
    row = {"estimate": 3.0, "p_value": 0.001, "p_adjusted": 0.02, "p_family": "exploratory"}
    m = evidence_message(row)
    assert m.code == "factors.evidence.moderate" and m.params["direction"]["code"] == "factors.direction.positive"
    assert evidence_label(row, "ja") == "中程度の証拠（正の関連）"
    assert evidence_label(row, "en") == "moderate evidence (positive association)"
    weak = {**row, "estimate": 0.4, "p_adjusted": 0.2}
    assert evidence_label(weak, "en") == "weak evidence (negative association; not significant after adjustment)"
    assert evidence_label(weak, "ja") == "弱い証拠（負の関連。調整済みp値では有意でない）"
    assert evidence_label({**row, "p_adjusted": 0.001}, "en") == "strong evidence (positive association)"
    assert evidence_label({"estimate": math.nan, "p_value": math.nan}, "ja") == "検証不能"
    assert (
        evidence_label({**row, "estimate": 0.5, "p_value": 0.5, "p_adjusted": 0.6}, "en") == "no association detected"
    )
    # a crude row is shown for comparison, not graded; a row without a p-value is descriptive
    assert evidence_label({**row, "p_family": None}, "en") == "crude estimate (for comparison; not graded)"
    assert evidence_label({**row, "p_value": math.nan}, "en").startswith("descriptive only")
    # a hub-clustered interval that includes 1 caps the grade at weak
    assert evidence_message({**row, "cluster_ci_low": 0.8, "cluster_ci_high": 4.0}).code == "factors.evidence.weak"


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
    assert h1.reason.code == "factors.verdict.not_testable"
    assert h1.reason.params["why"]["code"] == "factors.too_few_cases"
    assert "Reason: too few complete cases (n=" in render(h1.reason, "en")
    assert "理由: 要因と結果の両方が分かる件数が少なすぎる" in render(h1.reason, "ja")
    assert h1.status_label("ja") == "検証不能" and h1.warnings[0].code == "factors.too_few_cases"
    cov = res.coverage.set_index("program_id")
    assert cov.loc["ECO", "n_final_grade"] == 5 and cov["n_final_grade"].sum() == 5
    assert res.exclusions["successor:no_end_fy"] > 0
    few = next(w for w in res.warnings if w.code == "factors.few_final_grades")
    assert few.params == {"n": 5}
    assert render(few, "en").startswith("the final evaluation grade is known for only 5 adoptions")
    assert "事後評価の等級が分かる採択は5件のみ" in render(few, "ja")
    # the engine no longer takes a language: one result, rendered in either
    with pytest.raises(TypeError):
        AnalysisParams(lang="en")  # type: ignore[call-arg]
    assert "lang" not in res.parameters


def test_empty_registry_gives_rows_not_errors() -> None:
    from chiiki.factors.data import make_analysis_data

    data = make_analysis_data(pd.DataFrame(), None, None, None)
    res = run_analysis(data, AnalysisParams(bootstrap=10))
    assert len(res.key_factors) and res.key_factors["estimate"].isna().all()
    assert res.qca is None and res.survival is None
    assert res.qca_reason is not None and res.qca_reason.code == "factors.qca_too_few"
    assert res.survival_reason is not None and res.survival_reason.code == "factors.survival_too_few"
    assert {v.status for v in res.verdicts} == {"not_testable"}
    assert {v.reason.params["why"]["code"] for v in res.verdicts} == {"factors.too_few_cases"}
    json.dumps(res.to_records(), allow_nan=False)
    json.dumps(res.to_dict(), allow_nan=False)
