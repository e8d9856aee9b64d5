"""Choose documents for text mining and QDA matrices: by hub, date, organization kind, type.

Every text analysis (frequencies, KWIC, networks, CA, coding rules) runs on a list of
``chiiki.text.Doc``; this module is the one place that turns database rows into that list, with
the same meta keys everywhere: ``hub``, ``region``, ``org_kind``, ``source_type``, ``hearing``,
``date``. A document's hubs are its own ``hub_id``, the hubs of its hearing, or — for texts
that only name a region (e.g. questionnaire comments about a region's case talk) — the hubs of
the hearings held in that region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.documents import is_sample_document
from chiiki.hearings.errors import HearingsError, NotFoundError
from chiiki.model.hearings import CodedSegment, Document, Hearing
from chiiki.model.registry import Hub

if TYPE_CHECKING:
    from chiiki.hearings.privacy import Redaction
    from chiiki.text import Doc


@dataclass
class DocContext:
    """Where a document belongs: the facts every selection and matrix filters on."""

    hub_ids: list[int] = field(default_factory=list)
    hub_names: list[str] = field(default_factory=list)
    region: str = ""
    org_kinds: list[str] = field(default_factory=list)
    hearing: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def date_label(self) -> str:
        if self.year is None:
            return ""
        if self.month is None:
            return str(self.year)
        return f"{self.year}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


def _region_hearings(session: Session) -> dict[str, list[Hearing]]:
    out: dict[str, list[Hearing]] = {}
    for h in session.scalars(select(Hearing)):
        if h.region:
            out.setdefault(h.region, []).append(h)
    return out


def document_context(session: Session, doc: Document, by_region: dict[str, list[Hearing]] | None = None) -> DocContext:
    """The hubs, region, organization kinds and date of one document."""
    meta = doc.meta or {}
    ctx = DocContext()
    hearings: list[Hearing] = []
    if doc.hearing is not None:
        hearings = [doc.hearing]
    elif meta.get("region"):
        regions = by_region if by_region is not None else _region_hearings(session)
        hearings = regions.get(meta["region"], [])
    hub_ids = {doc.hub_id} if doc.hub_id else set()
    kinds: set[str] = set()
    for h in hearings:
        hub_ids.update(link.hub_id for link in h.hubs)
        kinds.update(o.organization.kind for o in h.organizations)
    ctx.hub_ids = sorted(hub_ids)
    ctx.hub_names = [hub.name for i in ctx.hub_ids if (hub := session.get(Hub, i)) is not None]
    ctx.region = meta.get("region") or (doc.hearing.region if doc.hearing else "") or ""
    ctx.org_kinds = [meta["org_kind"]] if meta.get("org_kind") else sorted(kinds)
    if doc.hearing is not None:
        ctx.hearing = doc.hearing.key
        ctx.year, ctx.month, ctx.day = doc.hearing.year, doc.hearing.month, doc.hearing.day
    elif meta.get("date"):
        parts = [int(p) for p in str(meta["date"]).split("-") if p.isdigit()]
        ctx.year, ctx.month, ctx.day = (parts + [None, None, None])[:3]  # type: ignore[assignment]
    return ctx


def resolve_hub(session: Session, hub: str | int) -> Hub:
    """A hub by id, key or exact name."""
    found = None
    if isinstance(hub, int) or str(hub).isdigit():
        found = session.get(Hub, int(hub))
    if found is None:
        found = session.scalar(select(Hub).where((Hub.key == str(hub)) | (Hub.name == str(hub))))
    if found is None:
        raise NotFoundError("hearings.hub_not_found", hub=str(hub))
    return found


def _parse_bound(value: str | date | None, end: bool) -> tuple[int, int] | None:
    """``2024``, ``2024-09`` or a date → (year, month); an open month range for a bare year."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return (value.year, value.month)
    try:
        parts = [int(p) for p in str(value).replace("/", "-").split("-") if p]
    except ValueError:
        raise HearingsError("hearings.bad_date", value=str(value)) from None
    if not parts:
        return None
    if len(parts) == 1:
        return (parts[0], 12 if end else 1)
    return (parts[0], parts[1])


def _in_range(ctx: DocContext, since: str | date | None, until: str | date | None) -> bool:
    lo, hi = _parse_bound(since, False), _parse_bound(until, True)
    if lo is None and hi is None:
        return True
    if ctx.year is None:
        return False
    ym = (ctx.year, ctx.month or (1 if lo else 12))
    if lo is not None and ym < lo:
        return False
    return not (hi is not None and (ctx.year, ctx.month or 1) > hi)


def doc_meta(doc: Document, ctx: DocContext, redaction: Redaction | None = None) -> dict[str, str]:
    """The standard meta keys of a document (``personal`` is "1" for a document flagged as
    holding personal data); the title goes through ``redaction`` when one is given."""
    return {
        "hub": ", ".join(ctx.hub_names),
        "region": ctx.region,
        "org_kind": ",".join(ctx.org_kinds),
        "source_type": doc.source_type,
        "hearing": ctx.hearing,
        "date": ctx.date_label,
        "title": (redaction.text(doc.title) if redaction else doc.title) or "",
        "is_sample": "1" if is_sample_document(doc) else "0",
        "personal": "1" if doc.contains_personal_data else "0",
    }


