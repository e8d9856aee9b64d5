"""Coding API: hierarchical codes, segments by offsets or search, retrieval, matrices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from chiiki.hearings.errors import NotFoundError, OffsetError, OptionError, SearchNotFoundError
from chiiki.hearings.importing import add_document
from chiiki.hearings.qda import (
    add_code,
    add_segment,
    code_by_search,
    code_matrix,
    code_path,
    find_spans,
    list_codes,
    retrieve_segments,
)
from chiiki.model.db import session_scope
from chiiki.model.hearings import Document


def _doc(s, key: str) -> Document:
    return s.scalar(select(Document).where(Document.key == key))


def test_hierarchical_codebook_with_factor_links(db: str) -> None:
    with session_scope(db) as s:
        add_code(s, "人材", description="人材育成・確保", color="#1f77b4", factor="人材の確保")
        child = add_code(s, "コーディネーター", parent="人材")
        add_code(s, "人材", description="updated")  # same name updates, no duplicate
        assert code_path(child) == "人材 > コーディネーター"
        df = list_codes(s).summary.set_index("name")
        assert list(df.index) == ["人材", "コーディネーター"]
        assert df.loc["人材", "description"] == "updated"
        assert df.loc["人材", "factor"] == "人材の確保"
        assert df.loc["コーディネーター", "parent"] == "人材"
        with pytest.raises(NotFoundError):
            add_code(s, "x", parent="no such code")


def test_segments_by_offsets_and_search(loaded: str) -> None:
    with session_scope(loaded) as s:
        add_code(s, "補助金")
        doc = _doc(s, "r5-588-result-2")
        i = doc.text.index("補助金")
        seg = add_segment(s, doc.id, "補助金", i, i + 3, coder="A", memo="県・市")
        assert doc.text[seg.start : seg.end] == "補助金"
        again = add_segment(s, doc.id, "補助金", i, i + 3, coder="A")
        assert again.id == seg.id  # idempotent
        with pytest.raises(OffsetError):
            add_segment(s, doc.id, "補助金", 5, 5)
        with pytest.raises(OffsetError):
            add_segment(s, doc.id, "補助金", 0, len(doc.text) + 1)
        segs = code_by_search(s, doc.id, "補助金", "鶴岡サイエンスパーク", coder="B")
        assert len(segs) == 2
        only_second = code_by_search(s, doc.id, "補助金", "鶴岡サイエンスパーク", coder="C", occurrence=2)
        assert [x.start for x in only_second] == [segs[1].start]
        with pytest.raises(SearchNotFoundError):
            code_by_search(s, doc.id, "補助金", "存在しない語")


def test_search_falls_back_to_nfkc_and_maps_offsets_back() -> None:
    text = "ｲﾉﾍﾞｰｼｮﾝ創出とＫＩＳＴＥＣ"
    ((s1, e1),) = find_spans(text, "イノベーション")
    assert text[s1:e1] == "ｲﾉﾍﾞｰｼｮﾝ"
    ((s2, e2),) = find_spans(text, "KISTEC")
    assert text[s2:e2] == "ＫＩＳＴＥＣ"


def test_retrieval_with_context_and_children(loaded: str) -> None:
    with session_scope(loaded) as s:
        add_code(s, "人材")
        add_code(s, "コーディネーター", parent="人材")
        doc = _doc(s, "r5-588-result-3")
        code_by_search(s, doc.id, "コーディネーター", "産学連携コーディネーター", coder="A")
        code_by_search(s, doc.id, "人材", "人材育成事業", coder="A")
        df = retrieve_segments(s, "人材", context=5).summary
        assert sorted(df["code"]) == ["コーディネーター", "コーディネーター", "人材"]
        first = df[df["code"] == "人材"].iloc[0]
        assert first["text"] == "人材育成事業"
        assert first["before"] == doc.text[first["start"] - 5 : first["start"]]
        assert first["after"] == doc.text[first["end"] : first["end"] + 5]
        assert first["hub"] == "fukuoka hub, kurume hub"
        only_parent = retrieve_segments(s, "人材", include_children=False).summary
        assert len(only_parent) == 1


def test_code_by_hub_and_by_org_kind_matrices(loaded: str) -> None:
    with session_scope(loaded) as s:
        add_code(s, "補助金")
        t = _doc(s, "r5-588-result-2")  # Tsuruoka
        f = _doc(s, "r5-588-result-3")  # Fukuoka (two hubs in the fixture)
        code_by_search(s, t.id, "補助金", "補助金")
        code_by_search(s, t.id, "補助金", "鶴岡サイエンスパーク")  # 2 more segments
        code_by_search(s, f.id, "補助金", "リスキリングセンター")  # 3 segments
        seg = code_matrix(s, by="hub", count="segments")
        assert seg.summary.loc["補助金", "tsuruoka hub"] == 3
        assert seg.summary.loc["補助金", "fukuoka hub"] == 3
        assert seg.summary.loc["補助金", "kurume hub"] == 3
        assert [w.code for w in seg.warnings] == ["hearings.matrix_several_values"]  # Fukuoka: two hubs
        docs = code_matrix(s, by="hub", count="documents").summary
        assert docs.loc["補助金", "tsuruoka hub"] == 1
        kinds = code_matrix(s, by="org_kind", count="documents").summary
        assert kinds.loc["補助金", "company"] == 1  # only Fukuoka visited companies
        assert kinds.loc["補助金", "university"] == 2
        with pytest.raises(OptionError):
            code_matrix(s, by="prefecture")


def test_personal_flag_defaults(db: str) -> None:
    with session_scope(db) as s:
        t = add_document(s, "A: はい\nB: いいえ", "t", source_type="transcript")
        q = add_document(s, "良かった", "q", source_type="questionnaire")
        assert t.contains_personal_data and not q.contains_personal_data
        assert len(t.turns) == 2 and q.turns == []


def test_default_codebook_follows_the_report_topics(db: str, tmp_path) -> None:
    from chiiki.hearings.bundled import load_default_codebook
    from chiiki.hearings.refi import export_codebook

    with session_scope(db) as s:
        n = load_default_codebook(s)
        add_code(s, "人材育成", color="#000000", factor="人材")
        assert load_default_codebook(s) == n  # idempotent, keeps user colour and factor
        df = list_codes(s).summary.set_index("name")
        assert len(df) == n
        assert df.loc["人材育成", "color"] == "#000000" and df.loc["人材育成", "factor"] == "人材"
        assert df.loc["コーディネーター", "path"] == "コーディネート人材 > コーディネーター"
        roots = list(df[df["parent"] == ""].index)
        assert roots[:3] == ["体制・事業化", "コーディネート人材", "自治体支援・企業誘致"]
        export_codebook(s, tmp_path / "default.qdc")  # validates against Codebook.xsd
