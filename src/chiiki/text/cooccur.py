"""Co-occurrence networks of terms (共起ネットワーク), KH Coder style.

Worked example (the known-answer test uses it). Three documents, unit = document::

    d1: 人材 資金        d2: 人材 資金 拠点        d3: 人材 拠点

    df: 人材 3, 資金 2, 拠点 2
    co(人材, 資金) = 2 (d1, d2)   jaccard = 2 / (3 + 2 - 2) = 0.6667
    co(人材, 拠点) = 2 (d2, d3)   jaccard = 2 / (3 + 2 - 2) = 0.6667
    co(資金, 拠点) = 1 (d2)       jaccard = 1 / (2 + 2 - 1) = 0.3333

Jaccard = |A∩B| / |A∪B| over the units (documents or sentences) that contain each term.
As in KH Coder, ``top_n`` is the number of strongest *edges* drawn (default 60); terms enter
the candidate set when their df ≥ ``min_df``.

Too few units: over n units a similarity can take only a handful of values (Jaccard with
n = 3 and the default ``min_df`` = 2: 1/3, 2/3 or 1), so most pairs tie, the top edges are
chosen by the tie-break (alphabetical order), and with n = 2 every pair of terms kept is linked
with weight 1. From :data:`MIN_UNITS` = 5 units Jaccard over terms with df ≥ 2 can take 10
distinct values (n = 4: 6, n = 3: 3), enough for the strongest pairs to stand apart; below
it the result carries the warning ``text.network_few_documents`` (or ``…_sentences``). The
threshold is a rule of thumb from that count, not a statistical test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiiki.i18n import Message, msg
from chiiki.text.corpus import Doc
from chiiki.text.errors import TextError
from chiiki.text.tokenize import Tokenizer
from chiiki.text.tokenized import TokenizedCorpus, as_tokenized

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

MEASURES = ("jaccard", "dice", "cosine", "simpson", "co")
# Fewer counting units than this and the network's measure means little (see the module docstring).
MIN_UNITS = 5


class UnknownMeasureError(TextError):
    """Raised for a similarity measure not in :data:`MEASURES`."""


@dataclass
class CooccurrenceResult:
    """Nodes (term, df, tf, forced, community), edges (a, b, co, jaccard, weight), graph."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    graph: nx.Graph
    unit: str
    measure: str
    n_units: int
    warnings: list[Message] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        """The edge table (what a researcher reads first)."""
        return self.edges

    @property
    def n(self) -> int:
        """Number of counting units (documents or sentences)."""
        return self.n_units

    def matrix(self) -> pd.DataFrame:
        """Symmetric co-occurrence count matrix of the drawn terms (diagonal = df), for CSV."""
        import pandas as pd

        terms = list(self.nodes["term"])
        mat = pd.DataFrame(0, index=terms, columns=terms, dtype="int64")
        for a, b, co in self.edges[["a", "b", "co"]].itertuples(index=False):
            mat.loc[a, b] = mat.loc[b, a] = co
        for term, df in self.nodes[["term", "df"]].itertuples(index=False):
            mat.loc[term, term] = df
        return mat

    def to_graphml(self, path: str | Path) -> Path:
        """Write the network as GraphML (Gephi, Cytoscape, R igraph can read it)."""
        import networkx as nx

        from chiiki.ingest.atomic import atomic_path

        with atomic_path(path) as tmp:
            nx.write_graphml(self.graph, str(tmp))
        return Path(path)

    def to_png(self, path: str | Path, lang: str = "ja") -> Path:
        """Draw the network to a PNG file (Japanese labels via matplotlib-fontja)."""
        from chiiki.text.netplot import draw_network

        return draw_network(self, path, lang=lang)

    def to_svg(self, path: str | Path, lang: str = "ja") -> Path:
        """Draw the network to an SVG file."""
        from chiiki.text.netplot import draw_network

        return draw_network(self, path, lang=lang)

    def to_html(self, path: str | Path, lang: str = "ja") -> Path:
        """Write a self-contained interactive HTML page (inline JS, works offline)."""
        from chiiki.ingest.atomic import write_text
        from chiiki.text.netplot import network_html

        write_text(path, network_html(self, lang=lang))
        return Path(path)


def _similarity(co: Any, dfa: Any, dfb: Any, measure: str) -> Any:
    import numpy as np

    if measure == "jaccard":
        return co / (dfa + dfb - co)
    if measure == "dice":
        return 2 * co / (dfa + dfb)
    if measure == "cosine":
        return co / np.sqrt(dfa * dfb)
    if measure == "simpson":
        return co / np.minimum(dfa, dfb)
    return co.astype(float)


