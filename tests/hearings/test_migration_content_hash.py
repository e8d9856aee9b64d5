"""Migration 20261202_02: documents.content_hash added, backfilled, indexed, and removed again.

Fails on the code before it: there was no such revision (the upgrade stopped at 20261202_01) and
no ``content_hash`` column.
"""

from __future__ import annotations

import hashlib
import unicodedata

from alembic import command
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

from chiiki.hearings.importing import content_hash
from chiiki.model.db import get_engine
from chiiki.model.migrate import alembic_config, current_revision

REVISION = "20261202_02"
PREVIOUS = "20261202_01"
TEXTS = ["A：こんにちは。\r\n連携です。\r\n", "同じ文書", "同じ文書", "Ｅ\u0301です  "]


def _upgrade_to(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _downgrade_to(engine: Engine, revision: str) -> None:
    """As chiiki runs migrations on SQLite: foreign keys off (see tests/registry/test_migrations.py)."""
    target = engine
    if engine.dialect.name == "sqlite":
        engine.dispose()
        target = create_engine(engine.url, poolclass=NullPool)

        @event.listens_for(target, "connect")
        def _fk_off(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    cfg = alembic_config(target)
    with target.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("documents")}


def _expected(value: str) -> str:
    """The normalization written out again here, so a change to either copy is caught."""
    normalized = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def test_content_hash_is_backfilled_up_and_removed_down(db_url: str) -> None:
    engine = get_engine(db_url)
    _upgrade_to(engine, PREVIOUS)
    assert "content_hash" not in _columns(engine)
    with engine.begin() as conn:
        for i, body in enumerate(TEXTS, start=1):
            conn.execute(
                text(
                    "INSERT INTO documents (id, title, source_type, text, is_sample, contains_personal_data) "
                    "VALUES (:i, :t, 'other', :x, false, false)"
                ),
                {"i": i, "t": f"d{i}", "x": body},
            )
        conn.execute(text("INSERT INTO qda_codes (id, name, is_codable) VALUES (1, 'c', true)"))
        conn.execute(
            text("INSERT INTO qda_segments (document_id, start, \"end\", code_id, coder) VALUES (1, 0, 2, 1, 'A')")
        )
    _upgrade_to(engine, REVISION)
    assert current_revision(engine) == REVISION
    assert "content_hash" in _columns(engine)
    assert "ix_documents_content_hash" in {ix["name"] for ix in inspect(engine).get_indexes("documents")}
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, content_hash FROM documents")).tuples().all())
        assert conn.execute(text("SELECT count(*) FROM qda_segments")).scalar() == 1  # nothing cascaded
    assert stored == {i: _expected(body) for i, body in enumerate(TEXTS, start=1)}
    assert stored == {i: content_hash(body) for i, body in enumerate(TEXTS, start=1)}  # same as the importer
    assert stored[2] == stored[3]  # copies made before the migration survive it, findable by hash
    _downgrade_to(engine, PREVIOUS)
    engine = get_engine(db_url)
    assert current_revision(engine) == PREVIOUS
    assert "content_hash" not in _columns(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == len(TEXTS)
        assert conn.execute(text("SELECT count(*) FROM qda_segments")).scalar() == 1
