"""Verdicts on the survey's hypotheses H1 and H2, with the numbers behind them.

Decision rule (stated so a reader can check it):
- ``not_testable``: the key-factor row has no estimate (too few complete cases, no
  variation in factor or outcome);
- ``supported``: odds ratio > 1 and BH-adjusted p < alpha;
- ``not_supported``: odds ratio < 1 with adjusted p < alpha (opposite direction), or the
  upper confidence limit is below ``meaningful_or`` (default 2: the data rule out an effect
  of the size the survey implies);
- ``inconclusive``: otherwise (an effect may exist but the data cannot show it).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

HYPOTHESES = {
    "H1": {
        "factor": "final_grade_S",
        "outcome": "successor",
        "ja": "事後評価で「S」評価を受けた拠点は、後継事業に採択されている。",
        "en": "Hubs graded S in the final evaluation went on to win a successor program.",
    },
    "H2": {
        "factor": "broad_partnership",
        "outcome": "regional",
        "ja": "大学だけでなく自治体・企業・財団・公設試が参画した事業は、終了後も地域の予算等で継続しやすい。",
        "en": "Programs where local governments, companies, foundations and public research "
        "institutes took part besides universities tend to continue on regional money "
        "after the end.",
    },
}
STATUSES = ("supported", "not_supported", "inconclusive", "not_testable")
STATUS_LABELS = {
    "supported": ("支持", "supported"),
    "not_supported": ("不支持", "not supported"),
    "inconclusive": ("判断保留", "inconclusive"),
    "not_testable": ("検定不能", "not testable"),
}


@dataclass
class Verdict:
    """One hypothesis, its status and the plain reason (ja/en) with its numbers."""

    id: str
    statement_ja: str
    statement_en: str
    status: str
    reason_ja: str
    reason_en: str
    numbers: dict[str, Any] = field(default_factory=dict)

    def statement(self, lang: str = "ja") -> str:
        return self.statement_en if lang == "en" else self.statement_ja

    def reason(self, lang: str = "ja") -> str:
        return self.reason_en if lang == "en" else self.reason_ja

    def status_label(self, lang: str = "ja") -> str:
        return STATUS_LABELS[self.status][1 if lang == "en" else 0]


def _fmt(v: Any, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "NA"
    if isinstance(v, float) and math.isinf(v):
        return "∞"
    return f"{v:.{digits}g}"


def decide(row: pd.Series | None, alpha: float, meaningful_or: float = 2.0) -> str:
    if row is None or pd.isna(row["estimate"]) or pd.isna(row["p_value"]):
        return "not_testable"
    est, q, hi = float(row["estimate"]), row["p_adjusted"], row["ci_high"]
    q = float(row["p_value"]) if pd.isna(q) else float(q)
    if est > 1 and q < alpha:
        return "supported"
    if (est < 1 and q < alpha) or (not pd.isna(hi) and float(hi) < meaningful_or):
        return "not_supported"
    return "inconclusive"


def make_verdict(
    hid: str, key_factors: pd.DataFrame, merged: pd.DataFrame, alpha: float, min_n: int, meaningful_or: float = 2.0
) -> Verdict:
    """Build the verdict of hypothesis ``hid`` from its key-factor row and raw counts.

    ``numbers`` is JSON-ready: NaN and infinite values become None.
    """
    h = HYPOTHESES[hid]
    f, o = h["factor"], h["outcome"]
    sel = key_factors[(key_factors["factor"] == f) & (key_factors["outcome"] == o)]
    row = sel.iloc[0] if len(sel) else None
    status = decide(row, alpha, meaningful_or)
    x = merged[f] if f in merged else pd.Series(dtype="float64")
    y = merged[o] if o in merged else pd.Series(dtype="float64")
    both = x.notna() & y.notna()
    numbers: dict[str, Any] = {
        "factor": f,
        "outcome": o,
        "n_factor_known": int(x.notna().sum()),
        "n_outcome_known": int(y.notna().sum()),
        "n": int(both.sum()),
        "exposed": int((both & (x == 1)).sum()),
        "exposed_with_outcome": int((both & (x == 1) & (y == 1)).sum()),
        "unexposed": int((both & (x == 0)).sum()),
        "unexposed_with_outcome": int((both & (x == 0) & (y == 1)).sum()),
        "min_n": min_n,
        "alpha": alpha,
    }
    if row is not None:
        for k in ("method", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "n_missing"):
            v = row[k]
            v = v.item() if hasattr(v, "item") else v
            numbers[k] = None if isinstance(v, float) and not math.isfinite(v) else v
    ja, en = _reasons(status, numbers, row)
    return Verdict(
        id=hid, statement_ja=h["ja"], statement_en=h["en"], status=status, reason_ja=ja, reason_en=en, numbers=numbers
    )


_JA_REASONS = [
    (
        re.compile(r"too few complete cases \(n=(\d+) < (\d+)\)"),
        r"要因と結果の両方が分かる件数が少なすぎる（n=\1 < \2）",
    ),
    (re.compile(r"factor has no variation among complete cases"), "要因に変動がない"),
    (re.compile(r"outcome has no variation among complete cases"), "結果に変動がない"),
    (re.compile(r"no successor events among complete cases"), "後継事業の事例がない"),
]


def reason_ja(text: str) -> str:
    """Japanese wording of the engine's standard 'not testable' reasons (others kept)."""
    for pattern, ja in _JA_REASONS:
        text = pattern.sub(ja, text)
    return text


