"""Mantel–Haenszel common odds ratio over strata (e.g. program family), as R ``mantelhaen.test``.

Why stratify: a factor that is common in one program family and rare in another looks
associated with the outcome whenever the families' success rates differ; within-family
comparison removes that confounding. Two variants, both as R 4.2 ``mantelhaen.test`` for
2×2×K tables:

- ``exact=False`` (R's default): Mantel–Haenszel odds ratio, Robins–Breslow–Greenland CI on the
  log scale, MH chi-square with continuity correction. The odds ratio and its CI come from
  ``statsmodels``' ``StratifiedTable``; the test is computed here because statsmodels always
  subtracts the 0.5 correction (R only when ``|Σ(a - E a)| >= 0.5``) and takes ``1 - cdf``
  (which loses tiny p-values).
- ``exact=True``: conditional maximum-likelihood estimate of the common odds ratio with the
  exact conditional CI and two-sided p-value (distribution of Σa given all strata margins,
  a convolution of hypergeometric densities). No Python library offers this, so it is written
  here following R's algorithm; the roots are found to ~1e-12 on the log scale where R's
  ``uniroot`` stops at ~1e-4 (see ``tests/factors/r/mantel_haenszel.R``).

Strata in which x or y takes a single value (including strata of one case) carry no
information about the odds ratio: they are dropped and counted in ``n_strata_informative``.
R refuses strata of fewer than two cases; dropping them gives the same answer as R gives on
the remaining strata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from chiiki.i18n import Message, msg

TABLE_COLUMNS = ["stratum", "a", "b", "c", "d", "informative"]
Method = Literal["mantel_haenszel", "exact_conditional"]


@dataclass
class StratifiedResult:
    """Common odds ratio over strata; ``tables`` has one row per stratum (a=x1y1, b=x1y0, c=x0y1, d=x0y0).

    ``statistic`` is the MH chi-square (asymptotic) or S = Σa (exact), as R's ``statistic``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    method: Method
    n: int
    n_strata: int
    n_strata_informative: int
    statistic: float = np.nan
    tables: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TABLE_COLUMNS))
    warnings: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from chiiki.serialize import plain

        return {k: plain(v) for k, v in self.__dict__.items()}


def strata_tables(x: object, y: object, strata: object) -> pd.DataFrame:
    """Per-stratum 2×2 counts of complete cases (rows with NaN x, y or stratum dropped)."""
    df = pd.DataFrame(
        {
            "x": pd.to_numeric(pd.Series(np.asarray(x, dtype=object)), errors="coerce"),
            "y": pd.to_numeric(pd.Series(np.asarray(y, dtype=object)), errors="coerce"),
            "s": pd.Series(np.asarray(strata, dtype=object)),
        }
    ).dropna()
    if df.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    xs, ys = df["x"] > 0.5, df["y"] > 0.5
    cells = pd.DataFrame({"a": xs & ys, "b": xs & ~ys, "c": ~xs & ys, "d": ~xs & ~ys}).astype("int64")
    cells["stratum"] = df["s"].to_numpy()
    t = cells.groupby("stratum", sort=True)[["a", "b", "c", "d"]].sum().reset_index()
    rows_ok = (t["a"] + t["b"] > 0) & (t["c"] + t["d"] > 0)
    cols_ok = (t["a"] + t["c"] > 0) & (t["b"] + t["d"] > 0)
    t["informative"] = rows_ok & cols_ok
    return t[TABLE_COLUMNS]


def mantel_haenszel(x: object, y: object, strata: object, alpha: float = 0.05, exact: bool = False) -> StratifiedResult:
    """Common odds ratio of binary ``y`` on binary ``x`` within ``strata`` (see the module docstring)."""
    tables = strata_tables(x, y, strata)
    method: Method = "exact_conditional" if exact else "mantel_haenszel"
    n = int(tables[["a", "b", "c", "d"]].to_numpy().sum()) if len(tables) else 0
    inf = tables[tables["informative"].astype(bool)]
    warnings: list[Message] = []
    base = {"method": method, "n": n, "n_strata": len(tables), "n_strata_informative": len(inf), "tables": tables}
    if inf.empty:
        warnings.append(msg("factors.mh_no_informative_strata", n_strata=len(tables)))
        return StratifiedResult(np.nan, np.nan, np.nan, np.nan, warnings=warnings, **base)  # type: ignore[arg-type]
    cells = inf[["a", "b", "c", "d"]].to_numpy(dtype="float64")
    if exact:
        est, lo, hi, p, stat = _exact(cells.astype(np.int64), alpha)
        stat += float(tables.loc[~tables["informative"].astype(bool), "a"].sum())  # R's S sums every stratum
        if est == 0 or np.isinf(est):
            warnings.append(msg("factors.mh_estimate_at_bound"))
    else:
        est, lo, hi, p, stat = _asymptotic(cells, alpha)
        if est == 0 or np.isinf(est) or np.isnan(est):
            warnings.append(msg("factors.mh_zero_cells"))
    return StratifiedResult(est, lo, hi, p, statistic=stat, warnings=warnings, **base)  # type: ignore[arg-type]


