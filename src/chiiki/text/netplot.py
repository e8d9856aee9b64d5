"""Drawing co-occurrence networks: static (PNG/SVG via matplotlib) and interactive HTML.

Why a hand-written canvas page: the HTML must open offline on a researcher's laptop and in
archived reports, so it cannot load vis.js/d3 from a CDN; a ~100-line force layout is enough.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import N_, translator
from chiiki.text.labelplace import place_labels

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

TITLE = N_("Co-occurrence network")
FORCED = N_("forced term (bold outline)")
FORCED_SHORT = N_("forced term")
HELP = N_("Drag nodes to adjust the layout.")


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


def network_figure(result: CooccurrenceResult, lang: str = "ja") -> Any:
    """The matplotlib figure of the network: nodes sized by df, coloured by community, edges by
    weight; forced terms get a bold outline (and a legend entry) so researchers see which words
    were merged. Title and legend in ``lang``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401  (registers IPAex Gothic for Japanese labels)
    import networkx as nx
    from matplotlib.lines import Line2D

    t = translator(lang)
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
        texts = nx.draw_networkx_labels(
            g, layout, labels=drawn_labels(result), ax=ax, font_family="IPAexGothic", font_size=9
        )
        if any(g.nodes[n]["forced"] for n in g):
            marker = Line2D([], [], marker="o", linestyle="", markerfacecolor="#ffffff", markeredgecolor="#000000")
            marker.set_markeredgewidth(2.0)
            ax.legend([marker], [t.gettext(FORCED)], loc="lower right", prop={"family": "IPAexGothic", "size": 9})
    ax.set_title(f"{t.gettext(TITLE)} ({result.measure}, n={result.n})", family="IPAexGothic")
    ax.set_aspect("equal")
    ax.margins(0.08)
    ax.axis("off")
    if g.number_of_nodes():
        ax.set_xlim(ax.get_xlim())  # fixed limits (after aspect and margins): placement works in pixels
        ax.set_ylim(ax.get_ylim())
    fig.tight_layout()
    if g.number_of_nodes():  # the most frequent terms keep their spot
        place_labels(ax, [texts[n] for n in sorted(texts, key=lambda n: (-g.nodes[n]["df"], str(n)))])
    return fig


def drawn_labels(result: CooccurrenceResult) -> dict[str, str]:
    """The label drawn at each node (the term itself): what a reader of the figure can see."""
    return {n: str(n) for n in result.graph.nodes}


def network_image(result: CooccurrenceResult, fmt: str = "png", lang: str = "ja") -> bytes:
    """The network drawn as PNG or SVG bytes."""
    import matplotlib.pyplot as plt

    fig = network_figure(result, lang)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    plt.close(fig)
    return buf.getvalue()


def draw_network(result: CooccurrenceResult, path: str | Path, lang: str = "ja") -> Path:
    """Draw the network to ``path``; PNG or SVG from the suffix."""
    fmt = "svg" if str(path).lower().endswith(".svg") else "png"
    from chiiki.ingest.atomic import write_bytes

    write_bytes(path, network_image(result, fmt, lang))
    return Path(path)


def _js() -> str:
    from importlib import resources

    path = resources.files("chiiki.text").joinpath("resources").joinpath("network.js")
    return path.read_text("utf-8")


def network_html(result: CooccurrenceResult, lang: str = "ja") -> str:
    """A self-contained HTML page with the network data inline and a canvas force layout."""
    t = translator(lang)
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
        "forcedLabel": t.gettext(FORCED_SHORT),
    }
    data = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    title = html.escape(t.gettext(TITLE))
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        "<style>body{font-family:sans-serif;margin:1em}canvas{border:1px solid #ccc}</style>"
        f"</head><body><h1>{title}</h1><p>{html.escape(t.gettext(HELP))} "
        f"(measure={html.escape(result.measure)}, unit={html.escape(result.unit)}, "
        f"n={result.n})</p>"
        '<canvas id="net" width="1000" height="700"></canvas><div id="info"></div>'
        f'<script type="application/json" id="net-data">{data}</script>'
        f"<script>{_js()}</script></body></html>\n"
    )
