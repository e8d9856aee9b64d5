"""Adjusted Cox model (strata, cluster-robust SE, cox.zph), pinned to R survival.

Reference values: R 4.2.2, survival 3.5.3, printed by ``tests/factors/r/cox_adjusted.R`` on
``tests/factors/data/lung_cc.csv`` (survival::lung, complete cases on time, status, age, sex,
ph.ecog, inst; status 0/1; written by the same script). Calls:
``coxph(Surv(time, status) ~ ..., ties = "efron", control = coxph.control(eps = 1e-11))`` with
``strata(sex)`` and/or ``cluster = inst``, then ``cox.zph(fit, transform = "km")$table``.
Tolerances: coef, se, robust se, zph chi-square 1e-8 relative; p-values 1e-7 relative (the
implementation agrees with R to ~1e-11; the slack is for BLAS differences).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.cox import cox_model

DATA = Path(__file__).parent / "data" / "lung_cc.csv"
REL = 1e-8
PLAIN_ZPH = (
    [0.24360931338, 2.47547956671, 2.35304562006, 4.97474438170],
    [0.621611345870, 0.115634168782, 0.125038504154, 0.173655853556],
)  # cox.zph of age + sex + ph.ecog (cluster= does not change it)


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    d = pd.read_csv(DATA)
    assert (len(d), int(d["status"].sum())) == (226, 163)
    return d


def check(res, coef, se, robust, p, zph) -> None:  # type: ignore[no-untyped-def]
    s = res.summary
    assert s["coef"].tolist() == pytest.approx(coef, rel=REL)
    assert s["hazard_ratio"].tolist() == pytest.approx(np.exp(coef).tolist(), rel=REL)
    assert s["se"].tolist() == pytest.approx(se, rel=REL)
    if robust is None:
        assert s["robust_se"].isna().all()
    else:
        assert s["robust_se"].tolist() == pytest.approx(robust, rel=REL)
    assert s["p_value"].tolist() == pytest.approx(p, rel=1e-7)
    use = np.asarray(robust if robust is not None else se)
    assert s["ci_low"].tolist() == pytest.approx(np.exp(np.asarray(coef) - 1.959963984540054 * use).tolist(), rel=1e-7)
    assert s["ci_high"].tolist() == pytest.approx(np.exp(np.asarray(coef) + 1.959963984540054 * use).tolist(), rel=1e-7)
    stat, pz = zph
    assert res.ph_test["statistic"].tolist() == pytest.approx(stat, rel=REL)
    assert res.ph_test["p_value"].tolist() == pytest.approx(pz, rel=1e-7)
    assert res.ph_test["term"].tolist()[-1] == "GLOBAL"
    assert res.converged and not res.warnings


def test_plain_model(lung: pd.DataFrame) -> None:
    """coxph(Surv(time, status) ~ age + sex + ph.ecog); loglik -724.119253118481."""
    r = cox_model(lung["time"], lung["status"], lung[["age", "sex", "ph.ecog"]])
    check(
        r,
        [0.0112321642573, -0.5565934139851, 0.4692163967661],
        [0.00926210540597, 0.16807103087718, 0.11429040215874],
        None,
        [2.25244166903e-01, 9.27455610096e-04, 4.03484799547e-05],
        PLAIN_ZPH,
    )  # fmt: skip
    assert r.loglik == pytest.approx(-724.119253118481, rel=1e-10)
    assert (r.n, r.n_events, r.n_strata, r.n_clusters) == (226, 163, 1, None)
    assert r.ph_test["df"].tolist() == [1, 1, 1, 3]


def test_stratified_model(lung: pd.DataFrame) -> None:
    """coxph(Surv(time, status) ~ age + ph.ecog + strata(sex)); loglik -624.035431474032."""
    r = cox_model(lung["time"], lung["status"], lung[["age", "ph.ecog"]], strata=lung["sex"])
    check(
        r,
        [0.0107084013906, 0.4690629418837],
        [0.00923359925195, 0.11558731596196],
        None,
        [2.46162310024e-01, 4.94771479442e-05],
        ([0.182346436549, 2.516407554247, 2.550285072124], [0.669364456761, 0.112666994077, 0.279391142070]),
    )
    assert r.loglik == pytest.approx(-624.035431474032, rel=1e-10)
    assert r.n_strata == 2


def test_stratified_clustered_model(lung: pd.DataFrame) -> None:
    """coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), cluster = inst): CI and p from robust se."""
    r = cox_model(lung["time"], lung["status"], lung[["age", "ph.ecog"]], strata=lung["sex"], cluster=lung["inst"])
    check(
        r,
        [0.0107084013906, 0.4690629418837],
        [0.00923359925195, 0.11558731596196],
        [0.00684626511178, 0.11109238482253],
        [1.17788662731e-01, 2.41845467203e-05],
        ([0.182346436549, 2.516407554247, 2.550285072124], [0.669364456761, 0.112666994077, 0.279391142070]),
    )
    assert r.n_clusters == 18  # length(unique(d$inst))


def test_clustered_model(lung: pd.DataFrame) -> None:
    """coxph(Surv(time, status) ~ age + sex + ph.ecog, cluster = inst)."""
    r = cox_model(lung["time"], lung["status"], lung[["age", "sex", "ph.ecog"]], cluster=lung["inst"])
    check(
        r,
        [0.0112321642573, -0.5565934139851, 0.4692163967661],
        [0.00926210540597, 0.16807103087718, 0.11429040215874],
        [0.00688872705633, 0.11228667990703, 0.11761595327126],
        [1.02992959342e-01, 7.16282282880e-07, 6.62422690161e-05],
        PLAIN_ZPH,
    )


def test_heavily_tied_times(lung: pd.DataFrame) -> None:
    """Time in half-years (6 distinct values, like whole fiscal years): Efron ties in the fit, the
    robust variance and cox.zph. lifelines' own cluster_col sandwich ignores ties and misses these."""
    ty = np.ceil(lung["time"] / 182.625)
    r = cox_model(ty, lung["status"], lung[["age", "ph.ecog"]], strata=lung["sex"], cluster=lung["inst"])
    check(
        r,
        [0.0085500010482, 0.4885634645315],
        [0.00905094086233, 0.11582460646425],
        [0.00745099479064, 0.11058774939067],
        [2.51175890958e-01, 9.96734875638e-06],
        ([0.137136005261, 1.709793367952, 2.065965629577], [0.711144976025, 0.191012182145, 0.355943661528]),
    )
    assert r.loglik == pytest.approx(-639.599914151901, rel=1e-10)


