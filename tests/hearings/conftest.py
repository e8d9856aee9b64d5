"""Fixtures for the hearings/QDA tests: a real SQLite file with the schema and registry rows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
REPORT = SHARED / "seed" / "000_a6dc0c6e9091a970.txt"
PG_URL = os.environ.get("CHIIKI_TEST_PG_URL")

# The adoption ids the bundled hearings point to, with the hub each belongs to in this fixture.
ADOPTION_HUBS = {
    "ECO-2018-kanagawa": "kanagawa",
    "ECO-2020-special-kanagawa": "kanagawa",
    "CA-2009-tsuruoka": "tsuruoka",
    "ECO-2018-tohoku": "miyagi",
    "KC2-2007-sendai": "miyagi",
    "JST-KESSHU-2003end-miyagi": "miyagi",
    "KC1-2002-fukuoka": "fukuoka",
    "KC2-2007-fukuoka": "fukuoka",
    "KC2-2009-kurume": "kurume",
}


def create_schema(url: str) -> None:
    """``create_all`` plus ``alembic stamp head`` when the migration module is there, so the
    CLI's schema check (``ensure_schema``) sees a current database."""
    import chiiki.model  # noqa: F401  (registers the registry tables)
    import chiiki.model.hearings  # noqa: F401
    from chiiki.model.base import Base
    from chiiki.model.db import get_engine

    try:
        from chiiki.model.migrate import create_schema as create_and_stamp
    except ImportError:
        Base.metadata.create_all(get_engine(url))
    else:
        create_and_stamp(get_engine(url))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database with every table: an SQLite file, and PostgreSQL too when
    CHIIKI_TEST_PG_URL is set. Also exported as CHIIKI_DB_URL for the CLI."""
    from chiiki.model.db import dispose_engines, get_engine

    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("no PostgreSQL server (CHIIKI_TEST_PG_URL unset)")
        import chiiki.model.hearings  # noqa: F401
        from chiiki.model.migrate import drop_schema

        dispose_engines()
        drop_schema(get_engine(PG_URL))
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'h.db'}"
    create_schema(url)
    monkeypatch.setenv("CHIIKI_DB_URL", url)
    yield url
    dispose_engines()


def add_registry_rows(session, with_hubs: bool = True) -> None:
    """Minimal Program/Hub/Adoption rows for the bundled hearings' adoption ids."""
    from chiiki.model.registry import Adoption, Hub, Program

    hubs: dict[str, Hub] = {}
    for pid in sorted({a.split("-")[0] for a in ADOPTION_HUBS}):
        session.add(Program(id=pid, name_ja=f"{pid} program"))
    if with_hubs:
        for key in sorted(set(ADOPTION_HUBS.values())):
            hubs[key] = Hub(key=key, name=f"{key} hub")
            session.add(hubs[key])
    session.flush()
    for aid, hub_key in ADOPTION_HUBS.items():
        session.add(
            Adoption(
                id=aid,
                program_id=aid.split("-")[0],
                hub_id=hubs[hub_key].id if with_hubs else None,
            )
        )
    session.flush()


@pytest.fixture
def loaded(db: str) -> str:
    """Registry rows with hubs plus the bundled hearing records."""
    from chiiki.hearings.bundled import load_bundled_hearings
    from chiiki.model.db import session_scope

    with session_scope(db) as s:
        add_registry_rows(s)
        load_bundled_hearings(s)
    return db


@pytest.fixture
def registry_rows():
    """The :func:`add_registry_rows` helper, for tests that load the registry later."""
    return add_registry_rows


@pytest.fixture
def report_text() -> str:
    """The report's text (skips the test when /work/shared is not next to the repo)."""
    if not REPORT.exists():
        pytest.skip("shared report text not available")
    return REPORT.read_text(encoding="utf-8")
