"""Qualitative coding: a hierarchical codebook, coded segments, retrieval and code matrices.

Segments are character offsets into the stored document text, like REFI-QDA's
PlainTextSelection. Coding by search string finds the string literally first and, failing
that, after NFKC on both sides (ＫＩＳＴＥＣ = KISTEC), mapping offsets back to the original.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import NotFoundError, OffsetError, OptionError, SearchNotFoundError
from chiiki.hearings.results import Result
from chiiki.model.hearings import Code, CodedSegment, Document

MATRIX_BY = ("hub", "org_kind", "region", "source_type", "document")


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
        raise NotFoundError(f"code {ref!r} not found")
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

    counts = dict(session.execute(select(CodedSegment.code_id, func.count()).group_by(CodedSegment.code_id)).all())
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
        raise NotFoundError(f"document {document!r} not found")
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
        raise OffsetError(f"offsets {start}..{end} outside document {doc.id} (0..{len(doc.text)})")
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


_VOICE_MARKS = frozenset("\uff9e\uff9f\u3099\u309a")


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
        raise SearchNotFoundError(f"search string not found in document {doc.id}")
    if occurrence is not None:
        if not 1 <= occurrence <= len(spans):
            raise SearchNotFoundError(f"occurrence {occurrence} requested, {len(spans)} found in document {doc.id}")
        spans = [spans[occurrence - 1]]
    return [add_segment(session, doc, code, s, e, coder=coder, memo=memo) for s, e in spans]


def retrieve_segments(
    session: Session,
    code: str | int | Code,
    *,
    context: int = 30,
    include_children: bool = True,
    coder: str | None = None,
) -> Result:
    """Every segment of a code (and its sub-codes) with ``context`` characters either side."""
    import pandas as pd

    from chiiki.hearings.selection import document_context

    root = get_code(session, code)
    ids = [c.id for c in code_with_descendants(session, root)] if include_children else [root.id]
    q = select(CodedSegment).where(CodedSegment.code_id.in_(ids))
    if coder:
        q = q.where(CodedSegment.coder == coder)
    rows = []
    for seg in session.scalars(q.order_by(CodedSegment.document_id, CodedSegment.start)):
        text = seg.document.text
        ctx = document_context(session, seg.document)
        rows.append(
            {
                "segment_id": seg.id,
                "document_id": seg.document_id,
                "document": seg.document.title,
                "code": seg.code.name,
                "coder": seg.coder,
                "start": seg.start,
                "end": seg.end,
                "before": text[max(0, seg.start - context) : seg.start],
                "text": text[seg.start : seg.end],
                "after": text[seg.end : seg.end + context],
                "memo": seg.memo or "",
                "hub": ", ".join(ctx.hub_names),
                "region": ctx.region,
                "personal": bool(seg.document.contains_personal_data),
            }
        )
    cols = [
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
    ]
    return Result(summary=pd.DataFrame(rows, columns=cols), n=len(rows))


def code_matrix(
    session: Session,
    by: str = "hub",
    count: str = "segments",
    coder: str | None = None,
) -> Result:
    """Codes × hubs (or organization kinds, regions, source types): segments or documents.

    A document with several hubs or organization kinds counts once in each column, so columns
    need not add up to the number of segments; the warning says so when it happens.
    """
    import pandas as pd

    from chiiki.hearings.selection import _region_hearings, document_context

    if by not in MATRIX_BY:
        raise OptionError(f"by must be one of {MATRIX_BY}")
    if count not in ("segments", "documents"):
        raise OptionError("count must be 'segments' or 'documents'")
    q = select(CodedSegment)
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
                "document": [seg.document.title],
            }[by] or ["(none)"]
            ctx_cache[seg.document_id] = cols
        cols = ctx_cache[seg.document_id]
        multi = multi or len(cols) > 1
        for col in cols:
            records.append({"code": seg.code.name, "col": col, "doc": seg.document_id})
    warnings = []
    if multi:
        warnings.append(f"some documents belong to several {by} values and count in each")
    if not records:
        return Result(summary=pd.DataFrame(), warnings=["no coded segments"], n=0)
    df = pd.DataFrame(records)
    if count == "documents":
        df = df.drop_duplicates(["code", "col", "doc"])
    table = pd.crosstab(df["code"], df["col"]).rename_axis(index="code", columns=by)
    return Result(summary=table, warnings=warnings, n=len(df))
