"""No two labels of the CA map or the network overlap: the figures go into the report, where a pile
of Japanese terms printed on top of each other near the origin could not be read."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from chiiki.text import cooccurrence
from chiiki.text.ca import correspondence_table
from chiiki.text.corpus import Doc
from chiiki.text.labelplace import overlapping
from chiiki.text.netplot import network_figure

TERMS = [
    "人材育成", "産学連携", "地域企業", "研究開発", "事業化", "コーディネーター", "自治体", "財団",
    "大学", "公設試", "補助金", "知的財産", "技術移転", "ものづくり", "バイオ", "ナノテク",
    "医療機器", "食品", "農業", "観光", "金融機関", "ベンチャー", "特許", "共同研究",
]  # fmt: skip


def _dense_table() -> pd.DataFrame:
    """60 terms × 4 regions with nearly equal profiles: every term lands near the origin."""
    rng = np.random.default_rng(7)
    names = [f"{t}{i}" for i in range(3) for t in TERMS][:60]
    counts = 40 + rng.integers(0, 6, size=(60, 4))
    table = pd.DataFrame(counts, index=names, columns=["鶴岡", "福岡", "宮城", "長野"])
    table.columns.name = "region"
    return table


def test_a_dense_ca_map_has_no_overlapping_labels() -> None:
    fig = correspondence_table(_dense_table()).figure(lang="ja")
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == 64
    assert overlapping(labels) == []
    plt.close(fig)


def test_a_network_has_no_overlapping_labels(tokenizer) -> None:
    rng = np.random.default_rng(3)
    docs = [Doc(f"d{i}", "。".join(rng.choice(TERMS, size=8, replace=False)) + "。", {}) for i in range(12)]
    net = cooccurrence(docs, tokenizer, min_df=1, top_n=80)
    fig = network_figure(net, lang="ja")
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    assert len(labels) >= 15
    assert overlapping(labels) == []
    plt.close(fig)
