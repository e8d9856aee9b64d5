"""Qualitative coding: a hierarchical codebook, coded segments, retrieval and code matrices.

Segments are character offsets into the stored document text, like REFI-QDA's
PlainTextSelection. Coding by search string finds the string literally first and, failing
that, after NFKC on both sides (ＫＩＳＴＥＣ = KISTEC), mapping offsets back to the original.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import NotFoundError, OffsetError, SearchNotFoundError, one_of
from chiiki.hearings.results import Result
from chiiki.i18n import msg
from chiiki.model.hearings import Code, CodedSegment, Document

if TYPE_CHECKING:
    from chiiki.hearings.privacy import Redaction

MATRIX_BY = ("hub", "org_kind", "region", "source_type", "document")
MATRIX_COUNTS = ("segments", "documents")


def add_code(
    session: Session,
    name: str,
    *,
    parent: str | int | None = None,
    description: str | None = None,
    color: str | None = None,
    factor: str | None = None,
) -> Code:
    """Add a code (or update the one with this name); ``factor`` links a key-factor name."""
    code = session.scalar(select(Code).where(Code.name == name))
    if code is None:
        code = Code(name=name)
        session.add(code)
    if parent is not None:
        code.parent = get_code(session, parent)
    if description is not None:
        code.description = description
    if color is not None:
        code.color = color
    if factor is not None:
        code.factor = factor
    session.flush()
    return code


def get_code(session: Session, ref: str | int | Code) -> Code:
    """A code by object, id or name (names compared after NFKC)."""
    if isinstance(ref, Code):
        return ref
    code = None
    if isinstance(ref, int) or str(ref).isdigit():
        code = session.get(Code, int(ref))
    if code is None:
        code = session.scalar(select(Code).where(Code.name == str(ref)))
    if code is None:
        wanted = unicodedata.normalize("NFKC", str(ref))
        for c in session.scalars(select(Code)):
            if unicodedata.normalize("NFKC", c.name) == wanted:
                return c
        raise NotFoundError("hearings.code_not_found", ref=str(ref))
    return code


def code_path(code: Code) -> str:
    parts = []
    node: Code | None = code
    while node is not None:
        parts.append(node.name)
        node = node.parent
    return " > ".join(reversed(parts))


def code_with_descendants(session: Session, code: Code) -> list[Code]:
    out, stack = [], [code]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def list_codes(session: Session) -> Result:
    import pandas as pd

    counts: dict[int, int] = {
        int(cid): int(n)
        for cid, n in session.execute(select(CodedSegment.code_id, func.count()).group_by(CodedSegment.code_id))
    }
    rows = [
        {
            "id": c.id,
            "name": c.name,
            "path": code_path(c),
            "parent": c.parent.name if c.parent else "",
            "description": c.description or "",
            "color": c.color or "",
            "factor": c.factor or "",
            "segments": counts.get(c.id, 0),
        }
        for c in session.scalars(select(Code).order_by(Code.id))
    ]
    cols = ["id", "name", "path", "parent", "description", "color", "factor", "segments"]
    return Result(summary=pd.DataFrame(rows, columns=cols), n=len(rows))


def _document(session: Session, document: int | Document) -> Document:
    if isinstance(document, Document):
        return document
    doc = session.get(Document, int(document))
    if doc is None:
        raise NotFoundError("hearings.document_not_found", ref=str(document))
    return doc


def add_segment(
    session: Session,
    document: int | Document,
    code: str | int | Code,
    start: int,
    end: int,
    *,
    coder: str = "default",
    memo: str | None = None,
) -> CodedSegment:
    """Code ``text[start:end]``; the same span/code/coder twice is one segment."""
    doc = _document(session, document)
    if not (0 <= start < end <= len(doc.text)):
        raise OffsetError("hearings.offsets_outside", start=start, end=end, document=doc.id, length=len(doc.text))
    c = get_code(session, code)
    seg = session.scalar(
        select(CodedSegment).where(
            CodedSegment.document_id == doc.id,
            CodedSegment.code_id == c.id,
            CodedSegment.coder == coder,
            CodedSegment.start == start,
            CodedSegment.end == end,
        )
    )
    if seg is None:
        seg = CodedSegment(document_id=doc.id, code_id=c.id, coder=coder, start=start, end=end)
        session.add(seg)
    if memo is not None:
        seg.memo = memo
    session.flush()
    return seg


# Half-width and combining voiced sound marks: they compose with the character before them.
_VOICE_MARKS = frozenset(map(chr, (0xFF9E, 0xFF9F, 0x3099, 0x309A)))


def _nfkc_with_map(text: str) -> tuple[str, list[int]]:
    """NFKC text and, for each output character, the index of the input char it came from.

    A base character is normalized together with the voiced-sound / combining marks after it
    (ﾍ + ﾞ → ベ), so compositions across characters come out right.
    """
    out: list[str] = []
    index: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and (text[j] in _VOICE_MARKS or unicodedata.combining(text[j])):
            j += 1
        n = unicodedata.normalize("NFKC", text[i:j])
        out.append(n)
        index.extend([i] * len(n))
        i = j
    index.append(len(text))
    return "".join(out), index


def find_spans(text: str, search: str) -> list[tuple[int, int]]:
    """All non-overlapping spans of ``search`` in ``text`` (literal, else after NFKC)."""
    spans = []
    i = text.find(search)
    while i >= 0 and search:
        spans.append((i, i + len(search)))
        i = text.find(search, i + len(search))
    if spans:
        return spans
    norm, index = _nfkc_with_map(text)
    needle = unicodedata.normalize("NFKC", search)
    i = norm.find(needle)
    while i >= 0 and needle:
        j = i + len(needle)
        end = index[j] if j < len(norm) else len(text)
        spans.append((index[i], end))
        i = norm.find(needle, j)
    return spans


def code_by_search(
    session: Session,
    document: int | Document,
    code: str | int | Code,
    search: str,
    *,
    coder: str = "default",
    memo: str | None = None,
    occurrence: int | None = None,
) -> list[CodedSegment]:
    """Code every occurrence of ``search`` (or only the n-th, 1-based) in a document."""
    doc = _document(session, document)
    spans = find_spans(doc.text, search)
    if not spans:
        raise SearchNotFoundError("hearings.search_not_found", document=doc.id)
    if occurrence is not None:
        if not 1 <= occurrence <= len(spans):
            raise SearchNotFoundError(
                "hearings.occurrence_out_of_range", occurrence=occurrence, n=len(spans), document=doc.id
            )
        spans = [spans[occurrence - 1]]
    return [add_segment(session, doc, code, s, e, coder=coder, memo=memo) for s, e in spans]


SEGMENT_COLUMNS = [
    "segment_id",
    "document_id",
    "document",
    "code",
    "coder",
    "start",
    "end",
    "before",
    "text",
    "after",
    "memo",
    "hub",
    "region",
    "personal",
    "withheld",
]


def retrieve_segments(
    session: Session,
    code: str | int | Code,
    *,
    context: int = 30,
    include_children: bool = True,
    coder: str | None = None,
    redaction: Redaction | None = None,
) -> Result:
    """Every segment of a code (and its sub-codes) with ``context`` characters either side.

    ``redaction`` (from the Workbench) decides what is shown: text of personal documents
    withheld (``before``/``text``/``after``/``memo`` None, ``withheld`` True), names masked in
    the rest; ``n`` counts the rows, ``extra["withheld"]`` the withheld ones.
    """
    import pandas as pd

    from chiiki.hearings.privacy import Redaction
    from chiiki.hearings.selection import _region_hearings, document_context

    red = redaction or Redaction.nothing_hidden()
    root = get_code(session, code)
    ids = [c.id for c in code_with_descendants(session, root)] if include_children else [root.id]
    q = select(CodedSegment).where(CodedSegment.code_id.in_(ids))
    if coder:
        q = q.where(CodedSegment.coder == coder)
    by_region = _region_hearings(session)
    rows = []
    withheld = 0
    for seg in session.scalars(q.order_by(CodedSegment.document_id, CodedSegment.start, CodedSegment.id)):
        doc = seg.document
        ctx = document_context(session, doc, by_region)
        hidden = red.withholds(doc.contains_personal_data)
        row: dict[str, Any] = {
            "segment_id": seg.id,
            "document_id": seg.document_id,
            "document": red.text(doc.title),
            "code": seg.code.name,
            "coder": seg.coder,
            "start": seg.start,
            "end": seg.end,
            "before": None,
            "text": None,
            "after": None,
            "memo": None,
            "hub": ", ".join(ctx.hub_names),
            "region": ctx.region,
            "personal": bool(doc.contains_personal_data),
            "withheld": hidden,
        }
        if hidden:
            withheld += 1
        else:
            m = red.masked(doc.id, doc.text)
            s, e = m.to_new(seg.start), m.to_new(seg.end, end=True)
            row.update(
                before=m.text[max(0, s - context) : s],
                text=m.text[s:e],
                after=m.text[e : e + context],
                memo=red.text(seg.memo) or "",
            )
        rows.append(row)
    return Result(summary=pd.DataFrame(rows, columns=SEGMENT_COLUMNS), n=len(rows), extra={"withheld": withheld})


def code_matrix(
    session: Session,
    by: str = "hub",
    count: str = "segments",
    coder: str | None = None,
    redaction: Redaction | None = None,
) -> Result:
    """Codes × hubs (or organization kinds, regions, source types, documents): segments or documents.

    A document with several hubs or organization kinds counts once in each column, so columns
    need not add up to the number of segments; the warning says so when it happens. Document
    titles (``by="document"``) go through ``redaction`` (names masked).
    """
    import pandas as pd

    from chiiki.hearings.privacy import Redaction
    from chiiki.hearings.selection import _region_hearings, document_context

    one_of(by, MATRIX_BY, "by")
    one_of(count, MATRIX_COUNTS, "count")
    red = redaction or Redaction.nothing_hidden()
    q = select(CodedSegment).order_by(CodedSegment.id)
    if coder:
        q = q.where(CodedSegment.coder == coder)
    by_region = _region_hearings(session)
    ctx_cache: dict[int, list[str]] = {}
    records = []
    multi = False
    for seg in session.scalars(q):
        if seg.document_id not in ctx_cache:
            ctx = document_context(session, seg.document, by_region)
            cols = {
                "hub": ctx.hub_names,
                "org_kind": ctx.org_kinds,
                "region": [ctx.region] if ctx.region else [],
                "source_type": [seg.document.source_type],
                "document": [red.text(seg.document.title) or ""],
            }[by] or ["(none)"]
            ctx_cache[seg.document_id] = cols
        cols = ctx_cache[seg.document_id]
        multi = multi or len(cols) > 1
        for col in cols:
            records.append({"code": seg.code.name, "col": col, "doc": seg.document_id})
    warnings = []
    if multi:
        warnings.append(msg("hearings.matrix_several_values", "warning", by=by))
    if not records:
        return Result(summary=pd.DataFrame(), warnings=[msg("hearings.no_segments", "info")], n=0)
    df = pd.DataFrame(records)
    if count == "documents":
        df = df.drop_duplicates(["code", "col", "doc"])
    table = pd.crosstab(df["code"], df["col"]).rename_axis(index="code", columns=by)
    return Result(summary=table, warnings=warnings, n=len(df))
