"""Every result of the engine survives ``json.dumps(result.to_dict(), allow_nan=False)``."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.analysis import AnalysisParams, run_analysis
from chiiki.factors.candidates import FACTORS
from chiiki.factors.demo import generate_demo
from chiiki.factors.table import KEY_FACTOR_COLUMNS
from chiiki.i18n import Message, render


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    return run_analysis(generate_demo(seed=11, n=300), AnalysisParams(bootstrap=20))


def _dumps(d: object) -> dict:
    return json.loads(json.dumps(d, allow_nan=False, ensure_ascii=False))


def test_analysis_to_dict(analysis) -> None:  # type: ignore[no-untyped-def]
    d = _dumps(analysis.to_dict())
    assert set(d) == {
        "parameters",
        "data_hash",
        "n",
        "key_factors",
        "coverage",
        "outcomes",
        "exclusions",
        "survival",
        "survival_reason",
        "qca",
        "qca_reason",
        "verdicts",
        "robustness",
        "factors",
        "sensitivity",
        "competing",
        "participants",
        "warnings",
    }
    assert d["n"] == 300 and d["data_hash"] == analysis.data_hash and "lang" not in d["parameters"]
    kf = d["key_factors"]
    assert kf["columns"] == KEY_FACTOR_COLUMNS and len(kf["rows"]) == len(analysis.key_factors)
    row = kf["rows"][0]
    assert row["factor"] == "final_grade_S" and row["factor_label"]["code"] == "factors.factor.final_grade_S"
    assert render(row["factor_label"], "ja") == "事後評価S"
    assert row["evidence"] in {"strong", "moderate", "weak", "none", "not_testable", "crude_only", "descriptive"}
    assert d["sensitivity"]["columns"][:3] == ["factor", "outcome", "variant"]
    assert set(d["competing"]) >= {"counts", "cif", "cause_specific", "cif_at_window"}
    untestable = [r for r in kf["rows"] if r["estimate"] is None]
    assert untestable and all(r["warnings"] and r["evidence"] == "not_testable" for r in untestable)
    assert all(Message.from_dict(w).code.startswith("factors.") for r in kf["rows"] for w in r["warnings"])
    assert [v["id"] for v in d["verdicts"]] == ["H1", "H2"]
    assert d["verdicts"][0]["reason"]["code"] == "factors.verdict.supported"
    assert render(d["verdicts"][0]["reason"], "en").startswith("The data support the hypothesis: odds ratio")
    assert set(d["robustness"]) == {"H1", "H2"}
    assert d["robustness"]["H1"]["summary"]["rows"][0]["left_out"] == "(none)"
    assert len(d["factors"]) >= len(FACTORS)
    assert d["survival"]["group_label"]["code"] == "factors.factor.final_grade_S"
    assert d["survival_reason"] is None and d["coverage"]["rows"][0]["n_adoptions"] > 0
    assert [w["code"] for w in d["warnings"]] == [w.code for w in analysis.warnings]


def test_nan_is_null_and_infinity_is_a_string(analysis) -> None:  # type: ignore[no-untyped-def]
    """A zero cell gives an infinite odds ratio: JSON has no infinity, so it becomes "inf"
    (the information is kept), while NaN becomes null."""
    kf = analysis.key_factors.copy()
    kf.loc[0, "estimate"], kf.loc[0, "ci_high"], kf.loc[0, "ci_low"] = math.inf, math.inf, math.nan
    d = _dumps(dataclasses.replace(analysis, key_factors=kf).to_dict())
    first = d["key_factors"]["rows"][0]
    assert first["estimate"] == "inf" and first["ci_high"] == "inf" and first["ci_low"] is None


def test_nested_results_to_dict(analysis) -> None:  # type: ignore[no-untyped-def]
    surv = _dumps(analysis.survival.to_dict())
    assert surv["curves"]["columns"] == ["group", "time", "survival", "ci_low", "ci_high", "at_risk"]
    assert 0 <= surv["logrank_p"] < 0.05 and surv["n"] == analysis.survival.n
    assert surv["cox_summary"]["rows"][0]["factor"] == "final_grade_S"
    qca = _dumps(analysis.qca.to_dict())
    assert qca["conditions"] == list(AnalysisParams().qca_conditions) and qca["outcome"] == "regional"
    assert set(qca["solutions"]) == {"complex", "parsimonious"}
    assert {"consistency", "pri", "cases"} <= set(qca["truth_table"]["columns"])
    assert qca["warnings"] == [{"code": "factors.qca_no_solution", "params": {}, "severity": "warning"}]
    rob = _dumps(analysis.robustness["H1"].to_dict())
    assert rob["factor"] == "final_grade_S" and rob["bootstrap"]["rows"][0]["seed"] == 0
    verdict = _dumps(analysis.verdicts[1].to_dict())
    assert verdict["status_label"]["code"] == f"factors.status.{verdict['status']}"
    assert verdict["numbers"]["factor"] == "broad_partnership"
    factor = _dumps(FACTORS["blau_index"].to_dict())
    assert factor["label"]["code"] == "factors.factor.blau_index" and factor["kind"] == "continuous"


def test_empty_and_switched_off_results_serialize() -> None:
    from chiiki.factors.data import make_analysis_data

    empty = run_analysis(make_analysis_data(pd.DataFrame()), AnalysisParams(bootstrap=5))
    d = _dumps(empty.to_dict())
    assert d["survival"] is None and d["qca"] is None and d["robustness"] == {}
    assert d["qca_reason"]["code"] == "factors.qca_too_few"
    off = run_analysis(generate_demo(seed=3, n=80), AnalysisParams(bootstrap=0, survival=False, qca=False))
    d = _dumps(off.to_dict())
    assert d["survival_reason"]["code"] == "factors.survival_off" and d["qca_reason"]["code"] == "factors.qca_off"
    assert all(r["outcome"] != "time_to_successor" for r in d["key_factors"]["rows"])


def test_numpy_values_in_parameters_and_numbers(analysis) -> None:  # type: ignore[no-untyped-def]
    p = dict(analysis.parameters, alpha=np.float64(0.05), min_n=np.int64(10))
    d = _dumps(dataclasses.replace(analysis, parameters=p).to_dict())
    assert d["parameters"]["alpha"] == 0.05 and d["parameters"]["min_n"] == 10
