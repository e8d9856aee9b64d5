"""Crisp- and fuzzy-set QCA: calibration, truth table, fit, necessity, solutions.

Formulas follow Ragin (2008) and R ``QCA`` (Dusa 2019):
- direct calibration with the logistic function: log-odds of membership are
  ``ln(idm/(1−idm)) · (x − c)/(i − c)`` above the crossover ``c`` and
  ``ln(idm/(1−idm)) · (x − c)/(c − e)`` below it (``idm`` = 0.95 in R QCA; Ragin's own
  tables use log-odds ±3, i.e. ``idm = logistic(3) ≈ 0.9526``). Decreasing sets when e > i.
- sufficiency consistency ``Σ min(X, Y) / Σ X``, coverage ``Σ min(X, Y) / Σ Y``,
  PRI ``(Σ min(X,Y) − Σ min(X,Y,~Y)) / (Σ X − Σ min(X,Y,~Y))``;
  necessity consistency ``Σ min(X, Y) / Σ Y``, coverage ``Σ min(X, Y) / Σ X``.
- a case belongs to the truth-table row where its membership is > 0.5.
Minimization is in :mod:`chiiki.factors.methods.qca_boolean`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chiiki.factors.errors import QCAInputError
from chiiki.factors.methods.qca_boolean import Term, covers, minimize, term_to_str
from chiiki.i18n import Message, msg

FIT_COLUMNS = ["solution", "term", "consistency", "pri", "raw_coverage", "unique_coverage"]
NECESSITY_COLUMNS = ["condition", "consistency", "coverage"]


def calibrate(x: object, e: float, c: float, i: float, idm: float = 0.95) -> np.ndarray:
    """Direct calibration (three anchors, logistic). NaN stays NaN."""
    xs = np.asarray(x, dtype="float64")
    scale = np.log(idm / (1.0 - idm))
    if not (e < c < i or e > c > i):
        raise QCAInputError(msg("factors.qca_bad_anchors", "error"))
    up = (xs - c) / (i - c)
    down = (xs - c) / (c - e)
    above = (xs >= c) if i > c else (xs <= c)
    logodds = np.where(above, up, down) * scale
    return 1.0 / (1.0 + np.exp(-logodds))


def calibrate_crisp(x: object, threshold: float) -> np.ndarray:
    """1 at or above the threshold, 0 below, NaN stays NaN."""
    xs = np.asarray(x, dtype="float64")
    return np.where(np.isnan(xs), np.nan, (xs >= threshold).astype("float64"))


def _term_membership(term: Term, X: np.ndarray) -> np.ndarray:
    m = np.ones(X.shape[0])
    for j, v in enumerate(term):
        if v is None:
            continue
        m = np.minimum(m, X[:, j] if v == 1 else 1.0 - X[:, j])
    return m


def sufficiency(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(consistency, PRI, coverage) of ``x`` as sufficient for ``y``."""
    xy = np.minimum(x, y).sum()
    xyn = np.minimum(np.minimum(x, y), 1.0 - y).sum()
    sx, sy = x.sum(), y.sum()
    cons = xy / sx if sx > 0 else np.nan
    pri = (xy - xyn) / (sx - xyn) if (sx - xyn) > 0 else np.nan
    cov = xy / sy if sy > 0 else np.nan
    return float(cons), float(pri), float(cov)


