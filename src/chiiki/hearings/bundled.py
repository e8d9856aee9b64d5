"""Load the report's real hearing records (Table 1, the topics, the result summaries).

The CSV files in ``chiiki/data/hearings`` are the single copy; see SOURCES.md there. Loading is
idempotent (keys everywhere), so it can run at every ``chiiki db init`` and again after the
registry has been loaded to complete the hub links.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chiiki.hearings.importing import content_hash
from chiiki.hearings.records import (
    add_hearing_adoption,
    add_hearing_organization,
    create_hearing,
    link_hearing_hubs,
)
from chiiki.model.hearings import Code, Document, GuideQuestion, Hearing, InterviewGuide

DEFAULT_GUIDE_KEY = "r5-588-topics"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("chiiki").joinpath("data", "hearings", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _int(value: str) -> int | None:
    return int(value) if value and value.strip() else None


def load_default_guide(session: Session) -> InterviewGuide:
    """The report's three hearing topics (調査内容) as a reusable guide."""
    rows = _rows("guide_questions.csv")
    first = rows[0]
    guide = session.scalar(select(InterviewGuide).where(InterviewGuide.key == first["guide_key"]))
    if guide is None:
        guide = InterviewGuide(key=first["guide_key"], title=first["guide_title"])
        session.add(guide)
    guide.title_en = first["guide_title_en"]
    guide.source = first["source"]
    session.flush()
    existing = {q.order: q for q in guide.questions}
    for r in rows:
        q = existing.get(int(r["order"]))
        if q is None:
            q = GuideQuestion(guide_id=guide.id, order=int(r["order"]), text=r["text"])
            session.add(q)
        q.topic, q.text, q.text_en = r["topic"], r["text"], r["text_en"]
    session.flush()
    session.refresh(guide)
    return guide


def load_default_codebook(session: Session) -> int:
    """A starting codebook: the three hearing topics and the themes the report names.

    Idempotent; existing codes of the same name keep their colour and factor link.
    """
    from chiiki.hearings.qda import add_code

    rows = _rows("default_codebook.csv")
    for r in rows:
        existing = session.scalar(select(Code).where(Code.name == r["name"]))
        add_code(
            session,
            r["name"],
            parent=r["parent"] or None,
            description=r["description"],
            color=None if existing is not None and existing.color else r["color"],
        )
    return len(rows)


def load_bundled_hearings(session: Session) -> dict[str, Any]:
    """Load Table 1's four hearings, their organizations, adoptions, hubs and report texts.

    Returns counts, ``unlinked`` (``{"hearing", "adoption_id", "status"}`` for each adoption that
    is missing from the registry or has no hub yet: run again after the registry loader to link
    them) and ``warnings`` (one Message each).
    """
    load_default_guide(session)
    hearings: dict[str, Hearing] = {}
    for r in _rows("hearings.csv"):
        h = create_hearing(
            session,
            r["key"],
            r["title"],
            region=r["region"],
            year=_int(r["year"]),
            month=_int(r["month"]),
            day=_int(r["day"]),
            guide_key=r["guide_key"] or None,
            consent=r["consent"],
            note=r["note"],
            source=r["source"],
        )
        h.region_en = r["region_en"]
        hearings[r["key"]] = h
    n_orgs = 0
    for r in _rows("hearing_organizations.csv"):
        add_hearing_organization(
            session,
            hearings[r["hearing_key"]],
            r["name_as_written"],
            kind=r["kind"],
            registry_name=r["registry_name"] or None,
            prefecture=r["prefecture"] or None,
            order=int(r["order"]),
        )
        n_orgs += 1
    adoption_rows = _rows("hearing_adoptions.csv")
    for r in adoption_rows:
        add_hearing_adoption(session, hearings[r["hearing_key"]], r["adoption_id"])
    n_docs = 0
    for r in _rows("documents.csv"):
        doc = session.scalar(select(Document).where(Document.key == r["key"]))
        if doc is None:
            doc = Document(key=r["key"], title=r["title"], text=r["text"])
            session.add(doc)
        hearing = hearings.get(r["hearing_key"]) if r["hearing_key"] else None
        doc.title, doc.text, doc.source_type = r["title"], r["text"], r["source_type"]
        doc.content_hash = content_hash(r["text"])
        doc.hearing_id = hearing.id if hearing else None
        meta = {"source": r["source"]}
        meta.update({k: r[k] for k in ("region", "date") if r[k]})
        doc.meta = meta
        doc.encoding = "utf-8"
        doc.original_filename = "chiiki/data/hearings/documents.csv"
        doc.is_sample = False
        doc.contains_personal_data = False
        n_docs += 1
    session.flush()
    for h in hearings.values():
        session.refresh(h)
    linked = link_hearing_hubs(session)
    unlinked = linked.summary[linked.summary["status"] != "linked"]
    return {
        "hearings": len(hearings),
        "organizations": n_orgs,
        "adoptions": len(adoption_rows),
        "documents": n_docs,
        "hub_links": linked.n,
        "unlinked": unlinked.to_dict("records"),
        "warnings": linked.warnings,
    }
