"""Every result of the hearings and text Workbench methods survives ``json.dumps(allow_nan=False)``,
and no ORM object leaves the Workbench."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from chiiki import Settings, Workbench
from chiiki.workbench.hearings_api import DocumentDetail, Figure, HearingDetail, HearingsChapter
from chiiki.workbench.results import Done, Table
from chiiki.workbench.text_api import CAResult, NetworkResult, RulesResult


def _dumps(result: object) -> str:
    return json.dumps(result.to_dict(), allow_nan=False, ensure_ascii=False)  # type: ignore[attr-defined]


def _no_orm(value: object) -> None:
    from chiiki.model.base import Base

    if isinstance(value, Base):
        raise AssertionError(f"ORM object leaked: {value!r}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _no_orm(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            _no_orm(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _no_orm(v)


def test_every_result_type_serializes(loaded: str, tmp_path: Path) -> None:
    wb = Workbench(Settings(db_url=loaded, lang="en"))
    transcript = tmp_path / "t.txt"
    transcript.write_text("聞き手：資金は？\n山田：補助金です。人材も。\n", encoding="utf-8")
    rules = tmp_path / "rules.txt"
    rules.write_text("*funds\n補助金 | 資金\n*people\n人材\n", encoding="utf-8")
    results: dict[str, object] = {
        "add_hearing": wb.add_hearing("k", "Trial", date="2025-01", interviewees=["山田"]),
        "import_document": wb.import_document(transcript, hearing="k"),
        "load_bundled_hearings": wb.load_bundled_hearings(),
        "list_hearings": wb.list_hearings(),
        "hearing_detail": wb.hearing_detail("k"),
        "codebook_add": wb.codebook_add("資金"),
        "codebook_load_default": wb.codebook_load_default(),
        "codebook_list": wb.codebook_list(),
        "codebook_export": wb.codebook_export(tmp_path / "cb.qdc"),
        "codebook_import": wb.codebook_import(tmp_path / "cb.qdc"),
        "apply_code": wb.apply_code(2, "資金", search="補助金", coder="A"),
        "apply_code B": wb.apply_code(2, "資金", search="補助金", coder="B", occurrence=1),
        "segments": wb.segments("資金"),
        "code_matrix": wb.code_matrix(coder="A"),
        "code_matrix agreed": wb.code_matrix(rule="agreed"),
        "code_frequencies": wb.code_frequencies(rule="union"),
        "list_documents": wb.list_documents(),
        "document_detail": wb.document_detail(2),
        "agreement": wb.agreement("A", "B"),  # one document: kappa is NaN → null
        "export_segments": wb.export_segments(tmp_path / "s.csv"),
        "export_qdpx": wb.export_qdpx(tmp_path / "p.qdpx"),
        "import_qdpx": wb.import_qdpx(tmp_path / "p.qdpx"),
        "text_freq": wb.text_freq(5),
        "text_kwic": wb.text_kwic("補助金"),
        "text_network": wb.text_network(min_df=1),
        "text_ca": wb.text_ca("region", min_df=1),
        "text_rules": wb.text_rules(rules, "region"),
        "text_report": wb.text_report(tmp_path / "r.html"),
        "hearings_chapter": wb.hearings_chapter(),
    }
    types = {
        HearingDetail: ["hearing_detail"],
        DocumentDetail: ["document_detail"],
        HearingsChapter: ["hearings_chapter"],
        NetworkResult: ["text_network"],
        CAResult: ["text_ca"],
        RulesResult: ["text_rules"],
    }
    for cls, names in types.items():
        for name in names:
            assert isinstance(results[name], cls), name
    for result in results.values():
        assert isinstance(
            result,
            Done | Table | HearingDetail | DocumentDetail | HearingsChapter | NetworkResult | CAResult | RulesResult,
        )
        _dumps(result)
        _no_orm(result)
    agreement = json.loads(_dumps(results["agreement"]))
    pooled = agreement["rows"][-1]
    assert pooled["code"] == "(all codes)" and pooled["kappa"] is None
    chapter = results["hearings_chapter"]
    assert isinstance(chapter, HearingsChapter)
    assert all(isinstance(f, Figure) for f in chapter.figures)
    assert json.loads(_dumps(chapter))["figures"][0]["mime"] == "image/png"
