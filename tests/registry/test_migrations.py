"""Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from chiiki.model.base import Base
from chiiki.model.db import get_engine, session_scope
from chiiki.model.hearings import Document, HearingHub
from chiiki.model.migrate import (
    InvalidStoredValues,
    UpgradeFailed,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)
from chiiki.model.registry import Adoption, Hub, LineageLink, Organization, Participation

PREVIOUS_HEAD = "20261129_02"
CHECKED = {
    "organizations": "ck_organizations_kind",
    "participations": "ck_participations_role",
    "adoption_people": "ck_adoption_people_role",
    "post_program_events": "ck_post_program_events_kind",
    "lineage_links": "ck_lineage_links_basis",
    "hearings": "ck_hearings_consent",
    "documents": "ck_documents_source_type",
}


def _upgrade_to(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _diff(engine: Engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def _check_names(engine: Engine) -> dict[str, set[str]]:
    insp = inspect(engine)
    return {t: {c["name"] for c in insp.get_check_constraints(t)} for t in CHECKED}


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Adoption, Hub, Organization, Participation, LineageLink, HearingHub, Document)
        }


def test_upgrade_from_empty_matches_the_models(db_url: str) -> None:
    engine = get_engine(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    assert _diff(engine) == []


def test_create_all_matches_the_migrations(db_url: str) -> None:
    engine = get_engine(db_url)
    assert ensure_schema(engine) == "created"
    assert _diff(engine) == []
    assert all(CHECKED[t] in names for t, names in _check_names(engine).items())
    assert "ix_adoptions_hub_id" in {ix["name"] for ix in inspect(engine).get_indexes("adoptions")}


def test_new_database_is_created_and_stamped(db_url: str) -> None:
    engine = get_engine(db_url)
    assert ensure_schema(engine) == "created"
    assert {"adoptions", "hearings", "qda_segments", "citations"} <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision(engine)
    assert ensure_schema(engine) == "current"


def test_upgrade_from_the_previous_head_keeps_every_row(db_url: str) -> None:
    """A database at the previous head with the bundled data (hearings linked to hubs) upgrades to
    the models' schema, every row kept (SQLite rebuilds the tables: nothing may cascade)."""
    from chiiki.hearings.bundled import load_bundled_hearings
    from chiiki.registry.bundled import load_bundled

    engine = get_engine(db_url)
    _upgrade_to(engine, PREVIOUS_HEAD)
    assert all(not names for names in _check_names(engine).values())
    with session_scope(db_url) as s:
        load_bundled(s)
        load_bundled_hearings(s)
    before = _counts(db_url)
    assert before["hearing_hubs"] > 0 and before["participations"] > 0
    if db_url.startswith("sqlite"):
        assert ensure_schema(engine) == "upgraded"
    else:
        upgrade(engine)
    assert current_revision(engine) == head_revision(engine) == "20261201_01"
    assert _diff(engine) == []
    assert all(CHECKED[t] in names for t, names in _check_names(engine).items())
    assert _counts(db_url) == before


def test_values_outside_a_set_stop_the_upgrade_and_say_where(db_url: str) -> None:
    engine = get_engine(db_url)
    _upgrade_to(engine, PREVIOUS_HEAD)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations (key, name, kind) VALUES ('x', 'X', 'bogus')"))
    if db_url.startswith("sqlite"):
        with pytest.raises(UpgradeFailed) as failed:
            ensure_schema(engine)
        problem = failed.value.details[0]
    else:
        with pytest.raises(InvalidStoredValues) as refused:
            upgrade(engine)
        problem = refused.value.message
    assert problem.code == "model.invalid_stored_values"
    assert problem.params["table"] == "organizations" and problem.params["column"] == "kind"
    assert "'bogus'" in problem.params["found"]
    assert current_revision(engine) == PREVIOUS_HEAD


def test_old_sqlite_file_is_upgraded_after_a_backup(sqlite_url: str, tmp_path) -> None:
    engine = get_engine(sqlite_url)
    _upgrade_to(engine, "20261129_01")
    assert ensure_schema(engine) == "upgraded"
    assert "hearings" in inspect(engine).get_table_names()
    assert [p.name for p in tmp_path.glob("chiiki.db.bak-*")] == ["chiiki.db.bak-20261129_01-to-20261201_01"]
