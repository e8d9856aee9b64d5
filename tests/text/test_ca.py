"""Correspondence analysis pinned to R's ``ca`` package on Greenacre's smoking data."""

from __future__ import annotations

import pandas as pd
import pytest

from chiiki.text import Doc, correspondence, correspondence_table
from chiiki.text.ca import DegenerateTableError

SMOKE = pd.DataFrame(
    [[4, 2, 3, 2], [4, 3, 7, 4], [25, 10, 12, 4], [18, 24, 33, 13], [10, 6, 7, 2]],
    index=["SM", "JM", "SE", "JE", "SC"],
    columns=["none", "light", "medium", "heavy"],
)


def test_smoke_matches_r_ca():
    """R ``ca`` docs, ``print(ca(smoke))`` (Greenacre 1984 data):
    principal inertias 0.074759, 0.010017, 0.000414 (87.76 %, 11.76 %, 0.49 %), total
    0.08519; row masses SM 0.056995 … SC 0.129534; SM standard coordinate on dim 1
    |−0.24053|. Tolerance 1e-6 on inertias (R prints 6 decimals), 1e-4 on coordinates.
    (The brief's 0.00009 for the third inertia is not what R prints; R's 0.000414 is.)"""
    res = correspondence_table(SMOKE)
    assert res.inertia["eigenvalue"].tolist() == pytest.approx([0.074759, 0.010017, 0.000414], abs=1e-6)
    assert res.inertia["percent"].tolist() == pytest.approx([87.76, 11.76, 0.49], abs=0.01)
    assert res.total_inertia == pytest.approx(0.08519, abs=1e-5)
    assert res.row_mass.tolist() == pytest.approx([0.056995, 0.093264, 0.264249, 0.455959, 0.129534], abs=1e-6)
    assert abs(res.row_standard.loc["SM", "dim1"]) == pytest.approx(0.24053, abs=1e-4)
    # principal = standard × singular value
    assert abs(res.row_coords.loc["SM", "dim1"]) == pytest.approx(0.24053 * 0.074759**0.5, abs=1e-4)
    # chi-square distance of SM to the centroid (R: ChiDist 0.216559) from all dims
    assert (res.row_coords.loc["SM"] ** 2).sum() ** 0.5 == pytest.approx(0.216559, abs=1e-5)
    assert res.n == 193


def test_degenerate_table_is_a_named_error():
    with pytest.raises(DegenerateTableError):
        correspondence_table(pd.DataFrame([[1, 2]], index=["a"], columns=["x", "y"]))


def test_correspondence_on_documents(tmp_path, tokenizer):
    docs = [
        Doc("a1", "人材育成と教育と研修。", {"hub": "鶴岡"}),
        Doc("a2", "人材育成と教育。", {"hub": "鶴岡"}),
        Doc("b1", "資金と融資と銀行。", {"hub": "福岡"}),
        Doc("b2", "資金と銀行と教育。", {"hub": "福岡"}),
        Doc("c1", "企業と研修と銀行。", {"hub": "宮城"}),
        Doc("c2", "企業と研修。", {}),
    ]
    res = correspondence(docs, tokenizer, variable="hub", min_df=2)
    assert list(res.col_coords.index) == ["宮城", "福岡", "鶴岡"]
    assert "人材育成" in res.row_coords.index and "融資" not in res.row_coords.index  # df 1
    lack = [w for w in res.warnings if w.code == "text.documents_lack_variable"]
    assert [w.params for w in lack] == [{"n": 1, "variable": "hub"}]  # c2 has no hub
    assert res.biplot(tmp_path / "ca.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in res.biplot(tmp_path / "ca.svg", lang="en").read_text()
