"""Template context for the analysis design: methods, sensitivity, competing outcomes, and the
summary's lead (what survives adjustment).

Why a section of its own: a methods reviewer reads the choices before the numbers, and every
choice the engine made is in the result (``FactorAnalysis.parameters``, ``participants``,
``exclusions``, the rows' ``n_time_order`` and warnings). This module states them in the report's
language with those values filled in; it never recomputes a statistic. It reads the result
through ``getattr`` so that an older result (no ``sensitivity``, no ``competing``) still renders,
with the parts it lacks left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from chiiki.i18n import N_, Message, msg
from chiiki.report import fmt
from chiiki.report.labels import label

# The sensitivity variants in reading order (as chiiki.factors.sensitivity.VARIANTS), with their names.
VARIANT_LABELS: dict[str, str] = {
    "crude": N_("Crude"),
    "adjusted": N_("Adjusted for family and era"),
    "clustered": N_("Hub-clustered interval"),
    "one_per_hub": N_("One selection per hub"),
    "stated_links_only": N_("Stated links only"),
    "unknown_as_absent": N_("Unknown as absent"),
}
# First outcomes of the competing-outcomes analysis (chiiki.factors.outcomes.CAUSES, 0 = censored).
CAUSE_ORDER = ("successor", "next_stage", "regional", "ended", "censored")
CAUSE_LABELS: dict[str, str] = {
    "ended": N_("Ended (nothing within the window)"),
    "censored": N_("Censored (window open at the cut-off)"),
}
GROUP_LEVELS: dict[str, str] = {"1": N_("factor present"), "0": N_("factor absent")}
SURVIVING = ("strong", "moderate")
SENSITIVITY_NOTE = N_(
    "Each cell: estimate (95% CI); p; n. The adjusted row is the primary estimate; the hub-clustered row "
    "gives its interval from whole hubs resampled (Firth and Cox: robust variance by hub). An empty cell means the "
    "variant does not apply to that outcome or could not be estimated (see the notes)."
)


def _code(m: object) -> str | None:
    if isinstance(m, Message):
        return m.code
    if isinstance(m, Mapping):
        return str(m.get("code"))
    return None


def _render(tr: Any, m: object) -> str:
    return tr.render(m) if isinstance(m, Message | Mapping) else fmt.text(m)


def primary(key_factors: pd.DataFrame | None) -> pd.DataFrame:
    """The rows grades and verdicts read (``p_family`` set); every row of an older result."""
    if key_factors is None or key_factors.empty:
        return pd.DataFrame() if key_factors is None else key_factors
    if "p_family" not in key_factors:
        return key_factors
    return key_factors[key_factors["p_family"].notna()]


def crude_rows(key_factors: pd.DataFrame | None) -> dict[tuple[str, str], pd.Series]:
    """The crude row of each (factor, outcome), for the comparison beside the primary one."""
    if key_factors is None or key_factors.empty or "analysis" not in key_factors:
        return {}
    out: dict[tuple[str, str], pd.Series] = {}
    for _, r in key_factors[key_factors["analysis"] == "crude"].iterrows():
        out.setdefault((str(r["factor"]), str(r["outcome"])), r)
    return out


def estimate_ci(estimate: object, low: object, high: object) -> str:
    """'2.31 (0.90–5.10)'; the estimate alone when it has no interval; '—' when missing."""
    if fmt.is_missing(estimate):
        return fmt.MISSING
    interval = fmt.ci(low, high)
    return fmt.num(estimate) if interval == fmt.MISSING else f"{fmt.num(estimate)} ({interval})"


def crude_text(row: pd.Series | None) -> str:
    """The crude estimate beside a primary one: 'estimate (CI), p=…'."""
    if row is None or fmt.is_missing(row.get("estimate")):
        return fmt.MISSING
    text = estimate_ci(row["estimate"], row["ci_low"], row["ci_high"])
    if not fmt.is_missing(row.get("p_value")):
        text += f", p={fmt.pvalue(row['p_value'])}"
    return text


def _g(value: object) -> str:
    """A parameter as written (2.0 -> '2', 0.05 -> '0.05'); missing as '—'."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return fmt.text(value)


def _n_ph(rows: pd.DataFrame) -> int:
    if rows.empty or "warnings" not in rows:
        return 0
    return int(sum(any(_code(w) == "factors.ph_violated" for w in ws) for ws in rows["warnings"]))


