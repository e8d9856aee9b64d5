"""Benjamini–Hochberg (exploratory rows) and Holm (the two confirmatory hypotheses) adjustment,
both by statsmodels ``multipletests``.

NaN p-values (untestable factors) are left NaN and do not count towards the number of tests.
"""

from __future__ import annotations

import numpy as np


def bh_adjust(p_values: list[float] | np.ndarray) -> np.ndarray:
    """BH-adjusted p-values, same order as the input, NaN kept as NaN."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype="float64")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out


def holm_adjust(p_values: list[float] | np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values (family-wise error), same order as the input, NaN kept as NaN."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype="float64")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out
