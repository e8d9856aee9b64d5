"""The stored documents as records: list, show, delete, and which of them are samples.

Why a module of its own: every statistic needs the same answer to "is this a made-up sample?"
(a document flagged ``is_sample``, or any document of a hearing flagged so), and the listing,
the detail and the delete are the only places where a document is handled as a record rather
than as text to analyse. Listings never carry the text; the detail carries it only when the
caller's :class:`~chiiki.hearings.privacy.Redaction` lets it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import NotFoundError
from chiiki.model.hearings import CodedSegment, Document, Hearing, SpeakerTurn

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from chiiki.hearings.privacy import Redaction

HASH_PREFIX = 12
DOCUMENT_COLUMNS = [
    "id",
    "hearing",
    "title",
    "file",
    "hash",
    "chars",
    "source_type",
    "segments",
    "personal",
    "is_sample",
]


def is_sample_document(doc: Document) -> bool:
    """A made-up record: the document is flagged, or the hearing it belongs to is."""
    return bool(doc.is_sample) or bool(doc.hearing is not None and doc.hearing.is_sample)


def real_documents_clause() -> ColumnElement[bool]:
    """SQL condition on ``Document`` that leaves sample documents (and those of sample hearings) out."""
    sample_hearings = select(Hearing.id).where(Hearing.is_sample.is_(True))
    return Document.is_sample.is_(False) & (Document.hearing_id.is_(None) | Document.hearing_id.not_in(sample_hearings))


def get_document(session: Session, ref: str | int | Document) -> Document:
    """A document by object, numeric id or key."""
    if isinstance(ref, Document):
        return ref
    doc = None
    if isinstance(ref, int) or str(ref).strip().isdigit():
        doc = session.get(Document, int(ref))
    if doc is None:
        doc = session.scalar(select(Document).where(Document.key == str(ref)))
    if doc is None:
        raise NotFoundError("hearings.document_not_found", ref=str(ref))
    return doc


def _segment_counts(session: Session) -> dict[int, int]:
    rows = session.execute(select(CodedSegment.document_id, func.count()).group_by(CodedSegment.document_id))
    return {int(d): int(n) for d, n in rows}


def list_documents(
    session: Session,
    hearing: str | int | None = None,
    include_samples: bool = True,
    redaction: Redaction | None = None,
) -> list[dict[str, Any]]:
    """One row per document (columns :data:`DOCUMENT_COLUMNS`), never its text.

    ``hash`` is the first characters of the content hash (enough to tell copies apart on
    screen); titles go through ``redaction`` (known names masked).
    """
    from chiiki.hearings.records import get_hearing

    q = select(Document).order_by(Document.id)
    if hearing not in (None, ""):
        q = q.where(Document.hearing_id == get_hearing(session, hearing).id)  # type: ignore[arg-type]
    if not include_samples:
        q = q.where(real_documents_clause())
    counts = _segment_counts(session)
    rows = []
    for doc in session.scalars(q):
        title = redaction.text(doc.title) if redaction is not None else doc.title
        rows.append(
            {
                "id": doc.id,
                "hearing": doc.hearing.key if doc.hearing is not None else "",
                "title": title or "",
                "file": doc.original_filename or "",
                "hash": (doc.content_hash or "")[:HASH_PREFIX],
                "chars": len(doc.text or ""),
                "source_type": doc.source_type,
                "segments": counts.get(doc.id, 0),
                "personal": bool(doc.contains_personal_data),
                "is_sample": is_sample_document(doc),
            }
        )
    return rows


def document_detail(session: Session, ref: str | int, redaction: Redaction | None = None) -> dict[str, Any]:
    """A document's metadata; ``text`` only when ``redaction`` does not withhold it (else None,
    and ``withheld`` True). Speaker labels go through the redaction too."""
    from chiiki.hearings.privacy import Redaction

    red = redaction or Redaction.nothing_hidden()
    doc = get_document(session, ref)
    withheld = red.withholds(doc.contains_personal_data)
    coders = sorted(set(session.scalars(select(CodedSegment.coder).where(CodedSegment.document_id == doc.id))))
    return {
        "id": doc.id,
        "key": doc.key,
        "title": red.text(doc.title),
        "hearing": doc.hearing.key if doc.hearing is not None else None,
        "file": doc.original_filename,
        "encoding": doc.encoding,
        "hash": doc.content_hash,
        "chars": len(doc.text or ""),
        "source_type": doc.source_type,
        "personal": bool(doc.contains_personal_data),
        "is_sample": is_sample_document(doc),
        "turns": len(doc.turns),
        "speakers": sorted({red.speaker(t.speaker) for t in doc.turns}),
        "segments": len(doc.segments),
        "coders": coders,
        "created": doc.created.isoformat(timespec="seconds") if doc.created else None,
        "withheld": withheld,
        "text": None if withheld else red.masked(doc.id, doc.text).text,
    }


def delete_document(session: Session, ref: str | int) -> dict[str, Any]:
    """Delete a document with its speaker turns and coded segments; what went, as counts."""
    doc = get_document(session, ref)
    n_segments = session.scalar(select(func.count()).where(CodedSegment.document_id == doc.id)) or 0
    n_turns = session.scalar(select(func.count()).where(SpeakerTurn.document_id == doc.id)) or 0
    out = {"id": doc.id, "segments": int(n_segments), "turns": int(n_turns), "is_sample": is_sample_document(doc)}
    session.delete(doc)
    session.flush()
    return out
