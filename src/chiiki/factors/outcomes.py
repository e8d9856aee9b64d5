"""Outcomes per adoption: successor, regional continuation, time to successor.

Rules (kept here, in one place, because every number in the report depends on them):

(a) **successor** = 1 when a later adoption of the same hub starts within ``window`` FY after
    this adoption's end FY. "Later adoption of the same hub" is either the target of a
    lineage link from this adoption (any basis: stated, manual, rule) or another adoption with
    the same ``hub_id`` that starts after this one starts and ends after it ends (a parallel
    adoption of the hub that ends first is not a successor); a ``successor_adoption`` event
    counts too. The gap is ``successor start FY − end FY`` (overlapping successors give a
    gap ≤ 0 and count as within the window). A linked successor whose start FY is unknown
    counts as a successor (the link says it happened) but gives no time.
(b) **regional** = 1 when the adoption has a ``regional_budget`` or ``hub_organization`` event
    whose FY is unknown or no later than end FY + ``window``.
(c) **time to successor** in years from end FY to the first successor start (clipped at 0),
    right-censored at ``cutoff − end FY`` when no successor is seen.

An outcome that cannot be known is *excluded*, never coded 0, and counted with its reason:
``no_end_fy`` (no end FY), ``window_open`` (end FY + window > cutoff and no positive outcome
yet), ``ongoing`` (end FY after the cutoff, survival only), ``successor_time_unknown``
(survival only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chiiki.factors.data import AnalysisData
from chiiki.i18n import Message, msg

REGIONAL_EVENT_KINDS = ("regional_budget", "hub_organization")
OUTCOME_COLUMNS = [
    "adoption_id",
    "successor",
    "regional",
    "time_to_successor",
    "event",
    "excluded_reason",
]


@dataclass
class OutcomeResult:
    """Per-adoption outcomes (``.summary``), exclusion counts and warnings."""

    summary: pd.DataFrame
    exclusions: dict[str, int]
    window: int
    cutoff_fy: int
    warnings: list[Message] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.summary)


def _successor_gaps(data: AnalysisData) -> dict[str, list[float]]:
    """For each adoption: gaps (successor start FY − own end FY); NaN when start unknown."""
    ad = data.adoptions
    start = dict(zip(ad["adoption_id"], ad["start_fy"], strict=True))
    end = dict(zip(ad["adoption_id"], ad["end_fy"], strict=True))
    succ: dict[str, set[str]] = {a: set() for a in ad["adoption_id"]}

    for f, t in zip(data.links["from_adoption_id"], data.links["to_adoption_id"], strict=True):
        if f in succ and t in start and t != f:
            succ[f].add(t)

    hubbed = ad[ad["hub_id"].notna() & ad["start_fy"].notna()]
    for _, group in hubbed.groupby("hub_id"):
        if len(group) < 2:
            continue
        ids = group["adoption_id"].tolist()
        starts = group["start_fy"].astype(int).tolist()
        ends: list[int | None] = [None if pd.isna(e) else int(e) for e in group["end_fy"]]
        for i, a in enumerate(ids):
            for j, b in enumerate(ids):
                # a parallel adoption that ends no later than ``a`` is not a successor
                end_i, end_j = ends[i], ends[j]
                outlasts = end_i is None or end_j is None or end_j > end_i
                if starts[j] > starts[i] and outlasts:
                    succ[a].add(b)

    gaps: dict[str, list[float]] = {a: [] for a in ad["adoption_id"]}
    for a, targets in succ.items():
        e = end[a]
        for b in targets:
            sb = start.get(b)
            if pd.isna(e) or sb is None or pd.isna(sb):
                gaps[a].append(np.nan)
            else:
                gaps[a].append(float(int(sb) - int(e)))

    ev = data.events[data.events["kind"] == "successor_adoption"]
    for a, fy in zip(ev["adoption_id"], ev["fy"], strict=True):
        if a not in gaps:
            continue
        e = end[a]
        gaps[a].append(np.nan if pd.isna(fy) or pd.isna(e) else float(int(fy) - int(e)))
    return gaps


def _regional_flags(data: AnalysisData, window: int) -> dict[str, bool]:
    ad = data.adoptions
    end = dict(zip(ad["adoption_id"], ad["end_fy"], strict=True))
    flags = {a: False for a in ad["adoption_id"]}
    ev = data.events[data.events["kind"].isin(REGIONAL_EVENT_KINDS)]
    for a, fy in zip(ev["adoption_id"], ev["fy"], strict=True):
        if a not in flags:
            continue
        e = end[a]
        if pd.isna(fy) or pd.isna(e) or int(fy) <= int(e) + window:
            flags[a] = True
    return flags


def compute_outcomes(data: AnalysisData, window: int = 5, cutoff_fy: int | None = None) -> OutcomeResult:
    """Apply the module's outcome rules to every adoption."""
    cutoff = int(cutoff_fy if cutoff_fy is not None else data.cutoff_fy)
    gaps = _successor_gaps(data)
    regional = _regional_flags(data, window)
    rows = []
    counts: dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    for a, e in zip(data.adoptions["adoption_id"], data.adoptions["end_fy"], strict=True):
        g = gaps[a]
        reasons: list[str] = []
        known_gaps = [x for x in g if not np.isnan(x)]
        has_within = any(x <= window for x in known_gaps) or any(np.isnan(x) for x in g)
        succ: float
        reg: float
        if pd.isna(e):
            succ = reg = np.nan
            reasons.append("no_end_fy")
            count("successor:no_end_fy")
            count("regional:no_end_fy")
            t, ev = np.nan, np.nan
            count("time_to_successor:no_end_fy")
        else:
            e = int(e)
            closed = e + window <= cutoff
            if has_within:
                succ = 1.0
            elif closed:
                succ = 0.0
            else:
                succ = np.nan
                reasons.append("successor:window_open")
                count("successor:window_open")
            if regional[a]:
                reg = 1.0
            elif closed:
                reg = 0.0
            else:
                reg = np.nan
                reasons.append("regional:window_open")
                count("regional:window_open")
            if e > cutoff:
                t, ev = np.nan, np.nan
                reasons.append("time_to_successor:ongoing")
                count("time_to_successor:ongoing")
            elif known_gaps:
                first = min(known_gaps)
                if e + first <= cutoff:
                    t, ev = max(first, 0.0), 1.0
                else:
                    t, ev = float(cutoff - e), 0.0
            elif g:
                t, ev = np.nan, np.nan
                reasons.append("time_to_successor:successor_time_unknown")
                count("time_to_successor:successor_time_unknown")
            else:
                t, ev = float(cutoff - e), 0.0
        rows.append((a, succ, reg, t, ev, "; ".join(reasons)))
    summary = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
    for col in ("successor", "regional", "time_to_successor", "event"):
        summary[col] = summary[col].astype("float64")
    warnings: list[Message] = []
    if len(summary) and summary["successor"].notna().sum() == 0:
        warnings.append(msg("factors.successor_unknown_everywhere"))
    return OutcomeResult(
        summary=summary,
        exclusions=dict(sorted(counts.items())),
        window=window,
        cutoff_fy=cutoff,
        warnings=warnings,
    )
