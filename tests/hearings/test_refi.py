"""REFI-QDA: exports validate against the published schemas; export → import round-trips."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from sqlalchemy import select

from chiiki.hearings.errors import SchemaValidationError
from chiiki.hearings.importing import add_document
from chiiki.hearings.qda import add_code, add_segment, code_by_search, code_path, list_codes
from chiiki.hearings.refi import (
    export_codebook,
    export_qdpx,
    import_codebook,
    import_qdpx,
    validate,
)
from chiiki.model.base import Base
from chiiki.model.db import get_engine, session_scope
from chiiki.model.hearings import Code, CodedSegment, Document

RESOURCES = Path(__file__).resolve().parents[2] / "src" / "chiiki" / "hearings" / "resources"


def _fresh_db(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    Base.metadata.create_all(get_engine(url))
    return url


def _coded_project(url: str) -> None:
    with session_scope(url) as s:
        add_code(s, "人材", description="人材育成・確保\n二行目", color="#1F77B4", factor="人材")
        add_code(s, "コーディネーター", parent="人材")
        add_code(s, "資金", factor="地域資金")
        t = add_document(
            s,
            "聞き手：資金は？\n（鶴岡市）県と市の補助金です。人材も育てます。",
            "【サンプル】記録",
            source_type="transcript",
            is_sample=True,
            meta={"region": "鶴岡地域"},
        )
        q = add_document(s, "コーディネーターが相談をつないだ。", "意見", source_type="questionnaire")
        code_by_search(s, t, "資金", "補助金", coder="A", memo="県・市の補助")
        code_by_search(s, t, "人材", "人材", coder="B")
        add_segment(s, q, "コーディネーター", 0, 8, coder="A")


def _snapshot(url: str) -> tuple:
    with session_scope(url) as s:
        codes = sorted((code_path(c), c.description, c.color, c.factor) for c in s.scalars(select(Code)))
        segs = sorted(
            (g.document.title, g.document.text[g.start : g.end], g.start, g.end, g.code.name, g.coder, g.memo)
            for g in s.scalars(select(CodedSegment))
        )
        docs = sorted((d.title, d.text, d.source_type) for d in s.scalars(select(Document)))
    return codes, segs, docs


def test_shipped_schemas_are_the_refi_namespaces() -> None:
    assert xmlschema.XMLSchema(str(RESOURCES / "Project.xsd")).target_namespace == ("urn:QDA-XML:project:1.0")
    assert xmlschema.XMLSchema(str(RESOURCES / "Codebook.xsd")).target_namespace == ("urn:QDA-XML:codebook:1.0")


def test_codebook_export_validates_and_round_trips(tmp_path: Path) -> None:
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        export_codebook(s, tmp_path / "cb.qdc")
    xml = (tmp_path / "cb.qdc").read_bytes()
    xmlschema.XMLSchema(str(RESOURCES / "Codebook.xsd")).validate(etree.fromstring(xml))
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        assert import_codebook(s, tmp_path / "cb.qdc").n == 3
    assert _snapshot(dst)[0] == _snapshot(src)[0]


def test_project_export_validates_and_round_trips(tmp_path: Path) -> None:
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        res = export_qdpx(s, tmp_path / "p.qdpx", include_personal=True)
    assert res.n == 2
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        names = z.namelist()
        qde = z.read("project.qde")
    assert "project.qde" in names and sum(n.startswith("sources/") for n in names) == 2
    xmlschema.XMLSchema(str(RESOURCES / "Project.xsd")).validate(etree.fromstring(qde))
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        assert import_qdpx(s, tmp_path / "p.qdpx").n == 3
        again = import_qdpx(s, tmp_path / "p.qdpx")  # same GUIDs: nothing added twice
        assert again.n == 0
    assert _snapshot(dst) == _snapshot(src)


def test_guids_are_stable_and_kept_through_import(tmp_path: Path) -> None:
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        export_qdpx(s, tmp_path / "1.qdpx", include_personal=True)
        export_qdpx(s, tmp_path / "2.qdpx", include_personal=True)

    def guids(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read("project.qde"))
        return sorted(el.get("guid") for el in root.iter() if el.get("guid"))

    first = guids(tmp_path / "1.qdpx")
    assert first == guids(tmp_path / "2.qdpx")
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        import_qdpx(s, tmp_path / "1.qdpx")
        export_qdpx(s, tmp_path / "3.qdpx", include_personal=True)
    assert guids(tmp_path / "3.qdpx") == first


def test_personal_documents_stay_out_by_default(tmp_path: Path) -> None:
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        res = export_qdpx(s, tmp_path / "p.qdpx")
    assert res.n == 1 and res.warnings
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
    assert "聞き手" not in qde and "【サンプル】記録" not in qde
    assert 'name="意見"' in qde


def test_invalid_files_are_rejected(tmp_path: Path) -> None:
    bad = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x" isCodable="true"/></Codes></CodeBook>'
    with pytest.raises(SchemaValidationError):
        validate(bad, "codebook")  # guid is required
    wrong_ns = b'<Project xmlns="urn:QDA-XML:project:1:0" name="x"/>'
    with pytest.raises(SchemaValidationError):
        validate(wrong_ns, "project")
    dst = _fresh_db(tmp_path, "b.db")
    (tmp_path / "bad.qdc").write_bytes(bad)
    with session_scope(dst) as s, pytest.raises(SchemaValidationError):
        import_codebook(s, tmp_path / "bad.qdc")
    with session_scope(dst) as s:
        assert list_codes(s).n == 0


def test_import_into_a_database_that_has_the_same_texts_adds_no_copies(tmp_path: Path) -> None:
    """Every chiiki database has the bundled documents: a project from a colleague must not
    double them (that would double every word count)."""
    from sqlalchemy import func

    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        export_qdpx(s, tmp_path / "p.qdpx", include_personal=True)
    dst = _fresh_db(tmp_path, "b.db")
    _coded_project(dst)  # the same two documents, created independently (other ids, no GUIDs)
    with session_scope(dst) as s:
        before = s.scalar(select(func.count()).select_from(Document))
        import_qdpx(s, tmp_path / "p.qdpx")
    with session_scope(dst) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == before
