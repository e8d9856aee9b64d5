"""Competing risks: cumulative incidence (Aalen–Johansen) and cause-specific Cox models.

An adoption's window can end in a successor adoption (the event of interest) or in something
that rules it out (the hub dissolved, the consortium merged); treating those as censored
overstates the chance of a successor (1 − KM is not a probability then). The cumulative
incidence function F_c(t) = Σ_{t_j ≤ t} S(t_{j−1}) d_cj / r_j, with S the all-cause KM, is.

Why hand-written: lifelines' ``AalenJohansenFitter`` cannot handle tied times and jitters them
at random ("Tied event times were detected ... randomly jittered"); adoption times are whole
fiscal years, so nearly every time is tied, and jittering changes the estimate and makes it
depend on a random seed. The estimator is a few lines; its variance is the delta-method
variance used by R ``cmprsk::cuminc`` (Gray; with a binomial correction for tied events),
written here from its closed form

    Var F(t) = Σ_{t_j ≤ t} S_{j−1}² d_oj τ(d_oj, r_j)/r_j² · ((F(t) − F_j)/S_j)²
             + Σ_{t_j ≤ t} S_{j−1}² d_cj τ(d_cj, r_j)/r_j² · (1 − (F(t) − F_j)/S_j)²,

d_c / d_o the events of the cause / of other causes at t_j, τ(d, r) = 1 − (d − 1)/(r − 1) for
d > 1 (else 1), ratios with S_j = 0 taken as 0. Pinned to cmprsk 2.2-11 in
``tests/factors/test_competing.py``. Gray's test across groups is not provided (no Python
implementation to lean on, and cmprsk's is GPL Fortran this MIT project should not translate).

The cause-specific Cox model is :func:`chiiki.factors.methods.cox.cox_model` with the other
causes censored (hazard of a successor among adoptions still "at risk" of one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chiiki.factors.methods.cox import CoxModelResult, cox_model

CIF_COLUMNS = ["group", "cause", "time", "cif", "variance"]


def _label(level: object) -> str:
    if isinstance(level, float | np.floating) and float(level).is_integer():
        return str(int(level))
    return str(level)


def _tie_factor(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    out = np.ones_like(d, dtype="float64")
    many = d > 1
    out[many] = 1 - (d[many] - 1) / (r[many] - 1)
    return out


def _cif_one(time: np.ndarray, cause: np.ndarray) -> list[tuple[int, float, float, float]]:
    """(cause, time, cif, variance) at every time where that cause has events, one group."""
    times = np.unique(time[cause != 0])
    if len(times) == 0:
        return []
    r = np.array([np.sum(time >= t) for t in times], dtype="float64")
    at = [(time == t) for t in times]
    d_all = np.array([np.sum(a & (cause != 0)) for a in at], dtype="float64")
    s_after = np.cumprod(1 - d_all / r)
    s_before = np.concatenate([[1.0], s_after[:-1]])
    rows: list[tuple[int, float, float, float]] = []
    for c in np.unique(cause[cause != 0]):
        d_c = np.array([np.sum(a & (cause == c)) for a in at], dtype="float64")
        d_o = d_all - d_c
        f = np.cumsum(s_before * d_c / r)
        w_c = s_before**2 * d_c * _tie_factor(d_c, r) / r**2
        w_o = s_before**2 * d_o * _tie_factor(d_o, r) / r**2
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_s = np.where(s_after > 0, 1 / s_after, 0.0)
        w_o = np.where(s_after > 0, w_o, 0.0)
        for k in np.flatnonzero(d_c > 0):
            j = slice(0, k + 1)
            ratio = (f[k] - f[j]) * inv_s[j]
            var = float(np.sum(w_o[j] * ratio**2) + np.sum(w_c[j] * (1 - ratio) ** 2))
            rows.append((int(c) if float(c).is_integer() else c, float(times[k]), float(f[k]), var))
    return rows


def cumulative_incidence(time: object, cause: object, group: object | None = None) -> pd.DataFrame:
    """Cumulative incidence per group and cause, as ``cmprsk::cuminc`` (estimates and variances).

    ``cause``: 0 = censored, 1..k = event types. One row per (group, cause, time) where that cause
    has an event: the value right after the jump (a right-continuous step function, 0 before the
    first row). Rows with NaN time, cause or group are dropped; groups are labelled as strings
    ("all" without ``group``), sorted.
    """
    df = pd.DataFrame({"time": np.asarray(time, dtype="float64"), "cause": np.asarray(cause, dtype="float64")})
    df["group"] = pd.Series(np.asarray(group, dtype=object)) if group is not None else "all"
    df = df.dropna().reset_index(drop=True)
    rows = []
    for level, sub in df.groupby("group", sort=True):
        for c, t, f, v in _cif_one(sub["time"].to_numpy(), sub["cause"].to_numpy()):
            rows.append((_label(level), c, t, f, v))
    out = pd.DataFrame(rows, columns=CIF_COLUMNS)
    return out.sort_values(["group", "cause", "time"], kind="stable").reset_index(drop=True)


def cause_specific_cox(
    time: object,
    cause: object,
    X: pd.DataFrame,
    cause_of_interest: int = 1,
    strata: pd.Series | None = None,
    cluster: pd.Series | None = None,
    alpha: float = 0.05,
) -> CoxModelResult:
    """Cox model of the cause-specific hazard of ``cause_of_interest`` (other causes censored)."""
    c = np.asarray(cause, dtype="float64")
    event = np.where(np.isnan(c), np.nan, (c == cause_of_interest).astype("float64"))
    return cox_model(time, event, X, strata=strata, cluster=cluster, alpha=alpha)