def methods_section(analysis: Any, names: Any) -> dict[str, Any] | None:
    """Every choice that shaped the numbers, one paragraph each, with the values of this run."""
    if analysis is None:
        return None
    tr = names.tr
    p = dict(getattr(analysis, "parameters", None) or {})
    kf = getattr(analysis, "key_factors", None)
    prim = primary(kf)
    exclusions = dict(getattr(analysis, "exclusions", None) or {})
    participants = dict(getattr(analysis, "participants", None) or {})
    alpha = float(p.get("alpha", 0.05))
    order: list[Message] = []
    if not prim.empty and "n_time_order" in prim:
        # one entry per factor (the count differs by outcome: its range), in the table's order
        left = prim[prim["n_time_order"] > 0]
        for factor in dict.fromkeys(left["factor"]):
            counts = left.loc[left["factor"] == factor, "n_time_order"].astype(int)
            lo, hi = int(counts.min()), int(counts.max())
            order.append(
                msg(
                    "report.methods.time_order_row",
                    "info",
                    factor=names.factor(factor),
                    n=str(lo) if lo == hi else f"{lo}–{hi}",
                )
            )
    details = tr.join([tr.render(m) for m in order]) if order else tr.render(msg("report.methods.none", "info"))
    paragraphs: list[tuple[str, Message]] = [
        (N_("Cut-off"), msg("report.methods.cutoff", "info", cutoff=fmt.text(p.get("cutoff_fy")))),
        (
            N_("Outcome window"),
            msg(
                "report.methods.window",
                "info",
                window=fmt.text(p.get("successor_window_years")),
                n_open=int(exclusions.get("successor:window_open", 0)),
            ),
        ),
        (N_("Next stage and successor"), msg("report.methods.outcomes", "info")),
        (N_("Successor links"), msg("report.methods.links", "info")),
    ]
    if participants:
        paragraphs.append(
            (
                N_("Participants: not recorded is not absent"),
                msg(
                    "report.methods.participants",
                    "info",
                    complete=int(participants.get("complete", 0)),
                    partial=int(participants.get("partial", 0)),
                    none=int(participants.get("none", 0)),
                ),
            )
        )
    adjusted = bool(p.get("adjust", True))
    paragraphs.append(
        (
            N_("Adjustment for program family and start era"),
            msg("report.methods.adjustment" if adjusted else "report.methods.crude_only", "info"),
        )
    )
    if adjusted:
        paragraphs.append(
            (
                N_("Hub clustering"),
                msg(
                    "report.methods.clustering",
                    "info",
                    bootstrap=fmt.text(p.get("bootstrap")),
                    seed=fmt.text(p.get("seed")),
                ),
            )
        )
    paragraphs += [
        (N_("Time order"), msg("report.methods.time_order", "info", details=details)),
        (
            N_("Minimum events for a p-value"),
            msg(
                "report.methods.thresholds",
                "info",
                min_n=fmt.text(p.get("min_n")),
                min_events=fmt.text(p.get("min_events")),
            ),
        ),
        (
            N_("Multiple testing and grades"),
            msg("report.methods.families", "info", alpha=f"{alpha:g}", strong=f"{alpha / 5:g}"),
        ),
        (
            N_("Hypothesis verdicts"),
            msg("report.methods.verdicts", "info", alpha=f"{alpha:g}", meaningful_or=_g(p.get("meaningful_or"))),
        ),
    ]
    if p.get("survival", True):
        paragraphs.append((N_("Proportional hazards"), msg("report.methods.ph", "info", n_ph=_n_ph(prim))))
    if p.get("competing", True) and getattr(analysis, "competing", None) is not None:
        paragraphs.append((N_("Competing outcomes"), msg("report.methods.competing", "info")))
    return {"paragraphs": [{"heading": tr.gettext(h), "text": tr.render(m)} for h, m in paragraphs]}


def _sensitivity_cell(r: pd.Series) -> str:
    if fmt.is_missing(r["estimate"]):
        return fmt.MISSING
    parts = [estimate_ci(r["estimate"], r["ci_low"], r["ci_high"])]
    if not fmt.is_missing(r["p_value"]):
        parts.append(f"p={fmt.pvalue(r['p_value'])}")
    parts.append(f"n={fmt.integer(r['n'])}")
    return "; ".join(parts)


