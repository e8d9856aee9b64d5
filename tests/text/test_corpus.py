"""Documents, sentence splitting with offsets, and file import."""

from __future__ import annotations

from chiiki.text import Corpus, split_sentences, unwrap_lines


def test_split_sentences_keeps_offsets_and_brackets():
    text = "人材が足りない。「資金も必要だ！」と話した？\n次の話題\n\n終わり"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "人材が足りない。",
        "「資金も必要だ！」",
        "と話した？",
        "次の話題",
        "終わり",
    ]
    assert spans[0] == (0, 8)


def test_unwrap_joins_wrapped_pdf_lines_but_not_headings():
    text = (
        "１．目的\n"
        "地域がプログラム終了後も持続的・自立的に取組を継続する際に、地方自\n"
        "治体の支援が課題に上った。\n"
        "短い行"
    )
    out = unwrap_lines(text)
    assert out.splitlines() == [
        "１．目的",
        "地域がプログラム終了後も持続的・自立的に取組を継続する際に、地方自治体の支援が課題に上った。",
        "短い行",
    ]


def test_from_file_reads_cp932_and_splits_paragraphs(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_bytes("拠点の話。\n\n資金の話。".encode("cp932"))
    corpus = Corpus.from_file(path, meta={"hub": "鶴岡"}, split="paragraph")
    assert [d.doc_id for d in corpus] == ["memo#1", "memo#2"]
    assert corpus[1].text == "資金の話。"
    assert corpus[0].meta["hub"] == "鶴岡"
    assert corpus.groups("hub").keys() == {"鶴岡"}


def test_seed_document_imports(seed_path):
    corpus = Corpus.from_file(seed_path, split="paragraph")
    assert corpus.n > 10
    assert "ｲﾉﾍﾞｰｼｮﾝ" in corpus[0].text  # the original half-width text is kept for display
    sentences = list(corpus.sentences())
    assert all(corpus_doc_text(corpus, s.doc_id)[s.start : s.end] == s.text for s in sentences)


def corpus_doc_text(corpus: Corpus, doc_id: str) -> str:
    return next(d.text for d in corpus if d.doc_id == doc_id)


def test_unknown_split_is_a_named_error(tmp_path):
    import pytest

    from chiiki.text.corpus import UnknownSplitError

    path = tmp_path / "a.txt"
    path.write_text("本文", encoding="utf-8")
    with pytest.raises(UnknownSplitError):
        Corpus.from_file(path, split="line")
