"""Kaplan–Meier curves, log-rank test and Cox proportional-hazards model (lifelines).

Time is years from an adoption's end FY to its first successor, right-censored at the cutoff
(see :mod:`chiiki.factors.outcomes`). lifelines' log-rank test and ``CoxPHFitter`` (Efron
ties) reproduce R ``survival`` (pinned in ``tests/factors/test_survival.py``). Convergence
problems — typically monotone likelihood when every successor is in one group — are caught
and reported as warnings instead of raising.
"""

from __future__ import annotations

import warnings as _warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chiiki.i18n import Message, msg

CURVE_COLUMNS = ["group", "time", "survival", "ci_low", "ci_high", "at_risk"]
COX_COLUMNS = ["factor", "hazard_ratio", "ci_low", "ci_high", "p_value", "n", "n_events"]


@dataclass
class SurvivalResult:
    """KM curves per group, log-rank p across groups, Cox rows (one per factor)."""

    curves: pd.DataFrame
    logrank_p: float
    cox_summary: pd.DataFrame
    group_factor: str | None = None
    n: int = 0
    warnings: list[Message] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        return self.cox_summary

    def to_dict(self) -> dict[str, Any]:
        """JSON data: frames as ``{"columns", "rows"}``, the grouping factor's label as a message."""
        from chiiki.serialize import frame_records, plain

        return {
            "group_factor": self.group_factor,
            "group_label": _group_label(self.group_factor),
            "n": self.n,
            "logrank_p": plain(self.logrank_p),
            "curves": frame_records(self.curves),
            "cox_summary": frame_records(self.cox_summary),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _group_label(name: str | None) -> dict[str, Any] | None:
    from chiiki.factors.errors import UnknownFactorError
    from chiiki.factors.labels import factor_label

    if name is None:
        return None
    try:
        return factor_label(name).to_dict()
    except UnknownFactorError:
        return None


def _clean(time: object, event: object, extra: object | None = None, numeric: bool = True) -> pd.DataFrame:
    df = pd.DataFrame({"time": np.asarray(time, dtype="float64"), "event": np.asarray(event, dtype="float64")})
    if extra is not None:
        df["x"] = np.asarray(extra, dtype="float64") if numeric else np.asarray(extra)
    return df.dropna().reset_index(drop=True)


def _label(level: object) -> str:
    if isinstance(level, float | np.floating) and float(level).is_integer():
        return str(int(level))
    return str(level)


def kaplan_meier(
    time: object, event: object, group: object | None = None, alpha: float = 0.05
) -> tuple[pd.DataFrame, float, list[Message]]:
    """KM curves (Greenwood/log-log CIs as in lifelines) and the log-rank p over groups."""
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    df = _clean(time, event, group, numeric=False)
    if "x" not in df:
        df["x"] = "all"
    warnings: list[Message] = []
    frames = []
    for level, sub in df.groupby("x", sort=True):
        kmf = KaplanMeierFitter(alpha=alpha).fit(sub["time"], sub["event"])
        sf = kmf.survival_function_.iloc[:, 0]
        ci = kmf.confidence_interval_survival_function_
        at_risk = kmf.event_table["at_risk"].reindex(sf.index)
        label = _label(level)
        frames.append(
            pd.DataFrame(
                {
                    "group": label,
                    "time": sf.index.astype("float64"),
                    "survival": sf.to_numpy(),
                    "ci_low": ci.iloc[:, 0].to_numpy(),
                    "ci_high": ci.iloc[:, 1].to_numpy(),
                    "at_risk": at_risk.to_numpy().astype("int64"),
                }
            )
        )
    curves = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CURVE_COLUMNS)
    p = np.nan
    if df["x"].nunique() >= 2:
        if df["event"].sum() == 0:
            warnings.append(msg("factors.logrank_no_events"))
        else:
            res = multivariate_logrank_test(df["time"], df["x"], df["event"])
            p = float(res.p_value)
    return curves, p, warnings


def cox_fit(time: object, event: object, X: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Cox model with several covariates (complete cases): lifelines' summary table.

    Exposed so the implementation can be pinned against published multi-covariate fits.
    """
    from lifelines import CoxPHFitter

    df = pd.DataFrame(X).astype("float64").copy()
    df["time"] = np.asarray(time, dtype="float64")
    df["event"] = np.asarray(event, dtype="float64")
    df = df.dropna()
    return CoxPHFitter(alpha=alpha).fit(df, "time", "event").summary


def cox_univariable(
    time: object, event: object, x: object, name: str = "x", alpha: float = 0.05
) -> tuple[pd.DataFrame, list[Message]]:
    """Cox model with one covariate: hazard ratio, Wald CI and p (as R ``coxph``)."""
    from lifelines import CoxPHFitter

    df = _clean(time, event, x)
    n, n_events = len(df), int(df["event"].sum()) if len(df) else 0
    warnings: list[Message] = []
    row = [name, np.nan, np.nan, np.nan, np.nan, n, n_events]
    if n_events == 0:
        warnings.append(msg("factors.no_successor_events"))
    elif df["x"].nunique() < 2:
        warnings.append(msg("factors.factor_constant"))
    else:
        cph = CoxPHFitter(alpha=alpha)
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            try:
                cph.fit(df.rename(columns={"x": name}), "time", "event")
                s = cph.summary.iloc[0]
                row = [
                    name,
                    float(s["exp(coef)"]),
                    float(s[f"exp(coef) lower {100 * (1 - alpha):g}%"]),
                    float(s[f"exp(coef) upper {100 * (1 - alpha):g}%"]),
                    float(s["p"]),
                    n,
                    n_events,
                ]
            except Exception as exc:  # lifelines ConvergenceError and linear-algebra errors
                warnings.append(msg("factors.cox_failed", error=type(exc).__name__))
        for w in caught:
            text = str(w.message).strip().splitlines()[0]
            if "converge" in text.lower() or "separation" in text.lower() or "monotone" in text.lower():
                warnings.append(msg("factors.cox_warning", text=text[:160]))
        levels = set(df["x"].unique())
        if len(levels) == 2 and set(df.loc[df["event"] == 1, "x"].unique()) != levels:
            warnings.append(msg("factors.cox_monotone"))
    return pd.DataFrame([row], columns=COX_COLUMNS), warnings


def survival_analysis(
    time: object, event: object, factors: pd.DataFrame, group_factor: str | None, alpha: float = 0.05, cox: bool = True
) -> SurvivalResult:
    """KM by ``group_factor`` (all cases in one group when None), Cox per factor column."""
    warnings: list[Message] = []
    t = np.asarray(time, dtype="float64")
    e = np.asarray(event, dtype="float64")
    group = factors[group_factor].to_numpy() if group_factor else None
    curves, p, w = kaplan_meier(t, e, group, alpha)
    warnings += w
    rows = []
    if cox:
        for col in factors.columns:
            frame, w = cox_univariable(t, e, factors[col].to_numpy(), name=col, alpha=alpha)
            rows.append(frame)
            factor = _group_label(col) or col
            warnings += [msg("factors.factor_warning", m.severity, factor=factor, warning=m.to_dict()) for m in w]
    cox_summary = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=COX_COLUMNS)
    n = int((~(np.isnan(t) | np.isnan(e))).sum())
    return SurvivalResult(
        curves=curves, logrank_p=p, cox_summary=cox_summary, group_factor=group_factor, n=n, warnings=warnings
    )
