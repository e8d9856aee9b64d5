"""Adjusted Cox model: several covariates, optional strata and clustered (robust) standard errors.

Fitted to R ``coxph``'s precision (issue 8): Efron ties, ``strata()``, ``cluster=`` robust
sandwich variance, and the proportional-hazards test of survival 3.x ``cox.zph``. Pinned to R
4.2.2 / survival 3.5.3 on the ``lung`` data in ``tests/factors/test_cox_adjusted.py``.

What comes from where, and why:

- The fit is lifelines' ``CoxPHFitter`` (Newton–Raphson, Efron ties, ``strata=``), run with a
  tight stopping rule; its convergence warnings are kept. lifelines stops on the norm of the step
  in its internally standardized scale, which leaves ~1e-7 relative error in the coefficients;
  one or two full Newton steps with the Efron score and information computed here (the same
  quantities coxph uses) bring them to coxph's converged values (~1e-10).
- The robust variance is computed here: lifelines' score residuals ignore ties (its source says
  "TODO: doesn't handle ties"), so with tied years its ``cluster_col`` sandwich differs from
  coxph's by ~1e-3 relative. Here: Efron score residuals (as survival's ``coxscore``),
  dfbeta = residuals · V, summed within cluster, V_robust = Dᵀ D — coxph's ``cluster=`` variance.
- The proportional-hazards test is survival 3.x ``cox.zph(fit, transform = "km")``: a score test
  of adding x·g(t) for each term (g = 1 − KM of the pooled data, centred over event times) at
  (β̂, 0) with the full information of the expanded model. lifelines'
  ``proportional_hazard_test`` implements the older survival 2.x approximation (variance of
  the scaled Schoenfeld residuals taken as constant), which differs by several per cent, so
  the 3.x test is written here. Like R, it uses the model-based (not robust) information.
"""

from __future__ import annotations

import re
import warnings as _warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chiiki.i18n import Message, msg

SUMMARY_COLUMNS = ["term", "coef", "hazard_ratio", "se", "robust_se", "ci_low", "ci_high", "p_value"]
PH_COLUMNS = ["term", "statistic", "df", "p_value"]
FIT_OPTIONS = {"precision": 1e-11, "r_precision": 1e-13, "max_steps": 200}
MONOTONE_STD_COEF = 12.0  # |β|·sd(x) beyond this (hazard ratio e^12 per SD) only arises from a diverging fit


@dataclass
class CoxModelResult:
    """``summary``: one row per column of X; ``ph_test``: one row per term and a ``GLOBAL`` row.

    When ``cluster`` was given, ``ci_low``/``ci_high``/``p_value`` use ``robust_se`` (as the robust
    columns of R's ``summary.coxph``); otherwise ``robust_se`` is NaN.
    """

    summary: pd.DataFrame
    n: int
    n_events: int
    ph_test: pd.DataFrame
    converged: bool = True
    n_strata: int = 1
    n_clusters: int | None = None
    loglik: float = np.nan
    warnings: list[Message] = field(default_factory=list)

    def row(self, term: str) -> pd.Series:
        return self.summary.set_index("term").loc[term]

    def to_dict(self) -> dict[str, Any]:
        from chiiki.serialize import plain

        return {k: plain(v) for k, v in self.__dict__.items()}


@dataclass
class _Efron:
    loglik: float
    score: np.ndarray
    info: np.ndarray
    resid: np.ndarray | None = None
    zph_u: np.ndarray | None = None
    zph_imat: np.ndarray | None = None


