"""One adoption per hub: the blunt sensitivity check that counts no hub twice.

Why: adoptions of one hub share its region, people and partners, so their outcomes are not
independent. The clustered intervals handle that in the primary rows (the hub bootstrap of
:func:`chiiki.factors.rows.mh_hub_bootstrap`, sandwich and robust Cox variances); this keeps
the first adoption of every hub so a reader sees the estimate without any repeated hub.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _cluster_ids(frame: pd.DataFrame, cluster_col: str) -> np.ndarray:
    """Cluster labels; a row without one is its own cluster."""
    col = frame[cluster_col].astype("object")
    return np.array(
        [str(c) if c is not None and not pd.isna(c) else f"__row{i}" for i, c in enumerate(col)], dtype=object
    )


def one_per_cluster(frame: pd.DataFrame, cluster_col: str, order_cols: list[str]) -> pd.DataFrame:
    """The first row of every cluster by ``order_cols`` (deterministic); a row without a
    cluster is its own cluster."""
    ordered = frame.assign(_cluster=_cluster_ids(frame, cluster_col)).sort_values(
        [*order_cols], kind="mergesort", na_position="last"
    )
    return ordered.drop_duplicates("_cluster", keep="first").drop(columns="_cluster").sort_index()
