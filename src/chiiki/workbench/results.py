"""Results that serialize: every Workbench method returns one of these (or a domain result that
follows the same rule) and ``json.dumps(result.to_dict(), allow_nan=False)`` always works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chiiki.i18n import Message
from chiiki.serialize import frame_records, plain

__all__ = ["Done", "Table", "frame_records", "plain"]


@dataclass
class Table:
    """A table for a viewer: columns, rows, and the messages that come with it.

    ``title`` is a message (rendered where shown); ``columns`` are stable keys — interfaces turn
    them into headings in the reader's language, from ``headings`` (column → English msgid) when
    the method gives them.
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    title: Message | None = None
    warnings: list[Message] = field(default_factory=list)
    total: int | None = None
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title.to_dict() if self.title else None,
            "columns": list(self.columns),
            "rows": [{c: plain(r.get(c)) for c in self.columns} for r in self.rows],
            "n": self.n,
            "total": self.total if self.total is not None else self.n,
            "warnings": [w.to_dict() for w in self.warnings],
        }

    @classmethod
    def from_frame(cls, df: Any, title: Message | None = None, warnings: list[Message] | None = None) -> Table:
        rec = frame_records(df)
        return cls(rec["columns"], rec["rows"], title=title, warnings=list(warnings or []))


@dataclass
class Done:
    """What a command that writes returns: a message saying what happened, counts, files written."""

    message: Message
    counts: dict[str, Any] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message.to_dict(),
            "counts": plain(self.counts),
            "paths": [str(p) for p in self.paths],
            "warnings": [w.to_dict() for w in self.warnings],
            "data": plain(self.data),
        }
