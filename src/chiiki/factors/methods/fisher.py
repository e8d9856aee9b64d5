"""Fisher's exact test on a 2×2 table with the conditional-MLE odds ratio.

``scipy.stats.fisher_exact`` gives the same two-sided p-value as R ``fisher.test`` (sum of
the probabilities of tables no more likely than the observed one), but its ``statistic`` is
the *sample* odds ratio. R reports the *conditional* maximum-likelihood estimate with an
exact conditional confidence interval; ``scipy.stats.contingency.odds_ratio(kind=
"conditional")`` computes exactly that but slowly, so :func:`conditional_odds_ratio` does the
same computation vectorized (checked against scipy and R in the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chiiki.i18n import Message, msg

SUMMARY_COLUMNS = ["estimate", "ci_low", "ci_high", "p_value", "n", "a", "b", "c", "d"]


@dataclass
class FisherResult:
    """One test: ``.summary`` has one row; the table cells are a=x1y1, b=x1y0, c=x0y1, d=x0y0."""

    summary: pd.DataFrame
    table: np.ndarray
    warnings: list[Message] = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(self.table.sum())

    @property
    def estimate(self) -> float:
        return float(self.summary["estimate"].iloc[0])


def _log_dhyper(support: np.ndarray, m: int, n: int, k: int) -> np.ndarray:
    from scipy.special import gammaln

    def lchoose(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
        return gammaln(np.asarray(a) + 1) - gammaln(np.asarray(b) + 1) - gammaln(np.asarray(a) - np.asarray(b) + 1)

    return lchoose(m, support) + lchoose(n, k - support)


def conditional_odds_ratio(table: np.ndarray, alpha: float = 0.05) -> tuple[float, float, float]:
    """Conditional MLE of the odds ratio and its exact two-sided CI, as R ``fisher.test``.

    Same definition as ``scipy.stats.contingency.odds_ratio(kind="conditional")`` (checked in
    the tests), computed on the log scale with vectorized noncentral-hypergeometric
    probabilities because scipy's version takes ~0.2 s per table of a few hundred cases.
    """
    from scipy.optimize import brentq

    a = int(table[0, 0])
    m = int(table[0, 0] + table[1, 0])  # outcome-yes column total
    n = int(table[0, 1] + table[1, 1])
    k = int(table[0, 0] + table[0, 1])  # exposure-yes row total
    lo, hi = max(0, k - n), min(k, m)
    support = np.arange(lo, hi + 1)
    logdc = _log_dhyper(support, m, n, k)

    def probs(log_psi: float) -> np.ndarray:
        d = logdc + log_psi * support
        e = np.exp(d - d.max())
        return e / e.sum()

    def mean(log_psi: float) -> float:
        return float(np.sum(support * probs(log_psi)))

    def cdf(log_psi: float) -> float:  # P(X <= a)
        return float(np.sum(probs(log_psi)[support <= a]))

    def sf(log_psi: float) -> float:  # P(X >= a)
        return float(np.sum(probs(log_psi)[support >= a]))

    def solve(f: Callable[[float], float], target: float) -> float:
        lo_b, hi_b = -1.0, 1.0
        g = lambda t: f(t) - target  # noqa: E731
        while g(lo_b) * g(hi_b) > 0 and hi_b < 700:
            lo_b, hi_b = lo_b * 2, hi_b * 2
        return float(np.exp(brentq(g, lo_b, hi_b, xtol=1e-12, rtol=1e-14)))

    if a == lo:
        est = 0.0
    elif a == hi:
        est = np.inf
    else:
        est = solve(mean, float(a))
    half = alpha / 2
    ci_low = 0.0 if a == lo else solve(sf, half)
    ci_high = np.inf if a == hi else solve(lambda t: -cdf(t), -half)
    return est, ci_low, ci_high


def fisher_table(table: np.ndarray | list[list[int]], alpha: float = 0.05) -> FisherResult:
    """Test a 2×2 table ``[[a, b], [c, d]]`` (rows: exposure yes/no; columns: outcome yes/no)."""
    from scipy.stats import fisher_exact

    t = np.asarray(table, dtype=np.int64)
    if t.shape != (2, 2):
        raise ValueError("fisher_table needs a 2x2 table")
    warnings: list[Message] = []
    n = int(t.sum())
    if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
        warnings.append(msg("factors.empty_margin"))
        est = lo = hi = p = np.nan
    else:
        p = float(fisher_exact(t, alternative="two-sided").pvalue)
        est, lo, hi = conditional_odds_ratio(t, alpha)
        if (t == 0).any():
            warnings.append(msg("factors.zero_cell"))
    a, b, c, d = (int(v) for v in t.ravel())
    summary = pd.DataFrame([[est, lo, hi, p, n, a, b, c, d]], columns=SUMMARY_COLUMNS)
    return FisherResult(summary=summary, table=t, warnings=warnings)


def fisher_test(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray, alpha: float = 0.05) -> FisherResult:
    """Fisher test of binary ``x`` (exposure) against binary ``y`` (outcome), pairwise-complete."""
    xs = np.asarray(x, dtype="float64")
    ys = np.asarray(y, dtype="float64")
    keep = ~(np.isnan(xs) | np.isnan(ys))
    xs, ys = xs[keep] > 0.5, ys[keep] > 0.5
    table = np.array([[np.sum(xs & ys), np.sum(xs & ~ys)], [np.sum(~xs & ys), np.sum(~xs & ~ys)]])
    return fisher_table(table, alpha=alpha)
