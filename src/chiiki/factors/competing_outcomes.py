"""Competing outcomes: what happens first after a programme ends — a successor in another
program, the next stage of the same program, regional continuation, or ending.

These outcomes exclude each other as *first* outcomes, so a Kaplan–Meier curve of one of
them (the others treated as censoring) overstates its chance; the Aalen–Johansen cumulative
incidence does not. Causes and times come from :mod:`chiiki.factors.outcomes`
(``first_cause``, ``first_time``); the cumulative incidence is shown overall and by the level
of each hypothesis factor, and a cause-specific Cox model (stratified by program family,
clustered by hub) gives the hazard ratio of the successor cause for the H1 factor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from chiiki.factors.labels import factor_label
from chiiki.factors.outcomes import CAUSES
from chiiki.i18n import Message, msg

if TYPE_CHECKING:
    from chiiki.factors.analysis import AnalysisParams


def competing_outcomes(merged: pd.DataFrame, p: AnalysisParams) -> dict[str, Any]:
    """``cif`` (group, cause, time, cif, variance), ``counts`` per cause, ``cause_specific`` rows."""
    from chiiki.factors.methods.competing import cause_specific_cox, cumulative_incidence
    from chiiki.factors.verdicts import HYPOTHESES

    warnings: list[Message] = []
    sub = merged[merged["first_cause"].notna() & merged["first_time"].notna()]
    counts = {CAUSES.get(int(c), "censored"): int(n) for c, n in sub["first_cause"].value_counts().sort_index().items()}
    frames = []
    if len(sub):
        overall = cumulative_incidence(sub["first_time"].to_numpy(), sub["first_cause"].astype(int).to_numpy())
        overall["group"] = "all"
        overall["factor"] = None
        frames.append(overall)
    for h in HYPOTHESES.values():
        f = h["factor"]
        g = sub[sub[f].notna()] if f in sub else sub.iloc[0:0]
        if g[f].nunique() < 2 if len(g) else True:
            warnings.append(msg("factors.cif_not_split", "info", factor=factor_label(f).to_dict()))
            continue
        by = cumulative_incidence(
            g["first_time"].to_numpy(), g["first_cause"].astype(int).to_numpy(), g[f].astype(int).astype(str).to_numpy()
        )
        by["factor"] = f
        frames.append(by)
    frames = [fr for fr in frames if len(fr)]
    cif = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(cif):
        cif["cause_name"] = cif["cause"].map(lambda c: CAUSES.get(int(c), "censored"))
    cs_rows: list[dict[str, Any]] = []
    f = HYPOTHESES["H1"]["factor"]
    g = sub[sub[f].notna()] if f in sub else sub.iloc[0:0]
    n_cause = int((g["first_cause"] == 1).sum()) if len(g) else 0
    if len(g) >= p.min_n and g[f].nunique() == 2 and n_cause >= p.min_events:
        res = cause_specific_cox(
            g["first_time"].to_numpy(),
            g["first_cause"].astype(int).to_numpy(),
            pd.DataFrame({f: g[f].astype("float64").to_numpy()}),
            cause_of_interest=1,
            strata=g["program_family"].reset_index(drop=True),
            cluster=g["cluster"].reset_index(drop=True),
            alpha=p.alpha,
        )
        r = res.summary.set_index("term").loc[f]
        cs_rows.append(
            {
                "factor": f,
                "cause": "successor",
                "hazard_ratio": float(r["hazard_ratio"]),
                "ci_low": float(r["ci_low"]),
                "ci_high": float(r["ci_high"]),
                "p_value": float(r["p_value"]),
                "n": int(res.n),
                "n_events": int(res.n_events),
                "warnings": [w.to_dict() for w in res.warnings],
            }
        )
    else:
        warnings.append(
            msg("factors.cause_specific_too_few", "info", factor=factor_label(f).to_dict(), n=len(g), n_events=n_cause)
        )
    return {
        "counts": counts,
        "cif": cif,
        "cause_specific": pd.DataFrame(cs_rows),
        "n": len(sub),
        "warnings": [w.to_dict() for w in warnings],
        "cif_at_window": _at(cif, float(p.successor_window_years)),
    }


def _at(cif: pd.DataFrame, t: float) -> pd.DataFrame:
    """The cumulative incidence of each cause and group at time ``t`` (last step ≤ t)."""
    if not len(cif):
        return pd.DataFrame()
    rows = []
    for (factor, group, cause), g in cif.groupby(["factor", "group", "cause"], dropna=False, sort=True):
        g = g[g["time"] <= t].sort_values("time")
        rows.append([factor, group, cause, float(g["cif"].iloc[-1]) if len(g) else 0.0])
    out = pd.DataFrame(rows, columns=["factor", "group", "cause", "cif"])
    out["cause_name"] = out["cause"].map(lambda c: CAUSES.get(int(c), "censored"))
    return out.replace({np.nan: None})
