"""Segment exports (CSV, XLSX) keep speaker names out unless asked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chiiki.hearings.exports import export_segments
from chiiki.hearings.importing import add_document
from chiiki.hearings.qda import add_code, code_by_search
from chiiki.model.db import session_scope

TEXT = "山田：補助金が必要です。\n鈴木：人材も必要です。\n山田：補助金は県から。"


def _setup(url: str) -> None:
    with session_scope(url) as s:
        add_code(s, "資金", factor="地域資金")
        doc = add_document(s, TEXT, "記録", source_type="transcript")
        code_by_search(s, doc, "資金", "補助金", coder="A")
        code_by_search(s, doc, "資金", "人材", coder="A")


def test_csv_pseudonymizes_speakers(db: str, tmp_path: Path) -> None:
    _setup(db)
    with session_scope(db) as s:
        res = export_segments(s, tmp_path / "seg.csv")
    assert res.n == 3
    raw = (tmp_path / "seg.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel shows Japanese
    df = pd.read_csv(tmp_path / "seg.csv", encoding="utf-8-sig")
    assert list(df["speaker"]) == ["S1", "S2", "S1"]
    assert list(df["text"]) == ["補助金", "人材", "補助金"]
    assert set(df["factor"]) == {"地域資金"}
    assert "山田" not in raw.decode("utf-8-sig")


def test_xlsx_with_personal_data_on_request(db: str, tmp_path: Path) -> None:
    _setup(db)
    with session_scope(db) as s:
        export_segments(s, tmp_path / "seg.xlsx", include_personal=True)
    df = pd.read_excel(tmp_path / "seg.xlsx", sheet_name="segments")
    assert list(df["speaker"]) == ["山田", "鈴木", "山田"]
