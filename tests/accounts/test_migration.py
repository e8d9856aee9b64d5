"""Migration 20261202_03 makes the accounts tables exactly as the models, and takes them away."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from chiiki.model.base import Base
from chiiki.model.db import get_engine
from chiiki.model.enums import Role, values
from chiiki.model.migrate import alembic_config, current_revision, ensure_schema, upgrade

ACCOUNTS = "20261202_03"
BEFORE = "20261202_02"
TABLES = {"users", "api_tokens", "signin_links"}


def _alembic(engine: Engine, action: str, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def _diff(engine: Engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_the_migration_copies_the_roles() -> None:
    import importlib

    migration = importlib.import_module("chiiki.model.migrations.versions.20261202_03_accounts")
    assert migration.ROLES == values(Role)


def test_accounts_tables_migrate_up_and_down(db_url: str) -> None:
    engine = get_engine(db_url)
    _alembic(engine, "upgrade", BEFORE)
    assert not TABLES & set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO programs (id, name_ja) VALUES ('P', 'p')"))
    upgrade(engine)
    assert current_revision(engine) >= ACCOUNTS  # head, or a later revision
    assert _diff(engine) == []
    insp = inspect(engine)
    assert TABLES <= set(insp.get_table_names())
    assert "ck_users_role" in {c["name"] for c in insp.get_check_constraints("users")}
    assert "ix_api_tokens_user_id" in {ix["name"] for ix in insp.get_indexes("api_tokens")}
    assert "ix_signin_links_user_id" in {ix["name"] for ix in insp.get_indexes("signin_links")}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (name, role, password_hash, created_at, disabled) "
                "VALUES ('a', 'viewer', 'x', CURRENT_TIMESTAMP, false)"
            )
        )
    with pytest.raises(IntegrityError) as refused, engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (name, role, password_hash, created_at, disabled) "
                "VALUES ('b', 'boss', 'x', CURRENT_TIMESTAMP, false)"
            )
        )
    assert "ck_users_role" in str(refused.value.orig)
    _alembic(engine, "downgrade", BEFORE)
    assert current_revision(engine) == BEFORE
    assert not TABLES & set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM programs")).scalar() == 1


def test_a_new_database_has_the_accounts_tables(db_url: str) -> None:
    engine = get_engine(db_url)
    assert ensure_schema(engine) == "created"
    assert TABLES <= set(inspect(engine).get_table_names())
    assert _diff(engine) == []
