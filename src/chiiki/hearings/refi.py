"""REFI-QDA exchange: codebooks (.qdc) and whole projects (.qdpx), export and import.

Why REFI-QDA: coders may work in MAXQDA, ATLAS.ti, NVivo or QualCoder; the standard lets a
codebook and coded transcripts move between those tools and chiiki without loss. Every file we
write is validated against the published schemas shipped in ``resources/`` (see README there).

GUIDs are stable: a row imported from another tool keeps its GUID (``refi_guid``); rows made in
chiiki get ``uuid5(CHIIKI_NS, "<kind>:<id>")``, so exporting twice gives the same GUIDs.
A code's ``factor`` link has no REFI field; it travels as a last line ``chiiki:factor=<name>`` of
the code's Description and is read back on import.

Personal data: a document's ``contains_personal_data`` flag travels as a project Variable named
``chiiki:contains_personal_data`` (``typeOfVariable="Boolean"``) with a ``BooleanValue`` in each
TextSource's ``VariableValue`` — schema-valid REFI-QDA that other tools show as an ordinary
variable — and is read back on import. A source without it (a project from another tool) is
flagged when its type is a transcript or notes, and a source without a type counts as a
transcript: an interview project from MAXQDA stays private until someone says otherwise. What an
export holds is decided by the caller's :class:`~chiiki.hearings.privacy.Redaction`: documents
whose text it withholds are left out, and the known names are masked in the rest (text, titles,
memos, selection names), with selection offsets moved to the masked text.
"""

from __future__ import annotations

import uuid
import zipfile
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import HearingsError, SchemaValidationError
from chiiki.hearings.results import Result
from chiiki.i18n import Message, msg
from chiiki.model.hearings import Code, CodedSegment, Document

if TYPE_CHECKING:
    from chiiki.hearings.privacy import Redaction

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CHIIKI_NS = uuid.UUID("6f3c1d2e-8a4b-5c6d-9e0f-112233445566")
FACTOR_PREFIX = "chiiki:factor="
ORIGIN = "chiiki"
VARIABLES = ("source_type", "region", "hub", "hearing", "date")
PERSONAL_VARIABLE = "chiiki:contains_personal_data"


def stable_guid(kind: str, ident: object) -> str:
    return str(uuid.uuid5(CHIIKI_NS, f"{kind}:{ident}"))


def code_guid(code: Code) -> str:
    return code.refi_guid or stable_guid("code", code.id)


def document_guid(doc: Document) -> str:
    return doc.refi_guid or stable_guid("document", doc.id)


def segment_guid(seg: CodedSegment) -> str:
    return seg.refi_guid or stable_guid("segment", seg.id)


def user_guid(name: str) -> str:
    return stable_guid("user", name)


@lru_cache(maxsize=2)
def _schema(name: str) -> Any:
    """The parsed schema (cached: building an XMLSchema takes about a second)."""
    import xmlschema

    path = resources.files("chiiki.hearings").joinpath("resources", name)
    return xmlschema.XMLSchema(str(path))


def validate(xml: bytes, kind: str) -> None:
    """Raise :class:`SchemaValidationError` unless ``xml`` conforms to Codebook/Project.xsd."""
    schema = _schema("Codebook.xsd" if kind == "codebook" else "Project.xsd")
    try:
        tree = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise SchemaValidationError("hearings.xml_unreadable", kind=kind, line=exc.lineno or 0) from None
    errors = list(schema.iter_errors(tree))
    if errors:
        # The path only, never the reason: a reason quotes values, and values can be document text.
        raise SchemaValidationError("hearings.schema_invalid", kind=kind, path=str(errors[0].path or "/"))


def _color(value: str | None) -> str | None:
    if value and len(value) in (4, 7) and value.startswith("#"):
        try:
            int(value[1:], 16)
            return value.upper()
        except ValueError:
            return None
    return None


