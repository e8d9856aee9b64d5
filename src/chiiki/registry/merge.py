"""`chiiki adoptions merge A B`: repair a duplicate adoption by folding B into A.

Duplicates were made by earlier versions whenever a corrected title or area name was imported
(the id hashed them). Every reference to B moves to A — rows with a foreign key to
``adoptions.id`` (participations, people, projects, events, lineage links, found from the
metadata so none is forgotten), the hearings' adoption ids (``hearing_adoptions``, a plain string
column: used by table name, the registry does not import the hearings package) and the
citations of B — a row that would then repeat one A already has is dropped, and a link between A
and B themselves goes. A's own values are kept; an empty column of A takes B's value. Then B is
deleted; the caller refreshes the derived data (participations, rule links, hubs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Column, Table, UniqueConstraint, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

import chiiki.model  # noqa: F401  (registers every table, the hearings' included)
from chiiki.i18n import Message, msg
from chiiki.model.base import Base
from chiiki.model.registry import Adoption, LineageLink
from chiiki.model.sources import Citation
from chiiki.registry.lineage import repoint_hub

# Columns that hold adoption ids without a foreign key (the hearings keep ids before the
# registry is loaded): table name → column name.
STRING_REFERENCES = {"hearing_adoptions": "adoption_id"}
_NOT_MERGED = {"id", "hub_id"}


class MergeError(Exception):
    """A merge that cannot be done (an adoption missing, or A = B); nothing was changed."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.code)


@dataclass
class MergeReport:
    kept: str
    absorbed: str
    moved: int = 0
    dropped: int = 0
    filled: list[str] = field(default_factory=list)  # columns of A filled from B
    per_column: list[Message] = field(default_factory=list)


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def adoption_references() -> list[Column]:
    """Every column that names an adoption: foreign keys to ``adoptions.id`` and the string
    columns of :data:`STRING_REFERENCES`."""
    ad_id = _table(Adoption).c.id
    refs = [fk.parent for t in Base.metadata.sorted_tables for fk in t.foreign_keys if fk.column is ad_id]
    for name, column in STRING_REFERENCES.items():
        table = Base.metadata.tables.get(name)
        if table is not None:
            refs.append(table.c[column])
    return refs


def _count(session: Session, table: Table, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def _move(session: Session, column: Column, old: str, new: str) -> tuple[int, int]:
    """Point ``column`` from ``old`` to ``new``; rows that would duplicate one under a unique
    constraint are dropped first. Returns (moved, dropped)."""
    table = cast(Table, column.table)
    dropped = 0
    for uq in table.constraints:
        if isinstance(uq, UniqueConstraint) and column.name in uq.columns:
            twin = table.alias("twin")
            same = [twin.c[c.name] == table.c[c.name] for c in uq.columns if c.name != column.name]
            clash = exists().where(twin.c[column.name] == new, *same)
            n = _count(session, table, column == old, clash)
            if n:
                session.execute(delete(table).where(column == old, clash))
                dropped += n
    moved = _count(session, table, column == old)
    if moved:
        session.execute(update(table).where(column == old).values({column.name: new}))
    return moved, dropped


def _move_citations(session: Session, old: str, new: str) -> tuple[int, int]:
    c = _table(Citation)
    twin = c.alias("twin")
    clash = exists().where(twin.c.entity == "adoption", twin.c.entity_key == new, twin.c.source_id == c.c.source_id)
    mine = (c.c.entity == "adoption", c.c.entity_key == old)
    dropped = _count(session, c, *mine, clash)
    if dropped:
        session.execute(delete(c).where(*mine, clash))
    moved = _count(session, c, *mine)
    if moved:
        session.execute(update(c).where(*mine).values(entity_key=new))
    return moved, dropped


def _fill(session: Session, keep: str, absorb: str) -> list[str]:
    """Empty columns of the kept adoption take the absorbed one's values."""
    a = _table(Adoption)
    kept = session.execute(select(a).where(a.c.id == keep)).mappings().one()
    gone = session.execute(select(a).where(a.c.id == absorb)).mappings().one()
    filled = {c: gone[c] for c in kept if c not in _NOT_MERGED and kept[c] is None and gone[c] is not None}
    if filled:
        session.execute(update(a).where(a.c.id == keep).values(filled))
    return sorted(filled)


def _keep_hub(session: Session, keep: str, absorb: str) -> None:
    """What pointed at the absorbed adoption's hub (hearings, documents) follows to the kept one's
    when that hub had no other member (else the hub lives on with its other adoptions)."""
    a = _table(Adoption)
    hub_keep = session.scalar(select(a.c.hub_id).where(a.c.id == keep))
    hub_gone = session.scalar(select(a.c.hub_id).where(a.c.id == absorb))
    if hub_gone is None or hub_gone == hub_keep:
        return
    if _count(session, a, a.c.hub_id == hub_gone, a.c.id != absorb):
        return
    if hub_keep is None:
        session.execute(update(a).where(a.c.id == keep).values(hub_id=hub_gone))
    else:
        repoint_hub(session, hub_gone, hub_keep)


def merge_adoptions(session: Session, keep: str, absorb: str) -> MergeReport:
    """Fold adoption ``absorb`` into ``keep`` in the session's transaction (see the module
    docstring); raises MergeError, changing nothing, when either is missing or they are one."""
    if keep == absorb:
        raise MergeError(msg("registry.merge_same", "error", adoption_id=keep))
    for aid in (keep, absorb):
        if session.get(Adoption, aid) is None:
            raise MergeError(msg("registry.merge_missing", "error", adoption_id=aid))
    session.flush()
    report = MergeReport(keep, absorb)
    links = _table(LineageLink)
    between = or_(
        (links.c.from_adoption_id == keep) & (links.c.to_adoption_id == absorb),
        (links.c.from_adoption_id == absorb) & (links.c.to_adoption_id == keep),
    )
    report.dropped += _count(session, links, between)
    session.execute(delete(links).where(between))
    report.filled = _fill(session, keep, absorb)
    _keep_hub(session, keep, absorb)
    for column in adoption_references():
        moved, dropped = _move(session, column, absorb, keep)
        _note(report, column.table.name, column.name, moved, dropped)
    moved, dropped = _move_citations(session, absorb, keep)
    _note(report, "citations", "entity_key", moved, dropped)
    session.execute(delete(_table(Adoption)).where(_table(Adoption).c.id == absorb))
    session.expire_all()
    return report


def _note(report: MergeReport, table: str, column: str, moved: int, dropped: int) -> None:
    report.moved += moved
    report.dropped += dropped
    if moved or dropped:
        report.per_column.append(
            msg("registry.merge_moved", "info", table=table, column=column, n=moved, dropped=dropped)
        )
