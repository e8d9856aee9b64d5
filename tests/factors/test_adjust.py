"""Benjamini–Hochberg adjustment."""

from __future__ import annotations

import numpy as np
import pytest

from chiiki.factors.methods.adjust import bh_adjust


def test_bh_hand_worked() -> None:
    """Hand-worked (Benjamini & Hochberg 1995 step-up): p = 0.01, 0.04, 0.03, 0.005 (m=4).
    Sorted 0.005, 0.01, 0.03, 0.04 → p·m/rank = 0.02, 0.02, 0.04, 0.04 → cumulative minimum
    from the top keeps them; back in input order: 0.02, 0.04, 0.04, 0.02."""
    np.testing.assert_allclose(bh_adjust([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02])


def test_bh_equal_steps() -> None:
    """Hand-worked: p = 0.01…0.05 (m=5) gives p_i·5/i = 0.05 for every i, so every adjusted
    value is 0.05 (what R ``p.adjust(.., "BH")`` returns by the same definition)."""
    np.testing.assert_allclose(bh_adjust([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05] * 5)


def test_nan_is_not_a_test() -> None:
    out = bh_adjust([0.01, np.nan, 0.04])
    assert np.isnan(out[1])
    assert out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.04)
