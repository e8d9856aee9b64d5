"""Clean text (issue 9, item 8): speaker labels, q/a markers and timestamps are not terms, a word
broken by a hard line break counts once, ⻑年 is 長年, function words are stop words, and a
network or map over too few documents says so. Every test here fails on the code before issue 9
(named in each docstring). The transcripts are made up for the tests (SAMPLE texts, no real
interview)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiiki.text import Corpus, Doc, cooccurrence, correspondence, frequencies, kwic
from chiiki.text.clean import clean_text
from chiiki.text.normalize import nfkc, normalize_with_offsets
from chiiki.text.stopwords import StopwordFileError, is_rule_stopword, stopwords

# SAMPLE: a made-up interview transcript in the layouts real ones use.
TRANSCRIPT = """[00:00:05] 聞き手：本日はよろしくお願いします。拠点の成り立ちを教えてください。
佐藤（回答者）：もとは大学の研究室で、産学ともに連携してきました。
Q：資金はどう確保しましたか。
A：補助金と地方自
治体の予算です。
インタビュアー：人材はどうですか。
【質問】
コーディネーターの役割は？
【回答】
[00:12:34] 企業と大学をつなぐことです。⻑年の信頼が大切です。
q 財団の支援は
a 大きかったです。
"""
LABEL_TERMS = {"聞き手", "回答者", "佐藤", "q", "a", "インタビュアー", "質問", "回答"}


def _terms(tokenizer, text: str) -> list[str]:
    return tokenizer.terms(text)


def test_speaker_labels_and_markers_are_not_terms(tokenizer):
    """Before: 聞き手, 回答者, インタビュアー, 質問, 回答, q and a were terms (labels tokenized)."""
    terms = _terms(tokenizer, TRANSCRIPT)
    assert not LABEL_TERMS & set(terms), sorted(LABEL_TERMS & set(terms))
    # the utterances stay
    assert {"拠点", "大学", "補助金", "地方自治体", "人材", "コーディネーター", "財団", "長年"} <= set(terms)


def test_labels_are_gone_from_frequency_list_and_network(tokenizer):
    """Before: the labels were the most frequent terms and hubs of the network."""
    docs = [Doc(f"d{i}", TRANSCRIPT.replace("補助金", w), {}) for i, w in enumerate(["補助金", "基金", "融資"])]
    freq = frequencies(docs, tokenizer)
    assert not LABEL_TERMS & set(freq["term"])
    net = cooccurrence(docs, tokenizer, min_df=2, top_n=500)
    assert not LABEL_TERMS & set(net.nodes["term"])
    assert len(net.nodes) > 5


def test_function_words_are_not_terms(tokenizer):
    """Before: もと and とも (Sudachi: 名詞-普通名詞-一般) were terms and network hubs."""
    terms = _terms(tokenizer, "もとは大学の研究で、産学ともに連携した。そのもとで人材を育てた。")
    assert "もと" not in terms and "とも" not in terms
    assert {"大学", "研究", "連携", "人材"} <= set(terms)


def test_single_letters_and_numbers_are_stop_words(tokenizer):
    """Before: q, a, Ｑ (→ q) were terms; the rule holds whatever the word list."""
    assert is_rule_stopword("q") and is_rule_stopword("Ｑ") and is_rule_stopword("2024") and is_rule_stopword("3.5")
    assert not is_rule_stopword("AI") and not is_rule_stopword("人材")
    terms = _terms(tokenizer, "q a Ｑ 2024 の AI 人材")
    assert "q" not in terms and "a" not in terms
    assert "人材" in terms
    bare = tokenizer.with_stopwords([])
    assert "q" not in bare.terms("q の話")


def test_word_broken_by_a_line_break_counts_once(tokenizer):
    """Before: 地方自\\n治体 gave 地方, 自, 治, 体 — four terms, none of them 地方自治体."""
    text = "補助金と地方自\n治体の予算です。\n\n次の段落です。"
    docs = [Doc("d1", text, {})]
    freq = frequencies(docs, tokenizer).set_index("term")
    assert freq.loc["地方自治体", "tf"] == 1
    assert "治" not in freq.index and "体" not in freq.index
    # the paragraph break stays: two sentences in the cleaned text
    assert clean_text(text).text == "補助金と地方自治体の予算です。\n\n次の段落です。"


def test_lines_ending_a_sentence_or_starting_an_item_are_not_joined():
    """The join rule keeps sentence ends, list items and labelled lines apart."""
    text = "拠点の課題。\n人材の不足\n・資金\n・設備\n\nEnglish words\nacross lines"
    assert clean_text(text).text == "拠点の課題。\n人材の不足\n・資金\n・設備\n\nEnglish words across lines"


def test_a_note_label_written_once_keeps_its_word(tokenizer):
    """「目的：」 once is a field name, not a speaker: 目的 stays a term (labels must repeat)."""
    assert "目的" in _terms(tokenizer, "目的：地域の活性化")
    assert "山田" not in _terms(tokenizer, "山田：資金の話。\n山田：人材の話。")


def test_radicals_are_unified():
    """Before: ⻑ (U+2ED1, CJK Radicals Supplement) survived NFKC, so ⻑年 never matched 長年."""
    assert nfkc("⻑年") == "長年"
    assert nfkc("⾧年") == "長年"  # Kangxi radical (NFKC did this before too)
    norm = normalize_with_offsets("ｲﾉ⻑年")
    assert norm.text == "イノ長年" and norm.span(2, 4) == (2, 4)


def test_radical_word_is_counted_with_the_ideograph_word(tokenizer):
    """Before: ⻑年 and 長年 were two different terms."""
    docs = [Doc("d1", "⻑年の取り組み。", {}), Doc("d2", "長年の取り組み。", {})]
    freq = frequencies(docs, tokenizer).set_index("term")
    assert freq.loc["長年", "df"] == 2 and "⻑年" not in freq.index


def test_kwic_shows_the_original_text(tokenizer):
    """Offsets and keyword refer to the text as stored: the joined word and the radical as written."""
    doc = Doc("d1", TRANSCRIPT, {})
    broken = kwic([doc], "地方自治体", tokenizer)
    start, end = int(broken["start"][0]), int(broken["end"][0])
    assert TRANSCRIPT[start:end] == "地方自\n治体"
    radical = kwic([doc], "長年", tokenizer)
    start, end = int(radical["start"][0]), int(radical["end"][0])
    assert TRANSCRIPT[start:end] == "⻑年" and radical["keyword"][0] == "⻑年"
    sub = kwic([doc], "自治", tokenizer, match="substring")
    start, end = int(sub["start"][0]), int(sub["end"][0])
    assert TRANSCRIPT[start:end] == "自\n治"
    assert kwic([doc], "聞き手", tokenizer).empty  # a label is not a word of the text


def test_token_offsets_map_into_the_original(tokenizer):
    toks = tokenizer.tokenize(TRANSCRIPT)
    assert all(TRANSCRIPT[t.start : t.end] == t.surface for t in toks)
    assert not any("聞き手" == t.surface for t in toks)


def test_sentence_unit_counts_a_broken_sentence_once(tokenizer):
    """Before: split at the line break, 地方自 and 治体 fell into two sentence units."""
    docs = [Doc("d1", "補助金と地方自\n治体の予算です。", {})]
    net = cooccurrence(docs, tokenizer, unit="sentence", min_df=1)
    assert net.n_units == 1


def test_network_over_too_few_documents_warns(tokenizer):
    """Before: a Jaccard network of 3 documents came without a word of warning."""
    texts = ["人材と資金の話。", "人材と拠点の話。", "資金と拠点の話。"]
    few = cooccurrence(Corpus.from_texts(texts), tokenizer, min_df=2)
    codes = [w.code for w in few.warnings]
    assert "text.network_few_documents" in codes
    warning = next(w for w in few.warnings if w.code == "text.network_few_documents")
    assert warning.params["n"] == 3 and warning.params["minimum"] == 5
    enough = cooccurrence(Corpus.from_texts(texts * 2), tokenizer, min_df=2)
    assert "text.network_few_documents" not in [w.code for w in enough.warnings]
    by_sentence = cooccurrence(Corpus.from_texts(["人材と資金。人材と拠点。"]), tokenizer, unit="sentence", min_df=1)
    assert "text.network_few_sentences" in [w.code for w in by_sentence.warnings]


def test_ca_over_too_few_documents_or_groups_warns(tokenizer):
    """Before: a map of 3 documents in 2 groups (one dimension) was drawn without a warning."""
    docs = [
        Doc("d1", "人材と資金。人材の育成。", {"hub": "A"}),
        Doc("d2", "資金と拠点。資金の確保。", {"hub": "B"}),
        Doc("d3", "人材と拠点。拠点の整備。", {"hub": "B"}),
    ]
    ca = correspondence(docs, tokenizer, variable="hub", min_df=1)
    codes = [w.code for w in ca.warnings]
    assert "text.ca_few_documents" in codes and "text.ca_one_dimension" in codes


def test_stopword_file_adds_or_replaces(tmp_path: Path, tokenizer):
    """--stopwords FILE: the list used is stated (count and source); CP932 files are read."""
    path = tmp_path / "mine.txt"
    path.write_bytes("# 自分のリスト\n拠点\n\n人材\n".encode("cp932"))
    builtin = stopwords()
    added = stopwords(path, "add")
    replaced = stopwords(path, "replace")
    assert {"拠点", "人材", "こと", "もと"} <= added.words
    assert replaced.words == {"拠点", "人材"}
    assert builtin.message.code == "text.stopwords_builtin" and builtin.message.params["n"] == len(builtin.words)
    assert added.message.code == "text.stopwords_added" and added.message.params["file"] == str(path)
    assert replaced.message.code == "text.stopwords_replaced" and replaced.message.params["n"] == 2
    tok = tokenizer.with_stopwords(replaced.words)
    terms = tok.terms("拠点の人材と、もとの資金。")
    assert "拠点" not in terms and "人材" not in terms and "資金" in terms and "もと" in terms
    with pytest.raises(StopwordFileError) as err:
        stopwords(tmp_path / "missing.txt")
    assert err.value.message.code == "text.stopwords_missing"
    with pytest.raises(StopwordFileError):
        stopwords(path, "merge")
