"""Inter-coder agreement pinned to published worked examples."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from chiiki.hearings.agreement import coder_agreement, cohen_kappa, krippendorff_alpha_nominal
from chiiki.hearings.importing import add_document
from chiiki.hearings.qda import add_code, add_segment
from chiiki.model.db import session_scope
from chiiki.model.hearings import Document

NA = None


def test_krippendorff_alpha_four_coders_missing_data() -> None:
    """Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C: nominal
    data, 4 observers × 12 units with missing values → α = 0.743 (also the doctest of the
    `krippendorff` PyPI package). Tolerance 5e-4 (the paper rounds to 3 decimals)."""
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
        [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
    ]
    assert krippendorff_alpha_nominal(data) == pytest.approx(0.743, abs=5e-4)
    nan_data = [[math.nan if v is None else v for v in row] for row in data]
    assert krippendorff_alpha_nominal(nan_data) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_two_coders_binary() -> None:
    """Krippendorff (2011), section A: binary data, two observers, 10 units, no missing
    data → α = 0.095 (exactly 1 − 19·4/(14·6) = 0.0952…)."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha_nominal([a, b]) == pytest.approx(0.095, abs=5e-4)
    assert krippendorff_alpha_nominal([a, b]) == pytest.approx(1 - 19 * 4 / (14 * 6), abs=1e-12)


def test_cohen_kappa_fifty_items() -> None:
    """Wikipedia "Cohen's kappa", simple example: 50 proposals, both yes 20, A yes/B no 5,
    A no/B yes 10, both no 15 → p_o = 0.7, p_e = 0.5, κ = 0.4 (tolerance 1e-12)."""
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    assert math.isnan(cohen_kappa([1, 1], [1, 1]))
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == 1.0


def test_document_and_character_units_from_coded_segments(db: str) -> None:
    with session_scope(db) as s:
        add_code(s, "資金")
        docs = [add_document(s, f"文書{i}の本文です。補助金と人材。", f"d{i}") for i in range(10)]
        # Document units: the 50-item layout shrunk to 10 docs: A codes 0-5, B codes 0-3 and 6.
        for d in docs[:6]:
            add_segment(s, d, "資金", 0, 4, coder="A")
        for d in docs[:4] + [docs[6]]:
            add_segment(s, d, "資金", 0, 4, coder="B")
        add_segment(s, docs[7], "資金", 0, 1, coder="A")  # so both coders saw docs 7
        add_segment(s, docs[7], "資金", 0, 1, coder="B")
        res = coder_agreement(s, "A", "B", unit="document")
        row = res.summary.set_index("code").loc["資金"]
        a = [1] * 6 + [0, 1]
        b = [1] * 4 + [0, 0, 1, 1]
        # By default only documents both coders coded are compared: 0-3 and 7, all "yes",
        # so kappa is undefined (p_e = 1) and the result says so.
        assert res.extra["documents"] == sorted(x.id for x in [docs[0], docs[1], docs[2], docs[3], docs[7]])
        assert row["units"] == 5 and row["agreement"] == 1.0 and math.isnan(row["kappa"])
        warned = [(w.code, dict(w.params)) for w in res.warnings]
        assert ("hearings.kappa_undefined", {"name": "資金"}) in warned
        assert ("hearings.few_document_units", {"n": 5}) in warned  # 5 < MIN_UNITS
        res_all = coder_agreement(s, "A", "B", unit="document", documents=[d.id for d in docs[:8]])
        row = res_all.summary.set_index("code").loc["資金"]
        assert row["kappa"] == pytest.approx(cohen_kappa(a, b))
        assert row["alpha"] == pytest.approx(krippendorff_alpha_nominal([a, b]))
        # Character units: overlap of spans inside one document.
        d = s.scalar(select(Document).where(Document.title == "d9"))
        add_code(s, "人材")
        add_segment(s, d, "人材", 0, 10, coder="C")
        add_segment(s, d, "人材", 5, 15, coder="D")
        seg = coder_agreement(s, "C", "D", unit="segment").summary.set_index("code").loc["人材"]
        n = len(d.text)
        c = [1] * 10 + [0] * (n - 10)
        dd = [0] * 5 + [1] * 10 + [0] * (n - 15)
        assert seg["units"] == n
        assert seg["agreement"] == pytest.approx((n - 10) / n)
        assert seg["kappa"] == pytest.approx(cohen_kappa(c, dd))
        assert seg["alpha"] == pytest.approx(krippendorff_alpha_nominal([c, dd]))