@dataclass
class QCAResult:
    """Truth table, minimal solutions and their fit, necessity table."""

    truth_table: pd.DataFrame
    solutions: dict[str, list[str]]
    solution_fit: pd.DataFrame
    necessity: pd.DataFrame
    conditions: list[str]
    outcome: str
    alternatives: dict[str, list[list[str]]] = field(default_factory=dict)
    n: int = 0
    warnings: list[Message] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        return self.solution_fit

    def to_dict(self) -> dict[str, Any]:
        """JSON data: frames as ``{"columns", "rows"}``, solutions as lists of terms."""
        from chiiki.serialize import frame_records, plain

        return {
            "conditions": list(self.conditions),
            "outcome": self.outcome,
            "n": self.n,
            "solutions": plain(self.solutions),
            "alternatives": plain(self.alternatives),
            "truth_table": frame_records(self.truth_table),
            "solution_fit": frame_records(self.solution_fit),
            "necessity": frame_records(self.necessity),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _check(data: pd.DataFrame, conditions: list[str], outcome: str) -> pd.DataFrame:
    missing = [c for c in [*conditions, outcome] if c not in data.columns]
    if missing:
        raise QCAInputError(msg("factors.qca_columns_not_found", "error", columns=", ".join(missing)))
    sub = data[[*conditions, outcome]].astype("float64").dropna()
    if ((sub < 0) | (sub > 1)).any().any():
        raise QCAInputError(msg("factors.qca_bad_membership", "error"))
    return sub


def truth_table(
    data: pd.DataFrame,
    conditions: list[str],
    outcome: str,
    incl_cut: float = 1.0,
    n_cut: int = 1,
    max_cases_shown: int = 10,
) -> pd.DataFrame:
    """Observed configurations with n, consistency, PRI, outcome value and case names.

    ``outcome`` column: 1 if consistency ≥ ``incl_cut`` (and n ≥ ``n_cut``), else 0. Rows
    with fewer than ``n_cut`` cases are left out (they count as remainders).
    """
    sub = _check(data, conditions, outcome)
    X = sub[conditions].to_numpy()
    y = sub[outcome].to_numpy()
    names = [str(i) for i in sub.index]
    rows = []
    config = (X > 0.5).astype(int)
    keys = [tuple(r) for r in config]
    for key in sorted(set(keys), reverse=True):
        idx = [k for k, kk in enumerate(keys) if kk == key]
        if len(idx) < n_cut:
            continue
        mem = _term_membership(key, X)
        cons, pri, _ = sufficiency(mem, y)
        shown = [names[k] for k in idx[:max_cases_shown]]
        cases = ",".join(shown) + (f",…(+{len(idx) - max_cases_shown})" if len(idx) > max_cases_shown else "")
        out = int(cons >= incl_cut - 1e-12)
        rows.append([*key, out, len(idx), cons, pri, cases])
    return pd.DataFrame(rows, columns=[*conditions, "outcome", "n", "consistency", "pri", "cases"])


def necessity(data: pd.DataFrame, conditions: list[str], outcome: str) -> pd.DataFrame:
    """Each condition and its negation as a necessary condition for the outcome."""
    sub = _check(data, conditions, outcome)
    y = sub[outcome].to_numpy()
    rows = []
    for c in conditions:
        for label, x in ((c, sub[c].to_numpy()), (f"~{c}", 1.0 - sub[c].to_numpy())):
            xy = np.minimum(x, y).sum()
            rows.append([label, xy / y.sum() if y.sum() > 0 else np.nan, xy / x.sum() if x.sum() > 0 else np.nan])
    return pd.DataFrame(rows, columns=NECESSITY_COLUMNS)


def solution_fit(terms: list[Term], X: np.ndarray, y: np.ndarray, names: list[str], label: str) -> pd.DataFrame:
    """Consistency, PRI, raw and unique coverage per term and for the whole solution."""
    mems = [_term_membership(t, X) for t in terms]
    total = np.max(mems, axis=0) if mems else np.zeros(len(y))
    _, _, cov_all = sufficiency(total, y)
    rows = []
    for k, t in enumerate(terms):
        cons, pri, cov = sufficiency(mems[k], y)
        others = [m for j, m in enumerate(mems) if j != k]
        rest = np.max(others, axis=0) if others else np.zeros(len(y))
        _, _, cov_rest = sufficiency(rest, y)
        rows.append([label, term_to_str(t, names), cons, pri, cov, cov_all - cov_rest])
    cons, pri, cov = sufficiency(total, y)
    rows.append([label, " + ".join(term_to_str(t, names) for t in terms), cons, pri, cov, np.nan])
    return pd.DataFrame(rows, columns=FIT_COLUMNS)


def qca(
    data: pd.DataFrame,
    conditions: list[str],
    outcome: str,
    incl_cut: float = 1.0,
    n_cut: int = 1,
) -> QCAResult:
    """Truth table + complex (conservative) and parsimonious solutions + necessity.

    ``data`` holds memberships in [0, 1] (crisp 0/1 or fuzzy); its index gives case names.
    Cases with any missing value are dropped (counted in the warnings).
    """
    full = len(data)
    sub = _check(data, conditions, outcome)
    warnings: list[Message] = []
    if len(sub) < full:
        warnings.append(msg("factors.qca_cases_dropped", n=full - len(sub)))
    tt = truth_table(sub, conditions, outcome, incl_cut=incl_cut, n_cut=n_cut)
    X = sub[conditions].to_numpy()
    y = sub[outcome].to_numpy()
    k = len(conditions)
    on: set[Term] = {tuple(int(v) for v in r[:k]) for r in tt.itertuples(index=False) if r.outcome == 1}
    off: set[Term] = {tuple(int(v) for v in r[:k]) for r in tt.itertuples(index=False) if r.outcome == 0}
    solutions: dict[str, list[str]] = {}
    alternatives: dict[str, list[list[str]]] = {}
    fits = []
    for label, include in (("complex", False), ("parsimonious", True)):
        sols = minimize(on, off, k, include_remainders=include) if on else []
        if not sols:
            solutions[label] = []
            alternatives[label] = []
            continue
        alternatives[label] = [[term_to_str(t, conditions) for t in s] for s in sols]
        solutions[label] = alternatives[label][0]
        if len(sols) > 1:
            solution = msg(f"factors.qca_solution.{label}", "info").to_dict()
            warnings.append(msg("factors.qca_multiple_models", solution=solution, n=len(sols)))
        fits.append(solution_fit(sols[0], X, y, conditions, label))
    if not on:
        warnings.append(msg("factors.qca_no_solution"))
    fit = pd.concat(fits, ignore_index=True) if fits else pd.DataFrame(columns=FIT_COLUMNS)
    nec = necessity(sub, conditions, outcome)
    return QCAResult(
        truth_table=tt,
        solutions=solutions,
        solution_fit=fit,
        necessity=nec,
        conditions=conditions,
        outcome=outcome,
        alternatives=alternatives,
        n=len(sub),
        warnings=warnings,
    )


__all__ = [
    "QCAResult",
    "calibrate",
    "calibrate_crisp",
    "covers",
    "necessity",
    "qca",
    "solution_fit",
    "sufficiency",
    "truth_table",
]
