"""Drawing co-occurrence networks: static (PNG/SVG via matplotlib) and interactive HTML.

Why a hand-written canvas page: the HTML must open offline on a researcher's laptop and in
archived reports, so it cannot load vis.js/d3 from a CDN; a ~100-line force layout is enough.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chiiki.text.cooccur import CooccurrenceResult

PALETTE = [
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
]

TITLES = {"ja": "共起ネットワーク", "en": "Co-occurrence network"}


def component_layout(g: Any, seed: int = 42) -> dict[Any, tuple[float, float]]:
    """Lay out each connected component on its own (deterministic) and arrange the
    components in a grid, largest first.

    Why: one spring layout of a network made of many small components squeezes every
    component into a blob; per-component layouts keep words readable, as in KH Coder.
    """
    import math

    import networkx as nx

    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    # Shelf packing: each component gets a square of side sqrt(size), placed left to right
    # in rows of a common width, so big components get room and small ones stay small.
    sides = [math.sqrt(len(c)) + 0.6 for c in comps]
    width = max(max(sides), math.sqrt(sum(s * s for s in sides)) * 1.15)
    pos: dict[Any, tuple[float, float]] = {}
    x0 = y0 = row_h = 0.0
    for comp, side in zip(comps, sides, strict=True):
        if x0 > 0 and x0 + side > width:
            x0, y0, row_h = 0.0, y0 - row_h, 0.0
        sub = g.subgraph(sorted(comp))
        if len(sub) == 1:
            local = {next(iter(sub)): (0.0, 0.0)}
        else:
            # Kamada-Kawai on hop distances spreads cliques evenly (no collapse of words
            # that always co-occur); a seeded spring layout finishes it.
            start = nx.kamada_kawai_layout(sub, weight=None)
            local = nx.spring_layout(sub, pos=start, seed=seed, weight=None, iterations=20, k=2.0 / len(sub) ** 0.5)
            local = nx.rescale_layout_dict(local, scale=1.0)
        half = 0.4 * (side - 0.6)
        for node, (x, y) in local.items():
            pos[node] = (x0 + side / 2 + half * x, y0 - side / 2 + half * y)
        x0 += side
        row_h = max(row_h, side)
    return pos


def draw_network(result: CooccurrenceResult, path: str | Path, lang: str = "ja") -> Path:
    """Draw nodes sized by df, coloured by community, edges by weight; format from suffix.

    Forced terms get a bold outline so researchers see which words were merged.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401  (registers IPAex Gothic for Japanese labels)
    import networkx as nx

    g = result.graph
    fig, ax = plt.subplots(figsize=(10, 8))
    if g.number_of_nodes():
        layout = component_layout(g)
        dfs = [g.nodes[n]["df"] for n in g]
        top = max(dfs)
        sizes = [80 + 600 * d / top for d in dfs]
        colors = [PALETTE[(g.nodes[n].get("community", 1) - 1) % len(PALETTE)] for n in g]
        edge_w = [0.5 + 3 * g.edges[e]["weight"] for e in g.edges]
        nx.draw_networkx_edges(g, layout, ax=ax, width=edge_w, edge_color="#999999")
        nx.draw_networkx_nodes(
            g,
            layout,
            ax=ax,
            node_size=sizes,
            node_color=colors,
            edgecolors=["#000000" if g.nodes[n]["forced"] else "#666666" for n in g],
            linewidths=[2.0 if g.nodes[n]["forced"] else 0.5 for n in g],
        )
        nx.draw_networkx_labels(g, layout, ax=ax, font_family="IPAexGothic", font_size=9)
    ax.set_title(f"{TITLES.get(lang, TITLES['en'])} ({result.measure}, n={result.n})")
    ax.set_aspect("equal")
    ax.margins(0.08)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(str(path))
    plt.close(fig)
    return Path(path)


_LABELS = {
    "ja": {"forced": "強制抽出", "help": "ノードをドラッグして配置を調整できます。"},
    "en": {"forced": "forced term", "help": "Drag nodes to adjust the layout."},
}


def _js() -> str:
    from importlib import resources

    path = resources.files("chiiki.text").joinpath("resources").joinpath("network.js")
    return path.read_text("utf-8")


def network_html(result: CooccurrenceResult, lang: str = "ja") -> str:
    """A self-contained HTML page with the network data inline and a canvas force layout."""
    labels = _LABELS.get(lang, _LABELS["en"])
    g = result.graph
    payload = {
        "nodes": [
            {
                "id": n,
                "df": g.nodes[n]["df"],
                "tf": g.nodes[n]["tf"],
                "forced": g.nodes[n]["forced"],
                "community": g.nodes[n].get("community", 1),
            }
            for n in sorted(g.nodes)
        ],
        "edges": [
            {"a": a, "b": b, "co": g.edges[a, b]["co"], "weight": g.edges[a, b]["weight"]}
            for a, b in sorted(tuple(sorted(e)) for e in g.edges)
        ],
        "palette": PALETTE,
        "forcedLabel": labels["forced"],
    }
    data = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    title = html.escape(TITLES.get(lang, TITLES["en"]))
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        "<style>body{font-family:sans-serif;margin:1em}canvas{border:1px solid #ccc}</style>"
        f"</head><body><h1>{title}</h1><p>{html.escape(labels['help'])} "
        f"(measure={html.escape(result.measure)}, unit={html.escape(result.unit)}, "
        f"n={result.n})</p>"
        '<canvas id="net" width="1000" height="700"></canvas><div id="info"></div>'
        f'<script type="application/json" id="net-data">{data}</script>'
        f"<script>{_js()}</script></body></html>\n"
    )
