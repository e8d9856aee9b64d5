"""Fixtures for the report tests: the bundled registry in a temp SQLite file (loaded by the
registry's own loader) and a hand-built analysis result (see fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from chiiki.model import Adoption, Base
from chiiki.model.db import dispose_engines, get_engine, session_scope

from .fixtures import fake_analysis


@pytest.fixture(scope="session")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled 22 programs / 121 selections loaded through the registry loader."""
    bundled = pytest.importorskip("chiiki.registry.bundled")
    if not (bundled.bundled_dir() / "adoptions.csv").exists():
        pytest.skip("bundled registry data not present")
    path: Path = tmp_path_factory.mktemp("db") / "t.db"
    url = f"sqlite:///{path}"
    try:  # the CLI opens the database through ensure_schema: create it the same way
        from chiiki.model.migrate import ensure_schema

        ensure_schema(get_engine(url))
    except ImportError:
        Base.metadata.create_all(get_engine(url))
    with session_scope(url) as session:
        bundled.load_bundled(session)
    yield url
    dispose_engines()


@pytest.fixture()
def session(bundled_url: str):
    with session_scope(bundled_url) as s:
        yield s


@pytest.fixture()
def analysis(session):
    ids = list(session.scalars(select(Adoption.id).order_by(Adoption.id)))
    return fake_analysis(ids)
