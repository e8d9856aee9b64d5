"""The key-factor table: one row per (factor, outcome, method) — the report's contract.

Methods per row:
- binary factor × binary outcome: ``fisher`` (conditional-MLE odds ratio, exact CI, exact p);
- continuous factor × binary outcome: ``firth`` (odds ratio per unit, profile CI, penalized
  likelihood-ratio p);
- any factor × time to successor: ``cox`` (hazard ratio, Wald CI and p).
Benjamini–Hochberg is applied across the factors tested for each (outcome, method).
A factor that cannot be tested still gets its row, with NaN estimate and the reason.

Every cell is language-free: names and numbers, grade codes (``evidence``, ``direction``) and
messages (``factor_label``, ``outcome_label``, ``method_label``, ``evidence_label``, and
``warnings``, a list of messages) that are rendered where the table is shown.

``n`` counts adoptions with both the factor and the outcome known (the cases the test used);
``n_missing`` counts adoptions whose outcome is known but whose factor value is missing.
Odds ratios of continuous factors are per unit of the factor (units in the factor registry).
An infinite odds ratio (zero cell) is kept in the DataFrame and becomes null in JSON records;
its warning says why.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from chiiki.factors.labels import factor_label, method_label, nested, outcome_label
from chiiki.i18n import Message, msg

KEY_FACTOR_COLUMNS = [
    "factor",
    "factor_label",
    "outcome",
    "analysis",
    "method",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "n",
    "n_missing",
    "n_events",
    "n_time_order",
    "adjusted_for",
    "clustering",
    "cluster_ci_low",
    "cluster_ci_high",
    "hypothesis",
    "p_family",
    "warnings",
    "evidence",
    "direction",
    "evidence_label",
    "outcome_label",
    "method_label",
]
# columns the tests fill in per row (the rest are derived by :func:`finalize`)
ROW_COLUMNS = [c for c in KEY_FACTOR_COLUMNS[: KEY_FACTOR_COLUMNS.index("warnings") + 1] if c != "factor_label"]
RECORD_KEYS = [*ROW_COLUMNS, "evidence"]  # the JSON records: the row as tested, and its grade


def evidence_grade(row: dict[str, Any] | pd.Series, alpha: float = 0.05) -> str:
    """Plain grade key: not_testable / descriptive / crude_only / strong / moderate / weak / none.

    Only the primary row of a factor and outcome (``p_family`` set: the adjusted, hub-clustered
    estimate) is graded; a crude row is ``crude_only`` (shown beside it for comparison). A row
    with an estimate but no p-value (fewer events than the threshold) is ``descriptive``.
    strong: family-adjusted p < alpha/5; moderate: adjusted p < alpha; weak: unadjusted p < alpha
    only; none: otherwise. A hub-clustered interval that includes 1 caps the grade at weak: the
    association may rest on a few hubs. The grade is about evidence against "no association",
    not about the size of the effect.
    """
    est = row.get("estimate")
    p = row.get("p_value")
    q = row.get("p_adjusted")
    if est is None or _nan(est):
        return "not_testable"
    if row.get("p_family") in (None, "") or _nan(row.get("p_family")):
        return "crude_only"
    if p is None or _nan(p):
        return "descriptive"
    lo, hi = row.get("cluster_ci_low"), row.get("cluster_ci_high")
    cluster_covers_1 = lo is not None and hi is not None and not _nan(lo) and not _nan(hi) and lo <= 1 <= hi
    if q is not None and not _nan(q) and q < alpha and not cluster_covers_1:
        return "strong" if q < alpha / 5 else "moderate"
    if p < alpha:
        return "weak"
    return "none"


def evidence_direction(row: dict[str, Any] | pd.Series, alpha: float = 0.05) -> str | None:
    """``positive``/``negative`` for a row with some evidence (strong, moderate, weak), else None."""
    if evidence_grade(row, alpha) not in ("strong", "moderate", "weak"):  # graded rows only
        return None
    return "positive" if float(row["estimate"]) > 1 else "negative"


def evidence_message(row: dict[str, Any] | pd.Series, alpha: float = 0.05) -> Message:
    """The evidence of one row as a message, e.g. ``moderate evidence (positive association)``."""
    grade = evidence_grade(row, alpha)
    direction = evidence_direction(row, alpha)
    if direction is None:
        return msg(f"factors.evidence.{grade}", "info")
    return msg(f"factors.evidence.{grade}", "info", direction=nested(msg(f"factors.direction.{direction}", "info")))


def evidence_label(row: dict[str, Any] | pd.Series, lang: str = "ja", alpha: float = 0.05) -> str:
    """The evidence of one row in ``lang``, e.g. ``中程度の証拠（正の関連）`` (renders
    :func:`evidence_message`; results hold the message, not this text)."""
    from chiiki.i18n import render

    return render(evidence_message(row, alpha), lang)


def _nan(v: Any) -> bool:
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def apply_families(table: pd.DataFrame) -> pd.DataFrame:
    """Fill ``p_adjusted`` per family of tests.

    ``p_family == "confirmatory"``: the pre-specified hypotheses H1 and H2, Holm over their
    primary rows (they are not diluted by exploratory rows). ``"exploratory"``: one
    Benjamini–Hochberg family per outcome over the primary rows (one per factor). Crude rows
    (``p_family`` None) are not adjusted.
    """
    from chiiki.factors.methods.adjust import bh_adjust, holm_adjust

    table = table.copy()
    table["p_adjusted"] = np.nan
    conf = table.index[table["p_family"] == "confirmatory"]
    if len(conf):
        table.loc[conf, "p_adjusted"] = holm_adjust(table.loc[conf, "p_value"].to_numpy())
    expl = table[table["p_family"] == "exploratory"]
    for _, idx in expl.groupby("outcome").groups.items():
        table.loc[idx, "p_adjusted"] = bh_adjust(table.loc[idx, "p_value"].to_numpy())
    return table


def finalize(rows: list[dict[str, Any]], alpha: float = 0.05) -> pd.DataFrame:
    """Rows -> the contract DataFrame (p-value families adjusted; evidence and labels added).

    A row without ``analysis`` is a crude row; without ``p_family`` it is exploratory when it is
    the only analysis of its factor and outcome (so callers that run crude tests only — the
    simulations — still get BH per outcome).
    """
    defaults: dict[str, Any] = {
        "analysis": "crude",
        "n_events": 0,
        "n_time_order": 0,
        "adjusted_for": [],
        "clustering": None,
        "cluster_ci_low": np.nan,
        "cluster_ci_high": np.nan,
        "hypothesis": None,
        "p_family": None,
    }
    rows = [{**defaults, **r} for r in rows]
    adjusted = {(r["factor"], r["outcome"]) for r in rows if r["analysis"] == "adjusted"}
    for r in rows:
        if r["p_family"] is None and (r["analysis"] == "adjusted" or (r["factor"], r["outcome"]) not in adjusted):
            r["p_family"] = "confirmatory" if r["hypothesis"] else "exploratory"
    table = pd.DataFrame(rows, columns=[c for c in ROW_COLUMNS if c != "p_adjusted"])
    table["p_adjusted"] = np.nan
    table = table[ROW_COLUMNS]
    for col in ("estimate", "ci_low", "ci_high", "p_value", "cluster_ci_low", "cluster_ci_high"):
        table[col] = table[col].astype("float64")
    for col in ("n", "n_missing", "n_events", "n_time_order"):
        table[col] = table[col].astype("int64")
    table["hypothesis"] = table["hypothesis"].astype("object").where(table["hypothesis"].notna(), None)
    table["p_family"] = table["p_family"].astype("object").where(table["p_family"].notna(), None)
    table["clustering"] = table["clustering"].astype("object").where(table["clustering"].notna(), None)
    if len(table):
        table = apply_families(table)
    table["factor_label"] = [factor_label(f) for f in table["factor"]]
    table["warnings"] = [list(w) for w in table["warnings"]]
    table["adjusted_for"] = [list(a) for a in table["adjusted_for"]]
    rows_ = [r for _, r in table.iterrows()]
    table["evidence"] = [evidence_grade(r, alpha) for r in rows_]
    table["direction"] = pd.Series([evidence_direction(r, alpha) for r in rows_], index=table.index, dtype="object")
    table["evidence_label"] = [evidence_message(r, alpha) for r in rows_]
    table["outcome_label"] = [outcome_label(o) for o in table["outcome"]]
    table["method_label"] = [method_label(m) for m in table["method"]]
    return table[KEY_FACTOR_COLUMNS]


def _record_value(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, list):
        return [m.to_dict() if isinstance(m, Message) else m for m in v]
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return v


def to_records(table: pd.DataFrame, lang: str | None = None) -> list[dict[str, Any]]:
    """JSON-ready dicts with :data:`RECORD_KEYS`; NaN/inf -> None, numpy -> Python types.

    ``warnings`` is a list of message dicts; with ``lang``, ``warnings_text`` adds them rendered
    in that language, joined by ``"; "``.
    """
    tr = None
    if lang is not None:
        from chiiki.i18n import translator

        tr = translator(lang)
    out = []
    for _, row in table.iterrows():
        rec: dict[str, Any] = {key: _record_value(row[key]) for key in RECORD_KEYS}
        if tr is not None:
            rec["warnings_text"] = "; ".join(tr.render(m) for m in row["warnings"])
        out.append(rec)
    return out
