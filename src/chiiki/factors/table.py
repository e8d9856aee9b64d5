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
    "method",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "n",
    "n_missing",
    "warnings",
    "evidence",
    "direction",
    "evidence_label",
    "outcome_label",
    "method_label",
]
# columns the tests fill in per row (the rest are derived by :func:`finalize`)
ROW_COLUMNS = KEY_FACTOR_COLUMNS[: KEY_FACTOR_COLUMNS.index("warnings") + 1]
RECORD_KEYS = [
    "factor",
    "outcome",
    "method",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "n",
    "n_missing",
    "warnings",
]


def evidence_grade(row: dict[str, Any] | pd.Series, alpha: float = 0.05) -> str:
    """Plain grade key: not_testable / strong / moderate / weak / none.

    strong: BH-adjusted p < alpha/5; moderate: adjusted p < alpha; weak: unadjusted p < alpha
    only; none: otherwise. The grade is about evidence against "no association", not about
    the size of the effect.
    """
    est = row.get("estimate")
    p = row.get("p_value")
    q = row.get("p_adjusted")
    if est is None or _nan(est) or p is None or _nan(p):
        return "not_testable"
    if q is not None and not _nan(q) and q < alpha / 5:
        return "strong"
    if q is not None and not _nan(q) and q < alpha:
        return "moderate"
    if p < alpha:
        return "weak"
    return "none"


def evidence_direction(row: dict[str, Any] | pd.Series, alpha: float = 0.05) -> str | None:
    """``positive``/``negative`` for a row with some evidence (strong, moderate, weak), else None."""
    if evidence_grade(row, alpha) not in ("strong", "moderate", "weak"):
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


def apply_bh(table: pd.DataFrame) -> pd.DataFrame:
    """Fill ``p_adjusted`` by BH within each (outcome, method) family of tests."""
    from chiiki.factors.methods.adjust import bh_adjust

    table = table.copy()
    table["p_adjusted"] = np.nan
    for _, idx in table.groupby(["outcome", "method"]).groups.items():
        table.loc[idx, "p_adjusted"] = bh_adjust(table.loc[idx, "p_value"].to_numpy())
    return table


def finalize(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows -> the contract DataFrame (BH applied; evidence and label columns added)."""
    table = pd.DataFrame(rows, columns=[c for c in ROW_COLUMNS if c != "p_adjusted"])
    table["p_adjusted"] = np.nan
    table = table[ROW_COLUMNS]
    for col in ("estimate", "ci_low", "ci_high", "p_value"):
        table[col] = table[col].astype("float64")
    table["n"] = table["n"].astype("int64")
    table["n_missing"] = table["n_missing"].astype("int64")
    if len(table):
        table = apply_bh(table)
    table["factor_label"] = [factor_label(f) for f in table["factor"]]
    table["warnings"] = [list(w) for w in table["warnings"]]
    rows_ = [r for _, r in table.iterrows()]
    table["evidence"] = [evidence_grade(r) for r in rows_]
    table["direction"] = pd.Series([evidence_direction(r) for r in rows_], index=table.index, dtype="object")
    table["evidence_label"] = [evidence_message(r) for r in rows_]
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