def sensitivity_section(analysis: Any, names: Any) -> dict[str, Any] | None:
    """One table per key factor: the variants as rows, the factor's outcomes as columns."""
    frame = getattr(analysis, "sensitivity", None) if analysis is not None else None
    if not isinstance(frame, pd.DataFrame):
        return None
    tr = names.tr
    tables = []
    for factor in dict.fromkeys(frame["factor"]):
        part = frame[frame["factor"] == factor]
        outcomes = list(dict.fromkeys(part["outcome"]))
        variants = [v for v in VARIANT_LABELS if v in set(part["variant"])]
        variants += [v for v in dict.fromkeys(part["variant"]) if v not in variants]
        rows = []
        # one note per outcome and warning, naming the variants it holds for (they often share one)
        notes: dict[tuple[str, str], list[str]] = {}
        for v in variants:
            cells = [label(VARIANT_LABELS, v, tr)]
            for o in outcomes:
                hit = part[(part["variant"] == v) & (part["outcome"] == o)]
                cells.append(_sensitivity_cell(hit.iloc[0]) if len(hit) else "")
                for _, r in hit.iterrows():
                    for w in r["warnings"] or []:
                        holds = notes.setdefault((names.outcome(o), _render(tr, w)), [])
                        if label(VARIANT_LABELS, v, tr) not in holds:
                            holds.append(label(VARIANT_LABELS, v, tr))
            rows.append(cells)
        tables.append(
            {
                "factor": names.factor(factor),
                "table": {
                    "columns": [tr.gettext(N_("Variant")), *[names.outcome(o) for o in outcomes]],
                    "rows": rows,
                },
                "notes": [f"{tr.join(vs)} / {o}: {text}" for (o, text), vs in notes.items()],
            }
        )
    return {"tables": tables, "note": tr.gettext(SENSITIVITY_NOTE)}


def cause_label(cause: str, names: Any) -> str:
    if cause in CAUSE_LABELS:
        return names.tr.gettext(CAUSE_LABELS[cause])
    return names.outcome(cause)


def _group_label(factor: object, group: object, names: Any) -> str:
    tr = names.tr
    if factor is None or fmt.is_missing(factor) or group == "all":
        return tr.gettext(N_("all selections"))
    level = label(GROUP_LEVELS, str(group), tr)
    return f"{names.factor(factor)}: {level}"


def competing_section(analysis: Any, names: Any) -> dict[str, Any] | None:
    """Counts per first outcome, the cumulative incidence at the window's end by the level of
    each hypothesis factor, and the cause-specific Cox row (as the engine gives them)."""
    comp = getattr(analysis, "competing", None) if analysis is not None else None
    if not isinstance(comp, Mapping):
        return None
    tr = names.tr
    counts = dict(comp.get("counts") or {})
    total = sum(int(v) for v in counts.values())
    order = [c for c in CAUSE_ORDER if c in counts] + [c for c in counts if c not in CAUSE_ORDER]
    count_table = {
        "columns": [tr.gettext(N_("First outcome")), tr.gettext(N_("Selections"))],
        "rows": [[cause_label(c, names), fmt.share(counts[c], total)] for c in order],
    }
    at = comp.get("cif_at_window")
    cif_table = None
    if isinstance(at, pd.DataFrame) and not at.empty:
        causes = [c for c in CAUSE_ORDER if c in set(at["cause_name"]) and c != "censored"]
        rows = []
        keys = list(dict.fromkeys(zip(at["factor"], at["group"], strict=True)))
        for factor, group in keys:
            part = at[
                (at["group"] == group)
                & (at["factor"].isna() if factor is None or fmt.is_missing(factor) else at["factor"] == factor)
            ]
            cells = [_group_label(factor, group, names)]
            for c in causes:
                hit = part[part["cause_name"] == c]
                cells.append(f"{float(hit['cif'].iloc[0]):.0%}" if len(hit) else fmt.MISSING)
            rows.append(cells)
        cif_table = {"columns": [tr.gettext(N_("Group")), *[cause_label(c, names) for c in causes]], "rows": rows}
    cs = comp.get("cause_specific")
    cs_table = None
    if isinstance(cs, pd.DataFrame) and not cs.empty:
        cs_table = {
            "columns": [
                tr.gettext(N_("Factor")),
                tr.gettext(N_("First outcome")),
                tr.gettext(N_("Hazard ratio (95% CI)")),
                tr.gettext(N_("p")),
                tr.gettext(N_("n (events)")),
                tr.gettext(N_("Warnings")),
            ],
            "rows": [
                [
                    names.factor(r["factor"]),
                    cause_label(str(r["cause"]), names),
                    estimate_ci(r["hazard_ratio"], r["ci_low"], r["ci_high"]),
                    fmt.pvalue(r["p_value"]),
                    f"{fmt.integer(r['n'])} ({fmt.integer(r['n_events'])})",
                    "; ".join(_render(tr, w) for w in (r.get("warnings") or [])) or fmt.MISSING,
                ]
                for _, r in cs.iterrows()
            ],
        }
    p = dict(getattr(analysis, "parameters", None) or {})
    return {
        "n": fmt.integer(comp.get("n")),
        "window": fmt.text(p.get("successor_window_years")),
        "counts": count_table if count_table["rows"] else None,
        "cif": cif_table,
        "cause_specific": cs_table,
        "warnings": [_render(tr, w) for w in (comp.get("warnings") or [])],
    }