def _description(code: Code) -> str | None:
    lines = [code.description] if code.description else []
    if code.factor:
        lines.append(FACTOR_PREFIX + code.factor)
    return "\n".join(lines) if lines else None


def _code_element(ns: str, code: Code) -> etree._Element:
    el = etree.Element(f"{{{ns}}}Code", guid=code_guid(code), name=code.name, isCodable="true")
    if not code.is_codable:
        el.set("isCodable", "false")
    color = _color(code.color)
    if color:
        el.set("color", color)
    desc = _description(code)
    if desc:
        etree.SubElement(el, f"{{{ns}}}Description").text = desc
    for child in sorted(code.children, key=lambda c: c.id):
        el.append(_code_element(ns, child))
    return el


def _codes_element(session: Session, ns: str) -> etree._Element:
    roots = session.scalars(select(Code).where(Code.parent_id.is_(None)).order_by(Code.id)).all()
    if not roots:
        raise HearingsError("hearings.codebook_empty")
    codes = etree.Element(f"{{{ns}}}Codes")
    for code in roots:
        codes.append(_code_element(ns, code))
    return codes


def codebook_xml(session: Session) -> bytes:
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    root.append(_codes_element(session, CODEBOOK_NS))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def export_codebook(session: Session, path: str | Path) -> Result:
    """Write the codebook as a REFI-QDA ``.qdc`` file (validated before it is written)."""
    import pandas as pd

    xml = codebook_xml(session)
    validate(xml, "codebook")
    Path(path).write_bytes(xml)
    n = len(session.scalars(select(Code)).all())
    return Result(summary=pd.DataFrame([{"file": str(path), "codes": n}]), n=n)


def _iso(dt: datetime | None) -> str:
    return (dt or datetime(2000, 1, 1)).replace(microsecond=0).isoformat()


def project_xml(
    session: Session,
    documents: list[Document],
    name: str = "chiiki hearings",
    redaction: Redaction | None = None,
) -> tuple[bytes, dict[str, str]]:
    """``project.qde`` bytes and ``{guid: text}`` of the sources to put in ``sources/``.

    Every document given is written; ``redaction`` masks the known names in what is written.
    """
    from chiiki.hearings.privacy import Redaction
    from chiiki.hearings.selection import doc_meta, document_context

    red = redaction or Redaction.nothing_hidden()
    ns = PROJECT_NS
    root = etree.Element(f"{{{ns}}}Project", nsmap={None: ns}, name=name, origin=ORIGIN)
    doc_ids = [d.id for d in documents]
    segs = session.scalars(
        select(CodedSegment)
        .where(CodedSegment.document_id.in_(doc_ids))
        .order_by(CodedSegment.document_id, CodedSegment.start, CodedSegment.id)
    ).all()
    coders = sorted({s.coder for s in segs})
    if coders:
        users = etree.SubElement(root, f"{{{ns}}}Users")
        for c in coders:
            etree.SubElement(users, f"{{{ns}}}User", guid=user_guid(c), name=c)
    if session.scalar(select(Code.id).limit(1)) is not None:
        cb = etree.SubElement(root, f"{{{ns}}}CodeBook")
        cb.append(_codes_element(session, ns))
    variables = etree.SubElement(root, f"{{{ns}}}Variables")
    for v in VARIABLES:
        etree.SubElement(
            variables,
            f"{{{ns}}}Variable",
            guid=stable_guid("variable", v),
            name=v,
            typeOfVariable="Text",
        )
    personal_var = etree.SubElement(
        variables,
        f"{{{ns}}}Variable",
        guid=stable_guid("variable", PERSONAL_VARIABLE),
        name=PERSONAL_VARIABLE,
        typeOfVariable="Boolean",
    )
    etree.SubElement(
        personal_var, f"{{{ns}}}Description"
    ).text = "true: the source holds personal data (chiiki withholds its text unless asked)"
    texts: dict[str, str] = {}
    sources = etree.SubElement(root, f"{{{ns}}}Sources") if documents else None
    by_doc: dict[int, list[CodedSegment]] = {}
    for s in segs:
        by_doc.setdefault(s.document_id, []).append(s)
    for doc in documents:
        guid = document_guid(doc)
        masked = red.masked(doc.id, doc.text)
        texts[guid] = masked.text
        src = etree.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            guid=guid,
            name=red.text(doc.title) or guid,
            plainTextPath=f"internal://{guid}.txt",
            creationDateTime=_iso(doc.created),
        )
        for s in by_doc.get(doc.id, []):
            start, end = masked.to_new(s.start), masked.to_new(s.end, end=True)
            sel = etree.SubElement(
                src,
                f"{{{ns}}}PlainTextSelection",
                guid=segment_guid(s),
                name=masked.text[start:end][:60],
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user_guid(s.coder),
                creationDateTime=_iso(s.created),
            )
            if s.memo:
                etree.SubElement(sel, f"{{{ns}}}Description").text = red.text(s.memo)
            coding = etree.SubElement(
                sel,
                f"{{{ns}}}Coding",
                guid=stable_guid("coding", segment_guid(s)),
                creatingUser=user_guid(s.coder),
                creationDateTime=_iso(s.created),
            )
            etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID=code_guid(s.code))
        meta = doc_meta(doc, document_context(session, doc))
        for v in VARIABLES:
            if meta.get(v):
                vv = etree.SubElement(src, f"{{{ns}}}VariableValue")
                etree.SubElement(vv, f"{{{ns}}}VariableRef", targetGUID=stable_guid("variable", v))
                etree.SubElement(vv, f"{{{ns}}}TextValue").text = meta[v]
        vv = etree.SubElement(src, f"{{{ns}}}VariableValue")
        etree.SubElement(vv, f"{{{ns}}}VariableRef", targetGUID=stable_guid("variable", PERSONAL_VARIABLE))
        etree.SubElement(vv, f"{{{ns}}}BooleanValue").text = "true" if doc.contains_personal_data else "false"
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, texts


