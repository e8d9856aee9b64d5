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
from chiiki.factors.labels import FAMILY_PREFIX, exclusion_message, factor_label, nested
from chiiki.factors.methods.qca import QCAResult
from chiiki.factors.methods.robustness import RobustnessResult
from chiiki.factors.methods.survival import SurvivalResult
from chiiki.factors.outcomes import BINARY_OUTCOMES, compute_outcomes
from chiiki.factors.table import finalize, to_records
from chiiki.factors.verdicts import HYPOTHESES, Verdict, make_verdict
from chiiki.i18n import Message, msg

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
    # a p-value needs this many adoptions in the smaller outcome class (events or non-events)
    min_events: int = 5
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
    # Crude methods to compute for binary outcomes (simulations use ("fisher",) with adjust=False).
    methods: tuple[str, ...] = ("fisher", "firth")
    # the adjusted, hub-clustered primary rows (within program family and start era)
    adjust: bool = True
    # the sensitivity table per key factor and the competing-outcomes analysis
    sensitivity: bool = True
    competing: bool = True


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
    sensitivity: pd.DataFrame | None = None
    competing: dict[str, Any] | None = None
    participants: dict[str, int] = field(default_factory=dict)

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
            "sensitivity": frame_records(self.sensitivity) if self.sensitivity is not None else None,
            "competing": plain_competing(self.competing),
            "participants": plain(self.participants),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def run_json(self, lang: str | None = None) -> dict[str, Any]:
        """What ``chiiki factors run --json`` prints: ``rows`` (the key-factor rows, crude and
        adjusted, with ``adjusted_for`` and ``clustering``) and ``verdicts`` (H1, H2: status, the
        row they rest on, the reason)."""
        return {
            "rows": self.to_records(lang),
            "verdicts": [v.to_dict() for v in self.verdicts],
            "parameters": _plain(self.parameters),
            "data_hash": self.data_hash,
        }


def _plain(v: Any) -> Any:
    from chiiki.serialize import plain

    return plain(v)


def plain_competing(competing: dict[str, Any] | None) -> Any:
    if competing is None:
        return None
    from chiiki.serialize import frame_records, plain

    return {k: frame_records(v) if isinstance(v, pd.DataFrame) else plain(v) for k, v in competing.items()}


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
        [
            [r["factor"], r["estimate"], r["ci_low"], r["ci_high"], r["p_value"], r["n"], r["n_events"]]
            for r in cox_rows
        ],
        columns=COX_COLUMNS,
    )
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


def analysis_frame(
    data: AnalysisData, p: AnalysisParams, cutoff: int, unknown_as_absent: bool = False
) -> tuple[pd.DataFrame, Any, Any]:
    """Factors, outcomes, strata and clusters in one frame (index adoption_id)."""
    from chiiki.factors.data import start_era

    oc = compute_outcomes(data, window=p.successor_window_years, cutoff_fy=cutoff)
    ft = compute_factors(data, cutoff_fy=cutoff, unknown_as_absent=unknown_as_absent)
    merged = ft.summary.join(oc.summary.set_index("adoption_id"), how="left")
    ad = data.adoptions.set_index("adoption_id")
    merged["program_family"] = ad["program_family"]
    merged["start_era"] = ad["start_fy"].map(start_era)
    merged["start_fy"] = ad["start_fy"].astype("float64")
    # a hub is the cluster; an adoption without a hub is its own cluster
    hub = ad["hub_id"].astype("object")
    merged["cluster"] = [
        "hub:" + str(h) if h is not None and not pd.isna(h) else "adoption:" + a for a, h in hub.items()
    ]
    return merged, oc, ft


def _outcome_fy(merged: pd.DataFrame, outcome: str) -> pd.Series:
    if outcome in ("successor", "time_to_successor"):
        return merged["successor_fy"].where(merged["successor_fy"].notna(), np.nan)
    return merged["outcome_fy"]


def factor_rows(
    merged: pd.DataFrame, factors: list[Factor], known: pd.DataFrame, p: AnalysisParams
) -> list[dict[str, Any]]:
    """Crude and adjusted rows for every factor and outcome (see :mod:`chiiki.factors.rows`)."""
    from chiiki.factors.rows import RowSettings, binary_rows, time_order_mask, time_rows

    s = RowSettings(alpha=p.alpha, min_n=p.min_n, min_events=p.min_events, bootstrap=p.bootstrap, seed=p.seed)
    hyp = {(h["factor"], h["outcome"]): hid for hid, h in HYPOTHESES.items()}
    rows: list[dict[str, Any]] = []
    for f in factors:
        if f.name.startswith(FAMILY_PREFIX):
            continue  # program family is a stratum, not a key factor
        for outcome in BINARY_OUTCOMES:
            skip = time_order_mask(f, _outcome_fy(merged, outcome), known)
            new = binary_rows(f, outcome, merged, skip, s, adjust=p.adjust, crude_methods=p.methods)
            for r in new:
                r["hypothesis"] = hyp.get((f.name, outcome))
            rows += new
        if p.survival:
            skip = time_order_mask(f, _outcome_fy(merged, "time_to_successor"), known)
            rows += time_rows(f, merged, skip, s, adjust=p.adjust)
    return rows


def _participant_warnings(rows: list[dict[str, Any]], knowledge: pd.Series) -> None:
    """Say on every partnership row how many participant lists are complete, partial or absent."""
    counts = {k: int((knowledge == k).sum()) for k in ("complete", "partial", "none")}
    for r in rows:
        if r["factor"] in PARTNERSHIP_FACTORS and r["n_missing"] > 0:
            r["warnings"].append(msg("factors.participants_unrecorded", "info", **counts, n_missing=r["n_missing"]))


PARTNERSHIP_FACTORS = frozenset(
    {
        "n_org_kinds",
        "blau_index",
        "shannon_index",
        "has_local_government",
        "has_company",
        "has_foundation",
        "has_public_research_institute",
        "has_financial_institution",
        "n_h2_partner_kinds",
        "broad_partnership",
        "n_universities",
    }
)


def run_analysis(data: AnalysisData, params: AnalysisParams | None = None) -> FactorAnalysis:
    """Run the whole key-factor analysis on ``data`` (see module and package docs)."""
    from chiiki.factors.candidates import known_at_fy, participant_knowledge

    p = params or AnalysisParams()
    cutoff = int(p.cutoff_fy if p.cutoff_fy is not None else data.cutoff_fy)
    merged, oc, ft = analysis_frame(data, p, cutoff)
    known = known_at_fy(data)
    knowledge = participant_knowledge(data)
    rows = factor_rows(merged, ft.factors, known, p)
    _participant_warnings(rows, knowledge)
    key_factors = finalize(rows, alpha=p.alpha)
    cox_rows = [r for _, r in key_factors.iterrows() if r["outcome"] == "time_to_successor" and r["p_family"]]

    survival: SurvivalResult | None = None
    survival_reason: Message | None = msg("factors.survival_off", "info")
    if p.survival:
        survival, survival_reason = _run_survival(merged, [dict(r) for r in cox_rows], p)
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
    sensitivity = None
    if p.sensitivity and p.adjust:
        from chiiki.factors.sensitivity import sensitivity_table

        sensitivity = sensitivity_table(data, p, cutoff, key_factors, merged, ft.factors, known)
    competing = None
    if p.competing:
        from chiiki.factors.competing_outcomes import competing_outcomes

        competing = competing_outcomes(merged, p)

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
        sensitivity=sensitivity,
        competing=competing,
        participants={k: int((knowledge == k).sum()) for k in ("complete", "partial", "none")},
    )
