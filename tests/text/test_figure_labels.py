"""Figure titles, axis labels and legends come from the catalogue, in the language asked for."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from chiiki.text import Doc, cooccurrence, correspondence
from chiiki.text.netplot import network_figure, network_html

DOCS = [
    Doc("a1", "人材育成と教育と研修。", {"region": "鶴岡"}),
    Doc("a2", "人材育成と教育。コーディネーターと人材。", {"region": "鶴岡"}),
    Doc("b1", "資金と融資と銀行。", {"region": "福岡"}),
    Doc("b2", "資金と銀行と教育。コーディネーターと資金。", {"region": "福岡"}),
    Doc("c1", "企業と研修と銀行。", {"region": "宮城"}),
    Doc("c2", "企業と研修と人材。", {"region": "宮城"}),
]


@pytest.mark.parametrize(
    ("lang", "title", "axis", "terms", "group"),
    [
        ("en", "Correspondence analysis", "Dimension 1 (", "terms", "region"),
        ("ja", "対応分析", "成分1（", "語", "地域"),
    ],
)
def test_ca_map_labels(tokenizer, lang: str, title: str, axis: str, terms: str, group: str) -> None:
    ca = correspondence(DOCS, tokenizer, variable="region", min_df=2)
    fig = ca.figure(lang=lang)
    ax = fig.axes[0]
    assert ax.get_title() == title
    assert ax.get_xlabel().startswith(axis) and ax.get_ylabel().startswith(axis.replace("1", "2"))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [terms, group]
    plt.close(fig)


@pytest.mark.parametrize(
    ("lang", "title", "legend"),
    [("en", "Co-occurrence network", "forced term"), ("ja", "共起ネットワーク", "強制抽出語")],
)
def test_network_labels(tokenizer, lang: str, title: str, legend: str) -> None:
    net = cooccurrence(DOCS, tokenizer, min_df=1)
    assert net.nodes["forced"].any()  # コーディネーター is a forced term: the legend explains the outline
    fig = network_figure(net, lang=lang)
    ax = fig.axes[0]
    assert ax.get_title().startswith(title)
    assert ax.get_legend().get_texts()[0].get_text().startswith(legend)
    plt.close(fig)
    page = network_html(net, lang=lang)
    assert f"<title>{title}</title>" in page
