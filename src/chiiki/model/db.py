"""Engine and session handling.

The database is an SQLite file by default (embedded, nothing to install); a team server is
chosen with ``CHIIKI_DB_URL`` (e.g. ``postgresql+psycopg://user@host/db``). Every interface
(CLI, web, scripts) goes through :func:`session_scope`, so one import is one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "CHIIKI_DB_URL"


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


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    factory = sessionmaker(bind=get_engine(url), expire_on_commit=False)
    session = factory()
    try:
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