def _asymptotic(cells: np.ndarray, alpha: float) -> tuple[float, float, float, float, float]:
    from scipy.stats import chi2
    from statsmodels.stats.contingency_tables import StratifiedTable

    a, b, c, d = cells.T
    n = a + b + c + d
    s_diag, s_offd = float(np.sum(a * d / n)), float(np.sum(b * c / n))
    if s_diag > 0 and s_offd > 0:
        st = StratifiedTable(cells.reshape(-1, 2, 2).transpose(1, 2, 0))
        est = float(st.oddsratio_pooled)
        lo, hi = (float(v) for v in st.oddsratio_pooled_confint(alpha=alpha))
    else:  # the MH estimate is 0 or infinite and the RGB variance undefined (R prints NaN limits)
        est = np.nan if s_diag == s_offd == 0 else (np.inf if s_offd == 0 else 0.0)
        lo = hi = np.nan
    delta = float(np.sum(a - (a + b) * (a + c) / n))
    yates = 0.5 if abs(delta) >= 0.5 else 0.0
    var = float(np.sum((a + b) * (c + d) * (a + c) * (b + d) / (n**2 * (n - 1))))
    stat = (abs(delta) - yates) ** 2 / var if var > 0 else np.nan
    p = float(chi2.sf(stat, 1)) if var > 0 else np.nan
    return est, lo, hi, p, stat


def _log_choose(n: np.ndarray | int, k: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    return np.asarray(gammaln(np.asarray(n) + 1) - gammaln(k + 1) - gammaln(np.asarray(n) - k + 1))


def _null_density(cells: np.ndarray) -> tuple[np.ndarray, int]:
    """P(Σa = s | margins, OR = 1) over s = lo..hi: convolution of hypergeometrics (R's C ``d2x2xk``)."""
    dens = np.array([1.0])
    lo_total = 0
    for a, b, c, d in cells:
        m, n, t = a + c, b + d, a + b  # y=1 total, y=0 total, x=1 total
        lo, hi = max(0, t - n), min(t, m)
        k = np.arange(lo, hi + 1)
        logp = _log_choose(m, k) + _log_choose(n, t - k)
        p = np.exp(logp - logp.max())
        dens = np.convolve(dens, p / p.sum())
        dens /= dens.sum()
        lo_total += lo
    return dens, lo_total


def _exact(cells: np.ndarray, alpha: float) -> tuple[float, float, float, float, float]:
    from scipy.optimize import brentq

    dc, lo = _null_density(cells)
    support = np.arange(lo, lo + len(dc))
    hi = int(support[-1])
    s = int(cells[:, 0].sum())
    with np.errstate(divide="ignore"):  # far tails underflow to 0 (as in R): log 0 = -inf is harmless
        logdc = np.log(dc)
    p_value = float(min(1.0, dc[dc <= dc[s - lo] * (1 + 1e-7)].sum()))  # R's relErr for ties in density

    def dens(log_psi: float) -> np.ndarray:
        v = logdc + log_psi * support
        e = np.exp(v - v.max())
        return np.asarray(e / e.sum())

    def solve(f: Callable[[float], float], target: float) -> float:
        g = lambda t: f(t) - target  # noqa: E731
        lo_b, hi_b = -1.0, 1.0
        while g(lo_b) * g(hi_b) > 0 and hi_b < 700:
            lo_b, hi_b = lo_b * 2, hi_b * 2
        return float(np.exp(brentq(g, lo_b, hi_b, xtol=1e-13, rtol=1e-15)))

    half = alpha / 2
    est = 0.0 if s == lo else np.inf if s == hi else solve(lambda t: float(np.sum(support * dens(t))), float(s))
    ci_low = 0.0 if s == lo else solve(lambda t: float(dens(t)[support >= s].sum()), half)
    ci_high = np.inf if s == hi else solve(lambda t: -float(dens(t)[support <= s].sum()), -half)
    return est, ci_low, ci_high, p_value, float(s)
