"""Engine and session handling.

The database is an SQLite file by default (embedded, nothing to install); a team server is
chosen with ``CHIIKI_DB_URL`` (e.g. ``postgresql+psycopg://user@host/db``). Every interface
(CLI, web, scripts) goes through :func:`session_scope`, so one import is one transaction.

Writers are serialized: a write transaction (``session_scope(write=True)``: an import, a merge,
``db init``, a lineage rebuild) first takes the database's one writer lock — on PostgreSQL the
transaction-level advisory lock :data:`WRITER_LOCK`, on SQLite the file's write lock
(``BEGIN IMMEDIATE``). A second writer therefore waits (at most :data:`WRITE_WAIT_SECONDS`)
instead of racing the first through the derived tables (organizations, hubs) into a unique
violation, and then sees everything the first committed. Readers never wait (PostgreSQL MVCC,
SQLite WAL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "CHIIKI_DB_URL"
# The key of chiiki's writer lock (pg_advisory_xact_lock): any constant other software on the same
# server is unlikely to use; "chiiki" in ASCII.
WRITER_LOCK = 0x636869696B69
WRITE_WAIT_SECONDS = 120  # how long a writer waits for another writer before giving up


def default_sqlite_path() -> Path:
    """Where the embedded database lives when no URL is configured.

    ``CHIIKI_HOME`` moves it (tests use that); otherwise ``./chiiki.db`` in the current
    directory, so a project folder carries its own database like a document.
    """
    home = os.environ.get("CHIIKI_HOME")
    base = Path(home) if home else Path.cwd()
    return base / "chiiki.db"


def database_url(url: str | None = None) -> str:
    if url:
        return url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return f"sqlite:///{default_sqlite_path()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # a writer waits for another one (BEGIN IMMEDIATE) instead of failing at once
    cur.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_SECONDS * 1000)}")
    cur.close()


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL per process (engines pool connections; creating many leaks them).

    ``hide_parameters``: a failed INSERT of a document would otherwise print its text (personal
    data) in the error and in any traceback.
    """
    resolved = database_url(url)
    engine = _ENGINES.get(resolved)
    if engine is None:
        if resolved.startswith("sqlite"):
            engine = create_engine(resolved, future=True, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(resolved, future=True, pool_pre_ping=True, hide_parameters=True)
        _ENGINES[resolved] = engine
    return engine


def dispose_engines() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def take_writer_lock(conn: Connection) -> None:
    """Wait for the database's one writer lock, held until the transaction ends.

    Must be the first statement of the transaction: on SQLite it *is* the transaction's start
    (``BEGIN IMMEDIATE`` takes the write lock, waiting up to the busy timeout); on PostgreSQL the
    later statements of a READ COMMITTED transaction then see what the previous writer committed.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(WRITE_WAIT_SECONDS)}s'")
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


@contextmanager
def session_scope(url: str | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    ``write=True`` takes the writer lock first (see the module docstring): every transaction that
    writes registry rows should ask for it.
    """
    factory = sessionmaker(bind=get_engine(url), expire_on_commit=False)
    session = factory()
    try:
        if write:
            take_writer_lock(session.connection())
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def describe_url(url: str | None = None) -> str:
    """The URL with any password masked, for `chiiki info` and error messages."""
    from sqlalchemy.engine import make_url

    return make_url(database_url(url)).render_as_string(hide_password=True)