def select_document_rows(
    session: Session,
    hub: str | int | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    org_kind: str | None = None,
    source_type: str | None = None,
    include_samples: bool = True,
    documents: Sequence[int | str] | None = None,
) -> list[tuple[Document, DocContext]]:
    """The documents matching every given filter, with their context, in id order.

    ``documents`` (the ``--doc`` filter) keeps only these document ids or keys (an unknown one is
    a :class:`NotFoundError`); ``include_samples`` False leaves out sample documents and every
    document of a sample hearing (:func:`chiiki.hearings.documents.is_sample_document`).
    """
    from chiiki.hearings.documents import get_document, real_documents_clause

    hub_id = resolve_hub(session, hub).id if hub not in (None, "") else None
    by_region = _region_hearings(session)
    q = select(Document).order_by(Document.id)
    if documents:
        q = q.where(Document.id.in_(sorted({get_document(session, d).id for d in documents})))
    if source_type:
        q = q.where(Document.source_type == source_type)
    if not include_samples:
        q = q.where(real_documents_clause())
    out = []
    for doc in session.scalars(q):
        ctx = document_context(session, doc, by_region)
        if hub_id is not None and hub_id not in ctx.hub_ids:
            continue
        if org_kind and org_kind not in ctx.org_kinds:
            continue
        if not _in_range(ctx, since, until):
            continue
        out.append((doc, ctx))
    return out


def select_documents(
    session: Session,
    hub: str | int | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    org_kind: str | None = None,
    source_type: str | None = None,
    include_samples: bool = True,
    redaction: Redaction | None = None,
    documents: Sequence[int | str] | None = None,
) -> list[Doc]:
    """Documents as ``chiiki.text.Doc`` (doc_id = database id) with the standard meta keys.

    With a ``redaction``, documents whose text it withholds are left out and the known names
    are masked in the others (text and title).
    """
    from chiiki.text import Doc

    rows = select_document_rows(session, hub, since, until, org_kind, source_type, include_samples, documents)
    out = []
    for doc, ctx in rows:
        if redaction is None:
            out.append(Doc(str(doc.id), doc.text, doc_meta(doc, ctx)))
        elif not redaction.withholds(doc.contains_personal_data):
            text = redaction.masked(doc.id, doc.text).text
            out.append(Doc(str(doc.id), text, doc_meta(doc, ctx, redaction)))
    return out


def count_withheld_documents(session: Session, redaction: Redaction, **selection: Any) -> int:
    """How many documents of a selection ``redaction`` withholds."""
    rows = select_document_rows(session, **selection)
    return sum(redaction.withholds(doc.contains_personal_data) for doc, _ctx in rows)


def segments_as_docs(
    session: Session,
    code: str | int,
    include_children: bool = True,
    coder: str | None = None,
    redaction: Redaction | None = None,
    include_samples: bool = True,
) -> list[Doc]:
    """Each coded segment of a code as its own ``Doc`` (so text mining can run on coded text).

    With a ``redaction``, segments of documents it withholds are left out and names are masked
    in the rest (the segment is cut from the masked document, so no name is split in two).
    """
    from chiiki.hearings.qda import code_with_descendants, get_code
    from chiiki.text import Doc

    root = get_code(session, code)
    ids = [c.id for c in code_with_descendants(session, root)] if include_children else [root.id]
    q = select(CodedSegment).where(CodedSegment.code_id.in_(ids)).order_by(CodedSegment.id)
    if coder:
        q = q.where(CodedSegment.coder == coder)
    by_region = _region_hearings(session)
    docs = []
    for seg in session.scalars(q):
        doc = seg.document
        if redaction is not None and redaction.withholds(doc.contains_personal_data):
            continue
        if not include_samples and is_sample_document(doc):
            continue
        ctx = document_context(session, doc, by_region)
        meta = doc_meta(doc, ctx, redaction) | {
            "code": seg.code.name,
            "coder": seg.coder,
            "document_id": str(seg.document_id),
            "segment_start": str(seg.start),
        }
        if redaction is None:
            text = doc.text[seg.start : seg.end]
        else:
            text = redaction.masked(doc.id, doc.text).slice(seg.start, seg.end)
        docs.append(Doc(f"seg{seg.id}", text, meta))
    return docs


def count_withheld_segments(
    session: Session,
    code: str | int,
    redaction: Redaction,
    include_children: bool = True,
    coder: str | None = None,
) -> int:
    """How many segments of a code ``redaction`` withholds (their documents are personal)."""
    from chiiki.hearings.qda import code_with_descendants, get_code

    root = get_code(session, code)
    ids = [c.id for c in code_with_descendants(session, root)] if include_children else [root.id]
    q = select(CodedSegment).where(CodedSegment.code_id.in_(ids))
    if coder:
        q = q.where(CodedSegment.coder == coder)
    return sum(redaction.withholds(seg.document.contains_personal_data) for seg in session.scalars(q))