def cooccurrence(
    docs: Iterable[Doc] | TokenizedCorpus,
    tokenizer: Tokenizer | None = None,
    unit: str = "document",
    top_n: int = 60,
    min_df: int = 2,
    measure: str = "jaccard",
    seed: int = 0,
    max_terms: int = 1000,
) -> CooccurrenceResult:
    """Build the co-occurrence network of the ``top_n`` strongest term pairs.

    The unit × term incidence is a sparse matrix ``X``; all pair counts come from one sparse
    product ``XᵀX`` restricted to terms with df ≥ ``min_df``. Communities: Louvain with a fixed
    ``seed`` (deterministic), numbered 1.. by size. At most ``max_terms`` candidate terms
    (highest df) enter the product, which bounds memory on large vocabularies.
    """
    import networkx as nx
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    if measure not in MEASURES:
        raise UnknownMeasureError("text.bad_choice", option="measure", value=str(measure), choices=", ".join(MEASURES))
    tc = as_tokenized(docs, tokenizer, unit)
    x = tc.incidence(unit)
    warnings: list[Message] = []
    df_all = np.diff(x.tocsc().indptr)
    keep = np.flatnonzero(df_all >= min_df)
    if len(keep) > max_terms:
        order = np.lexsort((keep, -df_all[keep]))[:max_terms]
        keep = np.sort(keep[order])
        warnings.append(msg("text.candidates_capped", "info", n=max_terms))
    tf_all = np.asarray(tc.counts.sum(axis=0)).ravel()
    vocab = np.asarray(tc.vocab, dtype=object)
    if x.shape[0] < MIN_UNITS:
        warnings.append(
            msg(f"text.network_few_{unit}s", "warning", n=int(x.shape[0]), measure=measure, minimum=MIN_UNITS)
        )
    xs = x[:, keep].astype(np.int64)
    co = sp.triu(xs.T @ xs, k=1).tocoo()
    dfk = df_all[keep]
    sim = _similarity(co.data.astype(float), dfk[co.row], dfk[co.col], measure)
    jac = co.data / (dfk[co.row] + dfk[co.col] - co.data)
    a_terms, b_terms = vocab[keep[co.row]], vocab[keep[co.col]]
    swap = a_terms > b_terms  # canonical pair order (a < b) whatever the corpus order
    a_terms, b_terms = np.where(swap, b_terms, a_terms), np.where(swap, a_terms, b_terms)
    edges = pd.DataFrame({"a": a_terms, "b": b_terms, "co": co.data, "jaccard": jac, "weight": sim})
    edges = edges.sort_values(["weight", "co", "a", "b"], ascending=[False, False, True, True], kind="stable").head(
        top_n
    )
    edges = edges.reset_index(drop=True)
    if edges.empty:
        warnings.append(msg("text.no_cooccurrence", "warning", min_df=min_df))
    terms = sorted(set(edges["a"]) | set(edges["b"]))
    index = {t: i for i, t in enumerate(tc.vocab)}
    graph = nx.Graph()
    for t in terms:
        j = index[t]
        graph.add_node(t, df=int(df_all[j]), tf=int(tf_all[j]), forced=bool(tc.forced[j]), pos=tc.pos[j])
    for a, b, c, w, jv in edges[["a", "b", "co", "weight", "jaccard"]].itertuples(index=False):
        graph.add_edge(a, b, co=int(c), weight=float(w), jaccard=float(jv))
    community = _communities(graph, seed)
    nx.set_node_attributes(graph, community, "community")
    nodes = pd.DataFrame(
        {
            "term": terms,
            "df": [graph.nodes[t]["df"] for t in terms],
            "tf": [graph.nodes[t]["tf"] for t in terms],
            "forced": [graph.nodes[t]["forced"] for t in terms],
            "community": [community.get(t, 0) for t in terms],
        }
    )
    nodes = nodes.sort_values(["community", "df", "term"], ascending=[True, False, True])
    return CooccurrenceResult(nodes.reset_index(drop=True), edges, graph, unit, measure, x.shape[0], warnings)


def _communities(graph: nx.Graph, seed: int) -> dict[str, int]:
    """Louvain communities (seeded), numbered by decreasing size then first term."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_edges() == 0:
        groups = [{n} for n in graph.nodes]
    else:
        groups = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {term: i for i, g in enumerate(ordered, start=1) for term in g}
