"""The automatic upgrade of a local SQLite file: backup through SQLite's backup API, refusal while
another process holds the file, one backup per upgrade, and a one-line error for a newer file."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from chiiki.i18n import translator
from chiiki.model import migrate
from chiiki.model.db import get_engine
from chiiki.model.migrate import (
    DatabaseBusy,
    SchemaTooNew,
    UpgradeFailed,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
)

OLD = "20261129_02"
BACKUP = f"chiiki.db.bak-{OLD}-to-{head_revision(get_engine('sqlite://'))}"  # to the head revision


def _old_file(url: str) -> Engine:
    engine = get_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, OLD)
    engine.dispose()  # the last connection checkpoints: the tables are in the main file
    return engine


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_rows_still_in_the_wal_are_in_the_backup(sqlite_url: str, tmp_path: Path) -> None:
    engine = _old_file(sqlite_url)
    db = tmp_path / "chiiki.db"
    holder = sqlite3.connect(db)  # stays open, so its commits stay in the WAL (no checkpoint)
    try:
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("PRAGMA wal_autocheckpoint=0")
        holder.executemany("INSERT INTO programs (id, name_ja) VALUES (?, ?)", [(f"P{i}", "p") for i in range(300)])
        holder.commit()
        assert (tmp_path / "chiiki.db-wal").stat().st_size > 0
        plain_copy = tmp_path / "plain-copy.db"
        shutil.copy2(db, plain_copy)  # what a file copy would have kept
        assert _count(plain_copy, "programs") == 0

        assert ensure_schema(engine) == "upgraded"
    finally:
        holder.close()
    backup = tmp_path / BACKUP
    assert _count(backup, "programs") == 300
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == OLD
    finally:
        conn.close()
    assert _count(db, "programs") == 300
    assert current_revision(engine) == head_revision(engine)


HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
conn.rollback()
"""


def test_refused_while_another_process_holds_the_file(sqlite_url: str, tmp_path: Path) -> None:
    engine = _old_file(sqlite_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "chiiki.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusy) as busy:
            ensure_schema(engine, lock_timeout=0.2)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert busy.value.message.code == "model.database_busy"
    assert "\n" not in str(busy.value)
    assert current_revision(engine) == OLD
    assert not list(tmp_path.glob("chiiki.db.bak-*"))  # nothing written
    assert ensure_schema(engine) == "upgraded"  # once the other process is gone


def test_two_failed_tries_write_one_backup(sqlite_url: str, tmp_path: Path) -> None:
    engine = _old_file(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations (key, name, kind) VALUES ('x', 'X', 'bogus')"))
    for _ in range(2):
        with pytest.raises(UpgradeFailed) as failed:
            ensure_schema(engine)
        assert failed.value.message.code == "model.upgrade_failed"
        assert [d.code for d in failed.value.details] == ["model.invalid_stored_values"]
        assert current_revision(engine) == OLD
    assert [p.name for p in tmp_path.glob("chiiki.db.bak-*")] == [BACKUP]
    with engine.begin() as conn:
        conn.execute(text("UPDATE organizations SET kind = 'other' WHERE key = 'x'"))
    assert ensure_schema(engine) == "upgraded"
    assert [p.name for p in tmp_path.glob("chiiki.db.bak-*")] == [BACKUP]


def test_a_failure_late_in_the_upgrade_changes_nothing(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migrations run in one SQLite transaction (DDL included): a failure after every table
    was rebuilt still leaves the file as it was."""
    engine = _old_file(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO programs (id, name_ja) VALUES ('P', 'p')"))
        conn.execute(text("INSERT INTO adoptions (id, program_id) VALUES ('A', 'P')"))
        conn.execute(text("INSERT INTO organizations (key, name, kind) VALUES ('k', 'K', 'company')"))
        conn.execute(text("INSERT INTO participations (adoption_id, organization_id, role) VALUES ('A', 1, 'core')"))
    engine.dispose()
    real = migrate._run_upgrade

    def fail_after(conn, eng):  # type: ignore[no-untyped-def]
        real(conn, eng)
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrate, "_run_upgrade", fail_after)
    with pytest.raises(UpgradeFailed) as failed:
        ensure_schema(engine)
    assert [d.code for d in failed.value.details] == ["model.upgrade_error"]
    assert current_revision(engine) == OLD
    assert "ix_adoptions_hub_id" not in {ix["name"] for ix in inspect(engine).get_indexes("adoptions")}
    assert not inspect(engine).get_check_constraints("organizations")
    assert _count(tmp_path / "chiiki.db", "participations") == 1
    monkeypatch.undo()
    assert ensure_schema(engine) == "upgraded"
    assert _count(tmp_path / "chiiki.db", "participations") == 1


def test_a_newer_chiikis_file_says_so_in_one_line(db_url: str) -> None:
    engine = get_engine(db_url)
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '29991231_01'"))
    with pytest.raises(SchemaTooNew) as newer:
        ensure_schema(engine)
    assert newer.value.message.code == "model.schema_too_new"
    assert newer.value.message.params == {"revision": "29991231_01"}
    for lang in ("en", "ja"):
        line = translator(lang).render(newer.value.message)
        assert "29991231_01" in line and "\n" not in line
    assert "newer chiiki" in str(newer.value)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "29991231_01"
