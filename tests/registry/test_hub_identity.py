"""Hubs keep their ids across every rebuild and import, and what points at them survives.

Before hubs were upserted, `lineage.rebuild` deleted and re-inserted every hub: the ON DELETE rules
then dropped every hearing↔hub link and every `documents.hub_id` on each import of adoptions (even
of a file with no rows, or of the registry's own export), and hub ids changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import event, select

from chiiki.hearings.bundled import load_bundled_hearings
from chiiki.model.db import get_engine, session_scope
from chiiki.model.hearings import Document, Hearing, HearingHub
from chiiki.model.migrate import ensure_schema
from chiiki.model.registry import Adoption, Hub
from chiiki.registry.bundled import refresh_derived
from chiiki.registry.export import export_rows, write_csv
from chiiki.registry.imports import import_file
from chiiki.registry.lineage import rebuild

WRITES = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(hubs|adoptions|hearing_hubs|documents)\b", re.I)


def _state(url: str) -> dict:
    """Every hub id and key, each adoption's hub, each hearing's hubs and each document's hub."""
    with session_scope(url) as s:
        return {
            "hubs": dict(s.execute(select(Hub.id, Hub.key)).tuples().all()),
            "adoptions": dict(s.execute(select(Adoption.id, Adoption.hub_id)).tuples().all()),
            "hearings": {
                h.key: sorted(link.hub_id for link in h.hubs) for h in s.scalars(select(Hearing).order_by(Hearing.key))
            },
            "documents": dict(s.execute(select(Document.key, Document.hub_id)).tuples().all()),
        }


@pytest.fixture
def linked_db(bundled_db: str) -> str:
    """The bundled registry and hearings, each hearing's documents filed under its first hub."""
    with session_scope(bundled_db) as s:
        load_bundled_hearings(s)
        for doc in s.scalars(select(Document).where(Document.hearing_id.is_not(None))):
            doc.hub_id = min(link.hub_id for link in doc.hearing.hubs)
    return bundled_db


def test_bundled_links_survive_rebuilds_and_reimports(linked_db: str, tmp_path: Path) -> None:
    before = _state(linked_db)
    assert sum(len(v) for v in before["hearings"].values()) >= 5  # the hearings are linked to hubs
    assert sum(v is not None for v in before["documents"].values()) >= 3  # documents are filed under hubs

    with session_scope(linked_db) as s:
        refresh_derived(s)
    assert _state(linked_db) == before

    with session_scope(linked_db) as s:
        rebuild(s)
    assert _state(linked_db) == before

    # `chiiki export adoptions | chiiki import -`: the documented no-op
    exported = tmp_path / "adoptions.csv"
    with session_scope(linked_db) as s:
        cols, rows = export_rows(s, "adoptions")
        with exported.open("w", encoding="utf-8", newline="") as out:
            assert write_csv(cols, rows, out) == len(before["adoptions"])
    with session_scope(linked_db) as s:
        import_file(s, exported, "adoptions")
        refresh_derived(s)
    assert _state(linked_db) == before

    # a file with the header and no rows
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(cols) + "\n", encoding="utf-8")
    with session_scope(linked_db) as s:
        assert import_file(s, empty, "adoptions").rows == 0
        refresh_derived(s)
    assert _state(linked_db) == before


def test_an_unchanged_rebuild_writes_no_hub_rows(linked_db: str) -> None:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if WRITES.match(statement):
            statements.append(statement)

    engine = get_engine(linked_db)
    event.listen(engine, "before_cursor_execute", record)
    try:
        with session_scope(linked_db) as s:
            summary = rebuild(s)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert statements == []
    assert (summary.hubs_created, summary.hubs_updated, summary.hubs_merged, summary.hubs_removed) == (0, 0, 0, 0)


def _links_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(
        "from_adoption_id,to_adoption_id,basis,rule\n" + "".join(f"{a},{b},{basis},test\n" for a, b, basis in rows),
        encoding="utf-8",
    )
    return path


def _hub_of(url: str, adoption_id: str) -> tuple[int, str]:
    with session_scope(url) as s:
        hub = s.get(Adoption, adoption_id).hub
        return hub.id, hub.key


