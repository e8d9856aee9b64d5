"""Qualitative coding: a hierarchical codebook, coded segments, retrieval and code matrices.

Segments are character offsets into the stored document text, like REFI-QDA's
PlainTextSelection. Code tables (matrices, frequencies) count one coder's segments or the units
of an agreed/union rule, never the sum of several coders' (:func:`choose_coders`), and leave
sample documents out unless asked. Coding by search string finds the string literally first and, failing
that, after NFKC on both sides (ＫＩＳＴＥＣ = KISTEC), mapping offsets back to the original.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import NotFoundError, OffsetError, OptionError, SearchNotFoundError, one_of
from chiiki.hearings.results import Result
from chiiki.i18n import msg
from chiiki.model.hearings import Code, CodedSegment, Document

if TYPE_CHECKING:
    from chiiki.hearings.privacy import Redaction

MATRIX_BY = ("hub", "org_kind", "region", "source_type", "hearing", "document")
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


RULES = ("agreed", "union")


@dataclass(frozen=True)
class CodingUnit:
    """One coded span as a code table counts it: the same span of the same code by two coders
    is one unit under a rule (``agreed``/``union``), never two."""

    document_id: int
    code_id: int
    start: int
    end: int


@dataclass
class CoderChoice:
    """Whose coding a table counts: one ``coder``, or a ``rule`` over ``coders``."""

    coder: str | None
    rule: str | None
    coders: list[str]


def segment_coders(session: Session, include_samples: bool = False) -> list[str]:
    """The coders who coded anything (sample documents left out unless ``include_samples``)."""
    from chiiki.hearings.documents import real_documents_clause

    q = select(CodedSegment.coder).distinct()
    if not include_samples:
        q = q.join(Document, Document.id == CodedSegment.document_id).where(real_documents_clause())
    return sorted(set(session.scalars(q)))


def choose_coders(
    session: Session,
    coder: str | None = None,
    rule: str | None = None,
    coders: Sequence[str] | None = None,
    include_samples: bool = False,
) -> CoderChoice:
    """Decide whose segments a code table counts, never summing coders.

    A named ``coder`` wins; a ``rule`` (agreed: every coder applied it; union: any coder did,
    counted once) runs over ``coders`` (default: every coder). With neither and several coders
    in the data this is an error that names them (a sum would double-count every agreed span).
    """
    known = segment_coders(session, include_samples)
    if coder:
        if coder not in known:
            raise OptionError("hearings.coder_has_no_segments", coder=coder)
        return CoderChoice(coder, None, [coder])
    if rule is not None:
        one_of(rule, RULES, "rule")
        chosen = list(coders) if coders else known
        for c in chosen:
            if c not in known:
                raise OptionError("hearings.coder_has_no_segments", coder=c)
        return CoderChoice(None, rule, sorted(set(chosen)))
    if len(known) > 1:
        raise OptionError("hearings.matrix_needs_coder", n=len(known), coders=", ".join(known))
    return CoderChoice(known[0] if known else None, None, known)


def coding_units(session: Session, choice: CoderChoice, include_samples: bool = False) -> tuple[list[CodingUnit], int]:
    """The units a table counts under ``choice``, and how many sample segments were left out."""
    from chiiki.hearings.documents import real_documents_clause

    q = select(CodedSegment.document_id, CodedSegment.code_id, CodedSegment.start, CodedSegment.end, CodedSegment.coder)
    if choice.coders:
        q = q.where(CodedSegment.coder.in_(choice.coders))
    left_out = 0
    if not include_samples:
        every = session.scalar(select(func.count()).select_from(q.subquery())) or 0
        q = q.join(Document, Document.id == CodedSegment.document_id).where(real_documents_clause())
    by_unit: dict[CodingUnit, set[str]] = {}
    for doc_id, code_id, start, end, who in session.execute(q.order_by(CodedSegment.id)):
        by_unit.setdefault(CodingUnit(doc_id, code_id, start, end), set()).add(who)
    if not include_samples:
        left_out = int(every) - sum(len(v) for v in by_unit.values())
    if choice.rule == "agreed":
        wanted = set(choice.coders)
        units = [u for u, who in by_unit.items() if wanted <= who]
    else:  # one coder (the query kept only theirs) or the union: each unit once
        units = list(by_unit)
    return units, left_out


def code_matrix(
    session: Session,
    by: str = "hub",
    count: str = "segments",
    coder: str | None = None,
    redaction: Redaction | None = None,
    *,
    rule: str | None = None,
    coders: Sequence[str] | None = None,
    include_samples: bool = False,
) -> Result:
    """Codes × hubs (or organization kinds, regions, source types, hearings, documents):
    segments or documents, for one coder or under a rule (see :func:`choose_coders`).

    A document with several hubs or organization kinds counts once in each column, so columns
    need not add up to the number of segments; the warning says so when it happens. Document
    titles (``by="document"``) go through ``redaction`` (names masked). Sample documents are
    left out unless ``include_samples`` (``extra["samples_left_out"]`` counts their segments).
    """
    import pandas as pd

    from chiiki.hearings.privacy import Redaction
    from chiiki.hearings.selection import _region_hearings, document_context

    one_of(by, MATRIX_BY, "by")
    one_of(count, MATRIX_COUNTS, "count")
    red = redaction or Redaction.nothing_hidden()
    chosen = choose_coders(session, coder, rule, coders, include_samples)
    units, left_out = coding_units(session, chosen, include_samples)
    extra = {"coder": chosen.coder, "rule": chosen.rule, "coders": chosen.coders, "samples_left_out": left_out}
    by_region = _region_hearings(session)
    ctx_cache: dict[int, list[str]] = {}
    names = {c.id: c.name for c in session.scalars(select(Code))}
    records = []
    multi = False
    for unit in sorted(units, key=lambda u: (u.document_id, u.start, u.code_id, u.end)):
        if unit.document_id not in ctx_cache:
            doc = session.get(Document, unit.document_id)
            assert doc is not None
            ctx = document_context(session, doc, by_region)
            cols = {
                "hub": ctx.hub_names,
                "org_kind": ctx.org_kinds,
                "region": [ctx.region] if ctx.region else [],
                "source_type": [doc.source_type],
                "hearing": [ctx.hearing] if ctx.hearing else [],
                "document": [red.text(doc.title) or ""],
            }[by] or ["(none)"]
            ctx_cache[unit.document_id] = cols
        cols = ctx_cache[unit.document_id]
        multi = multi or len(cols) > 1
        for col in cols:
            records.append({"code": names[unit.code_id], "col": col, "doc": unit.document_id})
    warnings = []
    if left_out:
        warnings.append(msg("hearings.sample_segments_left_out", "info", n=left_out))
    if multi:
        warnings.append(msg("hearings.matrix_several_values", "warning", by=by))
    if not records:
        return Result(
            summary=pd.DataFrame(), warnings=[*warnings, msg("hearings.no_segments", "info")], n=0, extra=extra
        )
    df = pd.DataFrame(records)
    if count == "documents":
        df = df.drop_duplicates(["code", "col", "doc"])
    table = pd.crosstab(df["code"], df["col"]).rename_axis(index="code", columns=by)
    return Result(summary=table, warnings=warnings, n=len(df), extra=extra)


FREQUENCY_COLUMNS = ["code", "path", "segments", "documents", "hearings"]


def code_frequencies(
    session: Session,
    coder: str | None = None,
    rule: str | None = None,
    coders: Sequence[str] | None = None,
    include_samples: bool = False,
) -> Result:
    """Per code: coded units, documents and hearings it occurs in, for one coder or by a rule
    (:func:`choose_coders`), sample documents left out unless ``include_samples``."""
    import pandas as pd

    chosen = choose_coders(session, coder, rule, coders, include_samples)
    units, left_out = coding_units(session, chosen, include_samples)
    hearing_of = dict(session.execute(select(Document.id, Document.hearing_id)).tuples().all())
    rows = []
    for code in session.scalars(select(Code).order_by(Code.id)):
        mine = [u for u in units if u.code_id == code.id]
        docs = {u.document_id for u in mine}
        hearings = {hearing_of[d] for d in docs if hearing_of.get(d) is not None}
        rows.append(
            {
                "code": code.name,
                "path": code_path(code),
                "segments": len(mine),
                "documents": len(docs),
                "hearings": len(hearings),
            }
        )
    warnings = [msg("hearings.sample_segments_left_out", "info", n=left_out)] if left_out else []
    extra = {"coder": chosen.coder, "rule": chosen.rule, "coders": chosen.coders, "samples_left_out": left_out}
    return Result(summary=pd.DataFrame(rows, columns=FREQUENCY_COLUMNS), warnings=warnings, n=len(units), extra=extra)
