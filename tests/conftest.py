"""Shared fixtures: real databases (an SQLite file per test; PostgreSQL when CHIIKI_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PG_URL = os.environ.get("CHIIKI_TEST_PG_URL")


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