def test_merge_keeps_the_earliest_hub_and_repoints_links(linked_db: str, tmp_path: Path) -> None:
    """福岡's hearing is linked to two hubs; a manual link merges them: one link remains, to the
    surviving hub (the one holding JST-KESSHU-1997-fukuoka, the earliest adoption)."""
    fukuoka, fukuoka_key = _hub_of(linked_db, "KC2-2007-fukuoka")
    kurume, _ = _hub_of(linked_db, "KC2-2009-kurume")
    with session_scope(linked_db) as s:
        doc = s.scalar(select(Document).where(Document.hub_id.is_not(None)))
        doc_key = doc.key
        doc.hub_id = kurume
    before = _state(linked_db)
    assert before["hearings"]["2024-11-fukuoka"] == sorted([fukuoka, kurume])
    assert fukuoka_key == "hub:JST-KESSHU-1997-fukuoka"

    with session_scope(linked_db) as s:
        import_file(
            s, _links_file(tmp_path / "merge.csv", [("KC2-2007-fukuoka", "KC2-2009-kurume", "manual")]), "links"
        )
        summary = refresh_derived(s).lineage
    after = _state(linked_db)
    assert summary.hubs_merged == 1 and summary.hubs_created == 0
    assert _hub_of(linked_db, "KC2-2009-kurume") == (fukuoka, fukuoka_key)
    assert kurume not in after["hubs"]
    assert after["hearings"]["2024-11-fukuoka"] == [fukuoka]
    assert after["documents"][doc_key] == fukuoka
    # every other hub, link and document is untouched
    assert {k: v for k, v in after["hubs"].items()} == {k: v for k, v in before["hubs"].items() if k != kurume}
    assert {k: v for k, v in after["hearings"].items() if k != "2024-11-fukuoka"} == {
        k: v for k, v in before["hearings"].items() if k != "2024-11-fukuoka"
    }

    # split again: the part keeping the key keeps the id and the references; the other is new
    with session_scope(linked_db) as s:
        import_file(
            s, _links_file(tmp_path / "split.csv", [("KC2-2007-fukuoka", "KC2-2009-kurume", "reject")]), "links"
        )
        summary = refresh_derived(s).lineage
    assert summary.hubs_created == 1 and summary.hubs_merged == 0
    assert _hub_of(linked_db, "KC2-2007-fukuoka") == (fukuoka, fukuoka_key)
    new_id, new_key = _hub_of(linked_db, "KC2-2009-kurume")
    assert new_key == "hub:KC2-2009-kurume" and new_id != fukuoka
    split = _state(linked_db)
    assert split["hearings"]["2024-11-fukuoka"] == [fukuoka]
    assert split["documents"][doc_key] == fukuoka


def test_joining_an_earlier_hub_moves_the_links_to_it(linked_db: str, tmp_path: Path) -> None:
    """神奈川's hearing hub (ECO-2018 + ECO-2020) joined by the earlier JST-RSP-2000 hub: the union's
    key is the earlier hub's, which survives; the hearing link and document follow it."""
    kanagawa, _ = _hub_of(linked_db, "ECO-2018-kanagawa")
    rsp, rsp_key = _hub_of(linked_db, "JST-RSP-2000-kanagawa")
    with session_scope(linked_db) as s:
        import_file(
            s, _links_file(tmp_path / "l.csv", [("JST-RSP-2000-kanagawa", "ECO-2018-kanagawa", "manual")]), "links"
        )
        refresh_derived(s)
    state = _state(linked_db)
    assert _hub_of(linked_db, "ECO-2020-special-kanagawa") == (rsp, rsp_key)
    assert state["hearings"]["2023-11-kanagawa"] == [rsp]
    assert kanagawa not in state["hubs"]


def test_a_new_earliest_adoption_renames_the_key_not_the_id(db_url: str, tmp_path: Path) -> None:
    """A group whose key names no hub yet (its earliest adoption is new) inherits the hub its
    members were in: same id, key updated, references kept."""
    ensure_schema(get_engine(db_url))
    programs = tmp_path / "programs.csv"
    programs.write_text("program_id,name_ja,first_fy\nP,Test program,1990\n", encoding="utf-8")
    adoptions = tmp_path / "adoptions.csv"
    header = "adoption_id,program_id,region_name,start_fy,end_fy\n"
    adoptions.write_text(header + "P-a,P,Area A,2001,2004\nP-b,P,Area B,2005,2009\n", encoding="utf-8")
    with session_scope(db_url) as s:
        import_file(s, programs, "programs")
        import_file(s, adoptions, "adoptions")
        import_file(s, _links_file(tmp_path / "l1.csv", [("P-a", "P-b", "manual")]), "links")
        refresh_derived(s)
        hub = s.get(Adoption, "P-b").hub
        hub_id = hub.id
        assert hub.key == "hub:P-a"
        s.add(Hearing(key="h", title="hearing", consent="pending", hubs=[HearingHub(hub_id=hub_id)]))
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(header + "P-0,P,Area Zero,1995,1999\n", encoding="utf-8")
    with session_scope(db_url) as s:
        import_file(s, earlier, "adoptions")
        import_file(s, _links_file(tmp_path / "l2.csv", [("P-0", "P-a", "manual")]), "links")
        summary = refresh_derived(s).lineage
        assert (summary.hubs_created, summary.hubs_updated, summary.hubs_merged) == (0, 1, 0)
        hub = s.get(Adoption, "P-0").hub
        assert (hub.id, hub.key) == (hub_id, "hub:P-0")
        assert {a.id for a in hub.adoptions} == {"P-0", "P-a", "P-b"}
        assert [link.hub_id for link in s.scalar(select(Hearing).where(Hearing.key == "h")).hubs] == [hub_id]
