"""Shared fixtures: real databases (an SQLite file per test; PostgreSQL when CHIIKI_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (chiiki_test_gw0, …), so
    tests that drop and create the schema never collide; created on first use."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("select 1 from pg_database where datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'create database "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _worker_database(os.environ.get("CHIIKI_TEST_PG_URL"))
if PG_URL:  # the conftests of the test folders read it too: they see this worker's database
    os.environ["CHIIKI_TEST_PG_URL"] = PG_URL


def _fresh(url: str) -> str:
    from chiiki.model.db import dispose_engines, get_engine
    from chiiki.model.migrate import drop_schema

    if url.startswith("postgresql"):
        dispose_engines()
        drop_schema(get_engine(url))
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database URL on both backends; also set as CHIIKI_DB_URL for CLI tests."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("no PostgreSQL server (CHIIKI_TEST_PG_URL unset; `make test` starts one)")
        url = _fresh(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'chiiki.db'}"
    monkeypatch.setenv("CHIIKI_DB_URL", url)
    yield url
    from chiiki.model.db import dispose_engines

    dispose_engines()


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'chiiki.db'}"
    monkeypatch.setenv("CHIIKI_DB_URL", url)
    yield url
    from chiiki.model.db import dispose_engines

    dispose_engines()


@pytest.fixture
def bundled_db(db_url: str) -> str:
    """A database with the schema and the bundled registry loaded."""
    from chiiki.model.db import get_engine, session_scope
    from chiiki.model.migrate import ensure_schema
    from chiiki.registry.bundled import load_bundled

    ensure_schema(get_engine(db_url))
    with session_scope(db_url) as s:
        load_bundled(s)
    return db_url


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``) a test file stays on one worker, as with
    ``loadfile``, and the whole report folder shares one: its session fixture (the bundled
    report built in both languages, ~20 s) is then built once, not once per worker."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            path = item.nodeid.split("::", 1)[0]
            group = "report" if path.startswith("tests/report/") else path
            item.add_marker(pytest.mark.xdist_group(group))
