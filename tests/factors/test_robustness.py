"""Leave-one-family-out and seeded bootstrap."""

from __future__ import annotations

import numpy as np

from chiiki.factors.methods.robustness import robustness


def _data(seed: int = 0, n: int = 200):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = (rng.random(n) < 0.4).astype(float)
    y = (rng.random(n) < np.where(x == 1, 0.6, 0.2)).astype(float)
    fam = rng.choice(["A", "B", "C"], n)
    return x, y, fam


def test_leave_one_family_out_rows() -> None:
    x, y, fam = _data()
    r = robustness(x, y, fam, "f", "successor", binary=True, n_boot=50, seed=1)
    assert r.summary["left_out"].tolist() == ["(none)", "A", "B", "C"]
    assert (r.summary["n"].iloc[1:] < r.summary["n"].iloc[0]).all()
    assert (r.summary["estimate"] > 1).all()


def test_bootstrap_is_seeded_and_sensible() -> None:
    x, y, fam = _data()
    a = robustness(x, y, fam, "f", "o", binary=True, n_boot=100, seed=3).bootstrap
    b = robustness(x, y, fam, "f", "o", binary=True, n_boot=100, seed=3).bootstrap
    c = robustness(x, y, fam, "f", "o", binary=True, n_boot=100, seed=4).bootstrap
    assert a.equals(b) and not a.equals(c)
    row = a.iloc[0]
    assert row["boot_ci_low"] < row["boot_median"] < row["boot_ci_high"]
    assert row["share_above_1"] > 0.95 and row["n_ok"] == 100


def test_continuous_factor_uses_firth() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=150)
    y = (rng.random(150) < 1 / (1 + np.exp(-x))).astype(float)
    r = robustness(x, y, rng.choice(["A", "B"], 150), "x", "o", binary=False, n_boot=20)
    assert r.summary["estimate"].iloc[0] > 1 and r.bootstrap["n_ok"].iloc[0] == 20