def _reasons(status: str, n: dict[str, Any], row: pd.Series | None) -> tuple[str, str]:
    counts_ja = (
        f"要因と結果の両方が分かる採択 {n['n']}件（要因あり {n['exposed']}件中 結果あり "
        f"{n['exposed_with_outcome']}件、要因なし {n['unexposed']}件中 "
        f"{n['unexposed_with_outcome']}件）"
    )
    counts_en = (
        f"{n['n']} adoptions with both factor and outcome known (with factor: "
        f"{n['exposed_with_outcome']} of {n['exposed']} had the outcome; without: "
        f"{n['unexposed_with_outcome']} of {n['unexposed']})"
    )
    if status == "not_testable":
        why = row["warnings"] if row is not None and row["warnings"] else "no test row"
        return (
            f"検定できない: {counts_ja}。要因が分かる採択 {n['n_factor_known']}件、結果が分かる"
            f"採択 {n['n_outcome_known']}件。理由: {reason_ja(why)}",
            f"Not testable: {counts_en}; factor known for {n['n_factor_known']}, outcome "
            f"known for {n['n_outcome_known']}. Reason: {why}",
        )
    est = (
        f"オッズ比 {_fmt(n['estimate'])}（95%CI {_fmt(n['ci_low'])}–{_fmt(n['ci_high'])}）、"
        f"p={_fmt(n['p_value'])}、補正後p={_fmt(n['p_adjusted'])}"
    )
    est_en = (
        f"odds ratio {_fmt(n['estimate'])} (95% CI {_fmt(n['ci_low'])}–"
        f"{_fmt(n['ci_high'])}), p={_fmt(n['p_value'])}, BH-adjusted "
        f"p={_fmt(n['p_adjusted'])}"
    )
    lead = {
        "supported": ("データは仮説を支持する", "The data support the hypothesis"),
        "not_supported": (
            "データは仮説を支持しない（効果がない、または逆方向）",
            "The data do not support the hypothesis (no effect of the implied size, or the opposite direction)",
        ),
        "inconclusive": ("判断できない（不確実性が大きい）", "Inconclusive (the uncertainty is too large)"),
    }[status]
    return f"{lead[0]}: {est}。{counts_ja}。", f"{lead[1]}: {est_en}. {counts_en}."
