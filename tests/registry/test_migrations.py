"""Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

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

HEAD = "20261202_04"  # import_history
ADOPTION_COLUMNS = "20261202_01"  # adoptions.participants_recorded, adoptions.final_evaluation_fy
PREVIOUS_HEAD = "20261201_01"
BEFORE_CHECKS = "20261129_02"  # the last revision without the CHECK constraints
CHECKED = {
    "adoptions": "ck_adoptions_participants_recorded",
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


def _downgrade_to(engine: Engine, revision: str) -> None:
    """Downgrade with foreign keys off on SQLite, as the upgrade runs (:mod:`chiiki.model.migrate`):
    a batch rebuild drops the parent table, which would otherwise cascade to its children."""
    if engine.dialect.name != "sqlite":
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
        return
    engine.dispose()
    mig = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(mig, "connect")
    def _fk_off(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    cfg = alembic_config(mig)
    with mig.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").first() is None
    mig.dispose()


def _adoption_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("adoptions")}


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


def test_down_and_up_with_the_bundled_data_keeps_every_row(db_url: str) -> None:
    """A database with the bundled data (hearings linked to hubs, derived participations) goes down
    to the revision before the CHECKs and up again to the models' schema, every row kept (SQLite
    rebuilds the tables both ways: nothing may cascade)."""
    from chiiki.hearings.bundled import load_bundled_hearings
    from chiiki.registry.bundled import load_bundled

    engine = get_engine(db_url)
    assert ensure_schema(engine) == "created"
    with session_scope(db_url) as s:
        load_bundled(s)
        load_bundled_hearings(s)
    before = _counts(db_url)
    assert before["hearing_hubs"] > 0 and before["participations"] > 0
    _downgrade_to(engine, BEFORE_CHECKS)
    assert current_revision(engine) == BEFORE_CHECKS
    assert all(not names for names in _check_names(engine).values())
    assert not {"participants_recorded", "final_evaluation_fy"} & _adoption_columns(engine)
    assert _counts(db_url) == before
    if db_url.startswith("sqlite"):
        assert ensure_schema(engine) == "upgraded"
    else:
        upgrade(engine)
    assert current_revision(engine) == head_revision(engine) == HEAD
    assert _diff(engine) == []
    assert all(CHECKED[t] in names for t, names in _check_names(engine).items())
    assert _counts(db_url) == before


def test_the_adoption_columns_migrate_up_and_down(db_url: str) -> None:
    """20261202_01 adds two nullable columns to existing adoptions (NULL = not stated) with the
    CHECK on participants_recorded, and its downgrade removes them, the rows kept."""
    engine = get_engine(db_url)
    _upgrade_to(engine, PREVIOUS_HEAD)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO programs (id, name_ja) VALUES ('P', 'p')"))
        conn.execute(text("INSERT INTO adoptions (id, program_id, start_fy) VALUES ('A', 'P', 2002), ('B', 'P', 2003)"))
        conn.execute(text("INSERT INTO organizations (key, name, kind) VALUES ('k', 'K', 'company')"))
        conn.execute(
            text(
                "INSERT INTO participations (adoption_id, organization_id, role) "
                "SELECT 'A', id, 'core' FROM organizations"
            )
        )
    assert not {"participants_recorded", "final_evaluation_fy"} & _adoption_columns(engine)
    _upgrade_to(engine, ADOPTION_COLUMNS)
    assert {"participants_recorded", "final_evaluation_fy"} <= _adoption_columns(engine)
    assert "ck_adoptions_participants_recorded" in _check_names(engine)["adoptions"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT participants_recorded, final_evaluation_fy FROM adoptions")).all() == [
            (None, None),
            (None, None),
        ]
    with engine.begin() as conn:
        conn.execute(text("UPDATE adoptions SET participants_recorded = 'partial', final_evaluation_fy = 2008"))
    with pytest.raises(IntegrityError) as refused, engine.begin() as conn:
        conn.execute(text("UPDATE adoptions SET participants_recorded = 'unknown' WHERE id = 'B'"))
    assert "ck_adoptions_participants_recorded" in str(refused.value.orig)
    _downgrade_to(engine, PREVIOUS_HEAD)
    assert current_revision(engine) == PREVIOUS_HEAD
    assert not {"participants_recorded", "final_evaluation_fy"} & _adoption_columns(engine)
    assert "ck_adoptions_participants_recorded" not in _check_names(engine)["adoptions"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM adoptions")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM participations")).scalar() == 1
        assert "ck_organizations_kind" in _check_names(engine)["organizations"]  # 20261201_01 stays


def test_values_outside_a_set_stop_the_upgrade_and_say_where(db_url: str) -> None:
    engine = get_engine(db_url)
    _upgrade_to(engine, BEFORE_CHECKS)
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
    assert current_revision(engine) == BEFORE_CHECKS


def test_old_sqlite_file_is_upgraded_after_a_backup(sqlite_url: str, tmp_path) -> None:
    engine = get_engine(sqlite_url)
    _upgrade_to(engine, "20261129_01")
    assert ensure_schema(engine) == "upgraded"
    assert "hearings" in inspect(engine).get_table_names()
    assert [p.name for p in tmp_path.glob("chiiki.db.bak-*")] == [f"chiiki.db.bak-20261129_01-to-{HEAD}"]