def test_nan_rows_are_dropped_like_coxph(lung: pd.DataFrame) -> None:
    d = lung.copy()
    extra = pd.DataFrame({"time": [10.0, np.nan, 20.0], "status": [1, 1, 1], "age": [60, 60, np.nan],
                          "sex": [1, 1, 1], "ph.ecog": [1, 1, 1], "inst": [np.nan, 1, 1]})  # fmt: skip
    d = pd.concat([d, extra], ignore_index=True)
    r = cox_model(d["time"], d["status"], d[["age", "ph.ecog"]], strata=d["sex"], cluster=d["inst"])
    assert r.n == 226
    assert r.summary["coef"].tolist() == pytest.approx([0.0107084013906, 0.4690629418837], rel=REL)


def test_monotone_likelihood_gives_nan_and_warnings() -> None:
    """Every event among x=1: the MLE of x is infinite. No exception, NaN estimates, converged False."""
    t = np.arange(1, 21.0)
    x = (t <= 10).astype(float)
    e = np.r_[np.ones(10), np.zeros(10)]
    r = cox_model(t, e, pd.DataFrame({"x": x, "z": np.sin(t)}))
    assert not r.converged
    assert r.summary[["coef", "se", "p_value"]].isna().all().all()
    codes = [w.code for w in r.warnings]
    assert "factors.cox_monotone" in codes and "factors.cox_not_converged" in codes
    texts = [w.params["text"] for w in r.warnings if w.code == "factors.cox_warning"]
    assert all("__x" not in text for text in texts)


def test_degenerate_inputs_never_raise(lung: pd.DataFrame) -> None:
    none = cox_model(lung["time"], np.zeros(len(lung)), lung[["age"]])
    assert [w.code for w in none.warnings] == ["factors.no_successor_events"] and none.summary["coef"].isna().all()
    const = cox_model(lung["time"], lung["status"], lung[["age"]].assign(one=1.0))
    assert [w.code for w in const.warnings] == ["factors.no_model_constant"]
    assert const.warnings[0].params == {"terms": "one"}
    collinear = cox_model(lung["time"], lung["status"], lung[["age"]].assign(twice=2 * lung["age"]))
    assert not collinear.converged and collinear.summary["coef"].isna().all()
    assert {w.code for w in collinear.warnings} & {"factors.cox_failed", "factors.cox_not_converged"}
    assert len(collinear.ph_test) == 3 and collinear.ph_test["p_value"].isna().all()


def test_to_dict_is_json(lung: pd.DataFrame) -> None:
    r = cox_model(lung["time"], lung["status"], lung[["age", "ph.ecog"]], strata=lung["sex"], cluster=lung["inst"])
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["summary"]["columns"] == [
        "term",
        "coef",
        "hazard_ratio",
        "se",
        "robust_se",
        "ci_low",
        "ci_high",
        "p_value",
    ]
    assert d["ph_test"]["columns"] == ["term", "statistic", "df", "p_value"]
    assert d["n_events"] == 163 and d["converged"] is True
