"""Kaplan–Meier, log-rank and Cox, pinned to lifelines' docs and R ``survival``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.survival import (
    cox_fit,
    cox_univariable,
    kaplan_meier,
    survival_analysis,
)
from chiiki.i18n import msg


def test_waltons_logrank_matches_lifelines_docs() -> None:
    """lifelines docs (Survival analysis with lifelines, "Comparing survival"):
    ``logrank_test`` on the waltons data, miR-137 vs control: test_statistic 122.25,
    p < 0.005, -log2(p) 91.99."""
    from lifelines.datasets import load_waltons
    from lifelines.statistics import logrank_test

    df = load_waltons()
    _, p, w = kaplan_meier(df["T"], df["E"], df["group"])
    ix = df["group"] == "miR-137"
    stat = logrank_test(df["T"][ix], df["T"][~ix], df["E"][ix], df["E"][~ix]).test_statistic
    assert stat == pytest.approx(122.25, abs=0.005)
    assert -np.log2(p) == pytest.approx(91.99, abs=0.005)
    assert not w


def test_kaplan_meier_by_hand() -> None:
    """Product-limit by hand: times 1,2,2,3,4 with events 1,1,0,1,0 →
    S(1)=4/5=0.8, S(2)=0.8·3/4=0.6, S(3)=0.6·1/2=0.3, S(4)=0.3; at risk 5,4,2,1."""
    curves, p, _ = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    c = curves.set_index("time")
    assert c.loc[[1.0, 2.0, 3.0, 4.0], "survival"].tolist() == pytest.approx([0.8, 0.6, 0.3, 0.3])
    assert c.loc[[1.0, 2.0, 3.0, 4.0], "at_risk"].tolist() == [5, 4, 2, 1]
    assert set(curves.columns) == {"group", "time", "survival", "ci_low", "ci_high", "at_risk"}
    assert np.isnan(p)  # one group: no log-rank test


def test_rossi_cox_matches_r_coxph() -> None:
    """Fox (2002), "Cox Proportional-Hazards Regression for Survival Data", appendix to An R
    and S-PLUS Companion to Applied Regression: ``coxph(Surv(week, arrest) ~ fin + age + race
    + wexp + mar + paro + prio, data=Rossi)`` gives coef fin −0.3794 (exp 0.684, se 0.1914,
    p 0.047), age −0.0574 (p 0.0090), prio 0.0915 (exp 1.096, se 0.0286, p 0.0014).
    Tolerance: the printed digits."""
    from lifelines.datasets import load_rossi

    r = load_rossi()
    s = cox_fit(r["week"], r["arrest"], r[["fin", "age", "race", "wexp", "mar", "paro", "prio"]])
    assert s.loc["fin", "coef"] == pytest.approx(-0.3794, abs=5e-5)
    assert s.loc["fin", "exp(coef)"] == pytest.approx(0.684, abs=5e-4)
    assert s.loc["fin", "se(coef)"] == pytest.approx(0.1914, abs=5e-5)
    assert s.loc["fin", "p"] == pytest.approx(0.047, abs=5e-4)
    assert s.loc["age", "coef"] == pytest.approx(-0.0574, abs=5e-5)
    assert s.loc["age", "p"] == pytest.approx(0.0090, abs=5e-5)
    assert s.loc["prio", "coef"] == pytest.approx(0.0915, abs=5e-5)
    assert s.loc["prio", "p"] == pytest.approx(0.0014, abs=5e-5)


def test_cox_univariable_equals_lifelines_and_flags_monotone_likelihood() -> None:
    from lifelines import CoxPHFitter
    from lifelines.datasets import load_rossi

    r = load_rossi()
    row, w = cox_univariable(r["week"], r["arrest"], r["fin"], name="fin")
    ref = CoxPHFitter().fit(r[["week", "arrest", "fin"]], "week", "arrest").summary
    assert row["hazard_ratio"].iloc[0] == pytest.approx(ref.loc["fin", "exp(coef)"], rel=1e-8)
    assert not w
    _, w = cox_univariable([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0])
    assert msg("factors.cox_monotone") in w


def test_survival_analysis_groups_and_cox_rows() -> None:
    rng = np.random.default_rng(0)
    x = (rng.random(200) < 0.5).astype(float)
    t = rng.exponential(3 / (1 + x))
    e = (t < 6).astype(float)
    t = np.minimum(t, 6)
    res = survival_analysis(t, e, pd.DataFrame({"g": x}), group_factor="g")
    assert set(res.curves["group"]) == {"0", "1"}
    assert res.logrank_p < 0.05 and res.n == 200
    assert res.cox_summary["hazard_ratio"].iloc[0] > 1