def efron_pieces(
    time: np.ndarray,
    event: np.ndarray,
    strata: np.ndarray,
    X: np.ndarray,
    beta: np.ndarray,
    residuals: bool = False,
    gtime: np.ndarray | None = None,
) -> _Efron:
    """Efron log partial likelihood, score, information; optionally score residuals and the zph pieces.

    ``gtime`` (per row, the transformed time used at that row's event time) adds the score and
    information of the expanded model with covariates (x, x·g(t)) at (β, 0), as survival's C
    routine ``zph1``.
    """
    n, p = X.shape
    eta = X @ beta
    w = np.exp(eta - eta.max())
    loglik = 0.0  # accumulated on the shifted scale w = exp(η − max η), shift added back per death
    shift = float(eta.max())
    score = np.zeros(p)
    info = np.zeros((p, p))
    resid = np.zeros((n, p)) if residuals else None
    zu = np.zeros(p) if gtime is not None else None
    zi = np.zeros((2 * p, 2 * p)) if gtime is not None else None
    for s in np.unique(strata):
        in_s = strata == s
        for t in np.unique(time[in_s & (event > 0)]):
            risk = in_s & (time >= t)
            dead = risk & (time == t) & (event > 0)
            d = int(dead.sum())
            xr, wr = X[risk], w[risk]
            xd, wd = X[dead], w[dead]
            s0, s1, s2 = wr.sum(), wr @ xr, (xr * wr[:, None]).T @ xr
            d0, d1, d2 = wd.sum(), wd @ xd, (xd * wd[:, None]).T @ xd
            frac = np.arange(d) / d
            s0k = s0 - frac * d0
            xbar = (s1[None, :] - frac[:, None] * d1[None, :]) / s0k[:, None]
            loglik += float(eta[dead].sum() - d * shift - np.log(s0k).sum())
            u = xd.sum(axis=0) - xbar.sum(axis=0)
            score += u
            v = np.zeros((p, p))
            for k in range(d):
                v += (s2 - frac[k] * d2) / s0k[k] - np.outer(xbar[k], xbar[k])
            info += v
            if resid is not None:
                inv = 1.0 / s0k
                resid[risk] -= wr[:, None] * (xr * inv.sum() - (xbar * inv[:, None]).sum(axis=0))
                c = (1 - frac) * inv  # a tied death's own weight shrinks over Efron's d steps
                resid[dead] += wd[:, None] * (xd * inv.sum() - (xbar * inv[:, None]).sum(axis=0))
                resid[dead] -= wd[:, None] * (xd * c.sum() - (xbar * c[:, None]).sum(axis=0))
                resid[dead] += (xd * d - xbar.sum(axis=0)) / d
            if zu is not None and zi is not None and gtime is not None:
                g = float(gtime[dead][0])
                zu += g * u
                zi += np.kron(np.array([[1.0, g], [g, g * g]]), v)
    return _Efron(loglik, score, info, resid, zu, zi)


def _km_transform(time: np.ndarray, event: np.ndarray) -> np.ndarray:
    """1 − KM(t−) of the pooled data at each row's time, centred over events (cox.zph transform="km")."""
    ut = np.unique(time[event > 0])
    surv, s = [], 1.0
    for t in ut:
        at_risk = np.sum(time >= t)
        s *= 1 - np.sum((time == t) & (event > 0)) / at_risk
        surv.append(s)
    idx = np.searchsorted(ut, time, side="left")  # number of event times strictly before t
    km_before = np.concatenate([[1.0], surv])[idx]
    g = 1 - km_before
    return np.asarray(g - g[event > 0].mean())


def ph_test(
    time: np.ndarray, event: np.ndarray, strata: np.ndarray, X: np.ndarray, beta: np.ndarray, terms: list[str]
) -> pd.DataFrame:
    """survival 3.x ``cox.zph(fit, transform="km", terms=TRUE, global=TRUE)$table`` for single-column terms."""
    from scipy.stats import chi2

    p = X.shape[1]
    e = efron_pieces(time, event, strata, X, beta, gtime=_km_transform(time, event))
    assert e.zph_u is not None and e.zph_imat is not None
    rows = []
    for j, term in enumerate([*terms, "GLOBAL"]):
        kk = list(range(p)) + ([p + j] if term != "GLOBAL" else list(range(p, 2 * p)))
        u = np.concatenate([np.zeros(p), e.zph_u if term == "GLOBAL" else e.zph_u[[j]]])
        try:
            stat = float(u @ np.linalg.solve(e.zph_imat[np.ix_(kk, kk)], u))
        except np.linalg.LinAlgError:
            stat = np.nan
        df = p if term == "GLOBAL" else 1
        rows.append([term, stat, df, float(chi2.sf(stat, df)) if np.isfinite(stat) else np.nan])
    return pd.DataFrame(rows, columns=PH_COLUMNS)


