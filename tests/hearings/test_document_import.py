"""Importing transcripts: encodings (UTF-8, UTF-8-BOM, CP932), .docx, speaker turns."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from chiiki.hearings.errors import UnsupportedFormatError
from chiiki.hearings.importing import (
    decode_bytes,
    import_document,
    read_document_file,
    split_speaker_turns,
)
from chiiki.hearings.records import get_hearing
from chiiki.model.db import session_scope
from chiiki.model.hearings import Document

TRANSCRIPT = (
    "【サンプル】鶴岡地域ヒアリング記録（架空）\n"
    "聞き手：事業終了後の資金はどのように確保されましたか。\n"
    "（鶴岡市）市と県の補助金で研究所の運営を続けています。\n"
    "ベンチャー企業の立ち上げも支援しました。\n"
    "Ａ：高校生の研究助手制度が人材育成の柱です。\n"
    "【B】コーディネーターが企業の相談を大学につないでいます。\n"
    "A: 以上です。\n"
)


def test_cp932_transcript_is_detected_and_split_into_turns(db: str, tmp_path: Path) -> None:
    path = tmp_path / "tsuruoka_cp932.txt"
    path.write_bytes(TRANSCRIPT.replace("\n", "\r\n").encode("cp932"))
    with session_scope(db) as s:
        doc = import_document(s, path, source_type="transcript", is_sample=True)
        assert doc.encoding == "cp932"
        assert doc.text == TRANSCRIPT  # CRLF normalized, nothing else changed
        assert doc.title.startswith("【サンプル】")
        assert doc.contains_personal_data is True
        speakers = [t.speaker for t in doc.turns]
        assert speakers == ["聞き手", "鶴岡市", "Ａ", "B", "A"]  # 【サンプル】 is no speaker
        city = next(t for t in doc.turns if t.speaker == "鶴岡市")
        said = doc.text[city.start : city.end]
        assert said.startswith("市と県の補助金")
        assert said.endswith("支援しました。")  # the continuation line stays in the turn
        assert all(t.is_personal for t in doc.turns)


def test_title_line_with_brackets_is_not_a_speaker_when_followed_by_text() -> None:
    turns = split_speaker_turns("A: はい\nB: いいえ\n")
    assert [(t.speaker, t.start, t.end) for t in turns] == [("A", 3, 5), ("B", 9, 12)]
    assert split_speaker_turns("注: これは一行だけのメモです。\n本文。") == []


def test_utf8_bom_and_plain_utf8(tmp_path: Path) -> None:
    assert decode_bytes("聞き手：こんにちは".encode("utf-8-sig")) == ("聞き手：こんにちは", "utf-8-sig")
    assert decode_bytes("地域".encode()) == ("地域", "utf-8")
    md = tmp_path / "notes.md"
    md.write_text("# メモ\n\n産学官連携\r\n", encoding="utf-8")
    assert read_document_file(md) == ("# メモ\n\n産学官連携\n", "utf-8")


def test_other_encodings_fall_back_to_charset_normalizer() -> None:
    """EUC-JP is neither UTF-8 nor CP932; charset-normalizer identifies it (an EUC-JP family
    codec) and the text comes back unchanged."""
    text = (
        "聞き手：地域イノベーション・エコシステム形成に向けた重要因子について伺います。\n"
        "（鶴岡市）市と県の補助金により研究所を運営しています。ベンチャー企業の支援も行っています。\n"
    )
    decoded, encoding = decode_bytes(text.encode("euc-jp"))
    assert decoded == text
    assert encoding.startswith("euc")


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("聞き手：自治体の支援について")
    d.add_paragraph("（福岡県）リスキリングセンターを設けました。")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "講座数"
    table.cell(0, 1).text = "70"
    path = tmp_path / "fukuoka.docx"
    d.save(str(path))
    text, enc = read_document_file(path)
    assert enc == "docx"
    assert text.splitlines() == [
        "聞き手：自治体の支援について",
        "（福岡県）リスキリングセンターを設けました。",
        "講座数\t70",
    ]
    assert [t.speaker for t in split_speaker_turns(text)] == ["聞き手", "福岡県"]


def test_unsupported_file_type(tmp_path: Path, db: str) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4")
    with session_scope(db) as s, pytest.raises(UnsupportedFormatError):
        import_document(s, path)


def test_report_text_imported_and_attached_to_a_hearing(loaded: str, tmp_path: Path, report_text: str) -> None:
    """The real report as a document of the Fukuoka hearing (a 'report', not personal)."""
    path = tmp_path / "report.txt"
    path.write_text(report_text, encoding="utf-8")
    with session_scope(loaded) as s:
        h = get_hearing(s, "2024-11-fukuoka")
        doc = import_document(s, path, source_type="report", hearing=h, title="R5-588 報告書")
        assert doc.contains_personal_data is False
        assert doc.turns == []  # reports are not split into speaker turns
        assert "ヒアリング調査実施機関一覧" in doc.text
        assert s.scalar(select(Document).where(Document.id == doc.id)).hearing.key == h.key


def test_name_with_affiliation_labels_are_speakers() -> None:
    """`名前（所属）：` is the usual label in Japanese interview notes."""
    from chiiki.hearings.importing import split_speaker_turns

    text = (
        "佐藤（鶴岡市役所）：支援を続けています。\n聞き手（山田）：ありがとうございます。\n佐藤（鶴岡市役所）：はい。"
    )
    turns = split_speaker_turns(text)
    assert [t.speaker for t in turns] == ["佐藤（鶴岡市役所）", "聞き手（山田）", "佐藤（鶴岡市役所）"]
    assert text[turns[0].start : turns[0].end] == "支援を続けています。"


def test_a_timestamp_before_the_label_is_not_the_speaker() -> None:
    """``[00:01:30] 山田：…`` once gave the speaker ``[00``; masking known names then turned every
    timestamp into a pseudonym."""
    text = "[00:00:05] 聞き手：地域の課題は。\n［00：01：30］ 山田：人材です。\n12:30 に再開\nA：はい。\n"
    turns = split_speaker_turns(text)
    assert [t.speaker for t in turns] == ["聞き手", "山田", "A"]
    assert text[turns[0].start : turns[0].end] == "地域の課題は。"
    assert text[turns[1].start : turns[1].end].startswith("人材です。")
