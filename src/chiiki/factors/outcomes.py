"""Outcomes per adoption, as of the cut-off FY: successor, next stage, regional continuation,
time to successor, and the competing first outcome.

Rules (kept here, in one place, because every number in the report depends on them):

**As of the cut-off.** Nothing after the cut-off FY is seen: an adoption that starts after it
is not in the analysis (``not_started``); a successor adoption that starts after it, an event
whose FY is after it, does not exist for the analysis. A successor or event whose FY is unknown
can only be placed "some time up to now", so it is seen only when the cut-off is the latest FY
in the data; with an earlier cut-off it is ignored and counted (``factors.undated_ignored``).

**Successor candidates** of adoption *a* are the targets of lineage links from *a* (basis
stated, manual or rule) and the other adoptions of *a*'s hub that start after *a* starts and
end after it ends (a parallel adoption that ends first is not a successor), plus
``successor_adoption`` events. Each candidate is classed by program family:

- **next stage** (``next_stage``): a later adoption in the *same program family* — a designed
  next stage of one scheme (知的クラスター第I期 → 第II期 chose its regions from stage I), which
  is not the same outcome as winning another program;
- **successor** (``successor``): an adoption in *another* family, or a ``successor_adoption``
  event (an event names no program, so it counts as another program).

The binary outcome is 1 when such a candidate starts within ``window`` FY after the end FY
(an overlapping one, starting before the end, counts and is flagged ``successor_overlap``).
``successor_stated`` is the same outcome from stated and manual links only (no rule links, no
hub co-membership): the sensitivity run that does not trust the lineage rules.

**regional** = 1 when a ``regional_budget`` or ``hub_organization`` event falls within the
window (FY no later than end FY + window).

**Inclusion never looks at the outcome.** A binary outcome is known only when the whole window
is observed (end FY + window ≤ cut-off); otherwise it is excluded (``window_open``) for every
adoption alike, with or without a successor. In the time-to-event analysis the same adoptions
are kept and censored at the cut-off.

**time to successor** in years from end FY to the first successor in another program (clipped
at 0), right-censored at ``cutoff − end FY``; ``ongoing`` (end FY after the cut-off) is excluded.

**Competing first outcome** (``first_cause``/``first_time``, within the window): 1 successor in
another program, 2 next stage, 3 regional continuation, 4 ending (nothing within the window:
the time is the window's end); 0 = censored at the cut-off before the window closed. Ties in
FY go to the lower cause number (a successor beats a next stage beats regional continuation).

An outcome that cannot be known is *excluded*, never coded 0, and counted with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chiiki.factors.data import AnalysisData, default_cutoff_fy
from chiiki.i18n import Message, msg

REGIONAL_EVENT_KINDS = ("regional_budget", "hub_organization")
STATED_BASES = ("stated", "manual")
BINARY_OUTCOMES = ("successor", "next_stage", "regional")
SENSITIVITY_OUTCOMES = ("successor_stated",)
CAUSES = {1: "successor", 2: "next_stage", 3: "regional", 4: "ended"}
OUTCOME_COLUMNS = [
    "adoption_id",
    "successor",
    "next_stage",
    "regional",
    "successor_stated",
    "successor_overlap",
    "successor_fy",
    "outcome_fy",
    "time_to_successor",
    "event",
    "first_cause",
    "first_time",
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


@dataclass(frozen=True)
class _Candidate:
    gap: float  # start FY of the successor − own end FY; NaN when unknown
    fy: float  # start FY of the successor; NaN when unknown
    kind: str  # "successor" (another family) or "next_stage"
    stated: bool  # from a stated or manual link


def _fy(v: object) -> float:
    return np.nan if v is None or pd.isna(v) else float(int(v))  # type: ignore[call-overload]


def _candidates(data: AnalysisData, cutoff: int, undated_seen: bool) -> tuple[dict[str, list[_Candidate]], int]:
    """Successor candidates per adoption, as of the cut-off; and how many undated were ignored."""
    ad = data.adoptions
    start = dict(zip(ad["adoption_id"], ad["start_fy"], strict=True))
    end = dict(zip(ad["adoption_id"], ad["end_fy"], strict=True))
    family = dict(zip(ad["adoption_id"], ad["program_family"], strict=True))
    targets: dict[str, dict[str, bool]] = {a: {} for a in ad["adoption_id"]}  # target -> stated?

    for f, t, basis in zip(
        data.links["from_adoption_id"], data.links["to_adoption_id"], data.links["basis"], strict=True
    ):
        if f in targets and t in start and t != f:
            targets[f][t] = targets[f].get(t, False) or basis in STATED_BASES

    hubbed = ad[ad["hub_id"].notna() & ad["start_fy"].notna()]
    for _, group in hubbed.groupby("hub_id"):
        if len(group) < 2:
            continue
        ids = group["adoption_id"].tolist()
        starts = group["start_fy"].astype(int).tolist()
        ends: list[int | None] = [None if pd.isna(e) else int(e) for e in group["end_fy"]]
        for i, a in enumerate(ids):
            for j, b in enumerate(ids):
                end_i, end_j = ends[i], ends[j]
                outlasts = end_i is None or end_j is None or end_j > end_i
                if starts[j] > starts[i] and outlasts:
                    targets[a].setdefault(b, False)

    ignored = 0
    out: dict[str, list[_Candidate]] = {a: [] for a in ad["adoption_id"]}
    for a, tg in targets.items():
        e = _fy(end[a])
        for b, stated in tg.items():
            sb = _fy(start[b])
            if np.isnan(sb):
                if not undated_seen:
                    ignored += 1
                    continue
            elif sb > cutoff:
                continue
            same = family[a] is not None and family[a] == family[b]
            out[a].append(_Candidate(sb - e, sb, "next_stage" if same else "successor", stated))

    ev = data.events[data.events["kind"] == "successor_adoption"]
    for a, fy in zip(ev["adoption_id"], ev["fy"], strict=True):
        if a not in out:
            continue
        f = _fy(fy)
        if np.isnan(f):
            if not undated_seen:
                ignored += 1
                continue
        elif f > cutoff:
            continue
        out[a].append(_Candidate(f - _fy(end[a]), f, "successor", True))
    return out, ignored


def _regional_fys(data: AnalysisData, cutoff: int, undated_seen: bool) -> tuple[dict[str, list[float]], int]:
    """FYs of regional-continuation events per adoption, as of the cut-off (NaN = undated)."""
    out: dict[str, list[float]] = {a: [] for a in data.adoptions["adoption_id"]}
    ignored = 0
    ev = data.events[data.events["kind"].isin(REGIONAL_EVENT_KINDS)]
    for a, fy in zip(ev["adoption_id"], ev["fy"], strict=True):
        if a not in out:
            continue
        f = _fy(fy)
        if np.isnan(f) and not undated_seen:
            ignored += 1
            continue
        if not np.isnan(f) and f > cutoff:
            continue
        out[a].append(f)
    return out, ignored


def _within(gaps: list[float], window: int) -> bool:
    """Any candidate within the window; an undated one counts (the record says it happened)."""
    return any(np.isnan(g) or g <= window for g in gaps)


def compute_outcomes(data: AnalysisData, window: int = 5, cutoff_fy: int | None = None) -> OutcomeResult:
    """Apply the module's outcome rules to every adoption."""
    cutoff = int(cutoff_fy if cutoff_fy is not None else data.cutoff_fy)
    undated_seen = cutoff >= default_cutoff_fy(data.adoptions, data.events)
    cands, ignored_c = _candidates(data, cutoff, undated_seen)
    regional, ignored_r = _regional_fys(data, cutoff, undated_seen)
    rows = []
    counts: dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    nan = np.nan
    ad = data.adoptions
    for a, s, e in zip(ad["adoption_id"], ad["start_fy"], ad["end_fy"], strict=True):
        reasons: list[str] = []
        if not pd.isna(s) and int(s) > cutoff:
            count("all:not_started")
            rows.append((a, *([nan] * 11), "not_started"))
            continue
        if pd.isna(e):
            for o in (*BINARY_OUTCOMES, "time_to_successor"):
                count(f"{o}:no_end_fy")
            rows.append((a, *([nan] * 11), "no_end_fy"))
            continue
        e = int(e)
        cs = cands[a]
        succ_gaps = [c.gap for c in cs if c.kind == "successor"]
        next_gaps = [c.gap for c in cs if c.kind == "next_stage"]
        stated_gaps = [c.gap for c in cs if c.stated]
        reg_gaps = [f - e for f in regional[a]]
        closed = e + window <= cutoff
        values: dict[str, float] = {}
        for name, gaps in (
            ("successor", succ_gaps),
            ("next_stage", next_gaps),
            ("regional", reg_gaps),
            ("successor_stated", stated_gaps),
        ):
            if closed:
                values[name] = 1.0 if _within(gaps, window) else 0.0
            else:
                values[name] = nan
                if name in BINARY_OUTCOMES:
                    reasons.append(f"{name}:window_open")
                    count(f"{name}:window_open")
        known_succ = [g for g in succ_gaps if not np.isnan(g)]
        overlap = 1.0 if any(g <= 0 for g in known_succ + [g for g in next_gaps if not np.isnan(g)]) else 0.0
        first_fy = min((c.fy for c in cs if c.kind == "successor" and not np.isnan(c.fy)), default=nan)
        # time to successor (another program)
        if e > cutoff:
            t, ev = nan, nan
            reasons.append("time_to_successor:ongoing")
            count("time_to_successor:ongoing")
        elif known_succ:
            t, ev = max(min(known_succ), 0.0), 1.0
        elif succ_gaps:
            t, ev = nan, nan
            reasons.append("time_to_successor:successor_time_unknown")
            count("time_to_successor:successor_time_unknown")
        else:
            t, ev = float(cutoff - e), 0.0
        cause, ctime = _first_outcome(succ_gaps, next_gaps, reg_gaps, window, cutoff - e)
        if np.isnan(cause):
            count("competing:time_unknown")
        outcome_fy = nan
        known_all = [g for g in succ_gaps + next_gaps + reg_gaps if not np.isnan(g)]
        if known_all:
            outcome_fy = float(e + min(known_all))
        rows.append(
            (
                a,
                values["successor"],
                values["next_stage"],
                values["regional"],
                values["successor_stated"],
                overlap,
                first_fy,
                outcome_fy,
                t,
                ev,
                cause,
                ctime,
                "; ".join(reasons),
            )
        )
    summary = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
    for col in OUTCOME_COLUMNS[1:-1]:
        summary[col] = summary[col].astype("float64")
    warnings: list[Message] = []
    if len(summary) and summary["successor"].notna().sum() == 0:
        warnings.append(msg("factors.successor_unknown_everywhere"))
    if ignored_c + ignored_r:
        warnings.append(msg("factors.undated_ignored", n=ignored_c + ignored_r, cutoff=cutoff))
    n_overlap = int((summary["successor_overlap"] == 1).sum())
    if n_overlap:
        warnings.append(msg("factors.successor_overlaps", "info", n=n_overlap))
    return OutcomeResult(
        summary=summary,
        exclusions=dict(sorted(counts.items())),
        window=window,
        cutoff_fy=cutoff,
        warnings=warnings,
    )


def _first_outcome(
    succ: list[float], nxt: list[float], reg: list[float], window: int, observed: int
) -> tuple[float, float]:
    """(cause, time) of the first outcome within the window; (0, observed) when censored first;
    NaN when an outcome is recorded without a date and nothing dated comes first."""
    best: tuple[float, int] | None = None
    undated = False
    for cause, gaps in ((1, succ), (2, nxt), (3, reg)):
        for g in gaps:
            if np.isnan(g):
                undated = True
                continue
            if g <= window and g <= observed:
                cand = (max(g, 0.0), cause)
                if best is None or cand < best:
                    best = cand
    if best is not None:
        return float(best[1]), float(best[0])
    if undated:
        return np.nan, np.nan
    if observed >= window:
        return 4.0, float(window)
    return 0.0, float(max(observed, 0))
