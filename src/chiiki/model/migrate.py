"""Schema creation and migration, following Taguette's approach.

A new database is `create_all` + `stamp head` (fast, and exactly the models). An existing local
SQLite file that is behind is upgraded automatically after a backup copy; a server database is
only upgraded by an explicit `chiiki db migrate`, because other people may be using it.

The automatic upgrade of a local SQLite file (:func:`ensure_schema`):

1. takes the file's write lock (``BEGIN IMMEDIATE``, waiting at most ``lock_timeout`` seconds)
   and refuses with :class:`DatabaseBusy` — nothing changed, no backup written — while another
   process holds it;
2. copies the file with SQLite's backup API (so rows still in the write-ahead log are in the
   copy) to ``<file>.bak-<from>-to-<to>``; one backup per upgrade: a later try of the same upgrade
   (after a failure, which changes nothing) reuses the copy instead of writing another;
3. runs the migrations in that one transaction, foreign keys off while tables are rebuilt and
   checked after (``PRAGMA foreign_key_check``), so a failure rolls everything back
   (:class:`UpgradeFailed`).

A database stamped with a revision this chiiki does not know was written by a newer chiiki:
:class:`SchemaTooNew`, whatever the backend. Every exception here carries a ``message``
(a :class:`~chiiki.i18n.Message` with a ``model.*`` code) for the interface to render.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

import chiiki.model  # noqa: F401  (registers every table)
from chiiki.i18n import Message, msg, translator
from chiiki.model.base import Base

LOCK_TIMEOUT = 2.0  # seconds to wait for another process's write lock before refusing


class MigrationError(RuntimeError):
    """A schema problem the user can act on; ``message`` says what, ``details`` why."""

    def __init__(self, message: Message, details: list[Message] | None = None) -> None:
        self.message = message
        self.details = list(details or [])
        super().__init__(translator("en").render(message))


class SchemaOutdated(MigrationError):
    """The server database is older than this chiiki; run `chiiki db migrate`."""


class SchemaTooNew(MigrationError):
    """The database is stamped with a revision this chiiki does not know (a newer chiiki's)."""


class DatabaseBusy(MigrationError):
    """Another process holds the SQLite file's write lock; nothing was changed."""


class UpgradeFailed(MigrationError):
    """A migration failed; its transaction was rolled back (the backup, if any, is kept)."""


class InvalidStoredValues(MigrationError):
    """Rows hold values a new CHECK constraint would refuse (raised by a migration)."""


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("chiiki.model") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def _script(engine: Engine) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(engine))


def head_revision(engine: Engine) -> str | None:
    return _script(engine).get_current_head()


def known_revisions(engine: Engine) -> set[str]:
    return {rev.revision for rev in _script(engine).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("adoptions")


def create_schema(engine: Engine) -> None:
    """The tables and the head stamp, in one transaction under the writer lock, so two processes
    creating one server database at once do not collide (the second finds the tables made)."""
    from chiiki.model.db import take_writer_lock

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        take_writer_lock(conn)
        if inspect(conn).has_table("adoptions"):
            return
        Base.metadata.create_all(conn)
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "head")


def _check_known(engine: Engine, revision: str | None) -> None:
    if revision is not None and revision not in known_revisions(engine):
        raise SchemaTooNew(msg("model.schema_too_new", "error", revision=revision))


def _run_upgrade(conn: Connection, engine: Engine) -> None:
    cfg = alembic_config(engine)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def upgrade(engine: Engine) -> None:
    """Upgrade to the head revision in one transaction (`chiiki db migrate`; no backup)."""
    _check_known(engine, current_revision(engine) if has_schema(engine) else None)
    with engine.begin() as conn:
        _run_upgrade(conn, engine)


def drop_schema(engine: Engine) -> None:
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def backup_path(path: Path, current: str | None, head: str | None) -> Path:
    """Where the upgrade of ``path`` from ``current`` to ``head`` keeps its backup copy."""
    return path.with_name(f"{path.name}.bak-{current or 'unstamped'}-to-{head}")


def ensure_schema(engine: Engine, *, lock_timeout: float = LOCK_TIMEOUT) -> str:
    """Make the schema current; returns what was done ('created', 'upgraded', 'current').

    Raises :class:`SchemaTooNew` for a newer chiiki's database, :class:`SchemaOutdated` for a
    server database that is behind, and, upgrading a local SQLite file, :class:`DatabaseBusy`
    or :class:`UpgradeFailed` (see the module docstring).
    """
    if not has_schema(engine):
        create_schema(engine)
        return "created"
    current, head = current_revision(engine), head_revision(engine)
    if current == head:
        return "current"
    _check_known(engine, current)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            upgrade(engine)
            return "upgraded"
        return _upgrade_sqlite_file(engine, Path(database), lock_timeout)
    raise SchemaOutdated(msg("model.schema_outdated", "error", current=current, head=head))


def _migration_engine(engine: Engine, lock_timeout: float) -> Engine:
    """A one-connection engine whose transactions are SQLite's own ``BEGIN IMMEDIATE`` (so DDL is
    transactional and the write lock is taken first), with foreign keys off while tables are
    rebuilt (dropping a parent table with foreign keys on would cascade to its children)."""
    mig = create_engine(engine.url, poolclass=NullPool, connect_args={"timeout": lock_timeout})

    @event.listens_for(mig, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # no implicit BEGIN from the driver
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(mig, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return mig


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def _backup(path: Path, target: Path, timeout: float) -> None:
    """Copy ``path`` through SQLite's backup API on a reading connection of its own (the
    migrating connection holds the write lock; readers still see the committed state, WAL
    included). Written through :func:`chiiki.ingest.atomic.atomic_path` (temporary name, fsync,
    rename), so a half-written copy is never taken for the backup of a later try."""
    from chiiki.ingest.atomic import atomic_path

    source = sqlite3.connect(path, timeout=timeout)
    try:
        with atomic_path(target) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
            finally:
                dest.close()
    finally:
        source.close()


def _upgrade_sqlite_file(engine: Engine, path: Path, lock_timeout: float) -> str:
    engine.dispose()  # this process's pooled connections must not hold the file meanwhile
    mig = _migration_engine(engine, lock_timeout)
    try:
        with mig.connect() as conn:
            try:
                conn.begin()
            except OperationalError as exc:
                if _is_busy(exc):
                    raise DatabaseBusy(msg("model.database_busy", "error", path=str(path))) from exc
                raise
            # Under the lock: another process may have upgraded the file in the meantime.
            current = MigrationContext.configure(conn).get_current_revision()
            head = head_revision(engine)
            if current == head:
                conn.rollback()
                return "current"
            _check_known(engine, current)
            backup = backup_path(path, current, head)
            try:
                if not backup.exists():
                    _backup(path, backup, lock_timeout)
                _run_upgrade(conn, engine)
                if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("foreign key check failed after the upgrade")
                conn.commit()
            except Exception as exc:
                conn.rollback()
                if isinstance(exc, OperationalError) and _is_busy(exc):
                    raise DatabaseBusy(msg("model.database_busy", "error", path=str(path))) from exc
                details = list(exc.details) if isinstance(exc, MigrationError) else []
                if isinstance(exc, MigrationError):
                    details.insert(0, exc.message)
                else:
                    details.append(msg("model.upgrade_error", "error", error=type(exc).__name__))
                failed = msg(
                    "model.upgrade_failed", "error", path=str(path), current=current, head=head, backup=str(backup)
                )
                raise UpgradeFailed(failed, details) from exc
    finally:
        mig.dispose()
    return "upgraded"
