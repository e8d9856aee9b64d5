"""Fisher's exact test and the conditional-MLE odds ratio, pinned to R ``fisher.test``."""

from __future__ import annotations

import numpy as np
import pytest

from chiiki.factors.methods.fisher import conditional_odds_ratio, fisher_table, fisher_test
from chiiki.i18n import msg

TEA = [[3, 1], [1, 3]]


def test_tea_tasting_matches_r() -> None:
    """R: ``fisher.test(matrix(c(3,1,1,3),2))`` (R docs' TeaTasting; output as printed in PSU
    STAT 504 TeaLady.out): p-value = 0.4857, odds ratio 6.408309, 95% CI 0.2117329 621.9337505.

    Tolerances: p and OR to 1e-4 relative (R prints 4 and 7 digits; R's OR comes from
    ``uniroot`` at its default tolerance, ours from brentq at 1e-12, so the 7th digit
    differs: 6.408320 vs 6.408309). The upper limit differs by 0.7 %: R's ``uniroot`` stops
    early on the very flat tail; solving P(X ≤ 3 | ψ) = 0.025 directly (scipy
    ``nchypergeom_fisher``) gives 626.2435, which is what we and scipy return. Note: the
    interval 0.3135693–Inf (not 0.3135693–308.56) is R's *one-sided* ``alternative="greater"``
    interval, checked below.
    """
    r = fisher_table(TEA)
    s = r.summary.iloc[0]
    assert s["p_value"] == pytest.approx(0.4857, abs=5e-5)
    assert s["estimate"] == pytest.approx(6.408309, rel=1e-5)
    assert s["ci_low"] == pytest.approx(0.2117329, rel=1e-4)
    assert s["ci_high"] == pytest.approx(621.9337505, rel=0.01)
    assert s["ci_high"] == pytest.approx(626.2435, rel=1e-6)
    assert r.n == 8 and not r.warnings


def test_one_sided_lower_limit_matches_r() -> None:
    """R ``fisher.test(tea, alternative="greater")``: 95% CI 0.3135693–Inf, p = 0.2429.

    A one-sided 95% lower limit is the lower limit of the two-sided 90% interval.
    """
    _, lo, _ = conditional_odds_ratio(np.array(TEA), alpha=0.10)
    assert lo == pytest.approx(0.3135693, rel=1e-4)
    from scipy.stats import fisher_exact

    assert fisher_exact(TEA, alternative="greater").pvalue == pytest.approx(0.2429, abs=5e-5)


@pytest.mark.parametrize(
    "table", [[[45, 26], [55, 147]], [[1, 1], [1, 1]], [[300, 2000], [500, 7000]], [[2, 9], [7, 3]]]
)
def test_same_as_scipy_conditional_odds_ratio(table: list[list[int]]) -> None:
    """Our vectorized computation equals ``scipy.stats.contingency.odds_ratio(kind=
    "conditional")`` (the reference implementation of R's definition) to 1e-8."""
    from scipy.stats.contingency import odds_ratio

    ref = odds_ratio(table, kind="conditional")
    ci = ref.confidence_interval(0.95)
    est, lo, hi = conditional_odds_ratio(np.array(table))
    assert est == pytest.approx(ref.statistic, rel=1e-8)
    assert lo == pytest.approx(ci.low, rel=1e-8)
    assert hi == pytest.approx(ci.high, rel=1e-8)


def test_zero_cell_is_reported_as_separation() -> None:
    r = fisher_table([[5, 0], [10, 20]])
    s = r.summary.iloc[0]
    assert np.isinf(s["estimate"]) and np.isinf(s["ci_high"]) and s["ci_low"] > 1
    assert r.warnings == [msg("factors.zero_cell")]


def test_pairwise_complete_and_orientation() -> None:
    x = np.array([1, 1, 1, 0, 0, 0, np.nan, 1])
    y = np.array([1, 1, 0, 0, 0, 1, 1, np.nan])
    r = fisher_test(x, y)
    assert r.n == 6
    assert r.table.tolist() == [[2, 1], [1, 2]]


def test_empty_margin_gives_no_test() -> None:
    r = fisher_table([[0, 0], [3, 4]])
    assert np.isnan(r.estimate) and r.warnings == [msg("factors.empty_margin")]
