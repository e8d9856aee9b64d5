"""The real survey report must be importable and minable end to end."""

from __future__ import annotations

from chiiki.text import (
    CodingRules,
    Corpus,
    cooccurrence,
    frequencies,
    kwic,
    tokenize_corpus,
)


def test_seed_report_mining(seed_path, tokenizer, tmp_path):
    corpus = Corpus.from_file(seed_path, split="paragraph")
    tc = tokenize_corpus(corpus, tokenizer)
    freq = frequencies(tc).set_index("term")
    # The title's half-width ｲﾉﾍﾞｰｼｮﾝ・ｴｺｼｽﾃﾑ is found as the forced term.
    assert freq.loc["イノベーション・エコシステム", "forced"]
    assert freq.loc["地域", "tf"] >= 30
    assert freq.loc["ギャップファンド", "tf"] >= 1  # written "Gap Fund" in the report
    hits = kwic(corpus, "イノベーション・エコシステム", tokenizer)
    assert "ｲﾉﾍﾞｰｼｮﾝ・ｴｺｼｽﾃﾑ" in set(hits["keyword"])
    net = cooccurrence(corpus, tokenizer, unit="sentence", min_df=3)
    assert len(net.edges) == 60 and net.nodes["community"].min() == 1
    net.to_html(tmp_path / "seed.html")
    coded = CodingRules.parse(
        "*人材: 人材育成 | コーディネーター | 専門人材\n*資金: 資金 | ギャップファンド | 補助金"
    ).apply(corpus, tokenizer)
    assert coded["人材"].any() and coded["資金"].any()
