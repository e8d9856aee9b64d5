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
memos, selection names), with selection offsets moved to the masked text. An export says what it
left out (documents and their coded segments, by count); sample sources carry the sample mark in
their name and a ``chiiki:is_sample`` Boolean variable.

Other tools' files: Taguette writes an empty ``<Sets/>`` that the XSD forbids (a Sets element
must hold a Set). Such a known, harmless deviation is removed before validation and reported as
a warning; any other schema error refuses the file with one line (file, line, reason). Selections
outside their source's text are refused, naming the selection. Archives (.qdpx) go through the
size caps of :func:`chiiki.ingest.archive.check_archive` before anything is inflated.

Codebook CSV (Taguette's codebook format and ours): one path column (``path``, else ``tag``,
else ``name``; Taguette refuses a file with two of them) plus ``description``; chiiki adds
``color`` and ``factor``, which Taguette ignores. A path is the code's ancestors and name joined
by ``" > "`` (:data:`PATH_SEP`).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
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
SAMPLE_VARIABLE = "chiiki:is_sample"
# Uncompressed size caps of a .qdpx (see _check_archive): one member, and the whole project.
QDPX_MAX_MEMBER = 64 * 2**20
QDPX_MAX_TOTAL = 256 * 2**20
PATH_SEP = " > "
CSV_COLUMNS = ["path", "description", "color", "factor"]
# Header aliases of a codebook CSV (compared after NFKC, lower case): ours, Taguette's, Japanese.
PATH_HEADERS = ("path", "tag", "name")
HEADER_ALIASES = {
    "path": "path",
    "階層": "path",
    "tag": "tag",
    "name": "name",
    "code": "name",
    "コード": "name",
    "description": "description",
    "説明": "description",
    "定義": "description",
    "color": "color",
    "colour": "color",
    "色": "color",
    "factor": "factor",
    "重要因子": "factor",
    "parent": "parent",
    "親コード": "parent",
}
_QUOTED = re.compile(r"'([^']*)'")
_NAMESPACE = re.compile(r"\{urn:QDA-XML:[a-z]+:1\.0\}")
# Entities are never resolved and nothing is fetched: a REFI file is data, not a program.
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}


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


def _parser() -> Any:
    return etree.XMLParser(**_PARSER_OPTIONS)


@lru_cache(maxsize=1)
def _schema_names() -> frozenset[str]:
    """Every element, attribute and type name the two REFI schemas declare."""
    names: set[str] = set()
    for xsd in ("Codebook.xsd", "Project.xsd"):
        path = resources.files("chiiki.hearings").joinpath("resources", xsd)
        tree = etree.fromstring(path.read_bytes(), _parser())
        names.update(el.get("name") for el in tree.iter() if isinstance(el.tag, str) and el.get("name"))
    return frozenset(names)


def _keep_quoted(match: re.Match[str]) -> str:
    """A quoted piece of a schema error: a schema name stays, any value becomes ``'…'``."""
    inner = _NAMESPACE.sub("", match.group(1))
    if inner in _schema_names() or inner.startswith(("xs:", "xsd:")):
        return "'" + inner + "'"
    return "'…'"


def _short_reason(reason: str | None) -> str:
    """A schema error's reason on one short line: names of the schema kept, every quoted value
    replaced by ``'…'`` (a value can be a selection's text, i.e. personal data)."""
    lines = (reason or "").strip().splitlines()
    text = _QUOTED.sub(_keep_quoted, lines[0] if lines else "")
    text = _NAMESPACE.sub("", text)
    return text if len(text) <= 160 else text[:159] + "…"


def _remove_known_deviations(tree: Any, kind: str, file: str) -> list[Message]:
    """Remove what other tools write that the XSD forbids but that means nothing (an empty
    ``<Sets/>``, Taguette's), one warning each."""
    warnings: list[Message] = []
    for ns in (CODEBOOK_NS, PROJECT_NS):
        for sets in list(tree.iter(f"{{{ns}}}Sets")):
            if len(sets) == 0 and not (sets.text or "").strip():
                warnings.append(
                    msg("hearings.refi_empty_sets", "warning", kind=kind, file=file, line=sets.sourceline or 0)
                )
                sets.getparent().remove(sets)
    return warnings


