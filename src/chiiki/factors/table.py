"""The key-factor table: one row per (factor, outcome, method) — the report's contract.

Methods per row:
- binary factor × binary outcome: ``fisher`` (conditional-MLE odds ratio, exact CI, exact p);
- continuous factor × binary outcome: ``firth`` (odds ratio per unit, profile CI, penalized
  likelihood-ratio p);
- any factor × time to successor: ``cox`` (hazard ratio, Wald CI and p).
Benjamini–Hochberg is applied across the factors tested for each (outcome, method).
A factor that cannot be tested still gets its row, with NaN estimate and the reason.

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
]
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
OUTCOME_LABELS = {
    "successor": ("後継事業の採択", "successor adoption"),
    "regional": ("地域予算等による継続", "regional continuation"),
    "time_to_successor": ("後継事業までの年数", "time to successor"),
}

_EVIDENCE = {
    "not_testable": ("検定不能", "not testable"),
    "strong": ("強い証拠", "strong evidence"),
    "moderate": ("中程度の証拠", "moderate evidence"),
    "weak": (
        "弱い証拠（多重比較補正後は有意でない）",
        "weak evidence (not significant after multiple-testing correction)",
    ),
    "none": ("関連は確認されず", "no association detected"),
}
_DIRECTION = {"positive": ("正の関連", "positive"), "negative": ("負の関連", "negative")}


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


def evidence_label(row: dict[str, Any] | pd.Series, lang: str = "ja", alpha: float = 0.05) -> str:
    """Plain-language evidence for one key-factor row, e.g. ``中程度の証拠（正の関連）``."""
    grade = evidence_grade(row, alpha)
    i = 1 if lang == "en" else 0
    text = _EVIDENCE[grade][i]
    if grade in ("strong", "moderate", "weak"):
        est = float(row["estimate"])
        direction = "positive" if est > 1 else "negative"
        d = _DIRECTION[direction][i]
        text = f"{text} ({d})" if lang == "en" else f"{text}（{d}）"
    return text


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


def finalize(rows: list[dict[str, Any]], lang: str = "ja") -> pd.DataFrame:
    """Rows -> the contract DataFrame (BH applied, evidence column added)."""
    table = pd.DataFrame(rows, columns=[c for c in KEY_FACTOR_COLUMNS if c != "p_adjusted"])
    table["p_adjusted"] = np.nan
    table = table[KEY_FACTOR_COLUMNS]
    for col in ("estimate", "ci_low", "ci_high", "p_value"):
        table[col] = table[col].astype("float64")
    table["n"] = table["n"].astype("int64")
    table["n_missing"] = table["n_missing"].astype("int64")
    if len(table):
        table = apply_bh(table)
    table["evidence"] = [evidence_label(r, lang) for _, r in table.iterrows()]
    return table


def to_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready dicts with :data:`RECORD_KEYS`; NaN/inf -> None, numpy -> Python types."""
    out = []
    for _, row in table.iterrows():
        rec: dict[str, Any] = {}
        for key in RECORD_KEYS:
            v = row[key]
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                v = None
            rec[key] = v
        out.append(rec)
    return out
