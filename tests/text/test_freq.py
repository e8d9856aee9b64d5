"""Frequency list."""

from __future__ import annotations

from chiiki.text import Doc, frequencies, tokenize_corpus


def test_frequency_known_answer(tokenizer):
    docs = [
        Doc("a", "人材と資金。人材が重要。", {}),
        Doc("b", "資金とコーディネーター。", {}),
    ]
    freq = frequencies(docs, tokenizer)
    got = {r.term: (r.tf, r.df, r.forced) for r in freq.itertuples()}
    assert got == {
        "人材": (2, 1, False),
        "資金": (2, 2, False),
        "コーディネーター": (1, 1, True),
        "重要": (1, 1, False),
    }
    assert list(freq.columns) == ["term", "pos", "forced", "tf", "df"]
    # sorted by tf desc, then df desc: 資金 (2, 2) before 人材 (2, 1)
    assert list(freq["term"][:2]) == ["資金", "人材"]
    assert freq.set_index("term").loc["コーディネーター", "pos"] == "名詞-強制抽出"


def test_frequency_from_sentence_level_tokenization(tokenizer):
    docs = [Doc("a", "人材と資金。人材が重要。", {})]
    tc = tokenize_corpus(docs, tokenizer, unit="sentence")
    assert tc.counts.shape[0] == 2
    freq = frequencies(tc).set_index("term")
    assert (freq.loc["人材", "tf"], freq.loc["人材", "df"]) == (2, 1)


def test_parallel_tokenization_gives_the_same_counts(tokenizer):
    docs = [Doc(f"d{i}", f"人材と資金{i % 3}。ｲﾉﾍﾞｰｼｮﾝとハンズオン支援。", {}) for i in range(12)]
    one = tokenize_corpus(docs, tokenizer)
    two = tokenize_corpus(docs, tokenizer, workers=2)
    assert one.vocab == two.vocab and one.pos == two.pos
    assert (one.counts != two.counts).nnz == 0
