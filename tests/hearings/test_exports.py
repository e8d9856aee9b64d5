"""Segment exports (CSV, XLSX): the personal-data rule, speakers as pseudonyms, the BOM for Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from chiiki import Settings, Workbench, WorkbenchError

TEXT = "山田：補助金が必要です。\n鈴木：人材も必要です。山田さんの話では\n山田：補助金は県から。"


def _setup(url: str, tmp_path: Path, personal: bool) -> Workbench:
    wb = Workbench(Settings(db_url=url))
    path = tmp_path / "record.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = wb.import_document(path, title="記録", personal=personal).data["id"]
    wb.codebook_add("資金", factor="地域資金")
    wb.apply_code(doc, "資金", search="補助金", coder="A")
    wb.apply_code(doc, "資金", search="人材", coder="A")
    wb.apply_code(doc, "資金", search="山田さん", coder="B", memo="山田の発言")
    return wb


def test_csv_withholds_personal_text_and_pseudonymizes_speakers(db: str, tmp_path: Path) -> None:
    wb = _setup(db, tmp_path, personal=True)
    done = wb.export_segments(tmp_path / "seg.csv")
    assert done.counts == {"segments": 4, "withheld": 4}
    assert [w.code for w in done.warnings] == ["workbench.personal_withheld"]
    raw = (tmp_path / "seg.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel shows Japanese
    df = pd.read_csv(tmp_path / "seg.csv", encoding="utf-8-sig")
    assert list(df["speaker"]) == ["S1", "S2", "S2", "S1"]
    assert df["text"].isna().all() and df["memo"].isna().all() and df["withheld"].all()
    assert set(df["factor"]) == {"地域資金"}
    text = raw.decode("utf-8-sig")
    assert "山田" not in text and "鈴木" not in text and "補助金は" not in text


def test_a_document_without_the_flag_is_shown_with_names_masked(db: str, tmp_path: Path) -> None:
    wb = _setup(db, tmp_path, personal=False)
    wb.export_segments(tmp_path / "seg.csv")
    df = pd.read_csv(tmp_path / "seg.csv", encoding="utf-8-sig")
    assert list(df["text"]) == ["補助金", "人材", "S1さん", "補助金"]
    assert list(df["memo"].fillna("")) == ["", "", "S1の発言", ""]
    assert not df["withheld"].any()


def test_xlsx_with_personal_data_on_request(db: str, tmp_path: Path) -> None:
    wb = _setup(db, tmp_path, personal=True)
    wb.export_segments(tmp_path / "seg.xlsx", include_personal=True)
    df = pd.read_excel(tmp_path / "seg.xlsx", sheet_name="segments")
    assert list(df["speaker"]) == ["山田", "鈴木", "鈴木", "山田"]
    assert list(df["text"]) == ["補助金", "人材", "山田さん", "補助金"]


def test_unknown_format_is_refused(db: str, tmp_path: Path) -> None:
    wb = _setup(db, tmp_path, personal=True)
    with pytest.raises(WorkbenchError) as info:
        wb.export_segments(tmp_path / "seg.json")
    assert info.value.message.code == "hearings.bad_choice"
    assert not (tmp_path / "seg.json").exists()