def parse_refi(xml: bytes, kind: str, *, file: str = "", tolerate: bool = True) -> tuple[Any, list[Message]]:
    """The parsed, schema-valid root of a Codebook/Project document, and the warnings about
    known deviations it had (see the module docstring); :class:`SchemaValidationError` otherwise,
    with the file, the line and a one-line reason."""
    schema = _schema("Codebook.xsd" if kind == "codebook" else "Project.xsd")
    try:
        tree = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise SchemaValidationError("hearings.xml_unreadable", kind=kind, file=file, line=exc.lineno or 0) from None
    warnings = _remove_known_deviations(tree, kind, file) if tolerate else []
    error = next(iter(schema.iter_errors(tree)), None)
    if error is not None:
        elem = getattr(error, "elem", None)
        line = getattr(elem, "sourceline", None) or 0
        raise SchemaValidationError(
            "hearings.schema_invalid",
            kind=kind,
            file=file,
            line=line,
            path=str(error.path or "/"),
            reason=_short_reason(getattr(error, "reason", None)),
        )
    return tree, warnings


def validate(xml: bytes, kind: str, *, file: str = "", tolerate: bool = False) -> list[Message]:
    """Raise :class:`SchemaValidationError` unless ``xml`` conforms to Codebook/Project.xsd
    (with ``tolerate``, after removing the known deviations, whose warnings are returned)."""
    return parse_refi(xml, kind, file=file, tolerate=tolerate)[1]


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
    """Write the codebook as a REFI-QDA ``.qdc`` file (validated before it is written), or as a
    codebook CSV that Taguette imports when the name ends in ``.csv``."""
    import pandas as pd

    from chiiki.ingest.atomic import write_bytes

    if Path(path).suffix.lower() == ".csv":
        return export_codebook_csv(session, path)
    xml = codebook_xml(session)
    validate(xml, "codebook", file=Path(path).name)
    write_bytes(path, xml)
    n = len(session.scalars(select(Code)).all())
    return Result(summary=pd.DataFrame([{"file": str(path), "codes": n}]), n=n)


def codebook_rows(session: Session) -> list[dict[str, str]]:
    """The codebook as CSV rows (:data:`CSV_COLUMNS`), parents before their children."""
    from chiiki.hearings.qda import code_path

    rows = []

    def walk(code: Code) -> None:
        rows.append(
            {
                "path": code_path(code),
                "description": code.description or "",
                "color": code.color or "",
                "factor": code.factor or "",
            }
        )
        for child in sorted(code.children, key=lambda c: c.id):
            walk(child)

    for root in session.scalars(select(Code).where(Code.parent_id.is_(None)).order_by(Code.id)):
        walk(root)
    return rows


def export_codebook_csv(session: Session, path: str | Path) -> Result:
    """The codebook as CSV (UTF-8 with BOM; Taguette's import reads ``path`` and ``description``
    and ignores the rest); cells that would start a formula are escaped (OWASP)."""
    import csv

    import pandas as pd

    from chiiki.ingest.atomic import atomic_open
    from chiiki.ingest.formulas import escape_cell

    rows = codebook_rows(session)
    if not rows:
        raise HearingsError("hearings.codebook_empty")
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow([escape_cell(r[c]) for c in CSV_COLUMNS])
    return Result(summary=pd.DataFrame([{"file": str(path), "codes": len(rows)}]), n=len(rows))


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
    from chiiki.hearings.documents import is_sample_document
    from chiiki.hearings.importing import SAMPLE_MARK
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
    sample_var = etree.SubElement(
        variables,
        f"{{{ns}}}Variable",
        guid=stable_guid("variable", SAMPLE_VARIABLE),
        name=SAMPLE_VARIABLE,
        typeOfVariable="Boolean",
    )
    etree.SubElement(sample_var, f"{{{ns}}}Description").text = "true: a made-up sample, not a real record"
    texts: dict[str, str] = {}
    sources = etree.SubElement(root, f"{{{ns}}}Sources") if documents else None
    by_doc: dict[int, list[CodedSegment]] = {}
    for s in segs:
        by_doc.setdefault(s.document_id, []).append(s)
    for doc in documents:
        guid = document_guid(doc)
        masked = red.masked(doc.id, doc.text)
        texts[guid] = masked.text
        sample = is_sample_document(doc)
        title = red.text(doc.title) or guid
        if sample and SAMPLE_MARK not in title:
            title = SAMPLE_MARK + title
        src = etree.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            guid=guid,
            name=title,
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
        vv = etree.SubElement(src, f"{{{ns}}}VariableValue")
        etree.SubElement(vv, f"{{{ns}}}VariableRef", targetGUID=stable_guid("variable", SAMPLE_VARIABLE))
        etree.SubElement(vv, f"{{{ns}}}BooleanValue").text = "true" if sample else "false"
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, texts