def _codes(values: pd.Series) -> np.ndarray:
    return np.asarray(pd.factorize(values, sort=True)[0])


def _nan_result(
    terms: list[str], n: int, n_events: int, warnings: list[Message], n_strata: int = 1, n_clusters: int | None = None
) -> CoxModelResult:
    summary = pd.DataFrame([[t] + [np.nan] * 7 for t in terms], columns=SUMMARY_COLUMNS)
    ph = pd.DataFrame([[t, np.nan, 1 if t != "GLOBAL" else len(terms), np.nan] for t in [*terms, "GLOBAL"]],
                      columns=PH_COLUMNS)  # fmt: skip
    return CoxModelResult(summary, n, n_events, ph, False, n_strata, n_clusters, np.nan, warnings)


def cox_model(
    time: object,
    event: object,
    X: pd.DataFrame,
    strata: pd.Series | None = None,
    cluster: pd.Series | None = None,
    alpha: float = 0.05,
) -> CoxModelResult:
    """Cox model ``Surv(time, event) ~ X + strata(strata)``, robust SE by ``cluster`` (complete cases).

    Rows with NaN in time, event, any X column, the stratum or the cluster are dropped (as
    coxph's default ``na.action``). Degenerate data and non-convergence give NaN estimates and
    warnings, never an exception.
    """
    from lifelines import CoxPHFitter
    from scipy.stats import norm

    Xf = pd.DataFrame(X).reset_index(drop=True).astype("float64")
    terms = [str(c) for c in Xf.columns]
    # internal column names: a factor may be called "time" or "event"; lifelines' texts are mapped back
    df = pd.DataFrame(Xf.to_numpy(), columns=[f"__x{i}__" for i in range(len(terms))])
    xcols = list(df.columns)
    df["time"] = np.asarray(time, dtype="float64")
    df["event"] = np.asarray(event, dtype="float64")
    keep = df.notna().all(axis=1).to_numpy()
    if strata is not None:
        sv = pd.Series(np.asarray(strata, dtype=object))
        df["stratum"] = sv
        keep &= sv.notna().to_numpy()
    if cluster is not None:
        cv = pd.Series(np.asarray(cluster, dtype=object))
        df["cluster"] = cv
        keep &= cv.notna().to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    df["event"] = (df["event"] > 0.5).astype("float64")
    n, n_events = len(df), int(df["event"].sum())
    st = _codes(df["stratum"]) if strata is not None else np.zeros(n, dtype=int)
    n_strata = int(len(np.unique(st))) if n else 0
    n_clusters = int(df["cluster"].nunique()) if cluster is not None else None
    warnings: list[Message] = []
    if n_events == 0:
        warnings.append(msg("factors.no_successor_events"))
        return _nan_result(terms, n, n_events, warnings, n_strata, n_clusters)
    constant = [t for t, c in zip(terms, xcols, strict=True) if df[c].nunique() < 2]
    if constant:
        warnings.append(msg("factors.no_model_constant", terms=", ".join(constant)))
        return _nan_result(terms, n, n_events, warnings, n_strata, n_clusters)

    fit_df = df[[*xcols, "time", "event"]].copy()
    if strata is not None:
        fit_df["stratum"] = st
    cph = CoxPHFitter(alpha=alpha)
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        try:
            cph.fit(
                fit_df, "time", "event", strata=["stratum"] if strata is not None else None, fit_options=FIT_OPTIONS
            )
            beta = cph.params_.reindex(xcols).to_numpy(dtype="float64")
        except Exception as exc:  # lifelines ConvergenceError, singular Hessians
            warnings.append(msg("factors.cox_failed", error=type(exc).__name__))
            beta = None
    for w in caught:
        text = re.sub(r"__x(\d+)__", lambda m: terms[int(m.group(1))], str(w.message).strip().splitlines()[0])
        if any(k in text.lower() for k in ("converge", "separation", "monotone", "collinear", "variance")):
            m = msg("factors.cox_warning", text=text[:160])
            if m not in warnings:
                warnings.append(m)
    if beta is None:
        return _nan_result(terms, n, n_events, warnings, n_strata, n_clusters)

    x = df[xcols].to_numpy(dtype="float64")
    x = x - x.mean(axis=0)  # centring changes nothing but the scale of exp(η)
    t_arr, e_arr = df["time"].to_numpy(), df["event"].to_numpy()
    converged = True
    try:
        beta, pieces = _polish(t_arr, e_arr, st, x, beta)
        var = np.linalg.inv(pieces.info)
    except (np.linalg.LinAlgError, FloatingPointError):
        converged, pieces, var = False, None, None
    sd = x.std(axis=0)
    diverging = [
        t for t, b, s in zip(terms, beta, sd, strict=True) if not np.isfinite(b) or abs(b) * s > MONOTONE_STD_COEF
    ]
    if diverging:
        warnings.append(msg("factors.cox_monotone"))
        converged = False
    if not converged or pieces is None or var is None:
        warnings.append(msg("factors.cox_not_converged", terms=", ".join(diverging or terms)))
        return _nan_result(terms, n, n_events, warnings, n_strata, n_clusters)

    se = np.sqrt(np.diag(var))
    robust = np.full(len(terms), np.nan)
    if cluster is not None:
        e = efron_pieces(t_arr, e_arr, st, x, beta, residuals=True)
        assert e.resid is not None
        dfbeta = e.resid @ var
        sums = pd.DataFrame(dfbeta).groupby(_codes(df["cluster"])).sum().to_numpy()
        robust = np.sqrt(np.diag(sums.T @ sums))
    use = robust if cluster is not None else se
    z = norm.ppf(1 - alpha / 2)
    pvals = 2 * norm.sf(np.abs(beta / use))
    summary = pd.DataFrame(
        {
            "term": terms,
            "coef": beta,
            "hazard_ratio": np.exp(beta),
            "se": se,
            "robust_se": robust,
            "ci_low": np.exp(beta - z * use),
            "ci_high": np.exp(beta + z * use),
            "p_value": pvals,
        }
    )[SUMMARY_COLUMNS]
    ph = ph_test(t_arr, e_arr, st, x, beta, terms)
    return CoxModelResult(summary, n, n_events, ph, True, n_strata, n_clusters, pieces.loglik, warnings)


def _polish(
    time: np.ndarray, event: np.ndarray, strata: np.ndarray, X: np.ndarray, beta: np.ndarray, max_iter: int = 8
) -> tuple[np.ndarray, _Efron]:
    """Full Newton steps from lifelines' estimate until the step is below 1e-12 (relative); step-halving
    keeps the log-likelihood from decreasing."""
    e = efron_pieces(time, event, strata, X, beta)
    for _ in range(max_iter):
        step = np.linalg.solve(e.info, e.score)
        if np.all(np.abs(step) <= 1e-12 * np.maximum(1.0, np.abs(beta))):
            break
        for _half in range(20):
            cand = beta + step
            ec = efron_pieces(time, event, strata, X, cand)
            if ec.loglik >= e.loglik - 1e-12 * abs(e.loglik):
                break
            step = step / 2
        beta, e = cand, ec
    return beta, e
