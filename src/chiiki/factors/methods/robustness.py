"""Robustness of one factor's odds ratio: leave-one-program-family-out and bootstrap.

Why: program families differ in era, size and how well they are documented; an association
driven by one family (e.g. all grades come from ECO) should be visible as such. The bootstrap
uses Firth's estimate because resamples often separate the outcome (ordinary ML would give
infinite odds ratios and a meaningless percentile interval). Resampling is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chiiki.i18n import Message, msg

LOFO_ALL = "(none)"  # the ``left_out`` marker of the first LOFO row: nothing left out, all data
LOFO_COLUMNS = ["left_out", "estimate", "ci_low", "ci_high", "p_value", "n"]


@dataclass
class RobustnessResult:
    """``.summary``: leave-one-family-out rows; ``.bootstrap``: one-row bootstrap summary."""

    factor: str
    outcome: str
    summary: pd.DataFrame
    bootstrap: pd.DataFrame
    n: int
    warnings: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON data: both frames as ``{"columns", "rows"}`` (the first LOFO row, ``left_out``
        ``"(none)"``, is the estimate on all data)."""
        from chiiki.serialize import frame_records

        return {
            "factor": self.factor,
            "outcome": self.outcome,
            "n": self.n,
            "summary": frame_records(self.summary),
            "bootstrap": frame_records(self.bootstrap),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _estimate(x: np.ndarray, y: np.ndarray, binary: bool, alpha: float) -> list[float]:
    from chiiki.factors.methods.firth import firth_univariable
    from chiiki.factors.methods.fisher import fisher_test

    if binary:
        s = fisher_test(x, y, alpha=alpha).summary.iloc[0]
        return [s["estimate"], s["ci_low"], s["ci_high"], s["p_value"]]
    r = firth_univariable(x, y, alpha=alpha, name="x", detect=False).row("x")
    return [r["odds_ratio"], r["ci_low"], r["ci_high"], r["p_value"]]


def leave_one_family_out(x: object, y: object, family: object, binary: bool, alpha: float = 0.05) -> pd.DataFrame:
    """Re-estimate with each program family left out in turn (first row: all data)."""
    df = pd.DataFrame(
        {
            "x": np.asarray(x, dtype="float64"),
            "y": np.asarray(y, dtype="float64"),
            "family": np.asarray(family, dtype="object"),
        }
    ).dropna()
    rows = [[LOFO_ALL, *_estimate(df["x"].to_numpy(), df["y"].to_numpy(), binary, alpha), len(df)]]
    for fam in sorted(df["family"].unique()):
        sub = df[df["family"] != fam]
        if sub["x"].nunique() < 2 or sub["y"].nunique() < 2:
            rows.append([fam, np.nan, np.nan, np.nan, np.nan, len(sub)])
            continue
        rows.append([fam, *_estimate(sub["x"].to_numpy(), sub["y"].to_numpy(), binary, alpha), len(sub)])
    return pd.DataFrame(rows, columns=LOFO_COLUMNS)


def firth_or_binary(x: np.ndarray, y: np.ndarray) -> float:
    """Firth's odds ratio for one *binary* covariate in closed form.

    With an intercept and one binary covariate the model is saturated and Firth's estimate
    equals the Haldane–Anscombe odds ratio (each 2×2 cell + 0.5); checked against
    ``firthmodels`` in the tests. Used to make the bootstrap fast.
    """
    xb, yb = x > 0.5, y > 0.5
    a, b = np.sum(xb & yb) + 0.5, np.sum(xb & ~yb) + 0.5
    c, d = np.sum(~xb & yb) + 0.5, np.sum(~xb & ~yb) + 0.5
    return float(a * d / (b * c))


def bootstrap_odds_ratio(x: object, y: object, n_boot: int = 200, seed: int = 0, alpha: float = 0.05) -> pd.DataFrame:
    """Percentile interval of Firth's odds ratio over ``n_boot`` seeded resamples."""
    from chiiki.factors.methods.firth import firth_univariable

    df = pd.DataFrame({"x": np.asarray(x, dtype="float64"), "y": np.asarray(y, dtype="float64")}).dropna()
    rng = np.random.default_rng(seed)
    xs, ys = df["x"].to_numpy(), df["y"].to_numpy()
    binary = set(np.unique(xs)) <= {0.0, 1.0}
    est = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(df), len(df))
        bx, by = xs[idx], ys[idx]
        if len(np.unique(bx)) < 2 or len(np.unique(by)) < 2:
            continue
        if binary:
            est.append(firth_or_binary(bx, by))
            continue
        r = firth_univariable(bx, by, profile=False, detect=False)
        est.append(float(r.row("x")["odds_ratio"]))
    arr = np.asarray(est)
    if len(arr):
        lo, med, hi = np.quantile(arr, [alpha / 2, 0.5, 1 - alpha / 2])
        above = float(np.mean(arr > 1))
    else:
        lo = med = hi = above = np.nan
    return pd.DataFrame(
        [[med, lo, hi, above, len(arr), n_boot, seed]],
        columns=["boot_median", "boot_ci_low", "boot_ci_high", "share_above_1", "n_ok", "n_boot", "seed"],
    )


def robustness(
    x: object,
    y: object,
    family: object,
    factor: str,
    outcome: str,
    binary: bool,
    n_boot: int = 200,
    seed: int = 0,
    alpha: float = 0.05,
) -> RobustnessResult:
    """Both checks for one factor and outcome."""
    lofo = leave_one_family_out(x, y, family, binary, alpha)
    boot = bootstrap_odds_ratio(x, y, n_boot, seed, alpha) if n_boot > 0 else pd.DataFrame()
    warnings: list[Message] = []
    if len(boot) and boot["n_ok"].iloc[0] < n_boot:
        warnings.append(msg("factors.bootstrap_skipped", n=n_boot - int(boot["n_ok"].iloc[0])))
    return RobustnessResult(
        factor=factor, outcome=outcome, summary=lofo, bootstrap=boot, n=int(lofo["n"].iloc[0]), warnings=warnings
    )