def _segment_count(session: Session, docs: list[Document]) -> int:
    from sqlalchemy import func

    if not docs:
        return 0
    ids = [d.id for d in docs]
    return int(session.scalar(select(func.count()).where(CodedSegment.document_id.in_(ids))) or 0)


def export_qdpx(
    session: Session,
    path: str | Path,
    *,
    redaction: Redaction | None = None,
    include_samples: bool = True,
    name: str = "chiiki hearings",
) -> Result:
    """Write the project (codebook, documents, coded segments) as a ``.qdpx`` zip.

    The codebook always goes in; so does every document the caller may carry, with its coded
    selections. Documents whose text ``redaction`` withholds are left out, and sample documents
    when ``include_samples`` is False: a warning counts each group and the coded segments that
    went with it. Without a redaction every document is written as stored. The file appears
    only when complete (temporary name, then rename).
    """
    import pandas as pd

    from chiiki.hearings.documents import is_sample_document
    from chiiki.hearings.privacy import Redaction
    from chiiki.ingest.atomic import atomic_path

    red = redaction or Redaction.nothing_hidden()
    docs = list(session.scalars(select(Document).order_by(Document.id)))
    warnings: list[Message] = []
    personal = [d for d in docs if red.withholds(d.contains_personal_data)]
    samples = [d for d in docs if not include_samples and d not in personal and is_sample_document(d)]
    if personal:
        warnings.append(
            msg(
                "hearings.qdpx_personal_left_out",
                "warning",
                n=len(personal),
                segments=_segment_count(session, personal),
            )
        )
    if samples:
        warnings.append(
            msg("hearings.qdpx_samples_left_out", "info", n=len(samples), segments=_segment_count(session, samples))
        )
    docs = [d for d in docs if d not in personal and d not in samples]
    n_sample = sum(1 for d in docs if is_sample_document(d))
    if n_sample:
        warnings.append(msg("hearings.qdpx_samples_marked", "info", n=n_sample))
    xml, texts = project_xml(session, docs, name=name, redaction=red)
    validate(xml, "project", file=Path(path).name)
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        for guid, text in texts.items():
            z.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    n_sel = xml.count(b"<PlainTextSelection ")
    n_codes = len(session.scalars(select(Code.id)).all())
    summary = pd.DataFrame(
        [
            {
                "file": str(path),
                "sources": len(docs),
                "selections": n_sel,
                "codes": n_codes,
                "skipped": len(personal) + len(samples),
                "skipped_segments": _segment_count(session, personal + samples),
            }
        ]
    )
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


def _path_parent(session: Session, names: list[str], parent: Code | None) -> Code | None:
    """The code at ``names`` below ``parent`` (created when missing): a flat path's ancestors."""
    for name in names:
        code = session.scalar(select(Code).where(Code.name == name))
        if code is None:
            code = Code(name=name, parent=parent)
            session.add(code)
            session.flush()
        parent = code
    return parent


