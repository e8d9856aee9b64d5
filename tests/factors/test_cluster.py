"""One adoption per hub, and the vectorized hub bootstrap against a loop over hubs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chiiki.factors.methods.cluster import one_per_cluster


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