def export_qdpx(
    session: Session,
    path: str | Path,
    *,
    redaction: Redaction | None = None,
    include_samples: bool = True,
    name: str = "chiiki hearings",
) -> Result:
    """Write the whole project (codebook, documents, coded segments) as a ``.qdpx`` zip.

    Documents whose text ``redaction`` withholds are left out (a warning counts them); without
    a redaction every document is written as stored.
    """
    import pandas as pd

    from chiiki.hearings.privacy import Redaction

    red = redaction or Redaction.nothing_hidden()
    docs = session.scalars(select(Document).order_by(Document.id)).all()
    warnings: list[Message] = []
    skipped = [d for d in docs if red.withholds(d.contains_personal_data)]
    if skipped:
        warnings.append(msg("hearings.qdpx_personal_left_out", "warning", n=len(skipped)))
    docs = [d for d in docs if d not in skipped and (include_samples or not d.is_sample)]
    xml, texts = project_xml(session, docs, name=name, redaction=red)
    validate(xml, "project")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        for guid, text in texts.items():
            z.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    n_sel = xml.count(b"<PlainTextSelection ")
    summary = pd.DataFrame([{"file": str(path), "sources": len(docs), "selections": n_sel, "skipped": len(skipped)}])
    return Result(summary=summary, warnings=warnings, n=len(docs))


