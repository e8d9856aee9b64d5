"""The hearings chapter's CA map and co-occurrence network (drawn by ``chiiki.text``) print no
label on top of another: the extents of the drawn Text artists, measured by the renderer, are
pairwise disjoint (issue 9 item 9). Old: labels were drawn at their points as they came, and a
dense map (terms near the origin) had dozens of overlapping pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

TERMS = [f"{w}{i}" for i, w in enumerate(["地域連携", "産学官", "人材育成", "事業化", "研究開発", "拠点形成"] * 7)]

LONG = [f"{t}ネットワーク" for t in TERMS]


def overlapping(fig: Any) -> list[tuple[str, str]]:
    """Pairs of label texts of ``fig``'s first axes whose drawn boxes overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.axes[0].texts if t.get_text().strip()]
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb)]


def test_ca_map_labels_do_not_overlap() -> None:
    import matplotlib.pyplot as plt

    from chiiki.text.ca import correspondence_table

    rng = np.random.default_rng(7)
    counts = rng.poisson(20, size=(len(TERMS), 4)) + 1  # near-independent: every term near the origin
    table = pd.DataFrame(counts, index=TERMS, columns=["岩手県", "宮城県", "福島県", "山形県"])
    table.columns.name = "region"
    fig = correspondence_table(table).figure(lang="ja", variable="region")
    try:
        drawn = [t.get_text() for t in fig.axes[0].texts]
        assert set(TERMS) <= set(drawn)
        assert overlapping(fig) == []
    finally:
        plt.close(fig)


def test_network_labels_do_not_overlap() -> None:
    import matplotlib.pyplot as plt
    import networkx as nx

    from chiiki.text.cooccur import CooccurrenceResult
    from chiiki.text.netplot import network_figure

    g = nx.complete_graph(30)  # a clique: the layout packs its nodes closely
    g = nx.relabel_nodes(g, dict(enumerate(LONG[:30])))
    for i, n in enumerate(g):
        g.nodes[n].update(df=10 + i, tf=20 + i, forced=False, community=1)
    for a, b in g.edges:
        g.edges[a, b].update(co=3, jaccard=0.5, weight=0.5)
    nodes = pd.DataFrame([{"term": n, **g.nodes[n]} for n in g])
    edges = pd.DataFrame([{"a": a, "b": b, **g.edges[a, b]} for a, b in g.edges])
    result = CooccurrenceResult(nodes, edges, g, "sentence", "jaccard", 30)
    fig = network_figure(result, "ja")
    try:
        assert {t.get_text() for t in fig.axes[0].texts} >= set(LONG[:30])
        assert overlapping(fig) == []
    finally:
        plt.close(fig)
