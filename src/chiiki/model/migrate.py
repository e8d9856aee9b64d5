"""Schema creation and migration, following Taguette's approach.

A new database is `create_all` + `stamp head` (fast, and exactly the models). An existing local
SQLite file that is behind is upgraded automatically after a backup copy; a server database is
only upgraded by an explicit `chiiki db migrate`, because other people may be using it.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

import chiiki.model  # noqa: F401  (registers every table)
from chiiki.model.base import Base


class SchemaOutdated(RuntimeError):
    """The server database is older than this chiiki; run `chiiki db migrate`."""


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("chiiki.model") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("adoptions")


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "head")


def upgrade(engine: Engine) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def drop_schema(engine: Engine) -> None:
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def ensure_schema(engine: Engine) -> str:
    """Make the schema current; returns what was done ('created', 'upgraded', 'current')."""
    if not has_schema(engine):
        create_schema(engine)
        return "created"
    if current_revision(engine) == head_revision(engine):
        return "current"
    if engine.dialect.name == "sqlite" and engine.url.database:
        src = Path(engine.url.database)
        backup = src.with_suffix(src.suffix + f".bak-{datetime.now():%Y%m%d%H%M%S}")
        engine.dispose()
        shutil.copy2(src, backup)
        upgrade(engine)
        return "upgraded"
    raise SchemaOutdated(
        f"database schema is at {current_revision(engine)}, this chiiki needs {head_revision(engine)}: "
        "run `chiiki db migrate`"
    )
