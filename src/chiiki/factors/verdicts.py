"""Verdicts on the survey's hypotheses H1 and H2, with the numbers behind them.

H1 and H2 are the survey's confirmatory, pre-specified hypotheses: each reads its *primary*
key-factor row — the estimate adjusted for program family and start era, with a hub-clustered
interval, tested at the factor's landmark (time order) — and the two are Holm-adjusted together,
apart from the exploratory rows.

Decision rule (stated so a reader can check it):
- ``not_testable``: the row has no estimate or no p-value (too few complete cases, fewer
  events than the threshold, no variation in factor or outcome); the reason names what is
  missing;
- ``supported``: odds ratio > 1, Holm-adjusted p < alpha, and the hub-clustered interval above 1;
- ``not_supported``: odds ratio < 1 with adjusted p < alpha (opposite direction), or the
  upper confidence limit (the wider of exact and clustered) is below ``meaningful_or``
  (default 2: the data rule out an effect of the size the survey implies);
- ``inconclusive``: otherwise (an effect may exist but the data cannot show it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from chiiki.factors.labels import STATUSES, nested, status_label
from chiiki.factors.table import ROW_COLUMNS
from chiiki.i18n import Message, msg

# the key-factor row's values a verdict carries (what was tested, how, and its numbers)
ROW_NUMBERS = [k for k in ROW_COLUMNS if k not in ("factor", "outcome", "n", "hypothesis", "p_family", "warnings")]
HYPOTHESES = {
    # a successor in *another* program: a designed next stage of the same scheme is not the outcome
    "H1": {"factor": "final_grade_S", "outcome": "successor"},
    "H2": {"factor": "broad_partnership", "outcome": "regional"},
}
__all__ = ["HYPOTHESES", "STATUSES", "Verdict", "decide", "make_verdict"]


def hypothesis_statement(hid: str) -> Message:
    """``factors.hypothesis.H1``: the hypothesis as the survey states it."""
    return msg(f"factors.hypothesis.{hid}", "info")


@dataclass
class Verdict:
    """One hypothesis, its status, and the reason with its numbers (messages, rendered late).

    ``reason`` is ``factors.verdict.<status>``; its parameters hold the counts, the estimate and
    (when not testable) why, each a nested message. ``warnings`` are the key-factor row's.
    """

    id: str
    status: str
    statement: Message
    reason: Message
    numbers: dict[str, Any] = field(default_factory=dict)
    warnings: list[Message] = field(default_factory=list)

    @property
    def status_message(self) -> Message:
        return status_label(self.status)

    def status_label(self, lang: str = "ja") -> str:
        from chiiki.i18n import render

        return render(self.status_message, lang)

    # compatibility: the texts in one language (prefer render(verdict.reason, lang))
    @property
    def statement_ja(self) -> str:
        return _render(self.statement, "ja")

    @property
    def statement_en(self) -> str:
        return _render(self.statement, "en")

    @property
    def reason_ja(self) -> str:
        return _render(self.reason, "ja")

    @property
    def reason_en(self) -> str:
        return _render(self.reason, "en")

    def to_dict(self) -> dict[str, Any]:
        from chiiki.serialize import plain

        return {
            "id": self.id,
            "status": self.status,
            "status_label": self.status_message.to_dict(),
            "statement": self.statement.to_dict(),
            "reason": self.reason.to_dict(),
            "numbers": plain(self.numbers),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _render(message: Message, lang: str) -> str:
    from chiiki.i18n import render

    return render(message, lang)


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
    c_lo = row.get("cluster_ci_low", float("nan"))
    c_hi = row.get("cluster_ci_high", float("nan"))
    if not pd.isna(c_hi):
        hi = max(float(hi), float(c_hi)) if not pd.isna(hi) else c_hi
    if est > 1 and q < alpha and (pd.isna(c_lo) or float(c_lo) > 1):
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
    if "p_family" in sel:
        sel = sel[sel["p_family"].notna()]
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
        for k in ROW_NUMBERS:
            if k not in row:
                continue
            v = row[k]
            v = list(v) if isinstance(v, list | tuple) else v.item() if hasattr(v, "item") else v
            numbers[k] = None if isinstance(v, float) and not math.isfinite(v) else v
    row_warnings = list(row["warnings"]) if row is not None else []
    return Verdict(
        id=hid,
        status=status,
        statement=hypothesis_statement(hid),
        reason=_reason(status, numbers, row_warnings),
        numbers=numbers,
        warnings=row_warnings,
    )


def _reason(status: str, n: dict[str, Any], row_warnings: list[Message]) -> Message:
    counts = msg(
        "factors.verdict.counts",
        "info",
        n=n["n"],
        exposed=n["exposed"],
        exposed_with_outcome=n["exposed_with_outcome"],
        unexposed=n["unexposed"],
        unexposed_with_outcome=n["unexposed_with_outcome"],
    )
    if status == "not_testable":
        why = _main_reason(row_warnings)
        return msg(
            "factors.verdict.not_testable",
            "info",
            counts=nested(counts),
            n_factor_known=n["n_factor_known"],
            n_outcome_known=n["n_outcome_known"],
            why=nested(why),
        )
    adjusted = n.get("analysis") == "adjusted"
    extra = (
        {"cluster_ci_low": _fmt(n.get("cluster_ci_low")), "cluster_ci_high": _fmt(n.get("cluster_ci_high"))}
        if adjusted
        else {}
    )
    estimate = msg(
        "factors.verdict.estimate_adjusted" if adjusted else "factors.verdict.estimate",
        "info",
        **extra,
        estimate=_fmt(n["estimate"]),
        ci_low=_fmt(n["ci_low"]),
        ci_high=_fmt(n["ci_high"]),
        p_value=_fmt(n["p_value"]),
        p_adjusted=_fmt(n["p_adjusted"]),
    )
    return msg(f"factors.verdict.{status}", "info", estimate=nested(estimate), counts=nested(counts))


# the reasons that say why a row has no test, most telling first (the others are side notes)
_WHY_ORDER = (
    "factors.factor_constant",
    "factors.participants_unrecorded",
    "factors.too_few_cases",
    "factors.too_few_within_strata",
    "factors.too_few_events",
    "factors.outcome_constant",
    "factors.cox_monotone",
    "factors.no_successor_events",
)


def _main_reason(row_warnings: list[Message]) -> Message:
    for code in _WHY_ORDER:
        for w in row_warnings:
            if w.code == code:
                return w
    return row_warnings[0] if row_warnings else msg("factors.verdict.no_test_row", "info")
