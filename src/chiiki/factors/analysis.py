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
from chiiki.factors.labels import exclusion_message, factor_label, nested
from chiiki.factors.methods.qca import QCAResult
from chiiki.factors.methods.robustness import RobustnessResult
from chiiki.factors.methods.survival import SurvivalResult
from chiiki.factors.outcomes import compute_outcomes
from chiiki.factors.table import finalize, to_records
from chiiki.factors.verdicts import HYPOTHESES, Verdict, make_verdict
from chiiki.i18n import Message, msg

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
    # Methods to compute for binary outcomes. BH runs within each (outcome, method), so
    # leaving out "firth" does not change any Fisher row: simulations use ("fisher",).
    methods: tuple[str, ...] = ("fisher", "firth")


@dataclass
class FactorAnalysis:
    """Result of :func:`run_analysis` (the contract the report is written against).

    Language-free: labels, evidence, warnings and reasons are :class:`~chiiki.i18n.Message`
    objects (codes ``factors.*``), rendered where the result is shown. :meth:`to_dict` gives the
    whole result as JSON data.
    """

    key_factors: pd.DataFrame
    coverage: pd.DataFrame
    outcomes: pd.DataFrame
    exclusions: dict[str, int]
    survival: SurvivalResult | None
    qca: QCAResult | None
    verdicts: list[Verdict]
    parameters: dict[str, Any]
    warnings: list[Message]
    data_hash: str
    qca_reason: Message | None = None
    survival_reason: Message | None = None
    robustness: dict[str, RobustnessResult] = field(default_factory=dict)
    factors: list[Factor] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        return self.key_factors

    @property
    def n(self) -> int:
        return len(self.outcomes)

    def to_records(self, lang: str | None = None) -> list[dict[str, Any]]:
        """The key-factor rows with :data:`~chiiki.factors.table.RECORD_KEYS` (see
        :func:`~chiiki.factors.table.to_records`; ``lang`` adds ``warnings_text``)."""
        return to_records(self.key_factors, lang)

    def exclusion_messages(self) -> list[Message]:
        """One message per exclusion count (``{outcome}: {n} adoptions excluded ({reason})``)."""
        return [exclusion_message(k, v) for k, v in self.exclusions.items()]

    def to_dict(self) -> dict[str, Any]:
        """The whole result as JSON data (``json.dumps(..., allow_nan=False)`` works): frames as
        ``{"columns", "rows"}``, messages as dicts, NaN as None, infinities as ``"inf"``."""
        from chiiki.serialize import frame_records, plain

        return {
            "parameters": plain(self.parameters),
            "data_hash": self.data_hash,
            "n": self.n,
            "key_factors": frame_records(self.key_factors),
            "coverage": frame_records(self.coverage),
            "outcomes": frame_records(self.outcomes),
            "exclusions": plain(self.exclusions),
            "survival": self.survival.to_dict() if self.survival is not None else None,
            "survival_reason": self.survival_reason.to_dict() if self.survival_reason else None,
            "qca": self.qca.to_dict() if self.qca is not None else None,
            "qca_reason": self.qca_reason.to_dict() if self.qca_reason else None,
            "verdicts": [v.to_dict() for v in self.verdicts],
            "robustness": {k: r.to_dict() for k, r in self.robustness.items()},
            "factors": [f.to_dict() for f in self.factors],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _untestable(base: dict[str, Any], reasons: list[Message]) -> dict[str, Any]:
    nan = np.nan
    return {**base, "estimate": nan, "ci_low": nan, "ci_high": nan, "p_value": nan, "warnings": list(reasons)}


def _too_few(n: int, min_n: int) -> list[Message]:
    return [msg("factors.too_few_cases", n=n, min_n=min_n)]


def _test_binary_outcome(f: Factor, x: pd.Series, y: pd.Series, outcome: str, p: AnalysisParams) -> dict[str, Any]:
    from chiiki.factors.methods.firth import firth_univariable
    from chiiki.factors.methods.fisher import fisher_test

    known_y = y.notna()
    both = known_y & x.notna()
    method = "fisher" if f.kind == "binary" else "firth"
    base: dict[str, Any] = {
        "factor": f.name,
        "outcome": outcome,
        "method": method,
        "n": int(both.sum()),
        "n_missing": int((known_y & x.isna()).sum()),
    }
    n = base["n"]
    if n < p.min_n:
        return _untestable(base, _too_few(n, p.min_n))
    if x[both].nunique() < 2:
        return _untestable(base, [msg("factors.factor_constant")])
    if y[both].nunique() < 2:
        return _untestable(base, [msg("factors.outcome_constant")])
    if method == "fisher":
        fisher = fisher_test(x[both], y[both], alpha=p.alpha)
        s = fisher.summary.iloc[0]
        vals = (s["estimate"], s["ci_low"], s["ci_high"], s["p_value"])
        warnings = fisher.warnings
    else:
        firth = firth_univariable(x[both], y[both], alpha=p.alpha, name="x")
        s = firth.row("x")
        vals = (s["odds_ratio"], s["ci_low"], s["ci_high"], s["p_value"])
        warnings = firth.warnings
    return {
        **base,
        "estimate": vals[0],
        "ci_low": vals[1],
        "ci_high": vals[2],
        "p_value": vals[3],
        "warnings": list(warnings),
    }


def _test_time(f: Factor, x: pd.Series, t: pd.Series, e: pd.Series, p: AnalysisParams) -> dict[str, Any]:
    from chiiki.factors.methods.survival import cox_univariable

    known = t.notna() & e.notna()
    both = known & x.notna()
    base: dict[str, Any] = {
        "factor": f.name,
        "outcome": "time_to_successor",
        "method": "cox",
        "n": int(both.sum()),
        "n_missing": int((known & x.isna()).sum()),
    }
    n = base["n"]
    if n < p.min_n:
        return _untestable(base, _too_few(n, p.min_n))
    if x[both].nunique() < 2:
        return _untestable(base, [msg("factors.factor_constant")])
    if e[both].sum() == 0:
        return _untestable(base, [msg("factors.no_successor_events")])
    frame, w = cox_univariable(t[both], e[both], x[both], name=f.name, alpha=p.alpha)
    s = frame.iloc[0]
    if any(m.code == "factors.cox_monotone" for m in w):
        # the monotone-likelihood reason first: it is why the row has no estimate
        return _untestable(base, sorted(w, key=lambda m: m.code != "factors.cox_monotone"))
    return {
        **base,
        "estimate": s["hazard_ratio"],
        "ci_low": s["ci_low"],
        "ci_high": s["ci_high"],
        "p_value": s["p_value"],
        "warnings": list(w),
    }


def _label_or_name(name: str) -> Any:
    """A factor's label as a message parameter; a name that is not a factor stays as it is."""
    from chiiki.factors.errors import UnknownFactorError

    try:
        return nested(factor_label(name))
    except UnknownFactorError:
        return name


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
) -> tuple[SurvivalResult | None, Message | None]:
    from chiiki.factors.methods.survival import COX_COLUMNS, survival_analysis

    known = merged["time_to_successor"].notna() & merged["event"].notna()
    if known.sum() < p.min_n:
        return None, msg("factors.survival_too_few", "info", n=int(known.sum()))
    g = p.survival_group_factor
    group: str | None = g
    warnings: list[Message] = []
    if g not in merged or (known & merged[g].notna()).sum() < p.min_n or merged.loc[known, g].dropna().nunique() < 2:
        warnings.append(msg("factors.km_not_split", factor=_label_or_name(g)))
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


def _run_qca(merged: pd.DataFrame, p: AnalysisParams) -> tuple[QCAResult | None, Message | None]:
    from chiiki.factors.methods.qca import qca

    cols = [*p.qca_conditions, p.qca_outcome]
    missing = [c for c in cols if c not in merged]
    if missing:
        return None, msg("factors.qca_columns_missing", "info", columns=", ".join(missing))
    sub = merged[cols].dropna()
    if len(sub) < p.min_n:
        return None, msg("factors.qca_too_few", "info", n=len(sub), min_n=p.min_n)
    if sub[p.qca_outcome].nunique() < 2:
        return None, msg("factors.qca_outcome_constant", "info")
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
    key_factors = finalize(rows)

    survival: SurvivalResult | None = None
    survival_reason: Message | None = msg("factors.survival_off", "info")
    if p.survival:
        survival, survival_reason = _run_survival(merged, cox_rows, p)
    qca_res: QCAResult | None = None
    qca_reason: Message | None = msg("factors.qca_off", "info")
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

    warnings: list[Message] = [*oc.warnings, *ft.warnings]
    n_final = int(merged["final_grade_S"].notna().sum())
    if n_final < p.min_n:
        warnings.append(msg("factors.few_final_grades", n=n_final))
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
