"""Batch writing of sources and citations (a fact row → the pages it was read from)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from chiiki.model.sources import Citation, Source


def split_urls(text: str | None) -> list[str]:
    if not text:
        return []
    return [u.strip() for u in text.split("|") if u.strip()]


def ensure_sources(session: Session, urls: Iterable[str]) -> dict[str, int]:
    """Source ids for these URLs, inserting the missing ones in one statement."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(session.execute(select(Source.url, Source.id).where(Source.url.in_(chunk))).tuples().all())
    missing = [u for u in wanted if u not in found]
    if missing:
        session.execute(insert(Source), [{"url": u} for u in missing])
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            found.update(session.execute(select(Source.url, Source.id).where(Source.url.in_(chunk))).tuples().all())
    return found


def set_citations(session: Session, entity: str, cited: dict[str, list[str]]) -> None:
    """Make the citations of these rows exactly the given URLs (replace, so re-imports are no-ops)."""
    if not cited:
        return
    ids = ensure_sources(session, (u for urls in cited.values() for u in urls))
    keys = list(cited)
    existing: dict[str, set[int]] = {k: set() for k in keys}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = session.execute(
            select(Citation.entity_key, Citation.source_id).where(
                Citation.entity == entity, Citation.entity_key.in_(chunk)
            )
        )
        for key, sid in rows:
            existing[key].add(sid)
    to_add = []
    for key, urls in cited.items():
        want = {ids[u] for u in urls}
        have = existing[key]
        for sid in want - have:
            to_add.append({"entity": entity, "entity_key": key, "source_id": sid})
        stale = have - want
        if stale:
            session.execute(
                delete(Citation).where(
                    Citation.entity == entity,
                    Citation.entity_key == key,
                    Citation.source_id.in_(stale),
                )
            )
    if to_add:
        session.execute(insert(Citation), to_add)
