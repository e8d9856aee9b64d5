"""Hub-level bootstrap and one adoption per hub (worked by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.cluster import cluster_bootstrap, one_per_cluster


def test_whole_clusters_are_resampled() -> None:
    # two hubs of 3 identical rows each: a resample holds a multiple of 3 rows of one value
    frame = pd.DataFrame({"hub": ["a"] * 3 + ["b"] * 3, "v": [1.0] * 3 + [2.0] * 3})
    sizes: list[int] = []

    def stat(b: pd.DataFrame) -> float:
        sizes.append(len(b))
        assert b.groupby("hub")["v"].nunique().eq(1).all()
        return float(b["v"].mean())

    res = cluster_bootstrap(frame, "hub", stat, n_boot=50, seed=1)
    assert set(sizes) == {6} and res.n_clusters == 2 and res.n_ok == 50
    assert 1.0 <= res.ci_low <= res.median <= res.ci_high <= 2.0
    # the three possible means: 1, 1.5, 2 — the percentile interval spans them
    assert res.ci_low == 1.0 and res.ci_high == 2.0


def test_failed_resamples_are_counted_and_rows_without_a_hub_stand_alone() -> None:
    frame = pd.DataFrame({"hub": [None, None, "c"], "v": [0.0, 1.0, 1.0]})
    res = cluster_bootstrap(frame, "hub", lambda b: math.inf if b["v"].sum() == 0 else 1.0, n_boot=40, seed=0)
    assert res.n_clusters == 3 and res.n_ok < 40 and res.n_boot == 40


def test_one_per_cluster_keeps_the_first_by_order() -> None:
    frame = pd.DataFrame(
        {"adoption_id": ["x2", "x1", "y1", "z"], "hub": ["h", "h", "k", None], "start_fy": [2010, 2005, 2008, np.nan]}
    )
    kept = one_per_cluster(frame, "hub", ["start_fy", "adoption_id"])
    assert sorted(kept["adoption_id"]) == ["x1", "y1", "z"]


def test_vectorized_mh_hub_bootstrap_equals_the_general_one() -> None:
    """rows.mh_hub_bootstrap draws the same resamples as a loop over hubs would, and its MH
    estimate equals stratified.mantel_haenszel's on each resample."""
    from chiiki.factors.methods.stratified import mantel_haenszel
    from chiiki.factors.rows import mh_hub_bootstrap, strata_labels

    rng = np.random.default_rng(3)
    n = 120
    sub = pd.DataFrame(
        {
            "f": (rng.random(n) < 0.5).astype(float),
            "y": (rng.random(n) < 0.4).astype(float),
            "program_family": rng.choice(["A", "B"], n),
            "start_era": rng.choice(["2002-2006", "2007-2011"], n),
            "cluster": [f"hub:{i // 2}" for i in range(n)],
        }
    )
    lo, hi, n_ok = mh_hub_bootstrap(sub, "f", "y", 30, 5, 0.05)
    # the reference: the same draws, looped
    labels, inverse = np.unique(sub["cluster"].to_numpy().astype(str), return_inverse=True)
    draws = np.random.default_rng(5).integers(0, len(labels), (30, len(labels)))
    ests = []
    for row in draws:
        idx = np.concatenate([np.flatnonzero(inverse == k) for k in row])
        b = sub.iloc[idx]
        r = mantel_haenszel(b["f"].to_numpy(), b["y"].to_numpy(), strata_labels(b).to_numpy())
        if np.isfinite(r.estimate) and r.estimate > 0:
            ests.append(r.estimate)
    assert n_ok == len(ests)
    ref_lo, ref_hi = np.quantile(ests, [0.025, 0.975])
    assert (lo, hi) == (pytest.approx(ref_lo, rel=1e-10), pytest.approx(ref_hi, rel=1e-10))