def competing_frames(analysis: Any) -> dict[str, pd.DataFrame]:
    """The competing-outcomes frames for the workbook (cumulative incidence curves and the
    cause-specific rows); empty frames when the engine did not run them."""
    comp = getattr(analysis, "competing", None) if analysis is not None else None
    out = {"cif": pd.DataFrame(), "cause_specific": pd.DataFrame()}
    if isinstance(comp, Mapping):
        for key in out:
            value = comp.get(key)
            if isinstance(value, pd.DataFrame):
                out[key] = value
    return out


def _evidence(r: pd.Series, tr: Any) -> str:
    if "evidence_label" in r and r["evidence_label"] is not None:
        return _render(tr, r["evidence_label"])
    return fmt.text(r.get("evidence"))


def survivors(key_factors: pd.DataFrame | None, names: Any, alpha: float = 0.05, limit: int = 8) -> dict[str, Any]:
    """The summary's lead: primary rows graded strong or moderate (what survives adjustment),
    and the crude associations (p < alpha) whose primary row does not — said plainly when none
    survives."""
    tr = names.tr
    prim = primary(key_factors)
    if prim is None or prim.empty or "evidence" not in prim:
        return {"lines": [], "none": None, "lost": []}
    crude = crude_rows(key_factors)
    keep = prim[prim["evidence"].isin(SURVIVING)].sort_values(["p_adjusted", "p_value"], na_position="last")
    lines = []
    for _, r in keep.head(limit).iterrows():
        lines.append(
            tr.render(
                msg(
                    "report.survives",
                    "info",
                    factor=names.factor(r["factor"]),
                    outcome=names.outcome(r["outcome"]),
                    estimate=fmt.num(r["estimate"]),
                    ci=fmt.ci(r["ci_low"], r["ci_high"]),
                    cluster_ci=fmt.ci(r.get("cluster_ci_low"), r.get("cluster_ci_high")),
                    p_adjusted=fmt.pvalue(r["p_adjusted"]),
                    crude=crude_text(crude.get((str(r["factor"]), str(r["outcome"])))),
                    evidence=_evidence(r, tr),
                    n=fmt.integer(r["n"]),
                    events=fmt.integer(r.get("n_events")),
                )
            )
        )
    lost = []
    surviving = set(zip(keep["factor"], keep["outcome"], strict=True))
    by_key = {(str(r["factor"]), str(r["outcome"])): r for _, r in prim.iterrows()}
    lost_rows = [
        (k, c)
        for k, c in crude.items()
        if k not in surviving
        and not fmt.is_missing(c["p_value"])
        and float(c["p_value"]) < alpha
        and k in by_key
        and by_key[k].get("analysis") == "adjusted"
    ]
    lost_rows.sort(key=lambda kc: float(kc[1]["p_value"]))
    for (factor, outcome), c in lost_rows[:limit]:
        r = by_key[(factor, outcome)]
        lost.append(
            tr.render(
                msg(
                    "report.not_surviving",
                    "info",
                    factor=names.factor(factor),
                    outcome=names.outcome(outcome),
                    crude=estimate_ci(c["estimate"], c["ci_low"], c["ci_high"]),
                    p=fmt.pvalue(c["p_value"]),
                    estimate=fmt.num(r["estimate"]),
                    ci=fmt.ci(r["ci_low"], r["ci_high"]),
                    evidence=_evidence(r, tr),
                )
            )
        )
    none = None if lines else tr.render(msg("report.survives_none", "info"))
    return {"lines": lines, "none": none, "lost": lost}
