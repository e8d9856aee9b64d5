"""Co-occurrence network: counts and Jaccard worked by hand, outputs."""

from __future__ import annotations

import networkx as nx
import pytest

from chiiki.text import Doc, cooccurrence
from chiiki.text.cooccur import UnknownMeasureError

DOCS = [
    Doc("d1", "人材と資金。", {}),
    Doc("d2", "人材と資金と拠点。", {}),
    Doc("d3", "人材と拠点。", {}),
]


def test_worked_example_counts_and_jaccard(tokenizer):
    """The example in chiiki.text.cooccur's docstring: co(人材,資金)=2, J=2/3;
    co(人材,拠点)=2, J=2/3; co(資金,拠点)=1, J=1/3."""
    res = cooccurrence(DOCS, tokenizer, min_df=1, top_n=10)
    got = {(r.a, r.b): (r.co, round(r.jaccard, 4)) for r in res.edges.itertuples()}
    assert got == {
        ("人材", "資金"): (2, 0.6667),
        ("人材", "拠点"): (2, 0.6667),
        ("拠点", "資金"): (1, 0.3333),
    }
    assert dict(zip(res.nodes["term"], res.nodes["df"], strict=True)) == {
        "人材": 3,
        "資金": 2,
        "拠点": 2,
    }
    mat = res.matrix()
    assert mat.loc["資金", "人材"] == 2 and mat.loc["人材", "人材"] == 3
    assert res.n == 3


def test_min_df_top_n_and_other_measures(tokenizer):
    res = cooccurrence(DOCS, tokenizer, min_df=2, top_n=1)
    assert len(res.edges) == 1  # the strongest edge only (tie broken by term order)
    dice = cooccurrence(DOCS, tokenizer, min_df=1, measure="dice").edges
    w = dice.set_index(["a", "b"])["weight"]
    assert w[("拠点", "資金")] == pytest.approx(2 * 1 / (2 + 2))
    with pytest.raises(UnknownMeasureError):
        cooccurrence(DOCS, tokenizer, measure="pmi")


def test_sentence_unit_counts_sentences(tokenizer):
    docs = [Doc("d", "人材と資金。人材と拠点。拠点と資金。", {})]
    res = cooccurrence(docs, tokenizer, unit="sentence", min_df=1)
    assert res.n == 3
    assert set(res.edges["co"]) == {1}
    assert set(res.edges["jaccard"].round(4)) == {round(1 / 3, 4)}


def test_communities_are_deterministic(tokenizer):
    docs = [Doc(f"a{i}", "人材と育成と教育。", {}) for i in range(3)] + [
        Doc(f"b{i}", "資金と融資と銀行。", {}) for i in range(3)
    ]
    first = cooccurrence(docs, tokenizer, min_df=2)
    second = cooccurrence(docs, tokenizer, min_df=2)
    assert first.nodes.equals(second.nodes)
    groups = first.nodes.groupby("community")["term"].apply(set).tolist()
    assert sorted(groups, key=min) == sorted([{"人材", "育成", "教育"}, {"資金", "融資", "銀行"}], key=min)


def test_outputs(tmp_path, tokenizer):
    res = cooccurrence(
        DOCS + [Doc("d4", "コーディネーターと人材。", {}), Doc("d5", "コーディネーターと人材。", {})],
        tokenizer,
        min_df=1,
    )
    assert res.nodes.set_index("term").loc["コーディネーター", "forced"]
    png, svg = res.to_png(tmp_path / "n.png"), res.to_svg(tmp_path / "n.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text()
    html = res.to_html(tmp_path / "n.html").read_text(encoding="utf-8")
    assert "コーディネーター" in html and "<canvas" in html
    assert "src=" not in html and "cdn" not in html.lower()  # self-contained, works offline
    g = nx.read_graphml(res.to_graphml(tmp_path / "n.graphml"))
    assert set(g.nodes) == set(res.nodes["term"])
    res.matrix().to_csv(tmp_path / "m.csv")
