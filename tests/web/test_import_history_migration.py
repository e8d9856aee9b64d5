"""Migration 20261202_04 makes ``import_history`` exactly as the model (both backends), keeps the
rows already there, and takes the table away again on a downgrade."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from chiiki.model.base import Base
from chiiki.model.db import get_engine
from chiiki.model.migrate import alembic_config, current_revision, upgrade

HISTORY = "20261202_04"
BEFORE = "20261202_03"


def _alembic(engine: Engine, action: str, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def test_import_history_migrates_up_and_down(db_url: str) -> None:
    engine = get_engine(db_url)
    _alembic(engine, "upgrade", BEFORE)
    assert "import_history" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO programs (id, name_ja) VALUES ('P', 'p')"))
    upgrade(engine)
    assert current_revision(engine) == HISTORY
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert "ix_import_history_imported_at" in {ix["name"] for ix in inspect(engine).get_indexes("import_history")}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO import_history (user_name, imported_at, file_name, sha256, table_name, rows,"
                " inserted, updated, unchanged) VALUES ('local', CURRENT_TIMESTAMP, 'a.csv', :h, 'adoptions',"
                " 1, 1, 0, 0)"
            ),
            {"h": "0" * 64},
        )
        assert conn.execute(text("SELECT count(*) FROM programs")).scalar() == 1
    _alembic(engine, "downgrade", BEFORE)
    assert "import_history" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM programs")).scalar() == 1
