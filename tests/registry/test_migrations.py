"""Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from chiiki.model.base import Base
from chiiki.model.db import get_engine
from chiiki.model.migrate import current_revision, ensure_schema, head_revision, upgrade


def test_upgrade_from_empty_matches_the_models(db_url: str) -> None:
    engine = get_engine(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_new_database_is_created_and_stamped(db_url: str) -> None:
    engine = get_engine(db_url)
    assert ensure_schema(engine) == "created"
    assert {"adoptions", "hearings", "qda_segments", "citations"} <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision(engine)
    assert ensure_schema(engine) == "current"


def test_old_sqlite_file_is_upgraded_after_a_backup(sqlite_url: str, tmp_path) -> None:
    from alembic import command

    from chiiki.model.migrate import alembic_config

    engine = get_engine(sqlite_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "20261129_01")
    assert ensure_schema(engine) == "upgraded"
    assert "hearings" in inspect(engine).get_table_names()
    assert list(tmp_path.glob("chiiki.db.bak-*"))