# ---------------------------------------------------------------- import


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _split_description(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    lines = text.split("\n")
    factor = None
    if lines and lines[-1].startswith(FACTOR_PREFIX):
        factor = lines.pop()[len(FACTOR_PREFIX) :]
    return ("\n".join(lines) or None), factor


def _import_code_tree(session: Session, el: Any, ns: str, parent: Code | None, out: dict[str, Code]) -> None:
    guid = el.get("guid")
    code = session.scalar(select(Code).where(Code.refi_guid == guid))
    if code is None:
        code = session.scalar(select(Code).where(Code.name == el.get("name")))
    if code is None:
        code = Code(name=el.get("name"))
        session.add(code)
    desc_el = el.find(_q(ns, "Description"))
    desc, factor = _split_description(desc_el.text if desc_el is not None else None)
    code.refi_guid = guid
    code.parent = parent
    code.description = desc
    code.factor = factor
    code.color = el.get("color")
    code.is_codable = el.get("isCodable", "true") == "true"
    session.flush()
    out[guid] = code
    for child in el.findall(_q(ns, "Code")):
        _import_code_tree(session, child, ns, code, out)


def _import_codes(session: Session, codes_el: Any, ns: str) -> dict[str, Code]:
    out: dict[str, Code] = {}
    if codes_el is not None:
        for el in codes_el.findall(_q(ns, "Code")):
            _import_code_tree(session, el, ns, None, out)
    return out


def import_codebook(session: Session, path: str | Path) -> Result:
    """Read a ``.qdc`` codebook (validated) into the codebook; existing names are updated."""
    import pandas as pd

    xml = Path(path).read_bytes()
    validate(xml, "codebook")
    root = etree.fromstring(xml)
    codes = _import_codes(session, root.find(_q(CODEBOOK_NS, "Codes")), CODEBOOK_NS)
    summary = pd.DataFrame([{"file": str(path), "codes": len(codes)}])
    return Result(summary=summary, n=len(codes))


def import_qdpx(session: Session, path: str | Path, source_type: str = "transcript") -> Result:
    """Read a ``.qdpx`` project: codes, text sources and their coded selections.

    A source already imported (same GUID) is reused, so importing twice adds nothing.
    ``source_type`` is the type of sources that carry no ``source_type`` variable; the personal
    flag comes from the ``chiiki:contains_personal_data`` variable, else from the type (see the
    module docstring).
    """
    import pandas as pd

    ns = PROJECT_NS
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise HearingsError("hearings.qdpx_unreadable", file=Path(path).name) from None
    with z:
        if "project.qde" not in z.namelist():
            raise HearingsError("hearings.qdpx_unreadable", file=Path(path).name)
        xml = z.read("project.qde")
        validate(xml, "project")
        root = etree.fromstring(xml)
        users = {u.get("guid"): u.get("name") or u.get("guid") for u in root.iter(_q(ns, "User"))}
        cb = root.find(_q(ns, "CodeBook"))
        codes = _import_codes(session, cb.find(_q(ns, "Codes")) if cb is not None else None, ns)
        variables = {v.get("guid"): v.get("name") for v in root.iter(_q(ns, "Variable"))}
        n_docs = n_segs = 0
        warnings: list[Message] = []
        sources = root.find(_q(ns, "Sources"))
        for src in sources.findall(_q(ns, "TextSource")) if sources is not None else []:
            doc = _import_source(session, z, src, ns, variables, source_type)
            n_docs += 1
            for sel in src.findall(_q(ns, "PlainTextSelection")):
                n_segs += _import_selection(session, doc, sel, ns, codes, users, warnings)
    summary = pd.DataFrame([{"file": str(path), "sources": n_docs, "segments": n_segs, "codes": len(codes)}])
    return Result(summary=summary, warnings=warnings, n=n_segs)


def _source_text(z: zipfile.ZipFile, src: Any, ns: str) -> str:
    content = src.find(_q(ns, "PlainTextContent"))
    if content is not None and content.text is not None:
        return content.text
    ref = src.get("plainTextPath") or ""
    name = ref.split("internal://", 1)[1] if ref.startswith("internal://") else ref
    for candidate in (f"sources/{name}", f"Sources/{name}", name):
        if candidate in z.namelist():
            from chiiki.hearings.importing import decode_bytes

            return decode_bytes(z.read(candidate))[0]
    raise HearingsError("hearings.qdpx_source_missing", ref=ref)


def _variable_values(src: Any, ns: str, variables: dict[str, str]) -> tuple[dict[str, str], bool | None]:
    """A source's text variables by name, and its personal-data flag (None when absent)."""
    meta: dict[str, str] = {}
    personal: bool | None = None
    for vv in src.findall(_q(ns, "VariableValue")):
        ref = vv.find(_q(ns, "VariableRef"))
        if ref is None:
            continue
        name = variables.get(ref.get("targetGUID"), ref.get("targetGUID"))
        text_value = vv.find(_q(ns, "TextValue"))
        bool_value = vv.find(_q(ns, "BooleanValue"))
        if name == PERSONAL_VARIABLE and bool_value is not None and bool_value.text:
            personal = bool_value.text.strip().lower() in ("true", "1")
        elif text_value is not None and text_value.text:
            meta[name] = text_value.text
    return meta, personal


def _import_source(
    session: Session, z: zipfile.ZipFile, src: Any, ns: str, variables: dict[str, str], source_type: str
) -> Document:
    from chiiki.hearings.importing import PERSONAL_SOURCE_TYPES
    from chiiki.model.enums import SourceType, values

    meta, personal = _variable_values(src, ns, variables)
    st = meta.pop("source_type", source_type)
    st = st if st in values(SourceType) else SourceType.OTHER.value
    flag = personal if personal is not None else st in PERSONAL_SOURCE_TYPES
    guid = src.get("guid")
    doc = session.scalar(select(Document).where(Document.refi_guid == guid))
    if doc is None:
        # The same text already here under another GUID (e.g. the bundled Table 1 documents, which
        # every chiiki database has): reuse it instead of doubling every word count.
        title, text = src.get("name") or guid, _source_text(z, src, ns)
        doc = session.scalar(select(Document).where(Document.title == title, Document.text == text).limit(1))
    if doc is not None:
        if flag and not doc.contains_personal_data:  # a flag is only ever raised by an import
            doc.contains_personal_data = True
            session.flush()
        return doc
    doc = Document(
        title=title,
        source_type=st,
        text=text,
        original_filename=src.get("plainTextPath"),
        encoding="utf-8",
        meta={k: v for k, v in meta.items() if k in ("region", "date", "org_kind")},
        refi_guid=guid,
        contains_personal_data=flag,
    )
    session.add(doc)
    session.flush()
    return doc


def _import_selection(
    session: Session,
    doc: Document,
    sel: Any,
    ns: str,
    codes: dict[str, Code],
    users: dict[str, str],
    warnings: list[Message],
) -> int:
    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    if not 0 <= start < end <= len(doc.text):
        warnings.append(msg("hearings.qdpx_bad_selection", "warning", selection=sel.get("guid"), start=start, end=end))
        return 0
    desc = sel.find(_q(ns, "Description"))
    n = 0
    for coding in sel.findall(_q(ns, "Coding")):
        ref = coding.find(_q(ns, "CodeRef")).get("targetGUID")
        code = codes.get(ref) or session.scalar(select(Code).where(Code.refi_guid == ref))
        if code is None:
            warnings.append(msg("hearings.qdpx_unknown_code", "warning", selection=sel.get("guid"), name=ref))
            continue
        user = coding.get("creatingUser") or sel.get("creatingUser")
        coder = users.get(user, user or "default")
        exists = session.scalar(
            select(CodedSegment).where(
                CodedSegment.document_id == doc.id,
                CodedSegment.code_id == code.id,
                CodedSegment.coder == coder,
                CodedSegment.start == start,
                CodedSegment.end == end,
            )
        )
        if exists is None:
            session.add(
                CodedSegment(
                    document_id=doc.id,
                    code_id=code.id,
                    coder=coder,
                    start=start,
                    end=end,
                    memo=desc.text if desc is not None else None,
                    refi_guid=sel.get("guid") if n == 0 else None,
                )
            )
            n += 1
    session.flush()
    return n
