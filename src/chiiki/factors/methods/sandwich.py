"""Cluster-robust (sandwich) variance of a logistic-regression estimate, clusters = hubs.

Why by hand: the adjusted estimate of a continuous factor is a Firth fit (finite where
maximum likelihood separates), and no library gives a cluster-robust variance for a Firth fit.
The sandwich ``B M B`` with bread ``B = (X'WX)^{-1}`` and meat ``M = Σ_g U_g U_g'`` (``U_g`` the
summed score contributions ``x_i (y_i − p_i)`` of cluster *g*) is the variance GEE with an
independence working correlation uses (Liang & Zeger 1986). At a maximum-likelihood fit it equals R geepack's
``geeglm(..., corstr = "independence")`` robust SE and statsmodels' ``GLM(...).fit(cov_type=
"cluster", cov_kwds={"groups": g, "use_correction": False})`` (both pinned in
``tests/factors/test_sandwich.py``); at a Firth fit it ignores the penalty's share of
the score, which vanishes as n grows. With few hubs it is optimistic; the row then says how many
clusters it rests on.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def logistic_sandwich(X: np.ndarray, y: np.ndarray, beta: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Cluster-robust covariance of ``beta`` (``X`` includes the intercept column)."""
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y, dtype="float64")
    p = 1.0 / (1.0 + np.exp(-(X @ np.asarray(beta, dtype="float64"))))
    w = p * (1.0 - p)
    bread = np.linalg.pinv((X * w[:, None]).T @ X)
    scores = X * (y - p)[:, None]
    _, inverse = np.unique(np.asarray(groups).astype(str), return_inverse=True)
    summed = np.zeros((inverse.max() + 1, X.shape[1]))
    np.add.at(summed, inverse, scores)
    meat = summed.T @ summed
    return bread @ meat @ bread


def robust_wald(
    X: np.ndarray, y: np.ndarray, beta: np.ndarray, groups: np.ndarray, index: int, alpha: float = 0.05
) -> tuple[float, float, float, float]:
    """(se, ci_low, ci_high, p) of ``exp(beta[index])`` from the cluster-robust variance."""
    cov = logistic_sandwich(X, y, beta, groups)
    se = float(np.sqrt(max(cov[index, index], 0.0)))
    b = float(beta[index])
    if not np.isfinite(se) or se == 0.0:
        return se, float("nan"), float("nan"), float("nan")
    z = float(norm.ppf(1 - alpha / 2))
    p = float(2 * norm.sf(abs(b / se)))
    return se, float(np.exp(b - z * se)), float(np.exp(b + z * se)), p
