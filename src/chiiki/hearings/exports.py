"""Export coded segments as CSV or XLSX, through the caller's :class:`~chiiki.hearings.privacy.Redaction`.

The Workbench decides what a file may hold and passes it as a redaction: by default the text
and memo of segments from documents holding personal data are left empty (``withheld`` is
True), the known names are masked in the rest, and a speaker label that names a person appears
as its pseudonym (``S1``, ``P1`` …).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.errors import OptionError
from chiiki.hearings.qda import code_path
from chiiki.hearings.results import Result
from chiiki.model.hearings import CodedSegment, Document

if TYPE_CHECKING:
    from chiiki.hearings.privacy import Redaction

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
    "personal",
    "withheld",
]
FORMATS = ("csv", "xlsx")


def _speaker_at(doc: Document, start: int) -> str:
    found = ""
    for t in doc.turns:
        if t.start <= start < max(t.end, t.start + 1):
            found = t.speaker
    return found


def segments_table(session: Session, redaction: Redaction | None = None, coder: str | None = None) -> Result:
    """All coded segments as one table (the text of each segment included, as ``redaction`` allows)."""
    import pandas as pd

    from chiiki.hearings.privacy import Redaction
    from chiiki.hearings.selection import _region_hearings, document_context

    red = redaction or Redaction.nothing_hidden()
    by_region = _region_hearings(session)
    q = select(CodedSegment).order_by(CodedSegment.document_id, CodedSegment.start, CodedSegment.id)
    if coder:
        q = q.where(CodedSegment.coder == coder)
    rows: list[dict[str, Any]] = []
    withheld = 0
    for seg in session.scalars(q):
        doc = seg.document
        ctx = document_context(session, doc, by_region)
        hidden = red.withholds(doc.contains_personal_data)
        withheld += hidden
        speaker = _speaker_at(doc, seg.start)
        rows.append(
            {
                "segment_id": seg.id,
                "document_id": doc.id,
                "document": red.text(doc.title),
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
                "speaker": red.speaker(speaker) if speaker else "",
                "text": None if hidden else red.masked(doc.id, doc.text).slice(seg.start, seg.end),
                "memo": None if hidden else (red.text(seg.memo) or ""),
                "personal": bool(doc.contains_personal_data),
                "withheld": hidden,
            }
        )
    frame = pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
    return Result(summary=frame, n=len(rows), extra={"withheld": withheld})


def export_segments(
    session: Session,
    path: str | Path,
    fmt: str | None = None,
    redaction: Redaction | None = None,
    coder: str | None = None,
) -> Result:
    """Write segments to ``path`` as CSV (UTF-8 with BOM, so Excel reads Japanese) or XLSX; the
    file appears only when complete (temporary name, then rename)."""
    p = Path(path)
    fmt = (fmt or p.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise OptionError("hearings.bad_choice", option="format", value=fmt, choices=", ".join(FORMATS))
    result = segments_table(session, redaction=redaction, coder=coder)
    import pandas as pd

    from chiiki.ingest.atomic import atomic_open, atomic_path
    from chiiki.ingest.formulas import escape_cell, text_cells

    if fmt == "csv":
        with atomic_open(p, "w", encoding="utf-8-sig", newline="") as fh:
            result.summary.map(escape_cell).to_csv(fh, index=False)
    else:
        with atomic_path(p) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            result.summary.to_excel(writer, index=False, sheet_name="segments")
            text_cells(writer.sheets["segments"])  # a segment starting with "=" stays text
    result.extra["path"] = str(p)
    return result