def _import_code_tree(
    session: Session, el: Any, ns: str, parent: Code | None, out: dict[str, Code], taguette: bool = False
) -> None:
    """One REFI Code element and its children. From Taguette (flat codes, no descriptions): a
    name ``A > B`` is code B under A, as our CSV export wrote it, and what Taguette does not
    carry (description, colour) is kept rather than cleared."""
    guid = el.get("guid")
    name = el.get("name")
    if taguette and PATH_SEP in name:
        *ancestors, name = [part.strip() for part in name.split(PATH_SEP.strip())]
        parent = _path_parent(session, [a for a in ancestors if a], parent)
    code = session.scalar(select(Code).where(Code.refi_guid == guid))
    if code is None:
        code = session.scalar(select(Code).where(Code.name == name))
    if code is None:
        code = Code(name=name)
        session.add(code)
    desc_el = el.find(_q(ns, "Description"))
    desc, factor = _split_description(desc_el.text if desc_el is not None else None)
    code.refi_guid = guid
    code.parent = parent
    if not taguette or desc_el is not None:
        code.description = desc
        code.factor = factor
    if not taguette or el.get("color"):
        code.color = el.get("color")
    code.is_codable = el.get("isCodable", "true") == "true"
    session.flush()
    out[guid] = code
    for child in el.findall(_q(ns, "Code")):
        _import_code_tree(session, child, ns, code, out, taguette)


def _import_codes(session: Session, codes_el: Any, ns: str, origin: str | None = None) -> dict[str, Code]:
    out: dict[str, Code] = {}
    taguette = (origin or "").lower().startswith("taguette")
    if codes_el is not None:
        for el in codes_el.findall(_q(ns, "Code")):
            _import_code_tree(session, el, ns, None, out, taguette)
    return out


def import_codebook(session: Session, path: str | Path) -> Result:
    """Read a codebook into the codebook; codes of the same name are updated.

    ``.csv``/``.xlsx``: a codebook CSV (ours or Taguette's, see the module docstring); anything
    else: a REFI-QDA ``.qdc`` (validated; known deviations of other tools are warnings).
    """
    import pandas as pd

    p = Path(path)
    if p.suffix.lower() in (".csv", ".tsv", ".xlsx"):
        return import_codebook_csv(session, p)
    tree, warnings = parse_refi(p.read_bytes(), "codebook", file=p.name, tolerate=True)
    codes = _import_codes(session, tree.find(_q(CODEBOOK_NS, "Codes")), CODEBOOK_NS, tree.get("origin"))
    summary = pd.DataFrame([{"file": str(path), "codes": len(codes)}])
    return Result(summary=summary, warnings=warnings, n=len(codes))


def _header_map(headers: list[str]) -> dict[str, str]:
    """``{field: header as written}`` for the headers we know (NFKC, case-insensitive)."""
    out: dict[str, str] = {}
    for h in headers:
        field = HEADER_ALIASES.get(unicodedata.normalize("NFKC", h or "").strip().lower())
        if field and field not in out:
            out[field] = h
    return out


def _csv_rows(path: Path) -> tuple[dict[str, str], Iterator[tuple[int, dict[str, object]]]]:
    from chiiki.ingest.readers import open_table

    def is_header(headers: list[str]) -> bool:  # a title row above the header is skipped
        return any(f in PATH_HEADERS for f in _header_map(headers))

    table, rows = open_table(path, is_header=is_header)
    fields = _header_map(list(table.headers))
    if not any(f in fields for f in PATH_HEADERS):
        raise HearingsError(
            "hearings.codebook_csv_no_column", file=path.name, columns=", ".join(h for h in table.headers if h)
        )
    return fields, rows


def _cell(record: dict[str, object], fields: dict[str, str], field: str) -> str:
    header = fields.get(field)
    value = record.get(header) if header is not None else None
    return "" if value is None else str(value).strip()


