"""``run_analysis``: outcomes → factors → tests → table, survival, QCA, verdicts.

This is the one entry point the report, the CLI and the web use; they format what comes back
and never recompute. Everything that shaped the numbers is in ``FactorAnalysis.parameters``
and ``data_hash``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chiiki.factors.candidates import Factor, compute_factors, normalize_grade
from chiiki.factors.data import AnalysisData, data_hash
from chiiki.factors.methods.qca import QCAResult
from chiiki.factors.methods.robustness import RobustnessResult
from chiiki.factors.methods.survival import SurvivalResult
from chiiki.factors.outcomes import compute_outcomes
from chiiki.factors.table import finalize, to_records
from chiiki.factors.verdicts import HYPOTHESES, Verdict, make_verdict

BINARY_OUTCOMES = ("successor", "regional")
COVERAGE_COLUMNS = [
    "program_id",
    "program_family",
    "n_adoptions",
    "n_start_fy",
    "n_end_fy",
    "n_interim_grade",
    "n_final_grade",
    "n_outcome_known",
    "n_successor",
    "n_regional",
]


@dataclass
class AnalysisParams:
    """Every choice that changes the numbers (recorded in ``FactorAnalysis.parameters``)."""

    successor_window_years: int = 5
    cutoff_fy: int | None = None
    alpha: float = 0.05
    bootstrap: int = 200
    seed: int = 0
    min_n: int = 10
    meaningful_or: float = 2.0
    survival: bool = True
    survival_group_factor: str = "final_grade_S"
    qca: bool = True
    qca_conditions: tuple[str, ...] = (
        "has_local_government",
        "has_company",
        "has_foundation",
        "has_public_research_institute",
    )
    qca_outcome: str = "regional"
    qca_incl_cut: float = 0.8
    lang: str = "ja"
    # Methods to compute for binary outcomes. BH runs within each (outcome, method), so
    # leaving out "firth" does not change any Fisher row: simulations use ("fisher",).
    methods: tuple[str, ...] = ("fisher", "firth")


@dataclass
class FactorAnalysis:
    """Result of :func:`run_analysis` (the contract the report is written against)."""

    key_factors: pd.DataFrame
    coverage: pd.DataFrame
    outcomes: pd.DataFrame
    exclusions: dict[str, int]
    survival: SurvivalResult | None
    qca: QCAResult | None
    verdicts: list[Verdict]
    parameters: dict[str, Any]
    warnings: list[str]
    data_hash: str
    qca_reason: str | None = None
    survival_reason: str | None = None
    robustness: dict[str, RobustnessResult] = field(default_factory=dict)
    factors: list[Factor] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        return self.key_factors

    @property
    def n(self) -> int:
        return len(self.outcomes)

    def to_records(self) -> list[dict[str, Any]]:
        return to_records(self.key_factors)


def _untestable(base: dict[str, Any], reason: str) -> dict[str, Any]:
    return {**base, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan, "warnings": reason}


def _test_binary_outcome(f: Factor, x: pd.Series, y: pd.Series, outcome: str, p: AnalysisParams) -> dict[str, Any]:
    from chiiki.factors.methods.firth import firth_univariable
    from chiiki.factors.methods.fisher import fisher_test

    known_y = y.notna()
    both = known_y & x.notna()
    method = "fisher" if f.kind == "binary" else "firth"
    base = {
        "factor": f.name,
        "factor_label": f.label(p.lang),
        "outcome": outcome,
        "method": method,
        "n": int(both.sum()),
        "n_missing": int((known_y & x.isna()).sum()),
    }
    n = base["n"]
    if n < p.min_n:
        return _untestable(base, f"too few complete cases (n={n} < {p.min_n})")
    if x[both].nunique() < 2:
        return _untestable(base, "factor has no variation among complete cases")
    if y[both].nunique() < 2:
        return _untestable(base, "outcome has no variation among complete cases")
    if method == "fisher":
        r = fisher_test(x[both], y[both], alpha=p.alpha)
        s = r.summary.iloc[0]
        vals = (s["estimate"], s["ci_low"], s["ci_high"], s["p_value"])
    else:
        r = firth_univariable(x[both], y[both], alpha=p.alpha, name="x")
        s = r.row("x")
        vals = (s["odds_ratio"], s["ci_low"], s["ci_high"], s["p_value"])
    return {
        **base,
        "estimate": vals[0],
        "ci_low": vals[1],
        "ci_high": vals[2],
        "p_value": vals[3],
        "warnings": "; ".join(r.warnings),
    }


def _test_time(f: Factor, x: pd.Series, t: pd.Series, e: pd.Series, p: AnalysisParams) -> dict[str, Any]:
    from chiiki.factors.methods.survival import cox_univariable

    known = t.notna() & e.notna()
    both = known & x.notna()
    base = {
        "factor": f.name,
        "factor_label": f.label(p.lang),
        "outcome": "time_to_successor",
        "method": "cox",
        "n": int(both.sum()),
        "n_missing": int((known & x.isna()).sum()),
    }
    n = base["n"]
    if n < p.min_n:
        return _untestable(base, f"too few complete cases (n={n} < {p.min_n})")
    if x[both].nunique() < 2:
        return _untestable(base, "factor has no variation among complete cases")
    if e[both].sum() == 0:
        return _untestable(base, "no successor events among complete cases")
    frame, w = cox_univariable(t[both], e[both], x[both], name=f.name, alpha=p.alpha)
    s = frame.iloc[0]
    if any("monotone" in m for m in w):
        return _untestable(base, "; ".join(w))
    return {
        **base,
        "estimate": s["hazard_ratio"],
        "ci_low": s["ci_low"],
        "ci_high": s["ci_high"],
        "p_value": s["p_value"],
        "warnings": "; ".join(w),
    }


def coverage_table(data: AnalysisData, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per program: how much of the registry is filled in and how many outcomes are known."""
    ad = data.adoptions.merge(outcomes, on="adoption_id", how="left")
    ad["_interim"] = ad["interim_grade"].map(normalize_grade).notna()
    ad["_final"] = ad["final_grade"].map(normalize_grade).notna()
    rows = []
    for (pid, fam), g in ad.groupby(["program_id", "program_family"], dropna=False, sort=True):
        rows.append(
            [
                pid,
                fam,
                len(g),
                int(g["start_fy"].notna().sum()),
                int(g["end_fy"].notna().sum()),
                int(g["_interim"].sum()),
                int(g["_final"].sum()),
                int(g["successor"].notna().sum()),
                int((g["successor"] == 1).sum()),
                int((g["regional"] == 1).sum()),
            ]
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def _run_survival(
    merged: pd.DataFrame, cox_rows: list[dict[str, Any]], p: AnalysisParams
) -> tuple[SurvivalResult | None, str | None]:
    from chiiki.factors.methods.survival import COX_COLUMNS, survival_analysis

    known = merged["time_to_successor"].notna() & merged["event"].notna()
    if known.sum() < p.min_n:
        return None, f"too few adoptions with a known time to successor ({int(known.sum())})"
    g = p.survival_group_factor
    group: str | None = g
    warnings: list[str] = []
    if g not in merged or (known & merged[g].notna()).sum() < p.min_n or merged.loc[known, g].dropna().nunique() < 2:
        warnings.append(
            f"生存曲線は {g} で分けていません（値の分かる採択が少ないため）。全採択で1本の曲線です"
            if p.lang == "ja"
            else f"KM curves not split by {g}: too few cases with it known; one curve for all adoptions"
        )
        group = None
    mask = known & merged[g].notna() if group else known
    sub = merged[mask]
    res = survival_analysis(
        sub["time_to_successor"],
        sub["event"],
        sub[[group]] if group else pd.DataFrame(index=sub.index),
        group_factor=group,
        alpha=p.alpha,
        cox=False,
    )
    res.warnings = warnings + res.warnings
    res.cox_summary = pd.DataFrame(
        [[r["factor"], r["estimate"], r["ci_low"], r["ci_high"], r["p_value"], r["n"], np.nan] for r in cox_rows],
        columns=COX_COLUMNS,
    )
    ev = merged["event"]
    res.cox_summary["n_events"] = [int((merged[r["factor"]].notna() & (ev == 1)).sum()) for r in cox_rows]
    return res, None


def _run_qca(merged: pd.DataFrame, p: AnalysisParams) -> tuple[QCAResult | None, str | None]:
    from chiiki.factors.methods.qca import qca

    cols = [*p.qca_conditions, p.qca_outcome]
    missing = [c for c in cols if c not in merged]
    if missing:
        return None, f"QCA columns not available: {missing}"
    sub = merged[cols].dropna()
    if len(sub) < p.min_n:
        return None, (f"too few cases with every QCA condition and the outcome known ({len(sub)} < {p.min_n})")
    if sub[p.qca_outcome].nunique() < 2:
        return None, "the QCA outcome has no variation"
    return qca(sub, list(p.qca_conditions), p.qca_outcome, incl_cut=p.qca_incl_cut), None


def run_analysis(data: AnalysisData, params: AnalysisParams | None = None) -> FactorAnalysis:
    """Run the whole key-factor analysis on ``data`` (see module and package docs)."""
    p = params or AnalysisParams()
    cutoff = int(p.cutoff_fy if p.cutoff_fy is not None else data.cutoff_fy)
    oc = compute_outcomes(data, window=p.successor_window_years, cutoff_fy=cutoff)
    ft = compute_factors(data)
    merged = ft.summary.join(oc.summary.set_index("adoption_id"), how="left")
    if "program_family" not in merged:
        merged["program_family"] = data.adoptions.set_index("adoption_id")["program_family"]
    rows: list[dict[str, Any]] = []
    cox_rows: list[dict[str, Any]] = []
    for f in ft.factors:
        x = merged[f.name]
        method = "fisher" if f.kind == "binary" else "firth"
        for outcome in BINARY_OUTCOMES:
            if method in p.methods:
                rows.append(_test_binary_outcome(f, x, merged[outcome], outcome, p))
        if p.survival:
            r = _test_time(f, x, merged["time_to_successor"], merged["event"], p)
            rows.append(r)
            cox_rows.append(r)
    key_factors = finalize(rows, lang=p.lang)

    survival, survival_reason = (None, "survival analysis switched off")
    if p.survival:
        survival, survival_reason = _run_survival(merged, cox_rows, p)
    qca_res, qca_reason = (None, "QCA switched off")
    if p.qca:
        qca_res, qca_reason = _run_qca(merged, p)

    verdicts = [make_verdict(h, key_factors, merged, p.alpha, p.min_n, p.meaningful_or) for h in HYPOTHESES]
    robust: dict[str, RobustnessResult] = {}
    if p.bootstrap > 0:
        from chiiki.factors.methods.robustness import robustness

        for v in verdicts:
            if v.status == "not_testable":
                continue
            h = HYPOTHESES[v.id]
            sub = merged[[h["factor"], h["outcome"], "program_family"]].dropna()
            robust[v.id] = robustness(
                sub[h["factor"]],
                sub[h["outcome"]],
                sub["program_family"],
                h["factor"],
                h["outcome"],
                binary=True,
                n_boot=p.bootstrap,
                seed=p.seed,
                alpha=p.alpha,
            )

    warnings = [*oc.warnings, *ft.warnings]
    n_final = int(merged["final_grade_S"].notna().sum())
    if n_final < p.min_n:
        warnings.append(
            f"事後評価の等級が分かる採択は {n_final} 件のみ: 評価に関する因子は検定できません"
            if p.lang == "ja"
            else f"final letter grades known for only {n_final} adoptions: grade factors are not testable"
        )
    if survival is not None:
        warnings += survival.warnings
    if qca_res is not None:
        warnings += qca_res.warnings
    params_dict = asdict(p)
    params_dict["cutoff_fy"] = cutoff
    params_dict["qca_conditions"] = list(p.qca_conditions)
    params_dict["methods"] = list(p.methods)
    return FactorAnalysis(
        key_factors=key_factors,
        coverage=coverage_table(data, oc.summary),
        outcomes=oc.summary,
        exclusions=oc.exclusions,
        survival=survival,
        qca=qca_res,
        verdicts=verdicts,
        parameters=params_dict,
        warnings=warnings,
        data_hash=data_hash(data),
        qca_reason=qca_reason,
        survival_reason=survival_reason,
        robustness=robust,
        factors=ft.factors,
    )
