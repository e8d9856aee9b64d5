"""Hubs as clusters: a bootstrap that resamples whole hubs, and one adoption per hub.

Why: adoptions of one hub share its region, people and partners, so their outcomes are not
independent; a bootstrap over adoptions would understate the uncertainty. Resampling whole
hubs with replacement (the cluster bootstrap, Davison & Hinkley 1997 §3.8) keeps the dependence
inside each resample. ``one_per_cluster`` is the blunt sensitivity check: no hub counted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class BootstrapResult:
    """Percentile interval over the resamples whose statistic was finite (``n_ok`` of ``n_boot``)."""

    median: float
    ci_low: float
    ci_high: float
    n_ok: int
    n_boot: int
    n_clusters: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        from chiiki.serialize import plain

        return plain(self.__dict__)


def _cluster_ids(frame: pd.DataFrame, cluster_col: str) -> np.ndarray:
    """Cluster labels; a row without one is its own cluster."""
    col = frame[cluster_col].astype("object")
    return np.array(
        [str(c) if c is not None and not pd.isna(c) else f"__row{i}" for i, c in enumerate(col)], dtype=object
    )


def cluster_bootstrap(
    frame: pd.DataFrame,
    cluster_col: str,
    statistic: Callable[[pd.DataFrame], float],
    n_boot: int = 200,
    seed: int = 0,
    alpha: float = 0.05,
) -> BootstrapResult:
    """Resample whole clusters with replacement ``n_boot`` times (seeded) and summarize
    ``statistic`` by its median and ``alpha/2``/``1 − alpha/2`` percentiles. Resamples whose
    statistic is NaN or infinite are counted as failed (``n_boot − n_ok``)."""
    ids = _cluster_ids(frame, cluster_col)
    labels, inverse = np.unique(ids, return_inverse=True)
    members = [np.flatnonzero(inverse == k) for k in range(len(labels))]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(labels), len(labels))
        rows = np.concatenate([members[k] for k in pick]) if len(pick) else np.array([], dtype=int)
        v = float(statistic(frame.iloc[rows]))
        if np.isfinite(v):
            values.append(v)
    arr = np.asarray(values)
    if len(arr):
        lo, med, hi = (float(q) for q in np.quantile(arr, [alpha / 2, 0.5, 1 - alpha / 2]))
    else:
        lo = med = hi = float("nan")
    return BootstrapResult(med, lo, hi, len(arr), n_boot, len(labels), seed)


def one_per_cluster(frame: pd.DataFrame, cluster_col: str, order_cols: list[str]) -> pd.DataFrame:
    """The first row of every cluster by ``order_cols`` (deterministic); a row without a
    cluster is its own cluster."""
    ordered = frame.assign(_cluster=_cluster_ids(frame, cluster_col)).sort_values(
        [*order_cols], kind="mergesort", na_position="last"
    )
    return ordered.drop_duplicates("_cluster", keep="first").drop(columns="_cluster").sort_index()