def import_codebook_csv(session: Session, path: str | Path) -> Result:
    """Read a codebook CSV (or XLSX): ``path`` (else ``tag``, else ``name`` with an optional
    ``parent``), ``description``, ``color``, ``factor``.

    All or nothing: an empty path, a path or code name given twice or a colour that is not
    ``#RRGGBB`` is an error naming the file, row and column, and nothing is stored.
    """
    import pandas as pd

    from chiiki.hearings.qda import get_code

    p = Path(path)
    fields, rows = _csv_rows(p)
    column = next(f for f in PATH_HEADERS if f in fields)
    seen_paths: dict[str, int] = {}
    seen_names: dict[str, tuple[int, str]] = {}
    parsed: list[tuple[int, list[str], dict[str, str]]] = []
    for number, record in rows:
        raw = _cell(record, fields, column)
        if not raw:
            raise HearingsError("hearings.codebook_csv_empty", file=p.name, row=number, column=fields[column])
        # Taguette's tag column holds what our path column held (it has no hierarchy of its own)
        parts = [part.strip() for part in raw.split(PATH_SEP.strip())] if column != "name" else [raw]
        if column != "path" and _cell(record, fields, "parent"):
            parts = [part.strip() for part in _cell(record, fields, "parent").split(PATH_SEP.strip())] + parts
        if any(not part for part in parts):
            raise HearingsError("hearings.codebook_csv_empty", file=p.name, row=number, column=fields[column])
        key = unicodedata.normalize("NFKC", PATH_SEP.join(parts))
        if key in seen_paths:
            raise HearingsError(
                "hearings.codebook_csv_duplicate", file=p.name, row=number, column=fields[column], first=seen_paths[key]
            )
        seen_paths[key] = number
        name_key = unicodedata.normalize("NFKC", parts[-1])
        if name_key in seen_names and seen_names[name_key][1] != key:
            raise HearingsError(
                "hearings.codebook_csv_name_twice",
                file=p.name,
                row=number,
                column=fields[column],
                name=parts[-1],
                first=seen_names[name_key][0],
            )
        seen_names[name_key] = (number, key)
        color = _cell(record, fields, "color")
        if color and _color(color) is None:
            raise HearingsError(
                "hearings.codebook_csv_bad_color", file=p.name, row=number, column=fields["color"], value=color[:20]
            )
        extra = {f: _cell(record, fields, f) for f in ("description", "color", "factor")}
        parsed.append((number, parts, extra))
    if not parsed:
        raise HearingsError("hearings.codebook_csv_no_rows", file=p.name)
    for _number, parts, extra in parsed:
        parent: Code | None = None
        for depth, part in enumerate(parts):
            try:
                code = get_code(session, part)
            except HearingsError:
                code = Code(name=part)
                session.add(code)
            if depth == len(parts) - 1:
                code.parent = parent
                if "description" in fields:
                    code.description = extra["description"] or None
                if "color" in fields:
                    code.color = _color(extra["color"])
                if "factor" in fields:
                    code.factor = extra["factor"] or None
            elif code.parent is None and parent is not None and code is not parent:
                code.parent = parent
            session.flush()
            parent = code
    summary = pd.DataFrame([{"file": str(p), "codes": len(parsed)}])
    return Result(summary=summary, n=len(parsed))


def _check_archive(path: Path) -> None:
    """The archive caps for a project: tighter than the spreadsheet defaults, because lxml builds
    a tree of ``project.qde`` several times its size and a source is one transcript's text."""
    from chiiki.ingest.archive import check_archive
    from chiiki.ingest.readers import ReadError

    try:
        check_archive(path, label=path.name, max_member=QDPX_MAX_MEMBER, max_total=QDPX_MAX_TOTAL)
    except ReadError as exc:
        if exc.message.code == "ingest.archive_not_zip":  # say what a .qdpx should be, not only "not a zip"
            raise HearingsError("hearings.qdpx_unreadable", file=path.name) from None
        raise


