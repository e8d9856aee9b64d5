"""Sources and citations: every fact row can point to where it was read.

A citation is a (table, row key, source) triple rather than one association table per fact
table, because the same few hundred URLs back programs, adoptions, links and events alike and
a user should be able to ask "which rows come from this page?" with one query.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chiiki.model.base import Base


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    accessed: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    citations: Mapped[list[Citation]] = relationship(back_populates="source")


class Citation(Base):
    __tablename__ = "citations"
    __table_args__ = (
        UniqueConstraint("entity", "entity_key", "source_id"),
        Index("ix_citations_entity_key", "entity", "entity_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(50))
    entity_key: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="citations")
