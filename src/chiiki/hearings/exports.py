"""Export coded segments as CSV or XLSX, with speakers pseudonymized unless asked otherwise.

Speaker labels in transcripts may be names, so by default a segment's speaker appears as
``S1``, ``S2`` … (numbered per document in order of first appearance).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import OptionError
from chiiki.hearings.qda import code_path
from chiiki.hearings.results import Result
from chiiki.model.hearings import CodedSegment, Document

SEGMENT_COLUMNS = [
    "segment_id",
    "document_id",
    "document",
    "source_type",
    "hearing",
    "region",
    "hub",
    "code",
    "code_path",
    "factor",
    "coder",
    "start",
    "end",
    "speaker",
    "text",
    "memo",
]


def _speaker_for(doc: Document, start: int, include_personal: bool) -> str:
    aliases: dict[str, str] = {}
    found = ""
    for t in doc.turns:
        aliases.setdefault(t.speaker, f"S{len(aliases) + 1}")
        if t.start <= start < max(t.end, t.start + 1):
            found = t.speaker
    if not found:
        return ""
    return found if include_personal else aliases[found]


def segments_table(session: Session, include_personal: bool = False, coder: str | None = None) -> Result:
    """All coded segments as one table (the text of each segment included)."""
    import pandas as pd

    from chiiki.hearings.selection import _region_hearings, document_context

    by_region = _region_hearings(session)
    q = select(CodedSegment).order_by(CodedSegment.document_id, CodedSegment.start)
    if coder:
        q = q.where(CodedSegment.coder == coder)
    rows = []
    for seg in session.scalars(q):
        doc = seg.document
        ctx = document_context(session, doc, by_region)
        rows.append(
            {
                "segment_id": seg.id,
                "document_id": doc.id,
                "document": doc.title,
                "source_type": doc.source_type,
                "hearing": ctx.hearing,
                "region": ctx.region,
                "hub": ", ".join(ctx.hub_names),
                "code": seg.code.name,
                "code_path": code_path(seg.code),
                "factor": seg.code.factor or "",
                "coder": seg.coder,
                "start": seg.start,
                "end": seg.end,
                "speaker": _speaker_for(doc, seg.start, include_personal),
                "text": doc.text[seg.start : seg.end],
                "memo": seg.memo or "",
            }
        )
    return Result(summary=pd.DataFrame(rows, columns=SEGMENT_COLUMNS), n=len(rows))


def export_segments(
    session: Session,
    path: str | Path,
    fmt: str | None = None,
    include_personal: bool = False,
    coder: str | None = None,
) -> Result:
    """Write segments to ``path`` as CSV (UTF-8 with BOM, so Excel reads Japanese) or XLSX."""
    p = Path(path)
    fmt = (fmt or p.suffix.lstrip(".") or "csv").lower()
    result = segments_table(session, include_personal=include_personal, coder=coder)
    if fmt == "csv":
        result.summary.to_csv(p, index=False, encoding="utf-8-sig")
    elif fmt == "xlsx":
        result.summary.to_excel(p, index=False, sheet_name="segments", engine="openpyxl")
    else:
        raise OptionError("format must be csv or xlsx")
    return result
