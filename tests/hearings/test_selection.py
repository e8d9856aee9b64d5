"""Selecting documents for text mining: filters and the standard meta keys."""

from __future__ import annotations

import pytest

from chiiki.hearings.errors import NotFoundError
from chiiki.hearings.importing import add_document
from chiiki.hearings.qda import add_code, code_by_search
from chiiki.hearings.selection import segments_as_docs, select_documents
from chiiki.model.db import session_scope


def _titles(docs) -> set[str]:
    return {d.meta["title"] for d in docs}


def test_meta_keys_and_hub_filter(loaded: str) -> None:
    with session_scope(loaded) as s:
        docs = select_documents(s)
        assert len(docs) == 6
        assert all({"hub", "region", "org_kind", "source_type", "hearing", "date"} <= set(d.meta) for d in docs)
        fuk = select_documents(s, hub="fukuoka")
        # the Fukuoka hearing summary and the questionnaire comment on Fukuoka's case talk
        assert {d.meta["source_type"] for d in fuk} == {"report", "questionnaire"}
        report = next(d for d in fuk if d.meta["source_type"] == "report")
        assert report.meta["hearing"] == "2024-11-fukuoka"
        assert report.meta["date"] == "2024-11"
        assert report.meta["region"] == "福岡地域"
        assert "company" in report.meta["org_kind"].split(",")
        assert len(select_documents(s, hub="tsuruoka")) == 2
        with pytest.raises(NotFoundError):
            select_documents(s, hub="nowhere")


def test_date_org_kind_source_type_and_sample_filters(loaded: str) -> None:
    with session_scope(loaded) as s:
        add_document(s, "サンプル本文", "記録", source_type="transcript", is_sample=True)
        assert len(select_documents(s, since="2024-10", until="2024-11")) == 1
        assert len(select_documents(s, since="2025")) == 3  # questionnaire comments 2025-01-23
        assert len(select_documents(s, until="2024")) == 3  # 2 Tsuruoka + 1 Fukuoka summary
        assert len(select_documents(s, org_kind="company")) == 2  # only Fukuoka visited firms
        assert len(select_documents(s, source_type="questionnaire")) == 3
        assert len(select_documents(s)) == 7
        assert len(select_documents(s, include_samples=False)) == 6
        sample = select_documents(s, source_type="transcript")[0]
        assert sample.meta["is_sample"] == "1" and sample.meta["title"].startswith("【サンプル】")


def test_segments_as_docs(loaded: str) -> None:
    with session_scope(loaded) as s:
        add_code(s, "人材")
        doc = select_documents(s, hub="fukuoka", source_type="report")[0]
        code_by_search(s, int(doc.doc_id), "人材", "人材育成", coder="A")
        segs = segments_as_docs(s, "人材")
        assert [d.text for d in segs] == ["人材育成", "人材育成"]
        assert segs[0].meta["code"] == "人材" and segs[0].meta["hub"] == "fukuoka hub, kurume hub"