def import_qdpx(session: Session, path: str | Path, source_type: str = "transcript") -> Result:
    """Read a ``.qdpx`` project: codes, text sources and their coded selections.

    A source already imported (same GUID, or the same text: the content hash) is reused, so
    importing twice adds nothing. ``source_type`` is the type of sources that carry no
    ``source_type`` variable; the personal flag comes from the ``chiiki:contains_personal_data``
    variable, else from the type (see the module docstring). The archive's sizes are checked
    before anything is inflated; a selection outside its source's text refuses the file.
    """
    import pandas as pd

    ns = PROJECT_NS
    p = Path(path)
    _check_archive(p)
    try:
        z = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError):
        raise HearingsError("hearings.qdpx_unreadable", file=p.name) from None
    with z:
        if "project.qde" not in z.namelist():
            raise HearingsError("hearings.qdpx_unreadable", file=p.name)
        root, warnings = parse_refi(z.read("project.qde"), "project", file=f"{p.name}:project.qde", tolerate=True)
        users = {u.get("guid"): u.get("name") or u.get("guid") for u in root.iter(_q(ns, "User"))}
        cb = root.find(_q(ns, "CodeBook"))
        codes = _import_codes(session, cb.find(_q(ns, "Codes")) if cb is not None else None, ns, root.get("origin"))
        variables = {v.get("guid"): v.get("name") for v in root.iter(_q(ns, "Variable"))}
        n_docs = n_segs = 0
        sources = root.find(_q(ns, "Sources"))
        for src in sources.findall(_q(ns, "TextSource")) if sources is not None else []:
            doc = _import_source(session, z, src, ns, variables, source_type)
            n_docs += 1
            for sel in src.findall(_q(ns, "PlainTextSelection")):
                n_segs += _import_selection(session, doc, sel, ns, codes, users, warnings, file=p.name)
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


def _variable_values(src: Any, ns: str, variables: dict[str, str]) -> tuple[dict[str, str], bool | None, bool | None]:
    """A source's text variables by name, its personal-data flag and its sample flag (None when absent)."""
    meta: dict[str, str] = {}
    personal: bool | None = None
    sample: bool | None = None
    for vv in src.findall(_q(ns, "VariableValue")):
        ref = vv.find(_q(ns, "VariableRef"))
        if ref is None:
            continue
        name = variables.get(ref.get("targetGUID"), ref.get("targetGUID"))
        text_value = vv.find(_q(ns, "TextValue"))
        bool_value = vv.find(_q(ns, "BooleanValue"))
        if name == PERSONAL_VARIABLE and bool_value is not None and bool_value.text:
            personal = bool_value.text.strip().lower() in ("true", "1")
        elif name == SAMPLE_VARIABLE and bool_value is not None and bool_value.text:
            sample = bool_value.text.strip().lower() in ("true", "1")
        elif text_value is not None and text_value.text:
            meta[name] = text_value.text
    return meta, personal, sample


def _import_source(
    session: Session, z: zipfile.ZipFile, src: Any, ns: str, variables: dict[str, str], source_type: str
) -> Document:
    from chiiki.hearings.importing import PERSONAL_SOURCE_TYPES, SAMPLE_MARK, content_hash
    from chiiki.model.enums import SourceType, values

    meta, personal, sample = _variable_values(src, ns, variables)
    st = meta.pop("source_type", source_type)
    st = st if st in values(SourceType) else SourceType.OTHER.value
    flag = personal if personal is not None else st in PERSONAL_SOURCE_TYPES
    guid = src.get("guid")
    doc = session.scalar(select(Document).where(Document.refi_guid == guid))
    if doc is None:
        # The same text already here under another GUID (e.g. the bundled Table 1 documents, which
        # every chiiki database has): reuse it instead of doubling every word count.
        title, text = src.get("name") or guid, _source_text(z, src, ns)
        from chiiki.hearings.importing import normalize_newlines

        text = normalize_newlines(text)
        digest = content_hash(text)
        doc = session.scalar(select(Document).where(Document.content_hash == digest).order_by(Document.id).limit(1))
    if doc is not None:
        if flag and not doc.contains_personal_data:  # a flag is only ever raised by an import
            doc.contains_personal_data = True
            session.flush()
        return doc
    doc = Document(
        title=title,
        source_type=st,
        text=text,
        content_hash=digest,
        is_sample=bool(sample) or SAMPLE_MARK in title,
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
    file: str = "",
) -> int:
    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    if not 0 <= start < end <= len(doc.text):
        raise HearingsError(
            "hearings.qdpx_bad_selection",
            file=file,
            selection=sel.get("guid"),
            start=start,
            end=end,
            length=len(doc.text),
        )
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
