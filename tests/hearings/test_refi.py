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
from chiiki.hearings.privacy import Redaction
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
        docs = sorted((d.title, d.text, d.source_type, d.contains_personal_data) for d in s.scalars(select(Document)))
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
        res = export_qdpx(s, tmp_path / "p.qdpx")
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
        export_qdpx(s, tmp_path / "1.qdpx")
        export_qdpx(s, tmp_path / "2.qdpx")

    def guids(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read("project.qde"))
        return sorted(el.get("guid") for el in root.iter() if el.get("guid"))

    first = guids(tmp_path / "1.qdpx")
    assert first == guids(tmp_path / "2.qdpx")
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        import_qdpx(s, tmp_path / "1.qdpx")
        export_qdpx(s, tmp_path / "3.qdpx")
    assert guids(tmp_path / "3.qdpx") == first


def test_personal_documents_stay_out_under_the_workbench_rule(tmp_path: Path) -> None:
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        res = export_qdpx(s, tmp_path / "p.qdpx", redaction=Redaction.for_session(s, show_personal=False))
    assert res.n == 1
    assert [(w.code, w.params["n"]) for w in res.warnings] == [("hearings.qdpx_personal_left_out", 1)]
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
        export_qdpx(s, tmp_path / "p.qdpx")
    dst = _fresh_db(tmp_path, "b.db")
    _coded_project(dst)  # the same two documents, created independently (other ids, no GUIDs)
    with session_scope(dst) as s:
        before = s.scalar(select(func.count()).select_from(Document))
        import_qdpx(s, tmp_path / "p.qdpx")
    with session_scope(dst) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == before


def _personal_flags(qde: bytes) -> dict[str, str]:
    ns = {"q": "urn:QDA-XML:project:1.0"}
    root = etree.fromstring(qde)
    (var,) = root.xpath("//q:Variable[@name='chiiki:contains_personal_data']", namespaces=ns)
    assert var.get("typeOfVariable") == "Boolean"
    out = {}
    for src in root.xpath("//q:TextSource", namespaces=ns):
        values = src.xpath(
            f"q:VariableValue[q:VariableRef/@targetGUID='{var.get('guid')}']/q:BooleanValue/text()", namespaces=ns
        )
        out[src.get("name")] = values[0]
    return out


def test_the_personal_flag_travels_as_a_boolean_variable(tmp_path: Path) -> None:
    """Regression: a .qdpx import dropped ``contains_personal_data``."""
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        export_qdpx(s, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        qde = z.read("project.qde")
    xmlschema.XMLSchema(str(RESOURCES / "Project.xsd")).validate(etree.fromstring(qde))
    assert _personal_flags(qde) == {"【サンプル】記録": "true", "意見": "false"}
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        import_qdpx(s, tmp_path / "p.qdpx")
        flags = {d.title: d.contains_personal_data for d in s.scalars(select(Document))}
    assert flags == {"【サンプル】記録": True, "意見": False}


def _strip_variables(path: Path, out: Path, names: set[str]) -> None:
    """A copy of a .qdpx without the given variables (what another QDA tool would write)."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(files["project.qde"])
    ns = "{urn:QDA-XML:project:1.0}"
    guids = set()
    for var in list(root.iter(f"{ns}Variable")):
        if var.get("name") in names:
            guids.add(var.get("guid"))
            var.getparent().remove(var)
    for vv in list(root.iter(f"{ns}VariableValue")):
        if vv.find(f"{ns}VariableRef").get("targetGUID") in guids:
            vv.getparent().remove(vv)
    files["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(out, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)


def test_sources_without_the_flag_are_flagged_by_their_type(tmp_path: Path) -> None:
    src = _fresh_db(tmp_path, "a.db")
    _coded_project(src)
    with session_scope(src) as s:
        export_qdpx(s, tmp_path / "p.qdpx")
    _strip_variables(tmp_path / "p.qdpx", tmp_path / "noflag.qdpx", {"chiiki:contains_personal_data"})
    _strip_variables(tmp_path / "p.qdpx", tmp_path / "bare.qdpx", {"chiiki:contains_personal_data", "source_type"})
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        import_qdpx(s, tmp_path / "noflag.qdpx")
        flags = {d.title: (d.source_type, d.contains_personal_data) for d in s.scalars(select(Document))}
    assert flags == {"【サンプル】記録": ("transcript", True), "意見": ("questionnaire", False)}
    bare = _fresh_db(tmp_path, "c.db")
    with session_scope(bare) as s:  # no type either: a transcript, so private until told otherwise
        import_qdpx(s, tmp_path / "bare.qdpx")
        assert {d.contains_personal_data for d in s.scalars(select(Document))} == {True}


def test_a_masked_export_moves_the_selections_with_the_text(tmp_path: Path) -> None:
    from chiiki.hearings.records import add_interviewee, create_hearing

    src = _fresh_db(tmp_path, "a.db")
    with session_scope(src) as s:
        h = create_hearing(s, "h", "試行")
        add_interviewee(s, h, "山田太郎")
        add_code(s, "資金")
        doc = add_document(s, "山田太郎さんによれば補助金が要る。", "メモ", source_type="report", hearing=h)
        code_by_search(s, doc, "資金", "補助金")
        export_qdpx(s, tmp_path / "p.qdpx", redaction=Redaction.for_session(s, show_personal=False))
    dst = _fresh_db(tmp_path, "b.db")
    with session_scope(dst) as s:
        import_qdpx(s, tmp_path / "p.qdpx")
        (seg,) = s.scalars(select(CodedSegment))
        assert seg.document.text == "P1さんによれば補助金が要る。"
        assert seg.document.text[seg.start : seg.end] == "補助金"


def test_schema_errors_never_quote_document_text(tmp_path: Path) -> None:
    """A bad value inside a .qdpx must not travel into the error (or a traceback) as text."""
    bad = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        b'<TextSource guid="00000000-0000-0000-0000-000000000001" name="t">'
        b'<PlainTextSelection guid="00000000-0000-0000-0000-000000000002" name="ZZMARKER-SECRET" '
        b'startPosition="ZZMARKER-SECRET" endPosition="3"/></TextSource></Sources></Project>'
    )
    with pytest.raises(SchemaValidationError) as info:
        validate(bad, "project")
    assert "ZZMARKER" not in str(info.value) and "ZZMARKER" not in repr(info.value.message)
    assert info.value.__context__ is None or info.value.__suppress_context__
