"""`chiiki export`: tables as CSV, XLSX or JSON with the English column names of import.

Exports stream rows from the database, so they round-trip through `chiiki import` unchanged.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.ingest.schema import ADOPTIONS, EVENTS, LINKS, ORGANIZATIONS, PARTICIPATIONS, PROGRAMS
from chiiki.model.registry import (
    Adoption,
    Hub,
    LineageLink,
    Organization,
    Participation,
    PostProgramEvent,
    Program,
)
from chiiki.model.sources import Citation, Source

EXPORT_TABLES = (
    "programs",
    "adoptions",
    "organizations",
    "participations",
    "hubs",
    "links",
    "events",
    "sources",
    "citations",
)


def adoption_columns() -> list[str]:
    """The adoption file's columns plus the two recording columns an import accepts, so an
    export imports back without losing them."""
    from chiiki.registry.organizations import ADOPTION_RECORDING_COLUMNS

    cols = [c for c in ADOPTIONS.column_names() if c != "program_name"]
    return cols + [c.name for c in ADOPTION_RECORDING_COLUMNS if c.name not in cols]


def export_rows(session: Session, table: str) -> tuple[list[str], Iterator[dict]]:
    """Column names and a row iterator for one table."""
    if table == "programs":
        cols = PROGRAMS.column_names()

        def gen() -> Iterator[dict]:
            for p in session.scalars(select(Program).order_by(Program.id)):
                yield {
                    "program_id": p.id,
                    "name_ja": p.name_ja,
                    "name_en": p.name_en,
                    "agency": p.agency,
                    "type": p.type,
                    "first_fy": p.first_fy,
                    "last_fy": p.last_fy,
                    "duration_years": p.duration_years,
                    "budget_note": p.budget_note,
                    "evaluation_scale": p.evaluation_scale,
                    "predecessor_program_id": p.predecessor_id,
                    "family": p.family,
                    "source_urls": p.source_urls,
                }

        return cols, gen()
    if table == "adoptions":
        cols = adoption_columns()
        attr = {c: ("id" if c == "adoption_id" else c) for c in cols}

        def gen() -> Iterator[dict]:
            stmt = select(Adoption).order_by(Adoption.id).execution_options(yield_per=1000)
            for a in session.scalars(stmt):
                yield {c: getattr(a, attr[c]) for c in cols}

        return cols, gen()
    if table == "organizations":
        cols = ORGANIZATIONS.column_names()

        def gen() -> Iterator[dict]:
            for o in session.scalars(select(Organization).order_by(Organization.key)):
                yield {"key": o.key, "name": o.name, "kind": o.kind, "prefecture": o.prefecture}

        return cols, gen()
    if table == "participations":
        cols = PARTICIPATIONS.column_names()

        def gen() -> Iterator[dict]:
            stmt = (
                select(Participation, Organization)
                .join(Organization)
                .order_by(Participation.adoption_id, Organization.key, Participation.role)
            )
            for p, o in session.execute(stmt):
                yield {
                    "adoption_id": p.adoption_id,
                    "organization": o.name,
                    "kind": o.kind,
                    "role": p.role,
                    "note": p.note,
                }

        return cols, gen()
    if table == "hubs":
        cols = ["hub_key", "name", "prefecture", "adoption_ids", "note"]

        def gen() -> Iterator[dict]:
            for h in session.scalars(select(Hub).order_by(Hub.key)):
                ids = sorted(a.id for a in h.adoptions)
                yield {
                    "hub_key": h.key,
                    "name": h.name,
                    "prefecture": h.prefecture,
                    "adoption_ids": "; ".join(ids),
                    "note": h.note,
                }

        return cols, gen()
    if table == "links":
        cols = LINKS.column_names()

        def gen() -> Iterator[dict]:
            stmt = select(LineageLink).order_by(LineageLink.from_adoption_id, LineageLink.to_adoption_id)
            for x in session.scalars(stmt):
                yield {
                    "from_adoption_id": x.from_adoption_id,
                    "to_adoption_id": x.to_adoption_id,
                    "basis": x.basis,
                    "rule": x.rule,
                    "source_urls": x.source_urls,
                }

        return cols, gen()
    if table == "events":
        cols = EVENTS.column_names()

        def gen() -> Iterator[dict]:
            stmt = select(PostProgramEvent).order_by(PostProgramEvent.adoption_id, PostProgramEvent.id)
            for e in session.scalars(stmt):
                yield {c: getattr(e, c) for c in cols}

        return cols, gen()
    if table == "sources":
        cols = ["url", "title", "accessed", "note", "cited_by"]

        def gen() -> Iterator[dict]:
            for s in session.scalars(select(Source).order_by(Source.url)):
                yield {
                    "url": s.url,
                    "title": s.title,
                    "accessed": s.accessed,
                    "note": s.note,
                    "cited_by": len(s.citations),
                }

        return cols, gen()
    if table == "citations":
        cols = ["entity", "entity_key", "url"]

        def gen() -> Iterator[dict]:
            stmt = (
                select(Citation.entity, Citation.entity_key, Source.url)
                .join(Source)
                .order_by(Citation.entity, Citation.entity_key, Source.url)
            )
            for entity, key, url in session.execute(stmt):
                yield {"entity": entity, "entity_key": key, "url": url}

        return cols, gen()
    raise ValueError(f"unknown table {table!r} (choose from {', '.join(EXPORT_TABLES)})")


def _cell(value: object) -> object:
    from chiiki.ingest.formulas import escape_cell

    return "" if value is None else escape_cell(value)


def write_csv(cols: list[str], rows: Iterator[dict], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    n = 0
    for r in rows:
        writer.writerow([_cell(r[c]) for c in cols])
        n += 1
    return n


def write_json(cols: list[str], rows: Iterator[dict], out: IO[str]) -> int:
    """A JSON list of objects; streamed so a large table never sits in memory twice."""
    out.write("[")
    n = 0
    for r in rows:
        out.write(",\n " if n else "\n ")
        out.write(json.dumps({c: r[c] for c in cols}, ensure_ascii=False, default=str))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def write_xlsx(cols: list[str], rows: Iterator[dict], path: Path, sheet: str) -> int:
    """The table as one XLSX sheet, saved whole or not at all (:mod:`chiiki.ingest.atomic`)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from chiiki.ingest.atomic import atomic_path

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(cols)

    def cell(value: object) -> object:
        # openpyxl stores a string starting with "=" as a formula: type it as text (see ingest/formulas.py)
        if isinstance(value, str) and value.startswith("="):
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"
            return c
        return value

    n = 0
    for r in rows:
        ws.append([cell(r[c]) for c in cols])
        n += 1
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return n
